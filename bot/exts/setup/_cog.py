"""`/setup`: where the bot answers and posts, when, who moderates, which strikes.

Settings are stored per guild; a guild that never ran `/setup` gets working defaults
(no ask channels: /ask and mentions only; all strikes; 09:00 America/Los_Angeles; no
daily post until a channel is chosen). Each change is saved with an audit entry in one
transaction and shown back in full. Changing who moderates needs Manage Server: a
moderator role alone could otherwise hand moderation to another role or take it from
everyone else.

Announcement settings changes are announced with the bot event
`guild_settings_changed(guild_id)`; the announcement cog listens for it to re-plan its
schedule (if no cog listens, nothing happens).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any, Final

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.client import StrikeBot
from bot.discord_app.permissions import interaction_is_moderator, moderator_only
from bot.storage.actor import Actor
from bot.storage.guild_settings import GuildSettings, parse_post_time
from bot.storage.transactions import transaction

from ._zones import zone_choices

NO_MENTIONS: Final = discord.AllowedMentions.none()
SETTINGS_CHANGED_EVENT: Final = "guild_settings_changed"
MAX_CHOICES: Final = 25
ONLY_MANAGERS: Final = (
    "Only members with the Manage Server permission can change the moderator role. "
    "Nothing was changed."
)


async def _reply(interaction: discord.Interaction, text: str) -> None:
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_MENTIONS)


def settings_text(settings: GuildSettings) -> str:
    """The guild's settings as a moderator reads them (mentions render, never ping)."""
    channels = (
        ", ".join(f"<#{c}>" for c in sorted(settings.ask_channel_ids))
        if settings.ask_channel_ids
        else "none (members use /ask or mention the bot)"
    )
    where = f"<#{settings.announce_channel_id}>" if settings.announce_channel_id else None
    post = f"{settings.post_time:%H:%M} {settings.timezone}"
    if where is None:
        announcements = f"no channel set, so no daily post (time would be {post})"
    elif not settings.announcements_enabled:
        announcements = f"paused (channel {where}, {post})"
    else:
        announcements = f"daily in {where} at {post}"
    role = (
        f"<@&{settings.moderator_role_id}> (and Manage Server)"
        if settings.moderator_role_id
        else "none: members with Manage Server only"
    )
    strikes = ", ".join(settings.strike_ids) if settings.strike_ids else "all in the fact base"
    return "\n".join(
        [
            "**Settings for this server**",
            f"• Ask channels: {channels}",
            f"• Announcements: {announcements}",
            f"• Moderator role: {role}",
            f"• Strikes followed: {strikes}",
        ]
    )


