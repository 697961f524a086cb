"""`strikebot announce`: the post for a date, without Discord or a database."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import KNOWLEDGE_DIR

FACT = """facts:
  - id: day-100-matches-2007
    as_of: 2023-08-11
    strikes: [wga-2023]
    questions:
      - is day 100 as long as the last strike?
    answer: On Wednesday, Aug 9, 2023, the WGA strike reached 100 days, as long as 2007-08.
    citations:
      - source: wire-2023-08-11-wga-talks-resume
        quote: On Wednesday, the WGA marked the 100th day of its strike
"""


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """Strikes, sources and templates as committed, and one fact of our own."""
    root = tmp_path / "knowledge"
    root.mkdir()
    for name in ("strikes.yaml", "templates.yaml"):
        shutil.copy(KNOWLEDGE_DIR / name, root / name)
    shutil.copytree(KNOWLEDGE_DIR / "sources", root / "sources")
    (root / "facts").mkdir()
    (root / "facts" / "day-100.yaml").write_text(FACT, encoding="utf-8")
    return root


def run(knowledge: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["announce", "--knowledge", str(knowledge), *args])
    return status, capsys.readouterr().out


def test_json_for_day_100(knowledge: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(knowledge, capsys, "--date", "2023-08-09", "--json")
    assert status == 0
    data = json.loads(out)
    assert set(data) == {"date", "text", "strikes"}
    assert data["date"] == "2023-08-09"
    assert data["strikes"] == [
        {"strike_id": "wga-2023", "day": 100},
        {"strike_id": "sag-aftra-2023", "day": 27},
    ]
    assert data["text"].startswith("Day 100 of the WGA strike against the AMPTP\n")
    assert "2007-08" in data["text"]
    assert data["text"].endswith("No new sourced updates.")


def test_facts_dated_that_day_are_whats_new(
    knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = run(knowledge, capsys, "--date", "2023-08-11", "--strike", "wga-2023")
    assert status == 0
    assert out.startswith("Day 102 of the WGA strike against the AMPTP\nFriday, August 11, 2023\n")
    assert "• On Wednesday, Aug 9, 2023, the WGA strike reached 100 days" in out
    assert "(wire-2023-08-11-wga-talks-resume)" in out


def test_since_reports_the_gap(knowledge: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(knowledge, capsys, "--date", "2023-08-12", "--since", "2023-08-09")
    assert status == 0
    assert "3 days since the last update (August 9, 2023)." in out
    assert "reached 100 days" in out


def test_a_date_before_every_strike_is_a_usage_error(
    knowledge: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["announce", "--knowledge", str(knowledge), "--date", "2023-05-01"]) == 2
    assert "no strike to announce on 2023-05-01" in capsys.readouterr().err
