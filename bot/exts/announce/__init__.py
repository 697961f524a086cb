"""The daily strike-day announcement and `/announce preview|now|settings`."""

from discord.ext import commands

from bot.discord_app.client import StrikeBot
from bot.exts.announce._cog import AnnouncementsCog


async def setup(bot: commands.Bot) -> None:
    """Load the announcements cog; it starts the daily-post scheduler on load."""
    if not isinstance(bot, StrikeBot):
        raise TypeError("the announce extension needs a StrikeBot (it reads bot.runtime)")
    await bot.add_cog(AnnouncementsCog(bot))
