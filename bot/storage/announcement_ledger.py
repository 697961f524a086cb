"""The announcement ledger: who owns today's post, and what was posted when.

Claim before sending, record the message id after: a restart after posting finds the
row and does not post again, and two processes racing for the same post find that only
one INSERT succeeds. See migration 0002 for the table and its once-a-day index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.announcements.schedule import LedgerSnapshot
from bot.storage.timestamps import from_db_date, from_db_time, to_db_time, utc_now
from bot.storage.transactions import transaction

# A failure reason is for the log and the record, not an essay.
MAX_FAILURE_CHARS = 500


class LedgerError(RuntimeError):
    """A ledger call that does not match the row's state (e.g. posting a released claim)."""


@dataclass(frozen=True, slots=True)
class Claim:
    """Ownership of one post: hold it, then `mark_posted` or `release` it."""

    id: int
    guild_id: int
    strike_id: str
    local_date: date
    channel_id: int
    final: bool = False
    forced: bool = False


@dataclass(frozen=True, slots=True)
class PostedRecord:
    """A post that went out: where, when, and which message it was."""

    guild_id: int
    strike_id: str
    local_date: date
    channel_id: int
    message_id: int
    posted_at: datetime
    final: bool
    forced: bool


_POSTED_COLUMNS = "guild_id, strike_id, local_date, channel_id, message_id, posted_at, kind, forced"


def _posted(row: aiosqlite.Row) -> PostedRecord:
    day = from_db_date(row[2])
    assert day is not None
    return PostedRecord(
        row[0], row[1], day, row[3], row[4], from_db_time(row[5]), row[6] == "final", bool(row[7])
    )


class AnnouncementLedger:
    """Repository for `announcement_ledger` on the bot's shared connection."""

    def __init__(self, db: aiosqlite.Connection, clock: Callable[[], datetime] = utc_now) -> None:
        self._db = db
        self._clock = clock

    async def claim(
        self,
        guild_id: int,
        strike_id: str,
        local_date: date,
        *,
        channel_id: int,
        final: bool = False,
        forced_by: int | None = None,
        forced: bool = False,
    ) -> Claim | None:
        """Take the post for (guild, strike, local date); None if someone already holds it.

        Atomic: the once-a-day unique index decides between concurrent callers, in this
        process or another. A forced claim (a moderator's re-post) always succeeds.
        """
        forced = forced or forced_by is not None
        async with transaction(self._db) as db:
            cursor = await db.execute(
                "INSERT INTO announcement_ledger (guild_id, strike_id, local_date, kind,"
                " status, channel_id, claimed_at, forced, forced_by)"
                " VALUES (?, ?, ?, ?, 'claimed', ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    guild_id,
                    strike_id,
                    local_date.isoformat(),
                    "final" if final else "daily",
                    channel_id,
                    to_db_time(self._clock()),
                    int(forced),
                    forced_by,
                ),
            )
            won = cursor.rowcount == 1
            row_id = cursor.lastrowid
            await cursor.close()
        if not won or row_id is None:
            return None
        return Claim(row_id, guild_id, strike_id, local_date, channel_id, final, forced)

    async def _update_claimed(self, claim: Claim, sql: str, params: tuple[object, ...]) -> None:
        async with transaction(self._db) as db:
            cursor = await db.execute(
                f"UPDATE announcement_ledger SET {sql} WHERE id = ? AND status = 'claimed'",
                (*params, claim.id),
            )
            changed = cursor.rowcount
            await cursor.close()
        if changed != 1:
            raise LedgerError(f"claim {claim.id} is no longer held (posted or released)")

    async def record_failed_attempt(self, claim: Claim, error: str) -> None:
        """Count one failed send of a held claim and keep its error."""
        await self._update_claimed(
            claim, "attempts = attempts + 1, failure = ?", (error[:MAX_FAILURE_CHARS],)
        )

    async def mark_posted(self, claim: Claim, message_id: int) -> None:
        """Record that the claimed post went out as `message_id`."""
        await self._update_claimed(
            claim,
            "status = 'posted', message_id = ?, posted_at = ?",
            (message_id, to_db_time(self._clock())),
        )

    async def release(self, claim: Claim, reason: str) -> None:
        """Give the post up after a final failure, so a later attempt can claim it."""
        await self._update_claimed(
            claim,
            "status = 'failed', released_at = ?, failure = ?",
            (to_db_time(self._clock()), reason[:MAX_FAILURE_CHARS]),
        )

    async def last_posted(self, guild_id: int, strike_id: str) -> PostedRecord | None:
        """The guild's latest post about this strike (forced re-posts included)."""
        async with self._db.execute(
            f"SELECT {_POSTED_COLUMNS} FROM announcement_ledger"
            " WHERE guild_id = ? AND strike_id = ? AND status = 'posted'"
            " ORDER BY local_date DESC, posted_at DESC LIMIT 1",
            (guild_id, strike_id),
        ) as cursor:
            row = await cursor.fetchone()
        return _posted(row) if row is not None else None

    async def last_posted_at(self, guild_id: int) -> datetime | None:
        """When the guild's previous post went out: what's new is counted from here."""
        async with self._db.execute(
            "SELECT MAX(posted_at) FROM announcement_ledger"
            " WHERE guild_id = ? AND status = 'posted'",
            (guild_id,),
        ) as cursor:
            row = await cursor.fetchone()
        return from_db_time(row[0]) if row is not None and row[0] is not None else None

    async def unconfirmed_claims(self) -> list[Claim]:
        """Claims never posted nor released: a process died mid-post (logged at start)."""
        async with self._db.execute(
            "SELECT id, guild_id, strike_id, local_date, channel_id, kind, forced"
            " FROM announcement_ledger WHERE status = 'claimed' ORDER BY id"
        ) as cursor:
            rows = await cursor.fetchall()
        claims = []
        for r in rows:
            day = from_db_date(r[3])
            assert day is not None
            claims.append(Claim(r[0], r[1], r[2], day, r[4], r[5] == "final", bool(r[6])))
        return claims

    async def snapshot(self, since: date) -> LedgerSnapshot:
        """The ledger as the pure schedule reads it; days before `since` are not needed."""
        start = since.isoformat()
        async with self._db.execute(
            "SELECT guild_id, strike_id, local_date FROM announcement_ledger"
            " WHERE forced = 0 AND status IN ('claimed', 'posted') AND local_date >= ?",
            (start,),
        ) as cursor:
            rows = await cursor.fetchall()
        taken = frozenset((r[0], r[1], date.fromisoformat(r[2])) for r in rows)
        async with self._db.execute(
            "SELECT guild_id, strike_id, MAX(local_date) FROM announcement_ledger"
            " WHERE status = 'posted' GROUP BY guild_id, strike_id"
        ) as cursor:
            last = {(r[0], r[1]): date.fromisoformat(r[2]) async for r in cursor}
        async with self._db.execute(
            "SELECT DISTINCT guild_id, strike_id FROM announcement_ledger"
            " WHERE kind = 'final' AND status IN ('claimed', 'posted')"
        ) as cursor:
            finals = frozenset((r[0], r[1]) for r in await cursor.fetchall())
        async with self._db.execute(
            "SELECT guild_id, strike_id, local_date, MAX(released_at) FROM announcement_ledger"
            " WHERE status = 'failed' AND forced = 0 AND local_date >= ?"
            " GROUP BY guild_id, strike_id, local_date",
            (start,),
        ) as cursor:
            failures = {
                (r[0], r[1], date.fromisoformat(r[2])): from_db_time(r[3]) async for r in cursor
            }
        return LedgerSnapshot(taken, last, finals, failures)
