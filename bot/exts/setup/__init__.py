"""`/setup`: per-server settings for ask channels, announcements, moderators, strikes."""

from __future__ import annotations

from discord.ext import commands

from bot.discord_app.client import StrikeBot

from ._cog import SetupCommands


async def setup(bot: commands.Bot) -> None:
    """Load `/setup`; it needs a StrikeBot's runtime for the settings store."""
    if not isinstance(bot, StrikeBot):
        raise TypeError("the setup extension needs a StrikeBot (it reads bot.runtime)")
    await bot.add_cog(SetupCommands(bot))
