"""The markdown report: one row per method and size, ratios, and the issue's targets."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bench.baselines import BASELINES
from bench.quality import QualityCounts

P99_TARGETS_MS = {10_000: 2.0, 100_000: 10.0}
SPEEDUP_TARGET = 20.0
SPEEDUP_SIZE = 100_000
BUILD_TARGET_S, BUILD_SIZE = 1.0, 10_000
PROCESS_RSS_TARGET_MB = 150.0
"""The issue's limit, in megabytes (10^6 bytes): 143.1 MiB."""
BYTES_PER_MIB = 1024 * 1024
LOOP_LAG_TARGET_MS = 20.0
FULL_RERANK = "engine-full-rerank"


@dataclass
class Measured:
    """Every worker's result for one size; `empty` is the process with no index."""

    size: int
    empty: dict[str, Any]
    results: dict[str, dict[str, Any]] = field(default_factory=dict)


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def _ratio(baseline: float | None, ours: float) -> str:
    if baseline is None or ours <= 0:
        return "-"
    ratio = baseline / ours
    return f"{ratio:.1f}x" if ratio >= 1 else f"{ratio:.2g}x"


def _difflib_extrapolation(measured: list[Measured], size: int) -> str:
    known = [m for m in measured if "difflib-scan" in m.results]
    if not known:
        return "not run"
    last = max(known, key=lambda m: m.size)
    row = last.results["difflib-scan"]
    per_question_s = row["mean_ms"] / 1000 * size / last.size
    questions = row["project"]["answerable"] + row["project"]["must_refuse"] + 30
    return f"not run: would take ~{per_question_s * questions / 60:.0f} min (extrapolated)"


def _rows(measured: list[Measured], difflib_max_queries: int) -> list[str]:
    head = (
        "| method | facts | build s | median ms | p99 ms | timed q | index RSS MiB | "
        "process RSS MiB | project correct % | project wrong % | refused-when-should % | "
        "member-style correct % | member-style wrong % | median vs rapidfuzz | "
        "vs difflib | vs bm25 |"
    )
    lines = [head, "|" + "---|" * 16]
    for m in measured:
        base = {b: m.results.get(b, {}).get("median_ms") for b in BASELINES}
        for method in ("engine", FULL_RERANK, *BASELINES):
            row = m.results.get(method)
            if row is None:
                if method == "difflib-scan":
                    note = _difflib_extrapolation(measured, m.size)
                    lines.append(f"| {method} | {m.size:,} | {note} |" + " |" * 13)
                continue
            p = QualityCounts.from_json(row["project"])
            s = QualityCounts.from_json(row["member"])
            timed = f"{row['timed_queries']}"
            if method in ("difflib-scan", FULL_RERANK):
                timed += f" (subsample, max {difflib_max_queries})"
            index_rss = row["rss_peak_mib"] - m.empty["rss_peak_mib"]
            ratios = " | ".join(_ratio(base[b], row["median_ms"]) for b in BASELINES)
            lines.append(
                f"| {method} | {m.size:,} | {row['build_s']:.3f} | {row['median_ms']:.3f} | "
                f"{row['p99_ms']:.3f} | {timed} | {index_rss:.1f} | {row['rss_peak_mib']:.1f} | "
                f"{_pct(p.correct, p.answerable)} | {_pct(p.wrong, p.answerable)} | "
                f"{_pct(p.refused_when_should, p.must_refuse)} | "
                f"{_pct(s.correct, s.answerable)} | {_pct(s.wrong, s.answerable)} | {ratios} |"
            )
    return lines


def _engine_vs(measured: list[Measured]) -> list[str]:
    lines = [
        "| facts | engine p99 ms | vs rapidfuzz (median / p99) | vs difflib (median / p99) "
        "| vs bm25 (median / p99) |",
        "|---|---|---|---|---|",
    ]
    for m in measured:
        ours = m.results.get("engine")
        if ours is None:
            continue
        cells = []
        for b in BASELINES:
            row = m.results.get(b)
            if row is None:
                cells.append("not run")
                continue
            median = _ratio(row["median_ms"], ours["median_ms"])
            cells.append(f"{median} / {_ratio(row['p99_ms'], ours['p99_ms'])}")
        lines.append(f"| {m.size:,} | {ours['p99_ms']:.3f} | " + " | ".join(cells) + " |")
    return lines


