"""Plain-text forms of answers, facts and histories for the console.

Answers are printed as `strikebot ask` prints them (`bot.answers.render_text`). The
rest says in lines of text what the Discord embeds show: a fact with all its fields, a
history with who, when and what changed, a post as it goes out. Nothing is cut
silently: a long value is shortened with a count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Final

from bot.announcements.content import Announcement
from bot.announcements.layout import CONTINUATION_FIELD_NAME
from bot.answers.model import Answer
from bot.answers.render_text import render_answer
from bot.fact_input import EditRejected, issue_reason
from bot.knowledge.model import Citation, Fact, KnowledgeBase
from bot.revision_text import change_text, clip
from bot.storage.fact_revisions import Revision

# Same words members read in Discord (bot/exts/ask/_render.py), which this core module
# may not import.
# A history line shows this much of each changed value; `fact show ID N` shows it whole.
CHANGE_PREVIEW_CHARS: Final = 160


def moment_text(moment: datetime) -> str:
    """A stored instant in UTC, labelled, so a console user anywhere reads it the same."""
    return f"{moment.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC"


def answer_text(answer: Answer) -> str:
    """An answer as `strikebot ask` prints it, plus the fact it came from.

    The text is the shared console rendering (`render_answer`), so `ask` and the
    console never disagree; the fact id is added because console users go on to
    `fact show` or `fact history` it.
    """
    text = render_answer(answer)
    return f"{text}\n(fact {answer.fact_id})" if answer.answered and answer.fact_id else text


def _citation_line(citation: Citation, knowledge: KnowledgeBase) -> str:
    unknown = "" if citation.source_id in knowledge.sources else " (unknown source!)"
    quote = " ".join(citation.quote.split())
    return f"  - {citation.source_id}{unknown}: “{quote}”"


def fact_text(fact: Fact, knowledge: KnowledgeBase, *, revision: int | None = None) -> str:
    """Every field of a fact, one to a line (lists indented), for `fact show`."""
    title = fact.id + (f" (revision #{revision})" if revision else "")
    lines = [title + ("" if fact.active else f"  [retired: {fact.retired}]")]
    lines.append("questions:")
    lines.extend(f"  - {q}" for q in fact.questions)
    lines.append(f"answer: {fact.answer}")
    lines.append("citations:")
    lines.extend(_citation_line(c, knowledge) for c in fact.citations)
    lines.append(f"as_of: {fact.as_of.isoformat()}")
    for label, values in (
        ("tags", fact.tags),
        ("strikes", fact.strikes),
        ("supersedes", fact.supersedes),
    ):
        lines.append(f"{label}: {', '.join(values) if values else '—'}")
    lines.append(f"from: {fact.origin}")
    return "\n".join(lines)


def revision_text(revision: Revision) -> str:
    """Who, when and what changed in one revision."""
    head = f"#{revision.number} {revision.action} by {revision.actor} at {moment_text(revision.at)}"
    if revision.reverted_to is not None:
        head += f" (back to #{revision.reverted_to})"
    if revision.reason:
        head += f" — reason: {clip(revision.reason, CHANGE_PREVIEW_CHARS)}"
    if revision.number == 1:
        return f"{head}\n  first recorded state"
    changes = [f"  {change_text(c, CHANGE_PREVIEW_CHARS)}" for c in revision.changes] or [
        "  no field changed"
    ]
    return "\n".join([head, *changes])


def history_text(fact_id: str, revisions: Sequence[Revision]) -> str:
    """Every revision of a fact, newest first (as `/fact history` lists them)."""
    if not revisions:
        return (
            f"{fact_id} has no recorded revisions: it is as written in the YAML "
            "(a history starts with the first change)."
        )
    header = f"History of {fact_id} ({len(revisions)} revisions, newest first):"
    return "\n".join([header, *(revision_text(r) for r in reversed(revisions))])


def problems_text(intro: str, problems: Sequence[str]) -> str:
    """A refusal with every reason, one a line."""
    return "\n".join([intro, *(f"  - {p}" for p in problems)])


def rejection_text(error: EditRejected) -> str:
    """Every reason the editor refused a change; nothing was written."""
    return problems_text(
        "Rejected; nothing was changed:", [issue_reason(p) for p in error.problems]
    )


def announcement_text(announcement: Announcement) -> str:
    """The post as it goes out: the message text, or the embed when the post needs one.

    A post too long for one message is sent as an embed (its fuller version); it is
    shown here as title, description, the listed fields, and the "…and N more" footer.
    """
    embed = announcement.embed
    if embed is None:
        return announcement.text
    lines = [embed.title, embed.description, ""]
    for embed_field in embed.fields:
        if embed_field.name != CONTINUATION_FIELD_NAME:
            lines.append(embed_field.name)
        lines.append(embed_field.value)
    if embed.footer:
        lines.append(embed.footer)
    return "\n".join(lines)
