"""One helper for "every write in a transaction", safe with one shared connection.

The bot shares a single aiosqlite connection between cogs, so two coroutines could
otherwise interleave their statements inside one SQLite transaction. A per-connection
lock serialises writers; a write made while the same task already holds the
transaction joins it, so a service can put a revision and its audit row in one commit
by calling two repositories inside one `async with transaction(db)`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from weakref import WeakKeyDictionary

import aiosqlite


@dataclass
class _WriterState:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    owner: asyncio.Task[object] | None = None


_writers: WeakKeyDictionary[aiosqlite.Connection, _WriterState] = WeakKeyDictionary()


@asynccontextmanager
async def transaction(db: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """Run the block in one SQLite transaction: commit on success, roll back on error.

    Nested use by the same task joins the outer transaction (the outer block commits or
    rolls back everything). `BEGIN IMMEDIATE` takes the write lock up front, so another
    process (e.g. `strikebot kb export` reading while the bot writes) waits for
    `busy_timeout` instead of failing half-way.
    """
    state = _writers.setdefault(db, _WriterState())
    task = asyncio.current_task()
    if task is not None and state.owner is task:
        yield db
        return
    async with state.lock:
        state.owner = task
        try:
            await db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                await db.rollback()
                raise
            await db.commit()
        finally:
            state.owner = None
