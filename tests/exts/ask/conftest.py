"""A real StrikeBot on the local Discord double, with the real knowledge base and SQLite.

Tests act as members would (slash commands, messages, clicks) and wait on what the
double recorded, never on sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.answers.model import Answer
from bot.config import load_settings
from bot.discord_app.client import StrikeBot
from bot.runtime import Runtime
from bot.storage.guild_settings import GuildSettings
from tests.conftest import KNOWLEDGE_DIR
from tests.e2e.conftest import discord_double, discord_endpoints, guild, member  # noqa: F401
from tests.e2e.discord_double import DiscordDouble, Guild, InteractionRecord, Member
from tests.e2e.discord_double.inprocess import running_client
from tests.e2e.discord_double.model import Channel

# discord.py waits this long after the last GUILD_CREATE before on_ready (default 2 s).
GUILD_READY_TIMEOUT = 0.05
EPHEMERAL = 1 << 6
NO_MENTIONS = {"parse": []}
START = datetime(2023, 8, 14, 17, 0, tzinfo=UTC)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Wait until `check()` holds (e.g. a row the bot writes after replying), or fail.

    Polls a condition with a deadline; it never guesses how long the bot takes.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not await check():
        if loop.time() > deadline:
            raise AssertionError(f"condition not met within {timeout} s")
        await asyncio.sleep(0.01)


class FakeClock:
    """The runtime's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class AskScene:
    """The double, a guild with #general and #strike-questions, members, and the bot."""

    double: DiscordDouble
    guild: Guild
    general: Channel
    ask_channel: Channel
    alice: Member
    bob: Member
    clock: FakeClock
    bot: StrikeBot = field(init=False)

    @property
    def runtime(self) -> Runtime:
        return self.bot.runtime

    def engine_answer(self, question: str) -> Answer:
        """What the engine says, so tests follow the knowledge base as it grows."""
        return self.runtime.knowledge.answer(question, today=self.runtime.today())

    async def slash_ask(self, who: Member, question: str) -> dict[str, Any]:
        """Run /ask in #general; returns the callback's JSON body."""
        record = await self.double.send_slash_command(
            self.guild, self.general, who, "ask", {"question": question}
        )
        return await self.callback_json(record)

    async def callback_json(self, record: InteractionRecord) -> dict[str, Any]:
        request = await self.double.wait_for_callback(record)
        assert request.status == 200, request
        body: dict[str, Any] = request.json
        return body

    def stored(self, record: InteractionRecord) -> dict[str, Any]:
        """The message an interaction's response created, as the double stores it."""
        assert record.original_message_id is not None
        message = self.double.messages.find(record.original_message_id)
        assert message is not None
        return message


async def open_scene(
    double: DiscordDouble, in_guild: Guild, tmp_path: Path, **env: str
) -> tuple[AskScene, Runtime]:
    """The scene's people and channels, and a Runtime whose guild has an ask channel."""
    scene = AskScene(
        double=double,
        guild=in_guild,
        general=in_guild.text_channel("general"),
        ask_channel=double.create_channel(in_guild, "strike-questions"),
        alice=double.create_member(in_guild, "alice"),
        bob=double.create_member(in_guild, "bob"),
        clock=FakeClock(),
    )
    settings = load_settings(
        {
            "STRIKEBOT_KNOWLEDGE": str(KNOWLEDGE_DIR),
            "STRIKEBOT_DATA_DIR": str(tmp_path / "data"),
            "STRIKEBOT_HEALTH_ENABLED": "false",
            "STRIKEBOT_DEV_GUILD": str(in_guild.id),
            "STRIKEBOT_AUTO_ANSWER_COOLDOWN": "60",
            **env,
        },
        require_token=False,
    )
    runtime = await Runtime.open(settings, clock=scene.clock)
    await runtime.stores.guild_settings.save(
        GuildSettings(in_guild.id, ask_channel_ids=frozenset({scene.ask_channel.id}))
    )
    return scene, runtime


@pytest.fixture
async def scene(
    discord_endpoints: DiscordDouble,  # noqa: F811 - the fixture imported above
    guild: Guild,  # noqa: F811
    tmp_path: Path,
) -> AsyncIterator[AskScene]:
    """A connected StrikeBot with every extension loaded and commands synced to the guild."""
    built, runtime = await open_scene(discord_endpoints, guild, tmp_path)
    try:
        bot = StrikeBot(runtime, guild_ready_timeout=GUILD_READY_TIMEOUT)
        async with running_client(bot, discord_endpoints):
            built.bot = bot
            yield built
    finally:
        await runtime.close()
