"""An `Announcement` as Discord message fields: its text, or its embed when it is long.

The core already fits the post into Discord's limits (`bot/announcements/layout.py`), so
this is a field-by-field mapping with no cutting of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import discord

from bot.announcements.content import Announcement
from bot.announcements.layout import AnnouncementEmbed


@dataclass(frozen=True, slots=True)
class PostFields:
    """What one message carries: exactly one of `content` and `embed` is set."""

    content: str | None
    embed: discord.Embed | None


def discord_embed(embed: AnnouncementEmbed) -> discord.Embed:
    """The core's embed-shaped post as a `discord.Embed` (limits were kept by the core)."""
    result = discord.Embed(title=embed.title, description=embed.description)
    for field in embed.fields:
        result.add_field(name=field.name, value=field.value, inline=field.inline)
    if embed.footer:
        result.set_footer(text=embed.footer)
    return result


def post_fields(announcement: Announcement) -> PostFields:
    """The message for a post: the embed when the full post needs one, else the text."""
    if announcement.embed is not None:
        return PostFields(content=None, embed=discord_embed(announcement.embed))
    return PostFields(content=announcement.text, embed=None)
