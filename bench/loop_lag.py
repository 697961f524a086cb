"""Event-loop lag of the real bot process under a burst of questions, through the Discord double.

The real `python -m bot run` (every extension, real SQLite, the generated 10,000-fact
base written out as a `knowledge/` directory) runs as a child process against the local
Discord API double (tests/e2e/discord_double), which stays in this process: the double's
own work no longer shares the bot's loop, so only the bot's lag is measured. Members run
`/ask` at 200 questions a second for 30 seconds; a third of the way in a moderator runs
`/kb reload`, two thirds in `/fact export`, both through the double like any command.

The lag is the bot's own: its loop lag monitor (bot/loop_lag.py, a sleeper waking every
5 ms) feeds the `strikebot_event_loop_lag_seconds` histogram on /metrics and the
`loop_lag` summary on /healthz. /metrics is scraped when each phase starts and ends; a
phase's figures are the histogram's growth over it: wake-ups later than the 20 ms limit,
and the worst one as the upper bound of the highest bucket reached (`max_ms_*` keys:
"no later than"). Overall max, p99 and median are exact, from /healthz's one-minute
window read right after the burst. The monitor's 5 ms interval is the resolution: a
block of B ms reads as B - 5 to B.

    python -m bench.loop_lag --cache DIR [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp

from bench.generate import REAL_KNOWLEDGE, read_cached_knowledge, read_cached_queries
from bot.health import LOOP_LAG, LOOP_LAG_BUCKETS_SECONDS
from bot.knowledge.model import KnowledgeBase, Strike
from bot.knowledge.yaml_dump import citation_data, dump_facts, dump_source, dump_yaml
from bot.loop_lag import LIMIT_S
from tests.e2e.bot_process import BotProcess
from tests.e2e.discord_double import DiscordDouble, InteractionRecord
from tests.e2e.scenario_world import StrikeWorld, open_world

RATE_PER_S = 200
FULL_SECONDS = 30.0
QUICK_SECONDS = 2.0
MEMBERS = 50
"""Askers spread over several members, as a busy server would be."""
START_S = 60.0
"""Ceiling for the bot's start-up with a 10,000-fact base (imports, load, index, sync)."""
SIDE_WORK_S = 120.0
"""Ceiling for one reload or export reply on a loaded, shared 2-core machine."""
DRAIN_S = 10.0
"""After the burst, how long to wait for the last answers to be sent."""
_BUCKET = re.compile(LOOP_LAG.name + r'_bucket\{le="([^"]+)"\} (\d+)')


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


Histogram = dict[float, int]
"""Cumulative wake-up counts of the loop lag histogram by upper bound (s; inf for +Inf)."""


async def _scrape(http: aiohttp.ClientSession, bot: BotProcess) -> Histogram:
    url = bot.health_url.replace("/healthz", "/metrics")
    async with http.get(url) as response:
        text = await response.text()
    return {float(le): int(n) for le, n in _BUCKET.findall(text)}


def _phase(before: Histogram, after: Histogram) -> tuple[float, int, int]:
    """Worst bucket bound (ms), wake-ups over the limit, wake-ups: growth between scrapes."""
    grown = {le: after[le] - before.get(le, 0) for le in sorted(after)}
    below = 0
    worst = 0.0
    for le, cumulative in grown.items():
        if cumulative > below:
            worst = le
        below = cumulative
    over = below - grown.get(LIMIT_S, 0)
    top = LOOP_LAG_BUCKETS_SECONDS[-1]
    return (worst if worst != float("inf") else top) * 1000, over, below


async def _side(
    world: StrikeWorld, command: str, http: aiohttp.ClientSession, bot: BotProcess
) -> dict[str, Any]:
    """Run a moderator command; scrape the histogram when it is sent and when it replied."""
    before = await _scrape(http, bot)
    started = time.perf_counter()
    record = await world.slash(world.mod, command)
    reply = await world.double.messages.changes.wait_for(
        lambda c: c.by_bot and _answers(c.message, record), timeout=SIDE_WORK_S
    )
    took = time.perf_counter() - started
    after = await _scrape(http, bot)
    return {"s": took, "reply": str(reply.message.get("content", ""))[:120],
            "before": before, "after": after}  # fmt: skip


def _answers(message: dict[str, Any], record: InteractionRecord) -> bool:
    metadata = message.get("interaction_metadata") or {}
    loading = int(message.get("flags") or 0) & (1 << 7)
    return metadata.get("id") == str(record.id) and not loading and bool(message.get("content"))


