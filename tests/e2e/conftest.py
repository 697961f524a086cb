"""Fixtures for end-to-end tests against the local Discord double.

``discord_double`` starts a fresh double per test and fails the test at teardown if the
code under test made any request the double does not know (a route Discord would 404, or
a gateway frame it would reject), so a silent mistake cannot pass.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from tests.e2e.discord_double import DiscordDouble, Guild, Member
from tests.e2e.discord_double.inprocess import pointed_at
from tests.e2e.scenario_world import strike_world  # noqa: F401 - the scenarios' fixture

TEST_HEARTBEAT_MS = 250
"""Short so heartbeats and their ACKs happen many times within each test."""


@pytest.fixture
async def discord_double() -> AsyncIterator[DiscordDouble]:
    """A started double on a free local port; stopped and checked after the test."""
    double = DiscordDouble(heartbeat_interval_ms=TEST_HEARTBEAT_MS)
    await double.start()
    try:
        yield double
    finally:
        await double.stop()
    if double.unexpected:
        listing = "\n  ".join(double.unexpected)
        pytest.fail(f"unexpected requests reached the Discord double:\n  {listing}")


@pytest.fixture
def discord_endpoints(discord_double: DiscordDouble) -> Iterator[DiscordDouble]:
    """The double, with this process's discord.py pointed at it for the test's duration."""
    with pointed_at(discord_double):
        yield discord_double


@pytest.fixture
def guild(discord_endpoints: DiscordDouble) -> Guild:
    """A guild "Strike HQ" with #general, created before any client connects."""
    return discord_endpoints.create_guild("Strike HQ")


@pytest.fixture
def member(discord_endpoints: DiscordDouble, guild: Guild) -> Member:
    """A human member "alice" of that guild, who talks to the bot."""
    return discord_endpoints.create_member(guild, "alice")
