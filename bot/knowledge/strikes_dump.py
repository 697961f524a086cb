"""Writes strikes back to `strikes.yaml` in the loader's shape (used by export).

Kept beside `yaml_dump` rather than inside it so each module stays one record family.
An unknown end is written as an empty `end:`, as in the committed file, so "still on"
stays visible.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bot.knowledge.model import Milestone, Party, Strike
from bot.knowledge.yaml_dump import citation_data, dump_yaml


def party_data(party: Party) -> dict[str, Any]:
    """Plain data for one side of a dispute."""
    return {"name": party.name, "short": party.short}


def milestone_data(milestone: Milestone) -> dict[str, Any]:
    """Plain data for one milestone, citations only when it has some."""
    data: dict[str, Any] = {"day": milestone.day, "text": milestone.text}
    if milestone.citations:
        data["citations"] = [citation_data(c) for c in milestone.citations]
    return data


def strike_data(strike: Strike) -> dict[str, Any]:
    """Plain data for one strike, in the committed file's key order."""
    data: dict[str, Any] = {
        "id": strike.id,
        "union": party_data(strike.union),
        "against": party_data(strike.against),
        "start": strike.start,
        "end": strike.end,
        "timezone": strike.timezone,
    }
    if strike.milestones:
        data["milestones"] = [milestone_data(m) for m in strike.milestones]
    return data


def dump_strikes(strikes: Iterable[Strike]) -> str:
    """A `strikes.yaml` holding these strikes."""
    return dump_yaml({"strikes": [strike_data(s) for s in strikes]})
