"""Metrics exposition and the real /healthz and /metrics server on a free port."""

from __future__ import annotations

import asyncio
import math
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest

from bot.health import (
    CHECK_TIMEOUT_SECONDS,
    LATENCY_BUCKETS_SECONDS,
    LOOP_LAG_BUCKETS_SECONDS,
    PROMETHEUS_CONTENT_TYPE,
    CheckResult,
    HealthServer,
    Metrics,
)
from bot.loop_lag import LoopLagMonitor

SAMPLE = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"(?:,|$)')
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


@dataclass
class Exposition:
    """What a tiny Prometheus text-format parser makes of a /metrics body."""

    types: dict[str, str] = field(default_factory=dict)
    samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = field(default_factory=dict)
    buckets: list[tuple[float, float]] = field(default_factory=list)

    def value(self, name: str, **labels: str) -> float:
        return self.samples[(name, tuple(sorted(labels.items())))]


def parse_exposition(text: str, histogram: str = "strikebot_answer_latency_seconds") -> Exposition:
    """Check every line is HELP, TYPE or a sample of a declared family; collect the values."""
    assert text.endswith("\n")
    parsed = Exposition()
    helped: set[str] = set()
    for line in text.splitlines():
        if line.startswith("# HELP "):
            name = line.split(" ", 3)[2]
            assert name not in helped, f"second HELP for {name}"
            helped.add(name)
        elif line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ")
            assert kind in {"counter", "gauge", "histogram", "summary", "untyped"}
            assert name not in parsed.types, f"second TYPE for {name}"
            parsed.types[name] = kind
        else:
            match = SAMPLE.fullmatch(line)
            assert match, f"not a sample line: {line!r}"
            name, label_text, value_text = match.groups()
            family = name
            if family not in parsed.types:
                family = next(
                    (name.removesuffix(s) for s in HISTOGRAM_SUFFIXES if name.endswith(s)), ""
                )
                assert parsed.types.get(family) == "histogram", f"{name} has no TYPE"
            assert family in helped, f"{name} has no HELP"
            labels: tuple[tuple[str, str], ...] = ()
            if label_text:
                pairs = LABEL.findall(label_text)
                assert ",".join(f'{k}="{v}"' for k, v in pairs) == label_text, label_text
                labels = tuple(sorted(pairs))
            value = float(value_text)  # accepts +Inf, NaN as the format does
            key = (name, labels)
            assert key not in parsed.samples, f"duplicate series {key}"
            parsed.samples[key] = value
            if name == f"{histogram}_bucket":
                parsed.buckets.append((float(dict(labels)["le"]), value))
    return parsed


def assert_histogram_is_consistent(parsed: Exposition, name: str) -> None:
    bounds = [bound for bound, _ in parsed.buckets]
    counts = [count for _, count in parsed.buckets]
    assert bounds == sorted(bounds) and bounds[-1] == math.inf
    assert counts == sorted(counts), "bucket counts must be cumulative"
    assert counts[-1] == parsed.value(f"{name}_count")


def test_fresh_metrics_expose_every_series_at_zero() -> None:
    parsed = parse_exposition(Metrics().render_prometheus())
    assert parsed.value("strikebot_questions_total") == 0
    for result in ("answered", "refused"):
        assert parsed.value("strikebot_answers_total", result=result) == 0
    for vote in ("helpful", "not_helpful"):
        assert parsed.value("strikebot_votes_total", vote=vote) == 0
    for result in ("posted", "failed"):
        assert parsed.value("strikebot_announcements_total", result=result) == 0
    for result in ("ok", "failed"):
        assert parsed.value("strikebot_knowledge_reloads_total", result=result) == 0
    assert parsed.value("strikebot_facts_loaded") == 0
    assert parsed.types["strikebot_answer_latency_seconds"] == "histogram"
    assert [b for b, _ in parsed.buckets] == [*LATENCY_BUCKETS_SECONDS, math.inf]


