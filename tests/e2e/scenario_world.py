"""The strike server the end-to-end scenarios play in, and the verbs people use there.

One guild, "Strike HQ": #general, an ask channel #strike-questions and #announcements;
a "Mods" role (the configured moderator role, seeded through the bot's own storage API
before the first start), a moderator, two members and the owner. Tests act through the
double only and wait on what it recorded.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.config import DB_FILE_NAME
from bot.storage.database import open_database
from bot.storage.guild_settings import GuildSettings, GuildSettingsStore
from tests.e2e.bot_process import BotProcess, bot_processes
from tests.e2e.discord_double import (
    Channel,
    DiscordDouble,
    Guild,
    InteractionRecord,
    Member,
    MessageChange,
    Role,
)
from tests.e2e.discord_double import interaction_payloads as ip

EPHEMERAL = 1 << 6
LOADING = 1 << 7
NO_MENTIONS: dict[str, Any] = {"parse": []}
REPLY_NO_MENTIONS = {**NO_MENTIONS, "replied_user": False}
ANSWERED = "When did the strike start?"
"""A question the committed fact base answers with citations."""
OFF_TOPIC = "anyone know a good pizza recipe?"
"""A question it must not answer in an ask channel."""


@dataclass
class StrikeWorld:
    """The double's guild and people, and the bot's files; `bots()` makes processes."""

    double: DiscordDouble
    guild: Guild
    general: Channel
    ask_channel: Channel
    announcements: Channel
    mod_role: Role
    owner: Member
    mod: Member
    alice: Member
    bob: Member
    data_dir: Path
    knowledge_dir: Path
    make_bot: Callable[..., BotProcess] = field(repr=False, default=lambda **_: _unset())

    @property
    def db_path(self) -> Path:
        """The SQLite file every process of this world uses."""
        return self.data_dir / DB_FILE_NAME

    async def start_bot(
        self, extra_env: dict[str, str] | None = None, *, until_healthy: bool = True
    ) -> BotProcess:
        """A new `strikebot run` on this world's files, started (and healthy, by default)."""
        process = self.make_bot(**(extra_env or {}))
        await process.start(until_healthy=until_healthy)
        return process

    async def slash(
        self,
        who: Member,
        command: str,
        options: dict[str, ip.OptionValue] | None = None,
        channel: Channel | None = None,
    ) -> InteractionRecord:
        """Run `/group sub` (or `/command`) as ``who`` in #general unless told otherwise."""
        name, *path = command.split()
        return await self.double.send_slash_command(
            self.guild, channel or self.general, who, name, options or {}, subcommand=tuple(path)
        )

    async def reply(self, record: InteractionRecord) -> MessageChange:
        """The bot's first visible answer to an interaction (not the "thinking" state)."""

        def answers(change: MessageChange) -> bool:
            message = change.message
            metadata = message.get("interaction_metadata") or {}
            if metadata.get("id") != str(record.id):
                return False
            if int(message.get("flags") or 0) & LOADING:
                return False
            return bool(message.get("content") or message.get("embeds"))

        return await self.double.messages.changes.wait_for(
            lambda c: c.by_bot and c.kind in ("create", "edit") and answers(c)
        )

    async def say(
        self, who: Member, channel: Channel, content: str, *, mention_bot: bool = False
    ) -> dict[str, Any]:
        """``who`` posts a message (starting with the bot's mention if asked)."""
        if mention_bot:
            content = f"<@{self.double.bot.id}> {content}"
        mentions: list[Any] = [self.double.bot] if mention_bot else []
        return await self.double.send_message_create(
            self.guild, channel, who, content, mentions=mentions
        )

    async def reply_to(self, message: dict[str, Any], since: int = 0) -> MessageChange:
        """The bot's reply to a stored message."""

        def replies(change: MessageChange) -> bool:
            reference = change.message.get("message_reference") or {}
            return reference.get("message_id") == message["id"]

        return await self.double.wait_for_bot_message(replies, since=since)

    def posts_requests(self, channel: Channel, since: int = 0) -> list[Any]:
        """Message-create requests the bot made in ``channel`` (whatever the answer)."""
        path = f"/channels/{channel.id}/messages"
        return self.double.requests.matching(lambda r: r.matches("POST", path), since)


def _unset() -> BotProcess:
    raise RuntimeError("StrikeWorld.make_bot is set by the strike_world fixture")


def is_ephemeral(change: MessageChange) -> bool:
    """Whether only the person who ran the command sees the message."""
    return bool(int(change.message.get("flags") or 0) & EPHEMERAL)


def text_of(message: dict[str, Any]) -> str:
    """Content and embed text together, for assertions that do not care where text sits."""
    parts = [str(message.get("content") or "")]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def custom_ids(message: dict[str, Any]) -> list[str]:
    """The custom ids of a message's buttons, in order."""
    buttons = [c for row in message.get("components") or [] for c in row["components"]]
    return [c["custom_id"] for c in buttons if "custom_id" in c]


async def seed_guild_settings(db_path: Path, settings: GuildSettings) -> None:
    """Store a guild's settings with the bot's own storage API, as /setup would."""
    db = await open_database(db_path)
    try:
        await GuildSettingsStore(db).save(settings)
    finally:
        await db.close()


def build_world(double: DiscordDouble, data_dir: Path, knowledge_dir: Path) -> StrikeWorld:
    """The guild and people, created before any bot connects; the data dir made."""
    data_dir.mkdir(parents=True, exist_ok=True)
    guild = double.create_guild("Strike HQ")
    mod_role = double.create_role(guild, "Mods")
    return StrikeWorld(
        double=double,
        guild=guild,
        general=guild.text_channel("general"),
        ask_channel=double.create_channel(guild, "strike-questions"),
        announcements=double.create_channel(guild, "announcements"),
        mod_role=mod_role,
        owner=guild.members[guild.owner_id],
        mod=double.create_member(guild, "morgan", roles=[mod_role]),
        alice=double.create_member(guild, "alice"),
        bob=double.create_member(guild, "bob"),
        data_dir=data_dir,
        knowledge_dir=knowledge_dir,
    )


async def open_world(
    double: DiscordDouble, data_dir: Path, knowledge_dir: Path
) -> AsyncIterator[StrikeWorld]:
    """A world whose moderator role and ask channel are stored; processes killed after."""
    world = build_world(double, data_dir, knowledge_dir)
    await seed_guild_settings(
        world.db_path,
        GuildSettings(
            world.guild.id,
            ask_channel_ids=frozenset({world.ask_channel.id}),
            moderator_role_id=world.mod_role.id,
        ),
    )
    async with bot_processes(double, data_dir, knowledge_dir) as make:
        world.make_bot = make
        yield world


@pytest.fixture
async def strike_world(
    discord_double: DiscordDouble, tmp_path: Path, knowledge_copy: Path
) -> AsyncIterator[StrikeWorld]:
    """A fresh world per test (for scenarios that restart or change the bot's files)."""
    async for world in open_world(discord_double, tmp_path / "data", knowledge_copy):
        yield world
