"""Self-tests: an unmodified discord.py bot, defined here, driven through the Discord double.

These prove the double speaks Discord well enough for the real library (login, gateway,
interactions, limits, rate limits, reconnects) before scenario tests rely on it.
"""

from __future__ import annotations

import asyncio
import io
import time
from typing import Any

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from discord.http import Route

from tests.e2e.discord_double import DiscordDouble, Guild, Member
from tests.e2e.discord_double.inprocess import running_client

GUILD_READY_TIMEOUT = 0.05
"""discord.py waits this long after the last GUILD_CREATE before on_ready (default 2 s)."""


class PanelView(discord.ui.View):
    """One button that edits its own message when clicked."""

    @discord.ui.button(label="Acknowledge", custom_id="panel:ack")
    async def acknowledge(
        self, interaction: discord.Interaction, _: discord.ui.Button[Any]
    ) -> None:
        await interaction.response.edit_message(content="acknowledged", view=None)


class FeedbackModal(discord.ui.Modal, title="Feedback"):
    """One text input, answered with an ephemeral thank-you."""

    text: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Your feedback", custom_id="fb:text"
    )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"thanks: {self.text.value}", ephemeral=True)


class DoubleTestBot(commands.Bot):
    """A plain discord.py bot with one of each interaction kind the double must carry."""

    def __init__(self, *, message_content: bool = True) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content
        super().__init__(
            command_prefix="!", intents=intents, guild_ready_timeout=GUILD_READY_TIMEOUT
        )
        self.choice_count = 25
        self.errors: asyncio.Queue[Exception] = asyncio.Queue()
        self.resumed = asyncio.Event()
        self.seen_content: asyncio.Queue[str] = asyncio.Queue()

    async def setup_hook(self) -> None:
        self.tree.add_command(ask)
        self.tree.add_command(panel)
        self.tree.add_command(feedback)
        self.tree.add_command(quote)
        self.tree.add_command(upload)
        self.tree.add_command(badmodal)
        self.tree.on_error = self._tree_error  # type: ignore[method-assign]

    async def _tree_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        await self.errors.put(error)

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py's default sleeps 5 s before every re-IDENTIFY; tests need no pause."""

    async def on_resumed(self) -> None:
        self.resumed.set()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        await self.seen_content.put(message.content)
        if message.content == "hello":
            await message.reply("hi there", allowed_mentions=discord.AllowedMentions.none())
        elif message.content == "too long":
            try:
                await message.channel.send("x" * 2001)
            except discord.HTTPException as exc:
                await self.errors.put(exc)
        elif message.content == "ping":
            await message.channel.send("pong")


@app_commands.command(description="Ask the bot a question")
@app_commands.describe(topic="What the question is about")
async def ask(interaction: discord.Interaction, topic: str, detail: bool = False) -> None:
    await interaction.response.defer(thinking=True)
    await interaction.edit_original_response(content=f"answer about {topic} (detail={detail})")


