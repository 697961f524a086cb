"""Moderators' fact revisions: an append-only history, one row per change.

Each revision stores the complete resulting fact (lists in child tables, in order), so
the newest revision of a fact is its effective state, any older one can be restored
as-is, and "what changed" is a comparison of two neighbouring rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Literal, get_args

import aiosqlite

from bot.knowledge.model import Citation, Fact, Origin
from bot.storage.actor import Actor
from bot.storage.timestamps import from_db_date, from_db_time, to_db_time, utc_now
from bot.storage.transactions import transaction

RevisionAction = Literal["base", "add", "edit", "retire", "restore", "revert"]
REVISION_ACTIONS: tuple[str, ...] = get_args(RevisionAction)

# Fact fields compared for a revision's "what changed" (origin is where, not what).
COMPARED_FIELDS = tuple(f.name for f in fields(Fact) if f.name not in ("id", "origin"))

# Child tables holding a fact's lists: (Fact field, table, value column).
_LIST_TABLES = (
    ("questions", "fact_revision_questions", "text"),
    ("tags", "fact_revision_tags", "tag"),
    ("supersedes", "fact_revision_supersedes", "superseded_fact_id"),
    ("strikes", "fact_revision_strikes", "strike_id"),
)


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs from the previous revision, with both values."""

    field: str
    before: Any
    after: Any


@dataclass(frozen=True, slots=True)
class Revision:
    """One recorded change: who, when, why, and the fact as it stood afterwards.

    `changes` is filled by `history()` (compared with the previous revision); revision 1
    lists every field as changed from nothing.
    """

    fact_id: str
    number: int
    action: RevisionAction
    actor: Actor
    at: datetime
    reason: str | None
    fact: Fact
    reverted_to: int | None = None
    changes: tuple[FieldChange, ...] = ()


@dataclass(frozen=True, slots=True)
class FactChange:
    """A change worth announcing: which fact, what happened, when."""

    fact_id: str
    number: int
    action: RevisionAction
    at: datetime


def revision_origin(fact_id: str, number: int) -> Origin:
    """Where a database-held fact state came from, for error messages."""
    return Origin(f"database: fact {fact_id} revision {number}")


def field_changes(before: Fact | None, after: Fact) -> tuple[FieldChange, ...]:
    """The compared fields whose values differ between two states of a fact."""
    return tuple(
        FieldChange(name, getattr(before, name) if before else None, getattr(after, name))
        for name in COMPARED_FIELDS
        if before is None or getattr(before, name) != getattr(after, name)
    )


