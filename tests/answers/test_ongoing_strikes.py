"""A federation's base holds past strikes too: a question that names no union is about
the strikes under way, and "the strike" in a day count is never one that ended."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answers.engine import AnswerEngine
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Citation, Fact, KnowledgeBase, Party, Source, Strike

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
AUG_11 = date(2023, 8, 11)
PAST = Strike(
    "atu-metro-denver-2005",
    Party("Amalgamated Transit Union", "ATU"),
    Party("Denver Metro Transit", "Metro"),
    date(2005, 3, 1),
    "America/Denver",
    end=date(2005, 4, 20),
)
PAST_QUOTE = "Bargaining between the transit union and Metro will restart on April 2."
PAST_TALKS = Fact(
    id="atu-metro-next-session",
    questions=(
        "When do negotiations restart?",
        "When is the next bargaining session?",
        "Are talks resuming?",
    ),
    answer="As of Mar 28, 2005, ATU and Metro were due back at the table on April 2.",
    citations=(Citation("atu-metro-article", PAST_QUOTE),),
    as_of=date(2005, 3, 28),
    strikes=(PAST.id,),
)


@pytest.fixture(scope="module")
def federation() -> AnswerEngine:
    """The real base plus one ended strike, older than both real ones, on the same topic."""
    real = load_knowledge(KNOWLEDGE)
    source = Source("atu-metro-article", PAST_QUOTE, outlet="", published=date(2005, 3, 28))
    kb = KnowledgeBase.build(
        strikes=[*real.strikes.values(), PAST],
        sources=[*real.sources.values(), source],
        facts=[*real.facts.values(), PAST_TALKS],
        synonyms=real.synonyms,
        templates=real.templates,
    )
    return AnswerEngine.from_knowledge(kb)


@pytest.mark.parametrize("question", ["what day of the strike is it", "strike day??"])
def test_the_strike_is_the_one_under_way_not_the_oldest(
    federation: AnswerEngine, question: str
) -> None:
    answer = federation.answer(question, today=AUG_11)
    assert answer.fact_id == "strike-day:wga-2023"
    assert answer.text is not None and "day 102 of the WGA strike" in answer.text


def test_after_every_strike_ended_the_strike_is_the_latest(federation: AnswerEngine) -> None:
    assert federation.strike_days.default_fact_id(date(2005, 6, 1)) == (
        "strike-day:atu-metro-denver-2005"
    )
    assert federation.strike_days.default_fact_id(AUG_11) == "strike-day:wga-2023"


def test_an_unnamed_question_gets_the_current_strikes_fact(federation: AnswerEngine) -> None:
    answer = federation.answer("when do negotiations restart", today=AUG_11)
    assert answer.fact_id == "talks-resume-aug-11"


def test_naming_the_union_reaches_the_past_strike(federation: AnswerEngine) -> None:
    named = federation.answer("when do the ATU negotiations restart", today=AUG_11)
    assert named.fact_id == PAST_TALKS.id
    # A year prefers no strike: "is this strike longer than the 2007 one" compares two.
    dated = federation.analyser.analyse("when did negotiations restart in 2005")
    assert federation.scope.meant(dated, AUG_11) == frozenset()


def test_while_the_past_strike_ran_it_was_the_one_meant(federation: AnswerEngine) -> None:
    answer = federation.answer("when do negotiations restart", today=date(2005, 3, 30))
    assert answer.fact_id == PAST_TALKS.id


def test_nothing_is_preferred_when_every_strike_is_under_way() -> None:
    engine = AnswerEngine.from_knowledge(load_knowledge(KNOWLEDGE))
    analysed = engine.analyser.analyse("are talks back on")
    assert engine.scope.meant(analysed, AUG_11) == frozenset()
    assert engine.scope.meant(analysed, date(2023, 6, 1)) == {"wga-2023"}


def test_naming_the_employer_reaches_the_past_strike(federation: AnswerEngine) -> None:
    answer = federation.answer("when do negotiations with Metro restart", today=AUG_11)
    assert answer.fact_id == PAST_TALKS.id


def _past_strike(n: int) -> tuple[Strike, Fact]:
    strike = Strike(
        f"local-{n}-1999",
        Party(f"Local {n} Workers Union", f"L{n}"),
        Party(f"Employer {n}", f"E{n}"),
        date(1999, 1, 1),
        "America/Chicago",
        end=date(1999, 2, 1),
    )
    fact = Fact(
        id=f"local-{n}-next-session",
        questions=PAST_TALKS.questions,
        answer=f"As of Jan 20, 1999, Local {n} and its employer were due back on Jan 25.",
        citations=(Citation("atu-metro-article", PAST_QUOTE),),
        as_of=date(1999, 1, 20),
        strikes=(strike.id,),
    )
    return strike, fact


def test_many_past_strikes_do_not_crowd_out_the_current_one() -> None:
    """More past facts on the topic than the index hands to re-ranking: the current
    strike's fact must still be among the candidates, not only rank first once there."""
    real = load_knowledge(KNOWLEDGE)
    past = [_past_strike(n) for n in range(100)]
    source = Source("atu-metro-article", PAST_QUOTE, outlet="", published=date(2005, 3, 28))
    kb = KnowledgeBase.build(
        strikes=[*real.strikes.values(), *(s for s, _ in past)],
        sources=[*real.sources.values(), source],
        facts=[*real.facts.values(), *(f for _, f in past)],
        synonyms=real.synonyms,
        templates=real.templates,
    )
    engine = AnswerEngine.from_knowledge(kb)
    for question in ("when do negotiations restart", "are talks resuming"):
        assert engine.answer(question, today=AUG_11).fact_id == "talks-resume-aug-11"
