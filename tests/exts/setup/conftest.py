"""The Discord double's fixtures for these tests, and one scene per test."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import discord_double, discord_endpoints  # noqa: F401
from tests.exts.facts.harness import Scene, build_scene


@pytest.fixture
async def scene(
    discord_endpoints: object,  # noqa: F811
    knowledge_copy: Path,
    tmp_path: Path,
) -> Scene:
    """A guild with an owner, a moderator-role holder and a member; a temp knowledge + DB."""
    assert discord_endpoints is not None
    return await build_scene(discord_endpoints, knowledge_copy, tmp_path / "strikebot.sqlite3")  # type: ignore[arg-type]
