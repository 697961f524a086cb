"""The client: every extension loads, commands sync, mentions are safe, intents degrade."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.discord_app.client import ASK_CHANNELS_OFF_WARNING, StrikeBot, walk_extensions
from bot.discord_app.health_checks import BotHealth
from tests.e2e.discord_double import DiscordDouble
from tests.e2e.discord_double.inprocess import pointed_at, running_client
from tests.e2e.discord_double.payloads import role_payload
from tests.exts.ask.conftest import GUILD_READY_TIMEOUT, AskScene, open_scene

ANSWERED = "When did the strike start?"


def test_walk_extensions_finds_public_extensions_only() -> None:
    names = list(walk_extensions())
    assert {"bot.exts.ask", "bot.exts.errors"} <= set(names)
    assert not [n for n in names if any(p.startswith("_") for p in n.split("."))]


async def test_every_extension_loads_and_commands_sync_to_the_dev_guild(scene: AskScene) -> None:
    assert set(scene.bot.extensions) == set(walk_extensions())
    synced = scene.double.commands.listed(scene.guild.id)
    names = {(c["name"], c["type"]) for c in synced}
    assert ("ask", 1) in names and ("Answer with strike facts", 3) in names
    assert scene.double.commands.listed(None) == []  # nothing global while developing
    assert scene.bot.allowed_mentions is not None
    assert scene.bot.allowed_mentions.to_dict() == {"parse": []}


async def test_health_checks_pass_while_connected(scene: AskScene) -> None:
    health = BotHealth(scene.bot, scene.runtime)
    assert (await health.gateway_connected()).ok
    assert (await health.database_writable()).ok
    assert (await health.knowledge_loaded()).ok
    async with scene.runtime.db.execute("PRAGMA user_version") as cursor:
        assert await cursor.fetchone() is not None


async def test_bots_and_webhooks_are_ignored(scene: AskScene) -> None:
    double = scene.double
    other_bot = double.create_member(scene.guild, "otherbot", bot=True)
    await double.send_message_create(
        scene.guild,
        scene.general,
        other_bot,
        f"<@{double.bot.id}> {ANSWERED}",
        mentions=[double.bot],
    )
    asked = await double.send_message_create(
        scene.guild,
        scene.general,
        scene.alice,
        f"<@{double.bot.id}> {ANSWERED}",
        mentions=[double.bot],
    )
    reply = await double.wait_for_bot_message()
    assert reply.message["message_reference"]["message_id"] == asked["id"]
    assert len(double.bot_messages()) == 1


async def test_moderator_role_counts_as_moderator(scene: AskScene) -> None:
    from bot.storage.guild_settings import GuildSettings

    double = scene.double
    role = double.create_role(scene.guild, "Stewards")
    # As Discord does when a role is made while the bot is connected.
    await double.dispatch(
        "GUILD_ROLE_CREATE", {"guild_id": str(scene.guild.id), "role": role_payload(role)}
    )
    steward = double.create_member(scene.guild, "steward", roles=[role])
    stored = await scene.runtime.stores.guild_settings.get(scene.guild.id)
    await scene.runtime.stores.guild_settings.save(
        GuildSettings(scene.guild.id, stored.ask_channel_ids, moderator_role_id=role.id)
    )
    target = await double.send_message_create(scene.guild, scene.general, scene.bob, ANSWERED)
    await double.send_message_command(
        scene.guild, scene.general, steward, "Answer with strike facts", target
    )
    reply = await double.wait_for_bot_message(lambda c: bool(c.message["embeds"]))
    assert reply.message["message_reference"]["message_id"] == target["id"]


async def test_refused_message_content_intent_reconnects_without_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    double = DiscordDouble(heartbeat_interval_ms=250, allowed_privileged_intents=0)
    await double.start()
    try:
        with pointed_at(double):
            guild = double.create_guild("Strike HQ")
            built, runtime = await open_scene(double, guild, tmp_path)
            try:
                bot = StrikeBot(runtime, guild_ready_timeout=GUILD_READY_TIMEOUT)
                with caplog.at_level(logging.WARNING, logger="bot.discord_app.client"):
                    async with running_client(bot, double):
                        assert not bot.message_content_enabled
                        assert ASK_CHANNELS_OFF_WARNING in caplog.text
                        await double.send_message_create(
                            guild, built.ask_channel, built.alice, ANSWERED
                        )  # content is blanked for the bot: no ask channels
                        asked = await double.send_message_create(
                            guild,
                            built.general,
                            built.alice,
                            f"<@{double.bot.id}> {ANSWERED}",
                            mentions=[double.bot],
                        )
                        reply = await double.wait_for_bot_message()
                        assert reply.message["message_reference"]["message_id"] == asked["id"]
                        assert len(double.bot_messages()) == 1
            finally:
                await runtime.close()
    finally:
        await double.stop()
    assert not double.unexpected
