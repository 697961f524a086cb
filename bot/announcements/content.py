"""What the daily post says: day numbers, milestones, the gap, what's new, or the end.

Pure: the same knowledge base, strikes, date and changes always give the same post. The
plain text always fits one Discord message; when there is more to say than that, an
embed-shaped value carries the fuller version, within every embed limit. Lists that do
not fit are cut honestly ("…and 12 more"), never overflowed or silently dropped.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.announcements.layout import (
    MAX_MESSAGE_CHARS,
    AnnouncementEmbed,
    build_embed,
    clip,
    fit_lines,
)
from bot.announcements.templates import AnnouncementTemplates
from bot.knowledge.model import KnowledgeBase, Strike
from bot.strike_calendar import strike_day

# A change is one line of the post; a summary longer than this is cut with an ellipsis
# so one verbose fact cannot crowd out the others.
MAX_SUMMARY_CHARS = 200
# Source labels are outlet names or ids; longer ones are cut the same way.
MAX_SOURCE_CHARS = 80
# Gaps are reported when more than one local day passed since the previous post.
NORMAL_GAP_DAYS = 1

CHANGE_ACTIONS = ("added", "changed", "retired")


@dataclass(frozen=True, slots=True)
class FactChange:
    """One fact added or changed since a guild's previous post, as the post shows it.

    Defined here rather than borrowed from storage so the renderer does not depend on
    how revisions are stored; the caller adapts (see `changes.py` for facts from YAML).
    `strikes` empty means the change concerns every strike.
    """

    fact_id: str
    action: str
    at: datetime
    summary: str
    source: str
    strikes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StrikeInPost:
    """A strike the post reports: its day number, and whether this is its final post."""

    strike_id: str
    day: int
    final: bool

    def as_json(self) -> dict[str, object]:
        """The `strikes` entries of `strikebot announce --json`."""
        return {"strike_id": self.strike_id, "day": self.day}


@dataclass(frozen=True)
class Announcement:
    """A rendered post. `text` always fits one message; `embed` is set when it is long.

    Send the embed when present (its content is the fuller version), else the text.
    `strikes` is empty when no strike has anything to say that day: post nothing.
    """

    local_date: date
    text: str
    strikes: tuple[StrikeInPost, ...]
    changes_total: int
    changes_shown: int
    embed: AnnouncementEmbed | None = None
    final_strike_ids: tuple[str, ...] = field(default=())

    @property
    def is_empty(self) -> bool:
        """True when there is nothing to post (no strike begun, or all ended and said so)."""
        return not self.strikes

    def as_json(self) -> dict[str, object]:
        """The `strikebot announce --json` contract: date, text, strikes."""
        return {
            "date": self.local_date.isoformat(),
            "text": self.text,
            "strikes": [s.as_json() for s in self.strikes],
        }


def long_date(day: date) -> str:
    """'Friday, August 4, 2023': locale-free, no zero padding."""
    return f"{day:%A}, {day:%B} {day.day}, {day.year}"


def medium_date(day: date) -> str:
    """'August 4, 2023', for end dates and gaps."""
    return f"{day:%B} {day.day}, {day.year}"


def one_line(text: str, limit: int) -> str:
    """Whitespace (newlines included) collapsed to single spaces, cut at `limit`."""
    return clip(" ".join(text.split()), limit)


def _strike_values(strike: Strike) -> dict[str, object]:
    return {
        "union": strike.union.short,
        "against": strike.against.short,
        "union_name": strike.union.name,
        "against_name": strike.against.name,
        "strike_id": strike.id,
    }


def strikes_in_post(
    strikes: Sequence[Strike], local_date: date, finals_posted: Collection[str] = ()
) -> tuple[StrikeInPost, ...]:
    """Which strikes a post on `local_date` reports: begun ones, ended ones until said so."""
    result = []
    for strike in strikes:
        if local_date < strike.start:
            continue  # not begun: there is no day 0
        state = strike_day(strike, local_date)
        if not state.ongoing:
            if strike.id in finals_posted:
                continue  # the final post went out; nothing more for this strike
            result.append(StrikeInPost(strike.id, state.day, final=True))
        else:
            result.append(StrikeInPost(strike.id, state.day, final=False))
    return tuple(result)


def _headline_lines(
    kb: KnowledgeBase, templates: AnnouncementTemplates, reported: Sequence[StrikeInPost]
) -> list[str]:
    lines = []
    for item in reported:
        strike = kb.strikes[item.strike_id]
        values = _strike_values(strike)
        if item.final:
            assert strike.end is not None
            end_date = medium_date(strike.end)
            lines.append(templates.render("final_post", end_date=end_date, days=item.day, **values))
        else:
            lines.append(templates.render("day_line", day=item.day, **values))
    return lines


def _milestone_lines(
    kb: KnowledgeBase, templates: AnnouncementTemplates, reported: Sequence[StrikeInPost]
) -> list[str]:
    lines = []
    for item in reported:
        if item.final:
            continue
        strike = kb.strikes[item.strike_id]
        for milestone in strike.milestones:
            if milestone.day == item.day:
                text = one_line(milestone.text, MAX_SUMMARY_CHARS * 2)
                lines.append(
                    templates.render(
                        "milestone_line", text=text, day=item.day, union=strike.union.short
                    )
                )
    return lines


def _change_lines(
    templates: AnnouncementTemplates, changes: Sequence[FactChange], strike_ids: set[str]
) -> list[str]:
    relevant = [c for c in changes if not c.strikes or strike_ids.intersection(c.strikes)]
    relevant.sort(key=lambda c: (c.at, c.fact_id))
    return [
        templates.render(
            "change_line",
            summary=one_line(c.summary, MAX_SUMMARY_CHARS),
            source=one_line(c.source, MAX_SOURCE_CHARS),
            action=c.action,
            fact_id=c.fact_id,
        )
        for c in relevant
    ]


def render_announcement(
    kb: KnowledgeBase,
    strikes_followed: Sequence[str],
    local_date: date,
    changes: Sequence[FactChange],
    previous_post_date: date | None,
    *,
    finals_posted: Collection[str] = (),
) -> Announcement:
    """The post for `local_date` in a guild following `strikes_followed` (ids, in order).

    Strikes not begun on that date are left out; an ended strike gets its final post
    unless its id is in `finals_posted` (the ledger's record that it already went out).
    `previous_post_date` is the guild's last post: a gap of more than a day is reported,
    and the what's-new header names it. Raises TemplateError if the templates are bad
    and KeyError for an unknown strike id.
    """
    templates = AnnouncementTemplates.from_knowledge(kb)
    strikes = [kb.strikes[sid] for sid in strikes_followed]
    reported = strikes_in_post(strikes, local_date, finals_posted)
    if not reported:
        return Announcement(local_date, "", (), len(changes), 0)

    date_line = templates.render(
        "date_line", date=long_date(local_date), iso_date=local_date.isoformat()
    )
    day_lines = _headline_lines(kb, templates, reported)
    extra_lines = _milestone_lines(kb, templates, reported)
    if previous_post_date is not None:
        gap = (local_date - previous_post_date).days
        if gap > NORMAL_GAP_DAYS:
            extra_lines.append(
                templates.render("gap_line", days=gap, last_date=medium_date(previous_post_date))
            )
    since = medium_date(previous_post_date) if previous_post_date else ""
    header = templates.render("whats_new_header", since=since)
    change_lines = _change_lines(templates, changes, {s.strike_id for s in reported})
    change_lines_or_none = change_lines or [templates.render("no_updates")]

    def more(count: int) -> str:
        return templates.render("more_changes", count=count)

    head = "\n".join([*day_lines, date_line, *extra_lines]) + "\n\n" + header
    fitted = fit_lines(head, change_lines_or_none, MAX_MESSAGE_CHARS, more)
    shown = fitted.shown if change_lines else 0
    embed = None
    full_length = len(head) + sum(len(line) + 1 for line in change_lines_or_none)
    if full_length > MAX_MESSAGE_CHARS:
        description = "\n".join([*day_lines, *extra_lines])
        embed = build_embed(date_line, description, header, change_lines_or_none, more)
        shown = embed.lines_shown if change_lines else 0
    return Announcement(
        local_date=local_date,
        text=fitted.text,
        strikes=reported,
        changes_total=len(change_lines),
        changes_shown=shown,
        embed=embed,
        final_strike_ids=tuple(s.strike_id for s in reported if s.final),
    )
