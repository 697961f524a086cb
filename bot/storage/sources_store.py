"""Articles moderators added with `/source add`, stored beside the YAML sources.

A source is evidence that facts quote verbatim, so it is added once and never edited
in place: changing its text could silently break the quotes that cite it.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import aiosqlite

from bot.knowledge.model import Origin, Source
from bot.storage.actor import Actor
from bot.storage.timestamps import from_db_date, to_db_date, to_db_time, utc_now
from bot.storage.transactions import transaction


def source_origin(source_id: str) -> Origin:
    """Where a database-held source came from, for error messages."""
    return Origin(f"database: source {source_id}")


class SourceStore:
    """The `moderator_sources` table and its ordered authors."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def add(self, source: Source, actor: Actor, *, at: datetime | None = None) -> None:
        """Store a new source; an id already stored raises sqlite3.IntegrityError."""
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO moderator_sources (id, text, outlet, headline, description,"
                " published, published_inferred, published_note, url, added_by_id,"
                " added_by_name, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    source.id,
                    source.text,
                    source.outlet,
                    source.headline,
                    source.description,
                    to_db_date(source.published),
                    int(source.published_inferred),
                    source.published_note,
                    source.url,
                    actor.id,
                    actor.name,
                    to_db_time(at or utc_now()),
                ),
            )
            await db.executemany(
                "INSERT INTO moderator_source_authors (source_id, position, name) VALUES (?, ?, ?)",
                [(source.id, i, name) for i, name in enumerate(source.authors)],
            )

    async def all(self) -> list[Source]:
        """Every moderator-added source, in the order they were added."""
        authors: defaultdict[str, list[str]] = defaultdict(list)
        async with self._db.execute(
            "SELECT source_id, name FROM moderator_source_authors ORDER BY source_id, position"
        ) as cursor:
            async for row in cursor:
                authors[row[0]].append(row[1])
        async with self._db.execute(
            "SELECT id, text, outlet, headline, description, published, published_inferred,"
            " published_note, url FROM moderator_sources ORDER BY added_at, id"
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            Source(
                id=row[0],
                text=row[1],
                outlet=row[2],
                headline=row[3],
                description=row[4],
                authors=tuple(authors.get(row[0], ())),
                published=from_db_date(row[5]),
                published_inferred=bool(row[6]),
                published_note=row[7],
                url=row[8],
                origin=source_origin(row[0]),
            )
            for row in rows
        ]

    async def get(self, source_id: str) -> Source | None:
        """One moderator-added source, or None."""
        return next((s for s in await self.all() if s.id == source_id), None)
