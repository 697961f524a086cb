"""Quality scores on the project's question set, and the baselines' fairest threshold.

Verdicts are those of tests/quality/report.py: an answerable question is answered
correctly, wrongly, or refused; a must-refuse question is refused or answered. An
expected fact that a newer one supersedes counts as answered by the newer one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.baselines import Guess
from bot.knowledge.model import KnowledgeBase
from tests.quality.report import labelled_questions

QUESTION_SET = Path(__file__).resolve().parent.parent / "tests" / "quality" / "questions.yaml"


@dataclass(frozen=True, slots=True)
class Labelled:
    """A question and the fact ids that answer it; empty when it must be refused."""

    text: str
    expected: frozenset[str]


@dataclass(frozen=True, slots=True)
class QualityCounts:
    """How a method did on a labelled set."""

    answerable: int
    must_refuse: int
    correct: int
    wrong: int
    refused_answerable: int
    refused_when_should: int

    @property
    def correct_rate(self) -> float:
        """Answerable questions answered with an expected fact."""
        return self.correct / self.answerable if self.answerable else 0.0

    @property
    def wrong_rate(self) -> float:
        """Answerable questions answered with another fact (the report's 'wrongly')."""
        return self.wrong / self.answerable if self.answerable else 0.0

    @property
    def refused_rate(self) -> float:
        """Must-refuse questions that were refused."""
        return self.refused_when_should / self.must_refuse if self.must_refuse else 0.0

    @property
    def handled(self) -> int:
        """Questions handled as the set expects: the single figure thresholds maximise."""
        return self.correct + self.refused_when_should

    @property
    def false_answers(self) -> int:
        """Answers that should not have been given: wrong facts, and must-refuse answered."""
        return self.wrong + self.must_refuse - self.refused_when_should

    @property
    def precision(self) -> float:
        """Share of the answers given that were right: what a member can trust."""
        given = self.correct + self.false_answers
        return self.correct / given if given else 0.0

    def as_json(self) -> dict[str, int]:
        """Plain data for the worker's report."""
        return {
            "answerable": self.answerable,
            "must_refuse": self.must_refuse,
            "correct": self.correct,
            "wrong": self.wrong,
            "refused_answerable": self.refused_answerable,
            "refused_when_should": self.refused_when_should,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> QualityCounts:
        """Inverse of `as_json`."""
        return cls(**data)


def project_questions(kb: KnowledgeBase, path: Path = QUESTION_SET) -> list[Labelled]:
    """The project's quality set, labelled exactly as tests/quality/report.py labels it."""
    return [Labelled(q, frozenset(ids)) for q, ids, _ in labelled_questions(kb, path)]


def count(labels: Sequence[frozenset[str]], answers: Sequence[str | None]) -> QualityCounts:
    """Verdict counts for answers (None = refused) against their expected ids."""
    correct = wrong = refused_answerable = refused_when_should = 0
    for expected, answered in zip(labels, answers, strict=True):
        if not expected:
            refused_when_should += answered is None
        elif answered is None:
            refused_answerable += 1
        elif answered in expected:
            correct += 1
        else:
            wrong += 1
    must_refuse = sum(1 for e in labels if not e)
    return QualityCounts(
        len(labels) - must_refuse, must_refuse, correct, wrong, refused_answerable,
        refused_when_should,
    )  # fmt: skip


def thresholded(guesses: Sequence[Guess], threshold: float) -> list[str | None]:
    """Answers a threshold would give: the guessed fact when its score reaches it."""
    return [g.fact_id if g.fact_id is not None and g.score >= threshold else None for g in guesses]


def tune_threshold(labels: Sequence[frozenset[str]], guesses: Sequence[Guess]) -> float:
    """The cut-off that handles the most questions as expected; ties: fewer wrong answers.

    Tried at every observed score (and above all of them: refuse everything), so no
    other single threshold can do better on this set.
    """
    candidates = sorted({g.score for g in guesses} | {float("inf")})
    best_key: tuple[int, int] | None = None
    best = float("inf")
    for threshold in candidates:
        counts = count(labels, thresholded(guesses, threshold))
        wrong_answers = counts.wrong + (counts.must_refuse - counts.refused_when_should)
        key = (counts.handled, -wrong_answers)
        if best_key is None or key > best_key:
            best_key, best = key, threshold
    return best
