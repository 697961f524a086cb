"""Runs long CPU work on the event loop itself, a slice at a time, instead of in a thread.

A worker thread doing seconds of Python shares the GIL with the loop: every time the
loop gives the GIL up around a socket call it waits up to the 5 ms switch interval to
get it back, so under 200 questions a second it fell hundreds of ms behind during a
10,000-fact reload (bench/loop_lag.py). Work written as a generator that yields after
each small, bounded step can instead run on the loop: the driver advances it for about
SLICE_S, then lets every ready callback (questions, heartbeats) run, and repeats. No
thread, so no GIL convoy; the loop is never held much longer than a slice plus one step.

The work is plain synchronous code with `yield` between steps (`Steps[T]`, whose return
value is the result), so the same generator also runs to completion without a loop
(`drain`): the CLI, tests and benchmarks build exactly what the bot builds.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any, Final, TypeVar

T = TypeVar("T")
U = TypeVar("U")

Steps = Generator[None, None, T]
"""Work that yields between bounded steps and returns its result."""

SLICE_S: Final = 0.002
"""How long the driver runs work before letting the loop serve others: a tenth of issue
#8's 20 ms promise, so a slice plus the longest step stays well inside it, while the
per-slice cost (one loop iteration, ~20 µs) stays around 1% of the work."""
RELEASE_BATCH: Final = 1_000
"""Scratch objects (each a few small tuples or lists) freed per step."""
SORT_RUN: Final = 2_000
"""Items `sorted_steps` sorts in one C call, and merges between yields: well under a
millisecond, where one sort of 300,000 fact questions (100,000 facts) holds the loop for
over 100 ms."""


def drain(steps: Steps[T]) -> T:
    """Run stepwise work to completion here and now; its result."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


async def run_cooperatively(steps: Steps[T], slice_s: float = SLICE_S) -> T:
    """Run stepwise work on the running loop, yielding to it every `slice_s` seconds.

    Cancelling the awaiting task closes the generator, so its `finally` blocks (a
    paused collector resumed, say) run at once rather than whenever it is collected.
    """
    clock = time.perf_counter
    try:
        while True:
            deadline = clock() + slice_s
            try:
                next(steps)  # at least one step per slice, however short the slice
                while clock() < deadline:
                    next(steps)
            except StopIteration as done:
                return done.value
            await asyncio.sleep(0)
    finally:
        steps.close()


def batched(items: Iterable[U], size: int) -> Iterator[list[U]]:
    """`items` in lists of `size` (the last shorter): the unit of work between yields."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def release_steps(items: list[Any] | dict[Any, Any], batch: int = RELEASE_BATCH) -> Steps[None]:
    """Empty a list or dict a batch at a time, so freeing what it holds never holds the loop.

    Dropping the last reference to a build's scratch data (the terms of 30,000 fact
    questions, say) frees it all in one go: 6 ms at 10,000 facts, ten times that at
    100,000.
    """
    if isinstance(items, dict):
        for keys in batched(list(items), batch):
            for key in keys:
                del items[key]
            yield
        return
    while items:
        del items[-batch:]
        yield


def sorted_steps(
    items: Sequence[U],
    key: Callable[[U], Any],
    *,
    reverse: bool = False,
    run: int = SORT_RUN,
) -> Steps[list[U]]:
    """`sorted(items, key=key, reverse=reverse)`, in steps: sorted runs, then merged.

    The same list as the one call: each run is sorted stably, and `heapq.merge` takes
    equal keys from earlier runs first, so ties keep their order in `items`.
    """
    runs: list[list[U]] = []
    for start in range(0, len(items), run):
        runs.append(sorted(items[start : start + run], key=key, reverse=reverse))
        yield
    if len(runs) <= 1:
        return runs[0] if runs else []
    merged: list[U] = []
    for batch in batched(heapq.merge(*runs, key=key, reverse=reverse), run):
        merged.extend(batch)
        yield
    return merged