def test_events_are_counted_under_clean_labels() -> None:
    metrics = Metrics()
    metrics.question_answered(0.002)
    metrics.question_answered(0.0001)
    metrics.question_refused(0.03)
    metrics.vote(helpful=True)
    metrics.vote(helpful=False)
    metrics.vote(helpful=False)
    metrics.announcement(posted=True)
    metrics.announcement(posted=False)
    metrics.reload(ok=True)
    metrics.reload(ok=True)
    metrics.reload(ok=False)
    metrics.set_facts_loaded(42)

    parsed = parse_exposition(metrics.render_prometheus())
    assert parsed.value("strikebot_questions_total") == 3
    assert parsed.value("strikebot_answers_total", result="answered") == 2
    assert parsed.value("strikebot_answers_total", result="refused") == 1
    assert parsed.value("strikebot_votes_total", vote="helpful") == 1
    assert parsed.value("strikebot_votes_total", vote="not_helpful") == 2
    assert parsed.value("strikebot_announcements_total", result="posted") == 1
    assert parsed.value("strikebot_announcements_total", result="failed") == 1
    assert parsed.value("strikebot_knowledge_reloads_total", result="ok") == 2
    assert parsed.value("strikebot_knowledge_reloads_total", result="failed") == 1
    assert parsed.value("strikebot_facts_loaded") == 42


def test_latency_histogram_is_cumulative_with_sum_and_count() -> None:
    metrics = Metrics()
    for latency in (0.0001, 0.0005, 0.003, 0.003, 0.2, 5.0):  # 0.0005 sits on a bound: le
        metrics.question_answered(latency)

    parsed = parse_exposition(metrics.render_prometheus())
    name = "strikebot_answer_latency_seconds"
    assert_histogram_is_consistent(parsed, name)
    bucket = dict(parsed.buckets)
    assert bucket[0.0005] == 2
    assert bucket[0.001] == 2
    assert bucket[0.005] == 4
    assert bucket[0.25] == 5
    assert bucket[1.0] == 5  # the 5 s outlier only shows in +Inf
    assert bucket[math.inf] == 6
    assert parsed.value(f"{name}_count") == 6
    assert parsed.value(f"{name}_sum") == pytest.approx(5.2066)


@pytest.mark.parametrize("latency", [-0.001, math.nan, math.inf])
def test_impossible_latency_is_refused_not_recorded(latency: float) -> None:
    metrics = Metrics()
    with pytest.raises(ValueError):
        metrics.question_answered(latency)
    assert parse_exposition(metrics.render_prometheus()).value("strikebot_questions_total") == 0


def test_negative_fact_count_is_refused() -> None:
    with pytest.raises(ValueError):
        Metrics().set_facts_loaded(-1)


@dataclass
class FakeState:
    """A HealthState whose answers the test sets."""

    gateway: CheckResult = field(default_factory=lambda: CheckResult(True, "connected"))
    database: CheckResult = field(default_factory=lambda: CheckResult(True, "write ok"))
    knowledge: CheckResult = field(default_factory=lambda: CheckResult(True, "12 facts"))
    hang: bool = False

    async def gateway_connected(self) -> CheckResult:
        return self.gateway

    async def database_writable(self) -> CheckResult:
        if self.hang:
            await asyncio.sleep(CHECK_TIMEOUT_SECONDS * 10)
        return self.database

    async def knowledge_loaded(self) -> CheckResult:
        if self.knowledge.reason == "explode":
            raise RuntimeError("index missing")
        return self.knowledge


@pytest.fixture
def state() -> FakeState:
    return FakeState()


@pytest.fixture
def metrics() -> Metrics:
    return Metrics()


@pytest.fixture
async def base_url(metrics: Metrics, state: FakeState) -> AsyncIterator[str]:
    server = HealthServer(metrics, state)
    await server.start("127.0.0.1", 0)
    try:
        assert server.port > 0
        yield f"http://127.0.0.1:{server.port}"
    finally:
        await server.stop()


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, response.headers["Content-Type"], await response.text()


