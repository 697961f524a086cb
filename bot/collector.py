"""Keeps Python's cyclic garbage collector from stopping the event loop after big builds.

A collection stops every thread while it runs, and a full one walks every tracked
object. Loading a 10,000-fact base or building its index creates hundreds of thousands
to millions of long-lived objects; left to the collector they are rescanned while they
are made and then all at once by the next collection (measured at 10,000 facts: a
~60 ms stop after the index build, 20-40 ms full collections after loading the base).
Freezing them moves them out of every later collection's way; they are still freed by
reference counting when the last reference goes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# One build at a time may own the collector's state (the enabled flag is process-wide).
_COLLECTOR_LOCK = threading.Lock()


@contextmanager
def collector_paused_then_frozen() -> Iterator[None]:
    """Pause the cyclic GC while long-lived objects are built, then freeze everything.

    The freeze comes before the collector resumes, so no collection ever scans what was
    built. For work whose result is kept (a knowledge base, an index), not for scratch
    work: whatever garbage exists at the freeze is never collected.
    """
    with _COLLECTOR_LOCK:
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            yield
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()
