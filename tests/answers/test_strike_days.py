"""Day-count questions are answered from the strike calendar."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine
from bot.knowledge.loader import load_knowledge

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.from_knowledge(load_knowledge(KNOWLEDGE))


@pytest.mark.parametrize(
    "question",
    [
        "wut day of the strke is it",
        "what day of the strike is it?",
        "how long has the strike lasted?",
        "how many days have the writers been on strike",
        "strike day??",
    ],
)
def test_day_count_for_today(engine: AnswerEngine, question: str) -> None:
    answer = engine.answer(question, today=date(2026, 11, 21))
    assert answer.answered and answer.kind == "strike-day"
    assert answer.fact_id == "strike-day:wga-2023"
    assert answer.text == (
        "Today (Sat Nov 21, 2026) is day 1300 of the WGA strike against the AMPTP, "
        "which began May 2, 2023."
    )
    assert answer.citations, "the start date is cited"
    assert any("May 2" in c.quote for c in answer.citations)


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("what day of the strike was aug 4", 95),
        ("what day of the strike was august 4th", 95),
        ("which day of the walkout was 8/9", 100),
        ("day count on 2023-08-09?", 100),
    ],
)
def test_day_count_for_a_named_date(engine: AnswerEngine, question: str, day: int) -> None:
    answer = engine.answer(question, today=date(2026, 11, 21))
    assert answer.fact_id == "strike-day:wga-2023"
    assert answer.text is not None and f"was day {day} of the WGA strike" in answer.text


def test_actors_pick_the_sag_aftra_strike(engine: AnswerEngine) -> None:
    answer = engine.answer("how long have actors been striking", today=date(2023, 8, 4))
    assert answer.fact_id == "strike-day:sag-aftra-2023"
    assert answer.text is not None and "day 22 of the SAG-AFTRA strike" in answer.text


def test_before_the_start_is_an_honest_answer(engine: AnswerEngine) -> None:
    answer = engine.answer("what day of the strike was march 3", today=date(2023, 8, 4))
    assert answer.answered
    assert answer.text == (
        "The WGA strike against the AMPTP had not begun on Fri Mar 3, 2023: "
        "it began May 2, 2023 (day 1)."
    )


@pytest.mark.parametrize(
    "question",
    [
        "what day did talks resume",
        "when did the strike start",
        "how long was the last writers strike",
        "how long did the 1988 writers strike last",
        "when will the strike end",
    ],
)
def test_event_and_other_strike_questions_are_not_day_counts(
    engine: AnswerEngine, question: str
) -> None:
    assert engine.answer(question).kind != "strike-day"
