"""Running `strikebot console` as a real process, with a script on stdin."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

# Generous: one run loads and indexes the knowledge base (about a second here).
RUN_TIMEOUT_SECONDS = 120
# "Now" for every run: 2023-08-11 in Los Angeles, the day talks resumed (day 102).
FAKE_NOW = "2023-08-11T18:00:00+00:00"

RunConsole = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """Where the console's SQLite file goes (created by the first run)."""
    return tmp_path / "console.sqlite3"


@pytest.fixture
def run_console(knowledge_copy: Path, db_file: Path) -> RunConsole:
    """Run `python -m bot console` on the knowledge copy and database file, feeding `script`."""

    def run(script: str, *extra: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("STRIKEBOT_")}
        env["STRIKEBOT_FAKE_NOW"] = FAKE_NOW
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        command = [sys.executable, "-m", "bot", "console", "--knowledge", str(knowledge_copy)]
        return subprocess.run(
            [*command, "--db", str(db_file), *extra],
            input=script,
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=REPO_ROOT,
            env=env,
            timeout=RUN_TIMEOUT_SECONDS,
            check=False,
        )

    return run


def row_count(db_file: Path, table: str) -> int:
    """Rows in one table of the console's database (0 when the file does not exist)."""
    if not db_file.exists():
        return 0
    with sqlite3.connect(db_file) as connection:
        (count,) = connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    connection.close()
    return int(count)


def segments(output: str, *starts: str) -> list[str]:
    """The output cut where each of `starts` begins a line, in this order (asserted).

    Results are found by how they start rather than split at blank lines, because an
    answer's own text may hold a blank line.
    """
    found: list[int] = []
    for start in starts:
        if not found and output.startswith(start):
            found.append(0)
            continue
        at = output.find("\n" + start, found[-1] + 1 if found else 0)
        assert at >= 0, f"{start!r} does not start a line (in this order) in:\n{output}"
        found.append(at + 1)
    ends = [*found[1:], len(output)]
    return [output[a:b].strip("\n") for a, b in zip(found, ends, strict=True)]
