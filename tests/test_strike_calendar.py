"""Day numbers against the figures the articles state."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from bot.cli import main
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import Party, Strike
from bot.strike_calendar import DateBeforeStrikeError, local_today, strike_day
from tests.conftest import KNOWLEDGE_DIR

WGA = Strike(
    "wga-2023",
    Party("Writers Guild of America", "WGA"),
    Party("Alliance of Motion Picture and Television Producers", "AMPTP"),
    date(2023, 5, 2),
    "America/Los_Angeles",
)


def test_article_oracles() -> None:
    assert strike_day(WGA, date(2023, 5, 2)).day == 1
    assert strike_day(WGA, date(2023, 8, 4)).day == 95  # THR: "on day 95"
    assert strike_day(WGA, date(2023, 8, 9)).day == 100  # wire: "marked the 100th day"


def test_committed_strikes_give_the_oracles() -> None:
    kb = load_knowledge(KNOWLEDGE_DIR)
    assert strike_day(kb.strikes["wga-2023"], date(2023, 8, 4)).day == 95
    assert strike_day(kb.strikes["sag-aftra-2023"], date(2023, 7, 14)).day == 1


def test_before_start_is_an_error_not_day_zero() -> None:
    with pytest.raises(DateBeforeStrikeError, match="before the WGA strike began"):
        strike_day(WGA, date(2023, 5, 1))


def test_ended_strike_reports_its_length() -> None:
    ended = Strike(WGA.id, WGA.union, WGA.against, WGA.start, WGA.timezone, date(2023, 9, 26))
    last = strike_day(ended, date(2023, 9, 26))
    after = strike_day(ended, date(2024, 1, 1))
    assert (last.day, last.ongoing, last.length_days) == (148, False, 148)
    assert (after.day, after.ongoing) == (148, False)
    assert strike_day(ended, date(2023, 9, 25)).ongoing


def test_local_today_uses_the_strike_time_zone() -> None:
    # 03:00 UTC on Aug 5 is still the evening of Aug 4 in Los Angeles.
    assert local_today(WGA, datetime(2023, 8, 5, 3, 0, tzinfo=UTC)) == date(2023, 8, 4)
    with pytest.raises(ValueError, match="timezone-aware"):
        local_today(WGA, datetime(2023, 8, 5, 3, 0))


def test_day_cli_json(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["day", "--strike", "wga-2023", "--date", "2023-08-09", "--json"])
    assert status == 0
    assert json.loads(capsys.readouterr().out) == {
        "strike_id": "wga-2023",
        "date": "2023-08-09",
        "day": 100,
        "ongoing": True,
        "length_days": None,
    }


def test_day_cli_text_for_every_strike(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["day", "--date", "2023-08-04"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Fri Aug 4, 2023: day 95 of the WGA strike against the AMPTP",
        "Fri Aug 4, 2023: day 22 of the SAG-AFTRA strike against the AMPTP",
    ]


def test_day_cli_before_start_and_unknown_strike(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["day", "--strike", "wga-2023", "--date", "2023-05-01"]) == 2
    assert "before the WGA strike began (2023-05-02)" in capsys.readouterr().err
    assert main(["day", "--strike", "nope"]) == 2
    assert "unknown strike 'nope'" in capsys.readouterr().err


def test_day_cli_only_lists_strikes_that_had_begun(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["day", "--date", "2023-06-01", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["strike_id"] for r in rows] == ["wga-2023"]
