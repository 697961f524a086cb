"""A clock the test moves by hand, and a `sleep` that waits on it instead of on real time.

The scheduler reads `now` from the clock and waits with `sleep`; both are injected, so a
test says "it is 09:00 now" and the scheduler's wait for 09:00 ends at once, and a 5 s
back-off ends when the test advances 5 s. Every sleep is recorded, so a test can wait
until the scheduler has gone back to sleep (it is idle) instead of guessing with delays.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tests.e2e.discord_double.recorder import EventLog


@dataclass(eq=False)
class Sleeper:
    """One `sleep(seconds)` call: until when, and whether it ended (woken or cancelled)."""

    seconds: float
    until: datetime
    future: asyncio.Future[None] = field(repr=False)

    @property
    def pending(self) -> bool:
        """Still asleep: neither woken by the clock nor cancelled."""
        return not self.future.done()


class VirtualClock:
    """Callable like `runtime.clock`; `sleep` is the scheduler's sleep on this clock."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the virtual clock needs an aware start time")
        self._now = start
        self.sleeps: EventLog[Sleeper] = EventLog("scheduler sleep")

    def __call__(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        """Wait until the clock has been advanced `seconds` past now."""
        until = self._now + timedelta(seconds=max(seconds, 0.0))
        sleeper = Sleeper(seconds, until, asyncio.get_running_loop().create_future())
        if until <= self._now:
            sleeper.future.set_result(None)
        self.sleeps.append(sleeper)
        try:
            await sleeper.future
        finally:
            sleeper.future.cancel()  # no-op when woken; marks a cancelled sleep as ended

    def set(self, moment: datetime) -> None:
        """Jump to `moment` (forward only) and wake every sleep that has ended by then."""
        if moment < self._now:
            raise ValueError(f"the virtual clock only moves forward ({moment} < {self._now})")
        self._now = moment
        for sleeper in self.sleeps:
            if sleeper.pending and sleeper.until <= moment:
                sleeper.future.set_result(None)

    def advance(self, seconds: float) -> None:
        """Move the clock forward by `seconds`."""
        self.set(self._now + timedelta(seconds=seconds))

    async def next_sleep(self, since: int = 0, seconds: float | None = None) -> Sleeper:
        """The first sleep (from index `since`, of `seconds` if given) still asleep.

        Returning means the scheduler finished what it was doing and is waiting again.
        """

        def matches(sleeper: Sleeper) -> bool:
            return sleeper.pending and (seconds is None or sleeper.seconds == seconds)

        return await self.sleeps.wait_for(matches, since=since)
