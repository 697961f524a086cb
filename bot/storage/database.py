"""Opening the SQLite file and bringing its schema up to date.

Migrations are numbered SQL files in `migrations/` (`0001_initial.sql`, ...), applied
in order inside one transaction each and recorded in `schema_migrations`, so a feature
adds a file instead of editing a shared list, and an older database is always migrated
forward, never wiped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import aiosqlite

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Writers wait this long for a lock held by another connection instead of failing at once.
BUSY_TIMEOUT_MS = 5000


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema step: its version number, file name and SQL."""

    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The migrations shipped with the package, in version order."""
    found: list[Migration] = []
    for entry in resources.files("bot.storage.migrations").iterdir():
        match = MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError(f"two migrations share a version number: {versions}")
    return found


async def applied_versions(db: aiosqlite.Connection) -> set[int]:
    """Versions already recorded in this database."""
    await db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    async with db.execute("SELECT version FROM schema_migrations") as cursor:
        return {row[0] async for row in cursor}


async def migrate(db: aiosqlite.Connection, migrations: list[Migration] | None = None) -> list[int]:
    """Apply every pending migration, each atomically; returns the versions applied."""
    pending = migrations if migrations is not None else bundled_migrations()
    done = await applied_versions(db)
    await db.commit()
    applied: list[int] = []
    for migration in pending:
        if migration.version in done:
            continue
        # executescript would commit implicitly; wrap the script in our own transaction.
        await db.executescript(
            "BEGIN;\n"
            + migration.sql
            + "\nINSERT INTO schema_migrations (version, name, applied_at) VALUES "
            + f"({migration.version}, '{migration.name}', strftime('%Y-%m-%dT%H:%M:%fZ','now'));"
            + "\nCOMMIT;"
        )
        applied.append(migration.version)
    return applied


async def open_database(path: Path) -> aiosqlite.Connection:
    """Open (creating if needed) the bot's database with WAL, foreign keys and the schema."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = await aiosqlite.connect(path)
    try:
        db.row_factory = aiosqlite.Row
        await db.execute("PRAGMA journal_mode=WAL")
        await db.execute("PRAGMA foreign_keys=ON")
        await db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        await migrate(db)
    except BaseException:
        await db.close()
        raise
    return db
