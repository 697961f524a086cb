"""When a guild's daily post is due: pure decisions from (settings, ledger, now).

No clock, no database, no I/O: the scheduler passes what it read and the time, so every
case (restart, downtime, daylight saving, a setting changed mid-day, a failed send) is
a plain function call in the tests.

Rules:
- A post for a guild's local date is due from its post time until the grace window
  ends (default: the rest of that local day; never into the next day, whose own post
  supersedes it). After that the day is skipped, not back-filled; the next post reports
  the gap.
- A (guild, strike, local date) the ledger holds as claimed or posted is never due again.
- A post time inside the hour skipped by a spring-forward change is due at the first
  valid local time after it (02:30 -> 03:00); inside the hour repeated by a fall-back
  change it is due at its first occurrence (fold=0), and the ledger makes it once.
- An ended strike is due once more for its final post, then never.
- After a post failed for good and its claim was released, it is due again
  `RETRY_AFTER_FAILURE` later (still within grace), so an outage is not hammered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.knowledge.model import Strike

DEFAULT_POST_TIME = time(9, 0)
DEFAULT_TIMEZONE = "America/Los_Angeles"
# Long enough for a Discord outage or a rate-limit storm to pass, short enough that a
# morning post lost to one still goes out in the morning.
RETRY_AFTER_FAILURE = timedelta(minutes=15)

GuildStrike = tuple[int, str]
PostKey = tuple[int, str, date]


@dataclass(frozen=True, slots=True)
class AnnouncementSettings:
    """One guild's announcement settings, as the scheduler needs them.

    `grace` None means the rest of the local day; `strike_ids` empty means every strike
    in the knowledge base. A guild without a channel, or disabled, gets no posts.
    """

    guild_id: int
    channel_id: int | None
    post_time: time = DEFAULT_POST_TIME
    timezone: str = DEFAULT_TIMEZONE
    grace: timedelta | None = None
    strike_ids: tuple[str, ...] = ()
    enabled: bool = True

    @property
    def zone(self) -> ZoneInfo:
        """The guild's time zone, which decides its local date and post instant."""
        return ZoneInfo(self.timezone)

    @property
    def active(self) -> bool:
        """Whether this guild wants posts at all."""
        return self.enabled and self.channel_id is not None


@dataclass(frozen=True)
class LedgerSnapshot:
    """What the ledger says, reduced to what the decisions need.

    `taken`: non-forced posts claimed or posted. `last_posted`: latest posted local date
    per (guild, strike). `finals_taken`: (guild, strike) whose final post is claimed or
    posted. `last_failure`: when a post's last claim was released after failing.
    """

    taken: frozenset[PostKey] = frozenset()
    last_posted: Mapping[GuildStrike, date] = field(default_factory=dict)
    finals_taken: frozenset[GuildStrike] = frozenset()
    last_failure: Mapping[PostKey, datetime] = field(default_factory=dict)

    def guild_last_posted(self, guild_id: int, strike_ids: Iterable[str]) -> date | None:
        """The latest date the guild posted about any of these strikes (for the gap line)."""
        dates = [d for s in strike_ids if (d := self.last_posted.get((guild_id, s))) is not None]
        return max(dates, default=None)


@dataclass(frozen=True, slots=True, order=True)
class DuePost:
    """One post to make now: this guild, this strike, this local date."""

    guild_id: int
    strike_id: str
    local_date: date
    channel_id: int
    final: bool = False


