"""The benchmark: every method at every size, one fresh process each, one markdown table.

    python -m bench.run [--quick] [--sizes 100 1000 ...] [--out bench/RESULTS.md]

Full run: 100, 1,000, 10,000 and 100,000 facts, plus the whole-process RSS and the event
loop lag at 10,000 facts (well under 30 minutes on 2 cores). `--quick` (CI): 100 and
1,000 facts with short budgets, a 2 s loop-lag run; it only shows the harness works.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.baselines import BASELINES
from bench.report import Measured, render_report

FULL_SIZES = (100, 1_000, 10_000, 100_000)
QUICK_SIZES = (100, 1_000)
METHOD_ORDER = ("engine", "engine-full-rerank", *BASELINES)
SUBSAMPLED = ("difflib-scan", "engine-full-rerank")
"""Slow methods timed on at most DIFFLIB_MAX_QUERIES member-style queries."""
REFERENCE_SIZE = 1
"""A size below the real base's: the real base alone, the quality the engine is tuned on."""
DIFFLIB_MAX_SIZE = 10_000
"""Pure-Python SequenceMatcher takes seconds per question above this; extrapolated instead."""
FULL_QUERY_BUDGET_S = 30.0
QUICK_QUERY_BUDGET_S = 0.3
FULL_MAX_QUERIES = 1_000
QUICK_MAX_QUERIES = 40
QUICK_PROJECT_SAMPLE = 5
"""Quick mode scores 5 answerable and 5 must-refuse project questions: it only shows it runs."""
QUICK_LAG_SIZE = 100
"""Quick mode's loop-lag run uses the smallest base, so reloading it takes no time."""
DIFFLIB_MAX_QUERIES = 100
"""Difflib is timed on a random subsample of the member-style queries (stated in the table)."""
WORKER_TIMEOUT_S = 20 * 60
DEFAULT_OUT = Path(__file__).resolve().parent / "RESULTS.md"


def _python(module: str, *args: str, timeout: float = WORKER_TIMEOUT_S) -> str:
    """Run `python -m module args` in a fresh interpreter; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _worker(
    method: str, cache: Path, max_queries: int, budget: float, project_sample: int = 0
) -> dict[str, Any]:
    out = _python(
        "bench.measure",
        "--method", method, "--cache", str(cache),
        "--max-queries", str(max_queries), "--budget", str(budget),
        "--project-sample", str(project_sample),
    )  # fmt: skip
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _log(message: str) -> None:
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def _measure_size(size: int, work: Path, quick: bool) -> Measured:
    cache = work / str(size)
    started = time.perf_counter()
    _python("bench.generate", "--size", str(size), "--out", str(cache))
    _log(f"generated {size} facts in {time.perf_counter() - started:.1f} s")
    budget = QUICK_QUERY_BUDGET_S if quick else FULL_QUERY_BUDGET_S
    max_queries = QUICK_MAX_QUERIES if quick else FULL_MAX_QUERIES
    sample = QUICK_PROJECT_SAMPLE if quick else 0
    measured = Measured(size=size, empty=_worker("none", cache, 1, 0.0, sample))
    for method in METHOD_ORDER:
        if method == "difflib-scan" and size > DIFFLIB_MAX_SIZE:
            continue
        cap = min(max_queries, DIFFLIB_MAX_QUERIES) if method in SUBSAMPLED else max_queries
        started = time.perf_counter()
        measured.results[method] = _worker(method, cache, cap, budget, sample)
        _log(f"{method} at {size}: {time.perf_counter() - started:.1f} s")
    return measured


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, write the markdown report and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="CI smoke run: 100 and 1,000 facts")
    parser.add_argument("--sizes", type=int, nargs="+", help="fact base sizes to measure")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-lag", action="store_true", help="skip the event-loop lag run")
    args = parser.parse_args(argv)
    sizes = tuple(args.sizes or (QUICK_SIZES if args.quick else FULL_SIZES))
    command = "python -m bench.run" + (" --quick" if args.quick else "")
    if args.sizes:
        command += " --sizes " + " ".join(map(str, sizes))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="strikebot-bench-") as tmp:
        work = Path(tmp)
        reference = work / "reference"
        _python("bench.generate", "--size", str(REFERENCE_SIZE), "--out", str(reference))
        reference_engine = _worker("engine", reference, 1, 0.0)
        measured = [_measure_size(size, work, args.quick) for size in sizes]
        process_size = max(s for s in sizes if s <= 10_000) if args.quick else 10_000
        cache = work / str(process_size)
        if not cache.exists():
            _python("bench.generate", "--size", str(process_size), "--out", str(cache))
        process = json.loads(_python("bench.process_rss", "--cache", str(cache)).splitlines()[-1])
        _log(f"whole-process RSS at {process_size}: {process['ru_maxrss_mib']:.0f} MiB")
        lag: dict[str, Any] | None = None
        if not args.no_lag:
            lag_cache = work / str(QUICK_LAG_SIZE) if args.quick else cache
            if not lag_cache.exists():
                _python("bench.generate", "--size", str(QUICK_LAG_SIZE), "--out", str(lag_cache))
            lag_args = ["--cache", str(lag_cache)] + (["--quick"] if args.quick else [])
            lag = json.loads(_python("bench.loop_lag", *lag_args).splitlines()[-1])
            _log(f"loop lag: max {lag['max_ms']:.1f} ms")
    text = render_report(
        command=command,
        quick=args.quick,
        measured=measured,
        reference_engine=reference_engine,
        process=process,
        lag=lag,
        elapsed_s=time.perf_counter() - started,
        difflib_max_size=DIFFLIB_MAX_SIZE,
        difflib_max_queries=DIFFLIB_MAX_QUERIES,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
