"""Append-only event logs with async waiters, so tests wait on facts instead of sleeping."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

T = TypeVar("T")

DEFAULT_WAIT_SECONDS = 5.0
"""Long enough for discord.py's own retry sleeps (1 s after a 5xx), short enough to fail fast."""


@dataclass(frozen=True)
class RecordedRequest:
    """One REST call as the double received it, body already decoded for assertions."""

    method: str
    path: str
    """Path below ``/api/v10``, e.g. ``/channels/1/messages``."""
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    """The JSON body, or the decoded ``payload_json`` part of a multipart body."""
    files: list[RecordedFile]
    status: int
    response: Any = None
    """The decoded JSON reply (error bodies included), or None for empty/non-JSON replies."""
    at: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:
        return f"<{self.method} {self.path} -> {self.status}>"

    def matches(self, method: str, path: str) -> bool:
        """Compare with a method and exact path; the usual shape of a test's predicate."""
        return self.method == method and self.path == path


@dataclass(frozen=True)
class RecordedFile:
    """One file part of a multipart body (``files[n]``)."""

    field_name: str
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class GatewayEvent:
    """One gateway frame or connection change, in either direction."""

    direction: str
    """``"recv"`` (client to double), ``"send"`` (double to client) or ``"conn"``."""
    op: int | None
    event: str | None
    data: Any
    connection_id: int
    sequence: int | None = None
    at: float = field(default_factory=time.monotonic)

    def __repr__(self) -> str:
        name = self.event or f"op{self.op}"
        return f"<{self.direction} {name} conn={self.connection_id} s={self.sequence}>"

    @property
    def is_heartbeat(self) -> bool:
        """Heartbeats and their ACKs: noise when explaining a failed wait."""
        return self.op in (1, 11)


@dataclass
class _Waiter(Generic[T]):
    predicate: Callable[[T], bool]
    since: int
    future: asyncio.Future[T]


class EventLog(Generic[T]):
    """A list that wakes waiters when a matching item is appended.

    Waiting also looks at items recorded before the call (from ``since``), so a test never
    loses a race against the event it waits for.
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._items: list[T] = []
        self._waiters: list[_Waiter[T]] = []

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._items))

    def __getitem__(self, index: int) -> T:
        return self._items[index]

    def mark(self) -> int:
        """Position to pass as ``since`` to only consider items recorded after now."""
        return len(self._items)

    def append(self, item: T) -> None:
        """Record an item and resolve every waiter whose predicate it satisfies."""
        index = len(self._items)
        self._items.append(item)
        for waiter in list(self._waiters):
            if waiter.future.done() or index < waiter.since:
                continue
            try:
                if waiter.predicate(item):
                    waiter.future.set_result(item)
            except Exception as exc:  # a broken predicate must fail the waiting test
                waiter.future.set_exception(exc)

    def matching(self, predicate: Callable[[T], bool], since: int = 0) -> list[T]:
        """All recorded items (from ``since``) that satisfy the predicate."""
        return [item for item in self._items[since:] if predicate(item)]

    async def wait_for(
        self,
        predicate: Callable[[T], bool],
        timeout: float = DEFAULT_WAIT_SECONDS,  # noqa: ASYNC109 - the waiter API promises timeout=
        since: int = 0,
    ) -> T:
        """Return the first item (from ``since``) matching the predicate, waiting if needed."""
        for item in self._items[since:]:
            if predicate(item):
                return item
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        waiter = _Waiter(predicate=predicate, since=since, future=future)
        self._waiters.append(waiter)
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            relevant = [i for i in self._items[since:] if not getattr(i, "is_heartbeat", False)]
            recent = relevant[-12:]
            raise AssertionError(
                f"no {self._name} matched within {timeout}s; last recorded: {recent!r}"
            ) from None
        finally:
            self._waiters.remove(waiter)

    async def wait_for_count(
        self,
        predicate: Callable[[T], bool],
        count: int,
        timeout: float = DEFAULT_WAIT_SECONDS,  # noqa: ASYNC109 - the waiter API promises timeout=
        since: int = 0,
    ) -> list[T]:
        """Wait until ``count`` matching items exist; for "it happened exactly twice" checks."""
        deadline = asyncio.get_running_loop().time() + timeout
        found = self.matching(predicate, since)
        while len(found) < count:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise AssertionError(f"expected {count} {self._name}s, saw {len(found)}")
            next_since = self._next_index_after(found, since)
            await self.wait_for(predicate, timeout=remaining, since=next_since)
            found = self.matching(predicate, since)
        return found

    def _next_index_after(self, found: list[T], since: int) -> int:
        if not found:
            return since
        last = found[-1]
        for index in range(len(self._items) - 1, since - 1, -1):
            if self._items[index] is last:
                return index + 1
        return since
