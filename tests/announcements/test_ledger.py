"""The ledger on a real SQLite file: one owner per post, and it survives a restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.storage.announcement_ledger import AnnouncementLedger, LedgerError
from bot.storage.database import open_database

GUILD = 1001
CHANNEL = 2002
DAY = date(2023, 8, 4)
NOW = datetime(2023, 8, 4, 16, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


async def test_two_connections_racing_for_one_post_give_exactly_one_owner(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first, second = await open_database(path), await open_database(path)
    try:
        results = await asyncio.gather(
            *(
                AnnouncementLedger(db, clock).claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL)
                for db in (first, second, first, second)
            )
        )
    finally:
        await first.close()
        await second.close()
    assert sum(r is not None for r in results) == 1


async def test_restart_sees_the_posted_row_and_cannot_claim_again(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    db = await open_database(path)
    ledger = AnnouncementLedger(db, clock)
    claim = await ledger.claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL)
    assert claim is not None
    await ledger.mark_posted(claim, 555)
    await db.close()

    db = await open_database(path)  # the restart
    try:
        ledger = AnnouncementLedger(db, clock)
        assert await ledger.claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL) is None
        record = await ledger.last_posted(GUILD, "wga-2023")
        assert record is not None
        assert (record.local_date, record.message_id, record.channel_id) == (DAY, 555, CHANNEL)
        assert await ledger.last_posted_at(GUILD) == NOW
        snapshot = await ledger.snapshot(since=DAY)
        assert (GUILD, "wga-2023", DAY) in snapshot.taken
        assert snapshot.last_posted[(GUILD, "wga-2023")] == DAY
    finally:
        await db.close()


async def test_a_released_claim_lets_the_next_attempt_post(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        ledger = AnnouncementLedger(db, clock)
        claim = await ledger.claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL)
        assert claim is not None
        await ledger.record_failed_attempt(claim, "503 Service Unavailable")
        await ledger.release(claim, "gave up after 5 attempts")
        with pytest.raises(LedgerError):
            await ledger.mark_posted(claim, 1)
        snapshot = await ledger.snapshot(since=DAY)
        assert snapshot.taken == frozenset()
        assert snapshot.last_failure[(GUILD, "wga-2023", DAY)] == NOW
        again = await ledger.claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL)
        assert again is not None and again.id != claim.id
        async with db.execute(
            "SELECT status, attempts, failure FROM announcement_ledger WHERE id = ?", (claim.id,)
        ) as cursor:
            row = await cursor.fetchone()
        assert tuple(row) == ("failed", 1, "gave up after 5 attempts")
    finally:
        await db.close()


async def test_forced_reposts_are_recorded_beside_the_daily_post(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        ledger = AnnouncementLedger(db, clock)
        daily = await ledger.claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL)
        assert daily is not None
        await ledger.mark_posted(daily, 1)
        forced = await ledger.claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL, forced_by=42)
        assert forced is not None and forced.forced
        await ledger.mark_posted(forced, 2)
        record = await ledger.last_posted(GUILD, "wga-2023")
        assert record is not None and record.forced and record.message_id == 2
    finally:
        await db.close()


async def test_final_posts_and_unconfirmed_claims_show_in_the_snapshot(tmp_path: Path) -> None:
    db = await open_database(tmp_path / "bot.sqlite3")
    try:
        ledger = AnnouncementLedger(db, clock)
        claim = await ledger.claim(GUILD, "wga-2023", DAY, channel_id=CHANNEL, final=True)
        assert claim is not None
        snapshot = await ledger.snapshot(since=DAY)
        assert snapshot.finals_taken == frozenset({(GUILD, "wga-2023")})
        assert [c.id for c in await ledger.unconfirmed_claims()] == [claim.id]
    finally:
        await db.close()
