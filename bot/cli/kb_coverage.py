"""`strikebot kb coverage`: list the article sentences no fact cites.

A gap in the fact base is a statement in an article that no question can reach. This
report makes gaps visible sentence by sentence (with the paragraph to look in) and
fails, like a test, while any remain, so CI keeps the committed base complete.
"""

from __future__ import annotations

import argparse
import json
import sys

from bot import cli
from bot.knowledge.coverage import MIN_OVERLAP_CHARS, CoverageReport, coverage_report
from bot.knowledge.loader import check_knowledge


def _print_text(report: CoverageReport) -> None:
    """Uncited sentences grouped by source, then one summary line."""
    for source in report.sources:
        print(
            f"{source.source_id}: {source.cited_count}/{len(source.sentences)} sentences "
            f"cited by {source.fact_count} facts"
        )
        for item in source.uncited:
            print(f"  uncited (paragraph {item.sentence.paragraph}): {item.sentence.text}")
    status = "ok" if report.complete else f"{report.uncited_count} uncited"
    print(
        f"kb coverage: {status}: {report.sentence_count - report.uncited_count}/"
        f"{report.sentence_count} sentences cited in {len(report.sources)} sources "
        f"(a quote must overlap a sentence by {MIN_OVERLAP_CHARS} characters, "
        "or all of a shorter one)"
    )


def _coverage(args: argparse.Namespace) -> int:
    result = check_knowledge(args.knowledge)
    # Coverage of what could be read is still worth showing, but a base with problems
    # (a quote not verbatim is simply not counted) must not pass.
    for issue in result.issues:
        print(issue, file=sys.stderr)
    if result.issues:
        print(
            f"kb coverage: {len(result.issues)} problem(s) in {args.knowledge}; "
            "see `strikebot kb check`",
            file=sys.stderr,
        )
    report = coverage_report(result.knowledge)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        _print_text(report)
    return cli.EXIT_OK if report.complete and not result.issues else cli.EXIT_PROBLEMS


def register_kb(kb_subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `kb coverage`."""
    coverage = kb_subparsers.add_parser(
        "coverage",
        parents=[common],
        help="list article sentences that no fact cites (exit 1 while any remain)",
    )
    coverage.add_argument("--json", action="store_true", help="print the report as JSON")
    coverage.set_defaults(handler=_coverage)
