"""Keeps Python's cyclic garbage collector from stopping the event loop after big builds.

A collection stops every thread while it runs, and a full one walks every tracked
object. Loading a 10,000-fact base or building its index creates hundreds of thousands
to millions of long-lived objects; left to the collector they are rescanned while they
are made and then all at once by the next collection (measured at 10,000 facts: a
~60 ms stop after the index build, 20-40 ms full collections after loading the base).
Freezing them moves them out of every later collection's way; they are still freed by
reference counting when the last reference goes.

Builds run on the event loop a slice at a time (bot.cooperative), so a pause spans many
loop iterations and may overlap another (a reload's unpickling and an export's): pauses
are counted, and the collector resumes when the last one ends, however it ends.
"""

from __future__ import annotations

import gc
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from types import MappingProxyType
from typing import Any, Final

from bot.cooperative import Steps

# Guards the count below (the enabled flag is process-wide); held only to update it.
_STATE_LOCK = threading.Lock()
_pauses = 0
_resume_after = False


@contextmanager
def collector_paused_then_frozen() -> Iterator[None]:
    """Pause the cyclic GC while long-lived objects are built, then freeze everything.

    The freeze comes before the collector resumes, so no collection ever scans what was
    built (`gc.freeze` only relinks lists: microseconds, whatever the size). For work
    whose result is kept (a knowledge base, an index), not for scratch work: whatever
    garbage exists at the freeze is never collected. May be held across `await`s and
    nested or overlapped: the collector resumes when the last pause ends, on error or
    cancellation too, and only if it was enabled when the first began.
    """
    global _pauses, _resume_after
    with _STATE_LOCK:
        if _pauses == 0:
            _resume_after = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _STATE_LOCK:
            _pauses -= 1
            gc.freeze()
            if _pauses == 0 and _resume_after:
                gc.enable()


# Containers and our own records are walked; anything else (types, functions, modules)
# is shared with the rest of the process, and walking it would reach everything.
_WALKED_TYPES: Final = (tuple, list, dict, set, frozenset, MappingProxyType, Counter)
_WALKED_MODULE_PREFIX: Final = "bot."
RELEASE_BATCH: Final = 2_000
"""Objects let go per step: a few hundred microseconds (their children are still held)."""
REFERENCES_PER_STEP: Final = 5_000
"""References looked at per step of the walk: about a millisecond at 10,000 facts."""


def release_graph_steps(graph: list[Any]) -> Steps[None]:
    """Free an old knowledge base or engine (`graph`'s items) a batch of objects per step.

    Dropping the last reference to a 10,000-fact engine frees its ~100,000 containers in
    one cascade: 12 ms on the loop with its base, ten times that at 100,000 facts. Here
    the graph is first walked (held in a list, breadth first), then the list is emptied
    from the front: each object freed has its children still held, so no step frees more
    than a batch. The caller passes the only remaining references, inside `graph`,
    and keeps none; objects still used elsewhere simply outlive the walk.
    """
    held = yield from _walk(graph)
    del graph  # `held` now owns the only references
    for start in range(0, len(held), RELEASE_BATCH):
        held[start : start + RELEASE_BATCH] = [None] * min(RELEASE_BATCH, len(held) - start)
        yield


def _walk(graph: list[Any]) -> Steps[list[Any]]:
    """Every walked object reachable from `graph`, breadth first (parents before children).

    Steps are bounded by references looked at, not objects: one postings dict holds
    tens of thousands. Objects the collector does not track (strings, numbers, tuples
    of them) hold nothing to walk and free in no time with their container.
    """
    held: list[Any] = [graph]
    seen = {id(graph)}
    tracked = gc.is_tracked
    looked_at = 0
    for obj in held:  # grows while walked: breadth first
        for children in _children(obj):
            for child in children:
                if tracked(child) and id(child) not in seen and _walked(child):
                    seen.add(id(child))
                    held.append(child)
            looked_at += len(children)
            if looked_at >= REFERENCES_PER_STEP:
                looked_at = 0
                yield
    return held


def _children(obj: object) -> Iterator[list[Any] | tuple[Any, ...]]:
    """What `obj` refers to, a step's worth at a time for big containers."""
    if isinstance(obj, dict | list | tuple | set | frozenset) and len(obj) > REFERENCES_PER_STEP:
        items = iter(obj.items() if isinstance(obj, dict) else obj)
        while chunk := list(islice(items, REFERENCES_PER_STEP // 2)):
            yield [x for pair in chunk for x in pair] if isinstance(obj, dict) else chunk
    else:
        yield gc.get_referents(obj)


def _walked(obj: object) -> bool:
    kind = type(obj)
    return isinstance(obj, _WALKED_TYPES) or (
        kind.__module__.startswith(_WALKED_MODULE_PREFIX) and not isinstance(obj, type)
    )
