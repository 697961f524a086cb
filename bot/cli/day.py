"""`strikebot day`: which day of the strike a date is."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime

from bot import cli
from bot.knowledge.issues import KnowledgeError
from bot.knowledge.loader import load_knowledge
from bot.strike_calendar import DateBeforeStrikeError, local_today, strike_day


def _day(args: argparse.Namespace) -> int:
    try:
        kb = load_knowledge(args.knowledge)
    except KnowledgeError as exc:
        print(f"day: cannot load knowledge: {exc}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    if args.strike is not None and args.strike not in kb.strikes:
        print(
            f"day: unknown strike {args.strike!r}; known: {', '.join(sorted(kb.strikes))}",
            file=sys.stderr,
        )
        return cli.EXIT_USAGE
    strikes = [kb.strikes[args.strike]] if args.strike else list(kb.strikes.values())
    results = []
    for strike in strikes:
        on: date = args.date or local_today(strike, datetime.now(UTC))
        try:
            results.append(strike_day(strike, on))
        except DateBeforeStrikeError as exc:
            if args.strike is not None or len(strikes) == 1:
                print(f"day: {exc}", file=sys.stderr)
                return cli.EXIT_USAGE
            continue  # with several strikes, one not begun yet is simply left out
    if not results:
        print(f"day: no strike had begun on {args.date}", file=sys.stderr)
        return cli.EXIT_USAGE
    for result in results:
        strike = kb.strikes[result.strike_id]
        if args.json:
            print(json.dumps(result.as_json()))
        elif result.ongoing:
            print(
                f"{result.date:%a %b} {result.date.day}, {result.date.year}: day {result.day} "
                f"of the {strike.union.short} strike against the {strike.against.short}"
            )
        else:
            assert strike.end is not None
            print(
                f"The {strike.union.short} strike ended on {strike.end:%b} {strike.end.day}, "
                f"{strike.end.year} after {result.length_days} days"
            )
    return cli.EXIT_OK


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `day`."""
    parser = subparsers.add_parser("day", parents=[common], help="the strike day of a date")
    parser.add_argument("--strike", help="strike id (default: every strike)")
    parser.add_argument("--date", type=cli.iso_date, help="YYYY-MM-DD (default: today, local)")
    parser.add_argument("--json", action="store_true", help="one JSON object per strike")
    parser.set_defaults(handler=_day)
