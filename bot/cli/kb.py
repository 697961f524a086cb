"""`strikebot kb ...`: check, ingest and report on the knowledge base.

Further `kb` subcommands live in `kb_*.py` modules beside this one, discovered the same
way top-level commands are.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from pathlib import Path

from bot import cli
from bot.knowledge.ingest import clean_article
from bot.knowledge.loader import SOURCES_DIR, check_knowledge
from bot.knowledge.model import Source
from bot.knowledge.yaml_dump import dump_source


def _check(args: argparse.Namespace) -> int:
    result = check_knowledge(args.knowledge)
    for issue in result.issues:
        print(issue, file=sys.stderr)
    kb = result.knowledge
    if result.issues:
        print(f"kb check: {len(result.issues)} problem(s) in {args.knowledge}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    print(
        f"kb check: ok: {len(kb.strikes)} strikes, {len(kb.sources)} sources, "
        f"{len(kb.facts)} facts, {len(kb.synonyms)} synonym groups"
    )
    return cli.EXIT_OK


def _ingest(args: argparse.Namespace) -> int:
    raw_path: Path = args.raw
    try:
        raw = raw_path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"kb ingest: cannot read {raw_path}: {exc}", file=sys.stderr)
        return cli.EXIT_USAGE
    cleaned = clean_article(raw)
    if not cleaned.paragraphs:
        print(f"kb ingest: no article text left in {raw_path} after cleaning", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    source = Source(
        id=args.id,
        text=cleaned.text,
        outlet=args.outlet,
        headline=args.headline,
        description=args.description,
        authors=tuple(args.author or ())
        + tuple(f"{name} (contributed reporting)" for name in cleaned.contributors),
        published=args.published,
        published_inferred=args.inferred,
        published_note=args.published_note,
        url=args.url,
    )
    out: Path = args.out or args.knowledge / SOURCES_DIR / f"{args.id}.yaml"
    if out.exists() and not args.force:
        print(f"kb ingest: {out} exists; pass --force to replace it", file=sys.stderr)
        return cli.EXIT_USAGE
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dump_source(source), encoding="utf-8")
    print(
        f"kb ingest: wrote {out}: {len(cleaned.paragraphs)} paragraphs kept, "
        f"{len(cleaned.removed)} boilerplate pieces removed"
    )
    for piece in cleaned.removed:
        print(f"  removed: {piece[:100]}")
    return cli.EXIT_OK


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `kb` and its subcommands."""
    kb = subparsers.add_parser("kb", help="check, ingest and report on the knowledge base")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True, metavar="KB_COMMAND")

    check = kb_sub.add_parser("check", parents=[common], help="validate the knowledge base")
    check.set_defaults(handler=_check)

    ingest = kb_sub.add_parser(
        "ingest", parents=[common], help="clean a raw article into sources/ID.yaml"
    )
    ingest.add_argument("raw", type=Path, help="the article text as received")
    ingest.add_argument("--id", required=True, help="stable source id, e.g. thr-2023-08-04-…")
    ingest.add_argument("--outlet", help="publication name, only if the text states it")
    ingest.add_argument("--headline", help="headline, only if known")
    ingest.add_argument("--description", help="the article's standfirst, if it has one")
    ingest.add_argument("--author", action="append", help="an author (repeat for several)")
    ingest.add_argument("--published", type=cli.iso_date, help="publication date YYYY-MM-DD")
    ingest.add_argument("--inferred", action="store_true", help="the date is inferred")
    ingest.add_argument("--published-note", help="how an inferred date was worked out")
    ingest.add_argument("--url", help="the article's URL, only if known")
    ingest.add_argument("--out", type=Path, help="output file (default sources/ID.yaml)")
    ingest.add_argument("--force", action="store_true", help="replace an existing file")
    ingest.set_defaults(handler=_ingest)

    for module_info in sorted(pkgutil.iter_modules(cli.__path__), key=lambda m: m.name):
        if module_info.name.startswith("kb_"):
            module = importlib.import_module(f"{cli.__name__}.{module_info.name}")
            module.register_kb(kb_sub, common)
