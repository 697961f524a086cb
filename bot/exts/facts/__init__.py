"""Moderators keep the facts current: `/fact`, `/facts gaps`, `/source`, `/strike`, `/kb`."""

from __future__ import annotations

from discord.ext import commands

from bot.discord_app.client import StrikeBot

from ._fact_cog import FactCommands
from ._gaps_cog import GapCommands
from ._maintenance_cog import MaintenanceCommands


async def setup(bot: commands.Bot) -> None:
    """Load the moderators' fact commands; they need a StrikeBot's runtime."""
    if not isinstance(bot, StrikeBot):
        raise TypeError("the facts extension needs a StrikeBot (it reads bot.runtime)")
    await bot.add_cog(FactCommands(bot.runtime))
    await bot.add_cog(MaintenanceCommands(bot.runtime))
    await bot.add_cog(GapCommands(bot.runtime))
