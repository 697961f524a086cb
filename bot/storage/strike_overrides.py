"""End dates moderators set with `/strike end`, applied over `strikes.yaml`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from bot.storage.actor import Actor
from bot.storage.timestamps import from_db_date, from_db_time, to_db_time, utc_now
from bot.storage.transactions import transaction


@dataclass(frozen=True, slots=True)
class StrikeOverride:
    """A strike's end date as last set by a moderator, with who set it and when."""

    strike_id: str
    end: date
    actor: Actor
    at: datetime


class StrikeOverrideStore:
    """The `strike_overrides` table: one current end date per strike."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def set_end(
        self, strike_id: str, end: date, actor: Actor, *, at: datetime | None = None
    ) -> StrikeOverride:
        """Set (or correct) a strike's end date; the audit log keeps earlier values."""
        moment = at or utc_now()
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO strike_overrides (strike_id, end_date, set_by_id, set_by_name,"
                " set_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (strike_id) DO UPDATE SET"
                " end_date = excluded.end_date, set_by_id = excluded.set_by_id,"
                " set_by_name = excluded.set_by_name, set_at = excluded.set_at",
                (strike_id, end.isoformat(), actor.id, actor.name, to_db_time(moment)),
            )
        return StrikeOverride(strike_id, end, actor, moment)

    async def all(self) -> list[StrikeOverride]:
        """Every override, by strike id."""
        async with self._db.execute(
            "SELECT strike_id, end_date, set_by_id, set_by_name, set_at"
            " FROM strike_overrides ORDER BY strike_id"
        ) as cursor:
            rows = await cursor.fetchall()
        result = []
        for row in rows:
            end = from_db_date(row[1])
            assert end is not None  # NOT NULL column
            result.append(StrikeOverride(row[0], end, Actor(row[2], row[3]), from_db_time(row[4])))
        return result

    async def ends(self) -> dict[str, date]:
        """Strike id -> end date, the shape `effective_knowledge` takes."""
        return {o.strike_id: o.end for o in await self.all()}
