"""How a fact's revision reads as text: shared by `/fact history` and the console.

Both show the same change the same way ("answer: before → after", long values cut
with a note of how much was left out); only the layout around it differs per surface.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.knowledge.model import Citation
from bot.storage.fact_revisions import FieldChange

EMPTY_VALUE = "—"


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, saying how many were left out."""
    if len(text) <= limit:
        return text
    longest_note = len(f"… (+{len(text)} chars)")
    if limit < longest_note:
        return text[:limit]
    keep = limit - longest_note
    return text[:keep] + f"… (+{len(text) - keep} chars)"


def value_text(value: Any) -> str:
    """One field's value as a reader sees it: lists joined, dates ISO, quotes quoted."""
    if value is None or value == ():
        return EMPTY_VALUE
    if isinstance(value, tuple):
        return "; ".join(value_text(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Citation):
        return f"{value.source_id}: “{value.quote}”"
    return str(value)


def change_text(change: FieldChange, preview_chars: int) -> str:
    """One changed field as `field: before → after`, each value at most `preview_chars`."""
    before = clip(" ".join(value_text(change.before).split()), preview_chars)
    after = clip(" ".join(value_text(change.after).split()), preview_chars)
    return f"{change.field}: {before} → {after}"
