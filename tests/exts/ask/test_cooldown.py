"""Automatic answers are limited per member, and a member is told once per cooldown."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.exts.ask._cooldown import AutoAnswerCooldown, CooldownVerdict


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 21, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_second_answer_within_cooldown_is_told_once_then_quiet() -> None:
    clock = FakeClock()
    cooldown = AutoAnswerCooldown(60, clock)
    alice = (1, 100)
    assert cooldown.check(alice) is CooldownVerdict.ANSWER
    clock.advance(5)
    assert cooldown.check(alice) is CooldownVerdict.TELL_ONCE
    clock.advance(5)
    assert cooldown.check(alice) is CooldownVerdict.STAY_QUIET
    assert cooldown.remaining_seconds(alice) == 50


def test_cooldown_ends_and_telling_resets() -> None:
    clock = FakeClock()
    cooldown = AutoAnswerCooldown(60, clock)
    alice = (1, 100)
    cooldown.check(alice)
    cooldown.check(alice)
    clock.advance(60)
    assert cooldown.check(alice) is CooldownVerdict.ANSWER
    clock.advance(1)
    assert cooldown.check(alice) is CooldownVerdict.TELL_ONCE


def test_members_and_guilds_are_separate() -> None:
    cooldown = AutoAnswerCooldown(60, FakeClock())
    assert cooldown.check((1, 100)) is CooldownVerdict.ANSWER
    assert cooldown.check((1, 200)) is CooldownVerdict.ANSWER
    assert cooldown.check((2, 100)) is CooldownVerdict.ANSWER


def test_zero_seconds_never_limits() -> None:
    cooldown = AutoAnswerCooldown(0, FakeClock())
    assert [cooldown.check((1, 1)) for _ in range(3)] == [CooldownVerdict.ANSWER] * 3
