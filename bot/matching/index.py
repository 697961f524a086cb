"""Inverted index over the facts' analysed terms: the candidate generator.

Built for 100,000 facts: a question touches only the postings of its own few terms,
summing IDF-weighted field matches per fact, and only the best CANDIDATE_LIMIT facts go
on to the (slower) fuzzy re-ranking in `scoring`. A full fuzzy scan of every fact's
questions would grow linearly with the base; this grows with the postings read.
"""

from __future__ import annotations

import heapq
import math
from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from bot.cooperative import Steps, batched, drain, release_steps
from bot.knowledge.model import Fact
from bot.matching.analysis import ROLE_WINDOW, TextAnalyser, role_attachments
from bot.matching.normalise import DATE_TOKEN_PREFIX

# How much a term found in each field of a fact counts. A fact's questions are written
# as members ask, so a match there is the strongest evidence; tags are curated topic
# words; the answer text is long and mentions side topics, so it counts least.
FIELD_QUESTIONS = 1.0
FIELD_TAGS = 0.8
FIELD_ANSWER = 0.6
# `FactAnalyser.analyse` writes a fact's fields in this order, each overwriting the last.
assert FIELD_ANSWER <= FIELD_TAGS <= FIELD_QUESTIONS
# Facts re-ranked per question. The right fact is almost always in the top few by
# term overlap; 40 leaves room for typos and synonyms at a bounded fuzzy cost.
CANDIDATE_LIMIT = 40
# A term in more postings than this is skipped during candidate generation when the
# question also has rarer terms: reading 100k postings for "strike" costs milliseconds
# and adds nothing the rarer terms do not already select. It still counts in scoring.
MAX_SCAN_POSTINGS = 5_000
# Facts brought into play before commoner terms stop adding new ones: ten times
# CANDIDATE_LIMIT, so the re-ranked facts are still chosen on every term of the question
# (measured at 10k facts: 1,000 and 400 pick the same answers, p99 1.9 -> 1.7 ms).
CANDIDATE_POOL = 400
# The two rarest terms always bring in their facts; only from the third on does a full
# pool stop new ones. With one, a question's rarest word could fill the pool alone and
# shut out the fact that answers without it (100,000 facts: "what about arbitration for
# legal fights" lost its fact to 2,852 facts with "fight"). Measured: at 100,000 facts
# the project set matches re-ranking every fact (81 correct), p99 2.5 -> 4.2 ms; at
# 10,000 the same answers, p99 1.21 -> 1.35 ms.
POOLED_AFTER_TERMS = 2
# A fact limited to strikes other than those the question is about (named, or under
# way when it names none) counts this much: kept, for a question only it can answer,
# but behind the facts of the strike meant. Scoring applies the same factor. Measured
# with the benchmark's bases (project set / member-style set, correct answers): at
# 10,000 facts 1.0 gives 74 / 593, 0.8 gives 82 / 596, 0.6 gives 82 / 554; at 100,000
# facts 69 / 533, 80 / 544, 80 / 518. Wrong answers stay within a few either way.
OTHER_STRIKE_FACTOR = 0.8
# Facts analysed or indexed, and terms weighed, per build step (bot.cooperative): each
# about a millisecond at 10,000 facts.
FACTS_PER_STEP = 20
TERMS_PER_STEP = 2_000
POSTINGS_PER_STEP = 20_000
# Pseudo document frequency of a term no fact contains: rarer than any real term, so
# an unknown word in a question weighs as much as the rarest evidence would.
UNSEEN_DF = 0.5
UNSEEN_WEIGHT_FACTOR = 1.0


# How a fact holds a term: the best field's weight and which of its questions contain
# it (positions in `Fact.questions`). Every (weight, questions) pair is one shared tuple
# per index, so a fact's term map holds pointers, not a tuple per term.
TermEntry = tuple[float, tuple[int, ...]]


@dataclass(frozen=True, slots=True)
class IndexedFact:
    """A fact reduced, at build time, to what candidate generation and scoring read.

    Per way of asking the fact (in the order of `fact.questions`): `phrases` are its
    question words and terms with the tokens sorted (the form `token_sort_ratio`
    compares, so re-ranking calls the cheaper `ratio`), `question_wh` its question
    words. `asked_wh`, `definitional` and `contents` say whether any of its questions
    asks that way. The analysed forms themselves are not kept: they cost more memory
    than the whole index and scoring reads only these.
    """

    fact: Fact
    terms: Mapping[str, TermEntry]
    phrases: tuple[str, ...]
    question_wh: tuple[frozenset[str], ...]
    asked_wh: frozenset[str]
    definitional: bool
    contents: bool
    # (role, neighbour) term pairs in any field: whose president, whose lawyer.
    role_pairs: frozenset[tuple[str, str]] = frozenset()


