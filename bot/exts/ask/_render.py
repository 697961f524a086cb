"""Answers and refusals as Discord messages, always within Discord's limits.

Everything here is pure (it builds `discord.Embed` values and plain data, and sends
nothing), so the limits are tested directly: an answer with many long citations still
fits every embed limit, with quotes cut by an ellipsis rather than overflowing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Final

import discord

from bot.answers.model import Answer, CitedSource
from bot.knowledge.model import Source

# Discord's documented limits (https://discord.com/developers/docs/resources/message).
MAX_CONTENT: Final = 2000
MAX_TITLE: Final = 256
MAX_DESCRIPTION: Final = 4096
MAX_FIELDS: Final = 25
MAX_FIELD_NAME: Final = 256
MAX_FIELD_VALUE: Final = 1024
MAX_FOOTER: Final = 2048
MAX_EMBED_TOTAL: Final = 6000
MAX_BUTTON_LABEL: Final = 80
MAX_ACTION_ROWS: Final = 5
MAX_ROW_BUTTONS: Final = 5
MAX_BUTTON_URL: Final = 512

ELLIPSIS: Final = "…"
# One row is the vote buttons; the other four may hold source links.
MAX_SOURCE_LINKS: Final = (MAX_ACTION_ROWS - 1) * MAX_ROW_BUTTONS
# One field is kept for "…and N more sources" when a fact cites more than fit.
MAX_SOURCE_FIELDS: Final = MAX_FIELDS - 1
# A headline or description longer than this crowds out the quote, which is the evidence.
MAX_SOURCE_TITLE_CHARS: Final = 200
# Below this the quote would be a stub; the source's title gives way first.
MIN_QUOTE_CHARS: Final = 60
# A little under the hard limit, so rounding in our arithmetic can never tip it over.
EMBED_BUDGET: Final = MAX_EMBED_TOTAL - 50
# Union red: readable on Discord's light and dark themes.
ANSWER_COLOUR: Final = discord.Colour(0xC62828)

UNKNOWN_OUTLET: Final = "Unknown outlet"
UNKNOWN_DATE: Final = "date unknown"
REFUSAL_TEXT: Final = (
    "I don't have a sourced answer to that yet, and I won't guess. "
    "Moderators review unanswered questions and add facts."
)
SUGGESTIONS_LEAD: Final = "Maybe one of these?"


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters, ending in an ellipsis when cut."""
    if len(text) <= limit:
        return text
    if limit <= 0:
        return ""
    return text[: limit - 1].rstrip() + ELLIPSIS


def one_line(text: str) -> str:
    """Newlines and runs of spaces collapsed, so a quote stays one block-quote line."""
    return " ".join(text.split())


def format_date(day: date) -> str:
    """'4 Aug 2023': unambiguous for every reader, unlike 8/4/2023."""
    return f"{day.day} {day:%b %Y}"


def published_text(cited: CitedSource) -> str:
    """The source's date, marked "(inferred)" when it was not stated in the article."""
    if cited.published is None:
        return UNKNOWN_DATE
    text = format_date(cited.published)
    return f"{text} (inferred)" if cited.published_inferred else text


def outlet_label(cited: CitedSource, known: bool) -> str:
    """The outlet's name, or an honest label when it is not known."""
    if cited.outlet:
        return cited.outlet
    return UNKNOWN_OUTLET if known else f"Unknown source ({cited.source_id})"


@dataclass(frozen=True, slots=True)
class SourceLink:
    """A link button to a cited article."""

    label: str
    url: str


def source_links(answer: Answer) -> list[SourceLink]:
    """Link buttons for cited sources with a usable URL, numbered like the fields."""
    links: list[SourceLink] = []
    seen: set[str] = set()
    for number, cited in enumerate(answer.citations, start=1):
        url = cited.url
        if not url or url in seen or len(url) > MAX_BUTTON_URL:
            continue
        if not url.startswith(("https://", "http://")):
            continue
        seen.add(url)
        label = shorten(f"{number}. {cited.outlet or 'Source'}", MAX_BUTTON_LABEL)
        links.append(SourceLink(label, url))
        if len(links) == MAX_SOURCE_LINKS:
            break
    return links


def _source_field(
    number: int, cited: CitedSource, source: Source | None, budget: int
) -> tuple[str, str]:
    """(name, value) for one citation, together at most `budget` characters."""
    name = shorten(
        f"{number}. {outlet_label(cited, source is not None)}",
        min(MAX_FIELD_NAME, max(budget // 4, 8)),
    )
    value_limit = max(1, min(MAX_FIELD_VALUE, budget - len(name)))
    about = cited.title or (source.description if source else None)
    meta_lines = [one_line(about)] if about else []
    meta_lines.append(published_text(cited))
    quote = one_line(cited.quote)
    # The quote is the evidence: the title line shrinks before the quote goes below its floor.
    title_room = value_limit - len(meta_lines[-1]) - len("\n\n> ") - MIN_QUOTE_CHARS
    if len(meta_lines) == 2:
        room = min(MAX_SOURCE_TITLE_CHARS, title_room)
        if room < 10:
            meta_lines.pop(0)
        else:
            meta_lines[0] = shorten(meta_lines[0], room)
    meta = "\n".join(meta_lines)
    quote_room = value_limit - len(meta) - len("\n> ")
    value = f"{meta}\n> {shorten(quote, quote_room)}" if quote_room > 1 else meta
    return name, shorten(value, value_limit) or ELLIPSIS


def answer_body(answer: Answer) -> str:
    """The answer text with its as-of date, as the embed description shows it."""
    text = answer.text or ""
    if answer.as_of is not None:
        text = f"{text}\n\n*As of {format_date(answer.as_of)}*"
    return text


def answer_embed(answer: Answer, sources: Mapping[str, Source]) -> discord.Embed:
    """The public answer: text, as-of date, each source with its quote, the fact id."""
    title = shorten(one_line(answer.question) or "Your question", MAX_TITLE)
    footer = shorten(f"Fact {answer.fact_id}" if answer.fact_id else "StrikeBot", MAX_FOOTER)
    shown = answer.citations[:MAX_SOURCE_FIELDS]
    hidden = len(answer.citations) - len(shown)
    more = ("More sources", f"{ELLIPSIS}and {hidden} more not shown here.") if hidden else None
    available = EMBED_BUDGET - len(title) - len(footer) - (len("".join(more)) if more else 0)
    body = answer_body(answer)
    # Sources are guaranteed half of what is left when they need it; the answer the rest.
    wanted_by_sources = len(shown) * (MAX_FIELD_NAME // 4 + MAX_FIELD_VALUE)
    description_room = min(MAX_DESCRIPTION, available - min(wanted_by_sources, available // 2))
    description = shorten(body, description_room)

    embed = discord.Embed(title=title, description=description, colour=ANSWER_COLOUR)
    if shown:
        per_source = min(
            MAX_FIELD_NAME + MAX_FIELD_VALUE, (available - len(description)) // len(shown)
        )
        for number, cited in enumerate(shown, start=1):
            name, value = _source_field(number, cited, sources.get(cited.source_id), per_source)
            embed.add_field(name=name, value=value, inline=False)
    if more:
        embed.add_field(name=more[0], value=more[1], inline=False)
    embed.set_footer(text=footer)
    return embed


def refusal_text(answer: Answer) -> str:
    """The short, friendly refusal; suggestions are offered as buttons below it."""
    if answer.suggestions:
        return f"{REFUSAL_TEXT}\n{SUGGESTIONS_LEAD}"
    return REFUSAL_TEXT
