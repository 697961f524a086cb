"""Event-loop lag of the real bot under a burst of questions, through the Discord double.

A real `StrikeBot` (every extension, real SQLite, the generated 10,000-fact base written
out as a `knowledge/` directory) connects to the local Discord API double
(tests/e2e/discord_double) in this process's event loop. Members then run `/ask` at
200 questions a second for 30 seconds; a third of the way in, a moderator's reload
re-reads the whole base (`KnowledgeService.reload`), and two thirds in, the
`/fact export` builder runs (`export_attachment`). A sleeper task asks for 1 ms
wake-ups throughout and records how late each one is: the loop lag a member's command
would see. The double runs in the same loop, so its own work is included in the lag
(an upper bound on the bot's share).

    python -m bench.loop_lag --cache DIR [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.generate import REAL_KNOWLEDGE, read_cached_knowledge, read_cached_queries
from bench.measure import percentile
from bot.config import load_settings
from bot.discord_app.client import StrikeBot
from bot.exts.facts._export import export_attachment
from bot.knowledge.model import KnowledgeBase, Strike
from bot.knowledge.yaml_dump import citation_data, dump_facts, dump_source, dump_yaml
from bot.runtime import Runtime
from tests.e2e.discord_double import DiscordDouble
from tests.e2e.discord_double.inprocess import pointed_at, running_client

RATE_PER_S = 200
FULL_SECONDS = 30.0
QUICK_SECONDS = 2.0
TICK_S = 0.001
"""The sleeper's requested wake-up interval; lateness beyond it is loop lag."""
MEMBERS = 50
"""Askers spread over several members, as a busy server would be."""
GUILD_READY_TIMEOUT = 0.05
DRAIN_S = 10.0
"""After the burst, how long to wait for the last answers to be sent."""


def _strike_data(strike: Strike) -> dict[str, Any]:
    return {
        "id": strike.id,
        "union": {"name": strike.union.name, "short": strike.union.short},
        "against": {"name": strike.against.name, "short": strike.against.short},
        "start": strike.start,
        "end": strike.end,
        "timezone": strike.timezone,
        "milestones": [
            {"day": m.day, "text": m.text, "citations": [citation_data(c) for c in m.citations]}
            for m in strike.milestones
        ],
    }


def write_knowledge_dir(kb: KnowledgeBase, directory: Path) -> None:
    """The base as a `knowledge/` directory the loader reads (facts grouped by strike)."""
    (directory / "facts").mkdir(parents=True)
    (directory / "sources").mkdir()
    shutil.copy(REAL_KNOWLEDGE / "templates.yaml", directory / "templates.yaml")
    strikes = [_strike_data(s) for s in kb.strikes.values()]
    (directory / "strikes.yaml").write_text(dump_yaml({"strikes": strikes}), encoding="utf-8")
    groups = [list(g.terms) for g in kb.synonyms]
    (directory / "synonyms.yaml").write_text(dump_yaml({"synonyms": groups}), encoding="utf-8")
    for source in kb.sources.values():
        (directory / "sources" / f"{source.id}.yaml").write_text(
            dump_source(source), encoding="utf-8"
        )
    by_file: dict[str, list[Any]] = defaultdict(list)
    for fact in kb.facts.values():
        by_file[fact.strikes[0] if fact.strikes else "general"].append(fact)
    for name, facts in by_file.items():
        (directory / "facts" / f"{name}.yaml").write_text(dump_facts(facts), encoding="utf-8")


class LagProbe:
    """Sleeps TICK_S at a time and records how late each wake-up is."""

    def __init__(self) -> None:
        self.lateness_ms: list[float] = []
        self.woke_at: list[float] = []
        self.worst_at_s = 0.0
        self._started = 0.0

    async def run(self, stop: asyncio.Event) -> None:
        """Until `stop` is set."""
        loop = asyncio.get_running_loop()
        self._started = loop.time()
        while not stop.is_set():
            before = loop.time()
            await asyncio.sleep(TICK_S)
            late = (loop.time() - before - TICK_S) * 1000
            if not self.lateness_ms or late > max(self.lateness_ms):
                self.worst_at_s = before - self._started
            self.lateness_ms.append(late)
            self.woke_at.append(loop.time())

    def worst_between(self, start: float, end: float) -> float:
        """The largest lateness of wake-ups between two loop times (0 when none)."""
        return max(
            (late for late, at in zip(self.lateness_ms, self.woke_at, strict=True)
             if start <= at <= end),
            default=0.0,
        )  # fmt: skip


