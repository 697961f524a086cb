"""Which sentences of each source the fact base cites, so gaps in coverage are visible.

The promise of the fact base is that every statement of fact in an article can be found
by asking; a sentence no fact cites is a statement the bot cannot answer with. This
module lines up every citation (of active facts and of strike milestones) against the
sentences of its source and reports, per source, which sentences nothing cites.

The rule for "cited": a sentence counts as cited when one citation's quote overlaps it
by at least `MIN_OVERLAP_CHARS` characters, or covers the whole sentence when the
sentence is shorter than that. Positions are compared in the normalised text of
`bot.knowledge.quotes` (white space folded, curly quotes straightened), the same space
the verbatim check uses, so a quote that passes `kb check` is located exactly. Overlap
is counted per citation, not summed: two slivers of a sentence do not make it cited.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from bot.knowledge.model import Citation, KnowledgeBase, Source
from bot.knowledge.quotes import normalise_for_quote, quote_span
from bot.knowledge.sentences import Sentence, split_sentences

# A quote must share at least this many characters with a sentence to count as citing
# it: about four words, enough to carry a claim, while a quote that only runs on into the
# next sentence ("… left behind.” Moreover,") or a stray phrase (“no agreement”) used in
# another fact does not mark the whole neighbouring sentence as covered.
MIN_OVERLAP_CHARS = 20


@dataclass(frozen=True, slots=True)
class SentenceCoverage:
    """One sentence and the records whose citations cover it.

    `cited_by` holds fact ids, and `strike-id:day-N` for strike milestones.
    """

    sentence: Sentence
    cited_by: tuple[str, ...]

    @property
    def cited(self) -> bool:
        """Whether at least one fact or milestone cites this sentence."""
        return bool(self.cited_by)


@dataclass(frozen=True, slots=True)
class SourceCoverage:
    """Coverage of one source: each of its sentences, and how many facts cite it."""

    source_id: str
    sentences: tuple[SentenceCoverage, ...]
    fact_count: int

    @property
    def uncited(self) -> tuple[SentenceCoverage, ...]:
        """Sentences no fact or milestone cites: the gaps to fill."""
        return tuple(s for s in self.sentences if not s.cited)

    @property
    def cited_count(self) -> int:
        """How many of the source's sentences are cited."""
        return len(self.sentences) - len(self.uncited)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Coverage of every source in the base, in source id order."""

    sources: tuple[SourceCoverage, ...]

    @property
    def sentence_count(self) -> int:
        """Sentences across all sources."""
        return sum(len(s.sentences) for s in self.sources)

    @property
    def uncited_count(self) -> int:
        """Uncited sentences across all sources; zero means complete coverage."""
        return sum(len(s.uncited) for s in self.sources)

    @property
    def complete(self) -> bool:
        """Whether every sentence of every source is cited."""
        return self.uncited_count == 0

    def as_json(self) -> dict[str, object]:
        """Plain data for `kb coverage --json`; offsets index the source's `text`."""
        return {
            "min_overlap_chars": MIN_OVERLAP_CHARS,
            "sentences": self.sentence_count,
            "uncited": self.uncited_count,
            "sources": [
                {
                    "id": source.source_id,
                    "facts": source.fact_count,
                    "sentences": len(source.sentences),
                    "cited": source.cited_count,
                    "uncited": [
                        {
                            "paragraph": item.sentence.paragraph,
                            "start": item.sentence.start,
                            "end": item.sentence.end,
                            "text": item.sentence.text,
                        }
                        for item in source.uncited
                    ],
                }
                for source in self.sources
            ],
        }


def _normalised_spans(source: Source) -> list[tuple[Sentence, int, int]]:
    """Each sentence with its span in the normalised text, where quote spans live.

    Normalising a sentence on its own gives the same characters as it has inside the
    normalised whole (sentences are trimmed, and inner white space folds the same way),
    so a forward search from the previous sentence's end locates it exactly.
    """
    normalised = normalise_for_quote(source.text)
    spans = []
    cursor = 0
    for sentence in split_sentences(source.text):
        needle = normalise_for_quote(sentence.text)
        start = normalised.find(needle, cursor)
        if start < 0:  # cannot happen for text the splitter produced; skip defensively
            continue
        spans.append((sentence, start, start + len(needle)))
        cursor = start + len(needle)
    return spans


def _citations(knowledge: KnowledgeBase) -> Iterator[tuple[str, bool, Citation]]:
    """Every citation that counts towards coverage: (record id, is it a fact, citation).

    Retired facts are left out (they never answer). Superseded facts count: what they
    cite was true when published and stays answerable for questions about that date.
    """
    for fact in knowledge.active_facts():
        for citation in fact.citations:
            yield fact.id, True, citation
    for strike in knowledge.strikes.values():
        for milestone in strike.milestones:
            for citation in milestone.citations:
                yield f"{strike.id}:day-{milestone.day}", False, citation


def covers(quote: tuple[int, int], sentence: tuple[int, int]) -> bool:
    """Whether a quote's span cites a sentence's span, by the module's overlap rule."""
    overlap = min(quote[1], sentence[1]) - max(quote[0], sentence[0])
    return overlap > 0 and overlap >= min(MIN_OVERLAP_CHARS, sentence[1] - sentence[0])


def source_coverage(
    source: Source, citations: Iterable[tuple[str, bool, Citation]]
) -> SourceCoverage:
    """Coverage of one source by the given (record id, is fact, citation) triples.

    Citations of other sources are ignored, and so are quotes not found verbatim (kb
    check reports those); a quote is located at its first occurrence in the source.
    """
    quote_spans: list[tuple[str, tuple[int, int]]] = []
    fact_ids: set[str] = set()
    for record_id, is_fact, citation in citations:
        if citation.source_id != source.id:
            continue
        if is_fact:
            fact_ids.add(record_id)
        span = quote_span(citation.quote, source.text)
        if span is not None:
            quote_spans.append((record_id, span))
    items = []
    for sentence, start, end in _normalised_spans(source):
        citing = (record for record, span in quote_spans if covers(span, (start, end)))
        items.append(SentenceCoverage(sentence, tuple(dict.fromkeys(citing))))
    return SourceCoverage(source.id, tuple(items), len(fact_ids))


def coverage_report(knowledge: KnowledgeBase) -> CoverageReport:
    """Coverage of every source in the base by its active facts and strike milestones."""
    citations = list(_citations(knowledge))
    return CoverageReport(
        tuple(
            source_coverage(knowledge.sources[source_id], citations)
            for source_id in sorted(knowledge.sources)
        )
    )
