"""How late the event loop runs: a sleeper task that measures its own oversleep.

Every command, gateway heartbeat and health probe waits in one asyncio loop, so work
that holds the loop (or the GIL) for long delays all of them at once. Issue #8 promises
the loop is never blocked for more than 20 ms; this monitor measures that inside the
bot's own process (a benchmark's probe would also count the benchmark's work). It
imports nothing from discord, so the console could run it too.

A sleeper asks to wake every `INTERVAL_S`; how much later than asked it wakes is the
lag. A block of B ms reads as between B - INTERVAL_S and B (the block may start part-way
through a sleep), so the interval bounds the resolution; a finer one would cost the
loop a wake-up per millisecond for ever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

log = logging.getLogger(__name__)

INTERVAL_S: Final = 0.005
"""Wake-ups 200 times a second: 5 ms resolution against a 20 ms promise, for well under
1% of one core (about 20 µs of loop time per wake-up)."""
WINDOW_S: Final = 60.0
"""/healthz reports the last minute: long enough to cover a reload or an export that
just finished, short enough that a stall an hour ago does not look current."""
LIMIT_S: Final = 0.020
"""Issue #8's promise: the loop is never blocked for longer than this."""


@dataclass(frozen=True, slots=True)
class LagReport:
    """Loop lag over the recent window (ms) and how often the promise was broken."""

    interval_ms: float
    window_s: float
    samples: int
    max_ms: float
    p99_ms: float
    median_ms: float
    over_limit: int
    limit_ms: float
    samples_since_start: int
    over_limit_since_start: int
    max_ms_since_start: float

    def as_json(self) -> dict[str, float | int]:
        """The /healthz `loop_lag` object, rounded to what a person can read."""
        return {
            "interval_ms": self.interval_ms,
            "window_s": self.window_s,
            "samples": self.samples,
            "max_ms": round(self.max_ms, 2),
            "p99_ms": round(self.p99_ms, 2),
            "median_ms": round(self.median_ms, 2),
            "over_limit": self.over_limit,
            "limit_ms": self.limit_ms,
            "samples_since_start": self.samples_since_start,
            "over_limit_since_start": self.over_limit_since_start,
            "max_ms_since_start": round(self.max_ms_since_start, 2),
        }


def _nearest_rank(ordered: list[float], fraction: float) -> float:
    """The nearest-rank percentile of sorted values (0 for none)."""
    if not ordered:
        return 0.0
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class LoopLagMonitor:
    """Records the loop's lateness; `run()` is the sleeper, `record()` takes one sample."""

    def __init__(
        self,
        *,
        interval_s: float = INTERVAL_S,
        window_s: float = WINDOW_S,
        limit_s: float = LIMIT_S,
        clock: Callable[[], float] = time.monotonic,
        on_sample: Callable[[float], None] | None = None,
    ) -> None:
        self.interval_s = interval_s
        self._window_s = window_s
        self._limit_s = limit_s
        self._clock = clock
        # Feeds the /metrics histogram; called with each lateness in seconds.
        self._on_sample = on_sample
        self._recent: deque[tuple[float, float]] = deque()  # (clock time, lateness s)
        self._count = 0
        self._over = 0
        self._max_s = 0.0
        self._task: asyncio.Task[None] | None = None

    def record(self, lateness_s: float) -> None:
        """Keep one sample taken now by the monitor's clock."""
        lateness_s = max(0.0, lateness_s)
        now = self._clock()
        self._recent.append((now, lateness_s))
        self._forget_before(now - self._window_s)
        self._count += 1
        self._over += lateness_s > self._limit_s
        self._max_s = max(self._max_s, lateness_s)
        if self._on_sample is not None:
            self._on_sample(lateness_s)

    def report(self) -> LagReport:
        """Stats over the last window, plus totals since the monitor started."""
        self._forget_before(self._clock() - self._window_s)
        ordered = sorted(late for _, late in self._recent)
        return LagReport(
            interval_ms=self.interval_s * 1000,
            window_s=self._window_s,
            samples=len(ordered),
            max_ms=(ordered[-1] if ordered else 0.0) * 1000,
            p99_ms=_nearest_rank(ordered, 0.99) * 1000,
            median_ms=_nearest_rank(ordered, 0.5) * 1000,
            over_limit=sum(late > self._limit_s for late in ordered),
            limit_ms=self._limit_s * 1000,
            samples_since_start=self._count,
            over_limit_since_start=self._over,
            max_ms_since_start=self._max_s * 1000,
        )

    async def run(self) -> None:
        """Sleep `interval_s` at a time for ever, recording how late each wake-up is."""
        loop = asyncio.get_running_loop()
        while True:
            asked_at = loop.time()
            await asyncio.sleep(self.interval_s)
            self.record(loop.time() - asked_at - self.interval_s)

    def start(self) -> None:
        """Run the sleeper as a background task of the running loop (once)."""
        if self._task is not None:
            raise RuntimeError("loop lag monitor already started")
        self._task = asyncio.create_task(self.run(), name="loop-lag-monitor")
        self._task.add_done_callback(_log_failure)

    async def stop(self) -> None:
        """Cancel the sleeper; safe when never started."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _forget_before(self, cutoff: float) -> None:
        while self._recent and self._recent[0][0] < cutoff:
            self._recent.popleft()


def _log_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and (error := task.exception()) is not None:
        log.error("the loop lag monitor stopped", exc_info=error)
