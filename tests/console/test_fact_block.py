"""Fact blocks: `key: value` lines into fields, with every problem reported at once."""

from __future__ import annotations

from datetime import date

import pytest

from bot.console.fact_block import (
    BlockError,
    FactFields,
    fact_as_block,
    parse_fact_block,
    problems_for_add,
    problems_for_edit,
)
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Citation
from tests.conftest import KNOWLEDGE_DIR

SOURCE = "wire-2023-08-11-wga-talks-resume"


def problems(*lines: str) -> tuple[str, ...]:
    with pytest.raises(BlockError) as caught:
        parse_fact_block(lines)
    return caught.value.problems


def test_a_complete_block() -> None:
    fields = parse_fact_block(
        [
            "id: talks-resume",
            "questions: Did talks resume? | are they talking again? |",
            "question: when do talks restart?",
            "answer: Yes, on Aug 11.",
            f"source: {SOURCE}",
            "quote: the first official negotiating session",
            "as_of: 2023-08-11",
            "tags: Talks, wga",
            "strikes: wga-2023",
            "supersedes: old-fact, older-fact",
            "reason: from the wire report",
        ]
    )
    assert fields == FactFields(
        fact_id="talks-resume",
        questions=("Did talks resume?", "are they talking again?", "when do talks restart?"),
        answer="Yes, on Aug 11.",
        citations=(Citation(SOURCE, "the first official negotiating session"),),
        as_of=date(2023, 8, 11),
        tags=("Talks", "wga"),  # lower-cased by the editor, as the loader does
        strikes=("wga-2023",),
        supersedes=("old-fact", "older-fact"),
        reason="from the wire report",
    )


def test_indented_lines_continue_a_value_and_blank_lines_and_comments_are_skipped() -> None:
    fields = parse_fact_block(
        [
            "# the answer is long",
            "answer: The WGA and the AMPTP",
            "   met on Aug 4.",
            "",
            f"source: {SOURCE}",
            "quote: On Wednesday, the WGA marked",
            "\tthe 100th day of its strike",
        ]
    )
    assert fields.answer == "The WGA and the AMPTP met on Aug 4."
    assert fields.citations == (
        Citation(SOURCE, "On Wednesday, the WGA marked the 100th day of its strike"),
    )


def test_several_citations_pair_each_quote_with_the_source_above() -> None:
    fields = parse_fact_block(["source: a", "quote: one", "source: b", "quote: two"])
    assert fields.citations == (Citation("a", "one"), Citation("b", "two"))


def test_absent_keys_are_none_and_an_empty_list_clears() -> None:
    fields = parse_fact_block(["tags:"])
    assert fields.tags == ()
    assert fields.answer is None
    assert fields.citations is None
    assert fields.changes_anything()
    assert not parse_fact_block(["reason: just a reason"]).changes_anything()


def test_key_names_are_forgiving_about_case_and_spelling_variants() -> None:
    fields = parse_fact_block(["As-Of: 2023-08-04", "Tag: wga", "Strike: wga-2023"])
    assert (fields.as_of, fields.tags, fields.strikes) == (
        date(2023, 8, 4),
        ("wga",),
        ("wga-2023",),
    )


def test_an_unknown_key_suggests_the_right_one() -> None:
    assert problems("qoute: x") == ("line 1: unknown key 'qoute'; did you mean 'quote'?",)
    assert "keys: id, questions, answer" in problems("colour: red")[0]


def test_every_problem_is_reported_with_its_line() -> None:
    found = problems(
        "  continues nothing",
        "just words without a colon",
        "answer: one",
        "answer: two",
        "quote: before any source",
        f"source: {SOURCE}",
        "as_of: 11/08/2023",
        "source:",
        "quote: a quote for no source",
    )
    assert found == (
        "line 1: continues nothing; start with `key: value`",
        "line 2: write it as `key: value` (keys: id, questions, answer, source, quote, as_of,"
        " tags, strikes, supersedes, reason)",
        "line 4: answer given twice; give it once",
        "line 5: a quote needs a `source:` line before it",
        f"line 6: source {SOURCE!r} needs a `quote:` line after it",
        "line 8: source: give the source's id",
        "as_of: '11/08/2023' is not a date as YYYY-MM-DD",
    )


def test_a_second_quote_for_one_source_is_refused() -> None:
    assert problems("source: a", "quote: one", "quote: two") == (
        "line 3: a quote needs a `source:` line before it",
    )


def test_a_new_fact_needs_id_questions_answer_and_a_citation() -> None:
    assert problems_for_add(FactFields()) == [
        "id: missing; a new fact needs it",
        "questions: missing; a new fact needs it",
        "answer: missing; a new fact needs it",
        "source and quote: missing; a new fact needs it",
    ]
    assert problems_for_add(FactFields(fact_id="x", questions=("q?",))) == [
        "answer: missing; a new fact needs it",
        "source and quote: missing; a new fact needs it",
    ]


def test_an_edit_cannot_change_the_id_and_must_change_something() -> None:
    assert problems_for_edit("a", FactFields(fact_id="b", answer="new")) == [
        "id: a fact's id cannot change ('a'); add a new fact and retire this one"
    ]
    assert problems_for_edit("a", FactFields(reason="why")) == [
        "nothing to change: give at least one field (e.g. `answer: ...`)"
    ]
    assert problems_for_edit("a", FactFields(fact_id="a", answer="new")) == []


def test_a_fact_written_as_a_block_reads_back_the_same() -> None:
    kb = load_knowledge(KNOWLEDGE_DIR)
    for fact in kb.facts.values():
        fields = parse_fact_block(fact_as_block(fact))
        assert fields.questions == fact.questions
        assert fields.answer == " ".join(fact.answer.split())
        assert fields.citations == tuple(
            Citation(c.source_id, " ".join(c.quote.split())) for c in fact.citations
        )
        assert (fields.as_of, fields.tags, fields.strikes, fields.supersedes) == (
            fact.as_of,
            fact.tags,
            fact.strikes,
            fact.supersedes,
        )
