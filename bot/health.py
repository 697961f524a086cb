"""Counters other code feeds, and a tiny HTTP server for /healthz and /metrics.

`Metrics` is plain Python (no prometheus_client dependency): the bot needs a handful of
fixed series, and rendering the text exposition format 0.0.4 by hand is a page of code.
Every labelled series is created at zero up front, so dashboards and `rate()` see a
series from the first scrape instead of a gap until the first event.
"""

from __future__ import annotations

import asyncio
import logging
import math
import threading
from collections.abc import Awaitable, Callable
from typing import Final, NamedTuple, Protocol

from aiohttp import web

from bot.loop_lag import LoopLagMonitor

log = logging.getLogger(__name__)

PROMETHEUS_CONTENT_TYPE: Final = "text/plain; version=0.0.4; charset=utf-8"
# Answers are in-memory index look-ups: sub-millisecond normally, a few ms on long
# questions. Buckets are dense there; 1 s is the top because anything slower is a bug.
LATENCY_BUCKETS_SECONDS: Final = (
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
)  # fmt: skip
# Around issue #8's 20 ms promise the buckets are dense, so a scrape before and after a
# reload tells whether it was kept; the top ones tell how badly a stall broke it.
LOOP_LAG_BUCKETS_SECONDS: Final = (
    0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
)  # fmt: skip
# Below Kubernetes' default 1 s probe timeout, so a hung check yields a 503 with a reason
# instead of a probe timeout with none.
CHECK_TIMEOUT_SECONDS: Final = 0.8


class _Family(NamedTuple):
    """One metric's name, help text, type and (for labelled counters) its label."""

    name: str
    help: str
    kind: str
    label: str | None = None


QUESTIONS = _Family("strikebot_questions_total", "Questions the answer engine handled.", "counter")
ANSWERS = _Family(
    "strikebot_answers_total", "Questions by outcome: answered or refused.", "counter", "result"
)
VOTES = _Family("strikebot_votes_total", "Members' votes on answers.", "counter", "vote")
ANNOUNCEMENTS = _Family(
    "strikebot_announcements_total", "Scheduled announcements by outcome.", "counter", "result"
)
RELOADS = _Family(
    "strikebot_knowledge_reloads_total", "Knowledge base reloads by outcome.", "counter", "result"
)
LATENCY = _Family(
    "strikebot_answer_latency_seconds", "Time to produce an answer or refusal.", "histogram"
)
LOOP_LAG = _Family(
    "strikebot_event_loop_lag_seconds",
    "How late the event loop woke a sleeper (bot.loop_lag): time it was held up.",
    "histogram",
)
FACTS_LOADED = _Family("strikebot_facts_loaded", "Facts in the loaded knowledge base.", "gauge")


class _Histogram:
    """Per-bucket counts, sum and count of one histogram (the caller holds the lock)."""

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds = bounds
        self.counts = [0] * len(bounds)  # per bucket, not cumulative
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        self.sum += value
        self.count += 1
        for index, bound in enumerate(self.bounds):
            if value <= bound:
                self.counts[index] += 1
                break

    def lines(self, family: _Family) -> list[str]:
        lines = _header(family)
        cumulative = 0
        for bound, count in zip(self.bounds, self.counts, strict=True):
            cumulative += count
            lines.append(f'{family.name}_bucket{{le="{_number(bound)}"}} {cumulative}')
        lines.append(f'{family.name}_bucket{{le="+Inf"}} {self.count}')
        lines.append(f"{family.name}_sum {_number(self.sum)}")
        lines.append(f"{family.name}_count {self.count}")
        return lines


class Metrics:
    """The bot's counters, two histograms and one gauge; safe to feed from threads."""

    def __init__(self) -> None:
        # The answer engine may run in a worker thread; one lock keeps sum and count paired.
        self._lock = threading.Lock()
        self._questions = 0
        self._labelled: dict[_Family, dict[str, int]] = {
            ANSWERS: {"answered": 0, "refused": 0},
            VOTES: {"helpful": 0, "not_helpful": 0},
            ANNOUNCEMENTS: {"posted": 0, "failed": 0},
            RELOADS: {"ok": 0, "failed": 0},
        }
        self._latency = _Histogram(LATENCY_BUCKETS_SECONDS)
        self._loop_lag = _Histogram(LOOP_LAG_BUCKETS_SECONDS)
        self._facts_loaded = 0

    def question_answered(self, latency_s: float) -> None:
        """Record a question the bot answered, and how long that took."""
        self._question("answered", latency_s)

    def question_refused(self, latency_s: float) -> None:
        """Record a question the bot declined to answer (no confident match)."""
        self._question("refused", latency_s)

    def vote(self, helpful: bool) -> None:
        """Record a member's helpful / not helpful vote on an answer."""
        self._count(VOTES, "helpful" if helpful else "not_helpful")

    def announcement(self, posted: bool) -> None:
        """Record a scheduled announcement that was posted, or that failed to post."""
        self._count(ANNOUNCEMENTS, "posted" if posted else "failed")

    def reload(self, ok: bool) -> None:
        """Record a knowledge base reload and whether it succeeded."""
        self._count(RELOADS, "ok" if ok else "failed")

    def loop_lag(self, lateness_s: float) -> None:
        """Record how late the event loop woke the lag monitor's sleeper (seconds)."""
        if not math.isfinite(lateness_s) or lateness_s < 0:
            raise ValueError(f"loop lag must be a finite number of seconds >= 0, got {lateness_s}")
        with self._lock:
            self._loop_lag.observe(lateness_s)

    def set_facts_loaded(self, count: int) -> None:
        """Set how many facts the live knowledge base holds."""
        if count < 0:
            raise ValueError(f"facts loaded cannot be negative, got {count}")
        with self._lock:
            self._facts_loaded = count

    def render_prometheus(self) -> str:
        """All series in Prometheus text exposition format 0.0.4."""
        with self._lock:
            lines = [*_header(QUESTIONS), f"{QUESTIONS.name} {self._questions}"]
            for family, counts in self._labelled.items():
                lines += _header(family)
                lines += [f'{family.name}{{{family.label}="{v}"}} {n}' for v, n in counts.items()]
            lines += self._latency.lines(LATENCY)
            lines += self._loop_lag.lines(LOOP_LAG)
            lines += [*_header(FACTS_LOADED), f"{FACTS_LOADED.name} {self._facts_loaded}"]
        return "\n".join(lines) + "\n"

    def _question(self, result: str, latency_s: float) -> None:
        # perf_counter differences are never negative; one that is means a caller bug.
        if not math.isfinite(latency_s) or latency_s < 0:
            raise ValueError(f"latency must be a finite number of seconds >= 0, got {latency_s}")
        with self._lock:
            self._questions += 1
            self._labelled[ANSWERS][result] += 1
            self._latency.observe(latency_s)

    def _count(self, family: _Family, label_value: str) -> None:
        with self._lock:
            self._labelled[family][label_value] += 1


