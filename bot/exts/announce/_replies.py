"""What `/announce` tells the person who ran it: plain text, mentions render but never ping."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final

from bot.announcements.content import long_date
from bot.announcements.schedule import AnnouncementSettings
from bot.announcements.scheduler import PostOutcome
from bot.storage.announcement_ledger import PostedRecord

# Failure reasons come from exceptions (Discord's error text); moderators need the gist.
MAX_REASON_CHARS: Final = 300

NOTHING_TODAY: Final = (
    "Nothing to announce today: no strike this server follows is running "
    "(not begun yet, or its final post already went out)."
)
NO_CHANNEL: Final = (
    "No announcement channel is set, so nothing was posted. "
    "A moderator can choose one with `/setup announcements channel:`."
)
PAUSED: Final = (
    "Daily announcements are paused for this server, so nothing was posted. "
    "Turn them on with `/setup announcements enabled:True`."
)


def message_link(guild_id: int, channel_id: int, message_id: int) -> str:
    """A jump link to a posted message."""
    return f"https://discord.com/channels/{guild_id}/{channel_id}/{message_id}"


def inactive_text(settings: AnnouncementSettings) -> str:
    """Why a guild gets no posts (call only when `settings.active` is False)."""
    return NO_CHANNEL if settings.channel_id is None else PAUSED


def posted_text(outcome: PostOutcome, channel_id: int, *, forced: bool) -> str:
    """The reply after `/announce now` posted."""
    assert outcome.message_id is not None
    link = message_link(outcome.guild_id, channel_id, outcome.message_id)
    what = "Posted today's announcement again" if forced else "Posted today's announcement"
    note = " (recorded in the audit log)" if forced else ""
    return f"{what} ({long_date(outcome.local_date)}) in <#{channel_id}>{note}: {link}"


def failed_text(outcome: PostOutcome) -> str:
    """The reply after `/announce now` could not post, with Discord's reason."""
    reason = (outcome.error or "unknown error")[:MAX_REASON_CHARS]
    return (
        f"Could not post today's announcement after {outcome.attempts} attempt(s): {reason}\n"
        "Check that I can view and send messages in the announcement channel; "
        "the daily schedule will also try again later today."
    )


def already_posted_text(record: PostedRecord) -> str:
    """The reply when today's post already went out."""
    link = message_link(record.guild_id, record.channel_id, record.message_id)
    return (
        f"Today's announcement ({long_date(record.local_date)}) was already posted: {link}\n"
        "Nothing was posted again. A moderator can re-post it with `/announce now force:True`."
    )


def claimed_text(channel_id: int) -> str:
    """The reply when today's post is claimed but not confirmed (in progress, or cut off)."""
    return (
        "Today's announcement is being posted, or the bot stopped while posting it. "
        f"If it is not in <#{channel_id}>, re-post it with `/announce now force:True`."
    )


def settings_text(
    settings: AnnouncementSettings,
    strikes_followed: Sequence[str],
    last_posted: PostedRecord | None,
    next_post: datetime | None,
    *,
    scheduler_running: bool,
) -> str:
    """`/announce settings`: where and when the daily post goes, and what it last did."""
    channel = (
        f"<#{settings.channel_id}>" if settings.channel_id else "none set (`/setup announcements`)"
    )
    status = "on" if settings.enabled else "paused"
    strikes = ", ".join(strikes_followed) or "none the fact base knows"
    if not settings.strike_ids:
        strikes = f"all in the fact base ({strikes})"
    if last_posted is not None:
        link = message_link(last_posted.guild_id, last_posted.channel_id, last_posted.message_id)
        last = f"{long_date(last_posted.local_date)}: {link}"
    else:
        last = "never"
    if next_post is not None:
        local = next_post.astimezone(settings.zone)
        stamp = int(next_post.timestamp())
        due = f"{long_date(local.date())} at {local:%H:%M %Z} (<t:{stamp}:R>)"
    elif not settings.active:
        due = "none: " + ("no channel set" if settings.channel_id is None else "paused")
    else:
        due = "none: every followed strike has ended and had its final post"
    scheduler = "running" if scheduler_running else "stopped (see the bot's log)"
    return "\n".join(
        [
            "**Daily announcement**",
            f"• Channel: {channel}",
            f"• Status: {status}",
            f"• Post time: {settings.post_time:%H:%M} {settings.timezone}",
            f"• Strikes followed: {strikes}",
            f"• Last posted: {last}",
            f"• Next post due: {due}",
            f"• Scheduler: {scheduler}",
        ]
    )
