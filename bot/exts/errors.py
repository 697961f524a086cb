"""The one place command errors are handled, for app commands and prefix commands alike.

Commands raise; this cog answers. A failed check (e.g. not a moderator, a cooldown) gets
its friendly message back ephemerally; anything unexpected is logged with its traceback
and the member sees only a generic apology, never the exception text.
"""

from __future__ import annotations

import logging
from typing import Final

import discord
from discord import app_commands
from discord.ext import commands

log = logging.getLogger(__name__)

NO_MENTIONS: Final = discord.AllowedMentions.none()
SOMETHING_WENT_WRONG: Final = (
    "Sorry, something went wrong on my side. It has been logged; please try again later."
)
NOT_ALLOWED: Final = "You can't use that command here."
# Longer check messages are ours by mistake; Discord's content limit is 2000.
MAX_MESSAGE_CHARS: Final = 2000


def check_failure_text(error: app_commands.CheckFailure) -> str:
    """The member-facing text for a failed check: its own message, or a generic one."""
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Slow down a little: try again in {error.retry_after:.0f} s."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "That command only works in a server."
    if isinstance(error, app_commands.MissingPermissions | app_commands.MissingAnyRole):
        return NOT_ALLOWED
    text = str(error).strip()
    # discord.py's default text for a bare False from a check names internals.
    if not text or text.startswith("The check functions for"):
        return NOT_ALLOWED
    return text[:MAX_MESSAGE_CHARS]


async def send_ephemeral(interaction: discord.Interaction, text: str) -> None:
    """Reply ephemerally whether or not the interaction was already answered."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                text, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
    except discord.HTTPException:
        # The interaction expired or Discord is down: nothing more can reach the member.
        log.warning("could not deliver an error message to the member", exc_info=True)


class ErrorHandler(commands.Cog):
    """Turns command errors into ephemeral messages and log lines."""

    def __init__(self, bot: commands.Bot) -> None:
        self.bot = bot
        self._previous_tree_handler = bot.tree.on_error

    async def cog_load(self) -> None:
        """Route the app command tree's errors here."""
        self.bot.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def cog_unload(self) -> None:
        """Give the tree its previous handler back."""
        self.bot.tree.on_error = self._previous_tree_handler  # type: ignore[method-assign]

    async def on_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        """Check failures: their message; everything else: logged, generic apology."""
        if isinstance(error, app_commands.CheckFailure):
            await send_ephemeral(interaction, check_failure_text(error))
            return
        command = interaction.command.qualified_name if interaction.command else None
        original = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        log.error(
            "app command failed",
            exc_info=(type(original), original, original.__traceback__),
            extra={
                "fields": {
                    "command": command,
                    "guild_id": interaction.guild_id,
                    "channel_id": interaction.channel_id,
                }
            },
        )
        await send_ephemeral(interaction, SOMETHING_WENT_WRONG)

    @commands.Cog.listener()
    async def on_command_error(
        self, ctx: commands.Context[commands.Bot], error: commands.CommandError
    ) -> None:
        """Prefix commands (none today): unknown ones are ignored, failures logged."""
        if isinstance(error, commands.CommandNotFound):
            return
        if isinstance(error, commands.CheckFailure):
            await ctx.send(NOT_ALLOWED, allowed_mentions=NO_MENTIONS)
            return
        original = error.original if isinstance(error, commands.CommandInvokeError) else error
        log.error(
            "command failed",
            exc_info=(type(original), original, original.__traceback__),
            extra={"fields": {"command": ctx.command.qualified_name if ctx.command else None}},
        )
        await ctx.send(SOMETHING_WENT_WRONG, allowed_mentions=NO_MENTIONS)


async def setup(bot: commands.Bot) -> None:
    """Load the error handler."""
    await bot.add_cog(ErrorHandler(bot))