def _met(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _targets(
    measured: list[Measured],
    reference: dict[str, Any],
    process: dict[str, Any],
    lag: dict[str, Any] | None,
) -> list[str]:
    by_size = {m.size: m for m in measured}
    ref = QualityCounts.from_json(reference["project"])
    lines = ["| target | measured | ratio to target | verdict |", "|---|---|---|---|"]
    for size, limit in P99_TARGETS_MS.items():
        engine = by_size[size].results.get("engine") if size in by_size else None
        if engine is None:
            continue
        p99 = engine["p99_ms"]
        lines.append(
            f"| p99 <= {limit:g} ms at {size:,} facts | {p99:.2f} ms | "
            f"{p99 / limit:.2f}x of the limit | {_met(p99 <= limit)} |"
        )
        got = QualityCounts.from_json(engine["project"])
        full = by_size[size].results.get(FULL_RERANK)
        if full is not None:
            whole = QualityCounts.from_json(full["project"])
            same = got.handled >= whole.handled and got.false_answers <= whole.false_answers
            lines.append(
                f"| no quality lost by the speed-up at {size:,} facts (vs re-ranking every "
                f"fact sharing a term: {whole.correct} correct, {whole.false_answers} false "
                f"answers of {whole.answerable + whole.must_refuse}) | {got.correct} correct, "
                f"{got.false_answers} false answers | {got.handled - whole.handled:+d} "
                f"handled, {got.false_answers - whole.false_answers:+d} false | {_met(same)} |"
            )
        lines.append(
            f"| (for information) quality at {size:,} facts vs the real base alone "
            f"({ref.correct} correct, {ref.false_answers} false answers) | {got.correct} "
            f"correct, {got.false_answers} false answers | {got.correct - ref.correct:+d} "
            f"correct, {got.false_answers - ref.false_answers:+d} false | other unions' "
            "facts make some questions ambiguous |"
        )
    big = by_size.get(SPEEDUP_SIZE)
    if big and "engine" in big.results and "rapidfuzz-scan" in big.results:
        ours, theirs = big.results["engine"], big.results["rapidfuzz-scan"]
        speed = theirs["median_ms"] / ours["median_ms"]
        speed99 = theirs["p99_ms"] / ours["p99_ms"]
        lines.append(
            f"| >= {SPEEDUP_TARGET:g}x faster than the rapidfuzz scan at {SPEEDUP_SIZE:,} | "
            f"{speed:.1f}x (median), {speed99:.1f}x (p99) | "
            f"{min(speed, speed99) / SPEEDUP_TARGET:.2f}x of the target | "
            f"{_met(min(speed, speed99) >= SPEEDUP_TARGET)} |"
        )
        a, b = QualityCounts.from_json(ours["project"]), QualityCounts.from_json(theirs["project"])
        better = a.handled >= b.handled and a.precision >= b.precision
        lines.append(
            f"| quality >= the rapidfuzz scan at {SPEEDUP_SIZE:,} (project set: handled as "
            f"expected, and the share of given answers that were right) | engine "
            f"{a.handled}/{a.answerable + a.must_refuse} handled, {a.correct} right of "
            f"{a.correct + a.false_answers} given ({a.precision:.1%}); rapidfuzz {b.handled}, "
            f"{b.correct} of {b.correct + b.false_answers} ({b.precision:.1%}) | "
            f"{a.handled - b.handled:+d} handled, {a.precision - b.precision:+.1%} right | "
            f"{_met(better)} |"
        )
    build = by_size.get(BUILD_SIZE)
    if build and "engine" in build.results:
        seconds = build.results["engine"]["build_s"]
        lines.append(
            f"| index build <= {BUILD_TARGET_S:g} s at {BUILD_SIZE:,} | {seconds:.2f} s | "
            f"{seconds / BUILD_TARGET_S:.2f}x of the limit | {_met(seconds <= BUILD_TARGET_S)} |"
        )
    rss = process["ru_maxrss_mib"]
    rss_mb = rss * BYTES_PER_MIB / 1e6
    lines.append(
        f"| whole bot process <= {PROCESS_RSS_TARGET_MB:g} MB RSS at {process['facts']:,} | "
        f"{rss_mb:.0f} MB ({rss:.0f} MiB) | {rss_mb / PROCESS_RSS_TARGET_MB:.2f}x of the limit "
        f"| {_met(rss_mb <= PROCESS_RSS_TARGET_MB)} |"
    )
    if lag is not None:
        lines.append(
            f"| loop never blocked > {LOOP_LAG_TARGET_MS:g} ms by matching, reloading or "
            f"exporting ({lag['rate_per_s']} q/s for {lag['seconds']:g} s with a reload and an "
            f"export, {lag['facts']:,} facts) | {lag['over_limit_whole_run']} of "
            f"{lag['samples_whole_run']} wake-ups over {LOOP_LAG_TARGET_MS:g} ms, worst <= "
            f"{lag['max_ms_whole_run']:.0f} ms; p99 {lag['p99_ms']:.1f} ms | "
            f"{lag['max_ms_whole_run'] / LOOP_LAG_TARGET_MS:.2f}x of the limit | "
            f"{_met(lag['over_limit_whole_run'] == 0)} |"
        )
    return lines


def _lag_section(lag: dict[str, Any] | None) -> list[str]:
    if lag is None:
        return ["Loop lag: not run (--no-lag)."]
    phases = ", ".join(
        f"{k.removeprefix('max_ms_').replace('_', ' ')}: <= {v:.0f} ms "
        f"({lag.get('over_limit_' + k.removeprefix('max_ms_'), 0)} over the limit)"
        for k, v in lag.items()
        if k.startswith("max_ms_") and k != "max_ms_whole_run"
    )
    return [
        f"The real `strikebot run` process (all extensions, SQLite) against the Discord double "
        f"in the benchmark's process, {lag['facts']:,} facts: {lag['questions_sent']} `/ask` "
        f"sent over {lag['burst_s']:.1f} s (target {lag['seconds']:g} s at "
        f"{lag['rate_per_s']}/s), {lag['questions_answered']} answered within Discord's 3 s. "
        f"The bot's own loop lag monitor ({lag['interval_ms']:g} ms sleeper), last minute "
        "(start-up included: loading extensions, syncing commands, READY): "
        f"{lag['samples']} wake-ups, median {lag['median_ms']:.2f} ms late, p99 "
        f"{lag['p99_ms']:.1f} ms, max {lag['max_ms']:.0f} ms, {lag['over_limit']} over the "
        f"limit. Worst wake-up by phase (histogram bucket bound): {phases}. `/kb reload` "
        f"took {lag.get('reload_s', 0):.1f} s, `/fact export` {lag.get('export_s', 0):.1f} s, "
        f"bot start {lag.get('start_s', 0):.1f} s.",
    ]


def render_report(
    *,
    command: str,
    quick: bool,
    measured: list[Measured],
    reference_engine: dict[str, Any],
    process: dict[str, Any],
    lag: dict[str, Any] | None,
    elapsed_s: float,
    difflib_max_size: int,
    difflib_max_queries: int,
) -> str:
    """The whole RESULTS.md text."""
    ref = QualityCounts.from_json(reference_engine["project"])
    thresholds = "; ".join(
        f"{b} at {m.size:,}: {m.results[b]['threshold']:.3g}"
        for m in measured
        for b in BASELINES
        if b in m.results
    )
    lines = [
        "# Answer engine benchmark" + (" (quick mode: a smoke run, not numbers)" if quick else ""),
        "",
        f"Command: `{command}` (from the repository root, in the README's venv).",
        "",
        f"Machine: {os.cpu_count()} CPUs (nproc), Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}. Date: {datetime.now(UTC):%Y-%m-%d %H:%M} "
        f"UTC. Whole run: {elapsed_s / 60:.1f} min.",
        "",
        "Each row is one fresh process (`bench/measure.py`): load the generated base, build, "
        "score the project's question set (tests/quality/questions.yaml), then time member-"
        "style queries (typos, abbreviations, nicknames, off-topic; `bench/queries.py`) for up "
        "to 30 s each (quick mode: a few queries, 5+5 project questions). Sizes count every "
        "fact, the real `knowledge/` base included; generated "
        "facts come from `bench/generate.py` (fixed seed). Index RSS = the process's peak RSS "
        "(ru_maxrss) minus that of the same process with no index built (same imports, same "
        "base loaded); process RSS is the absolute peak. Speed ratios are baseline median / "
        "this row's median (above 1x: this row is faster).",
        "",
        f"Baselines abstain below a threshold tuned per size to maximise their handled "
        f"questions on the project set itself (an upper bound for them): {thresholds}. They "
        "cannot answer day counts (`strike-day:...`, from the strike calendar). difflib is "
        f"timed on a subsample of at most {difflib_max_queries} queries and not run above "
        f"{difflib_max_size:,} facts.",
        "",
        "## Results",
        "",
        *_rows(measured, difflib_max_queries),
        "",
        f"Reference: the engine on the real base alone ({reference_engine['facts']} facts): "
        f"{_pct(ref.correct, ref.answerable)}% correct, {_pct(ref.wrong, ref.answerable)}% "
        f"wrong, {_pct(ref.refused_when_should, ref.must_refuse)}% refused-when-should.",
        "",
        "## Engine speed-up over each baseline",
        "",
        *_engine_vs(measured),
        "",
        "## Targets",
        "",
        *_targets(measured, reference_engine, process, lag),
        "",
        "## Event-loop lag",
        "",
        *_lag_section(lag),
        "",
    ]
    return "\n".join(lines)
