"""The active knowledge and answer engine, replaced atomically and never left broken.

Discord cogs and the console both ask questions through this one object. Loading,
validating and indexing run off the event loop so it keeps serving; the new snapshot
is swapped in only when it is complete and valid, so a broken YAML edit or a failed
reload leaves members answered from the previous knowledge.

A reload parses and validates the YAML in a child process (bot.child_process): seconds
of parsing in a worker thread would contend with the loop for the GIL while members
are asking. The index is built here, because the engine must live in this process: on
the event loop itself, a couple of milliseconds at a time between members' questions
(bot.cooperative), not in a worker thread, whose GIL contention put the loop hundreds of
ms behind; with the cyclic collector paused and what it built frozen (bot.collector).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from bot.answers.engine import AnswerEngine
from bot.answers.model import Answer
from bot.child_process import run_in_child_process
from bot.collector import collector_paused_then_frozen, release_graph_steps
from bot.cooperative import run_cooperatively
from bot.knowledge.issues import KnowledgeError, KnowledgeIssue
from bot.knowledge.loader import load_knowledge, valid_base_or_issues
from bot.knowledge.model import KnowledgeBase

log = logging.getLogger(__name__)

# Applies moderators' stored revisions on top of the YAML base (storage provides it).
Overlay = Callable[[KnowledgeBase], Awaitable[KnowledgeBase]]


async def _no_overlay(base: KnowledgeBase) -> KnowledgeBase:
    return base


@dataclass(frozen=True)
class KnowledgeSnapshot:
    """One consistent pair of knowledge and the engine indexed from it."""

    knowledge: KnowledgeBase
    engine: AnswerEngine
    loaded_at: datetime


@dataclass(frozen=True)
class ReloadOutcome:
    """What a reload did; on failure `issues` lists every problem with file and line."""

    ok: bool
    issues: tuple[KnowledgeIssue, ...]
    snapshot: KnowledgeSnapshot


async def _read_base_in_child(directory: Path) -> KnowledgeBase:
    result = await run_in_child_process(valid_base_or_issues, directory)
    if result.issues:
        raise KnowledgeError(result.issues)
    return result.knowledge


class KnowledgeService:
    """Owns the current snapshot; everything that answers reads `snapshot`."""

    def __init__(
        self,
        knowledge_dir: Path,
        overlay: Overlay = _no_overlay,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._dir = knowledge_dir
        self._overlay = overlay
        self._clock = clock
        self._snapshot: KnowledgeSnapshot | None = None
        # The last YAML base that validated; moderator changes rebuild on top of it, so a
        # half-edited file on disk never blocks them.
        self._base: KnowledgeBase | None = None
        # One rebuild at a time, so two quick moderator edits cannot swap out of order.
        self._rebuild_lock = asyncio.Lock()

    @property
    def snapshot(self) -> KnowledgeSnapshot:
        """The active snapshot; raises if `start()` has not succeeded."""
        if self._snapshot is None:
            raise RuntimeError("knowledge not loaded yet: await KnowledgeService.start()")
        return self._snapshot

    @property
    def loaded(self) -> bool:
        """Whether answers can be given (for the health check)."""
        return self._snapshot is not None

    async def _build(self, base: KnowledgeBase) -> KnowledgeSnapshot:
        effective = await self._overlay(base)
        with collector_paused_then_frozen():
            engine = await run_cooperatively(AnswerEngine.build_steps(effective))
        return KnowledgeSnapshot(effective, engine, self._clock())

    async def _replace(self, snapshot: KnowledgeSnapshot, base: KnowledgeBase) -> None:
        """Swap the new snapshot in, then free the old one a step at a time on the loop.

        Letting the old engine and base go at once would free ~100,000 containers in one
        cascade at 10,000 facts (12 ms), ten times that at 100,000 (bot.collector).
        """
        old_base = self._base if self._base is not base else None
        retire = release_graph_steps([self._snapshot, old_base])
        self._snapshot = snapshot
        self._base = base
        await run_cooperatively(retire)

    async def start(self) -> KnowledgeSnapshot:
        """First load at start-up; raises KnowledgeError so the bot refuses to start broken.

        Read in a worker thread, not a child process: nothing is being served yet, and
        the thread skips pickling the base across processes.
        """
        async with self._rebuild_lock:
            base = await asyncio.to_thread(load_knowledge, self._dir)
            self._snapshot = await self._build(base)
            self._base = base
        log.info("knowledge loaded", extra={"fields": self._counts()})
        return self._snapshot

    async def reload(self) -> ReloadOutcome:
        """Re-read the YAML; keep the old snapshot and report every issue if it is broken."""
        async with self._rebuild_lock:
            try:
                base = await _read_base_in_child(self._dir)
            except KnowledgeError as exc:
                log.warning(
                    "knowledge reload failed; keeping the previous knowledge",
                    extra={"fields": {"problems": len(exc.issues)}},
                )
                return ReloadOutcome(False, exc.issues, self.snapshot)
            await self._replace(await self._build(base), base)
        log.info("knowledge reloaded", extra={"fields": self._counts()})
        return ReloadOutcome(True, (), self.snapshot)

    async def refresh(self) -> KnowledgeSnapshot:
        """Rebuild from the last good base plus current revisions (after a moderator change)."""
        async with self._rebuild_lock:
            if self._base is None:
                raise RuntimeError("knowledge not loaded yet: await KnowledgeService.start()")
            await self._replace(await self._build(self._base), self._base)
        return self.snapshot

    def answer(self, question: str, *, today: date | None = None) -> Answer:
        """Answer from the active snapshot; cheap enough to call on the event loop."""
        return self.snapshot.engine.answer(question, today=today)

    def _counts(self) -> dict[str, int]:
        kb = self.snapshot.knowledge
        return {"facts": len(kb.facts), "sources": len(kb.sources), "strikes": len(kb.strikes)}