# Dates and numbers in a fact's question pin its context ("the Aug 4 meeting"); a member
# leaving them out usually means the same event, so they count less against precision.
CONTEXT_TERM_FACTOR = 0.3


def is_specific(term: str) -> bool:
    """Numbers and dates: exact values a fact must contain to answer about them."""
    return term.isdigit() or (term.startswith(DATE_TOKEN_PREFIX) and term[4:].isdigit())


def context_factor(term: str) -> float:
    """How much a term of a fact's question counts against precision when not asked."""
    return CONTEXT_TERM_FACTOR if is_specific(term) else 1.0


def _tags_text(tag: str) -> str:
    return tag.replace("-", " ").replace("_", " ")


# One analysed fact question's terms: kept only while the index is built, to compute its
# precision denominator once the IDF weights are known.
QuestionTerms = tuple[str, ...]


class FactAnalyser:
    """Analyses the facts of one index build, sharing equal pieces between facts.

    Facts repeat question words, phrases and (weight, questions) term entries: one
    object per distinct value keeps the index small. No typo correction: facts are right.
    """

    def __init__(self, analyser: TextAnalyser) -> None:
        """Analyse with `analyser` (the knowledge base's vocabulary and synonyms)."""
        self._analyser = analyser
        # Entries of terms in no question, by field weight; of question terms, by the
        # bit mask of the questions containing them.
        self._field_entries: dict[float, TermEntry] = {
            w: (w, ()) for w in (FIELD_ANSWER, FIELD_TAGS)
        }
        self._question_entries: dict[int, TermEntry] = {}
        # By text: facts share tags, and often questions.
        self._questions: dict[str, _Question] = {}
        self._tags: dict[tuple[str, ...], dict[str, TermEntry]] = {}
        self._phrases: dict[str, str] = {}
        self._wh_sets: dict[frozenset[str], frozenset[str]] = {}

    def release_steps(self) -> Steps[None]:
        """Free the per-text caches a batch at a time (see `bot.cooperative.release_steps`);
        the index keeps only the shared pieces it points to."""
        yield from release_steps(self._questions)
        yield from release_steps(self._tags)

    def analyse(self, fact: Fact) -> tuple[IndexedFact, tuple[QuestionTerms, ...]]:
        """The indexed fact, and its questions' terms for the precision denominators."""
        # Validation requires questions; an unvalidated fact without any still indexes.
        prepared = [self._question(q) for q in fact.questions] or [_NO_QUESTION]
        question_terms, phrases, question_wh, definitional, contents, question_pairs = zip(
            *prepared, strict=True
        )
        answer_terms = self._analyser.fact_terms(fact.answer)
        roles = self._analyser.roles
        role_pairs: set[tuple[str, str]] = set()
        if not roles.isdisjoint(answer_terms):
            role_pairs = role_attachments(answer_terms, roles, ROLE_WINDOW)
        if any(question_pairs):
            role_pairs = role_pairs.union(*question_pairs)
        # A term keeps the best weight of the fields it is in (questions, then tags,
        # then the answer): writing the fields from the lowest weight to the highest
        # lets each update overwrite, with no comparisons.
        terms: dict[str, TermEntry] = dict.fromkeys(answer_terms, self._field_entries[FIELD_ANSWER])
        terms.update(self._tag_entries(fact.tags))
        masks: dict[str, int] = {}
        get_mask = masks.get
        for number, asked in enumerate(question_terms):
            bit = 1 << number
            for term in asked:
                masks[term] = get_mask(term, 0) | bit
        entries = self._question_entries
        for term, mask in masks.items():
            entry = entries.get(mask)
            if entry is None:
                numbers = tuple(n for n in range(len(question_terms)) if mask >> n & 1)
                entry = entries[mask] = (FIELD_QUESTIONS, numbers)
            terms[term] = entry
        asked_wh = question_wh[0] if len(question_wh) == 1 else frozenset().union(*question_wh)
        indexed = IndexedFact(
            fact,
            terms,
            phrases,
            question_wh,
            self._wh_sets.setdefault(asked_wh, asked_wh),
            any(definitional),
            any(contents),
            frozenset(role_pairs) if role_pairs else _NO_PAIRS,
        )
        return indexed, question_terms

    def _question(self, text: str) -> _Question:
        prepared = self._questions.get(text)
        if prepared is None:
            asked = self._analyser.fact_question(text)
            phrase = sorted_phrase(asked.wh + asked.terms)
            wh = frozenset(asked.wh)
            roles = self._analyser.roles
            pairs = (
                _NO_PAIRS
                if roles.isdisjoint(asked.terms)
                else frozenset(role_attachments(asked.terms, roles, ROLE_WINDOW))
            )
            prepared = self._questions[text] = _Question(
                asked.terms,
                self._phrases.setdefault(phrase, phrase),
                self._wh_sets.setdefault(wh, wh),
                asked.definitional,
                asked.contents,
                pairs,
            )
        return prepared

    def _tag_entries(self, tags: tuple[str, ...]) -> dict[str, TermEntry]:
        """Term -> the tags entry, for a fact's tags (facts share their tag lists)."""
        entries = self._tags.get(tags)
        if entries is None:
            analyse = self._analyser.fact_terms
            entry = self._field_entries[FIELD_TAGS]
            entries = self._tags[tags] = {
                t: entry for tag in tags for t in analyse(_tags_text(tag))
            }
        return entries


