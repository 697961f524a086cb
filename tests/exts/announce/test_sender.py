"""Posting one announcement: text or embed, never a mention, and failures raised."""

from __future__ import annotations

from datetime import date

import discord
import pytest
from discord.ext import commands

from bot.announcements.changes import changes_by_as_of
from bot.announcements.content import Announcement, render_announcement
from bot.announcements.layout import MAX_EMBED_TOTAL_CHARS
from bot.discord_app.client import walk_extensions
from bot.exts.announce import setup
from bot.exts.announce._render import post_fields
from bot.exts.announce._sender import AnnouncementSender
from bot.health import Metrics
from bot.knowledge.loader import load_knowledge
from tests.conftest import KNOWLEDGE_DIR
from tests.exts.announce.harness import Scene, text_of

AUG_4 = date(2023, 8, 4)


def long_announcement() -> Announcement:
    """August 4 with every fact dated that day as news: too long for one message."""
    kb = load_knowledge(KNOWLEDGE_DIR)
    changes = changes_by_as_of(kb, date(2023, 8, 3), AUG_4)
    return render_announcement(kb, list(kb.strikes), AUG_4, changes, date(2023, 8, 3))


def test_a_long_post_becomes_one_embed_within_discord_limits() -> None:
    announcement = long_announcement()
    assert announcement.embed is not None

    fields = post_fields(announcement)

    assert fields.content is None
    assert fields.embed is not None
    assert len(fields.embed) <= MAX_EMBED_TOTAL_CHARS
    assert fields.embed.title == "Friday, August 4, 2023"
    assert "Day 95 of the WGA strike against the AMPTP" in (fields.embed.description or "")
    assert fields.embed.footer.text is not None and "more" in fields.embed.footer.text


async def test_the_sender_posts_the_embed_without_mentions_and_counts_it(scene: Scene) -> None:
    metrics = Metrics()
    async with scene.bot() as bot:
        send = AnnouncementSender(bot, metrics)
        message_id = await send(scene.guild.id, scene.announcements.id, long_announcement())

    [post] = scene.posts()
    assert int(post["id"]) == message_id
    assert "Day 95 of the WGA strike against the AMPTP" in text_of(post)
    [request] = scene.post_requests()
    assert request.json["allowed_mentions"] == {"parse": []}
    assert 'strikebot_announcements_total{result="posted"} 1' in metrics.render_prometheus()


async def test_the_sender_raises_for_a_channel_that_is_gone_and_counts_a_failure(
    scene: Scene,
) -> None:
    metrics = Metrics()
    async with scene.bot() as bot:
        send = AnnouncementSender(bot, metrics)
        with pytest.raises(discord.NotFound):
            await send(scene.guild.id, 424242424242424242, long_announcement())

    assert scene.double.bot_messages() == []
    assert 'strikebot_announcements_total{result="failed"} 1' in metrics.render_prometheus()


def test_the_extension_is_discovered() -> None:
    assert "bot.exts.announce" in set(walk_extensions())


async def test_the_extension_needs_a_strikebot() -> None:
    with pytest.raises(TypeError, match="StrikeBot"):
        await setup(commands.Bot(command_prefix="!", intents=discord.Intents.none()))
