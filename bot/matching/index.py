"""Inverted index over the facts' analysed terms: the candidate generator.

Built for 100,000 facts: a question touches only the postings of its own few terms,
summing IDF-weighted field matches per fact, and only the best CANDIDATE_LIMIT facts go
on to the (slower) fuzzy re-ranking in `scoring`. A full fuzzy scan of every fact's
questions would grow linearly with the base; this grows with the postings read.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from types import MappingProxyType

from bot.knowledge.model import Fact
from bot.matching.analysis import ROLE_WINDOW, Analysed, TextAnalyser, role_attachments
from bot.matching.normalise import DATE_TOKEN_PREFIX

# How much a term found in each field of a fact counts. A fact's questions are written
# as members ask, so a match there is the strongest evidence; tags are curated topic
# words; the answer text is long and mentions side topics, so it counts least.
FIELD_QUESTIONS = 1.0
FIELD_TAGS = 0.8
FIELD_ANSWER = 0.6
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
# A fact limited to strikes other than those the question is about (named, or under
# way when it names none) counts this much: kept, for a question only it can answer,
# but behind the facts of the strike meant. Scoring applies the same factor. Measured
# with the benchmark's bases (project set / member-style set, correct answers): at
# 10,000 facts 1.0 gives 74 / 593, 0.8 gives 82 / 596, 0.6 gives 82 / 554; at 100,000
# facts 69 / 533, 80 / 544, 80 / 518. Wrong answers stay within a few either way.
OTHER_STRIKE_FACTOR = 0.8
# Pseudo document frequency of a term no fact contains: rarer than any real term, so
# an unknown word in a question weighs as much as the rarest evidence would.
UNSEEN_DF = 0.5
UNSEEN_WEIGHT_FACTOR = 1.0


@dataclass(frozen=True, slots=True)
class IndexedFact:
    """A fact with its analysed questions and the best field weight of each term."""

    fact: Fact
    questions: tuple[Analysed, ...]
    term_weights: Mapping[str, float]
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


def analyse_fact(fact: Fact, analyser: TextAnalyser) -> IndexedFact:
    """Analyse a fact's fields once, at build time (no typo correction: facts are right)."""
    questions = tuple(analyser.analyse(q, correct=False) for q in fact.questions)
    tag_terms = [
        t for tag in fact.tags for t in analyser.analyse(_tags_text(tag), correct=False).terms
    ]
    answer_terms = analyser.analyse(fact.answer, correct=False).terms
    role_pairs: set[tuple[str, str]] = set()
    for field_terms in (answer_terms, *(q.terms for q in questions)):
        role_pairs |= role_attachments(field_terms, analyser.roles, ROLE_WINDOW)
    fields: list[tuple[Iterable[str], float]] = [
        (answer_terms, FIELD_ANSWER),
        (tag_terms, FIELD_TAGS),
        *((q.terms, FIELD_QUESTIONS) for q in questions),
    ]
    # A term keeps the best weight of the fields it is in: applying the fields from the
    # lowest weight to the highest lets each dict update overwrite, with no comparisons.
    weights: dict[str, float] = {}
    for terms, weight in sorted(fields, key=itemgetter(1)):
        weights.update(dict.fromkeys(terms, weight))
    return IndexedFact(fact, questions, MappingProxyType(weights), frozenset(role_pairs))


class FactIndex:
    """Term -> postings (fact position, field weight), with IDF weights."""

    def __init__(self, docs: Sequence[IndexedFact]) -> None:
        """Index analysed facts; positions in `docs` are the fact numbers in postings."""
        self.docs = tuple(docs)
        postings: dict[str, dict[int, float]] = {}
        for position, doc in enumerate(self.docs):
            for term, weight in doc.term_weights.items():
                posting = postings.get(term)
                if posting is None:
                    postings[term] = {position: weight}
                else:
                    posting[position] = weight
        self._postings = postings
        size = max(len(self.docs), 1)
        self._idf = {term: math.log(1.0 + size / len(p)) for term, p in postings.items()}
        self.unseen_idf = math.log(1.0 + size / UNSEEN_DF)
        self.unseen_weight = self.unseen_idf * UNSEEN_WEIGHT_FACTOR
        # Per fact, per way of asking it: the IDF weight of that question's distinct
        # terms (dates and numbers discounted), the denominator of scoring's precision.
        # Filled on first use: a question touches only its few dozen candidates.
        self._question_totals: dict[int, tuple[float, ...]] = {}

    def question_totals(self, position: int) -> tuple[float, ...]:
        """Precision denominators of the fact's questions, in the order of its questions."""
        totals = self._question_totals.get(position)
        if totals is None:
            idf, unseen = self._idf, self.unseen_weight
            totals = tuple(
                sum(idf.get(t, unseen) * context_factor(t) for t in set(q.terms)) or 1.0
                for q in self.docs[position].questions
            )
            self._question_totals[position] = totals
        return totals

    def __len__(self) -> int:
        return len(self.docs)

    def idf(self, term: str) -> float:
        """How informative a term is: rare terms high, unknown terms highest."""
        return self._idf.get(term, self.unseen_weight)

    def known(self, term: str) -> bool:
        """Whether any fact contains the term."""
        return term in self._postings

    def document_frequency(self, term: str) -> int:
        """How many facts contain the term."""
        return len(self._postings.get(term, ()))

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
        postings = self._postings
        known = sorted({t for t in terms if t in postings}, key=lambda t: len(postings[t]))
        totals: dict[int, float] = {}
        for i, term in enumerate(known):
            posting = postings[term]
            if i and len(posting) > MAX_SCAN_POSTINGS:
                break  # sorted by length: every remaining term is as common
            idf = self._idf[term]
            if not totals:
                totals = {p: idf * w for p, w in posting.items()}
            elif len(totals) >= CANDIDATE_POOL:
                if len(posting) < len(totals):
                    for p, weight in posting.items():
                        if p in totals:
                            totals[p] += idf * weight
                else:
                    for p in totals:
                        found = posting.get(p)
                        if found is not None:
                            totals[p] += idf * found
            else:
                get = totals.get
                for p, weight in posting.items():
                    totals[p] = get(p, 0.0) + idf * weight
        if strikes:
            docs = self.docs
            for p in totals:
                scope = docs[p].fact.strikes
                if scope and strikes.isdisjoint(scope):
                    totals[p] *= OTHER_STRIKE_FACTOR
        if len(totals) <= limit:
            return sorted(totals, key=lambda p: (-totals[p], p))
        return [p for p, _ in heapq.nlargest(limit, totals.items(), key=itemgetter(1))]
