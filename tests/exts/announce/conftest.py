"""The Discord double's fixtures, and one scene per test starting before the 09:00 post."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import discord_double, discord_endpoints  # noqa: F401
from tests.e2e.discord_double import DiscordDouble
from tests.exts.announce.harness import Scene, build_scene, la
from tests.exts.announce.virtual_clock import VirtualClock


@pytest.fixture
def clock() -> VirtualClock:
    """08:00 on Friday 4 August 2023 in Los Angeles: an hour before the default post time."""
    return VirtualClock(la(2023, 8, 4, 8))


@pytest.fixture
async def scene(
    discord_endpoints: DiscordDouble,  # noqa: F811
    knowledge_copy: Path,
    tmp_path: Path,
    clock: VirtualClock,
) -> Scene:
    """A guild posting daily at 09:00 Los Angeles time in #announcements."""
    return await build_scene(discord_endpoints, knowledge_copy, tmp_path / "bot.sqlite3", clock)
