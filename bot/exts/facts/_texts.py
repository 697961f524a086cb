"""Moderator-facing texts: facts, histories and issue lists, always within Discord's limits.

Every builder here cuts honestly: when something does not fit it says how much was left
out ("and 12 more"), never silently drops it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import discord

from bot.knowledge.issues import KnowledgeIssue
from bot.knowledge.model import Fact, KnowledgeBase
from bot.revision_text import change_text, clip
from bot.storage.fact_revisions import Revision

# Discord: message content 2,000 characters; embed description 4,096, field value 1,024,
# field name 256, title 256, and 6,000 for all text of one message's embeds together.
MAX_CONTENT_CHARS = 2000
MAX_EMBED_FIELD_CHARS = 1024
MAX_EMBED_TITLE_CHARS = 256
MAX_EMBEDS_TOTAL_CHARS = 6000
# A /kb reload report with more pages than this is unreadable in Discord anyway; the rest
# is summarised as "and N more" and `strikebot kb check` shows everything.
MAX_ISSUE_PAGES = 5
# How much of a changed value a history line shows; the full value is in /fact show.
CHANGE_PREVIEW_CHARS = 80
# Fields of an embed for one fact: questions, answer, up to 3 citations and details.
MAX_CITATION_FIELDS = 5


def fit_lines(lines: Sequence[str], limit: int, *, noun: str = "more") -> str:
    """As many whole lines as fit in `limit`, then "…and N more" for the rest."""
    kept: list[str] = []
    used = 0
    for index, line in enumerate(lines):
        remaining = len(lines) - index
        tail = f"\n…and {remaining} {noun}"
        cost = len(line) + (1 if kept else 0)
        reserve = 0 if index == len(lines) - 1 else len(tail)
        if used + cost + reserve > limit:
            note = f"…and {remaining} {noun}"
            return "\n".join([*kept, note]) if kept else clip(note, limit)
        kept.append(line)
        used += cost
    return "\n".join(kept)


def paginate(
    lines: Sequence[str], limit: int = MAX_CONTENT_CHARS, max_pages: int = MAX_ISSUE_PAGES
) -> list[str]:
    """Lines grouped into pages of at most `limit` characters; extra lines are counted."""
    pages: list[str] = []
    current: list[str] = []
    size = 0
    for index, raw in enumerate(lines):
        line = clip(raw, limit)
        cost = len(line) + (1 if current else 0)
        if current and size + cost > limit:
            pages.append("\n".join(current))
            current, size, cost = [], 0, len(line)
            if len(pages) == max_pages:
                left = len(lines) - index
                note = f"\n…and {left} more (run `strikebot kb check` to see them all)"
                last = pages[-1]
                pages[-1] = clip(last, limit - len(note)) + note
                return pages
        current.append(line)
        size += cost
    if current:
        pages.append("\n".join(current))
    return pages


def issue_lines(issues: Sequence[KnowledgeIssue]) -> list[str]:
    """One line per issue, led by its file:line so a moderator can jump to it."""
    return [f"• {issue}" for issue in issues]


def when(moment: datetime) -> str:
    """A timestamp every reader sees in their own time zone."""
    return discord.utils.format_dt(moment, "f")


def revision_block(revision: Revision) -> str:
    """Who, when, what changed for one revision."""
    head = f"**#{revision.number} {revision.action}** by {revision.actor.name} {when(revision.at)}"
    if revision.reverted_to is not None:
        head += f" (back to #{revision.reverted_to})"
    if revision.reason:
        head += f" — reason: {clip(revision.reason, 200)}"
    if revision.number == 1:
        return head + "\n  first recorded state"
    changes = [f"  {change_text(c, CHANGE_PREVIEW_CHARS)}" for c in revision.changes] or [
        "  no field changed"
    ]
    return "\n".join([head, *changes])


def history_text(fact_id: str, revisions: Sequence[Revision]) -> str:
    """Every revision of a fact, newest first, cut with "…and N earlier" to fit one message."""
    if not revisions:
        return (
            f"`{fact_id}` has no recorded revisions: it is as written in the YAML "
            "(a history starts with the first moderator change)."
        )
    header = f"History of `{fact_id}` ({len(revisions)} revisions, newest first):"
    blocks = [revision_block(r) for r in reversed(revisions)]
    body = fit_lines(blocks, MAX_CONTENT_CHARS - len(header) - 1, noun="earlier revisions")
    return f"{header}\n{body}"


def fact_embed(
    fact: Fact, knowledge: KnowledgeBase, *, revision: int | None = None
) -> discord.Embed:
    """A fact with its questions, answer, citations and details, each part within limits."""
    title = f"{fact.id}" + (" (retired)" if not fact.active else "")
    embed = discord.Embed(title=clip(title, MAX_EMBED_TITLE_CHARS), description=fact.answer)
    questions = [f"• {q}" for q in fact.questions]
    embed.add_field(
        name="Questions", value=fit_lines(questions, MAX_EMBED_FIELD_CHARS), inline=False
    )
    shown = fact.citations[: MAX_CITATION_FIELDS - 2]
    for index, citation in enumerate(shown, start=1):
        source = knowledge.sources.get(citation.source_id)
        known = "" if source is not None else " (unknown source!)"
        embed.add_field(
            name=clip(f"Citation {index}: {citation.source_id}{known}", 256),
            value=clip(f"“{citation.quote}”", MAX_EMBED_FIELD_CHARS),
            inline=False,
        )
    details = [f"as of: {fact.as_of.isoformat()}"]
    if len(fact.citations) > len(shown):
        details.append(f"…and {len(fact.citations) - len(shown)} more citations")
    for label, values in (
        ("tags", fact.tags),
        ("strikes", fact.strikes),
        ("supersedes", fact.supersedes),
    ):
        details.append(f"{label}: {', '.join(values) if values else '—'}")
    if fact.retired is not None:
        details.append(f"retired: {fact.retired}")
    details.append(f"from: {fact.origin}" + (f" (revision #{revision})" if revision else ""))
    embed.add_field(
        name="Details", value=clip("\n".join(details), MAX_EMBED_FIELD_CHARS), inline=False
    )
    return embed


def problems_text(problems: Sequence[str], *, intro: str) -> str:
    """A refusal listing every reason, as one message within the content limit."""
    lines = [f"• {p}" for p in problems]
    return f"{intro}\n" + fit_lines(lines, MAX_CONTENT_CHARS - len(intro) - 1)
