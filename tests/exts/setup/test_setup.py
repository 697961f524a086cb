"""/setup on a real StrikeBot: changes persist, bad input is refused, so are non-moderators."""

from __future__ import annotations

import asyncio
from datetime import time

from bot.discord_app.permissions import REFUSAL_TEXT
from bot.storage.database import open_database
from bot.storage.guild_settings import GuildSettings, GuildSettingsStore
from tests.exts.facts.harness import Scene, is_ephemeral, row_counts


async def stored_settings(scene: Scene) -> GuildSettings:
    """The guild's settings read back through a freshly opened database."""
    db = await open_database(scene.db_path)
    try:
        return await GuildSettingsStore(db).get(scene.guild.id)
    finally:
        await db.close()


async def test_setup_changes_persist_and_announcement_changes_are_signalled(scene: Scene) -> None:
    announcements = scene.double.create_channel(scene.guild, "strike-news")
    questions = scene.double.create_channel(scene.guild, "questions")
    async with scene.bot() as bot:
        signalled: asyncio.Queue[int] = asyncio.Queue()

        async def on_guild_settings_changed(guild_id: int) -> None:
            await signalled.put(guild_id)

        bot.add_listener(on_guild_settings_changed)
        replies = [
            await scene.reply(
                await scene.slash(
                    scene.mod,
                    "setup announcements",
                    {"channel": announcements, "post_time": "07:30", "timezone": "Europe/London"},
                )
            ),
            await scene.reply(
                await scene.slash(scene.mod, "setup ask-channels add", {"channel": questions})
            ),
            await scene.reply(
                await scene.slash(scene.mod, "setup strikes add", {"strike_id": "wga-2023"})
            ),
        ]
        assert await asyncio.wait_for(signalled.get(), 5) == scene.guild.id
        shown = await scene.reply(await scene.slash(scene.mod, "setup show"))
    assert all(is_ephemeral(r) and r.content.startswith("Saved.") for r in replies)
    assert f"daily in <#{announcements.id}> at 07:30 Europe/London" in shown.content
    settings = await stored_settings(scene)
    assert settings.announce_channel_id == announcements.id
    assert settings.post_time == time(7, 30) and settings.timezone == "Europe/London"
    assert settings.ask_channel_ids == {questions.id}
    assert settings.strike_ids == ("wga-2023",)
    assert settings.moderator_role_id == scene.mod_role.id
    assert (await row_counts(scene.db_path))["audit_log"] == 3


async def test_bad_time_and_zone_are_refused_and_nothing_changes(scene: Scene) -> None:
    before = await row_counts(scene.db_path)
    async with scene.bot():
        bad_time = await scene.reply(
            await scene.slash(scene.mod, "setup announcements", {"post_time": "25:99"})
        )
        bad_zone = await scene.reply(
            await scene.slash(scene.mod, "setup announcements", {"timezone": "Mars/Olympus"})
        )
    assert bad_time.content.startswith("Not saved: '25:99' is not a time of day")
    assert bad_zone.content.startswith("Not saved: unknown time zone 'Mars/Olympus'")
    assert await row_counts(scene.db_path) == before


async def test_members_are_refused_and_only_managers_change_the_moderator_role(
    scene: Scene,
) -> None:
    before = await row_counts(scene.db_path)
    async with scene.bot():
        refused = [
            await scene.reply(await scene.slash(scene.member, command, options))
            for command, options in (
                ("setup show", {}),
                ("setup announcements", {"post_time": "08:00"}),
                ("setup ask-channels clear", {}),
                ("setup strikes add", {"strike_id": "wga-2023"}),
                ("setup moderator-role", {}),
            )
        ]
        by_mod = await scene.reply(await scene.slash(scene.mod, "setup moderator-role", {}))
        assert await row_counts(scene.db_path) == before
        by_owner = await scene.reply(await scene.slash(scene.owner, "setup moderator-role", {}))
    assert all(r.content == REFUSAL_TEXT and is_ephemeral(r) for r in refused)
    assert by_mod.content.startswith("Only members with the Manage Server permission")
    assert "Moderator role: none" in by_owner.content
    assert (await stored_settings(scene)).moderator_role_id is None


async def test_timezone_autocomplete_stays_within_25(scene: Scene) -> None:
    async with scene.bot():
        empty = await scene.autocomplete(
            scene.mod, "setup announcements", {"timezone": ""}, "timezone"
        )
        america = await scene.autocomplete(
            scene.mod, "setup announcements", {"timezone": "america"}, "timezone"
        )
        typed = await scene.autocomplete(
            scene.mod, "setup announcements", {"timezone": "los ang"}, "timezone"
        )
    assert len(empty) == 25 and empty[0]["value"] == "America/Los_Angeles"
    assert len(america) == 25
    assert [c["value"] for c in typed] == ["America/Los_Angeles"]
