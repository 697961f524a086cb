"""Discord's message limits, asserted on real discord.py objects (shared by the ask tests)."""

from __future__ import annotations

from typing import Any

import discord

MAX_EMBED_TOTAL = 6000
MAX_TITLE = 256
MAX_DESCRIPTION = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME = 256
MAX_FIELD_VALUE = 1024
MAX_FOOTER = 2048
MAX_ROWS = 5
MAX_ROW_ITEMS = 5
MAX_CUSTOM_ID = 100
MAX_LABEL = 80


def assert_embed_within_limits(embed: discord.Embed) -> None:
    """Every documented embed limit, plus Discord's refusal of empty field values."""
    assert len(embed) <= MAX_EMBED_TOTAL, len(embed)
    assert len(embed.title or "") <= MAX_TITLE
    assert len(embed.description or "") <= MAX_DESCRIPTION
    assert len(embed.fields) <= MAX_FIELDS
    for field in embed.fields:
        assert field.name and len(field.name) <= MAX_FIELD_NAME
        assert field.value and len(field.value) <= MAX_FIELD_VALUE
    assert len(embed.footer.text or "") <= MAX_FOOTER


def assert_view_within_limits(view: discord.ui.View) -> list[dict[str, Any]]:
    """Rows, buttons per row, custom_id and label lengths; returns the component payload."""
    rows = view.to_components()
    assert len(rows) <= MAX_ROWS
    for row in rows:
        assert len(row["components"]) <= MAX_ROW_ITEMS
        for component in row["components"]:
            assert len(component.get("custom_id", "")) <= MAX_CUSTOM_ID
            assert len(component.get("label", "")) <= MAX_LABEL
    return rows