def _header(family: _Family) -> list[str]:
    return [f"# HELP {family.name} {family.help}", f"# TYPE {family.name} {family.kind}"]


def _number(value: float) -> str:
    """Prometheus float text: repr keeps full precision (0.0005, 1.0)."""
    return repr(float(value))


class CheckResult(NamedTuple):
    """One health check's verdict; `reason` is shown to whoever reads /healthz."""

    ok: bool
    reason: str


class HealthState(Protocol):
    """What /healthz asks; the bot implements it over its client, database and knowledge."""

    async def gateway_connected(self) -> CheckResult:
        """Whether the Discord gateway session is up."""
        ...

    async def database_writable(self) -> CheckResult:
        """Whether a write to the SQLite database succeeds."""
        ...

    async def knowledge_loaded(self) -> CheckResult:
        """Whether a valid knowledge base is loaded."""
        ...


def _named_checks(state: HealthState) -> dict[str, Callable[[], Awaitable[CheckResult]]]:
    return {
        "gateway": state.gateway_connected,
        "database": state.database_writable,
        "knowledge": state.knowledge_loaded,
    }


async def _run_check(name: str, check: Callable[[], Awaitable[CheckResult]]) -> CheckResult:
    """A check's result; a check that raises or hangs counts as failing, with why."""
    try:
        return await asyncio.wait_for(check(), CHECK_TIMEOUT_SECONDS)
    except TimeoutError:
        return CheckResult(False, f"check timed out after {CHECK_TIMEOUT_SECONDS} s")
    except Exception as error:
        log.warning("health check %s raised %s: %s", name, type(error).__name__, error)
        return CheckResult(False, f"check raised {type(error).__name__}: {error}")


class HealthServer:
    """Serves GET /healthz (200 or 503 as JSON) and GET /metrics (Prometheus text).

    With a loop lag monitor, /healthz also reports the event loop's recent lag. It is
    information, not a check: a slow reload must not make an orchestrator restart the bot.
    """

    def __init__(
        self, metrics: Metrics, state: HealthState, loop_lag: LoopLagMonitor | None = None
    ) -> None:
        self._metrics = metrics
        self._state = state
        self._loop_lag = loop_lag
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        """The bound port; with port 0 at start, the free port the OS picked."""
        if self._port is None:
            raise RuntimeError("health server is not running")
        return self._port

    async def start(self, host: str, port: int) -> None:
        """Bind and serve in the background; port 0 picks a free port (see `.port`)."""
        if self._runner is not None:
            raise RuntimeError("health server already started")
        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics_page)
        # No access log: probes every few seconds would drown the real events.
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:
            await runner.cleanup()
            raise
        self._runner = runner
        # With a name like "localhost" there may be several sockets; report the first.
        self._port = int(runner.addresses[0][1])
        log.info("health server listening", extra={"fields": {"host": host, "port": self._port}})

    async def stop(self) -> None:
        """Stop serving; safe to call when not started or already stopped."""
        runner, self._runner, self._port = self._runner, None, None
        if runner is not None:
            await runner.cleanup()

    async def _healthz(self, request: web.Request) -> web.Response:
        checks = _named_checks(self._state)
        results = await asyncio.gather(*(_run_check(n, c) for n, c in checks.items()))
        by_name = dict(zip(checks, results, strict=True))
        failing = {name: result.reason for name, result in by_name.items() if not result.ok}
        body: dict[str, object] = {
            "status": "failing" if failing else "ok",
            "checks": {name: r._asdict() for name, r in by_name.items()},
        }
        if failing:
            body["failing"] = failing
        if self._loop_lag is not None:
            body["loop_lag"] = self._loop_lag.report().as_json()
        return web.json_response(body, status=503 if failing else 200)

    async def _metrics_page(self, request: web.Request) -> web.Response:
        return web.Response(
            body=self._metrics.render_prometheus().encode("utf-8"),
            headers={"Content-Type": PROMETHEUS_CONTENT_TYPE},
        )