async def _timed(
    label: str, work: Any, timings: dict[str, float], spans: dict[str, tuple[float, float]]
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()
    await work
    timings[label] = loop.time() - started
    spans[label] = (started, loop.time())


async def _burst(cache: Path, seconds: float, tmp: Path) -> dict[str, Any]:
    kb = read_cached_knowledge(cache)
    questions = [q.text for q in read_cached_queries(cache)]
    knowledge_dir = tmp / "knowledge"
    write_knowledge_dir(kb, knowledge_dir)
    double = DiscordDouble()
    await double.start()
    timings: dict[str, float] = {}
    try:
        with pointed_at(double):
            guild = double.create_guild("Federation HQ")
            channel = guild.text_channel("general")
            members = [double.create_member(guild, f"member{i}") for i in range(MEMBERS)]
            settings = load_settings(
                {
                    "STRIKEBOT_KNOWLEDGE": str(knowledge_dir),
                    "STRIKEBOT_DATA_DIR": str(tmp / "data"),
                    "STRIKEBOT_HEALTH_ENABLED": "false",
                    "STRIKEBOT_DEV_GUILD": str(guild.id),
                },
                require_token=False,
            )
            started = time.perf_counter()
            runtime = await Runtime.open(settings)
            timings["start_s"] = time.perf_counter() - started
            try:
                bot = StrikeBot(runtime, guild_ready_timeout=GUILD_READY_TIMEOUT)
                async with running_client(bot, double):
                    result = await _drive(double, guild, channel, members, questions, runtime,
                                          knowledge_dir, seconds, timings)  # fmt: skip
            finally:
                await runtime.close()
    finally:
        await double.stop()
    return {**result, "facts": len(kb.facts), **timings}


async def _drive(
    double: DiscordDouble,
    guild: Any,
    channel: Any,
    members: list[Any],
    questions: list[str],
    runtime: Runtime,
    knowledge_dir: Path,
    seconds: float,
    timings: dict[str, float],
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    probe = LagProbe()
    probe_task = asyncio.create_task(probe.run(stop))
    spans: dict[str, tuple[float, float]] = {}
    sent: list[asyncio.Task[Any]] = []
    side: list[asyncio.Task[None]] = []
    total = int(RATE_PER_S * seconds)
    begin = loop.time()
    for i in range(total):
        due = begin + i / RATE_PER_S
        if (delay := due - loop.time()) > 0:
            await asyncio.sleep(delay)
        if i == total // 3:
            side.append(
                asyncio.create_task(_timed("reload_s", runtime.knowledge.reload(), timings, spans))
            )
        if i == 2 * total // 3:
            export = export_attachment(
                runtime.knowledge.snapshot.knowledge, knowledge_dir, datetime.now(UTC)
            )
            side.append(asyncio.create_task(_timed("export_s", export, timings, spans)))
        question = questions[i % len(questions)][:100] or "when did the strike start"
        sent.append(asyncio.create_task(double.send_slash_command(
            guild, channel, members[i % len(members)], "ask", {"question": question}
        )))  # fmt: skip
    burst_s = loop.time() - begin
    records = await asyncio.gather(*sent)
    await asyncio.gather(*side)
    deadline = loop.time() + DRAIN_S
    paths = {r.callback_path for r in records}
    answered = 0
    while loop.time() < deadline:
        answered = len({r.path for r in double.requests if r.method == "POST"} & paths)
        if answered >= len(paths):
            break
        await asyncio.sleep(0.1)
    await asyncio.sleep(DRAIN_S / 10)  # the unanswered-question rows written after replies
    stop.set()
    with contextlib.suppress(asyncio.CancelledError):
        await probe_task
    lateness = probe.lateness_ms
    busy = sorted(spans.values())
    quiet_until = busy[0][0] if busy else loop.time()
    phases = {
        "max_ms_questions_only": probe.worst_between(begin, quiet_until),
        **{f"max_ms_during_{k[:-2]}": probe.worst_between(*v) for k, v in spans.items()},
    }
    return {
        **phases,
        "questions_sent": total,
        "questions_answered": answered,
        "burst_s": burst_s,
        "rate_per_s": RATE_PER_S,
        "samples": len(lateness),
        "max_ms": max(lateness),
        "p99_ms": percentile(lateness, 0.99),
        "median_ms": percentile(lateness, 0.5),
        "worst_at_s": probe.worst_at_s,
    }


def main() -> None:
    """Entry point: prints one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS:.0f} s burst")
    args = parser.parse_args()
    seconds = QUICK_SECONDS if args.quick else FULL_SECONDS
    with tempfile.TemporaryDirectory(prefix="strikebot-lag-") as tmp:
        result = asyncio.run(_burst(args.cache, seconds, Path(tmp)))
    sys.stdout.write(json.dumps({**result, "seconds": seconds}) + "\n")


if __name__ == "__main__":
    main()
