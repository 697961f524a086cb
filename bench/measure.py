"""One measurement in a fresh process: one method on one generated base.

A fresh interpreter per (method, size) keeps measurements from contaminating each other:
each gets its own peak RSS, a cold allocator and no other method's index in memory.
Every worker imports the same modules and loads the same base before building, so the
'none' worker (which builds nothing) is the empty-process baseline the others' index
RSS is measured against. Prints one JSON object on stdout.

    python -m bench.measure --method engine --cache DIR [--max-queries N] [--budget S]
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import bot.answers.engine  # noqa: F401  (loaded by every worker, so RSS baselines match)
from bench.baselines import METHODS, Guess
from bench.generate import read_cached_knowledge, read_cached_queries
from bench.quality import count, project_questions, thresholded, tune_threshold

WARM_UP_QUERIES = 3
"""Untimed first calls: lazy imports and first-touch allocations are not answer latency."""
MIN_TIMED_QUERIES = 30
"""Below this a p99 says nothing; a method keeps answering past its budget until here."""
KIB_PER_MIB = 1024


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports ru_maxrss in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / KIB_PER_MIB


def high_water_mib() -> float | None:
    """The kernel's VmHWM for this process (a cross-check of ru_maxrss; Linux only)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / KIB_PER_MIB
    except OSError:
        return None
    return None


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p99 of 100 values is the 99th smallest)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))
    return ordered[int(rank) - 1]


def measure(
    method_name: str, cache: Path, max_queries: int, budget_s: float, project_sample: int = 0
) -> dict[str, Any]:
    """Build the method's index over the cached base, then score and time it.

    `project_sample` > 0 scores only that many answerable and must-refuse questions of
    the project set each (quick mode: it shows the harness works, not quality).
    """
    kb = read_cached_knowledge(cache)
    queries = read_cached_queries(cache)
    labelled = project_questions(kb)
    if project_sample > 0:
        answerable = [q for q in labelled if q.expected][:project_sample]
        labelled = answerable + [q for q in labelled if not q.expected][:project_sample]
    gc.collect()
    rss_loaded = peak_rss_mib()

    method = METHODS[method_name]()
    started = time.perf_counter()
    method.build(kb)
    build_s = time.perf_counter() - started
    rss_built = peak_rss_mib()

    labels = [q.expected for q in labelled]
    guesses: list[Guess] = [method.guess(q.text) for q in labelled]
    if method.tunable:
        method.threshold = tune_threshold(labels, guesses)
    project = count(labels, thresholded(guesses, method.threshold))
    if not method.tunable:
        project = count(labels, [g.fact_id for g in guesses])

    for query in queries[:WARM_UP_QUERIES]:
        method.answer(query.text)
    latencies_ns: list[int] = []
    answers: list[str | None] = []
    started = time.perf_counter()
    for query in queries[:max_queries]:
        before = time.perf_counter_ns()
        answered = method.answer(query.text)
        latencies_ns.append(time.perf_counter_ns() - before)
        answers.append(answered)
        spent = time.perf_counter() - started
        if spent > budget_s and len(latencies_ns) >= MIN_TIMED_QUERIES:
            break
    member = count([q.expected for q in queries[: len(answers)]], answers)
    latencies_ms = [ns / 1e6 for ns in latencies_ns]
    return {
        "method": method_name,
        "facts": len(kb.facts),
        "build_s": build_s,
        "timed_queries": len(latencies_ms),
        "available_queries": len(queries),
        "median_ms": statistics.median(latencies_ms) if latencies_ms else 0.0,
        "p99_ms": percentile(latencies_ms, 0.99) if latencies_ms else 0.0,
        "mean_ms": statistics.fmean(latencies_ms) if latencies_ms else 0.0,
        "threshold": method.threshold,
        "project": project.as_json(),
        "member": member.as_json(),
        "rss_loaded_mib": rss_loaded,
        "rss_built_mib": rss_built,
        "rss_peak_mib": peak_rss_mib(),
        "vm_hwm_mib": high_water_mib(),
    }


def main() -> None:
    """Entry point of a worker process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", choices=sorted(METHODS), required=True)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--max-queries", type=int, default=1_000)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of timed queries")
    parser.add_argument("--project-sample", type=int, default=0, help="0: the whole set")
    args = parser.parse_args()
    result = measure(args.method, args.cache, args.max_queries, args.budget, args.project_sample)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
