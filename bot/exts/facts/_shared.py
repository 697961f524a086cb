"""What every moderator command in this package shares: replies, actors, option parsing.

Every reply to a moderator is ephemeral and mentions nobody; every change goes through
`KnowledgeEditor` and is followed by a knowledge refresh so the next question sees it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

import discord

from bot.fact_input import EditRejected, issue_reason
from bot.knowledge_editing import KnowledgeEditor
from bot.runtime import Runtime
from bot.storage.actor import Actor

from ._texts import problems_text

NO_MENTIONS: Final = discord.AllowedMentions.none()
_LIST_SEPARATOR = re.compile(r"[,\n]")


async def reply(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
    file: discord.File | None = None,
    view: discord.ui.View | None = None,
) -> None:
    """Answer a moderator ephemerally, as the first response or as a follow-up."""
    kwargs: dict[str, Any] = {"ephemeral": True, "allowed_mentions": NO_MENTIONS}
    if content is not None:
        kwargs["content"] = content
    if embed is not None:
        kwargs["embed"] = embed
    if file is not None:
        kwargs["file"] = file
    if view is not None:
        kwargs["view"] = view
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)


def actor_of(interaction: discord.Interaction) -> Actor:
    """The moderator behind an interaction, as recorded in history and the audit log."""
    return Actor(interaction.user.id, interaction.user.display_name)


def editor_for(runtime: Runtime) -> KnowledgeEditor:
    """An editor over the runtime's database and the knowledge members are answered from.

    The active snapshot is already the YAML base with the stored changes applied; applying
    them again gives the same base (newest revisions, added sources and end dates replace
    by id), so it serves as the editor's base and a half-edited YAML on disk never blocks
    moderators. A fact without revisions is in the snapshot exactly as in the YAML, so
    its first change still records the YAML state as revision 1.
    """
    return KnowledgeEditor(runtime.db, runtime.knowledge.snapshot.knowledge, clock=runtime.now)


async def publish_change(runtime: Runtime) -> None:
    """Rebuild the answer engine from the database, so the next question sees the change."""
    snapshot = await runtime.knowledge.refresh()
    runtime.metrics.set_facts_loaded(len(snapshot.knowledge.facts))


def rejection_text(error: EditRejected, *, intro: str = "Rejected; nothing was changed:") -> str:
    """Every reason a change was refused, within one message."""
    return problems_text([issue_reason(p) for p in error.problems], intro=intro)


def parse_day(text: str, *, option: str) -> date:
    """A YYYY-MM-DD option as a date; ValueError naming the option otherwise."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{option}: {text!r} is not a date as YYYY-MM-DD") from None


def parse_list(text: str | None) -> tuple[str, ...] | None:
    """A comma- or line-separated option as a tuple; None when the option was not given."""
    if text is None:
        return None
    return tuple(part.strip() for part in _LIST_SEPARATOR.split(text) if part.strip())


def unknown_ids(given: Sequence[str], known: Sequence[str] | Any, what: str) -> list[str]:
    """Reasons for ids that do not exist, for an early, readable refusal."""
    return [f"{what}: unknown id {item!r}" for item in given if item not in known]
