"""Time-zone choices for `/setup announcements timezone:`, within Discord's 25."""

from __future__ import annotations

from functools import cache
from typing import Final
from zoneinfo import available_timezones

from discord import app_commands

MAX_CHOICES: Final = 25
# Offered first and on empty input: the strikes' own zone, then where members often are.
COMMON_ZONES: Final = (
    "America/Los_Angeles",
    "America/Denver",
    "America/Chicago",
    "America/New_York",
    "America/Toronto",
    "America/Vancouver",
    "America/Phoenix",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Rome",
    "Africa/Johannesburg",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Asia/Seoul",
    "Australia/Sydney",
    "Australia/Melbourne",
    "Pacific/Auckland",
    "UTC",
)


@cache
def _all_zones() -> tuple[str, ...]:
    """Every IANA zone name known here (tzdata), common ones first."""
    rest = sorted(available_timezones() - set(COMMON_ZONES))
    return (*COMMON_ZONES, *rest)


def zone_choices(current: str) -> list[app_commands.Choice[str]]:
    """Zones whose name contains what was typed (spaces count as underscores)."""
    needle = current.strip().casefold().replace(" ", "_")
    found = [z for z in _all_zones() if needle in z.casefold()]
    return [app_commands.Choice(name=zone, value=zone) for zone in found[:MAX_CHOICES]]
