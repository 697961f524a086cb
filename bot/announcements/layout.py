"""Fitting a post into Discord's limits: one message, or one embed, cut honestly.

Plain dataclasses shaped like an embed, so the Discord layer maps them to
`discord.Embed` one field at a time and this package never imports discord.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
MAX_MESSAGE_CHARS = 2000
MAX_TITLE_CHARS = 256
MAX_DESCRIPTION_CHARS = 4096
MAX_FIELDS = 25
MAX_FIELD_NAME_CHARS = 256
MAX_FIELD_VALUE_CHARS = 1024
MAX_FOOTER_CHARS = 2048
MAX_EMBED_TOTAL_CHARS = 6000
# Field names may not be empty; a zero-width space makes a continuation field look
# like one list split across fields.
CONTINUATION_FIELD_NAME = "\u200b"
ELLIPSIS = "…"

MoreLine = Callable[[int], str]


def clip(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(ELLIPSIS), 0)].rstrip() + ELLIPSIS


@dataclass(frozen=True, slots=True)
class FittedText:
    """A message text and how many of the offered lines it holds."""

    text: str
    shown: int


def fit_lines(head: str, lines: Sequence[str], limit: int, more: MoreLine) -> FittedText:
    """`head` then as many `lines` as fit in `limit`, then `more(rest)` if any were left.

    Each line is only taken if the "…and N more" line for the remainder still fits after
    it, so the result never exceeds `limit` and always says how many were left out.
    """
    text = head
    shown = 0
    for index, line in enumerate(lines):
        rest = len(lines) - index - 1
        candidate = text + "\n" + line
        tail = "\n" + more(rest) if rest else ""
        if len(candidate) + len(tail) > limit:
            break
        text = candidate
        shown += 1
    if shown < len(lines):
        text += "\n" + more(len(lines) - shown)
    return FittedText(clip(text, limit), shown)


@dataclass(frozen=True, slots=True)
class EmbedField:
    """One embed field: name <= 256 characters, value <= 1024."""

    name: str
    value: str
    inline: bool = False


@dataclass(frozen=True, slots=True)
class AnnouncementEmbed:
    """An embed-shaped post; `footer` holds "…and N more" when the list was cut."""

    title: str
    description: str
    fields: tuple[EmbedField, ...]
    footer: str | None
    lines_shown: int

    @property
    def total_chars(self) -> int:
        """Characters Discord counts towards its 6,000 per-embed limit."""
        fields = sum(len(f.name) + len(f.value) for f in self.fields)
        return len(self.title) + len(self.description) + fields + len(self.footer or "")


def build_embed(
    title: str, description: str, list_name: str, lines: Sequence[str], more: MoreLine
) -> AnnouncementEmbed:
    """An embed with `lines` packed into fields, within every embed limit.

    Lines are packed in order into fields of at most 1,024 characters; when the
    25 fields or the 6,000-character total run out, the footer says how many are left.
    """
    title = clip(title, MAX_TITLE_CHARS)
    description = clip(description, MAX_DESCRIPTION_CHARS)
    first_name = clip(list_name, MAX_FIELD_NAME_CHARS)
    reserve = len(clip(more(len(lines)), MAX_FOOTER_CHARS))
    budget = MAX_EMBED_TOTAL_CHARS - len(title) - len(description) - reserve
    fields: list[tuple[str, list[str], int]] = []  # name, lines, value length
    used = 0
    shown = 0
    for raw in lines:
        line = clip(raw, MAX_FIELD_VALUE_CHARS)
        if fields and fields[-1][2] + 1 + len(line) <= MAX_FIELD_VALUE_CHARS:
            cost = 1 + len(line)
            if used + cost > budget:
                break
            name, held, length = fields[-1]
            fields[-1] = (name, [*held, line], length + cost)
        else:
            name = CONTINUATION_FIELD_NAME if fields else first_name
            cost = len(name) + len(line)
            if len(fields) >= MAX_FIELDS or used + cost > budget:
                break
            fields.append((name, [line], len(line)))
        used += cost
        shown += 1
    footer = clip(more(len(lines) - shown), MAX_FOOTER_CHARS) if shown < len(lines) else None
    return AnnouncementEmbed(
        title=title,
        description=description,
        fields=tuple(EmbedField(name, "\n".join(held)) for name, held, _ in fields),
        footer=footer,
        lines_shown=shown,
    )
