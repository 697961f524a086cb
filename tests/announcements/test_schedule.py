"""Pure scheduling decisions, driven by a fake clock across the cases the issue lists."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.announcements.content import render_announcement
from bot.announcements.schedule import (
    RETRY_AFTER_FAILURE,
    AnnouncementSettings,
    LedgerSnapshot,
    due_posts,
    next_due,
    post_instant,
)
from bot.knowledge.model import KnowledgeBase
from tests.announcements.conftest import ended

WGA, SAG = "wga-2023", "sag-aftra-2023"
GUILD, CHANNEL = 1, 10
LA, SYDNEY = "America/Los_Angeles", "Australia/Sydney"


def local(
    zone: str, y: int, mo: int, d: int, h: int, mi: int = 0, sec: int = 0, *, fold: int = 0
) -> datetime:
    return datetime(y, mo, d, h, mi, sec, tzinfo=ZoneInfo(zone), fold=fold)


def guild(**changes: object) -> AnnouncementSettings:
    values: dict[str, object] = {"guild_id": GUILD, "channel_id": CHANNEL, "strike_ids": (WGA,)}
    values.update(changes)
    return AnnouncementSettings(**values)  # type: ignore[arg-type]


def posted(*days: date, strike: str = WGA) -> LedgerSnapshot:
    return LedgerSnapshot(
        taken=frozenset((GUILD, strike, d) for d in days),
        last_posted={(GUILD, strike): max(days)} if days else {},
    )


def due(kb: KnowledgeBase, settings: AnnouncementSettings, ledger: LedgerSnapshot, now: datetime):
    return [
        (p.strike_id, p.local_date, p.final) for p in due_posts([settings], ledger, kb.strikes, now)
    ]


def nxt(kb: KnowledgeBase, settings: AnnouncementSettings, ledger: LedgerSnapshot, now: datetime):
    return next_due([settings], ledger, kb.strikes, now)


AUG_4 = date(2023, 8, 4)
EMPTY = LedgerSnapshot()


def test_the_normal_day(kb: KnowledgeBase) -> None:
    s = guild()
    assert due(kb, s, EMPTY, local(LA, 2023, 8, 4, 8, 59)) == []
    assert nxt(kb, s, EMPTY, local(LA, 2023, 8, 4, 7)) == local(LA, 2023, 8, 4, 9)
    assert due(kb, s, EMPTY, local(LA, 2023, 8, 4, 9)) == [(WGA, AUG_4, False)]
    after = posted(AUG_4)
    assert due(kb, s, after, local(LA, 2023, 8, 4, 9, 1)) == []
    assert nxt(kb, s, after, local(LA, 2023, 8, 4, 9, 1)) == local(LA, 2023, 8, 5, 9)


def test_restart_before_the_post_waits_for_the_post_time(kb: KnowledgeBase) -> None:
    yesterday = posted(AUG_4 - timedelta(days=1))
    now = local(LA, 2023, 8, 4, 6, 30)
    assert due(kb, guild(), yesterday, now) == []
    assert nxt(kb, guild(), yesterday, now) == local(LA, 2023, 8, 4, 9)


def test_restart_after_the_post_does_not_post_again(kb: KnowledgeBase) -> None:
    now = local(LA, 2023, 8, 4, 9, 0, 30)
    assert due(kb, guild(), posted(AUG_4), now) == []
    assert nxt(kb, guild(), posted(AUG_4), now) == local(LA, 2023, 8, 5, 9)


def test_restart_after_the_post_time_with_the_post_missing_posts_at_once(
    kb: KnowledgeBase,
) -> None:
    now = local(LA, 2023, 8, 4, 15)
    assert due(kb, guild(), posted(AUG_4 - timedelta(days=1)), now) == [(WGA, AUG_4, False)]
    assert nxt(kb, guild(), EMPTY, now) == now


def test_downtime_of_several_days_gives_one_post_that_reports_the_gap(kb: KnowledgeBase) -> None:
    ledger = posted(date(2023, 7, 31))
    now = local(LA, 2023, 8, 4, 11)
    assert due(kb, guild(), ledger, now) == [(WGA, AUG_4, False)]  # no back-fill
    previous = ledger.guild_last_posted(GUILD, [WGA])
    post = render_announcement(kb, [WGA], AUG_4, [], previous)
    assert "4 days since the last update (July 31, 2023)." in post.text


def test_after_the_grace_window_the_day_is_skipped(kb: KnowledgeBase) -> None:
    s = guild(grace=timedelta(hours=2))
    assert due(kb, s, EMPTY, local(LA, 2023, 8, 4, 10, 59)) == [(WGA, AUG_4, False)]
    assert due(kb, s, EMPTY, local(LA, 2023, 8, 4, 11)) == []
    assert nxt(kb, s, EMPTY, local(LA, 2023, 8, 4, 11)) == local(LA, 2023, 8, 5, 9)
    # Default grace: the rest of the local day, never into the next one.
    assert due(kb, guild(), EMPTY, local(LA, 2023, 8, 4, 23, 59)) == [(WGA, AUG_4, False)]
    assert due(kb, guild(), EMPTY, local(LA, 2023, 8, 5, 0, 1)) == []


def test_spring_forward_in_los_angeles_posts_at_three(kb: KnowledgeBase) -> None:
    s = guild(post_time=time(2, 30))  # 2024-03-10 02:00 -> 03:00 PDT: 02:30 never happens
    day = date(2024, 3, 10)
    assert post_instant(s, day) == local(LA, 2024, 3, 10, 3)
    assert nxt(kb, s, EMPTY, local(LA, 2024, 3, 10, 0)) == local(LA, 2024, 3, 10, 3)
    assert due(kb, s, EMPTY, local(LA, 2024, 3, 10, 3) - timedelta(seconds=1)) == []
    assert due(kb, s, EMPTY, local(LA, 2024, 3, 10, 3)) == [(WGA, day, False)]
    # The next day is back at 02:30 local.
    assert nxt(kb, s, posted(day), local(LA, 2024, 3, 10, 3)) == local(LA, 2024, 3, 11, 2, 30)


def test_fall_back_in_los_angeles_posts_once_at_the_first_0130(kb: KnowledgeBase) -> None:
    s = guild(post_time=time(1, 30))  # 2024-11-03 02:00 PDT -> 01:00 PST: 01:30 twice
    day = date(2024, 11, 3)
    first, second = local(LA, 2024, 11, 3, 1, 30), local(LA, 2024, 11, 3, 1, 30, fold=1)
    assert second.astimezone(UTC) - first.astimezone(UTC) == timedelta(hours=1)
    assert nxt(kb, s, EMPTY, local(LA, 2024, 11, 3, 0)) == first
    assert first.astimezone(UTC) == datetime(2024, 11, 3, 8, 30, tzinfo=UTC)
    assert due(kb, s, EMPTY, first) == [(WGA, day, False)]
    assert due(kb, s, posted(day), second) == []
    assert nxt(kb, s, posted(day), second) == local(LA, 2024, 11, 4, 1, 30)


def test_spring_forward_in_sydney_posts_at_three(kb: KnowledgeBase) -> None:
    s = guild(post_time=time(2, 30), timezone=SYDNEY)  # 2024-10-06 02:00 AEST -> 03:00 AEDT
    day = date(2024, 10, 6)
    assert post_instant(s, day) == local(SYDNEY, 2024, 10, 6, 3)
    assert post_instant(s, day).astimezone(UTC) == datetime(2024, 10, 5, 16, tzinfo=UTC)
    assert nxt(kb, s, posted(day - timedelta(days=1)), local(SYDNEY, 2024, 10, 6, 1)) == (
        local(SYDNEY, 2024, 10, 6, 3)
    )
    assert due(kb, s, EMPTY, local(SYDNEY, 2024, 10, 6, 3)) == [(WGA, day, False)]


def test_fall_back_in_sydney_posts_once(kb: KnowledgeBase) -> None:
    s = guild(post_time=time(2, 30), timezone=SYDNEY)  # 2024-04-07 03:00 AEDT -> 02:00 AEST
    day = date(2024, 4, 7)
    first, second = local(SYDNEY, 2024, 4, 7, 2, 30), local(SYDNEY, 2024, 4, 7, 2, 30, fold=1)
    assert post_instant(s, day) == first
    assert first.astimezone(UTC) == datetime(2024, 4, 6, 15, 30, tzinfo=UTC)
    assert due(kb, s, EMPTY, first) == [(WGA, day, False)]
    assert due(kb, s, posted(day), second) == []
    assert nxt(kb, s, posted(day), second) == local(SYDNEY, 2024, 4, 8, 2, 30)


def test_a_strike_that_ends_gets_its_final_post_once(kb: KnowledgeBase) -> None:
    over = ended(kb, WGA, date(2023, 9, 27))
    s = guild()
    assert due(over, s, EMPTY, local(LA, 2023, 9, 26, 9)) == [(WGA, date(2023, 9, 26), False)]
    assert due(over, s, EMPTY, local(LA, 2023, 9, 27, 9)) == [(WGA, date(2023, 9, 27), True)]
    final_taken = LedgerSnapshot(
        taken=frozenset({(GUILD, WGA, date(2023, 9, 27))}), finals_taken=frozenset({(GUILD, WGA)})
    )
    assert due(over, s, final_taken, local(LA, 2023, 9, 28, 9)) == []
    assert nxt(over, s, final_taken, local(LA, 2023, 9, 27, 9, 1)) is None
    # A final post missed (bot down that day) still goes out, once, the next morning.
    assert due(over, s, posted(date(2023, 9, 26)), local(LA, 2023, 9, 29, 9)) == [
        (WGA, date(2023, 9, 29), True)
    ]


def test_a_strike_not_begun_is_due_on_its_first_day(kb: KnowledgeBase) -> None:
    s = guild(strike_ids=(SAG,))
    assert due(kb, s, EMPTY, local(LA, 2023, 7, 13, 10)) == []
    assert nxt(kb, s, EMPTY, local(LA, 2023, 7, 13, 10)) == local(LA, 2023, 7, 14, 9)


def test_settings_moved_later_during_the_day_post_at_the_new_time_once(
    kb: KnowledgeBase,
) -> None:
    now = local(LA, 2023, 8, 4, 8, 30)
    later = guild(post_time=time(10, 0))
    assert nxt(kb, later, EMPTY, now) == local(LA, 2023, 8, 4, 10)
    assert due(kb, later, EMPTY, local(LA, 2023, 8, 4, 9, 30)) == []
    assert due(kb, later, EMPTY, local(LA, 2023, 8, 4, 10)) == [(WGA, AUG_4, False)]
    # Already posted at the old time: moving the time later does not post again.
    assert due(kb, later, posted(AUG_4), local(LA, 2023, 8, 4, 10)) == []


def test_settings_moved_earlier_past_now_post_now_once(kb: KnowledgeBase) -> None:
    now = local(LA, 2023, 8, 4, 10)
    before = guild(post_time=time(12, 0))
    assert due(kb, before, EMPTY, now) == []
    earlier = guild(post_time=time(8, 0))
    assert nxt(kb, earlier, EMPTY, now) == now
    assert due(kb, earlier, EMPTY, now) == [(WGA, AUG_4, False)]
    assert due(kb, earlier, posted(AUG_4), now + timedelta(minutes=1)) == []


def test_a_failed_send_is_retried_after_the_cool_down(kb: KnowledgeBase) -> None:
    failed_at = local(LA, 2023, 8, 4, 9, 2)
    ledger = LedgerSnapshot(last_failure={(GUILD, WGA, AUG_4): failed_at})
    assert due(kb, guild(), ledger, failed_at + timedelta(minutes=5)) == []
    assert nxt(kb, guild(), ledger, failed_at) == failed_at + RETRY_AFTER_FAILURE
    assert due(kb, guild(), ledger, failed_at + RETRY_AFTER_FAILURE) == [(WGA, AUG_4, False)]


def test_guilds_in_many_zones_share_one_next_instant(kb: KnowledgeBase) -> None:
    sydney = guild(guild_id=2, timezone=SYDNEY)
    off = guild(guild_id=3, enabled=False)
    no_channel = guild(guild_id=4, channel_id=None)
    now = datetime(2023, 8, 4, 12, 0, tzinfo=UTC)  # 05:00 in LA, 22:00 in Sydney
    every = [guild(), sydney, off, no_channel]
    # Sydney's Aug 4 post (09:00 there) is missing and still within grace: due now.
    assert [p.guild_id for p in due_posts(every, EMPTY, kb.strikes, now)] == [2]
    assert next_due(every, EMPTY, kb.strikes, now) == now
    sydney_done = LedgerSnapshot(taken=frozenset({(2, WGA, AUG_4)}))
    assert next_due(every, sydney_done, kb.strikes, now) == local(LA, 2023, 8, 4, 9)
    assert next_due(every, sydney_done, kb.strikes, now) == datetime(2023, 8, 4, 16, tzinfo=UTC)
    assert next_due([off, no_channel], EMPTY, kb.strikes, now) is None