async def _burst(cache: Path, seconds: float, tmp: Path) -> dict[str, Any]:
    kb = read_cached_knowledge(cache)
    questions = [q.text[:100] or "when did the strike start" for q in read_cached_queries(cache)]
    knowledge_dir = tmp / "knowledge"
    write_knowledge_dir(kb, knowledge_dir)
    double = DiscordDouble()
    await double.start()
    try:
        async with contextlib.aclosing(open_world(double, tmp / "data", knowledge_dir)) as worlds:
            world = await anext(worlds)
            members = [double.create_member(world.guild, f"member{i}") for i in range(MEMBERS)]
            started = time.perf_counter()
            bot = world.make_bot()
            await bot.start(START_S)
            start_s = time.perf_counter() - started
            async with aiohttp.ClientSession() as http, _harness_collector_off():
                result = await _drive(world, bot, http, members, questions, seconds)
            await bot.stop_cleanly()
    finally:
        await double.stop()
    return {**result, "facts": len(kb.facts), "start_s": start_s}


@contextlib.asynccontextmanager
async def _harness_collector_off() -> AsyncIterator[None]:
    """The double's cyclic collector off for the burst (this process only, not the bot's).

    The double keeps every interaction and message it saw; its full collections took
    100-280 ms by the end of a burst, held every delivery back meanwhile, then released
    them to the bot in one bunch, which the bot's lag then showed as its own. The
    harness's pauses are not the bot's, so they are kept out of the measurement.
    """
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


async def _drive(
    world: StrikeWorld,
    bot: BotProcess,
    http: aiohttp.ClientSession,
    members: list[Any],
    questions: list[str],
    seconds: float,
) -> dict[str, Any]:
    loop = asyncio.get_running_loop()
    begin_histogram = await _scrape(http, bot)
    sent: list[asyncio.Task[InteractionRecord]] = []
    side: dict[str, asyncio.Task[dict[str, Any]]] = {}
    total = int(RATE_PER_S * seconds)
    begin = loop.time()
    for i in range(total):
        if (delay := begin + i / RATE_PER_S - loop.time()) > 0:
            await asyncio.sleep(delay)
        if i == total // 3:
            side["reload"] = asyncio.create_task(_side(world, "kb reload", http, bot))
        if i == 2 * total // 3:
            side["export"] = asyncio.create_task(_side(world, "fact export", http, bot))
        sent.append(asyncio.create_task(world.double.send_slash_command(
            world.guild, world.general, members[i % len(members)], "ask",
            {"question": questions[i % len(questions)]},
        )))  # fmt: skip
    burst_s = loop.time() - begin
    records = await asyncio.gather(*sent)
    done = {name: await task for name, task in side.items()}
    answered = await _answered(world, records)
    _, report = await bot.health()
    end_histogram = await _scrape(http, bot)
    lag = report["loop_lag"]
    phases: dict[str, Any] = {}
    quiet = (begin_histogram, done["reload"]["before"]) if "reload" in done else None
    for name, (before, after) in {
        "start_up": ({}, begin_histogram),
        "questions_only": quiet,
        **{f"during_{k}": (v["before"], v["after"]) for k, v in done.items()},
        "whole_run": (begin_histogram, end_histogram),
    }.items():
        if before is None:
            continue
        worst_ms, over, count = _phase(before, after)
        phases[f"max_ms_{name}"] = worst_ms
        phases[f"over_limit_{name}"] = over
        phases[f"samples_{name}"] = count
    return {
        **phases,
        "questions_sent": total,
        "questions_answered": answered,
        "burst_s": burst_s,
        "rate_per_s": RATE_PER_S,
        "samples": lag["samples"],
        "max_ms": lag["max_ms"],
        "p99_ms": lag["p99_ms"],
        "median_ms": lag["median_ms"],
        "over_limit": lag["over_limit"],
        "interval_ms": lag["interval_ms"],
        **{f"{k}_s": v["s"] for k, v in done.items()},
        **{f"{k}_reply": v["reply"] for k, v in done.items()},
    }


async def _answered(world: StrikeWorld, records: list[InteractionRecord]) -> int:
    """How many `/ask` got a successful initial response (Discord allows 3 s for it)."""
    paths = {r.callback_path for r in records}
    deadline = asyncio.get_running_loop().time() + DRAIN_S
    while True:
        ok = {r.path for r in world.double.requests if r.method == "POST" and r.status < 300}
        if len(ok & paths) >= len(paths) or asyncio.get_running_loop().time() > deadline:
            return len(ok & paths)
        await asyncio.sleep(0.1)


def main() -> None:
    """Entry point: prints one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_SECONDS:.0f} s burst")
    args = parser.parse_args()
    seconds = QUICK_SECONDS if args.quick else FULL_SECONDS
    # The bot's log (printed when its process is reaped) goes to stderr: stdout is the JSON.
    with (
        tempfile.TemporaryDirectory(prefix="strikebot-lag-") as tmp,
        contextlib.redirect_stdout(sys.stderr),
    ):
        result = asyncio.run(_burst(args.cache, seconds, Path(tmp)))
    sys.stdout.write(json.dumps({**result, "seconds": seconds}) + "\n")


if __name__ == "__main__":
    main()
