"""The obvious approaches the answer engine is measured against, and the engine itself.

Every method has the harness's one interface: `build(kb)` once, then `guess(question)`
(the best fact and its score) and `answer(question)` (that fact, or None below the
method's abstention threshold). The baselines have no abstention logic of their own, so
their threshold is tuned by the harness to maximise their score on the project's
question set (`bench.quality.tune_threshold`): the best any single cut-off could do,
tuned on the very questions it is scored on, which flatters the baselines, not us.

Baselines see what a quick implementation would index: each current fact's questions
(the fuzzy scans) or questions and answer (BM25). They cannot answer day counts
(`strike-day:...`), which come from the strike calendar, not from a fact.
"""

from __future__ import annotations

import difflib
import functools
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import bm25s
import numpy as np
from rapidfuzz import fuzz, process, utils

from bot.knowledge.model import KnowledgeBase

ENGINE_TODAY = date(2023, 8, 11)
"""The day the project's quality report scores day counts for (tests/quality/report.py)."""


@dataclass(frozen=True, slots=True)
class Guess:
    """A method's best fact for a question (None: nothing matched) and its raw score."""

    fact_id: str | None
    score: float


class Method(Protocol):
    """What the harness times and scores: build once, then answer questions."""

    name: str
    threshold: float
    tunable: bool

    def build(self, kb: KnowledgeBase) -> None:
        """Index the base."""

    def guess(self, question: str) -> Guess:
        """The best fact and its score, with no abstention."""

    def answer(self, question: str) -> str | None:
        """The fact id answering the question, or None to abstain."""


class _ThresholdAnswer:
    """`answer` = `guess` above the tuned threshold, shared by the baselines."""

    threshold: float = 0.0
    tunable = True

    def guess(self, question: str) -> Guess:
        raise NotImplementedError

    def answer(self, question: str) -> str | None:
        """The best fact if its score reaches the threshold."""
        best = self.guess(question)
        return best.fact_id if best.fact_id is not None and best.score >= self.threshold else None