@ask.autocomplete("topic")
async def ask_topic(
    interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    bot = interaction.client
    assert isinstance(bot, DoubleTestBot)
    return [
        app_commands.Choice(name=f"{current} {i}", value=f"t{i}") for i in range(bot.choice_count)
    ]


@app_commands.command(description="Post a panel with a button")
async def panel(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("panel", view=PanelView())


@app_commands.command(description="Send feedback")
async def feedback(interaction: discord.Interaction) -> None:
    await interaction.response.send_modal(FeedbackModal())


@app_commands.command(description="Upload a file, then a follow-up")
async def upload(interaction: discord.Interaction) -> None:
    attached = discord.File(io.BytesIO(b"strike data"), filename="facts.txt")
    await interaction.response.send_message("here", file=attached)
    await interaction.followup.send("and more", ephemeral=True)


@app_commands.command(description="Open a modal that breaks a Discord limit")
@app_commands.choices(
    broken=[
        app_commands.Choice(name="title", value="title"),
        app_commands.Choice(name="label", value="label"),
    ]
)
async def badmodal(interaction: discord.Interaction, broken: str) -> None:
    title = "t" * 46 if broken == "title" else "ok"
    modal = discord.ui.Modal(title=title, custom_id="bad")
    modal.add_item(discord.ui.TextInput(label="l" * 46 if broken == "label" else "ok"))
    await interaction.response.send_modal(modal)


@app_commands.context_menu(name="Quote")
async def quote(interaction: discord.Interaction, message: discord.Message) -> None:
    await interaction.response.send_message(f"> {message.content}")


@pytest.fixture
def guild(discord_endpoints: DiscordDouble) -> Guild:
    """One guild with #general, created before the client connects."""
    return discord_endpoints.create_guild("Strike HQ")


@pytest.fixture
def member(discord_endpoints: DiscordDouble, guild: Guild) -> Member:
    """A human member who talks to the bot."""
    return discord_endpoints.create_member(guild, "alice")


async def _synced(bot: DoubleTestBot) -> None:
    await bot.tree.sync()


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
    assert {c.name for c in synced} == {"ask", "panel", "feedback", "upload", "badmodal", "Quote"}
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
        await _synced(bot)
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
        await _synced(bot)
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
        await _synced(bot)
        opened = await double.send_slash_command(guild, general, member, "feedback")
        callback = await double.wait_for_callback(opened)
        assert callback.json["type"] == 9 and opened.modal is not None
        assert opened.modal["title"] == "Feedback"
        submit = await double.send_modal_submit(opened, {"fb:text": "solid"})
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
        await _synced(bot)
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
        assert isinstance(bot, DoubleTestBot)
        await _synced(bot)
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
        assert isinstance(bot, DoubleTestBot)
        await double.send_message_create(guild, general, member, "too long")
        error = await asyncio.wait_for(bot.errors.get(), 5)
    assert isinstance(error, discord.HTTPException)
    assert error.status == 400 and error.code == 50035
    assert "content" in error.text
    assert double.bot_messages(general) == []


async def test_rate_limit_then_single_message(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    route = f"/channels/{general.id}/messages"
    rule = double.faults.rate_limit("/channels/{id}/messages", method="POST", retry_after=0.3)
    async with running_client(DoubleTestBot(), double):
        await double.send_message_create(guild, general, member, "ping")
        attempts = await double.requests.wait_for_count(lambda r: r.matches("POST", route), 2)
        await double.wait_for_bot_message(lambda c: c.content == "pong")
    assert [r.status for r in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 0.3
    assert rule.hits == 1
    assert [m["content"] for m in double.bot_messages(general)] == ["pong"]


async def test_server_error_is_retried(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    route = f"/channels/{general.id}/messages"
    double.faults.server_error("/channels/{id}/messages", method="POST", status=500)
    async with running_client(DoubleTestBot(), double):
        await double.send_message_create(guild, general, member, "ping")
        attempts = await double.requests.wait_for_count(lambda r: r.matches("POST", route), 2)
        await double.wait_for_bot_message(lambda c: c.content == "pong")
    assert [r.status for r in attempts] == [500, 200]
    assert [m["content"] for m in double.bot_messages(general)] == ["pong"]


async def _still_answers(double: DiscordDouble, guild: Guild, member: Member) -> None:
    general = guild.text_channel("general")
    since = double.messages.changes.mark()
    await double.send_message_create(guild, general, member, "ping")
    await double.wait_for_bot_message(lambda c: c.content == "pong", since=since)


async def test_op7_reconnect_resumes(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    async with running_client(DoubleTestBot(), double) as bot:
        assert isinstance(bot, DoubleTestBot)
        session_id = await double.wait_for_session()
        mark = double.gateway_events.mark()
        await double.gateway_reconnect()
        opened = await double.wait_for_gateway(lambda e: e.event == "OPEN", since=mark)
        resume = await double.wait_for_gateway(lambda e: e.op == 6, since=mark)
        await asyncio.wait_for(bot.resumed.wait(), 5)
        await _still_answers(double, guild, member)
    assert opened.data["path"] == "/resume-gateway/"
    assert resume.data["session_id"] == session_id and resume.data["seq"] >= 2
    assert not double.gateway_events.matching(lambda e: e.op == 2, since=mark)


@pytest.mark.parametrize("resumable", [False, True])
async def test_op9_invalid_session(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member, resumable: bool
) -> None:
    double = discord_endpoints
    async with running_client(DoubleTestBot(), double):
        first_session = await double.wait_for_session()
        mark = double.gateway_events.mark()
        await double.gateway_invalid_session(resumable=resumable)
        answer = await double.wait_for_gateway(lambda e: e.op in (2, 6), since=mark)
        if resumable:
            assert answer.op == 6 and answer.data["session_id"] == first_session
        else:
            assert answer.op == 2
            assert await double.wait_for_session(since=mark) != first_session
        await _still_answers(double, guild, member)


@pytest.mark.parametrize("close_code", [4000, None], ids=["close-4000", "tcp-cut"])
async def test_dropped_connection_resumes(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member, close_code: int | None
) -> None:
    double = discord_endpoints
    async with running_client(DoubleTestBot(), double) as bot:
        assert isinstance(bot, DoubleTestBot)
        session_id = await double.wait_for_session()
        mark = double.gateway_events.mark()
        started = time.monotonic()
        await double.gateway_drop(code=close_code)
        resume = await double.wait_for_gateway(lambda e: e.op == 6, since=mark)
        await asyncio.wait_for(bot.resumed.wait(), 5)
        await _still_answers(double, guild, member)
    assert resume.data["session_id"] == session_id
    assert time.monotonic() - started < 5


async def test_file_upload_and_ephemeral_followup(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await _synced(bot)
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
        assert isinstance(bot, DoubleTestBot)
        await _synced(bot)
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
        await _synced(bot)
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
        assert isinstance(bot, DoubleTestBot)
        await double.send_message_create(guild, general, member, "hello")
        assert await asyncio.wait_for(bot.seen_content.get(), 5) == ""
        mention = f"<@{double.bot.id}> hello"
        await double.send_message_create(guild, general, member, mention, mentions=[double.bot])
        assert await asyncio.wait_for(bot.seen_content.get(), 5) == mention
    assert double.bot_messages(general) == []


def _row(count: int, label: str = "b", prefix: str = "c") -> dict[str, Any]:
    buttons = [
        {"type": 2, "style": 1, "label": label, "custom_id": f"{prefix}{i}"} for i in range(count)
    ]
    return {"type": 1, "components": buttons}


FIELD = {"name": "n", "value": "v"}
LONG_NAME = {"name": "x" * 257, "value": "v"}
LONG_VALUE = {"name": "n", "value": "x" * 1025}
BUTTON = "components.0.components.0"
OVER_LIMIT = {
    "content": ({"content": "x" * 2001}, "content"),
    "embed-description": ({"embeds": [{"description": "x" * 4097}]}, "embeds.0.description"),
    "embed-title": ({"embeds": [{"title": "x" * 257}]}, "embeds.0.title"),
    "embed-total": ({"embeds": [{"description": "x" * 4000}] * 2}, "embeds"),
    "embed-count": ({"embeds": [{"title": "t"}] * 11}, "embeds"),
    "field-count": ({"embeds": [{"fields": [FIELD] * 26}]}, "embeds.0.fields"),
    "field-name": ({"embeds": [{"fields": [LONG_NAME]}]}, "embeds.0.fields.0.name"),
    "field-value": ({"embeds": [{"fields": [LONG_VALUE]}]}, "embeds.0.fields.0.value"),
    "footer": ({"embeds": [{"footer": {"text": "x" * 2049}}]}, "embeds.0.footer.text"),
    "rows": ({"components": [_row(1, prefix=f"r{i}-") for i in range(6)]}, "components"),
    "row-width": ({"components": [_row(6)]}, "components.0.components"),
    "custom-id": ({"components": [_row(1, prefix="x" * 100)]}, f"{BUTTON}.custom_id"),
    "button-label": ({"components": [_row(1, label="x" * 81)]}, f"{BUTTON}.label"),
    "duplicate-id": ({"components": [_row(1), _row(1)]}, "components.1.components.0.custom_id"),
}  # fmt: skip


@pytest.mark.parametrize(("payload", "error_path"), OVER_LIMIT.values(), ids=OVER_LIMIT.keys())
async def test_over_limit_messages_rejected(
    discord_endpoints: DiscordDouble, guild: Guild, payload: dict[str, Any], error_path: str
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.request(
                Route("POST", "/channels/{channel_id}/messages", channel_id=general.id),
                json=payload,
            )
    assert raised.value.status == 400 and raised.value.code == 50035
    recorded = await double.wait_for_request(lambda r: r.status == 400)
    node = recorded.response["errors"]
    for part in error_path.split("."):
        node = node[part]
    assert node["_errors"], recorded.response
    assert double.bot_messages(general) == []


async def test_messages_at_the_limits_accepted(
    discord_endpoints: DiscordDouble, guild: Guild
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    embed = {"title": "t" * 256, "description": "d" * 4096, "fields": [FIELD] * 25}
    embed["footer"] = {"text": "f" * (6000 - 256 - 4096 - 50)}
    rows = [_row(5, label="x" * 80, prefix=f"{'i' * 96}{r}-") for r in range(5)]
    async with running_client(DoubleTestBot(), double) as bot:
        for payload in ({"content": "x" * 2000}, {"embeds": [embed]}, {"components": rows}):
            await bot.http.request(
                Route("POST", "/channels/{channel_id}/messages", channel_id=general.id),
                json=payload,
            )
    assert len(double.bot_messages(general)) == 3
