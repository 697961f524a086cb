"""The ask tests' scene (a StrikeBot on the Discord double), reused for client-level tests."""

from tests.e2e.conftest import discord_double, discord_endpoints, guild, member  # noqa: F401
from tests.exts.ask.conftest import scene  # noqa: F401
