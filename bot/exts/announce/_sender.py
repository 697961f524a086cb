"""The scheduler's `send`: post one announcement in a guild's channel, or raise.

Raising is the contract: the scheduler retries a failed send with back-off, records each
failure in the ledger and, after the last attempt, releases the claim and reports. So
nothing here swallows `discord.HTTPException` (Forbidden, NotFound, server errors).
"""

from __future__ import annotations

import logging
from typing import Final

import discord

from bot.announcements.content import Announcement
from bot.health import Metrics

from ._render import post_fields

log = logging.getLogger(__name__)

NO_MENTIONS: Final = discord.AllowedMentions.none()
# Channel kinds a message can be posted in; forum and category channels cannot take one.
PostableChannel = discord.TextChannel | discord.Thread | discord.VoiceChannel


class AnnouncementChannelError(RuntimeError):
    """The configured channel is not a channel of that guild the bot can post a message in."""


class AnnouncementSender:
    """`send(guild_id, channel_id, announcement) -> message id`, counting every attempt.

    `strikebot_announcements_total{result="posted"}` counts messages posted and
    `{result="failed"}` counts failed send attempts (each retry), so an alert on failures
    fires while the scheduler is still retrying, not only after it gave up.
    """

    def __init__(self, client: discord.Client, metrics: Metrics) -> None:
        self._client = client
        self._metrics = metrics

    async def __call__(self, guild_id: int, channel_id: int, announcement: Announcement) -> int:
        """Post the announcement with no mentions; the new message's id, or an exception."""
        try:
            channel = await self._channel(guild_id, channel_id)
            fields = post_fields(announcement)
            if fields.embed is not None:
                message = await channel.send(embed=fields.embed, allowed_mentions=NO_MENTIONS)
            else:
                message = await channel.send(fields.content, allowed_mentions=NO_MENTIONS)
        except Exception:
            self._metrics.announcement(posted=False)
            raise
        self._metrics.announcement(posted=True)
        return message.id

    async def _channel(self, guild_id: int, channel_id: int) -> PostableChannel:
        """The channel from the cache, else from the API (raises NotFound, Forbidden)."""
        channel = self._client.get_channel(channel_id) or await self._client.fetch_channel(
            channel_id
        )
        if not isinstance(channel, PostableChannel):
            raise AnnouncementChannelError(
                f"channel {channel_id} is a {type(channel).__name__}, not a text channel"
            )
        if channel.guild.id != guild_id:
            raise AnnouncementChannelError(
                f"channel {channel_id} belongs to guild {channel.guild.id}, not {guild_id}"
            )
        return channel
