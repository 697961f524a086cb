"""The one loop that makes every guild's daily post: sleep until due, claim, send, record.

One asyncio task for all guilds (RoboDanny's timer dispatcher, not a poll): it asks the
pure schedule when the next post is due and sleeps until then; `replan()` wakes it early
when settings change. On start it checks at once, so a post missed while the bot was
down goes out (within grace). Every post is claimed in the ledger before sending and
recorded after, so a restart, a second process or `/announce now` cannot double it.
The clock, the sleep, the send and the data sources are injected: no discord import,
and the tests run days of schedule in milliseconds.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.announcements.content import Announcement, FactChange, render_announcement
from bot.announcements.schedule import (
    AnnouncementSettings,
    DuePost,
    LedgerSnapshot,
    due_posts,
    followed_strikes,
    local_date_at,
    next_due,
    wanted_post,
)
from bot.knowledge.model import KnowledgeBase
from bot.storage.announcement_ledger import AnnouncementLedger, Claim
from bot.storage.timestamps import utc_now

log = logging.getLogger(__name__)

# A send is tried this many times, waiting 5, 10, 20, 40 s between tries (75 s in all):
# long enough to ride out a Discord hiccup or a reconnect, short enough that the post
# is still "this morning" if it then works. After that the claim is released and the
# schedule tries again RETRY_AFTER_FAILURE later.
SEND_ATTEMPTS = 5
FIRST_RETRY_DELAY_SECONDS = 5.0
RETRY_BACKOFF_FACTOR = 2.0
# Never sleep longer than this in one go, so a wall-clock jump (suspend, NTP step) is
# noticed within the hour; still one wake an hour, not polling.
MAX_SLEEP_SECONDS = 3600.0
# If something is due but was not taken (e.g. the database refused), wait this long
# before looking again instead of spinning.
MIN_RECHECK_SECONDS = 1.0
# After an unexpected error in a check, wait this long before the next one.
ERROR_RECHECK_SECONDS = 60.0
# A guild's first post reports changes from this far back.
FIRST_POST_LOOKBACK = timedelta(days=1)
# The ledger rows the schedule needs: local dates from two days back (covers every zone).
LEDGER_LOOKBACK = timedelta(days=2)
# Guilds posted to at once; discord.py queues beyond Discord's rate limits anyway.
MAX_CONCURRENT_GUILD_POSTS = 10

SendFunction = Callable[[int, int, Announcement], Awaitable[int]]
SettingsFunction = Callable[[], Awaitable[Sequence[AnnouncementSettings]]]
ChangesFunction = Callable[[datetime, datetime], Awaitable[Sequence[FactChange]]]
KnowledgeFunction = Callable[[], KnowledgeBase]
Clock = Callable[[], datetime]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PostOutcome:
    """What happened to one guild's post: 'posted', 'failed', 'already_posted', 'nothing'."""

    guild_id: int
    local_date: date
    status: str
    strike_ids: tuple[str, ...] = ()
    message_id: int | None = None
    attempts: int = 0
    error: str | None = None


