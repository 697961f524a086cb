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
from collections.abc import Iterator
from contextlib import contextmanager

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