class FactRevisionStore:
    """Reads and appends fact revisions in the `fact_revisions` table family."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def record(
        self,
        fact: Fact,
        action: RevisionAction,
        actor: Actor,
        reason: str | None = None,
        *,
        reverted_to: int | None = None,
        at: datetime | None = None,
    ) -> Revision:
        """Append the fact's new state as its next revision number."""
        if action not in REVISION_ACTIONS:
            raise ValueError(f"unknown revision action {action!r}")
        moment = at or utc_now()
        async with transaction(self._db) as db:
            async with db.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM fact_revisions WHERE fact_id = ?",
                (fact.id,),
            ) as cursor:
                row = await cursor.fetchone()
            number = int(row[0]) if row else 1
            cursor = await db.execute(
                "INSERT INTO fact_revisions (fact_id, number, action, actor_id, actor_name,"
                " created_at, reason, reverted_to, answer, as_of, retired)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    fact.id,
                    number,
                    action,
                    actor.id,
                    actor.name,
                    to_db_time(moment),
                    reason,
                    reverted_to,
                    fact.answer,
                    fact.as_of.isoformat(),
                    fact.retired,
                ),
            )
            revision_id = cursor.lastrowid
            for name, table, column in _LIST_TABLES:
                await db.executemany(
                    f"INSERT INTO {table} (revision_id, position, {column}) VALUES (?, ?, ?)",
                    [(revision_id, i, value) for i, value in enumerate(getattr(fact, name))],
                )
            await db.executemany(
                "INSERT INTO fact_revision_citations (revision_id, position, source_id, quote)"
                " VALUES (?, ?, ?, ?)",
                [(revision_id, i, c.source_id, c.quote) for i, c in enumerate(fact.citations)],
            )
        return Revision(
            fact.id, number, action, actor, moment, reason, fact, reverted_to=reverted_to
        )

    async def history(self, fact_id: str) -> list[Revision]:
        """Every revision of a fact, oldest first, each with what changed from the one before."""
        revisions = await self._load("r.fact_id = ?", (fact_id,))
        result: list[Revision] = []
        previous: Fact | None = None
        for revision in revisions:
            result.append(replace(revision, changes=field_changes(previous, revision.fact)))
            previous = revision.fact
        return result

    async def revision(self, fact_id: str, number: int) -> Revision | None:
        """One revision of a fact, or None when it does not exist."""
        found = await self._load("r.fact_id = ? AND r.number = ?", (fact_id, number))
        return found[0] if found else None

    async def latest_states(self) -> list[Fact]:
        """The newest revision of every fact that has one: moderators' effective facts."""
        revisions = await self._load(
            "r.number = (SELECT MAX(x.number) FROM fact_revisions x WHERE x.fact_id = r.fact_id)",
            (),
        )
        return [r.fact for r in revisions]

    async def latest_number(self, fact_id: str) -> int:
        """The fact's newest revision number, 0 when it has none."""
        async with self._db.execute(
            "SELECT COALESCE(MAX(number), 0) FROM fact_revisions WHERE fact_id = ?", (fact_id,)
        ) as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def changed_since(self, since: datetime) -> list[FactChange]:
        """Moderators' changes after `since`, oldest first (YAML 'base' rows excluded)."""
        async with self._db.execute(
            "SELECT fact_id, number, action, created_at FROM fact_revisions"
            " WHERE created_at > ? AND action != 'base' ORDER BY created_at, id",
            (to_db_time(since),),
        ) as cursor:
            rows = await cursor.fetchall()
        return [FactChange(r[0], r[1], r[2], from_db_time(r[3])) for r in rows]

    async def _load(self, where: str, params: Sequence[object]) -> list[Revision]:
        """Revisions matching a WHERE clause on `fact_revisions r`, with their lists."""
        async with self._db.execute(
            "SELECT r.id, r.fact_id, r.number, r.action, r.actor_id, r.actor_name,"
            " r.created_at, r.reason, r.reverted_to, r.answer, r.as_of, r.retired"
            f" FROM fact_revisions r WHERE {where} ORDER BY r.fact_id, r.number",
            tuple(params),
        ) as cursor:
            rows = list(await cursor.fetchall())
        if not rows:
            return []
        ids = [row[0] for row in rows]
        lists = await self._lists(ids)
        citations = await self._citations(ids)
        revisions = []
        for row in rows:
            rid, fact_id, number = row[0], row[1], row[2]
            as_of = from_db_date(row[10])
            assert as_of is not None  # NOT NULL column
            fact = Fact(
                id=fact_id,
                questions=lists["questions"].get(rid, ()),
                answer=row[9],
                citations=citations.get(rid, ()),
                as_of=as_of,
                tags=lists["tags"].get(rid, ()),
                supersedes=lists["supersedes"].get(rid, ()),
                strikes=lists["strikes"].get(rid, ()),
                retired=row[11],
                origin=revision_origin(fact_id, number),
            )
            revisions.append(
                Revision(
                    fact_id,
                    number,
                    row[3],
                    Actor(row[4], row[5]),
                    from_db_time(row[6]),
                    row[7],
                    fact,
                    reverted_to=row[8],
                )
            )
        return revisions

    async def _lists(self, ids: list[int]) -> dict[str, dict[int, tuple[str, ...]]]:
        result: dict[str, dict[int, tuple[str, ...]]] = {}
        marks = ",".join("?" * len(ids))
        for name, table, column in _LIST_TABLES:
            grouped: defaultdict[int, list[str]] = defaultdict(list)
            async with self._db.execute(
                f"SELECT revision_id, {column} FROM {table}"
                f" WHERE revision_id IN ({marks}) ORDER BY revision_id, position",
                ids,
            ) as cursor:
                async for row in cursor:
                    grouped[row[0]].append(row[1])
            result[name] = {rid: tuple(values) for rid, values in grouped.items()}
        return result

    async def _citations(self, ids: list[int]) -> dict[int, tuple[Citation, ...]]:
        grouped: defaultdict[int, list[Citation]] = defaultdict(list)
        marks = ",".join("?" * len(ids))
        async with self._db.execute(
            "SELECT revision_id, source_id, quote FROM fact_revision_citations"
            f" WHERE revision_id IN ({marks}) ORDER BY revision_id, position",
            ids,
        ) as cursor:
            async for row in cursor:
                grouped[row[0]].append(Citation(row[1], row[2]))
        return {rid: tuple(values) for rid, values in grouped.items()}
