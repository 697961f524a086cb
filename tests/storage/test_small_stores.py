"""Sources, strike overrides, audit log, settings, votes and gaps on a real SQLite file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time, timedelta

import aiosqlite
import pytest

from bot.knowledge.model import Source
from bot.storage.actor import Actor
from bot.storage.audit_log import AuditLog
from bot.storage.guild_settings import GuildSettings, GuildSettingsStore, parse_post_time
from bot.storage.sources_store import SourceStore
from bot.storage.strike_overrides import StrikeOverrideStore
from bot.storage.unanswered import UnansweredStore
from bot.storage.votes import VoteStore, voter_key
from tests.storage.conftest import count_rows

MOD = Actor(7, "Mod")
T0 = datetime(2023, 9, 1, 12, tzinfo=UTC)


async def test_sources_keep_every_field(db: aiosqlite.Connection) -> None:
    source = Source(
        id="new-article",
        text="First paragraph.\n\nSecond paragraph.",
        outlet="Wire",
        headline="Talks resume",
        description=None,
        authors=("A. Writer", "B. Reporter"),
        published=date(2023, 8, 11),
        published_inferred=True,
        published_note="from the dateline",
        url=None,
    )
    store = SourceStore(db)
    await store.add(source, MOD)
    assert await store.all() == [source]
    assert await store.get("new-article") == source
    with pytest.raises(sqlite3.IntegrityError):
        await store.add(source, MOD)
    assert await count_rows(db, "moderator_source_authors") == 2


async def test_strike_end_is_set_and_corrected(db: aiosqlite.Connection) -> None:
    store = StrikeOverrideStore(db)
    await store.set_end("wga-2023", date(2023, 9, 26), MOD, at=T0)
    await store.set_end("wga-2023", date(2023, 9, 27), Actor(8, "Other"), at=T0)
    assert await store.ends() == {"wga-2023": date(2023, 9, 27)}
    (override,) = await store.all()
    assert override.actor.name == "Other"


async def test_audit_log_filters_and_orders_newest_first(db: aiosqlite.Connection) -> None:
    log = AuditLog(db)
    await log.record("fact.edit", MOD, target="fact:a", at=T0)
    await log.record("announce.force", MOD, guild_id=5, details="forced", at=T0 + timedelta(1))
    assert [e.action for e in await log.recent()] == ["announce.force", "fact.edit"]
    assert [e.details for e in await log.recent(guild_id=5)] == ["forced"]
    assert [e.target for e in await log.recent(target="fact:a")] == ["fact:a"]


async def test_unknown_guild_gets_defaults(db: aiosqlite.Connection) -> None:
    settings = await GuildSettingsStore(db).get(123)
    assert settings == GuildSettings(123)
    assert settings.post_time == time(9, 0)
    assert settings.timezone == "America/Los_Angeles"
    assert settings.follows("any-strike")
    # No ask channels until a moderator marks some: no unprompted answers anywhere.
    assert not settings.answers_in(99)


async def test_guild_settings_round_trip_and_replace(db: aiosqlite.Connection) -> None:
    store = GuildSettingsStore(db)
    settings = GuildSettings(
        guild_id=1,
        ask_channel_ids=frozenset({10, 11}),
        announce_channel_id=12,
        post_time=parse_post_time("07:30"),
        timezone="America/New_York",
        moderator_role_id=13,
        announcements_enabled=False,
        strike_ids=("sag-aftra-2023", "wga-2023"),
    )
    await store.save(settings)
    assert await store.get(1) == settings
    smaller = GuildSettings(1, ask_channel_ids=frozenset({11}))
    await store.save(smaller)
    assert await store.get(1) == smaller
    assert await store.all() == [smaller]
    await store.forget(1)
    assert await count_rows(db, "ask_channels") == 0


def test_bad_settings_are_refused_before_storage() -> None:
    with pytest.raises(ValueError, match="time zone"):
        GuildSettings(1, timezone="Mars/Olympus")
    with pytest.raises(ValueError, match="HH:MM"):
        parse_post_time("9am")


async def test_a_second_vote_replaces_the_first(db: aiosqlite.Connection) -> None:
    store = VoteStore(db)
    await store.cast(500, 1, True, fact_id="f", guild_id=9)
    await store.cast(500, 2, True, fact_id="f", guild_id=9)
    tally = await store.cast(500, 1, False, fact_id="f", guild_id=9)
    assert (tally.helpful, tally.not_helpful) == (1, 1)
    assert (await store.fact_tallies())["f"].total == 2
    async with db.execute("SELECT voter_key FROM answer_votes") as cursor:
        keys = {row[0] for row in await cursor.fetchall()}
    assert keys == {voter_key(500, 1), voter_key(500, 2)}
    assert "1" not in keys


async def test_unanswered_questions_are_kept_then_expire(db: aiosqlite.Connection) -> None:
    store = UnansweredStore(db)
    await store.record("  when   does it end? ", guild_id=1, channel_id=2, at=T0)
    await store.record("old question", at=T0 - timedelta(days=100))
    await store.record("   ")
    assert [q.text for q in await store.recent()] == ["when does it end?", "old question"]
    assert await store.expire(90, now=T0) == 1
    (kept,) = await store.recent()
    assert (kept.guild_id, kept.channel_id, kept.asked_at) == (1, 2, T0)
    async with db.execute("PRAGMA table_info(unanswered_questions)") as cursor:
        columns = {row[1] for row in await cursor.fetchall()}
    assert not any("user" in column for column in columns)
