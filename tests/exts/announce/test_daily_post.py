"""The scheduled daily post on the double: once at its time, once across restarts, retried."""

from __future__ import annotations

from bot.announcements.scheduler import FIRST_RETRY_DELAY_SECONDS, MAX_SLEEP_SECONDS
from tests.exts.announce.harness import Scene, la, ledger_rows, text_of

DAY_95 = "Day 95 of the WGA strike against the AMPTP"
MESSAGES_ROUTE = "/channels/{id}/messages"


async def test_at_the_post_time_exactly_one_post_arrives_without_mentions(scene: Scene) -> None:
    async with scene.bot() as bot:
        await scene.clock.next_sleep()  # the scheduler waits for 09:00
        assert scene.posts() == []

        slept = scene.clock.sleeps.mark()
        scene.clock.set(la(2023, 8, 4, 9))
        posted = await scene.double.wait_for_bot_message(
            lambda c: c.channel_id == scene.announcements.id
        )
        after = await scene.clock.next_sleep(since=slept)  # idle again: nothing else due
        assert bot.announcements.scheduler_running

    assert DAY_95 in text_of(posted.message)
    assert "Friday, August 4, 2023" in text_of(posted.message)
    assert after.until > la(2023, 8, 4, 9)
    [request] = scene.post_requests()
    assert request.status == 200
    assert request.json["allowed_mentions"] == {"parse": []}
    assert len(scene.posts()) == 1
    assert await ledger_rows(scene.db_path) == [
        ("wga-2023", "2023-08-04", "posted", 0, 0),
        ("sag-aftra-2023", "2023-08-04", "posted", 0, 0),
    ]


async def test_a_restart_after_posting_does_not_post_again(scene: Scene) -> None:
    async with scene.bot():
        scene.clock.set(la(2023, 8, 4, 9))
        await scene.double.wait_for_bot_message(lambda c: c.channel_id == scene.announcements.id)

    scene.clock.set(la(2023, 8, 4, 9, 5))  # still within the day's grace
    requests = scene.double.requests.mark()
    slept = scene.clock.sleeps.mark()
    async with scene.bot() as bot:
        # The restarted scheduler checked at once (same SQLite file) and went to sleep.
        asleep = await scene.clock.next_sleep(since=slept)
        assert await bot.announcements.scheduler.run_due() == []

    assert asleep.seconds == MAX_SLEEP_SECONDS  # tomorrow's post is the next thing due
    assert scene.post_requests(since=requests) == []
    assert len(scene.posts()) == 1


async def test_a_refused_send_is_retried_after_back_off_and_posts_once(scene: Scene) -> None:
    # 503: discord.py does not retry it itself, so the scheduler's own retry is exercised.
    route = MESSAGES_ROUTE.format(id=scene.announcements.id)
    fault = scene.double.faults.server_error(route, method="POST", status=503)
    async with scene.bot() as bot:
        await scene.clock.next_sleep()
        slept = scene.clock.sleeps.mark()
        scene.clock.set(la(2023, 8, 4, 9))
        back_off = await scene.clock.next_sleep(since=slept, seconds=FIRST_RETRY_DELAY_SECONDS)
        assert scene.posts() == []

        slept = scene.clock.sleeps.mark()
        scene.clock.advance(back_off.seconds)
        posted = await scene.double.wait_for_bot_message(
            lambda c: c.channel_id == scene.announcements.id
        )
        await scene.clock.next_sleep(since=slept)  # the scheduler recorded it and is idle
        metrics = bot.runtime.metrics.render_prometheus()

    assert fault.hits == 1
    assert [r.status for r in scene.post_requests()] == [503, 200]
    assert DAY_95 in text_of(posted.message)
    assert len(scene.posts()) == 1
    assert 'strikebot_announcements_total{result="failed"} 1' in metrics
    assert 'strikebot_announcements_total{result="posted"} 1' in metrics
    assert {row[2:] for row in await ledger_rows(scene.db_path)} == {("posted", 0, 1)}


async def test_a_500_from_discord_is_retried_and_posts_once(scene: Scene) -> None:
    # discord.py retries a 500 itself (after 1 s); either way there is exactly one post.
    route = MESSAGES_ROUTE.format(id=scene.announcements.id)
    fault = scene.double.faults.server_error(route, method="POST", status=500)
    async with scene.bot():
        await scene.clock.next_sleep()
        scene.clock.set(la(2023, 8, 4, 9))
        await scene.double.wait_for_bot_message(lambda c: c.channel_id == scene.announcements.id)

    assert fault.hits == 1
    assert [r.status for r in scene.post_requests()] == [500, 200]
    assert len(scene.posts()) == 1


async def test_a_setup_change_replans_at_once(scene: Scene) -> None:
    # No channel yet: the scheduler has nothing to do and sleeps its longest (an hour).
    await scene.configure(announce_channel_id=None)
    scene.clock.set(la(2023, 8, 4, 8, 30))
    async with scene.bot("bot.exts.setup"):
        idle = await scene.clock.next_sleep(seconds=MAX_SLEEP_SECONDS)
        scene.clock.set(la(2023, 8, 4, 9))  # the post is due, but that sleep is not over
        assert idle.pending

        record = await scene.slash(
            scene.owner, "setup announcements", {"channel": scene.announcements}
        )
        posted = await scene.double.wait_for_bot_message(
            lambda c: c.channel_id == scene.announcements.id
        )
        await scene.double.wait_for_callback(record)

    assert DAY_95 in text_of(posted.message)
    assert len(scene.posts()) == 1
