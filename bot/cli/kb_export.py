"""`strikebot kb export DIR`: the effective fact base (YAML + moderators' changes) as YAML.

Moderators change facts from Discord; this writes those changes back as a knowledge
directory that passes `kb check`, so they can be reviewed as a diff and committed.
Exporting into the knowledge directory itself is allowed and is the usual workflow.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from bot import cli
from bot.knowledge.export import ExportError, export_files, write_export
from bot.knowledge.issues import KnowledgeError
from bot.knowledge.loader import check_knowledge, load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.knowledge_editing import load_effective_knowledge
from bot.storage.database import open_database

# Where the bot keeps its database unless STRIKEBOT_DB says otherwise.
DEFAULT_DB_PATH = Path("data") / "strikebot.sqlite3"


async def _effective(base: KnowledgeBase, db_path: Path) -> KnowledgeBase:
    db = await open_database(db_path)
    try:
        return await load_effective_knowledge(db, base)
    finally:
        await db.close()


def _export(args: argparse.Namespace) -> int:
    try:
        base = load_knowledge(args.knowledge)
    except KnowledgeError as exc:
        print(f"kb export: the knowledge base has problems:\n{exc}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    db_path: Path = args.db
    if db_path.exists():
        knowledge = asyncio.run(_effective(base, db_path))
    else:
        print(f"kb export: no database at {db_path}; exporting the YAML base only")
        knowledge = base
    files = export_files(knowledge, args.knowledge)
    try:
        write_export(files, args.dir, source_dir=args.knowledge)
    except ExportError as exc:
        print(f"kb export: {exc}", file=sys.stderr)
        return cli.EXIT_USAGE
    result = check_knowledge(args.dir)
    for issue in result.issues:
        print(issue, file=sys.stderr)
    if result.issues:
        print(f"kb export: wrote {args.dir}, but it has {len(result.issues)} problem(s)")
        return cli.EXIT_PROBLEMS
    print(
        f"kb export: wrote {len(files)} files to {args.dir}: {len(knowledge.facts)} facts "
        f"({len(knowledge.facts) - len(base.facts)} added by moderators), "
        f"{len(knowledge.sources)} sources; kb check: ok"
    )
    return cli.EXIT_OK


def register_kb(kb_subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `kb export`."""
    export = kb_subparsers.add_parser(
        "export",
        parents=[common],
        help="write the effective fact base (YAML + moderators' changes) to a directory",
    )
    export.add_argument("dir", type=Path, metavar="DIR", help="new/empty dir, or --knowledge")
    export.add_argument(
        "--db",
        type=Path,
        default=Path(os.environ.get("STRIKEBOT_DB", str(DEFAULT_DB_PATH))),
        metavar="PATH",
        help=f"the bot's database (default: $STRIKEBOT_DB or ./{DEFAULT_DB_PATH})",
    )
    export.set_defaults(handler=_export)