async def get_json(url: str) -> tuple[int, dict[str, object]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        body: dict[str, object] = await response.json()
        return response.status, body


async def test_healthy_bot_answers_200_with_every_check(base_url: str) -> None:
    status, body = await get_json(f"{base_url}/healthz")
    assert status == 200
    assert body == {
        "status": "ok",
        "checks": {
            "gateway": {"ok": True, "reason": "connected"},
            "database": {"ok": True, "reason": "write ok"},
            "knowledge": {"ok": True, "reason": "12 facts"},
        },
    }


async def test_one_failing_check_gives_503_with_its_reason(base_url: str, state: FakeState) -> None:
    state.database = CheckResult(False, "database is locked")
    status, body = await get_json(f"{base_url}/healthz")
    assert status == 503
    assert body["status"] == "failing"
    assert body["failing"] == {"database": "database is locked"}


async def test_a_check_that_raises_or_hangs_fails_with_why(base_url: str, state: FakeState) -> None:
    state.knowledge = CheckResult(True, "explode")
    state.hang = True
    status, body = await get_json(f"{base_url}/healthz")
    assert status == 503
    assert body["failing"] == {
        "database": f"check timed out after {CHECK_TIMEOUT_SECONDS} s",
        "knowledge": "check raised RuntimeError: index missing",
    }


async def test_metrics_endpoint_serves_the_exposition_format(
    base_url: str, metrics: Metrics
) -> None:
    metrics.question_answered(0.004)
    metrics.question_refused(0.7)
    metrics.set_facts_loaded(7)

    status, content_type, text = await get(f"{base_url}/metrics")
    assert status == 200
    assert content_type == PROMETHEUS_CONTENT_TYPE
    parsed = parse_exposition(text)
    assert_histogram_is_consistent(parsed, "strikebot_answer_latency_seconds")
    assert parsed.value("strikebot_answers_total", result="refused") == 1
    assert parsed.value("strikebot_facts_loaded") == 7


def test_loop_lag_histogram_counts_each_wake_up_in_its_bucket() -> None:
    metrics = Metrics()
    for lateness in (0.0004, 0.003, 0.018, 0.021, 1.7, 9.0):
        metrics.loop_lag(lateness)
    name = "strikebot_event_loop_lag_seconds"
    parsed = parse_exposition(metrics.render_prometheus(), histogram=name)
    assert_histogram_is_consistent(parsed, name)
    cumulative = dict(parsed.buckets)
    assert [b for b, _ in parsed.buckets] == [*LOOP_LAG_BUCKETS_SECONDS, math.inf]
    assert cumulative[0.001] == 1 and cumulative[0.02] == 3 and cumulative[0.03] == 4
    assert cumulative[5.0] == 5 and cumulative[math.inf] == 6
    assert parsed.value(f"{name}_sum") == pytest.approx(10.7424)
    with pytest.raises(ValueError):
        metrics.loop_lag(-0.001)


async def test_healthz_reports_the_loop_lag_window_when_a_monitor_is_given(
    metrics: Metrics, state: FakeState
) -> None:
    monitor = LoopLagMonitor(on_sample=metrics.loop_lag)
    monitor.record(0.0021)
    monitor.record(0.045)
    server = HealthServer(metrics, state, monitor)
    await server.start("127.0.0.1", 0)
    try:
        status, body = await get_json(f"http://127.0.0.1:{server.port}/healthz")
        _, _, text = await get(f"http://127.0.0.1:{server.port}/metrics")
    finally:
        await server.stop()
    assert status == 200, "lag is information, never a failing check"
    lag = body["loop_lag"]
    assert isinstance(lag, dict)
    assert lag["samples"] == 2 and lag["max_ms"] == 45.0 and lag["over_limit"] == 1
    assert lag["limit_ms"] == 20.0 and lag["interval_ms"] == 5.0
    assert "strikebot_event_loop_lag_seconds_count 2" in text


async def test_unknown_path_is_404(base_url: str) -> None:
    status, _, _ = await get(f"{base_url}/admin")
    assert status == 404


async def test_port_is_released_on_stop(metrics: Metrics, state: FakeState) -> None:
    server = HealthServer(metrics, state)
    await server.start("127.0.0.1", 0)
    port = server.port
    await server.stop()
    await server.stop()  # a second stop is harmless
    with pytest.raises(RuntimeError):
        _ = server.port
    async with aiohttp.ClientSession() as session:
        with pytest.raises(aiohttp.ClientConnectionError):
            await session.get(f"http://127.0.0.1:{port}/healthz")


async def test_starting_twice_is_refused(metrics: Metrics, state: FakeState) -> None:
    server = HealthServer(metrics, state)
    await server.start("127.0.0.1", 0)
    try:
        with pytest.raises(RuntimeError, match="already started"):
            await server.start("127.0.0.1", 0)
    finally:
        await server.stop()


def test_parser_rejects_a_sample_without_a_type() -> None:
    # The exposition checks above are only worth something if the parser can say no.
    with pytest.raises(AssertionError, match="no TYPE"):
        parse_exposition("# HELP x_total x\nx_total 1\n")
    with pytest.raises(AssertionError, match="no HELP"):
        parse_exposition("# TYPE x_total counter\nx_total 1\n")
    with pytest.raises(AssertionError, match="cumulative"):
        parsed = parse_exposition(
            "# HELP h h\n# TYPE h histogram\n"
            'h_bucket{le="1.0"} 3\nh_bucket{le="+Inf"} 2\nh_sum 1.0\nh_count 2\n',
            histogram="h",
        )
        assert_histogram_is_consistent(parsed, "h")
