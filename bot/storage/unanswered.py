"""Questions the bot could not answer, kept for a while so `/facts gaps` can show them.

Stored without any user id: text, where and when is all moderators need to see which
facts are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import aiosqlite

from bot.storage.timestamps import from_db_time, to_db_time, utc_now
from bot.storage.transactions import transaction

# The default retention; `STRIKEBOT_GAPS_RETENTION_DAYS` configures it.
DEFAULT_RETENTION_DAYS = 90
# Longer texts are not questions a fact could answer; cut them so one paste cannot
# bloat the table (a slash-command option can hold 6,000 characters).
MAX_STORED_CHARS = 500


@dataclass(frozen=True, slots=True)
class UnansweredQuestion:
    """One question no fact answered."""

    id: int
    text: str
    guild_id: int | None
    channel_id: int | None
    asked_at: datetime


class UnansweredStore:
    """The `unanswered_questions` table."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def record(
        self,
        text: str,
        *,
        guild_id: int | None = None,
        channel_id: int | None = None,
        at: datetime | None = None,
    ) -> None:
        """Keep an unanswered question (blank texts are ignored)."""
        cleaned = " ".join(text.split())[:MAX_STORED_CHARS]
        if not cleaned:
            return
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO unanswered_questions (text, guild_id, channel_id, asked_at)"
                " VALUES (?, ?, ?, ?)",
                (cleaned, guild_id, channel_id, to_db_time(at or utc_now())),
            )

    async def expire(
        self, older_than_days: int = DEFAULT_RETENTION_DAYS, *, now: datetime | None = None
    ) -> int:
        """Delete entries older than the retention period; returns how many went."""
        if older_than_days < 1:
            raise ValueError("retention must be at least one day")
        cutoff = (now or utc_now()) - timedelta(days=older_than_days)
        async with transaction(self._db) as db:
            cursor = await db.execute(
                "DELETE FROM unanswered_questions WHERE asked_at < ?", (to_db_time(cutoff),)
            )
            return cursor.rowcount

    async def recent(
        self,
        *,
        since: datetime | None = None,
        guild_id: int | None = None,
        limit: int | None = None,
    ) -> list[UnansweredQuestion]:
        """Stored questions, newest first, optionally one guild's or after `since`."""
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        if since is not None:
            where.append("asked_at >= ?")
            params.append(to_db_time(since))
        if guild_id is not None:
            where.append("guild_id = ?")
            params.append(guild_id)
        async with self._db.execute(
            "SELECT id, text, guild_id, channel_id, asked_at FROM unanswered_questions"
            f" WHERE {' AND '.join(where)} ORDER BY asked_at DESC, id DESC LIMIT ?",
            (*params, -1 if limit is None else limit),
        ) as cursor:
            rows = await cursor.fetchall()
        return [UnansweredQuestion(r[0], r[1], r[2], r[3], from_db_time(r[4])) for r in rows]