def _wall(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment.astimezone(UTC).astimezone(zone).replace(tzinfo=None)


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The aware instant of wall time `at` on `day` in `zone`, resolving DST.

    In a repeated hour the first occurrence (fold=0). In a skipped hour the first valid
    time after it, i.e. the transition itself: 02:30 on a spring-forward day -> 03:00.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = naive.replace(tzinfo=zone)
    if _wall(first, zone) == naive:
        return first
    # A wall time in a gap: fold=0 and fold=1 read it with the offsets before and after
    # the change; the transition lies between the two instants. Find it to the second.
    ends = sorted(m.astimezone(UTC) for m in (first, naive.replace(tzinfo=zone, fold=1)))
    low, high = ends
    while high - low > timedelta(seconds=1):
        middle = low + (high - low) / 2
        if _wall(middle, zone) >= naive:
            high = middle
        else:
            low = middle
    return high.replace(microsecond=0).astimezone(zone)


def post_instant(settings: AnnouncementSettings, local_date: date) -> datetime:
    """When the guild's post for `local_date` is due."""
    return local_instant(local_date, settings.post_time, settings.zone)


def grace_end(settings: AnnouncementSettings, local_date: date) -> datetime:
    """Until when a missing post for `local_date` is still made (exclusive)."""
    next_day = local_instant(local_date + timedelta(days=1), time(0, 0), settings.zone)
    if settings.grace is None:
        return next_day
    return min(post_instant(settings, local_date) + settings.grace, next_day)


def local_date_at(settings: AnnouncementSettings, now: datetime) -> date:
    """The guild's local date at the aware instant `now`."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(settings.zone).date()


def followed_strikes(settings: AnnouncementSettings, strikes: Mapping[str, Strike]) -> list[Strike]:
    """The strikes the guild follows that the knowledge base knows, in settings order."""
    ids = settings.strike_ids or tuple(strikes)
    return [strikes[sid] for sid in ids if sid in strikes]


def wanted_post(
    settings: AnnouncementSettings, strike: Strike, local_date: date, ledger: LedgerSnapshot
) -> DuePost | None:
    """The post this strike needs on `local_date` regardless of the hour, if any."""
    if not settings.active or local_date < strike.start:
        return None
    key = (settings.guild_id, strike.id)
    if (*key, local_date) in ledger.taken:
        return None
    final = strike.end is not None and local_date >= strike.end
    if final and key in ledger.finals_taken:
        return None
    assert settings.channel_id is not None
    return DuePost(settings.guild_id, strike.id, local_date, settings.channel_id, final)


def _cooling_until(post: DuePost, ledger: LedgerSnapshot) -> datetime | None:
    failed = ledger.last_failure.get((post.guild_id, post.strike_id, post.local_date))
    return failed + RETRY_AFTER_FAILURE if failed is not None else None


def guild_due_posts(
    settings: AnnouncementSettings,
    ledger: LedgerSnapshot,
    strikes: Mapping[str, Strike],
    now: datetime,
) -> list[DuePost]:
    """The posts one guild should make at `now` (its local today only; no back-fill)."""
    today = local_date_at(settings, now)
    if not post_instant(settings, today) <= now < grace_end(settings, today):
        return []
    due = []
    for strike in followed_strikes(settings, strikes):
        post = wanted_post(settings, strike, today, ledger)
        if post is None:
            continue
        cooling = _cooling_until(post, ledger)
        if cooling is None or now >= cooling:
            due.append(post)
    return due


def due_posts(
    settings: Iterable[AnnouncementSettings],
    ledger: LedgerSnapshot,
    strikes: Mapping[str, Strike],
    now: datetime,
) -> list[DuePost]:
    """Every post due at `now` across all guilds, grouped by guild in settings order."""
    return [post for s in settings for post in guild_due_posts(s, ledger, strikes, now)]


def _strike_next_due(
    settings: AnnouncementSettings, strike: Strike, ledger: LedgerSnapshot, now: datetime
) -> datetime | None:
    today = local_date_at(settings, now)
    day = max(today, strike.start)
    if day == today:
        post = wanted_post(settings, strike, today, ledger)
        end = grace_end(settings, today)
        if post is not None and now < end:
            start = max(post_instant(settings, today), now)
            cooling = _cooling_until(post, ledger)
            if cooling is not None:
                start = max(start, cooling)
            if start < end:
                return start
        day = today + timedelta(days=1)
    if wanted_post(settings, strike, day, ledger) is None:
        return None
    return post_instant(settings, day)


def next_due(
    settings: Iterable[AnnouncementSettings],
    ledger: LedgerSnapshot,
    strikes: Mapping[str, Strike],
    now: datetime,
) -> datetime | None:
    """The next instant anything is due across all guilds (`now` if due already).

    None when nothing will ever be due with these settings and this ledger (no guild
    configured, or every followed strike has had its final post).
    """
    candidates = [
        instant
        for s in settings
        if s.active
        for strike in followed_strikes(s, strikes)
        if (instant := _strike_next_due(s, strike, ledger, now)) is not None
    ]
    return min(candidates, default=None)
