"""Moderators' changes to the fact base: the one API `/fact`, `/source`, `/strike` call.

Every operation validates its result against the current effective base with the same
rules `kb check` applies (`fact_problems`: verbatim quotes, known sources...), and
either raises `EditRejected` with the reasons, writing nothing, or writes the change and
its audit entry in one transaction and returns the new effective base, which callers
swap in so the next question sees it without a restart.

History is append-only: retire, restore and revert each add a revision. The first
moderator change to a YAML fact first records the YAML state as revision 1 (`base`),
so history starts from the committed text and a revert can return to it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

import aiosqlite

from bot.fact_input import (
    ID_HINT,
    RECORD_ID,
    EditRejected,
    normalised_fact,
    rejection,
    structure_problems,
    supersede_loop,
)
from bot.knowledge.model import Citation, Fact, KnowledgeBase, Source
from bot.knowledge.overlay import effective_knowledge
from bot.knowledge.validation import fact_problems
from bot.storage.actor import YAML_ACTOR, Actor
from bot.storage.audit_log import AuditLog
from bot.storage.fact_revisions import FactRevisionStore, Revision, RevisionAction, field_changes
from bot.storage.sources_store import SourceStore
from bot.storage.strike_overrides import StrikeOverrideStore
from bot.storage.timestamps import utc_now
from bot.storage.transactions import transaction


@dataclass(frozen=True, slots=True)
class EditResult:
    """What a successful change produced: the new effective base and, for facts, the revision."""

    knowledge: KnowledgeBase
    revision: Revision | None = None


async def load_effective_knowledge(db: aiosqlite.Connection, base: KnowledgeBase) -> KnowledgeBase:
    """The YAML base with everything moderators stored applied (see `overlay`)."""
    return effective_knowledge(
        base,
        await FactRevisionStore(db).latest_states(),
        await SourceStore(db).all(),
        await StrikeOverrideStore(db).ends(),
    )


def _existing(knowledge: KnowledgeBase, fact_id: str) -> Fact:
    fact = knowledge.facts.get(fact_id)
    if fact is None:
        raise rejection(f"fact {fact_id}", f"no fact with id {fact_id!r}", "check the id")
    return fact


def _describe(changes: Iterable[str]) -> str:
    names = list(changes)
    return "changed: " + ", ".join(names) if names else "no field changed"


class KnowledgeEditor:
    """Applies moderators' changes to the fact base stored in one SQLite database.

    `base` is the YAML fact base; call `replace_base` after a reload. `on_change`, when
    given, receives every new effective base (e.g. to rebuild the answer engine).
    """

    def __init__(
        self,
        db: aiosqlite.Connection,
        base: KnowledgeBase,
        *,
        on_change: Callable[[KnowledgeBase], None] | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._db = db
        self._base = base
        self._on_change = on_change
        self._clock = clock
        self.revisions = FactRevisionStore(db)
        self.sources = SourceStore(db)
        self.strike_overrides = StrikeOverrideStore(db)
        self.audit = AuditLog(db)

    @property
    def base(self) -> KnowledgeBase:
        """The YAML fact base the database's changes are laid on."""
        return self._base

    def replace_base(self, base: KnowledgeBase) -> None:
        """Use a newly loaded YAML base; moderators' revisions still win (see overlay)."""
        self._base = base

    async def knowledge(self) -> KnowledgeBase:
        """The current effective fact base."""
        return await load_effective_knowledge(self._db, self._base)

    async def current_fact(self, fact_id: str) -> Fact | None:
        """A fact as it stands now (retired ones included), for `/fact show` and prefills."""
        return (await self.knowledge()).facts.get(fact_id)

    async def history(self, fact_id: str) -> list[Revision]:
        """Every revision of a fact with who, when and what changed (empty: YAML only)."""
        return await self.revisions.history(fact_id)

    async def add_fact(
        self, fact: Fact, actor: Actor, *, reason: str | None = None, guild_id: int | None = None
    ) -> EditResult:
        """Add a new fact; its id must not be in use (retired facts keep theirs)."""
        new = normalised_fact(replace(fact, retired=None))

        def build(current: KnowledgeBase) -> Fact:
            if new.id in current.facts:
                raise rejection(
                    f"fact {new.id}", f"fact id {new.id!r} is already in use", "pick another id"
                )
            return new

        return await self._write_fact(new.id, build, "add", actor, reason, guild_id)

    async def edit_fact(
        self,
        fact_id: str,
        actor: Actor,
        *,
        questions: Iterable[str] | None = None,
        answer: str | None = None,
        citations: Iterable[Citation] | None = None,
        as_of: date | None = None,
        tags: Iterable[str] | None = None,
        supersedes: Iterable[str] | None = None,
        strikes: Iterable[str] | None = None,
        reason: str | None = None,
        guild_id: int | None = None,
    ) -> EditResult:
        """Change the given fields of a fact; fields left as None keep their value."""
        given = {
            "questions": tuple(questions) if questions is not None else None,
            "answer": answer,
            "citations": tuple(citations) if citations is not None else None,
            "as_of": as_of,
            "tags": tuple(tags) if tags is not None else None,
            "supersedes": tuple(supersedes) if supersedes is not None else None,
            "strikes": tuple(strikes) if strikes is not None else None,
        }
        changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}

        def build(current: KnowledgeBase) -> Fact:
            old = _existing(current, fact_id)
            new = normalised_fact(replace(old, **changes))
            if not field_changes(old, new):
                raise rejection(
                    f"fact {fact_id}", "nothing would change", "edit at least one field"
                )
            return new

        return await self._write_fact(fact_id, build, "edit", actor, reason, guild_id)

    async def retire_fact(
        self, fact_id: str, reason: str, actor: Actor, *, guild_id: int | None = None
    ) -> EditResult:
        """Withdraw a fact from answers, keeping it for history and restore."""

        def build(current: KnowledgeBase) -> Fact:
            old = _existing(current, fact_id)
            if not reason.strip():
                raise rejection(f"fact {fact_id}", "a reason is required", "say why", "retired")
            if not old.active:
                raise rejection(f"fact {fact_id}", f"already retired: {old.retired}")
            return normalised_fact(replace(old, retired=reason))

        return await self._write_fact(fact_id, build, "retire", actor, reason, guild_id)

    async def restore_fact(
        self,
        fact_id: str,
        actor: Actor,
        *,
        reason: str | None = None,
        guild_id: int | None = None,
    ) -> EditResult:
        """Bring a retired fact back into answers."""

        def build(current: KnowledgeBase) -> Fact:
            old = _existing(current, fact_id)
            if old.active:
                raise rejection(f"fact {fact_id}", "the fact is not retired")
            return normalised_fact(replace(old, retired=None))

        return await self._write_fact(fact_id, build, "restore", actor, reason, guild_id)

    async def revert_fact(
        self,
        fact_id: str,
        to_revision: int,
        actor: Actor,
        *,
        reason: str | None = None,
        guild_id: int | None = None,
    ) -> EditResult:
        """Make an earlier revision current again, as a new revision (history is kept)."""
        target = await self.revisions.revision(fact_id, to_revision)

        def build(current: KnowledgeBase) -> Fact:
            old = _existing(current, fact_id)
            if target is None:
                raise rejection(
                    f"fact {fact_id}",
                    f"no revision {to_revision}",
                    "see /fact history for the revision numbers",
                )
            new = normalised_fact(target.fact)
            if not field_changes(old, new):
                raise rejection(f"fact {fact_id}", f"revision {to_revision} is already current")
            return new

        return await self._write_fact(
            fact_id, build, "revert", actor, reason, guild_id, reverted_to=to_revision
        )

    async def add_source(
        self, source: Source, actor: Actor, *, guild_id: int | None = None
    ) -> EditResult:
        """Add a new article that facts can quote; its id must be new."""
        new = replace(source, id=source.id.strip(), text=source.text.strip())
        target = f"source {new.id}"
        async with transaction(self._db):
            current = await self.knowledge()
            if not RECORD_ID.match(new.id):
                raise rejection(target, f"bad id {new.id!r}", ID_HINT, "id")
            if new.id in current.sources:
                raise rejection(target, f"source id {new.id!r} is already in use", "pick another")
            if not new.text:
                raise rejection(target, "the article text is empty", "attach the text", "text")
            await self.sources.add(new, actor, at=self._clock())
            details = f"{len(new.paragraphs)} paragraphs; {new.outlet or 'outlet unknown'}"
            await self._audit("source.add", actor, f"source:{new.id}", details, guild_id)
        return await self._changed()

    async def end_strike(
        self, strike_id: str, end_date: date, actor: Actor, *, guild_id: int | None = None
    ) -> EditResult:
        """Record the day a strike ended (or correct it)."""
        target = f"strike {strike_id}"
        async with transaction(self._db):
            strike = (await self.knowledge()).strikes.get(strike_id)
            if strike is None:
                known = ", ".join(sorted(self._base.strikes))
                raise rejection(target, f"unknown strike {strike_id!r}", f"use one of: {known}")
            if end_date < strike.start:
                raise rejection(target, f"end {end_date} is before the start {strike.start}")
            await self.strike_overrides.set_end(strike_id, end_date, actor, at=self._clock())
            details = f"end {strike.end} -> {end_date}"
            await self._audit("strike.end", actor, f"strike:{strike_id}", details, guild_id)
        return await self._changed()

    async def _write_fact(
        self,
        fact_id: str,
        build: Callable[[KnowledgeBase], Fact],
        action: RevisionAction,
        actor: Actor,
        reason: str | None,
        guild_id: int | None,
        *,
        reverted_to: int | None = None,
    ) -> EditResult:
        """Build the new state from the base as it stands inside the transaction, check
        it, then write the revision (after the YAML `base` one, the first time) and the
        audit entry together."""
        async with transaction(self._db):
            current = await self.knowledge()
            new = build(current)
            candidate = current.with_facts([new])
            problems = [
                *structure_problems(new),
                *fact_problems(new, candidate),
                *supersede_loop(new, candidate),
            ]
            if problems:
                raise EditRejected(problems)
            moment = self._clock()
            yaml_fact = self._base.facts.get(fact_id)
            if yaml_fact is not None and await self.revisions.latest_number(fact_id) == 0:
                await self.revisions.record(yaml_fact, "base", YAML_ACTOR, at=moment)
            revision = await self.revisions.record(
                new, action, actor, reason, reverted_to=reverted_to, at=moment
            )
            details = _describe(c.field for c in field_changes(current.facts.get(fact_id), new))
            if reverted_to is not None:
                details = f"to revision {reverted_to}; {details}"
            if reason:
                details = f"{details}; reason: {reason}"
            await self._audit(f"fact.{action}", actor, f"fact:{fact_id}", details, guild_id)
        result = await self._changed()
        return replace(result, revision=revision)

    async def _audit(
        self, action: str, actor: Actor, target: str, details: str, guild_id: int | None
    ) -> None:
        await self.audit.record(
            action, actor, target=target, details=details, guild_id=guild_id, at=self._clock()
        )

    async def _changed(self) -> EditResult:
        knowledge = await self.knowledge()
        if self._on_change is not None:
            self._on_change(knowledge)
        return EditResult(knowledge)
