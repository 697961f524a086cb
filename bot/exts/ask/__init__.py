"""Members ask questions: /ask, mentions, ask channels, and the answer buttons."""

from discord.ext import commands

from bot.discord_app.client import StrikeBot
from bot.exts.ask._cog import AskCog


async def setup(bot: commands.Bot) -> None:
    """Load the ask cog (it registers its persistent buttons and context menu)."""
    if not isinstance(bot, StrikeBot):
        raise TypeError("the ask extension needs a StrikeBot (it reads bot.runtime)")
    await bot.add_cog(AskCog(bot))