class SetupCommands(commands.Cog):
    """The `/setup` command group."""

    setup = app_commands.Group(
        name="setup", description="Moderators: configure StrikeBot for this server", guild_only=True
    )
    ask_channels = app_commands.Group(
        name="ask-channels", description="Channels where the bot answers questions", parent=setup
    )
    strikes = app_commands.Group(
        name="strikes", description="Strikes this server follows", parent=setup
    )

    def __init__(self, bot: StrikeBot) -> None:
        self.bot = bot
        self.runtime = bot.runtime

    async def _guild_settings(self, guild_id: int) -> GuildSettings:
        return await self.runtime.stores.guild_settings.get(guild_id)

    async def _update(
        self,
        interaction: discord.Interaction,
        what: str,
        change: Callable[[GuildSettings], GuildSettings],
        *,
        announcements: bool = False,
        note: str = "",
    ) -> None:
        """Apply a change, store it with its audit entry, and show the result."""
        assert interaction.guild_id is not None  # the group is guild-only
        guild_id = interaction.guild_id
        actor = Actor(interaction.user.id, interaction.user.display_name)
        now = self.runtime.now()
        try:
            async with transaction(self.runtime.db):
                before = await self._guild_settings(guild_id)
                after = change(before)
                await self.runtime.stores.guild_settings.save(after, at=now)
                await self.runtime.stores.audit.record(
                    f"settings.{what}",
                    actor,
                    target=f"guild:{guild_id}",
                    details=_difference(before, after),
                    guild_id=guild_id,
                    at=now,
                )
        except ValueError as exc:
            await _reply(interaction, f"Not saved: {exc}")
            return
        if announcements:
            self.bot.dispatch(SETTINGS_CHANGED_EVENT, guild_id)
        await _reply(interaction, f"Saved.{note}\n{settings_text(after)}")

    # -- autocomplete ----------------------------------------------------------------------

    async def _zones(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return zone_choices(current)

    async def _strike_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not await interaction_is_moderator(interaction):
            return []
        needle = current.strip().casefold()
        strikes = self.runtime.knowledge.snapshot.knowledge.strikes.values()
        return [
            app_commands.Choice(
                name=f"{s.id} — {s.union.short} v {s.against.short}"[:100], value=s.id
            )
            for s in sorted(strikes, key=lambda s: s.id)
            if needle in s.id.casefold() or needle in s.union.short.casefold()
        ][:MAX_CHOICES]

    # -- commands --------------------------------------------------------------------------

    @setup.command(name="show", description="Show this server's StrikeBot settings")
    @moderator_only()
    async def show(self, interaction: discord.Interaction) -> None:
        """The current settings (defaults when never configured)."""
        await self._show(interaction)

    async def _show(self, interaction: discord.Interaction) -> None:
        assert interaction.guild_id is not None  # the group is guild-only
        await _reply(interaction, settings_text(await self._guild_settings(interaction.guild_id)))

    @setup.command(name="announcements", description="Where and when the daily post goes out")
    @app_commands.describe(
        channel="Channel for the daily strike-day post",
        post_time="Local time of the post, HH:MM (24-hour), e.g. 09:00",
        timezone="IANA time zone, e.g. America/Los_Angeles",
        enabled="Turn the daily post on or off",
    )
    @app_commands.autocomplete(timezone=_zones)
    @moderator_only()
    async def announcements(
        self,
        interaction: discord.Interaction,
        channel: discord.TextChannel | None = None,
        post_time: str | None = None,
        timezone: str | None = None,
        enabled: bool | None = None,
    ) -> None:
        """Change any of the given announcement settings; the others stay."""
        if channel is None and post_time is None and timezone is None and enabled is None:
            await self._show(interaction)
            return
        changes: dict[str, Any] = {}
        try:
            if post_time is not None:
                changes["post_time"] = parse_post_time(post_time)
        except ValueError as exc:
            await _reply(interaction, f"Not saved: {exc}")
            return
        if channel is not None:
            changes["announce_channel_id"] = channel.id
        if timezone is not None:
            changes["timezone"] = timezone.strip()
        if enabled is not None:
            changes["announcements_enabled"] = enabled
        note = _post_warning(interaction, channel)
        await self._update(
            interaction,
            "announcements",
            lambda s: replace(s, **changes),
            announcements=True,
            note=note,
        )

    @setup.command(name="moderator-role", description="The role whose members may moderate")
    @app_commands.describe(role="The moderator role; leave empty to remove it")
    @moderator_only()
    async def moderator_role(
        self, interaction: discord.Interaction, role: discord.Role | None = None
    ) -> None:
        """Set or clear the moderator role (Manage Server required)."""
        member = interaction.user
        if not isinstance(member, discord.Member) or not member.guild_permissions.manage_guild:
            await _reply(interaction, ONLY_MANAGERS)
            return
        role_id = role.id if role is not None else None
        if role is not None and role.is_default():
            await _reply(interaction, "Not saved: @everyone cannot be the moderator role.")
            return
        await self._update(
            interaction, "moderator_role", lambda s: replace(s, moderator_role_id=role_id)
        )

    @ask_channels.command(name="add", description="Answer questions in this channel")
    @app_commands.describe(channel="A channel where members ask questions")
    @moderator_only()
    async def ask_channel_add(
        self, interaction: discord.Interaction, channel: discord.TextChannel
    ) -> None:
        """Add an ask channel (once any is set, the bot answers only in those)."""
        await self._update(
            interaction,
            "ask_channels",
            lambda s: replace(s, ask_channel_ids=s.ask_channel_ids | {channel.id}),
        )

    @ask_channels.command(name="remove", description="Stop answering questions in this channel")
    @app_commands.describe(channel="An ask channel")
    @moderator_only()
    async def ask_channel_remove(
        self, interaction: discord.Interaction, channel: discord.TextChannel
    ) -> None:
        """Remove an ask channel; with none left the bot answers only /ask and mentions."""
        await self._update(
            interaction,
            "ask_channels",
            lambda s: replace(s, ask_channel_ids=s.ask_channel_ids - {channel.id}),
        )

    @ask_channels.command(name="clear", description="Stop automatic answers in every channel")
    @moderator_only()
    async def ask_channel_clear(self, interaction: discord.Interaction) -> None:
        """Remove every ask channel."""
        await self._update(
            interaction, "ask_channels", lambda s: replace(s, ask_channel_ids=frozenset())
        )

    @strikes.command(name="add", description="Follow a strike (day counts, announcements)")
    @app_commands.describe(strike_id="The strike")
    @app_commands.autocomplete(strike_id=_strike_ids)
    @moderator_only()
    async def strike_add(self, interaction: discord.Interaction, strike_id: str) -> None:
        """Follow a strike; once any is chosen, the server follows only those."""
        known = self.runtime.knowledge.snapshot.knowledge.strikes
        if strike_id not in known:
            await _reply(
                interaction, f"Not saved: no strike {strike_id[:100]!r} (known: {', '.join(known)})"
            )
            return
        await self._update(
            interaction,
            "strikes",
            lambda s: replace(s, strike_ids=(*s.strike_ids, strike_id)),
            announcements=True,
        )

    @strikes.command(name="remove", description="Stop following a strike")
    @app_commands.describe(strike_id="The strike")
    @app_commands.autocomplete(strike_id=_strike_ids)
    @moderator_only()
    async def strike_remove(self, interaction: discord.Interaction, strike_id: str) -> None:
        """Unfollow a strike; with none left the server follows all strikes."""
        await self._update(
            interaction,
            "strikes",
            lambda s: replace(s, strike_ids=tuple(x for x in s.strike_ids if x != strike_id)),
            announcements=True,
        )


def _difference(before: GuildSettings, after: GuildSettings) -> str:
    """Audit details: each changed setting as `name: old -> new`."""
    changed = [
        f"{name}: {getattr(before, name)!s} -> {getattr(after, name)!s}"
        for name in GuildSettings.__dataclass_fields__
        if getattr(before, name) != getattr(after, name)
    ]
    return "; ".join(changed) or "no change"


def _post_warning(interaction: discord.Interaction, channel: discord.TextChannel | None) -> str:
    """A note when the bot could not post in the chosen channel (saved anyway)."""
    guild = interaction.guild
    if channel is None or guild is None or guild.me is None:
        return ""
    resolved = guild.get_channel(channel.id)
    if not isinstance(resolved, discord.TextChannel):
        return ""
    permissions = resolved.permissions_for(guild.me)
    if permissions.send_messages and permissions.view_channel:
        return ""
    return f" Note: I cannot post in <#{channel.id}> yet; give me Send Messages there."