class _Question(NamedTuple):
    """One way of asking a fact, as indexing reads it (shared by equal texts)."""

    terms: QuestionTerms
    phrase: str
    wh: frozenset[str]
    definitional: bool
    contents: bool
    # (role, neighbour) pairs within ROLE_WINDOW, as for the fact's other fields.
    role_pairs: frozenset[tuple[str, str]]


_NO_PAIRS: frozenset[tuple[str, str]] = frozenset()
_NO_QUESTION = _Question((), "", frozenset(), False, False, _NO_PAIRS)


def sorted_phrase(words: Iterable[str]) -> str:
    """Words as one string, sorted: what `token_sort_ratio` compares, prepared once."""
    return " ".join(sorted(words))


class FactIndex:
    """Term -> postings (fact positions, IDF x field weight), with IDF weights.

    Postings are two parallel lists per term rather than a dict per term (a dict costs
    three to four times the memory): candidate generation reads them front to back. Only
    terms common enough for the pooled look-ups in `candidates` keep a dict as well.
    """

    def __init__(
        self, docs: Sequence[IndexedFact], question_terms: Sequence[Sequence[QuestionTerms]]
    ) -> None:
        """Index analysed facts; positions in `docs` are the fact numbers in postings.

        `question_terms[position]` are the terms of each of that fact's questions.
        """
        drain(self._build_steps(docs, question_terms))

    @classmethod
    def from_facts(cls, facts: Iterable[Fact], analyser: TextAnalyser) -> FactIndex:
        """Analyse and index facts, in order: the fact at position p is the p-th fact."""
        return drain(cls.from_facts_steps(facts, analyser))

    @classmethod
    def from_facts_steps(cls, facts: Iterable[Fact], analyser: TextAnalyser) -> Steps[FactIndex]:
        """`from_facts` in bounded steps (see bot.cooperative): the same index."""
        fact_analyser = FactAnalyser(analyser)
        docs: list[IndexedFact] = []
        question_terms: list[tuple[QuestionTerms, ...]] = []
        for batch in batched(facts, FACTS_PER_STEP):
            for fact in batch:
                doc, terms = fact_analyser.analyse(fact)
                docs.append(doc)
                question_terms.append(terms)
            yield
        index = cls.__new__(cls)
        yield from index._build_steps(docs, question_terms)
        yield from release_steps(question_terms)
        yield from fact_analyser.release_steps()
        return index

    def _build_steps(
        self, docs: Sequence[IndexedFact], question_terms: Sequence[Sequence[QuestionTerms]]
    ) -> Steps[None]:
        self.docs = tuple(docs)
        positions: dict[str, list[int]] = {}
        weights: dict[str, list[float]] = {}
        for start in range(0, len(self.docs), FACTS_PER_STEP):
            for position in range(start, min(start + FACTS_PER_STEP, len(self.docs))):
                for term, (weight, _) in self.docs[position].terms.items():
                    found = positions.get(term)
                    if found is None:
                        positions[term] = [position]
                        weights[term] = [weight]
                    else:
                        found.append(position)
                        weights[term].append(weight)
            yield
        size = max(len(self.docs), 1)
        self._idf: dict[str, float] = {}
        for posted in batched(positions.items(), TERMS_PER_STEP):
            self._idf.update((term, math.log(1.0 + size / len(p))) for term, p in posted)
            yield
        self._positions: dict[str, Collection[int]] = dict(positions)
        # Each posting's IDF x field weight, as candidate generation adds it up: the
        # first term's totals are then one C-level dict(zip()), the others one addition
        # each. Three distinct values per term, so the lists hold shared floats.
        self._scores: dict[str, Collection[float]] = {}
        # Terms in at least CANDIDATE_POOL facts also map fact -> score: only they can
        # reach the pooled look-ups, where a dict probe beats scanning their postings.
        self._common: dict[str, dict[int, float]] = {}
        postings_done = 0
        # Each term's weights are freed as soon as they are scaled, and the positions of
        # common terms (copied into their dict): freeing them all at the end of the
        # build would hold the loop for milliseconds (bot.cooperative).
        for term in list(weights):
            field_weights = weights.pop(term)
            idf = self._idf[term]
            scaled = {w: idf * w for w in (FIELD_ANSWER, FIELD_TAGS, FIELD_QUESTIONS)}
            scores = list(map(scaled.__getitem__, field_weights))
            if len(field_weights) < CANDIDATE_POOL:
                self._scores[term] = scores
            else:
                common = self._common[term] = dict(zip(positions[term], scores, strict=True))
                self._positions[term] = common.keys()
                self._scores[term] = common.values()
                del positions[term]
            postings_done += len(field_weights)
            if postings_done >= POSTINGS_PER_STEP:
                postings_done = 0
                yield
        self.unseen_idf = math.log(1.0 + size / UNSEEN_DF)
        self.unseen_weight = self.unseen_idf * UNSEEN_WEIGHT_FACTOR
        # Facts limited to some strikes, and each strike's facts: candidate generation
        # finds the facts of other strikes by set operations in C, not fact by fact.
        by_strike: dict[str, set[int]] = {}
        scoped: set[int] = set()
        for start in range(0, len(self.docs), FACTS_PER_STEP):
            for position in range(start, min(start + FACTS_PER_STEP, len(self.docs))):
                for strike_id in self.docs[position].fact.strikes:
                    by_strike.setdefault(strike_id, set()).add(position)
                    scoped.add(position)
            yield
        self._strike_positions = {s: frozenset(ps) for s, ps in by_strike.items()}
        self._scoped: frozenset[int] = frozenset(scoped)
        yield
        # Per fact, per way of asking it: the IDF weight of that question's distinct
        # terms (dates and numbers discounted), the denominator of scoring's precision.
        # One flat array; fact p's questions are at question_offsets[p] onwards.
        counted: dict[str, float] = {}
        for weighed in batched(self._idf.items(), TERMS_PER_STEP):
            counted.update((term, idf * context_factor(term)) for term, idf in weighed)
            yield
        self.question_totals = array("d")
        self.question_offsets = array("I", [0])
        for facts_questions in batched(question_terms, FACTS_PER_STEP):
            for questions in facts_questions:
                self.question_totals.extend(
                    sum(map(counted.__getitem__, set(terms))) or 1.0 for terms in questions
                )
                self.question_offsets.append(len(self.question_totals))
            yield

    def __len__(self) -> int:
        return len(self.docs)

    def idf(self, term: str) -> float:
        """How informative a term is: rare terms high, unknown terms highest."""
        return self._idf.get(term, self.unseen_weight)

    def known(self, term: str) -> bool:
        """Whether any fact contains the term."""
        return term in self._positions

    def document_frequency(self, term: str) -> int:
        """How many facts contain the term."""
        return len(self._positions.get(term, ()))

    def candidates(
        self,
        terms: Iterable[str],
        limit: int = CANDIDATE_LIMIT,
        strikes: frozenset[str] = frozenset(),
    ) -> list[int]:
        """Positions of the facts sharing the most IDF-weighted terms with a question.

        Terms are read rarest first. Once CANDIDATE_POOL facts are in play, commoner
        terms only add to those facts' totals (a look-up per pooled fact) instead of
        bringing in every fact that contains them. Facts of strikes other than
        `strikes` are ranked down here already: at 10,000 facts, hundreds of past
        strikes' "next session" facts would otherwise fill the list before the
        current strike's own.
        """
        postings = self._positions
        known = sorted({t for t in terms if t in postings}, key=lambda t: len(postings[t]))
        totals: dict[int, float] = {}
        for i, term in enumerate(known):
            positions = postings[term]
            if i and len(positions) > MAX_SCAN_POSTINGS:
                break  # sorted by length: every remaining term is as common
            scores = self._scores[term]
            if not totals:
                totals = dict(zip(positions, scores, strict=True))
            elif i >= POOLED_AFTER_TERMS and len(totals) >= CANDIDATE_POOL:
                if len(positions) < len(totals):
                    for p, score in zip(positions, scores, strict=True):
                        if p in totals:
                            totals[p] += score
                else:
                    posting = self._common[term]  # as long as the pool: a common term
                    for p in totals:
                        found = posting.get(p)
                        if found is not None:
                            totals[p] += found
            else:
                get = totals.get
                for p, score in zip(positions, scores, strict=True):
                    totals[p] = get(p, 0.0) + score
        if strikes and self._scoped:
            meant = self._strike_positions
            demoted = self._scoped.intersection(totals).difference(
                *(meant[s] for s in strikes if s in meant)
            )
            for p in demoted:
                totals[p] *= OTHER_STRIKE_FACTOR
        if len(totals) <= limit:
            return sorted(totals, key=lambda p: (-totals[p], p))
        return [p for p, _ in heapq.nlargest(limit, totals.items(), key=itemgetter(1))]
