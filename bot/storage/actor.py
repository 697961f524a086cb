"""Who made a change: recorded with every revision and audit entry."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    """A moderator (Discord user id and display name at the time) or the console.

    The display name is stored as it was, so history stays readable after a member
    renames or leaves; the id (None for the console) identifies them reliably.
    """

    id: int | None
    name: str

    def __str__(self) -> str:
        return self.name if self.id is None else f"{self.name} ({self.id})"


CONSOLE_ACTOR = Actor(None, "console")
# Recorded as the author of a fact's YAML state ("base" revision).
YAML_ACTOR = Actor(None, "knowledge base (YAML)")
