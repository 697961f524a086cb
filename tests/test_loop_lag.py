"""The loop lag monitor: what it keeps, what it reports, and that it sees a blocked loop."""

from __future__ import annotations

import asyncio
import time

import pytest

from bot.loop_lag import LIMIT_S, LoopLagMonitor


class StepClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_report_covers_the_window_and_totals_cover_everything() -> None:
    clock = StepClock()
    monitor = LoopLagMonitor(window_s=60.0, clock=clock)
    monitor.record(1.5)  # a 1.5 s stall, long ago
    clock.now += 61
    for lateness_ms in [0.2] * 98 + [12.0, 35.0]:
        monitor.record(lateness_ms / 1000)

    report = monitor.report()

    assert report.samples == 100
    assert report.max_ms == pytest.approx(35.0)
    assert report.p99_ms == pytest.approx(12.0)
    assert report.median_ms == pytest.approx(0.2)
    assert report.over_limit == 1
    assert report.limit_ms == pytest.approx(LIMIT_S * 1000)
    assert report.samples_since_start == 101
    assert report.over_limit_since_start == 2
    assert report.max_ms_since_start == pytest.approx(1500.0)


def test_an_empty_window_reports_zeros_not_an_error() -> None:
    clock = StepClock()
    monitor = LoopLagMonitor(window_s=10.0, clock=clock)
    monitor.record(0.5)
    clock.now += 11

    body = monitor.report().as_json()

    assert body["samples"] == 0 and body["max_ms"] == 0 and body["p99_ms"] == 0
    assert body["samples_since_start"] == 1 and body["max_ms_since_start"] == 500.0


def test_early_wake_ups_count_as_no_lag_and_every_sample_is_passed_on() -> None:
    seen: list[float] = []
    monitor = LoopLagMonitor(on_sample=seen.append)
    monitor.record(-0.0002)  # clock granularity can make a sleep look short
    monitor.record(0.004)
    assert seen == [0.0, 0.004]
    assert monitor.report().max_ms == pytest.approx(4.0)


async def test_a_blocked_loop_shows_up_as_lag_at_least_the_block_minus_the_interval() -> None:
    woke = asyncio.Event()
    monitor = LoopLagMonitor(on_sample=lambda _: woke.set())
    monitor.start()
    try:
        await _wake_up(woke)
        time.sleep(0.1)  # noqa: ASYNC251 - blocking the loop is the point
        await _wake_up(woke)
    finally:
        await monitor.stop()
    # A block can start part-way through a sleep, so up to one interval of it is hidden.
    assert monitor.report().max_ms >= 100 - monitor.interval_s * 1000
    assert monitor.report().over_limit >= 1


async def test_starting_twice_is_refused_and_stop_is_safe_when_never_started() -> None:
    await LoopLagMonitor().stop()
    monitor = LoopLagMonitor()
    monitor.start()
    try:
        with pytest.raises(RuntimeError):
            monitor.start()
    finally:
        await monitor.stop()


async def _wake_up(woke: asyncio.Event) -> None:
    """Wait for the monitor's next sample."""
    woke.clear()
    await asyncio.wait_for(woke.wait(), timeout=10)
