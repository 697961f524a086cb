"""Opening, migrating and transactions on a real SQLite file."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import aiosqlite
import pytest

from bot.storage.actor import Actor
from bot.storage.audit_log import AuditLog
from bot.storage.database import Migration, bundled_migrations, migrate, open_database
from bot.storage.transactions import transaction
from tests.storage.conftest import count_rows

MOD = Actor(42, "mod")


async def test_wal_and_foreign_keys_are_on(db: aiosqlite.Connection) -> None:
    async with db.execute("PRAGMA journal_mode") as cursor:
        assert (await cursor.fetchone())[0] == "wal"
    async with db.execute("PRAGMA foreign_keys") as cursor:
        assert (await cursor.fetchone())[0] == 1


async def test_foreign_keys_are_enforced(db: aiosqlite.Connection) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        async with transaction(db):
            await db.execute("INSERT INTO ask_channels (guild_id, channel_id) VALUES (1, 2)")


async def test_failed_transaction_writes_nothing(db: aiosqlite.Connection) -> None:
    log = AuditLog(db)
    with pytest.raises(RuntimeError):
        async with transaction(db):
            await log.record("fact.edit", MOD, target="fact:a")
            await log.record("fact.edit", MOD, target="fact:b")
            raise RuntimeError("boom")
    assert await count_rows(db, "audit_log") == 0
    await log.record("fact.edit", MOD, target="fact:c")
    assert await count_rows(db, "audit_log") == 1


async def test_concurrent_writers_do_not_share_a_transaction(db: aiosqlite.Connection) -> None:
    log = AuditLog(db)

    async def failing() -> None:
        async with transaction(db):
            await log.record("a", MOD)
            await asyncio.sleep(0.01)
            raise RuntimeError("roll me back")

    async def succeeding() -> None:
        await asyncio.sleep(0)
        await log.record("b", MOD)

    results = await asyncio.gather(failing(), succeeding(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert [e.action for e in await log.recent()] == ["b"]


async def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    first = await open_database(path)
    await first.close()
    second = await open_database(path)
    try:
        assert await migrate(second) == []
    finally:
        await second.close()


async def test_an_older_database_is_migrated_and_keeps_its_data(tmp_path: Path) -> None:
    """A file made by an older version (only 0001) gains later migrations, data intact."""
    path = tmp_path / "old.sqlite3"
    older = [m for m in bundled_migrations() if m.version == 1]
    db = await aiosqlite.connect(path)
    await migrate(db, older)
    at = datetime(2023, 8, 1, 12, tzinfo=UTC)
    await AuditLog(db).record("fact.edit", MOD, target="fact:x", details="old row", at=at)
    await db.close()

    newer = Migration(
        9999, "9999_test_notes.sql", "CREATE TABLE test_notes (id INTEGER PRIMARY KEY);"
    )
    db = await aiosqlite.connect(path)
    try:
        assert await migrate(db, [*bundled_migrations(), newer]) == [
            m.version for m in bundled_migrations() if m.version != 1
        ] + [9999]
        entries = await AuditLog(db).recent()
        assert [(e.target, e.details, e.at) for e in entries] == [("fact:x", "old row", at)]
        assert await count_rows(db, "test_notes") == 0
    finally:
        await db.close()

    reopened = await open_database(path)
    try:
        assert len(await AuditLog(reopened).recent()) == 1
    finally:
        await reopened.close()


async def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    db = await open_database(path)
    await AuditLog(db).record("kept", MOD)
    broken_sql = "CREATE TABLE t (x); INSERT INTO nowhere VALUES (1);"
    broken = Migration(9998, "9998_broken.sql", broken_sql)
    with pytest.raises(sqlite3.OperationalError):
        await migrate(db, [*bundled_migrations(), broken])
    await db.rollback()
    async with db.execute("SELECT name FROM sqlite_master WHERE name = 't'") as cursor:
        assert await cursor.fetchone() is None
    assert await count_rows(db, "audit_log") == 1
    await db.close()
