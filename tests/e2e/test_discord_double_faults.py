"""Self-tests: discord.py survives the double's REST faults and gateway disruptions."""

from __future__ import annotations

import asyncio
import time

import discord
import pytest

from tests.e2e.discord_double import DiscordDouble, Guild, Member
from tests.e2e.discord_double.inprocess import running_client
from tests.e2e.selftest_bot import DoubleTestBot


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
        session_id = await double.wait_for_session()
        mark = double.gateway_events.mark()
        started = time.monotonic()
        await double.gateway_drop(code=close_code)
        resume = await double.wait_for_gateway(lambda e: e.op == 6, since=mark)
        await asyncio.wait_for(bot.resumed.wait(), 5)
        await _still_answers(double, guild, member)
    assert resume.data["session_id"] == session_id
    assert time.monotonic() - started < 5


async def test_events_during_an_outage_arrive_after_resume(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double):
        await double.wait_for_session()
        mark = double.gateway_events.mark()
        await double.gateway_drop(code=None)
        await double.wait_for_gateway(lambda e: e.event == "CLOSED", since=mark)
        await double.send_message_create(guild, general, member, "ping")  # buffered or live
        await double.wait_for_bot_message(lambda c: c.content == "pong")
    assert not double.gateway_events.matching(lambda e: e.op == 2, since=mark)


async def test_silent_gateway_is_detected_and_resumed(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    async with running_client(DoubleTestBot(heartbeat_timeout=0.6), double):
        session_id = await double.wait_for_session()
        mark = double.gateway_events.mark()
        double.gateway.ack_heartbeats = False
        closed = await double.wait_for_gateway(lambda e: e.event == "CLOSED", since=mark)
        double.gateway.ack_heartbeats = True
        resume = await double.wait_for_gateway(lambda e: e.op == 6, since=mark)
        await _still_answers(double, guild, member)
    assert closed.data["code"] == 4000
    assert resume.data["session_id"] == session_id


async def test_wrong_token_fails_login(discord_endpoints: DiscordDouble) -> None:
    double = discord_endpoints
    client = DoubleTestBot()
    with pytest.raises(discord.LoginFailure):
        await client.login("not-the-token")
    await client.close()
    assert [r.status for r in double.requests] == [401]


async def test_late_interaction_response_is_unknown(
    discord_endpoints: DiscordDouble, guild: Guild, member: Member
) -> None:
    double = discord_endpoints
    double.ctx.interaction_deadline = 0.0  # as if the bot took longer than Discord's 3 s
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        await bot.tree.sync()
        record = await double.send_slash_command(guild, general, member, "panel")
        callback = await double.wait_for_callback(record)
        error = await asyncio.wait_for(bot.errors.get(), 5)
    assert callback.status == 404 and callback.response["code"] == 10062
    assert isinstance(error.__cause__, discord.NotFound)
