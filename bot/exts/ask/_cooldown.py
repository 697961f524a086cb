"""Per-member cooldown for automatic (ask-channel) answers, told once per cooldown.

Pure: time comes from the clock the runtime gives, so tests move it by hand. Only
unprompted answers are limited; /ask, mentions and buttons always answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from typing import Final

# Forget members whose cooldown ended once this many are tracked, so memory stays small.
PRUNE_ABOVE: Final = 1000

MemberKey = tuple[int | None, int]  # (guild id, user id)


class CooldownVerdict(Enum):
    """What to do with an automatic answer for this member right now."""

    ANSWER = "answer"
    TELL_ONCE = "tell_once"  # in cooldown, not told yet: say so briefly
    STAY_QUIET = "stay_quiet"  # in cooldown and already told


@dataclass
class _MemberState:
    answered_at: datetime
    told: bool = False


class AutoAnswerCooldown:
    """At most one automatic answer per member per `seconds`."""

    def __init__(self, seconds: float, clock: Callable[[], datetime]) -> None:
        self._period = timedelta(seconds=seconds)
        self._clock = clock
        self._members: dict[MemberKey, _MemberState] = {}

    def check(self, key: MemberKey) -> CooldownVerdict:
        """Decide for one would-be automatic answer; ANSWER starts a new cooldown."""
        now = self._clock()
        state = self._members.get(key)
        if state is None or now - state.answered_at >= self._period:
            self._prune(now)
            self._members[key] = _MemberState(now)
            return CooldownVerdict.ANSWER
        if state.told:
            return CooldownVerdict.STAY_QUIET
        state.told = True
        return CooldownVerdict.TELL_ONCE

    def remaining_seconds(self, key: MemberKey) -> float:
        """Seconds until this member can get another automatic answer (0 when now)."""
        state = self._members.get(key)
        if state is None:
            return 0.0
        left = state.answered_at + self._period - self._clock()
        return max(0.0, left.total_seconds())

    def _prune(self, now: datetime) -> None:
        if len(self._members) < PRUNE_ABOVE:
            return
        expired = [k for k, s in self._members.items() if now - s.answered_at >= self._period]
        for key in expired:
            del self._members[key]
