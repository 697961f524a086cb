"""The append-only fact history on a real SQLite file."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import aiosqlite

from bot.knowledge.model import Citation, Fact
from bot.storage.actor import Actor
from bot.storage.fact_revisions import FactRevisionStore
from tests.storage.conftest import count_rows

ALICE = Actor(1001, "Alice")
BOB = Actor(1002, "Bob")
T0 = datetime(2023, 8, 10, 9, 0, tzinfo=UTC)

FACT = Fact(
    id="talks-resume",
    questions=("when do talks resume?", "are they negotiating again?"),
    answer="Talks resumed on Friday.",
    citations=(Citation("wire", "talks resumed"), Citation("thr", "met on Friday")),
    as_of=date(2023, 8, 11),
    tags=("talks", "negotiations"),
    supersedes=("talks-stalled",),
    strikes=("wga-2023",),
)


async def test_a_recorded_fact_reads_back_identical(db: aiosqlite.Connection) -> None:
    store = FactRevisionStore(db)
    revision = await store.record(FACT, "add", ALICE, "new article", at=T0)
    assert revision.number == 1
    stored = await store.revision(FACT.id, 1)
    assert stored is not None
    assert stored.fact == FACT
    assert (stored.actor, stored.at, stored.reason, stored.action) == (
        ALICE,
        T0,
        "new article",
        "add",
    )
    assert await count_rows(db, "fact_revision_citations") == 2


async def test_history_says_who_when_and_what_changed(db: aiosqlite.Connection) -> None:
    store = FactRevisionStore(db)
    await store.record(FACT, "add", ALICE, at=T0)
    edited = replace(FACT, answer="Talks resumed on Friday, August 11.", tags=("talks",))
    await store.record(edited, "edit", BOB, "more precise", at=T0 + timedelta(hours=1))
    retired = replace(edited, retired="superseded by the deal")
    await store.record(retired, "retire", ALICE, at=T0 + timedelta(hours=2))

    history = await store.history(FACT.id)
    assert [(r.number, r.action, r.actor.name) for r in history] == [
        (1, "add", "Alice"),
        (2, "edit", "Bob"),
        (3, "retire", "Alice"),
    ]
    assert history[1].at == T0 + timedelta(hours=1)
    assert [c.field for c in history[1].changes] == ["answer", "tags"]
    assert history[1].changes[0].before == FACT.answer
    assert history[1].changes[0].after == edited.answer
    assert [(c.field, c.after) for c in history[2].changes] == [
        ("retired", "superseded by the deal")
    ]
    assert {c.field for c in history[0].changes} >= {"questions", "answer", "citations"}


async def test_latest_states_hold_the_newest_revision_of_each_fact(
    db: aiosqlite.Connection,
) -> None:
    store = FactRevisionStore(db)
    other = replace(FACT, id="other", supersedes=())
    await store.record(FACT, "add", ALICE, at=T0)
    await store.record(other, "add", ALICE, at=T0)
    newer = replace(FACT, questions=("are talks back on?",))
    await store.record(newer, "edit", BOB, at=T0 + timedelta(minutes=5))
    states = {f.id: f for f in await store.latest_states()}
    assert states == {"talks-resume": newer, "other": other}
    assert await store.latest_number("talks-resume") == 2
    assert await store.latest_number("missing") == 0


async def test_changed_since_lists_moderator_changes_not_base_rows(
    db: aiosqlite.Connection,
) -> None:
    store = FactRevisionStore(db)
    await store.record(FACT, "base", Actor(None, "yaml"), at=T0)
    await store.record(replace(FACT, answer="New."), "edit", BOB, at=T0 + timedelta(hours=1))
    await store.record(replace(FACT, id="x"), "add", BOB, at=T0 - timedelta(days=1))
    changes = await store.changed_since(T0 - timedelta(minutes=1))
    assert [(c.fact_id, c.number, c.action) for c in changes] == [("talks-resume", 2, "edit")]


async def test_a_revert_row_names_the_revision_it_restored(db: aiosqlite.Connection) -> None:
    store = FactRevisionStore(db)
    await store.record(FACT, "add", ALICE, at=T0)
    await store.record(replace(FACT, answer="Wrong."), "edit", BOB, at=T0)
    await store.record(FACT, "revert", ALICE, reverted_to=1, at=T0)
    history = await store.history(FACT.id)
    assert history[-1].reverted_to == 1
    assert history[-1].fact == history[0].fact