class AnnouncementScheduler:
    """Makes every guild's daily post exactly once; see the module docstring."""

    def __init__(
        self,
        *,
        ledger: AnnouncementLedger,
        settings: SettingsFunction,
        knowledge: KnowledgeFunction,
        changes: ChangesFunction,
        send: SendFunction,
        clock: Clock = utc_now,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._ledger = ledger
        self._settings = settings
        self._knowledge = knowledge
        self._changes = changes
        self._send = send
        self._clock = clock
        self._sleep = sleep
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._posting = asyncio.Semaphore(MAX_CONCURRENT_GUILD_POSTS)

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start the loop (once); it checks for due posts immediately."""
        if self._task is not None and not self._task.done():
            raise RuntimeError("the announcement scheduler is already running")
        self._task = asyncio.create_task(self._run(), name="announcement-scheduler")
        self._task.add_done_callback(self._log_end)

    async def stop(self) -> None:
        """Cancel the loop and wait for it; posts not yet sent release their claims."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    @property
    def running(self) -> bool:
        """Whether the loop task is alive (for health checks)."""
        return self._task is not None and not self._task.done()

    def replan(self) -> None:
        """Wake the loop to recompute what is due: call after any settings change."""
        self._wake.set()

    @staticmethod
    def _log_end(task: asyncio.Task[None]) -> None:
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("announcement scheduler stopped by an error", exc_info=exc)

    async def _run(self) -> None:
        for claim in await self._ledger.unconfirmed_claims():
            log.warning(
                "announcement for guild %s, strike %s, %s was claimed but never confirmed"
                " (the bot stopped mid-post); not re-posting automatically,"
                " use /announce now force if it is missing",
                claim.guild_id,
                claim.strike_id,
                claim.local_date,
            )
        while True:
            self._wake.clear()
            try:
                await self.run_due()
                delay = await self._seconds_to_next_due()
            except Exception:
                log.exception("announcement check failed; next check in %ss", ERROR_RECHECK_SECONDS)
                delay = ERROR_RECHECK_SECONDS
            await self._sleep_or_wake(delay)

    async def _seconds_to_next_due(self) -> float:
        now = self._clock()
        settings = await self._settings()
        snapshot = await self._ledger.snapshot(since=(now - LEDGER_LOOKBACK).date())
        wake_at = next_due(settings, snapshot, self._knowledge().strikes, now)
        if wake_at is None:
            return MAX_SLEEP_SECONDS
        delay = (wake_at - now).total_seconds()
        if delay <= 0:
            return MIN_RECHECK_SECONDS
        return min(delay, MAX_SLEEP_SECONDS)

    async def _sleep_or_wake(self, seconds: float) -> None:
        sleeper = asyncio.ensure_future(self._sleep(seconds))
        waker = asyncio.ensure_future(self._wake.wait())
        try:
            await asyncio.wait({sleeper, waker}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waker):
                task.cancel()

    # -- one check -----------------------------------------------------------------------

    async def run_due(self) -> list[PostOutcome]:
        """Make every post due now (claim, send with retries, record); one per guild."""
        now = self._clock()
        settings = await self._settings()
        kb = self._knowledge()
        snapshot = await self._ledger.snapshot(since=(now - LEDGER_LOOKBACK).date())
        due = due_posts(settings, snapshot, kb.strikes, now)
        by_guild = {s.guild_id: s for s in settings}
        groups: dict[int, list[DuePost]] = {}
        for post in due:
            groups.setdefault(post.guild_id, []).append(post)
        return list(
            await asyncio.gather(
                *(
                    self._post_limited(by_guild[guild_id], posts, kb, snapshot)
                    for guild_id, posts in groups.items()
                )
            )
        )

    async def _post_limited(
        self,
        settings: AnnouncementSettings,
        posts: Sequence[DuePost],
        kb: KnowledgeBase,
        snapshot: LedgerSnapshot,
    ) -> PostOutcome:
        async with self._posting:
            return await self._post(settings, posts, kb, snapshot)

    # -- commands --------------------------------------------------------------------------

    async def announce_now(
        self, settings: AnnouncementSettings, *, forced_by: int | None = None
    ) -> PostOutcome:
        """`/announce now`: today's post if not yet made, whatever the hour.

        With `forced_by` (a moderator's user id) it re-posts even if today's post exists;
        the ledger marks the row forced, and the caller writes the audit log entry.
        """
        now = self._clock()
        kb = self._knowledge()
        snapshot = await self._ledger.snapshot(since=(now - LEDGER_LOOKBACK).date())
        today = local_date_at(settings, now)
        if forced_by is not None:
            snapshot = _forgetting_today(snapshot, settings.guild_id, today)
        posts = [
            post
            for strike in followed_strikes(settings, kb.strikes)
            if (post := wanted_post(settings, strike, today, snapshot)) is not None
        ]
        if not posts:
            return PostOutcome(settings.guild_id, today, "already_posted")
        outcome = await self._post(settings, posts, kb, snapshot, forced_by=forced_by)
        self.replan()
        return outcome

    async def preview(self, settings: AnnouncementSettings) -> Announcement:
        """`/announce preview`: today's post as it would go out now, claiming nothing."""
        now = self._clock()
        kb = self._knowledge()
        snapshot = await self._ledger.snapshot(since=(now - LEDGER_LOOKBACK).date())
        today = local_date_at(settings, now)
        strikes = [s.id for s in followed_strikes(settings, kb.strikes)]
        previous = snapshot.guild_last_posted(settings.guild_id, strikes)
        changes = await self._changes_for(settings.guild_id, now)
        finals = {sid for (gid, sid) in snapshot.finals_taken if gid == settings.guild_id}
        return render_announcement(kb, strikes, today, changes, previous, finals_posted=finals)

    # -- one guild's post ------------------------------------------------------------------

    async def _changes_for(self, guild_id: int, now: datetime) -> Sequence[FactChange]:
        since = await self._ledger.last_posted_at(guild_id) or now - FIRST_POST_LOOKBACK
        return await self._changes(since, now)

    async def _claim_all(
        self, posts: Sequence[DuePost], forced_by: int | None
    ) -> list[tuple[DuePost, Claim]]:
        owned = []
        for post in posts:
            claim = await self._ledger.claim(
                post.guild_id,
                post.strike_id,
                post.local_date,
                channel_id=post.channel_id,
                final=post.final,
                forced_by=forced_by,
            )
            if claim is not None:
                owned.append((post, claim))
        return owned

    async def _release_all(self, claims: Sequence[Claim], reason: str) -> None:
        for claim in claims:
            try:
                await self._ledger.release(claim, reason)
            except Exception:
                log.exception("could not release announcement claim %s", claim.id)

    async def _post(
        self,
        settings: AnnouncementSettings,
        posts: Sequence[DuePost],
        kb: KnowledgeBase,
        snapshot: LedgerSnapshot,
        *,
        forced_by: int | None = None,
    ) -> PostOutcome:
        """Claim, render, send with back-off, record: one message for the guild's strikes."""
        guild_id, day = settings.guild_id, posts[0].local_date
        owned = await self._claim_all(posts, forced_by)
        if not owned:
            return PostOutcome(guild_id, day, "already_posted")
        claims = [claim for _, claim in owned]
        strike_ids = tuple(post.strike_id for post, _ in owned)
        try:
            now = self._clock()
            previous = snapshot.guild_last_posted(guild_id, strike_ids)
            changes = await self._changes_for(guild_id, now)
            announcement = render_announcement(kb, strike_ids, day, changes, previous)
            if announcement.is_empty:
                raise ValueError("nothing to announce for these strikes on this date")
        except Exception as exc:
            log.exception("could not prepare the announcement for guild %s on %s", guild_id, day)
            await self._release_all(claims, f"not rendered: {exc}")
            return PostOutcome(guild_id, day, "failed", strike_ids, error=str(exc))
        channel_id = owned[0][0].channel_id
        return await self._send_with_retries(guild_id, channel_id, day, announcement, claims)

    async def _send_with_retries(
        self,
        guild_id: int,
        channel_id: int,
        day: date,
        announcement: Announcement,
        claims: Sequence[Claim],
    ) -> PostOutcome:
        strike_ids = tuple(c.strike_id for c in claims)
        delay = FIRST_RETRY_DELAY_SECONDS
        error = ""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                message_id = await self._send(guild_id, channel_id, announcement)
            except Exception as exc:
                error = f"{type(exc).__name__}: {exc}"
                log.warning(
                    "announcement send to guild %s failed (attempt %s of %s): %s",
                    guild_id,
                    attempt,
                    SEND_ATTEMPTS,
                    error,
                )
                for claim in claims:
                    await self._ledger.record_failed_attempt(claim, error)
                if attempt < SEND_ATTEMPTS:
                    try:
                        await self._sleep(delay)
                    except asyncio.CancelledError:
                        await self._release_all(claims, "stopped while waiting to retry")
                        raise
                    delay *= RETRY_BACKOFF_FACTOR
                continue
            for claim in claims:
                await self._ledger.mark_posted(claim, message_id)
            log.info("announced %s for guild %s as message %s", day, guild_id, message_id)
            return PostOutcome(guild_id, day, "posted", strike_ids, message_id, attempt)
        log.error(
            "announcement for guild %s on %s failed after %s attempts (%s);"
            " claim released so a later attempt can post",
            guild_id,
            day,
            SEND_ATTEMPTS,
            error,
        )
        await self._release_all(claims, f"gave up after {SEND_ATTEMPTS} attempts: {error}")
        return PostOutcome(guild_id, day, "failed", strike_ids, None, SEND_ATTEMPTS, error)


def _forgetting_today(snapshot: LedgerSnapshot, guild_id: int, today: date) -> LedgerSnapshot:
    """The snapshot without the guild's claims for today, so a forced re-post is wanted.

    A final post made on an earlier day stays remembered: forcing re-posts today's post,
    it does not resurrect an ended strike.
    """
    today_keys = {k for k in snapshot.taken if k[0] == guild_id and k[2] == today}
    finals_today = {(g, s) for (g, s, _d) in today_keys}
    return LedgerSnapshot(
        taken=snapshot.taken - today_keys,
        last_posted=snapshot.last_posted,
        finals_taken=snapshot.finals_taken - finals_today,
        last_failure=snapshot.last_failure,
    )
