"""The benchmark's quick mode runs end to end and writes a row per method and size.

Only that it runs: timings belong in bench/RESULTS.md, not in assertions.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.baselines import BASELINES

ROOT = Path(__file__).resolve().parent.parent.parent
QUICK_TIMEOUT_S = 120
"""Generous: the quick run takes about 25 s on a 2-core machine."""


def test_quick_mode_writes_a_row_for_every_method_at_both_sizes(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--no-lag", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=QUICK_TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line.split("|")[1:3] for line in out.read_text().splitlines()]
    cells = {(m.strip(), n.strip()) for m, n in (r for r in rows if len(r) == 2)}
    for size in ("100", "1,000"):
        for method in ("engine", *BASELINES):
            assert (method, size) in cells, f"no row for {method} at {size} facts"
    assert "python -m bench.run --quick" in out.read_text()
