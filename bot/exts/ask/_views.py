"""The buttons under answers and refusals, persistent across restarts.

Both are `discord.ui.DynamicItem`s: their state lives in the custom_id, and the classes
are registered once in `setup()` (run from `setup_hook`), so a click on a message sent
before a restart still reaches the bot. Formats (each <= 100 characters):

    strikebot:vote:helpful:<fact_id>     strikebot:vote:unhelpful:<fact_id>
    strikebot:ask:<fact_id>

A fact id too long to fit is left out of a vote id (the vote is still stored, without
its fact) and makes a suggestion unofferable (it is skipped).
"""

from __future__ import annotations

import logging
import re
from typing import Any, Final, Protocol, runtime_checkable

import discord

from bot.answers.model import Answer
from bot.exts.ask._render import MAX_BUTTON_LABEL, shorten, source_links

log = logging.getLogger(__name__)

MAX_CUSTOM_ID: Final = 100
VOTE_PREFIX: Final = "strikebot:vote:"
ASK_PREFIX: Final = "strikebot:ask:"
# The cog the buttons hand clicks to; the extension's setup() adds it under this name.
ASK_COG_NAME: Final = "Ask"
# Refusals offer at most this many questions: more is a list nobody reads.
MAX_SUGGESTIONS: Final = 3


def vote_custom_id(helpful: bool, fact_id: str | None) -> str:
    """The custom_id of a vote button; the fact id is dropped if it would not fit."""
    prefix = f"{VOTE_PREFIX}{'helpful' if helpful else 'unhelpful'}:"
    fact = fact_id or ""
    return prefix + fact if len(prefix + fact) <= MAX_CUSTOM_ID else prefix


def ask_custom_id(fact_id: str) -> str | None:
    """The custom_id of a suggestion button, or None when the fact id cannot fit."""
    custom_id = ASK_PREFIX + fact_id
    return custom_id if fact_id and len(custom_id) <= MAX_CUSTOM_ID else None


@runtime_checkable
class AskActions(Protocol):
    """What the buttons need from the ask cog."""

    async def handle_vote(
        self, interaction: discord.Interaction, helpful: bool, fact_id: str | None
    ) -> None:
        """Store a member's vote on the answer message and thank them."""
        ...

    async def handle_suggestion(self, interaction: discord.Interaction, fact_id: str) -> None:
        """Answer the suggested question publicly."""
        ...


async def _actions(interaction: discord.Interaction) -> AskActions | None:
    client: Any = interaction.client
    cog = client.get_cog(ASK_COG_NAME) if hasattr(client, "get_cog") else None
    if isinstance(cog, AskActions):
        return cog
    log.error("button clicked but the ask cog is not loaded")
    await interaction.response.send_message(
        "That button is not available right now; please try again shortly.",
        ephemeral=True,
        allowed_mentions=discord.AllowedMentions.none(),
    )
    return None


class VoteButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"strikebot:vote:(?P<verdict>helpful|unhelpful):(?P<fact_id>.*)",
):
    """'Helpful' / 'Not helpful' under an answer."""

    def __init__(self, helpful: bool, fact_id: str | None) -> None:
        super().__init__(
            discord.ui.Button(
                label="Helpful" if helpful else "Not helpful",
                emoji="👍" if helpful else "👎",
                style=discord.ButtonStyle.secondary,
                custom_id=vote_custom_id(helpful, fact_id),
                row=0,
            )
        )
        self.helpful = helpful
        self.fact_id = fact_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> VoteButton:
        """Rebuild the button from a click on any message, before or after a restart."""
        return cls(match["verdict"] == "helpful", match["fact_id"] or None)

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the vote to the ask cog."""
        actions = await _actions(interaction)
        if actions is not None:
            await actions.handle_vote(interaction, self.helpful, self.fact_id)


class SuggestionButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"strikebot:ask:(?P<fact_id>.+)",
):
    """A suggested question under a refusal; clicking it asks that question."""

    def __init__(self, fact_id: str, question: str = "Ask this") -> None:
        custom_id = ask_custom_id(fact_id)
        if custom_id is None:
            raise ValueError(f"fact id too long for a button: {fact_id!r}")
        super().__init__(
            discord.ui.Button(
                label=shorten(question, MAX_BUTTON_LABEL),
                style=discord.ButtonStyle.primary,
                custom_id=custom_id,
            )
        )
        self.fact_id = fact_id

    @classmethod
    async def from_custom_id(
        cls,
        interaction: discord.Interaction,
        item: discord.ui.Item[Any],
        match: re.Match[str],
        /,
    ) -> SuggestionButton:
        """Rebuild the button from a click."""
        label = item.label if isinstance(item, discord.ui.Button) else None
        return cls(match["fact_id"], label or "Ask this")

    async def callback(self, interaction: discord.Interaction) -> None:
        """Hand the chosen question to the ask cog."""
        actions = await _actions(interaction)
        if actions is not None:
            await actions.handle_suggestion(interaction, self.fact_id)


def answer_view(answer: Answer) -> discord.ui.View:
    """Vote buttons on the first row, then link buttons to the cited articles."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(True, answer.fact_id))
    view.add_item(VoteButton(False, answer.fact_id))
    for index, link in enumerate(source_links(answer)):
        view.add_item(discord.ui.Button(label=link.label, url=link.url, row=1 + index // 5))
    return view


def suggestions_view(answer: Answer) -> discord.ui.View | None:
    """Up to three suggested questions as buttons, or None when there are none."""
    view = discord.ui.View(timeout=None)
    for suggestion in answer.suggestions:
        if len(view.children) == MAX_SUGGESTIONS:
            break
        if ask_custom_id(suggestion.fact_id) is None:
            continue
        view.add_item(SuggestionButton(suggestion.fact_id, suggestion.question))
    return view if view.children else None