def _question_table(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Every current fact's questions, pre-processed once, and the fact id of each."""
    choices: list[str] = []
    owners: list[str] = []
    for fact in sorted(kb.current_facts(), key=lambda f: f.id):
        for question in fact.questions:
            choices.append(utils.default_process(question))
            owners.append(fact.id)
    return choices, owners


class RapidfuzzScan(_ThresholdAnswer):
    """`process.extractOne` with WRatio over every fact question (choices processed once)."""

    name = "rapidfuzz-scan"

    def __init__(self) -> None:
        self._choices: list[str] = []
        self._owners: list[str] = []

    def build(self, kb: KnowledgeBase) -> None:
        """Pre-process the choices once, as a careful quick implementation would."""
        self._choices, self._owners = _question_table(kb)

    def guess(self, question: str) -> Guess:
        """The fact of the most similar question (WRatio, 0-100)."""
        found = process.extractOne(
            utils.default_process(question), self._choices, scorer=fuzz.WRatio, processor=None
        )
        if found is None:
            return Guess(None, 0.0)
        _, score, position = found
        return Guess(self._owners[position], float(score))


class DifflibScan(_ThresholdAnswer):
    """The standard library's `SequenceMatcher.ratio` over every fact question.

    Pruned as `difflib.get_close_matches` prunes (the cheap upper bounds
    `real_quick_ratio` and `quick_ratio` against the best ratio so far), which returns
    the same best match as a plain scan, only sooner.
    """

    name = "difflib-scan"

    def __init__(self) -> None:
        self._choices: list[str] = []
        self._owners: list[str] = []

    def build(self, kb: KnowledgeBase) -> None:
        """Lower-case and strip punctuation once (rapidfuzz's default_process, for parity)."""
        self._choices, self._owners = _question_table(kb)

    def guess(self, question: str) -> Guess:
        """The fact of the question with the highest ratio (0-1)."""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(utils.default_process(question))
        best, best_at = 0.0, -1
        for position, choice in enumerate(self._choices):
            matcher.set_seq1(choice)
            if (
                matcher.real_quick_ratio() > best
                and matcher.quick_ratio() > best
                and (ratio := matcher.ratio()) > best
            ):
                best, best_at = ratio, position
        return Guess(self._owners[best_at] if best_at >= 0 else None, best)


class Bm25(_ThresholdAnswer):
    """BM25 (the `bm25s` package) over each fact's questions and answer, English stopwords."""

    name = "bm25"

    def __init__(self) -> None:
        self._retriever = bm25s.BM25()
        self._ids: list[str] = []

    def build(self, kb: KnowledgeBase) -> None:
        """One document per current fact: its questions and its answer."""
        facts = sorted(kb.current_facts(), key=lambda f: f.id)
        self._ids = [f.id for f in facts]
        corpus = [" ".join((*f.questions, f.answer)) for f in facts]
        tokens = bm25s.tokenize(corpus, stopwords="en", show_progress=False)
        self._retriever = bm25s.BM25()
        self._retriever.index(tokens, show_progress=False)
        self._vocab: dict[str, int] = tokens.vocab

    def guess(self, question: str) -> Guess:
        """The top-scoring fact (raw BM25 score; None when no query word is indexed)."""
        words = bm25s.tokenize(question, stopwords="en", return_ids=False, show_progress=False)
        known = [w for w in words[0] if w in self._vocab]
        if not known:
            return Guess(None, 0.0)
        scores = self._retriever.get_scores(known)
        best = int(np.argmax(scores))
        return Guess(self._ids[best], float(scores[best]))


class Engine:
    """The project's answer engine (`bot.answers.engine.AnswerEngine`), unchanged."""

    name = "engine"
    threshold = 0.0
    tunable = False

    def __init__(self) -> None:
        self._engine: object | None = None

    def build(self, kb: KnowledgeBase) -> None:
        """`AnswerEngine.from_knowledge`, exactly as the bot builds it."""
        from bot.answers.engine import AnswerEngine  # imported here: optional at import time

        self._engine = AnswerEngine.from_knowledge(kb)

    def guess(self, question: str) -> Guess:
        """The engine's own decision; it abstains by itself (`fact_id` None)."""
        answer = self._engine.answer(question, today=ENGINE_TODAY)  # type: ignore[attr-defined]
        return Guess(answer.fact_id if answer.answered else None, float(answer.score))

    def answer(self, question: str) -> str | None:
        """The engine's answer, or None when it abstains."""
        return self.guess(question).fact_id


class EngineFullRerank(Engine):
    """The engine re-ranking every fact that shares a term with the question.

    The engine proper re-ranks only the index's best CANDIDATE_LIMIT facts, reading
    rare terms first; this variant reads every posting and re-ranks everything, so the
    difference between the two is exactly what the shortcut costs in quality.
    """

    name = "engine-full-rerank"

    def build(self, kb: KnowledgeBase) -> None:
        """The same engine, its index told to return every fact with a shared term."""
        import bot.matching.index as index_module  # this worker process only

        super().build(kb)
        index_module.MAX_SCAN_POSTINGS = index_module.CANDIDATE_POOL = 10**12
        index = self._engine.index  # type: ignore[attr-defined]
        index.candidates = functools.partial(type(index).candidates, index, limit=len(index))


class NoIndex:
    """Builds nothing: the 'empty process' whose RSS the others are measured against."""

    name = "none"
    threshold = 0.0
    tunable = False

    def build(self, kb: KnowledgeBase) -> None:
        """Nothing to build."""

    def guess(self, question: str) -> Guess:
        """Always abstains."""
        return Guess(None, 0.0)

    def answer(self, question: str) -> str | None:
        """Always abstains."""
        return None


METHODS: dict[str, type[Method]] = {
    "engine": Engine,
    "engine-full-rerank": EngineFullRerank,
    "rapidfuzz-scan": RapidfuzzScan,
    "difflib-scan": DifflibScan,
    "bm25": Bm25,
    "none": NoIndex,
}  # type: ignore[dict-item]
BASELINES = ("rapidfuzz-scan", "difflib-scan", "bm25")
