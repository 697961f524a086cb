"""Self-tests: an unmodified discord.py bot driven through the Discord double.

These prove the double speaks Discord well enough for the real library (login, gateway,
commands, interactions, files, errors) before scenario tests rely on it.
"""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord.http import Route

from tests.e2e.discord_double import DiscordDouble, Guild, Member
from tests.e2e.discord_double.double import MEMBER_REACTION_SECONDS
from tests.e2e.discord_double.inprocess import running_client
from tests.e2e.selftest_bot import DoubleTestBot


async def test_login_ready_and_guild_create(discord_endpoints: DiscordDouble, guild: Guild) -> None:
    double = discord_endpoints
    async with running_client(DoubleTestBot(), double) as bot:
        assert bot.user is not None and bot.user.id == double.bot.id
        assert bot.application_id == double.world.application.id
        seen = bot.get_guild(guild.id)
        assert seen is not None and seen.name == "Strike HQ"
        assert [c.name for c in seen.text_channels] == ["general"]
        assert seen.me is not None and seen.member_count == len(guild.members)
        connect = await double.wait_for_gateway(lambda e: e.event == "OPEN")
        assert connect.data["query"] == {"v": "10", "encoding": "json", "compress": "zlib-stream"}
        acks = await double.gateway_events.wait_for_count(lambda e: e.op == 11, 2)
        assert len(acks) >= 2
    logged_in = [r.path for r in double.requests]
    assert logged_in[:2] == ["/users/@me", "/oauth2/applications/@me"]


async def test_tree_sync_is_stored(discord_endpoints: DiscordDouble, guild: Guild) -> None:
    double = discord_endpoints
    async with running_client(DoubleTestBot(), double) as bot:
        synced = await bot.tree.sync()
    expected = [c.to_dict(bot.tree) for c in bot.tree.get_commands()]
    stored = double.commands.global_commands
    assert [(c["name"], c["type"]) for c in stored] == [(c["name"], c["type"]) for c in expected]
    assert {c.name for c in synced} == {
        "ask",
        "panel",
        "feedback",
        "upload",
        "badmodal",
        "cleanup",
        "Quote",
    }
    ask_options = next(c for c in stored if c["name"] == "ask")["options"]
    assert [(o["name"], o.get("autocomplete", False)) for o in ask_options] == [
        ("topic", True),
        ("detail", False),
    ]


async def test_message_reply_without_mentions(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double):
        sent = await double.send_message_create(guild, general, member, "hello")
        reply = await double.wait_for_bot_message(lambda c: c.content == "hi there")
    request = await double.wait_for_request(
        lambda r: r.matches("POST", f"/channels/{general.id}/messages")
    )
    assert request.json["allowed_mentions"] == {"parse": []}
    assert str(request.json["message_reference"]["message_id"]) == sent["id"]
    assert reply.message["referenced_message"]["id"] == sent["id"]
    assert reply.message["mentions"] == []


