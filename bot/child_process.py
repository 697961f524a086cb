"""Runs long, CPU-bound work (YAML parsing, dumping, zipping) in a short-lived child process.

A worker thread is not enough for work that takes seconds: it shares the GIL with the
event loop, so the loop waits up to a switch interval (5 ms) every time it gives the
GIL up around a socket call, and under a burst of questions it falls seconds behind
(bench/loop_lag.py measured 1.5 s stalls during a 10,000-fact reload and 2.5 s during
an export, while the same work alone held the GIL at most ~60 ms). A child process has
its own interpreter and GIL, so the loop's process only pays for pickling the
arguments and unpickling the result, both done on the loop in small steps
(bot.chunked_pickle, bot.cooperative), the latter with the cyclic collector paused:
unpickling a 10,000-fact base otherwise triggers 20-40 ms full collections (see
bot.collector). The executor's feeder thread then only pickles a list of bytes.

"spawn" rather than "fork": the bot has threads (aiosqlite, the default executor) and
forking a threaded process can copy a lock held mid-operation into the child. The
child imports only what the called function needs (the core, never discord.py), which
costs a fraction of a second, negligible for a moderator's reload or export.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Final, TypeVar

from bot.chunked_pickle import ChunkedPickle, pickle_steps, unpickle_steps
from bot.collector import collector_paused_then_frozen
from bot.cooperative import drain, run_cooperatively

T = TypeVar("T")

START_METHOD: Final = "spawn"
CHILD_NICENESS: Final = 10
"""Added to the child's nice value: on a busy machine the scheduler then gives the bot's
event loop (and everyone else) the CPU first, and the child the rest. Without it, on 2
cores shared with a benchmark, the bot's loop was starved into 1.3 s stalls during an
export although it held no lock the child needed."""


async def run_in_child_process(function: Callable[..., T], *args: Any) -> T:
    """`function(*args)` in a fresh child process; its exceptions are re-raised here.

    `function` must be importable by name (a module-level function) and its arguments
    and result picklable; the result is frozen out of garbage collection, as it is
    meant to be kept (a knowledge base) or small. One process per call: reloads and
    exports are rare, and a process that exits returns its memory instead of holding
    a parsed base for ever.

    Arguments and result cross as pieces (bot.chunked_pickle), pickled and unpickled
    here on the event loop a step at a time (bot.cooperative), so a knowledge base
    crossing never holds the loop for the whole of its (un)pickling.
    """
    pickled_args = await run_cooperatively(pickle_steps(args))
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context(START_METHOD),
        initializer=os.nice,
        initargs=(CHILD_NICENESS,),
    )
    try:
        # Submitting starts the child (and, the first time, multiprocessing's resource
        # tracker): a fork and exec and their pipes, 2-35 ms measured, so not on the loop.
        submitted = await asyncio.to_thread(pool.submit, _call_pickled, function, pickled_args)
        pickled = await asyncio.wrap_future(submitted)
    except BaseException:
        # Cancelled or failed: do not wait for the child; it exits once its (side-effect
        # free) work is done, and the executor's own thread reaps it.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    # The child is idle now and exits at once; joining it still blocks, so not on the loop.
    await asyncio.to_thread(pool.shutdown, wait=True)
    with collector_paused_then_frozen():
        result: T = await run_cooperatively(unpickle_steps(pickled))
    return result


def _call_pickled(function: Callable[..., T], pickled_args: ChunkedPickle) -> ChunkedPickle:
    """Child side: arguments from pieces, the result into pieces (nothing else runs here)."""
    args = drain(unpickle_steps(pickled_args))
    return drain(pickle_steps(function(*args)))
