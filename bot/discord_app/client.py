"""The Discord client: one `StrikeBot` per process, built around a `Runtime`.

It owns what every cog shares: intents, mention safety, extension discovery, command
sync and the privileged-intent fallback. Features live in `bot/exts/` and reach shared
state as `bot.runtime`.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import pkgutil
from collections.abc import Iterator
from typing import Any, Final

import discord
from discord.ext import commands

from bot.runtime import Runtime
from bot.storage.guild_settings import GuildSettings

log = logging.getLogger(__name__)

EXTENSIONS_PACKAGE: Final = "bot.exts"
NO_MENTIONS: Final = discord.AllowedMentions.none()

ASK_CHANNELS_OFF_WARNING: Final = (
    "Discord refused the privileged Message Content intent: reconnecting without it. "
    "Ask channels are OFF (the bot cannot read ordinary messages); /ask and questions "
    "that mention the bot still work, because mentions carry their content. Enable "
    "'Message Content Intent' for this application in the Discord developer portal to "
    "turn ask channels on."
)


def default_intents() -> discord.Intents:
    """Guilds and guild messages, plus message content for ask channels."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.message_content = True
    return intents


def walk_extensions(package: str = EXTENSIONS_PACKAGE) -> Iterator[str]:
    """Names of every extension under `package`: modules or packages with `setup(bot)`.

    Names starting with an underscore are private helpers (`_cog.py`) and are skipped,
    as is a package without `setup` (it only groups extensions). Import errors propagate,
    so a broken extension stops the start instead of silently disappearing.
    """
    root = importlib.import_module(package)

    def raise_error(name: str) -> None:
        raise ImportError(f"cannot import extension package {name}")

    for module in pkgutil.walk_packages(root.__path__, f"{package}.", onerror=raise_error):
        if any(part.startswith("_") for part in module.name.split(".")):
            continue
        imported = importlib.import_module(module.name)
        if inspect.iscoroutinefunction(getattr(imported, "setup", None)):
            yield module.name


def is_ignored_author(message: discord.Message) -> bool:
    """Messages the bot never answers: from bots (itself included) and webhooks."""
    return message.author.bot or message.webhook_id is not None


class StrikeBot(commands.Bot):
    """The bot. Construct with a Runtime; `start(token)` logs in, loads and connects."""

    def __init__(
        self,
        runtime: Runtime,
        *,
        intents: discord.Intents | None = None,
        extensions_package: str = EXTENSIONS_PACKAGE,
        **options: Any,
    ) -> None:
        super().__init__(
            # No prefix commands: a mention is a question for the ask cog, not a command.
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents or default_intents(),
            allowed_mentions=NO_MENTIONS,
            # No message cache: nothing here reads it (interactions carry their message,
            # views are found by custom_id), and its ~40,000 objects at the default 1,000
            # messages made every full garbage collection stop the loop for ~20 ms
            # (bench/loop_lag.py: worst wake-up while only answering, 30 ms -> 5 ms).
            max_messages=None,
            **options,
        )
        self.runtime = runtime
        self._extensions_package = extensions_package

    @property
    def message_content_enabled(self) -> bool:
        """Whether the bot can read ordinary messages (ask channels need it)."""
        return self.intents.message_content

    async def settings_for_guild(self, guild_id: int) -> GuildSettings:
        """The guild's settings (defaults when it never ran /setup)."""
        return await self.runtime.stores.guild_settings.get(guild_id)

    async def setup_hook(self) -> None:
        """Load every extension, then sync app commands if configured."""
        for name in walk_extensions(self._extensions_package):
            await self.load_extension(name)
            log.info("extension loaded", extra={"fields": {"extension": name}})
        if self.runtime.settings.sync_commands:
            await self.sync_app_commands()

    async def sync_app_commands(self) -> None:
        """Sync to the dev guild (instant) when configured, else globally (may take an hour)."""
        guild_id = self.runtime.settings.dev_guild_id
        if guild_id is not None:
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info(
            "app commands synced",
            extra={"fields": {"count": len(synced), "guild_id": guild_id or "global"}},
        )

    async def connect(self, *, reconnect: bool = True) -> None:
        """Connect; if Discord refuses the Message Content intent, retry without it."""
        try:
            await super().connect(reconnect=reconnect)
        except discord.PrivilegedIntentsRequired:
            if not self.message_content_enabled or self.is_closed():
                raise
            log.warning(ASK_CHANNELS_OFF_WARNING)
            # discord.py reads the intents from the connection state at IDENTIFY; the
            # public `intents` property returns a copy, so the state's own flags change.
            self._connection._intents.message_content = False
            await super().connect(reconnect=reconnect)

    async def on_ready(self) -> None:
        """Log the session (once per connect), and whether ask channels are on."""
        user = self.user
        log.info(
            "connected to Discord",
            extra={
                "fields": {
                    "user_id": user.id if user else None,
                    "guilds": len(self.guilds),
                    "ask_channels": "on" if self.message_content_enabled else "off",
                }
            },
        )

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: the ask cog's listener handles messages."""
        return None
