"""`/facts gaps`: the questions members asked that no fact answered, grouped and counted.

Only this guild's questions are shown (other servers' members asked theirs elsewhere).
Entries older than the configured retention (`STRIKEBOT_GAPS_RETENTION_DAYS`, default
90) are deleted once a day and again before every listing, so an old question is never
shown even if the daily run was missed while the bot was down.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Final

import discord
from discord import app_commands
from discord.ext import commands, tasks

from bot.discord_app.permissions import moderator_only
from bot.gaps import QuestionGroup, group_questions
from bot.runtime import Runtime

from ._shared import reply
from ._texts import MAX_CONTENT_CHARS, clip, fit_lines

log = logging.getLogger(__name__)

# How often old unanswered questions are deleted; retention is counted in days.
EXPIRY_INTERVAL_HOURS: Final = 24
# A group line shows its commonest wording and a few others, each cut to this length.
MAX_WORDING_CHARS: Final = 120


def group_line(rank: int, group: QuestionGroup) -> str:
    """One gap: how often, the commonest wording, and other wordings members used."""
    line = f"{rank}. **{group.count}×** {clip(group.representative, MAX_WORDING_CHARS)}"
    if group.examples:
        others = "; ".join(f"“{clip(e, MAX_WORDING_CHARS // 2)}”" for e in group.examples)
        line += f"\n    also: {others}"
    return line


def gaps_text(groups: list[QuestionGroup], days: int, asked: int) -> str:
    """The gaps report within one message, largest groups first."""
    if not groups:
        return (
            f"No unanswered questions in the last {days} days in this server. "
            "Members' questions are all covered (or nobody asked)."
        )
    header = (
        f"Unanswered in the last {days} days: {asked} question(s) in {len(groups)} group(s), "
        "most asked first. Add facts for the top ones with /fact add."
    )
    lines = [group_line(rank, group) for rank, group in enumerate(groups, start=1)]
    body = fit_lines(lines, MAX_CONTENT_CHARS - len(header) - 1, noun="more groups")
    return f"{header}\n{body}"


class GapCommands(commands.Cog):
    """`/facts gaps` and the daily expiry of old unanswered questions."""

    facts = app_commands.Group(
        name="facts", description="Moderators: what the fact base is missing", guild_only=True
    )

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def retention_days(self) -> int:
        """How long unanswered questions are kept, from the settings."""
        return self.runtime.settings.gaps_retention_days

    async def cog_load(self) -> None:
        """Start the daily expiry (its first run is at once, catching up after downtime)."""
        self.expire_daily.start()

    async def cog_unload(self) -> None:
        """Stop the daily expiry."""
        self.expire_daily.cancel()

    async def expire_old(self) -> int:
        """Delete questions older than the retention period; returns how many went."""
        removed = await self.runtime.stores.unanswered.expire(
            self.retention_days, now=self.runtime.now()
        )
        if removed:
            log.info("unanswered questions expired", extra={"fields": {"removed": removed}})
        return removed

    @tasks.loop(hours=EXPIRY_INTERVAL_HOURS)
    async def expire_daily(self) -> None:
        """The daily run; a failure is logged and the next day's run tries again."""
        try:
            await self.expire_old()
        except Exception:
            log.exception("expiring unanswered questions failed")

    @facts.command(name="gaps", description="Most asked questions no fact answers, grouped")
    @app_commands.describe(days="Only questions from the last N days (default: all kept)")
    @moderator_only()
    async def gaps(
        self,
        interaction: discord.Interaction,
        days: app_commands.Range[int, 1, 3650] | None = None,
    ) -> None:
        """The top unanswered question groups in this server."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self.expire_old()
        window = min(days or self.retention_days, self.retention_days)
        since = self.runtime.now() - timedelta(days=window)
        questions = await self.runtime.stores.unanswered.recent(
            since=since, guild_id=interaction.guild_id
        )
        # Clustering is CPU work proportional to questions x groups: off the event loop.
        groups = await asyncio.to_thread(group_questions, [q.text for q in questions])
        await reply(interaction, gaps_text(groups, window, len(questions)))
