"""Members ask a running `strikebot run`: ask channels, /ask and its buttons, faults, mentions.

These scenarios change nothing another one depends on (votes and unanswered questions
are per message and per question), so one bot process serves the whole module; each test
uses its own marks (``since``) and clears the faults it queued.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from typing import Any

import aiosqlite
import pytest
import pytest_asyncio

from bot.storage.votes import VoteStore, VoteTally
from tests.conftest import KNOWLEDGE_DIR
from tests.e2e.bot_process import BotProcess
from tests.e2e.conftest import TEST_HEARTBEAT_MS
from tests.e2e.discord_double import DiscordDouble
from tests.e2e.scenario_world import (
    ANSWERED,
    EPHEMERAL,
    NO_MENTIONS,
    OFF_TOPIC,
    REPLY_NO_MENTIONS,
    StrikeWorld,
    custom_ids,
    is_ephemeral,
    open_world,
    text_of,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

REFUSED_WITH_SUGGESTIONS = "writers pay?"
"""Refused, with suggested questions offered as buttons."""
RETRY_AFTER_SECONDS = 0.5
"""The 429's retry_after: long enough to tell "waited" from "retried at once"."""
TIMER_SLACK_SECONDS = 0.05
"""Timer and clock granularity allowed when checking the bot waited retry_after."""
DISCORD_5XX_RETRY_SECONDS = 1.0
"""discord.py waits 1 s before its first retry of a 500."""
# Discord's limits on what a message may carry.
MAX_CONTENT = 2000
MAX_EMBED_TOTAL = 6000
MAX_EMBED_DESCRIPTION = 4096
MAX_EMBED_FIELD_VALUE = 1024


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def shared_double() -> AsyncIterator[DiscordDouble]:
    """One double for the module; fails at teardown on requests Discord would not know."""
    double = DiscordDouble(heartbeat_interval_ms=TEST_HEARTBEAT_MS)
    await double.start()
    try:
        yield double
    finally:
        await double.stop()
    assert not double.unexpected, f"unexpected requests: {double.unexpected}"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def world(
    shared_double: DiscordDouble, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[StrikeWorld]:
    """The world with one running bot, stopped cleanly (exit 0) after the module."""
    root = tmp_path_factory.mktemp("asking")
    knowledge = root / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    async for built in open_world(shared_double, root / "data", knowledge):
        bot = await built.start_bot()
        built.shared_bot = bot  # type: ignore[attr-defined]
        yield built
        await bot.stop_cleanly()


@pytest.fixture
def bot(world: StrikeWorld) -> BotProcess:
    """The module's running bot process."""
    process: BotProcess = world.shared_bot  # type: ignore[attr-defined]
    assert process.running, "the shared bot process has exited:\n" + process.log.text()
    return process


@pytest.fixture(autouse=True)
def no_faults_left(world: StrikeWorld) -> Any:
    """Faults a test queued never leak into the next one."""
    yield
    world.double.faults.clear()


def embed_within_limits(embed: dict[str, Any]) -> bool:
    """Discord's per-embed limits (the double also refuses oversized bodies)."""
    fields = embed.get("fields") or []
    total = sum(len(embed.get(k) or "") for k in ("title", "description"))
    total += sum(len(f["name"]) + len(f["value"]) for f in fields)
    total += len((embed.get("footer") or {}).get("text") or "")
    return (
        total <= MAX_EMBED_TOTAL
        and len(embed.get("description") or "") <= MAX_EMBED_DESCRIPTION
        and all(len(f["value"]) <= MAX_EMBED_FIELD_VALUE for f in fields)
    )


async def test_ask_channel_question_gets_a_cited_reply_and_off_topic_gets_none(
    world: StrikeWorld, bot: BotProcess
) -> None:
    double = world.double
    changes, requests = double.messages.changes.mark(), double.requests.mark()
    off_topic = await world.say(world.bob, world.ask_channel, OFF_TOPIC)
    asked = await world.say(world.alice, world.ask_channel, ANSWERED)

    reply = await world.reply_to(asked, since=changes)

    [embed] = reply.message["embeds"]
    assert embed["footer"]["text"].startswith("Fact ")
    assert embed["fields"], "an answer cites at least one source"
    assert embed_within_limits(embed) and len(reply.content) <= MAX_CONTENT
    [request] = world.posts_requests(world.ask_channel, since=requests)
    assert request.status == 200
    assert request.json["allowed_mentions"] == REPLY_NO_MENTIONS
    assert reply.message["mentions"] == [] and not reply.message["mention_everyone"]
    # Messages are handled in order: the off-topic one, first, was passed over.
    bot_replies = double.messages.changes.matching(lambda c: c.by_bot, since=changes)
    assert [c.message["id"] for c in bot_replies] == [reply.message["id"]]
    assert all(
        (c.message.get("message_reference") or {}).get("message_id") != off_topic["id"]
        for c in bot_replies
    )


async def test_slash_ask_answers_and_its_vote_buttons_record_votes(
    world: StrikeWorld, bot: BotProcess
) -> None:
    double = world.double
    record = await world.slash(world.alice, "ask", {"question": ANSWERED})
    answer = await world.reply(record)
    assert not is_ephemeral(answer)
    [embed] = answer.message["embeds"]
    fact_id = embed["footer"]["text"].removeprefix("Fact ")
    helpful, unhelpful = (f"strikebot:vote:{v}:{fact_id}" for v in ("helpful", "unhelpful"))
    assert custom_ids(answer.message)[:2] == [helpful, unhelpful]

    async def click(custom_id: str) -> str:
        clicked = await double.send_button_click(world.bob, answer.message, custom_id)
        response = await world.reply(clicked)
        assert is_ephemeral(response)
        return response.content

    assert "recorded as helpful" in await click(helpful)
    assert "recorded as not helpful" in await click(unhelpful)
    async with aiosqlite.connect(world.db_path) as db:
        tally = await VoteStore(db).tally(int(answer.message["id"]))
    assert tally == VoteTally(0, 1), "a second click changes the member's vote, not adds one"


async def test_slash_ask_refusal_offers_suggestions_and_a_click_answers_publicly(
    world: StrikeWorld, bot: BotProcess
) -> None:
    double = world.double
    record = await world.slash(world.alice, "ask", {"question": REFUSED_WITH_SUGGESTIONS})
    refusal = await world.reply(record)
    assert is_ephemeral(refusal) and "won't guess" in refusal.content
    suggestions = custom_ids(refusal.message)
    assert suggestions and all(s.startswith("strikebot:ask:") for s in suggestions)

    clicked = await double.send_button_click(world.alice, refusal.message, suggestions[0])
    answer = await world.reply(clicked)

    assert not is_ephemeral(answer)
    suggested_fact = suggestions[0].removeprefix("strikebot:ask:")
    assert answer.message["embeds"][0]["footer"]["text"] == f"Fact {suggested_fact}"
    callback = await double.wait_for_callback(clicked)
    assert callback.json["data"]["allowed_mentions"] == NO_MENTIONS


async def test_a_429_on_the_reply_is_retried_after_retry_after_and_delivered_once(
    world: StrikeWorld, bot: BotProcess
) -> None:
    double = world.double
    route = f"/channels/{world.ask_channel.id}/messages"
    limit = double.faults.rate_limit(route, method="POST", retry_after=RETRY_AFTER_SECONDS)
    changes, requests = double.messages.changes.mark(), double.requests.mark()
    asked = await world.say(world.alice, world.ask_channel, ANSWERED)

    reply = await world.reply_to(asked, since=changes)

    assert limit.hits == 1
    refused, delivered = world.posts_requests(world.ask_channel, since=requests)
    assert (refused.status, delivered.status) == (429, 200)
    # `at` is stamped when each answer is sent: the retry came no sooner than retry_after.
    assert delivered.at - refused.at >= RETRY_AFTER_SECONDS - TIMER_SLACK_SECONDS
    replies = double.messages.changes.matching(
        lambda c: c.by_bot and c.kind == "create", since=changes
    )
    assert [c.message["id"] for c in replies] == [reply.message["id"]]


async def test_server_errors_on_sending_are_retried_or_logged_and_the_bot_keeps_answering(
    world: StrikeWorld, bot: BotProcess
) -> None:
    double = world.double
    route = f"/channels/{world.ask_channel.id}/messages"

    # A 500 is retried (by discord.py, after 1 s) and the reply arrives once.
    double.faults.server_error(route, method="POST", status=500)
    changes, requests = double.messages.changes.mark(), double.requests.mark()
    first = await world.say(world.alice, world.ask_channel, ANSWERED)
    await world.reply_to(first, since=changes)
    statuses = [r.status for r in world.posts_requests(world.ask_channel, since=requests)]
    assert statuses == [500, 200]

    # A 503 is not retried: the failure is logged, nothing is posted, the bot stays up.
    double.faults.server_error(route, method="POST", status=503)
    requests, logged = double.requests.mark(), bot.log.mark()
    await world.say(world.bob, world.ask_channel, ANSWERED)
    failure = await bot.log.wait_for(
        lambda e: e.get("level") == "ERROR" and "DiscordServerError" in e.get("exc", ""),
        since=logged,
    )
    assert "on_message" in failure["event"]
    assert [r.status for r in world.posts_requests(world.ask_channel, since=requests)] == [503]

    changes = double.messages.changes.mark()
    after = await world.say(world.alice, world.ask_channel, ANSWERED)
    reply = await world.reply_to(after, since=changes)
    assert reply.message["embeds"]
    status, report = await bot.health()
    assert status == 200 and report["status"] == "ok"
    assert bot.running


async def test_everyone_and_role_mentions_echoed_back_ping_nobody(
    world: StrikeWorld, bot: BotProcess
) -> None:
    double = world.double
    pings = f"@everyone @here <@&{world.mod_role.id}> <@{world.bob.user.id}>"
    changes = double.messages.changes.mark()
    replies_mark = double.requests.mark()

    # Mention markup is not part of the question: the first is answered, the second is
    # refused and kept for moderators; /facts gaps then echoes it, pings and all, as text.
    for question in (f"{pings} {ANSWERED}", f"{pings} is there free pizza on the picket?"):
        asked = await world.say(world.alice, world.general, question, mention_bot=True)
        await world.reply_to(asked, since=changes)
    gaps = await world.reply(await world.slash(world.mod, "facts gaps"))

    assert "@everyone" in gaps.content and "@here" in gaps.content
    assert f"<@&{world.mod_role.id}>" in gaps.content and f"<@{world.bob.user.id}>" in gaps.content
    assert int(gaps.message.get("flags") or 0) & EPHEMERAL
    bot_messages = [
        c.message for c in double.messages.changes.matching(lambda c: c.by_bot, since=changes)
    ]
    assert len(bot_messages) >= 3  # an answer, a refusal and the gaps list
    footers = [(m.get("embeds") or [{}])[0].get("footer", {}).get("text", "") for m in bot_messages]
    assert any(f.startswith("Fact ") for f in footers), "the pinging question was answered"
    for message in bot_messages:
        assert message["mentions"] == [], text_of(message)
        assert message["mention_roles"] == []
        assert message["mention_everyone"] is False
    sent = double.requests.matching(
        lambda r: r.method == "POST" and r.json is not None and "allowed_mentions" in r.json,
        since=replies_mark,
    )
    assert {str(r.json["allowed_mentions"]) for r in sent} <= {
        str(REPLY_NO_MENTIONS),
        str(NO_MENTIONS),
    }
