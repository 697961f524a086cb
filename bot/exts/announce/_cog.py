"""`/announce` and the daily post: the Discord side of `bot/announcements/`.

The cog owns one `AnnouncementScheduler` (created and started in `cog_load`, stopped in
`cog_unload`) and feeds it from the runtime: guild settings from `/setup`, the effective
knowledge base, moderators' fact revisions as "what's new", and `AnnouncementSender` to
post. Time is `runtime.clock`, so `STRIKEBOT_FAKE_NOW` (testing only) moves the schedule
too. `/setup` announces settings changes with the `guild_settings_changed` event; the
listener here re-plans, so a new channel or post time takes effect at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final

import discord
from discord import app_commands
from discord.ext import commands

from bot.announcements.changes import changes_from_revisions
from bot.announcements.content import FactChange
from bot.announcements.schedule import (
    AnnouncementSettings,
    followed_strikes,
    local_date_at,
    next_due,
)
from bot.announcements.scheduler import (
    LEDGER_LOOKBACK,
    AnnouncementScheduler,
    PostOutcome,
    Sleep,
)
from bot.announcements.settings import settings_from_guild
from bot.discord_app.client import StrikeBot
from bot.discord_app.permissions import moderator_only
from bot.knowledge.model import KnowledgeBase
from bot.storage.actor import Actor
from bot.storage.announcement_ledger import AnnouncementLedger, PostedRecord

from . import _replies as replies
from ._render import post_fields
from ._sender import AnnouncementSender

log = logging.getLogger(__name__)

NO_MENTIONS: Final = discord.AllowedMentions.none()
ANNOUNCE_COG_NAME: Final = "Announcements"
# The setup cog's event (bot/exts/setup/_cog.py: SETTINGS_CHANGED_EVENT), as a listener.
SETTINGS_CHANGED_LISTENER: Final = "on_guild_settings_changed"
FORCE_AUDIT_ACTION: Final = "announce.force"


async def _reply(
    interaction: discord.Interaction, text: str | None = None, embed: discord.Embed | None = None
) -> None:
    """An ephemeral answer, as the first response or as a follow-up after deferring."""
    if interaction.response.is_done():
        if embed is not None:
            await interaction.followup.send(
                text or "", embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        else:
            await interaction.followup.send(
                text or "", ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    elif embed is not None:
        await interaction.response.send_message(
            text, embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS
        )
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


class AnnouncementsCog(commands.Cog, name=ANNOUNCE_COG_NAME):
    """The daily strike-day post, and `/announce preview|now|settings`."""

    announce = app_commands.Group(
        name="announce", description="The daily strike-day announcement", guild_only=True
    )

    def __init__(self, bot: StrikeBot, *, sleep: Sleep = asyncio.sleep) -> None:
        self.bot = bot
        self.runtime = bot.runtime
        self._sleep = sleep
        self._ledger: AnnouncementLedger | None = None
        self._scheduler: AnnouncementScheduler | None = None

    # -- lifecycle ---------------------------------------------------------------------------

    async def cog_load(self) -> None:
        """Create the ledger and the scheduler, and start it (it posts anything due now)."""
        self._ledger = AnnouncementLedger(self.runtime.db, clock=self.runtime.clock)
        self._scheduler = AnnouncementScheduler(
            ledger=self._ledger,
            settings=self._announcement_settings,
            knowledge=self._knowledge,
            changes=self._changes,
            send=AnnouncementSender(self.bot, self.runtime.metrics),
            clock=self.runtime.clock,
            sleep=self._sleep,
        )
        self._scheduler.start()
        # If the bot's close times out before unloading cogs, the runtime still stops the
        # loop before it closes the database (stop() is idempotent).
        self.runtime.on_close(self._scheduler.stop)
        log.info("announcement scheduler started")

    async def cog_unload(self) -> None:
        """Stop the scheduler; a post not yet sent releases its claim."""
        if self._scheduler is not None:
            await self._scheduler.stop()
            log.info("announcement scheduler stopped")

    @property
    def scheduler(self) -> AnnouncementScheduler:
        """The running scheduler (created in `cog_load`)."""
        if self._scheduler is None:
            raise RuntimeError("the announcements cog is not loaded")
        return self._scheduler

    @property
    def ledger(self) -> AnnouncementLedger:
        """The announcement ledger on the runtime's database (created in `cog_load`)."""
        if self._ledger is None:
            raise RuntimeError("the announcements cog is not loaded")
        return self._ledger

    @property
    def scheduler_running(self) -> bool:
        """Whether the daily-post loop is alive: for health checks and `/announce settings`."""
        return self._scheduler is not None and self._scheduler.running

    # -- what the scheduler reads ------------------------------------------------------------

    def _grace(self) -> timedelta | None:
        grace = self.runtime.settings.announce_grace
        return grace if isinstance(grace, timedelta) else None  # "rest-of-day" -> None

    async def _announcement_settings(self) -> Sequence[AnnouncementSettings]:
        """Every configured guild's settings; once connected, only guilds the bot is in."""
        stored = await self.runtime.stores.guild_settings.all()
        ready = self.bot.is_ready()
        return [
            settings_from_guild(guild, self._grace())
            for guild in stored
            if not ready or self.bot.get_guild(guild.guild_id) is not None
        ]

    async def _settings_for(self, guild_id: int) -> AnnouncementSettings:
        guild = await self.runtime.stores.guild_settings.get(guild_id)
        return settings_from_guild(guild, self._grace())

    def _knowledge(self) -> KnowledgeBase:
        return self.runtime.knowledge.snapshot.knowledge

    async def _changes(self, since: datetime, until: datetime) -> Sequence[FactChange]:
        """Moderators' fact changes in (since, until], as the post's "what's new" lines."""
        revisions = await self.runtime.stores.fact_revisions.changed_since(since)
        return changes_from_revisions((r for r in revisions if r.at <= until), self._knowledge())

    # -- re-planning -------------------------------------------------------------------------

    @commands.Cog.listener(SETTINGS_CHANGED_LISTENER)
    async def replan_after_setup(self, guild_id: int) -> None:
        """`/setup` changed a guild's channel, time, zone or strikes: recompute what is due."""
        log.info("announcement settings changed", extra={"fields": {"guild_id": guild_id}})
        self.scheduler.replan()

    @commands.Cog.listener("on_ready")
    async def replan_when_ready(self) -> None:
        """Once the guild list is known, guilds the bot has left stop counting."""
        self.scheduler.replan()

    @commands.Cog.listener("on_guild_join")
    async def replan_on_join(self, guild: discord.Guild) -> None:
        """A guild with stored settings may have re-added the bot."""
        self.scheduler.replan()

    @commands.Cog.listener("on_guild_remove")
    async def replan_on_remove(self, guild: discord.Guild) -> None:
        """No more posts to a guild that removed the bot."""
        self.scheduler.replan()

    # -- commands ----------------------------------------------------------------------------

    @announce.command(name="preview", description="See what today's daily post says (only you)")
    async def preview(self, interaction: discord.Interaction) -> None:
        """Today's post as it would go out now; read-only, so open to every member."""
        assert interaction.guild_id is not None  # the group is guild-only
        settings = await self._settings_for(interaction.guild_id)
        announcement = await self.scheduler.preview(settings)
        if announcement.is_empty:
            await _reply(interaction, replies.NOTHING_TODAY)
            return
        fields = post_fields(announcement)
        await _reply(interaction, fields.content, fields.embed)

    @announce.command(name="now", description="Moderators: post today's announcement now")
    @app_commands.describe(force="Post it again even if today's announcement already went out")
    @moderator_only()
    async def now(self, interaction: discord.Interaction, force: bool = False) -> None:
        """Post today's announcement if not yet posted; `force` re-posts it (audited)."""
        assert interaction.guild_id is not None  # the group is guild-only
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = await self._settings_for(interaction.guild_id)
        if not settings.active:
            await _reply(interaction, replies.inactive_text(settings))
            return
        assert settings.channel_id is not None  # active
        forced_by = interaction.user.id if force else None
        outcome = await self.scheduler.announce_now(settings, forced_by=forced_by)
        if outcome.status == "posted":
            if force:
                await self._audit_forced(interaction, outcome)
            text = replies.posted_text(outcome, settings.channel_id, forced=force)
        elif outcome.status == "already_posted":
            text = await self._not_posted_text(settings)
        else:
            text = replies.failed_text(outcome)
        await _reply(interaction, text)

    @announce.command(name="settings", description="Where and when the daily post goes out")
    async def settings(self, interaction: discord.Interaction) -> None:
        """Channel, time, zone, strikes, last post and next due time; read-only."""
        assert interaction.guild_id is not None  # the group is guild-only
        settings = await self._settings_for(interaction.guild_id)
        kb = self._knowledge()
        strikes = [s.id for s in followed_strikes(settings, kb.strikes)]
        now = self.runtime.now()
        snapshot = await self.ledger.snapshot(since=(now - LEDGER_LOOKBACK).date())
        due = next_due([settings], snapshot, kb.strikes, now)
        text = replies.settings_text(
            settings,
            strikes,
            await self._last_posted(settings.guild_id, strikes),
            due,
            scheduler_running=self.scheduler_running,
        )
        await _reply(interaction, text)

    # -- helpers -----------------------------------------------------------------------------

    async def _last_posted(self, guild_id: int, strike_ids: Sequence[str]) -> PostedRecord | None:
        records = [
            record
            for strike_id in strike_ids
            if (record := await self.ledger.last_posted(guild_id, strike_id)) is not None
        ]
        return max(records, key=lambda r: (r.local_date, r.posted_at), default=None)

    async def _not_posted_text(self, settings: AnnouncementSettings) -> str:
        """Why `/announce now` posted nothing: posted already, in progress, or nothing to say."""
        assert settings.channel_id is not None
        now = self.runtime.now()
        today = local_date_at(settings, now)
        strikes = [s.id for s in followed_strikes(settings, self._knowledge().strikes)]
        last = await self._last_posted(settings.guild_id, strikes)
        if last is not None and last.local_date == today:
            return replies.already_posted_text(last)
        snapshot = await self.ledger.snapshot(since=today)
        if any(key[0] == settings.guild_id and key[2] == today for key in snapshot.taken):
            return replies.claimed_text(settings.channel_id)
        return replies.NOTHING_TODAY

    async def _audit_forced(self, interaction: discord.Interaction, outcome: PostOutcome) -> None:
        """The audit entry for a moderator's forced re-post (the ledger marks it forced)."""
        day = outcome.local_date.isoformat()
        await self.runtime.stores.audit.record(
            FORCE_AUDIT_ACTION,
            Actor(interaction.user.id, interaction.user.display_name),
            target=f"announcement:{day}",
            details=(
                f"re-posted {day} ({', '.join(outcome.strike_ids)}) as message {outcome.message_id}"
            ),
            guild_id=outcome.guild_id,
            at=self.runtime.now(),
        )
