"""Helpful / not helpful votes on answers: one per member per answer, changeable.

The voter is stored as sha256("<message_id>:<user_id>") rather than the user id: it
still keeps one vote per member per answer (voting again replaces the vote), but no
column lists which answers a member voted on. It is pseudonymous, not anonymous: anyone
holding both the database and a guild's member list could recompute the keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.timestamps import to_db_time, utc_now
from bot.storage.transactions import transaction


@dataclass(frozen=True, slots=True)
class VoteTally:
    """How many votes said helpful and not helpful."""

    helpful: int = 0
    not_helpful: int = 0

    @property
    def total(self) -> int:
        """All votes cast."""
        return self.helpful + self.not_helpful


def voter_key(message_id: int, voter_id: int) -> str:
    """The stored, per-answer pseudonym of a voter."""
    return hashlib.sha256(f"{message_id}:{voter_id}".encode()).hexdigest()


class VoteStore:
    """The `answer_votes` table."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def cast(
        self,
        message_id: int,
        voter_id: int,
        helpful: bool,
        *,
        fact_id: str | None = None,
        guild_id: int | None = None,
        at: datetime | None = None,
    ) -> VoteTally:
        """Record (or replace) a member's vote on an answer; returns the answer's new tally."""
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO answer_votes (message_id, voter_key, fact_id, guild_id, helpful,"
                " voted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (message_id, voter_key)"
                " DO UPDATE SET helpful = excluded.helpful, voted_at = excluded.voted_at",
                (
                    message_id,
                    voter_key(message_id, voter_id),
                    fact_id,
                    guild_id,
                    int(helpful),
                    to_db_time(at or utc_now()),
                ),
            )
        return await self.tally(message_id)

    async def tally(self, message_id: int) -> VoteTally:
        """Votes on one answer message."""
        async with self._db.execute(
            "SELECT COALESCE(SUM(helpful), 0), COUNT(*) - COALESCE(SUM(helpful), 0)"
            " FROM answer_votes WHERE message_id = ?",
            (message_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return VoteTally(int(row[0]), int(row[1])) if row else VoteTally()

    async def fact_tallies(self) -> dict[str, VoteTally]:
        """Votes per fact across all answers, so moderators see which facts disappoint."""
        async with self._db.execute(
            "SELECT fact_id, SUM(helpful), COUNT(*) - SUM(helpful) FROM answer_votes"
            " WHERE fact_id IS NOT NULL GROUP BY fact_id ORDER BY fact_id"
        ) as cursor:
            rows = await cursor.fetchall()
        return {r[0]: VoteTally(int(r[1]), int(r[2])) for r in rows}
