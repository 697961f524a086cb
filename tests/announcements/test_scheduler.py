"""The scheduler loop with a fake clock and sleep, a real SQLite ledger and a fake send."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import aiosqlite
import pytest

from bot.announcements.content import Announcement, FactChange
from bot.announcements.schedule import AnnouncementSettings
from bot.announcements.scheduler import (
    FIRST_RETRY_DELAY_SECONDS,
    MAX_SLEEP_SECONDS,
    SEND_ATTEMPTS,
    AnnouncementScheduler,
)
from bot.knowledge.model import KnowledgeBase
from bot.storage.announcement_ledger import AnnouncementLedger
from bot.storage.database import open_database

LA = ZoneInfo("America/Los_Angeles")
WGA, SAG = "wga-2023", "sag-aftra-2023"


class FakeTime:
    """A clock that only moves when the scheduler sleeps; `hold` makes sleeps block."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.sleeps: list[float] = []
        self.hold_after: datetime | None = None
        self.holding = False

    def clock(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        if self.hold_after is not None and self.now >= self.hold_after:
            self.holding = True
            await asyncio.Event().wait()  # until cancelled by stop() or a replan
        self.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)


class FakeDiscord:
    """Records sends; fails the first `failures` of them."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.sent: list[tuple[int, int, Announcement]] = []
        self.calls = 0

    async def send(self, guild_id: int, channel_id: int, announcement: Announcement) -> int:
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionError("Discord is having a bad day")
        self.sent.append((guild_id, channel_id, announcement))
        return 9000 + len(self.sent)


class Harness:
    def __init__(self, db: aiosqlite.Connection, kb: KnowledgeBase, start: datetime) -> None:
        self.db = db
        self.time = FakeTime(start)
        self.discord = FakeDiscord()
        self.settings: list[AnnouncementSettings] = [
            AnnouncementSettings(guild_id=1, channel_id=11, strike_ids=(WGA, SAG))
        ]
        self.since: list[datetime] = []
        self.kb = kb
        self.ledger = AnnouncementLedger(db, self.time.clock)
        self.scheduler = self.make_scheduler()

    def make_scheduler(self) -> AnnouncementScheduler:
        async def settings() -> Sequence[AnnouncementSettings]:
            return list(self.settings)

        async def changes(since: datetime, until: datetime) -> Sequence[FactChange]:
            self.since.append(since)
            return [FactChange("f1", "added", until, "Talks resume today.", "wire report")]

        async def send(guild_id: int, channel_id: int, announcement: Announcement) -> int:
            return await self.discord.send(guild_id, channel_id, announcement)

        return AnnouncementScheduler(
            ledger=self.ledger,
            settings=settings,
            knowledge=lambda: self.kb,
            changes=changes,
            send=send,
            clock=self.time.clock,
            sleep=self.time.sleep,
        )

    async def statuses(self) -> list[tuple[int, str, str, str, int]]:
        async with self.db.execute(
            "SELECT guild_id, strike_id, local_date, status, attempts"
            " FROM announcement_ledger ORDER BY id"
        ) as cursor:
            return [tuple(r) for r in await cursor.fetchall()]  # type: ignore[misc]


def la(y: int, mo: int, d: int, h: int, mi: int = 0) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=LA).astimezone(UTC)


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[aiosqlite.Connection]:
    connection = await open_database(tmp_path / "bot.sqlite3")
    yield connection
    await connection.close()


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Let the loop run (its database calls take real time) until `condition` holds."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition never became true")
        await asyncio.sleep(0.001)


async def test_sleeps_until_the_next_post_and_replan_wakes_it(
    db: aiosqlite.Connection, kb: KnowledgeBase
) -> None:
    h = Harness(db, kb, la(2023, 8, 4, 8, 30))
    h.time.hold_after = h.time.now
    h.scheduler.start()
    try:
        await until(lambda: h.time.holding)
        assert h.time.sleeps == [1800.0]  # 08:30 -> 09:00, no polling
        h.settings = [AnnouncementSettings(guild_id=1, channel_id=11, post_time=time(8, 45))]
        h.scheduler.replan()
        await until(lambda: len(h.time.sleeps) == 2)
        assert h.time.sleeps[1] == 900.0  # re-planned for 08:45
        assert h.discord.sent == []
    finally:
        await h.scheduler.stop()
    assert not h.scheduler.running


async def test_start_posts_a_missed_post_at_once_then_sleeps_until_tomorrow(
    db: aiosqlite.Connection, kb: KnowledgeBase
) -> None:
    h = Harness(db, kb, la(2023, 8, 4, 13))  # the bot was down at 09:00
    h.time.hold_after = h.time.now
    h.scheduler.start()
    try:
        await until(lambda: h.time.holding)
    finally:
        await h.scheduler.stop()
    assert len(h.discord.sent) == 1
    guild_id, channel_id, post = h.discord.sent[0]
    assert (guild_id, channel_id) == (1, 11)
    assert [(s.strike_id, s.day) for s in post.strikes] == [(WGA, 95), (SAG, 22)]
    assert "Talks resume today. (wire report)" in post.text
    assert h.time.sleeps == [MAX_SLEEP_SECONDS]  # tomorrow 09:00 is 20 h away: capped
    assert [row[3] for row in await h.statuses()] == ["posted", "posted"]


async def test_exactly_one_send_per_guild_and_day_over_a_week(
    db: aiosqlite.Connection, kb: KnowledgeBase
) -> None:
    h = Harness(db, kb, la(2023, 8, 3, 20))
    h.settings.append(
        AnnouncementSettings(
            guild_id=2, channel_id=22, timezone="Australia/Sydney", post_time=time(7, 15)
        )
    )
    h.time.hold_after = la(2023, 8, 10, 20)
    h.scheduler.start()
    try:
        await until(lambda: h.time.holding, seconds=30)
    finally:
        await h.scheduler.stop()
    days_by_guild: dict[int, list[date]] = {1: [], 2: []}
    for guild_id, _channel, post in h.discord.sent:
        days_by_guild[guild_id].append(post.local_date)
    # Started at 20:00 in Los Angeles: that day's post was missing, so it went out at once.
    assert days_by_guild[1] == [date(2023, 8, d) for d in range(3, 11)]
    assert days_by_guild[2] == [date(2023, 8, d) for d in range(4, 12)]  # Sydney is ahead
    rows = await h.statuses()
    assert len(rows) == len({(r[0], r[1], r[2]) for r in rows}) == 8 * 2 + 8 * 2
    assert {r[3] for r in rows} == {"posted"}
    # A guild's first post reports changes from a day back; later ones from its last post.
    start = la(2023, 8, 3, 20)
    assert h.since[:2] == [start - timedelta(days=1)] * 2
    assert all(since >= start for since in h.since[2:])


async def test_a_restart_after_posting_does_not_post_again(
    tmp_path: Path, kb: KnowledgeBase
) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    h = Harness(db, kb, la(2023, 8, 4, 9))
    assert [o.status for o in await h.scheduler.run_due()] == ["posted"]
    await db.close()

    db = await open_database(path)  # the restart, a minute later
    try:
        again = Harness(db, kb, la(2023, 8, 4, 9, 1))
        assert await again.scheduler.run_due() == []
        assert again.discord.sent == []
    finally:
        await db.close()


async def test_a_failed_send_backs_off_then_releases_and_the_next_attempt_posts(
    db: aiosqlite.Connection, kb: KnowledgeBase, caplog: pytest.LogCaptureFixture
) -> None:
    h = Harness(db, kb, la(2023, 8, 4, 9))
    h.discord.failures = SEND_ATTEMPTS
    [outcome] = await h.scheduler.run_due()
    assert (outcome.status, outcome.attempts) == ("failed", SEND_ATTEMPTS)
    assert "ConnectionError: Discord is having a bad day" in (outcome.error or "")
    assert h.time.sleeps == [FIRST_RETRY_DELAY_SECONDS * 2**n for n in range(SEND_ATTEMPTS - 1)]
    assert "failed after 5 attempts" in caplog.text and "claim released" in caplog.text
    assert [(r[3], r[4]) for r in await h.statuses()] == [("failed", 5), ("failed", 5)]

    assert await h.scheduler.run_due() == []  # cooling down, not hammering
    h.time.now += timedelta(minutes=15)
    [retry] = await h.scheduler.run_due()
    assert retry.status == "posted" and len(h.discord.sent) == 1
    assert [r[3] for r in await h.statuses()] == ["failed", "failed", "posted", "posted"]


async def test_a_send_that_fails_twice_then_works_is_posted_once(
    db: aiosqlite.Connection, kb: KnowledgeBase
) -> None:
    h = Harness(db, kb, la(2023, 8, 4, 9))
    h.discord.failures = 2
    [outcome] = await h.scheduler.run_due()
    assert (outcome.status, outcome.attempts, outcome.message_id) == ("posted", 3, 9001)
    assert [(r[3], r[4]) for r in await h.statuses()] == [("posted", 2), ("posted", 2)]


async def test_announce_now_posts_once_and_force_reposts(
    db: aiosqlite.Connection, kb: KnowledgeBase
) -> None:
    h = Harness(db, kb, la(2023, 8, 4, 6))  # before the post time
    settings = h.settings[0]
    assert (await h.scheduler.announce_now(settings)).status == "posted"
    assert (await h.scheduler.announce_now(settings)).status == "already_posted"
    h.time.now = la(2023, 8, 4, 9)
    assert await h.scheduler.run_due() == []  # the morning post already went out
    forced = await h.scheduler.announce_now(settings, forced_by=42)
    assert forced.status == "posted" and len(h.discord.sent) == 2
    async with db.execute(
        "SELECT forced, forced_by FROM announcement_ledger ORDER BY id"
    ) as cursor:
        assert [tuple(r) for r in await cursor.fetchall()] == [(0, None)] * 2 + [(1, 42)] * 2


async def test_preview_claims_nothing(db: aiosqlite.Connection, kb: KnowledgeBase) -> None:
    h = Harness(db, kb, la(2023, 8, 9, 7))
    post = await h.scheduler.preview(h.settings[0])
    assert post.text.startswith("Day 100 of the WGA strike against the AMPTP")
    assert await h.statuses() == []
