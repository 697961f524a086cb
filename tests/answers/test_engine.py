"""The answer engine on the real knowledge base and on small hand-made ones."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.answers.engine import AUTOCOMPLETE_LIMIT, AnswerEngine
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Citation, Fact, KnowledgeBase, Party, Source, Strike

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"
AUG_11 = date(2023, 8, 11)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


@pytest.fixture(scope="module")
def engine(kb: KnowledgeBase) -> AnswerEngine:
    return AnswerEngine.from_knowledge(kb)


def _fact(fid: str, questions: tuple[str, ...], answer: str, **kw: object) -> Fact:
    return Fact(
        id=fid,
        questions=questions,
        answer=answer,
        citations=(Citation("src", "a quote"),),
        as_of=kw.pop("as_of", date(2023, 8, 4)),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def _small(*facts: Fact) -> AnswerEngine:
    strike = Strike(
        "wga-2023",
        Party("Writers Guild of America", "WGA"),
        Party("Alliance of Motion Picture and Television Producers", "AMPTP"),
        date(2023, 5, 2),
        "America/Los_Angeles",
    )
    source = Source("src", "a quote", outlet="Example Outlet", published=date(2023, 8, 4))
    return AnswerEngine.from_knowledge(
        KnowledgeBase.build(strikes=[strike], sources=[source], facts=facts)
    )


def test_talks_back_on_is_answered_with_the_newest_fact(engine: AnswerEngine) -> None:
    answer = engine.answer("are talks back on??")
    assert answer.answered
    assert answer.fact_id is not None
    fact = engine.knowledge.facts[answer.fact_id]
    # The newest word on the talks: the Aug 11 resumption, not the Aug 4 meeting.
    assert fact.as_of == AUG_11
    assert answer.citations and answer.citations[0].quote


def test_superseded_facts_never_answer_or_get_suggested(engine: AnswerEngine) -> None:
    superseded = engine.knowledge.superseded_ids()
    assert superseded, "the real base has superseded facts to check against"
    for fact_id in superseded:
        for question in engine.knowledge.facts[fact_id].questions:
            answer = engine.answer(question, today=AUG_11)
            assert answer.fact_id not in superseded
            assert all(s.fact_id not in superseded for s in answer.suggestions)


def test_small_base_prefers_the_superseding_fact() -> None:
    old = _fact("talks-stalled", ("are talks happening?",), "No talks are scheduled.")
    new = _fact(
        "talks-resume",
        ("are talks happening?", "when do talks resume?"),
        "Talks resume today.",
        supersedes=("talks-stalled",),
        as_of=AUG_11,
    )
    answer = _small(old, new).answer("are the talks happening")
    assert answer.fact_id == "talks-resume"


def test_typos_still_find_the_fact(engine: AnswerEngine) -> None:
    answer = engine.answer("r the studios willing to talk about artifical inteligence")
    assert answer.answered
    assert answer.fact_id is not None and "ai" in answer.fact_id


@pytest.mark.parametrize(
    "question",
    [
        "what's the weather in LA tomorrow",
        "how do i change my discord nickname",
        "did the animation guild reach a deal with the studios",
        "are video game performers striking",
        "",
        "lol",
    ],
)
def test_abstains_off_topic_and_on_related_story_headlines(
    engine: AnswerEngine, question: str
) -> None:
    answer = engine.answer(question)
    assert not answer.answered
    assert answer.fact_id is None and answer.text is None
    assert len(answer.suggestions) <= 3


def test_near_tie_abstains_and_suggests_both() -> None:
    engine = _small(
        _fact("minimums", ("will the studios raise pay minimums?",), "They may raise minimums."),
        _fact("residuals", ("will the studios raise pay residuals?",), "They will not."),
    )
    answer = engine.answer("will the studios raise pay")
    assert not answer.answered
    assert {s.fact_id for s in answer.suggestions} == {"minimums", "residuals"}


def test_clear_winner_is_answered_with_its_citations() -> None:
    engine = _small(
        _fact("minimums", ("will the studios raise pay minimums?",), "They may raise minimums."),
        _fact("residuals", ("what about streaming residuals?",), "They will not."),
    )
    answer = engine.answer("studios raising minimums??")
    assert answer.answered and answer.fact_id == "minimums"
    assert answer.citations[0].outlet == "Example Outlet"
    assert answer.as_of == date(2023, 8, 4)


def test_suggestions_are_distinct_facts_at_most_three(engine: AnswerEngine) -> None:
    suggestions = engine.suggest("what did the studios say at the meeting")
    assert 0 < len(suggestions) <= 3
    assert len({s.fact_id for s in suggestions}) == len(suggestions)


def test_autocomplete_defaults_and_limit(engine: AnswerEngine) -> None:
    defaults = engine.questions_for_autocomplete("")
    assert 0 < len(defaults) <= AUTOCOMPLETE_LIMIT
    assert len(engine.questions_for_autocomplete("", limit=100)) <= AUTOCOMPLETE_LIMIT
    typed = engine.questions_for_autocomplete("who is")
    assert typed and all(len(q) <= 100 for _, q in typed)
    assert typed[0][1].lower().startswith("who is")
    assert engine.questions_for_autocomplete("lombrdini")  # fuzzy, via the index


def test_engine_is_immutable(engine: AnswerEngine) -> None:
    with pytest.raises(AttributeError):
        engine.index = engine.index  # type: ignore[misc]
