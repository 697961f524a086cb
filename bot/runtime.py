"""Everything the running bot needs, assembled once and handed to the Discord client.

`strikebot run` (and the tests) build one `Runtime` with `Runtime.open(settings)`, give it
to `StrikeBot`, and `close()` it at the end. There is no global bot instance: cogs reach
the runtime as `bot.runtime`.
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from bot.config import Settings
from bot.health import Metrics
from bot.knowledge.model import KnowledgeBase
from bot.knowledge_editing import load_effective_knowledge
from bot.knowledge_service import KnowledgeService, Overlay
from bot.storage.audit_log import AuditLog
from bot.storage.database import open_database
from bot.storage.fact_revisions import FactRevisionStore
from bot.storage.guild_settings import GuildSettingsStore
from bot.storage.sources_store import SourceStore
from bot.storage.strike_overrides import StrikeOverrideStore
from bot.storage.unanswered import UnansweredStore
from bot.storage.votes import VoteStore

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real current time, aware, in UTC."""
    return datetime.now(UTC)


def make_clock(clock_override: datetime | None) -> Clock:
    """The real clock, or (testing) one that starts at `clock_override` and then runs.

    The fake clock advances with real elapsed time so timers, cooldowns and schedules
    behave as in production, just shifted to the moment a test wants to see.
    """
    if clock_override is None:
        return system_clock
    started = time.monotonic()
    start_at = clock_override

    def shifted() -> datetime:
        return start_at + timedelta(seconds=time.monotonic() - started)

    return shifted


@dataclass(frozen=True)
class Stores:
    """One repository per table family, all on the runtime's single connection."""

    guild_settings: GuildSettingsStore
    votes: VoteStore
    unanswered: UnansweredStore
    audit: AuditLog
    fact_revisions: FactRevisionStore
    sources: SourceStore
    strike_overrides: StrikeOverrideStore

    @classmethod
    def on(cls, db: aiosqlite.Connection) -> Stores:
        """Every store over one connection."""
        return cls(
            guild_settings=GuildSettingsStore(db),
            votes=VoteStore(db),
            unanswered=UnansweredStore(db),
            audit=AuditLog(db),
            fact_revisions=FactRevisionStore(db),
            sources=SourceStore(db),
            strike_overrides=StrikeOverrideStore(db),
        )


def storage_overlay(db: aiosqlite.Connection) -> Overlay:
    """The KnowledgeService overlay: the YAML base plus moderators' stored changes."""

    async def overlay(base: KnowledgeBase) -> KnowledgeBase:
        return await load_effective_knowledge(db, base)

    return overlay


@dataclass
class Runtime:
    """The settings, database, knowledge, stores, metrics and clock of one bot process."""

    settings: Settings
    db: aiosqlite.Connection
    knowledge: KnowledgeService
    stores: Stores
    metrics: Metrics
    clock: Clock
    # Callbacks run (newest first) by close(), e.g. the announcement scheduler's stop.
    _closers: list[Callable[[], object]] = field(default_factory=list, repr=False)
    _closed: bool = field(default=False, repr=False)

    @classmethod
    async def open(
        cls,
        settings: Settings,
        *,
        metrics: Metrics | None = None,
        clock: Clock | None = None,
    ) -> Runtime:
        """Open the database (migrating it) and load the knowledge; raises KnowledgeError.

        On any failure the database is closed again, so a refused start leaks nothing.
        """
        db = await open_database(settings.db_path)
        try:
            stores = Stores.on(db)
            chosen_clock = clock or make_clock(settings.clock_override)
            knowledge = KnowledgeService(
                settings.knowledge_dir,
                overlay=storage_overlay(db),
                clock=chosen_clock,
            )
            await knowledge.start()
        except BaseException:
            await db.close()
            raise
        runtime = cls(settings, db, knowledge, stores, metrics or Metrics(), chosen_clock)
        runtime.metrics.set_facts_loaded(len(knowledge.snapshot.knowledge.facts))
        return runtime

    def now(self) -> datetime:
        """The current instant by the runtime's clock (fake in tests)."""
        return self.clock()

    def today(self) -> date:
        """Today's date where the strike is: the configured zone, else the first strike's."""
        return self.now().astimezone(self.local_zone()).date()

    def local_zone(self) -> ZoneInfo:
        """The zone that decides 'today' for answers: settings, first strike, or UTC."""
        if self.settings.timezone is not None:
            return self.settings.timezone
        strikes = self.knowledge.snapshot.knowledge.strikes if self.knowledge.loaded else {}
        if strikes:
            return strikes[min(strikes)].zone
        return ZoneInfo("UTC")

    def on_close(self, closer: Callable[[], object]) -> None:
        """Register something to stop when the runtime closes (sync or async callable)."""
        self._closers.append(closer)

    async def close(self) -> None:
        """Stop registered services, then close the database; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for closer in reversed(self._closers):
            try:
                result = closer()
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("a service failed to stop cleanly")
        await self.db.close()
