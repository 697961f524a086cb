"""A real StrikeBot (real discord.py, real SQLite, a temp copy of knowledge/) on the double.

Tests act as Discord users would: run slash commands, submit modals, type into
autocomplete, and wait on what the double recorded (never on sleeps).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiosqlite

from bot.config import Settings, load_settings
from bot.discord_app.client import StrikeBot
from bot.runtime import Runtime
from bot.storage.database import open_database
from bot.storage.guild_settings import GuildSettings, GuildSettingsStore
from tests.e2e.discord_double import (
    DiscordDouble,
    Guild,
    InteractionRecord,
    Member,
    MessageChange,
    Role,
)
from tests.e2e.discord_double import interaction_payloads as ip
from tests.e2e.discord_double.inprocess import running_client
from tests.e2e.discord_double.model import Channel

GUILD_READY_TIMEOUT = 0.05
"""discord.py waits this long after the last GUILD_CREATE before on_ready (default 2 s)."""
EPHEMERAL = 1 << 6
LOADING = 1 << 7
# Every table a moderator command could write: counted before and after a refusal.
WRITABLE_TABLES = (
    "fact_revisions",
    "fact_revision_questions",
    "fact_revision_citations",
    "moderator_sources",
    "strike_overrides",
    "audit_log",
    "guild_settings",
    "ask_channels",
    "guild_strikes",
)


@dataclass
class Scene:
    """One guild and its people, the bot's files, and verbs to act in it."""

    double: DiscordDouble
    guild: Guild
    channel: Channel
    owner: Member
    """The guild owner: Manage Server implicitly."""
    mod: Member
    """Holds the configured moderator role and no Manage Server."""
    member: Member
    """An ordinary member."""
    mod_role: Role
    knowledge_dir: Path
    db_path: Path

    def settings(self) -> Settings:
        """The bot's settings: this scene's knowledge copy and database, no health server."""
        env = {
            "STRIKEBOT_KNOWLEDGE": str(self.knowledge_dir),
            "STRIKEBOT_DB": str(self.db_path),
            "STRIKEBOT_HEALTH_ENABLED": "false",
        }
        return load_settings(env, require_token=False)

    @contextlib.asynccontextmanager
    async def bot(self) -> AsyncIterator[StrikeBot]:
        """A started StrikeBot with every extension loaded and commands synced."""
        runtime = await Runtime.open(self.settings())
        try:
            bot = StrikeBot(runtime, guild_ready_timeout=GUILD_READY_TIMEOUT)
            async with running_client(bot, self.double):
                assert isinstance(bot, StrikeBot)
                yield bot
        finally:
            await runtime.close()

    async def slash(
        self,
        who: Member,
        command: str,
        options: dict[str, ip.OptionValue] | None = None,
    ) -> InteractionRecord:
        """Run `/group sub` (or a nested `/group sub-group sub`) as `who`."""
        name, *path = command.split()
        return await self.double.send_slash_command(
            self.guild, self.channel, who, name, options or {}, subcommand=tuple(path)
        )

    async def autocomplete(
        self, who: Member, command: str, options: dict[str, ip.OptionValue], focused: str
    ) -> list[dict[str, Any]]:
        """The choices the bot offers while `who` types into `focused`."""
        name, *path = command.split()
        record = await self.double.send_autocomplete(
            self.guild, self.channel, who, name, options, focused=focused, subcommand=tuple(path)
        )
        callback = await self.double.wait_for_callback(record)
        assert callback.status == 204, callback.json
        assert record.autocomplete_choices is not None
        return record.autocomplete_choices

    async def reply(self, record: InteractionRecord) -> MessageChange:
        """The bot's first visible answer to an interaction (skipping the "thinking" one)."""

        def answers(change: MessageChange) -> bool:
            message = change.message
            metadata = message.get("interaction_metadata") or {}
            if metadata.get("id") != str(record.id):
                return False
            if int(message.get("flags") or 0) & LOADING:
                return False
            return bool(
                message.get("content") or message.get("embeds") or message.get("attachments")
            )

        created = self.double.messages.changes.wait_for(
            lambda c: c.by_bot and c.kind in ("create", "edit") and answers(c)
        )
        return await created

    async def modal(self, record: InteractionRecord) -> dict[str, Any]:
        """The modal the bot opened in answer to `record`."""
        callback = await self.double.wait_for_callback(record)
        assert callback.status == 204 or callback.status == 200, callback.json
        assert record.modal is not None, "the bot did not answer with a modal"
        return record.modal


def prefilled(modal: dict[str, Any]) -> dict[str, str]:
    """Each text input's custom id and the value the bot prefilled it with."""
    inputs = [
        row["component"] if "component" in row else row["components"][0]
        for row in modal["components"]
    ]
    return {i["custom_id"]: i.get("value") or "" for i in inputs}


def is_ephemeral(change: MessageChange) -> bool:
    """Whether only the person who ran the command sees the message."""
    return bool(int(change.message.get("flags") or 0) & EPHEMERAL)


def text_of(change: MessageChange) -> str:
    """Content and embed text together, for assertions that do not care where text sits."""
    parts = [change.content]
    for embed in change.message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


async def row_counts(db_path: Path) -> dict[str, int]:
    """Rows in every writable table, read through a separate connection."""
    async with aiosqlite.connect(db_path) as db:
        counts = {}
        for table in WRITABLE_TABLES:
            async with db.execute(f"SELECT COUNT(*) FROM {table}") as cursor:
                row = await cursor.fetchone()
            assert row is not None
            counts[table] = int(row[0])
    return counts


async def build_scene(double: DiscordDouble, knowledge_dir: Path, db_path: Path) -> Scene:
    """The world the bot connects to, and a database where Mods is the moderator role."""
    guild = double.create_guild("Strike HQ")
    channel = guild.text_channel("general")
    mod_role = double.create_role(guild, "Mods")
    mod = double.create_member(guild, "morgan", roles=[mod_role])
    member = double.create_member(guild, "alice")
    owner = guild.members[guild.owner_id]
    db = await open_database(db_path)
    try:
        await GuildSettingsStore(db).save(GuildSettings(guild.id, moderator_role_id=mod_role.id))
    finally:
        await db.close()
    return Scene(double, guild, channel, owner, mod, member, mod_role, knowledge_dir, db_path)
