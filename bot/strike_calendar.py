"""Strike day arithmetic: which day of a strike a date is, and what 'today' means.

The start date is day 1 (the articles' own count: 2023-05-02 start, 2023-08-04 is day
95). 'Today' is taken in the strike's time zone, because a post at 00:30 in Los Angeles
is still the previous day in UTC-minus terms and members count in local days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.knowledge.model import Strike


class DateBeforeStrikeError(ValueError):
    """The date asked about is before the strike began: there is no day 0 or day -3."""

    def __init__(self, strike: Strike, on: date) -> None:
        self.strike = strike
        self.on = on
        super().__init__(
            f"{on.isoformat()} is before the {strike.union.short} strike began "
            f"({strike.start.isoformat()}); pick a date on or after the start"
        )


@dataclass(frozen=True, slots=True)
class StrikeDay:
    """A strike's state on one date.

    `day` is the day number on that date while ongoing; once ended it is the last day
    number (the strike's length), and `ongoing` is False.
    """

    strike_id: str
    date: date
    day: int
    ongoing: bool
    length_days: int | None

    def as_json(self) -> dict[str, object]:
        """The `strikebot day --json` contract."""
        return {
            "strike_id": self.strike_id,
            "date": self.date.isoformat(),
            "day": self.day,
            "ongoing": self.ongoing,
            "length_days": self.length_days,
        }


def length_in_days(strike: Strike) -> int | None:
    """Days from start to end inclusive, or None while the strike goes on."""
    if strike.end is None:
        return None
    return (strike.end - strike.start).days + 1


def strike_day(strike: Strike, on: date) -> StrikeDay:
    """The strike's day number on `on`; raises DateBeforeStrikeError before the start."""
    if on < strike.start:
        raise DateBeforeStrikeError(strike, on)
    length = length_in_days(strike)
    if strike.end is not None and on > strike.end:
        return StrikeDay(strike.id, on, length or 0, False, length)
    ongoing = strike.end is None or on < strike.end
    return StrikeDay(strike.id, on, (on - strike.start).days + 1, ongoing, length)


def local_today(strike: Strike, now: datetime) -> date:
    """The calendar date in the strike's time zone at the aware instant `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(strike.zone).date()
