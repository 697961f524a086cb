"""The audit trail: who changed what, when, in which guild.

Written in the same transaction as the change it describes, so the log never claims a
change that did not happen nor misses one that did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from bot.storage.actor import Actor
from bot.storage.timestamps import from_db_time, to_db_time, utc_now
from bot.storage.transactions import transaction

# /audit-style listings show a page at a time; more than this is never useful at once.
DEFAULT_AUDIT_LIMIT = 50


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One audited action. `target` names the thing acted on (e.g. "fact:pay-1")."""

    id: int
    at: datetime
    guild_id: int | None
    actor: Actor
    action: str
    target: str
    details: str


class AuditLog:
    """The `audit_log` table."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def record(
        self,
        action: str,
        actor: Actor,
        *,
        target: str = "",
        details: str = "",
        guild_id: int | None = None,
        at: datetime | None = None,
    ) -> AuditEntry:
        """Append an entry (joining the caller's transaction when there is one)."""
        moment = at or utc_now()
        async with transaction(self._db) as db:
            cursor = await db.execute(
                "INSERT INTO audit_log (at, guild_id, actor_id, actor_name, action, target,"
                " details) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (to_db_time(moment), guild_id, actor.id, actor.name, action, target, details),
            )
            entry_id = cursor.lastrowid
        assert entry_id is not None
        return AuditEntry(entry_id, moment, guild_id, actor, action, target, details)

    async def recent(
        self,
        *,
        limit: int = DEFAULT_AUDIT_LIMIT,
        guild_id: int | None = None,
        target: str | None = None,
        action: str | None = None,
    ) -> list[AuditEntry]:
        """Newest entries first, optionally only one guild's, target's or action's."""
        where: list[str] = ["1 = 1"]
        params: list[object] = []
        for column, value in (("guild_id", guild_id), ("target", target), ("action", action)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        async with self._db.execute(
            "SELECT id, at, guild_id, actor_id, actor_name, action, target, details"
            f" FROM audit_log WHERE {' AND '.join(where)} ORDER BY at DESC, id DESC LIMIT ?",
            (*params, limit),
        ) as cursor:
            rows = await cursor.fetchall()
        return [
            AuditEntry(r[0], from_db_time(r[1]), r[2], Actor(r[3], r[4]), r[5], r[6], r[7])
            for r in rows
        ]
