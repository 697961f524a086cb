"""Re-ranking candidate facts and deciding whether the best one is good enough.

A fact scores high when (1) the question's informative terms are covered by the fact
(IDF-weighted, so "lombardini" matters more than "strike", and a word no fact contains
counts against every fact), and (2) the question resembles one of the ways the fact is
asked (term precision against that question plus rapidfuzz similarity of the two
normalised strings). A wrong answer is much worse than none, so the engine answers only
above ANSWER_MIN, with enough coverage, and with a clear MARGIN over the runner-up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.matching.analysis import Analysed
from bot.matching.index import FactIndex, IndexedFact

# Weights of the two kinds of evidence. Coverage weighs more: it is what separates a
# question about this fact from one that merely shares the fact's phrasing.
COVERAGE_WEIGHT = 0.6
QUESTION_WEIGHT = 0.4
# Within question similarity: term precision (does the question ask what this way of
# asking asks) and character-level fuzzy similarity (word order, partial stems).
PRECISION_WEIGHT = 0.5
FUZZY_WEIGHT = 0.5

# Below this combined score the engine abstains. Chosen on tests/quality/questions.yaml
# so that wrong answers stay under the 3% bound while most answerable questions pass.
ANSWER_MIN = 0.55
# Even with a good score, a question whose informative weight is mostly not in the
# fact (an unknown name, another union, another topic) is about something else.
MIN_COVERAGE = 0.6
# When the runner-up (another fact) is this close, the question is ambiguous between
# them: abstain and offer both rather than guess.
MARGIN = 0.04
# Related facts worth suggesting when abstaining; below this they are noise.
SUGGEST_MIN = 0.3
# A question needs at least this much IDF weight of matched terms: "strike?" alone
# matches half the base and says nothing about which fact is wanted.
MIN_EVIDENCE = 1.2


@dataclass(frozen=True, slots=True)
class FactScore:
    """How well one fact answers one question, with the parts of the score."""

    position: int
    score: float
    coverage: float
    question_similarity: float
    evidence: float
    best_question: str


def score_fact(query: Analysed, position: int, index: FactIndex) -> FactScore:
    """Score one candidate fact (by its position in the index) for an analysed question."""
    doc: IndexedFact = index.docs[position]
    terms = query.unique_terms
    weights = {t: index.idf(t) for t in terms}
    total = sum(weights.values()) or 1.0
    matched = {t: w for t, w in weights.items() if t in doc.term_weights}
    coverage = sum(w * doc.term_weights[t] for t, w in matched.items()) / total
    evidence = sum(matched.values())

    best_similarity = 0.0
    best_question = doc.fact.questions[0]
    phrase = query.phrase
    for text, asked in zip(doc.fact.questions, doc.questions, strict=True):
        asked_terms = asked.unique_terms
        asked_total = sum(index.idf(t) for t in asked_terms) or 1.0
        precision = sum(index.idf(t) for t in asked_terms & terms) / asked_total
        fuzzy = fuzz.token_sort_ratio(phrase, asked.phrase) / 100.0
        similarity = PRECISION_WEIGHT * precision + FUZZY_WEIGHT * fuzzy
        if similarity > best_similarity:
            best_similarity, best_question = similarity, text
    score = COVERAGE_WEIGHT * coverage + QUESTION_WEIGHT * best_similarity
    return FactScore(position, score, coverage, best_similarity, evidence, best_question)


def rank(query: Analysed, index: FactIndex, candidates: Sequence[int]) -> list[FactScore]:
    """Candidates scored and sorted best first (ties: the newer fact first)."""
    scored = [score_fact(query, p, index) for p in candidates]
    scored.sort(key=lambda s: (-s.score, -index.docs[s.position].fact.as_of.toordinal()))
    return scored


def confident(best: FactScore, runner_up: FactScore | None) -> bool:
    """Whether the best fact may be given as the answer (the abstention rule)."""
    if best.score < ANSWER_MIN or best.coverage < MIN_COVERAGE or best.evidence < MIN_EVIDENCE:
        return False
    return runner_up is None or best.score - runner_up.score >= MARGIN
