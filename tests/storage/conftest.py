"""A real SQLite file per test, opened the way the bot opens it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import aiosqlite
import pytest

from bot.storage.database import open_database


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    connection = await open_database(tmp_path / "strikebot.sqlite3")
    try:
        yield connection
    finally:
        await connection.close()


async def count_rows(db: aiosqlite.Connection, table: str) -> int:
    """Rows in a table, to prove what was (not) written."""
    async with db.execute(f"SELECT COUNT(*) FROM {table}") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    return int(row[0])
