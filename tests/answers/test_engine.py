"""The answer engine on the real knowledge base and on small hand-made ones."""

from __future__ import annotations

from dataclasses import replace
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


def test_superseded_facts_answer_only_with_the_newer_word(engine: AnswerEngine) -> None:
    superseded = engine.knowledge.superseded_ids()
    assert superseded, "the real base has superseded facts to check against"
    for fact_id in superseded:
        for question in engine.knowledge.facts[fact_id].questions:
            answer = engine.answer(question, today=AUG_11)
            if answer.fact_id in superseded:
                # Still true history, but the member also reads what replaced it.
                assert answer.newer and answer.text and "\nUpdate (" in answer.text
                newer = engine.knowledge.facts[answer.newer[0]]
                assert newer.answer in answer.text
                assert {c.quote for c in answer.citations} >= {c.quote for c in newer.citations}
            offered = {s.fact_id for s in answer.suggestions}
            for s in answer.suggestions:
                assert not engine.links.newer_than(s.fact_id) & offered


def test_why_no_agreement_is_answered_by_the_superseded_fact_with_an_update(
    engine: AnswerEngine,
) -> None:
    answer = engine.answer("why was there no agreement", today=AUG_11)
    assert answer.fact_id == "amptp-consulting-member-studios"
    assert answer.newer == ("talks-resume-aug-11",)
    assert answer.text is not None
    assert answer.text.startswith(engine.knowledge.facts["amptp-consulting-member-studios"].answer)
    assert "Update (Aug 11, 2023): Yes: as of Aug 11, 2023" in answer.text
    sources = {c.source_id for c in answer.citations}
    assert sources == {"thr-2023-08-04-wga-amptp-meeting", "wire-2023-08-11-wga-talks-resume"}
    assert set(answer.as_json()) == {
        "question",
        "answered",
        "fact_id",
        "answer",
        "score",
        "citations",
        "suggestions",
    }


def test_newer_fact_wins_when_it_also_answers(engine: AnswerEngine) -> None:
    # "When will they be back at the table?" is the superseded studio-source fact's own
    # question; the Aug 11 resumption answers it too, so the newest word is given.
    answer = engine.answer("When will they be back at the table?", today=AUG_11)
    assert answer.fact_id == "talks-resume-aug-11"
    assert answer.newer == ()


def _old_and_new(new_questions: tuple[str, ...]) -> AnswerEngine:
    old = _fact(
        "no-agreement-why",
        ("why was there no agreement?", "are talks stalled?"),
        "No agreement: the studios had to consult their members.",
    )
    new = _fact(
        "talks-resume",
        new_questions,
        "Talks resume today.",
        supersedes=("no-agreement-why",),
        as_of=AUG_11,
    )
    other = _fact("minimums", ("will the studios raise minimums?",), "They may.")
    return _small(old, new, other)


def test_old_fact_answers_with_a_note_when_the_newer_one_does_not_fit() -> None:
    answer = _old_and_new(("when do talks resume?",)).answer("why was there no agreement")
    assert answer.fact_id == "no-agreement-why"
    assert answer.newer == ("talks-resume",)
    assert answer.text == (
        "No agreement: the studios had to consult their members."
        "\nUpdate (Aug 11, 2023): Talks resume today."
    )
    assert len(answer.citations) == 2


def test_a_fact_and_its_replacement_are_never_a_near_tie() -> None:
    # Both facts are asked the same way: without the supersede link this is a tie and
    # the engine would abstain; the link resolves it to the newer fact.
    engine = _old_and_new(("are talks stalled?", "when do talks resume?"))
    answer = engine.answer("are the talks stalled")
    assert answer.fact_id == "talks-resume"
    assert answer.newer == ()


def test_retiring_the_newer_fact_makes_the_older_one_current() -> None:
    engine = _old_and_new(("when do talks resume?",))
    facts = dict(engine.knowledge.facts)
    facts["talks-resume"] = replace(facts["talks-resume"], retired="wrong date")
    answer = _small(*facts.values()).answer("why was there no agreement")
    assert answer.fact_id == "no-agreement-why"
    assert answer.newer == () and "Update" not in (answer.text or "")


def test_suggestions_skip_a_superseded_fact_beside_its_replacement() -> None:
    engine = _old_and_new(("are talks stalled or back on?", "when do talks resume?"))
    suggested = [s.fact_id for s in engine.suggest("talks")]
    assert "talks-resume" in suggested
    assert "no-agreement-why" not in suggested


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


def _people() -> AnswerEngine:
    return _small(
        _fact(
            "who-is-lombardini",
            ("Who is Carol Lombardini?", "who's the president of the AMPTP?"),
            "Carol Lombardini is president of the AMPTP.",
        ),
        _fact(
            "dga-deal-push",
            ("will the AMPTP copy the DGA deal?",),
            "The AMPTP will push for the DGA deal's language.",
        ),
    )


def test_a_role_is_answered_only_for_the_organisation_asked_about() -> None:
    engine = _people()
    assert engine.answer("who is the amptp president").fact_id == "who-is-lombardini"
    refused = engine.answer("who is the president of the writers guild")
    assert not refused.answered
    assert not engine.answer("who is the amptp's lawyer").answered


def test_what_is_in_a_deal_needs_a_fact_about_its_contents() -> None:
    engine = _people()
    assert engine.answer("will the amptp copy the dga deal").fact_id == "dga-deal-push"
    assert not engine.answer("what's in the dga's deal").answered
