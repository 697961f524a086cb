"""A real StrikeBot (real discord.py, real SQLite file) on the Discord double, on a virtual clock.

The bot loads the error handler, optionally `/setup`, and the announcements cog built
with the virtual clock's `sleep`; the runtime gets the same clock. Tests act as members
do (slash commands) and wait on what the double recorded, never on guessed delays.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from bot.config import Settings, load_settings
from bot.discord_app.client import StrikeBot
from bot.exts.announce._cog import ANNOUNCE_COG_NAME, AnnouncementsCog
from bot.runtime import Runtime
from bot.storage.database import open_database
from bot.storage.guild_settings import GuildSettings, GuildSettingsStore
from tests.e2e.discord_double import DiscordDouble, Guild, InteractionRecord, Member, Role
from tests.e2e.discord_double import interaction_payloads as ip
from tests.e2e.discord_double.inprocess import running_client
from tests.e2e.discord_double.model import Channel
from tests.e2e.discord_double.store import MessageChange
from tests.exts.announce.virtual_clock import VirtualClock

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
GUILD_READY_TIMEOUT = 0.05
"""discord.py waits this long after the last GUILD_CREATE before on_ready (default 2 s)."""
EPHEMERAL = 1 << 6
LOADING = 1 << 7
ERROR_HANDLER = "bot.exts.errors"


def la(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """An aware wall-clock time in Los Angeles, the zone of the strikes' post."""
    return datetime(year, month, day, hour, minute, tzinfo=LOS_ANGELES)


class AnnounceTestBot(StrikeBot):
    """StrikeBot with only the extensions these tests need, the scheduler on `clock`."""

    def __init__(
        self, runtime: Runtime, clock: VirtualClock, extensions: Sequence[str], **options: Any
    ) -> None:
        super().__init__(runtime, guild_ready_timeout=GUILD_READY_TIMEOUT, **options)
        self._clock = clock
        self._extensions = extensions

    async def setup_hook(self) -> None:
        """Like StrikeBot's: load, add the announcements cog, sync (to the double)."""
        for name in (ERROR_HANDLER, *self._extensions):
            await self.load_extension(name)
        await self.add_cog(AnnouncementsCog(self, sleep=self._clock.sleep))
        await self.sync_app_commands()

    @property
    def announcements(self) -> AnnouncementsCog:
        """The loaded announcements cog."""
        cog = self.get_cog(ANNOUNCE_COG_NAME)
        assert isinstance(cog, AnnouncementsCog)
        return cog


@dataclass
class Scene:
    """A guild with an announcement channel, its people, the bot's files, and a clock."""

    double: DiscordDouble
    guild: Guild
    general: Channel
    """Where people run commands."""
    announcements: Channel
    """Where the daily post goes."""
    owner: Member
    mod: Member
    """Holds the configured moderator role, without Manage Server."""
    member: Member
    mod_role: Role
    knowledge_dir: Path
    db_path: Path
    clock: VirtualClock

    def settings(self) -> Settings:
        """This scene's knowledge copy and database; no health server."""
        env = {
            "STRIKEBOT_KNOWLEDGE": str(self.knowledge_dir),
            "STRIKEBOT_DB": str(self.db_path),
            "STRIKEBOT_HEALTH_ENABLED": "false",
        }
        return load_settings(env, require_token=False)

    @contextlib.asynccontextmanager
    async def bot(self, *extensions: str) -> AsyncIterator[AnnounceTestBot]:
        """A connected bot; closing it unloads the cog (stopping the scheduler)."""
        runtime = await Runtime.open(self.settings(), clock=self.clock)
        try:
            bot = AnnounceTestBot(runtime, self.clock, extensions)
            async with running_client(bot, self.double):
                yield bot
        finally:
            await runtime.close()

    async def configure(self, **changes: Any) -> None:
        """Store guild settings before the bot starts (as /setup would)."""
        db = await open_database(self.db_path)
        try:
            store = GuildSettingsStore(db)
            current = await store.get(self.guild.id)
            values = {
                "guild_id": self.guild.id,
                "announce_channel_id": current.announce_channel_id,
                "moderator_role_id": current.moderator_role_id,
                **changes,
            }
            await store.save(GuildSettings(**values))
        finally:
            await db.close()

    async def slash(
        self, who: Member, command: str, options: dict[str, ip.OptionValue] | None = None
    ) -> InteractionRecord:
        """Run `/group sub` as `who` in #general."""
        name, *path = command.split()
        return await self.double.send_slash_command(
            self.guild, self.general, who, name, options or {}, subcommand=tuple(path)
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

    def posts(self) -> list[dict[str, Any]]:
        """The bot's messages in the announcement channel."""
        return self.double.bot_messages(self.announcements)

    def post_requests(self, since: int = 0) -> list[Any]:
        """Message-create requests to the announcement channel (answered or failed)."""
        path = f"/channels/{self.announcements.id}/messages"
        return self.double.requests.matching(lambda r: r.matches("POST", path), since)


def is_ephemeral(change: MessageChange) -> bool:
    """Whether only the person who ran the command sees the message."""
    return bool(int(change.message.get("flags") or 0) & EPHEMERAL)


def text_of(message: dict[str, Any]) -> str:
    """Content and embed text together."""
    parts = [str(message.get("content") or "")]
    for embed in message.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
        parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


async def audit_rows(db_path: Path, action: str) -> list[tuple[Any, ...]]:
    """Audit entries with `action`, read through a separate connection."""
    async with (
        aiosqlite.connect(db_path) as db,
        db.execute(
            "SELECT guild_id, actor_id, action, target, details FROM audit_log WHERE action = ?",
            (action,),
        ) as cursor,
    ):
        return [tuple(row) for row in await cursor.fetchall()]


async def ledger_rows(db_path: Path) -> list[tuple[Any, ...]]:
    """(strike, local date, status, forced, attempts) of every ledger row, in order."""
    async with (
        aiosqlite.connect(db_path) as db,
        db.execute(
            "SELECT strike_id, local_date, status, forced, attempts"
            " FROM announcement_ledger ORDER BY id"
        ) as cursor,
    ):
        return [tuple(row) for row in await cursor.fetchall()]


async def build_scene(
    double: DiscordDouble, knowledge_dir: Path, db_path: Path, clock: VirtualClock
) -> Scene:
    """The world, and a database where Mods is the moderator role and #announcements is set."""
    guild = double.create_guild("Strike HQ")
    general = guild.text_channel("general")
    announcements = double.create_channel(guild, "announcements")
    mod_role = double.create_role(guild, "Mods")
    mod = double.create_member(guild, "morgan", roles=[mod_role])
    member = double.create_member(guild, "alice")
    owner = guild.members[guild.owner_id]
    scene = Scene(
        double, guild, general, announcements, owner, mod, member, mod_role,
        knowledge_dir, db_path, clock,
    )  # fmt: skip
    await scene.configure(announce_channel_id=announcements.id, moderator_role_id=mod_role.id)
    return scene
