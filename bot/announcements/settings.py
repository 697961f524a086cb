"""The guild settings `/setup` stores, as the announcement schedule reads them."""

from __future__ import annotations

from datetime import timedelta

from bot.announcements.schedule import AnnouncementSettings
from bot.storage.guild_settings import GuildSettings


def settings_from_guild(
    guild: GuildSettings, grace: timedelta | None = None
) -> AnnouncementSettings:
    """The scheduler's view of a guild's `/setup` settings; `grace` comes from config."""
    return AnnouncementSettings(
        guild_id=guild.guild_id,
        channel_id=guild.announce_channel_id,
        post_time=guild.post_time,
        timezone=guild.timezone,
        grace=grace,
        strike_ids=guild.strike_ids,
        enabled=guild.announcements_enabled,
    )
