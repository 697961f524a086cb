"""The daily announcement from a running `strikebot run`, on the test clock STRIKEBOT_FAKE_NOW.

STRIKEBOT_FAKE_NOW sets the instant the bot's clock starts at; from there it advances with
real time (`bot.runtime.make_clock`). The guild's announcement channel is stored before
the start through the bot's own storage API (as /setup would); the post time is the
default 09:00 America/Los_Angeles. "Exactly once" is checked after a barrier: a
moderator's `/announce now` (without force) must find the day already posted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.storage.guild_settings import DEFAULT_POST_TIME, GuildSettings
from tests.e2e.scenario_world import (
    NO_MENTIONS,
    StrikeWorld,
    is_ephemeral,
    seed_guild_settings,
    text_of,
)
from tests.exts.announce.harness import ledger_rows
from tests.exts.ask.conftest import eventually

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
POST_AT = datetime(2023, 8, 4, DEFAULT_POST_TIME.hour, DEFAULT_POST_TIME.minute, tzinfo=LOS_ANGELES)
DAY_95 = "Day 95 of the WGA strike against the AMPTP"
LEAD_SECONDS = 4.0
"""How far before the post time the clock starts: about one start-up, so the scheduler
first sleeps and then posts (if start-up is slower it posts at once; both are correct)."""
IN_FLIGHT_DELAY_SECONDS = 3.0
"""How long the double holds the post's request, so the gateway drops while it is in flight."""
POST_WAIT_SECONDS = 15.0
"""Ceiling for the post to arrive (start-up plus the lead); the usual wait is seconds."""


def fake_now(moment: datetime) -> dict[str, str]:
    """The environment that starts the bot's clock at ``moment``."""
    return {"STRIKEBOT_FAKE_NOW": moment.isoformat()}


async def configure_announcements(world: StrikeWorld) -> None:
    """Store the guild's announcement channel (and its moderator role) before any start."""
    await seed_guild_settings(
        world.db_path,
        GuildSettings(
            world.guild.id,
            announce_channel_id=world.announcements.id,
            moderator_role_id=world.mod_role.id,
        ),
    )


async def wait_for_post(world: StrikeWorld) -> dict[str, object]:
    """The bot's first message in the announcement channel."""
    posted = await world.double.wait_for_bot_message(
        lambda c: c.channel_id == world.announcements.id, timeout=POST_WAIT_SECONDS
    )
    return posted.message


async def announce_now_finds_it_posted(world: StrikeWorld) -> None:
    """Barrier: the ledger says today is posted, so `/announce now` posts nothing."""
    reply = await world.reply(await world.slash(world.mod, "announce now"))
    assert is_ephemeral(reply)
    assert "already posted" in reply.content, reply.content


def assert_posted_once(world: StrikeWorld) -> None:
    """One accepted post request and one message in the announcement channel."""
    requests = world.posts_requests(world.announcements)
    assert [r.status for r in requests] == [200], requests
    assert requests[0].json["allowed_mentions"] == NO_MENTIONS
    assert len(world.double.bot_messages(world.announcements)) == 1


async def test_at_the_post_time_the_announcement_is_posted_exactly_once(
    strike_world: StrikeWorld,
) -> None:
    world = strike_world
    await configure_announcements(world)
    bot = await world.start_bot(fake_now(POST_AT - timedelta(seconds=LEAD_SECONDS)))

    message = await wait_for_post(world)
    await announce_now_finds_it_posted(world)
    await bot.stop_cleanly()

    assert DAY_95 in text_of(message) and "Friday, August 4, 2023" in text_of(message)
    assert_posted_once(world)
    assert await ledger_rows(world.db_path) == [
        ("wga-2023", "2023-08-04", "posted", 0, 0),
        ("sag-aftra-2023", "2023-08-04", "posted", 0, 0),
    ]


async def test_a_restart_right_after_posting_does_not_post_again(
    strike_world: StrikeWorld,
) -> None:
    world = strike_world
    await configure_announcements(world)
    clock = fake_now(POST_AT + timedelta(seconds=1))  # due at start
    first = await world.start_bot(clock)
    await wait_for_post(world)
    await first.stop_cleanly()

    second = await world.start_bot(clock)  # the same morning, within the day's grace
    await announce_now_finds_it_posted(world)
    await second.stop_cleanly()

    assert_posted_once(world)
    assert {row[2] for row in await ledger_rows(world.db_path)} == {"posted"}


async def test_a_gateway_drop_and_resume_during_the_post_still_posts_exactly_once(
    strike_world: StrikeWorld,
) -> None:
    world = strike_world
    double = world.double
    await configure_announcements(world)
    route = f"/channels/{world.announcements.id}/messages"
    held = double.faults.slow(route, method="POST", delay=IN_FLIGHT_DELAY_SECONDS)
    bot = await world.start_bot(fake_now(POST_AT + timedelta(seconds=1)), until_healthy=False)

    session_id = await double.wait_for_session()

    async def post_is_held() -> bool:  # its request has reached the double and waits there
        return held.hits == 1

    await eventually(post_is_held, timeout=POST_WAIT_SECONDS)
    resumes = double.gateway_events.mark()
    await double.gateway_drop(code=4000)
    resume = await double.wait_for_gateway(
        lambda e: e.direction == "recv" and e.op == 6, since=resumes
    )
    await double.wait_for_gateway(lambda e: e.event == "RESUMED", since=resumes)
    await wait_for_post(world)
    await bot.wait_until_healthy()
    await announce_now_finds_it_posted(world)
    await bot.stop_cleanly()

    assert resume.data["session_id"] == session_id
    [drop] = double.gateway_events.matching(lambda e: e.event == "DROP")
    [request] = world.posts_requests(world.announcements)
    assert drop.at < request.at, "the gateway dropped while the post was in flight"
    assert not double.gateway_events.matching(
        lambda e: e.direction == "recv" and e.op == 2, since=resumes
    ), "a resumed session needs no new IDENTIFY"
    assert_posted_once(world)
