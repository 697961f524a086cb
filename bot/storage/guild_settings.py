"""Per-guild settings set with `/setup`; a guild that never ran it gets the defaults."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import aiosqlite

from bot.storage.timestamps import to_db_time, utc_now
from bot.storage.transactions import transaction

# The defaults: a morning post, in the time zone of the strikes we follow.
DEFAULT_POST_TIME = time(9, 0)
DEFAULT_TIMEZONE = "America/Los_Angeles"


@dataclass(frozen=True, slots=True)
class GuildSettings:
    """What one guild configured.

    Empty `ask_channel_ids` means the bot answers in every channel it can read; empty
    `strike_ids` means the guild follows every strike in the fact base. Invalid values
    raise ValueError at construction, so a bad `/setup` never reaches the database.
    """

    guild_id: int
    ask_channel_ids: frozenset[int] = frozenset()
    announce_channel_id: int | None = None
    post_time: time = DEFAULT_POST_TIME
    timezone: str = DEFAULT_TIMEZONE
    moderator_role_id: int | None = None
    announcements_enabled: bool = True
    strike_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {self.timezone!r}: use an IANA name") from exc
        if self.post_time.tzinfo is not None or self.post_time.second or self.post_time.microsecond:
            raise ValueError("post time is a local wall-clock time in whole minutes (HH:MM)")

    @property
    def zone(self) -> ZoneInfo:
        """The guild's time zone, which decides when its daily post goes out."""
        return ZoneInfo(self.timezone)

    def follows(self, strike_id: str) -> bool:
        """Whether the guild follows this strike (all strikes when none are chosen)."""
        return not self.strike_ids or strike_id in self.strike_ids

    def answers_in(self, channel_id: int) -> bool:
        """Whether unprompted questions in this channel get automatic answers.

        Only channels a moderator marked: a guild that never ran /setup must not find the
        bot replying to chatter everywhere. /ask and mentions work in every channel.
        """
        return channel_id in self.ask_channel_ids


def parse_post_time(text: str) -> time:
    """'HH:MM' (24-hour) as a time; ValueError with a readable message otherwise."""
    try:
        hours, minutes = (int(part) for part in text.strip().split(":"))
        return time(hours, minutes)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a time of day as HH:MM (24-hour)") from exc


class GuildSettingsStore:
    """The `guild_settings`, `ask_channels` and `guild_strikes` tables."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self._db = db

    async def get(self, guild_id: int) -> GuildSettings:
        """The guild's settings, or the defaults when it has none stored."""
        found = await self._load("WHERE guild_id = ?", (guild_id,))
        return found[0] if found else GuildSettings(guild_id)

    async def all(self) -> list[GuildSettings]:
        """Every guild with stored settings (e.g. for the announcement scheduler)."""
        return await self._load("", ())

    async def save(self, settings: GuildSettings, *, at: datetime | None = None) -> None:
        """Store the guild's settings, replacing all of its previous ones."""
        unique_strikes = list(dict.fromkeys(settings.strike_ids))
        async with transaction(self._db) as db:
            await db.execute(
                "INSERT INTO guild_settings (guild_id, announce_channel_id, post_time, timezone,"
                " moderator_role_id, announcements_enabled, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
                " announce_channel_id = excluded.announce_channel_id,"
                " post_time = excluded.post_time, timezone = excluded.timezone,"
                " moderator_role_id = excluded.moderator_role_id,"
                " announcements_enabled = excluded.announcements_enabled,"
                " updated_at = excluded.updated_at",
                (
                    settings.guild_id,
                    settings.announce_channel_id,
                    settings.post_time.strftime("%H:%M"),
                    settings.timezone,
                    settings.moderator_role_id,
                    int(settings.announcements_enabled),
                    to_db_time(at or utc_now()),
                ),
            )
            await db.execute("DELETE FROM ask_channels WHERE guild_id = ?", (settings.guild_id,))
            await db.executemany(
                "INSERT INTO ask_channels (guild_id, channel_id) VALUES (?, ?)",
                [(settings.guild_id, c) for c in sorted(settings.ask_channel_ids)],
            )
            await db.execute("DELETE FROM guild_strikes WHERE guild_id = ?", (settings.guild_id,))
            await db.executemany(
                "INSERT INTO guild_strikes (guild_id, position, strike_id) VALUES (?, ?, ?)",
                [(settings.guild_id, i, s) for i, s in enumerate(unique_strikes)],
            )

    async def forget(self, guild_id: int) -> None:
        """Drop a guild's settings (e.g. the bot was removed); it falls back to defaults."""
        async with transaction(self._db) as db:
            await db.execute("DELETE FROM guild_settings WHERE guild_id = ?", (guild_id,))

    async def _load(self, where: str, params: tuple[object, ...]) -> list[GuildSettings]:
        async with self._db.execute(
            "SELECT guild_id, announce_channel_id, post_time, timezone, moderator_role_id,"
            f" announcements_enabled FROM guild_settings {where} ORDER BY guild_id",
            params,
        ) as cursor:
            rows = await cursor.fetchall()
        result = []
        for row in rows:
            guild_id = row[0]
            async with self._db.execute(
                "SELECT channel_id FROM ask_channels WHERE guild_id = ?", (guild_id,)
            ) as cursor:
                channels = frozenset(r[0] for r in await cursor.fetchall())
            async with self._db.execute(
                "SELECT strike_id FROM guild_strikes WHERE guild_id = ? ORDER BY position",
                (guild_id,),
            ) as cursor:
                strikes = tuple(r[0] for r in await cursor.fetchall())
            result.append(
                GuildSettings(
                    guild_id=guild_id,
                    ask_channel_ids=channels,
                    announce_channel_id=row[1],
                    post_time=parse_post_time(row[2]),
                    timezone=row[3],
                    moderator_role_id=row[4],
                    announcements_enabled=bool(row[5]),
                    strike_ids=strikes,
                )
            )
        return result
