"""Datetimes to and from the database's text form: UTC, ISO 8601, sortable."""

from __future__ import annotations

from datetime import UTC, date, datetime


def utc_now() -> datetime:
    """The current time, aware and in UTC: the default clock of every repository."""
    return datetime.now(UTC)


def to_db_time(moment: datetime) -> str:
    """Text for a timestamp column; naive datetimes are refused, not guessed."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: pass a timezone-aware value")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def from_db_time(text: str) -> datetime:
    """The aware UTC datetime stored by `to_db_time`."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def to_db_date(day: date | None) -> str | None:
    """Text for a date column (ISO), None kept as NULL."""
    return day.isoformat() if day is not None else None


def from_db_date(text: str | None) -> date | None:
    """The date stored by `to_db_date`."""
    return date.fromisoformat(text) if text is not None else None
