"""Measured answer quality on questions written the way members write.

Gates (tuning set, tests/quality/questions.yaml): >= 90% of answerable questions
answered with the right fact, <= 3% answered with a wrong one, >= 95% of must-refuse
questions refused. The unseen set (never tuned on) is gated loosely on the one thing
that matters most, wrong answers. Run with `-s` to see the table.
"""

from __future__ import annotations

import pytest

from tests.quality.report import SCORES, Scores, compute, render

MIN_CORRECT = 0.90
MAX_WRONG = 0.03
MIN_REFUSED = 0.95
# The unseen set is small and never tuned on: only a loose bound on wrong answers and
# answered must-refuse questions, so a regression in honesty still shows.
UNSEEN_MAX_WRONG = 0.10
UNSEEN_MIN_REFUSED = 0.70


@pytest.fixture(scope="module")
def scores() -> tuple[Scores, Scores]:
    main, unseen = compute()
    print()
    print(render(main, unseen))
    return main, unseen


def test_tuning_set_sizes(scores: tuple[Scores, Scores]) -> None:
    main, _ = scores
    assert main.answerable >= 80
    assert main.refusable >= 40


def test_answerable_questions_are_answered_correctly(scores: tuple[Scores, Scores]) -> None:
    main, _ = scores
    assert main.rate(False, "correct") >= MIN_CORRECT, main.failure_lines()


def test_wrong_answers_stay_rare(scores: tuple[Scores, Scores]) -> None:
    main, _ = scores
    assert main.rate(False, "wrong") <= MAX_WRONG, main.failure_lines()


def test_must_refuse_questions_are_refused(scores: tuple[Scores, Scores]) -> None:
    main, _ = scores
    assert main.rate(True, "refused") >= MIN_REFUSED, main.failure_lines()


def test_unseen_set_stays_honest(scores: tuple[Scores, Scores]) -> None:
    _, unseen = scores
    assert unseen.rate(False, "wrong") <= UNSEEN_MAX_WRONG, unseen.failure_lines()
    assert unseen.rate(True, "refused") >= UNSEEN_MIN_REFUSED, unseen.failure_lines()


def test_committed_scores_file_is_current(scores: tuple[Scores, Scores]) -> None:
    main, unseen = scores
    assert SCORES.read_text(encoding="utf-8") == render(main, unseen), (
        "tests/quality/SCORES.md is stale: run `python -m tests.quality.report`"
    )
