"""Moderators' changes on a real SQLite file over the committed knowledge base."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aiosqlite
import pytest

from bot.fact_input import EditRejected
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Citation, Fact, KnowledgeBase, Source
from bot.knowledge_editing import KnowledgeEditor
from bot.storage.actor import Actor
from bot.storage.database import open_database
from tests.storage.conftest import count_rows

KNOWLEDGE_DIR = Path(__file__).resolve().parents[1] / "knowledge"
ALICE = Actor(1001, "Alice")
BOB = Actor(1002, "Bob")
WRITE_TABLES = ("fact_revisions", "fact_revision_citations", "audit_log", "moderator_sources")


@pytest.fixture(scope="module")
def base() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    connection = await open_database(tmp_path / "strikebot.sqlite3")
    try:
        yield connection
    finally:
        await connection.close()


class Clock:
    """A clock moving a minute per reading, so revisions have distinct times."""

    def __init__(self) -> None:
        self.now = datetime(2023, 8, 12, 16, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now


@pytest.fixture
def editor(db: aiosqlite.Connection, base: KnowledgeBase) -> KnowledgeEditor:
    return KnowledgeEditor(db, base, clock=Clock())


def first_fact(base: KnowledgeBase) -> Fact:
    return next(iter(base.facts.values()))


def quote_from(base: KnowledgeBase) -> Citation:
    """A verbatim quote: the first paragraph of the first source."""
    source = next(iter(base.sources.values()))
    return Citation(source.id, source.paragraphs[0])


async def row_counts(db: aiosqlite.Connection) -> dict[str, int]:
    return {table: await count_rows(db, table) for table in WRITE_TABLES}


def new_fact(base: KnowledgeBase) -> Fact:
    return Fact(
        id="moderator-new-fact",
        questions=("  What did the first article say? ",),
        answer=" It said this. ",
        citations=(quote_from(base),),
        as_of=date(2023, 8, 12),
        tags=("Talks",),
    )


async def test_add_then_edit_is_effective_at_once_and_audited(
    base: KnowledgeBase, db: aiosqlite.Connection
) -> None:
    seen: list[KnowledgeBase] = []
    editor = KnowledgeEditor(db, base, on_change=seen.append)
    added = await editor.add_fact(new_fact(base), ALICE, reason="new article", guild_id=5)
    fact = added.knowledge.facts["moderator-new-fact"]
    assert (fact.answer, fact.questions, fact.tags) == (
        "It said this.",
        ("What did the first article say?",),
        ("talks",),
    )
    assert fact in added.knowledge.current_facts()
    edited = await editor.edit_fact("moderator-new-fact", BOB, answer="It said that.")
    assert edited.knowledge.facts["moderator-new-fact"].answer == "It said that."
    assert seen == [added.knowledge, edited.knowledge]
    entries = await editor.audit.recent()
    assert [(e.action, e.actor, e.target) for e in entries] == [
        ("fact.edit", BOB, "fact:moderator-new-fact"),
        ("fact.add", ALICE, "fact:moderator-new-fact"),
    ]
    assert entries[0].details == "changed: answer"
    assert entries[1].guild_id == 5


async def test_changes_survive_a_restart(tmp_path: Path, base: KnowledgeBase) -> None:
    path = tmp_path / "db.sqlite3"
    db = await open_database(path)
    await KnowledgeEditor(db, base).add_fact(new_fact(base), ALICE)
    await db.close()
    db = await open_database(path)
    try:
        assert "moderator-new-fact" in (await KnowledgeEditor(db, base).knowledge()).facts
    finally:
        await db.close()


async def test_a_bad_quote_is_rejected_with_the_reason_and_nothing_is_written(
    editor: KnowledgeEditor, base: KnowledgeBase, db: aiosqlite.Connection
) -> None:
    before = await row_counts(db)
    fact = first_fact(base)
    bad = Citation(fact.citations[0].source_id, "words the article never printed")
    with pytest.raises(EditRejected, match="does not appear verbatim") as caught:
        await editor.edit_fact(fact.id, ALICE, citations=[bad])
    assert caught.value.problems[0].field == "citations"
    with pytest.raises(EditRejected, match="unknown source"):
        await editor.add_fact(
            replace(new_fact(base), citations=(Citation("no-such-source", "x"),)), ALICE
        )
    assert await row_counts(db) == before
    assert await editor.knowledge() == base


async def test_first_change_to_a_yaml_fact_records_its_yaml_state_as_revision_1(
    editor: KnowledgeEditor, base: KnowledgeBase
) -> None:
    fact = first_fact(base)
    await editor.edit_fact(fact.id, ALICE, answer="A moderator's rewording.", reason="clearer")
    await editor.edit_fact(fact.id, BOB, questions=[*fact.questions, "is that so?"])
    history = await editor.history(fact.id)
    assert [(r.number, r.action, r.actor.name) for r in history] == [
        (1, "base", "knowledge base (YAML)"),
        (2, "edit", "Alice"),
        (3, "edit", "Bob"),
    ]
    assert history[0].fact == fact
    assert [c.field for c in history[1].changes] == ["answer"]
    assert history[1].changes[0].before == fact.answer
    assert history[1].reason == "clearer"
    assert history[2].at > history[1].at
    assert [c.field for c in history[2].changes] == ["questions"]


async def test_revert_to_revision_1_restores_the_yaml_text_as_a_new_revision(
    editor: KnowledgeEditor, base: KnowledgeBase
) -> None:
    fact = first_fact(base)
    await editor.edit_fact(fact.id, ALICE, answer="Wrong answer.")
    await editor.retire_fact(fact.id, "withdrawn while we check", BOB)
    result = await editor.revert_fact(fact.id, 1, BOB, reason="the YAML was right")
    assert result.knowledge.facts[fact.id] == fact
    assert result.knowledge == base
    history = await editor.history(fact.id)
    assert [r.action for r in history] == ["base", "edit", "retire", "revert"]
    assert history[-1].reverted_to == 1
    with pytest.raises(EditRejected, match="already current"):
        await editor.revert_fact(fact.id, 1, BOB)
    with pytest.raises(EditRejected, match="no revision 9"):
        await editor.revert_fact(fact.id, 9, BOB)


async def test_retire_hides_from_current_facts_and_restore_brings_it_back(
    editor: KnowledgeEditor, base: KnowledgeBase
) -> None:
    fact = first_fact(base)
    retired = await editor.retire_fact(fact.id, "superseded by the deal", ALICE)
    assert retired.knowledge.facts[fact.id].retired == "superseded by the deal"
    assert fact.id not in {f.id for f in retired.knowledge.current_facts()}
    with pytest.raises(EditRejected, match="already retired"):
        await editor.retire_fact(fact.id, "again", ALICE)
    with pytest.raises(EditRejected, match="reason is required"):
        await editor.retire_fact(next(iter(list(base.facts)[1:])), " ", ALICE)
    restored = await editor.restore_fact(fact.id, BOB)
    assert fact in restored.knowledge.current_facts()


async def test_ids_and_structure_are_checked(editor: KnowledgeEditor, base: KnowledgeBase) -> None:
    with pytest.raises(EditRejected, match="already in use"):
        await editor.add_fact(replace(new_fact(base), id=first_fact(base).id), ALICE)
    with pytest.raises(EditRejected, match="bad id"):
        await editor.add_fact(replace(new_fact(base), id="Has Spaces"), ALICE)
    with pytest.raises(EditRejected, match="no citation"):
        await editor.add_fact(replace(new_fact(base), citations=()), ALICE)
    with pytest.raises(EditRejected, match="no fact with id"):
        await editor.edit_fact("missing", ALICE, answer="x")
    with pytest.raises(EditRejected, match="nothing would change"):
        await editor.edit_fact(first_fact(base).id, ALICE, answer=first_fact(base).answer)


async def test_a_supersedes_loop_is_rejected(editor: KnowledgeEditor, base: KnowledgeBase) -> None:
    older = first_fact(base)
    await editor.add_fact(replace(new_fact(base), supersedes=(older.id,)), ALICE)
    with pytest.raises(EditRejected, match="loops back"):
        await editor.edit_fact(older.id, ALICE, supersedes=["moderator-new-fact"])


async def test_a_new_source_can_be_quoted_at_once(
    editor: KnowledgeEditor, base: KnowledgeBase
) -> None:
    source = Source(id="new-article", text="Studios made an offer.\n\nWriters said no.")
    await editor.add_source(source, ALICE)
    fact = replace(new_fact(base), citations=(Citation("new-article", "Writers said no."),))
    result = await editor.add_fact(fact, ALICE)
    assert result.knowledge.sources["new-article"] == source
    with pytest.raises(EditRejected, match="already in use"):
        await editor.add_source(next(iter(base.sources.values())), ALICE)


async def test_end_strike_sets_the_end_date_and_checks_it(
    editor: KnowledgeEditor, base: KnowledgeBase
) -> None:
    strike = next(iter(base.strikes.values()))
    result = await editor.end_strike(strike.id, date(2023, 9, 27), ALICE, guild_id=3)
    assert result.knowledge.strikes[strike.id].end == date(2023, 9, 27)
    with pytest.raises(EditRejected, match="before the start"):
        await editor.end_strike(strike.id, strike.start - timedelta(days=1), ALICE)
    with pytest.raises(EditRejected, match="unknown strike"):
        await editor.end_strike("no-strike", date(2023, 9, 27), ALICE)
    (entry,) = await editor.audit.recent(action="strike.end")
    assert (entry.guild_id, entry.details) == (3, "end None -> 2023-09-27")
