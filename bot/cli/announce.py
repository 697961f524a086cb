"""`strikebot announce`: the daily post for a date, rendered without Discord or a database.

What's new offline: active facts whose `as_of` lies in (since, date], where `since`
defaults to the day before `date` (so: facts dated that day). `--since` widens the
window and is taken as the previous post's date, so the gap line shows as it would.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import cli
from bot.announcements.changes import changes_by_as_of
from bot.announcements.content import render_announcement
from bot.announcements.schedule import DEFAULT_TIMEZONE
from bot.announcements.templates import TemplateError
from bot.knowledge.issues import KnowledgeError
from bot.knowledge.loader import load_knowledge

PROG = "announce"


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


def _announce(args: argparse.Namespace) -> int:
    try:
        kb = load_knowledge(args.knowledge)
    except KnowledgeError as exc:
        return _fail(f"cannot load knowledge: {exc}", cli.EXIT_PROBLEMS)
    if args.strike is not None and args.strike not in kb.strikes:
        known = ", ".join(sorted(kb.strikes))
        return _fail(f"unknown strike {args.strike!r}; known: {known}", cli.EXIT_USAGE)
    on: date = args.date or datetime.now(UTC).astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
    since: date = args.since or on - timedelta(days=1)
    if since >= on:
        return _fail("--since must be before --date", cli.EXIT_USAGE)
    strike_ids = [args.strike] if args.strike else list(kb.strikes)
    changes = changes_by_as_of(kb, since, on)
    previous = args.since  # only a chosen --since stands for a previous post
    try:
        announcement = render_announcement(kb, strike_ids, on, changes, previous)
    except TemplateError as exc:
        return _fail(str(exc), cli.EXIT_PROBLEMS)
    if announcement.is_empty:
        return _fail(f"no strike to announce on {on.isoformat()}", cli.EXIT_USAGE)
    if args.json:
        print(json.dumps(announcement.as_json(), ensure_ascii=False))
    else:
        print(announcement.text)
    return cli.EXIT_OK


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `announce`."""
    parser = subparsers.add_parser(
        PROG, parents=[common], help="render the daily announcement for a date (no Discord)"
    )
    parser.add_argument(
        "--date", type=cli.iso_date, help=f"YYYY-MM-DD (default: today in {DEFAULT_TIMEZONE})"
    )
    parser.add_argument("--strike", help="strike id (default: every strike)")
    parser.add_argument(
        "--since",
        type=cli.iso_date,
        help="date of the previous post: facts dated after it are new (default: the day before)",
    )
    parser.add_argument("--json", action="store_true", help="JSON: date, text, strikes")
    parser.set_defaults(handler=_announce)