async def test_slash_command_deferred_then_edited(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        record = await double.send_slash_command(
            guild, general, member, "ask", {"topic": "pay", "detail": True}
        )
        callback = await double.wait_for_callback(record)
        edited = await double.wait_for_bot_message(lambda c: "answer" in c.content, kind="edit")
    assert callback.status == 200 and callback.json["type"] == 5
    assert edited.content == "answer about pay (detail=True)"
    assert not edited.message["flags"] & (1 << 7)  # no longer "thinking"


async def test_button_click_updates_message(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        await double.send_slash_command(guild, general, member, "panel")
        posted = await double.wait_for_bot_message(lambda c: c.content == "panel")
        assert posted.message["components"][0]["components"][0]["custom_id"] == "panel:ack"
        click = await double.send_button_click(member, posted.message, "panel:ack")
        callback = await double.wait_for_callback(click)
        updated = await double.wait_for_bot_message(kind="edit")
    assert callback.json["type"] == 7
    assert updated.content == "acknowledged" and updated.message["components"] == []


async def test_modal_submit(discord_endpoints: DiscordDouble, guild: Guild, member: Member) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        opened = await double.send_slash_command(guild, general, member, "feedback")
        callback = await double.wait_for_callback(opened)
        assert callback.json["type"] == 9 and opened.modal is not None
        assert opened.modal["title"] == "Feedback"
        submit = await double.send_modal_submit(opened, {"fb:text": "solid"})
        # A member cannot submit a form before the bot has had a moment with the reply that
        # showed it: discord.py registers the modal only after reading that reply.
        assert submit.created_at - callback.at >= MEMBER_REACTION_SECONDS
        await double.wait_for_callback(submit)
        thanks = await double.wait_for_bot_message(lambda c: c.content.startswith("thanks"))
    assert thanks.content == "thanks: solid"
    assert thanks.message["flags"] & (1 << 6)  # ephemeral


async def test_message_context_menu(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        target = await double.send_message_create(guild, general, member, "strike on friday")
        await double.send_message_command(guild, general, member, "Quote", target)
        quoted = await double.wait_for_bot_message(lambda c: c.content.startswith(">"))
    assert quoted.content == "> strike on friday"


async def test_autocomplete_25_choices_ok_26_rejected(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        ok = await double.send_autocomplete(
            guild, general, member, "ask", {"topic": "pa"}, focused="topic"
        )
        assert (await double.wait_for_callback(ok)).status == 204
        assert ok.autocomplete_choices is not None and len(ok.autocomplete_choices) == 25
        bot.choice_count = 26
        too_many = await double.send_autocomplete(
            guild, general, member, "ask", {"topic": "pa"}, focused="topic"
        )
        rejected = await double.wait_for_callback(too_many)
    assert rejected.status == 400
    assert too_many.autocomplete_choices is None


async def test_content_over_2000_rejected(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await double.send_message_create(guild, general, member, "too long")
        error = await asyncio.wait_for(bot.errors.get(), 5)
    assert isinstance(error, discord.HTTPException)
    assert error.status == 400 and error.code == 50035
    assert "content" in error.text
    assert double.bot_messages(general) == []


async def test_file_upload_and_ephemeral_followup(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        record = await double.send_slash_command(guild, general, member, "upload")
        callback = await double.wait_for_callback(record)
        followup = await double.wait_for_bot_message(lambda c: c.content == "and more")
    assert [(f.field_name, f.filename, f.data) for f in callback.files] == [
        ("files[0]", "facts.txt", b"strike data")
    ]
    original = double.messages.find(record.original_message_id or 0)
    assert original is not None and original["attachments"][0]["filename"] == "facts.txt"
    assert followup.message["flags"] & (1 << 6)
    assert int(followup.message["id"]) in record.followup_ids


@pytest.mark.parametrize("broken", ["title", "label"])
async def test_modal_over_45_characters_rejected(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member, broken: str
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        record = await double.send_slash_command(
            guild, general, member, "badmodal", {"broken": broken}
        )
        callback = await double.wait_for_callback(record)
        error = await asyncio.wait_for(bot.errors.get(), 5)
    assert callback.status == 400 and callback.response["code"] == 50035
    assert isinstance(error.__cause__ or error, discord.HTTPException)
    assert not record.acknowledged


async def test_second_callback_is_already_acknowledged(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        record = await double.send_slash_command(guild, general, member, "panel")
        await double.wait_for_callback(record)
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.request(
                Route("POST", "/interactions/{i}/{t}/callback", i=record.id, t=record.token),
                json={"type": 4, "data": {"content": "again"}},
            )
    assert raised.value.code == 40060


async def test_unknown_route_answers_404_and_is_recorded(
    discord_endpoints: DiscordDouble, guild: Guild
) -> None:
    double = discord_endpoints
    async with running_client(DoubleTestBot(), double) as bot:
        with pytest.raises(discord.NotFound) as raised:
            await bot.http.request(Route("GET", "/guilds/{guild_id}/bans", guild_id=guild.id))
    assert raised.value.text == "404: Not Found"
    assert double.unexpected == [f"GET /guilds/{guild.id}/bans (no such route in the double)"]
    double.unexpected.clear()  # seen and asserted; the fixture would otherwise fail this test


async def test_without_message_content_intent_content_is_blank(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(message_content=False), double) as bot:
        await double.send_message_create(guild, general, member, "hello")
        assert await asyncio.wait_for(bot.seen_content.get(), 5) == ""
        mention = f"<@{double.bot.id}> hello"
        await double.send_message_create(guild, general, member, mention, mentions=[double.bot])
        assert await asyncio.wait_for(bot.seen_content.get(), 5) == mention
    assert double.bot_messages(general) == []


async def test_interaction_webhook_edit_fetch_delete(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        record = await double.send_slash_command(guild, general, member, "cleanup")
        await double.wait_for_bot_message(lambda c: c.content == "fetched final")
        await double.wait_for_bot_message(lambda c: c.content == "final", kind="delete")
    deleted = [c.content for c in double.messages.changes if c.kind == "delete"]
    assert deleted == ["temporary", "final"]
    assert [m["content"] for m in double.bot_messages(general)] == ["fetched final"]
    webhook_calls = [
        (r.method, r.status) for r in double.requests if r.path.startswith("/webhooks")
    ]
    assert all(status < 300 for _, status in webhook_calls)
    assert len(record.followup_ids) == 2
