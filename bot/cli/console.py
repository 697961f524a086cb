"""`strikebot console`: try the bot without Discord, at a terminal or from a script.

The session runs on the same `Runtime` as the Discord bot (knowledge service with the
stored revisions on top of the YAML, SQLite database, editor), so answers and moderator
changes behave exactly as they do in Discord, and changes land in the database file.
Commands are read from stdin one line at a time; when stdin is not a terminal nothing
but results is printed, so a script's output is clean. End of input exits with 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot import cli
from bot.config import ConfigError, Settings, load_settings
from bot.console.session import ConsoleSession
from bot.knowledge.issues import KnowledgeError
from bot.runtime import Runtime
from bot.storage.actor import CONSOLE_ACTOR, Actor

PROG = "console"
PROMPT = "strikebot> "
BLOCK_PROMPT = "... "


def _fail(message: str, status: int) -> int:
    print(f"{PROG}: {message}", file=sys.stderr)
    return status


def _read_line(stdin: TextIO, prompt: str | None) -> str | None:
    """The next line without its newline (leading spaces kept: they continue a value), or
    None at end of input. With a prompt, `input()` gives line editing at a terminal.

    Reading blocks the event loop on purpose: nothing else runs between commands, and a
    read in a worker thread could not be interrupted by Ctrl-C.
    """
    if prompt is not None:
        try:
            return input(prompt)
        except EOFError:
            print()
            return None
    line = stdin.readline()
    return None if line == "" else line.rstrip("\r\n")


async def _session(settings: Settings, actor: Actor, interactive: bool) -> int:
    try:
        runtime = await Runtime.open(settings)
    except KnowledgeError as error:
        lines = [f"cannot load knowledge from {settings.knowledge_dir}:"]
        lines.extend(f"  {issue}" for issue in error.issues)
        return _fail("\n".join(lines), cli.EXIT_PROBLEMS)
    except (OSError, sqlite3.Error) as error:
        return _fail(f"cannot open the database {settings.db_path}: {error}", cli.EXIT_PROBLEMS)
    try:
        session = ConsoleSession(runtime, actor, interactive=interactive)
        if interactive:
            facts = len(runtime.knowledge.snapshot.knowledge.facts)
            print(
                f"StrikeBot console: {facts} facts from {settings.knowledge_dir}, changes "
                f"stored in {settings.db_path} as {actor}. Type help; quit or Ctrl-D to leave."
            )
        printed = False
        while not session.finished:
            prompt = (BLOCK_PROMPT if session.in_block else PROMPT) if interactive else None
            try:
                line = _read_line(sys.stdin, prompt)
            except KeyboardInterrupt:
                print()
                print(session.cancel_block() or "(type quit or press Ctrl-D to leave)")
                continue
            output = await (session.end_of_input() if line is None else session.handle(line))
            if output:
                # A blank line between results keeps a scripted transcript readable.
                print(("\n" if printed and not interactive else "") + output, flush=True)
                printed = True
    finally:
        await runtime.close()
    return cli.EXIT_OK


def _console(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(os.environ, require_token=False)
    except ConfigError as error:
        return _fail(str(error), cli.EXIT_USAGE)
    settings = replace(settings, knowledge_dir=args.knowledge, db_path=args.db or settings.db_path)
    actor = Actor(None, args.actor) if args.actor else CONSOLE_ACTOR
    interactive = sys.stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401  (gives input() history and line editing)
    return asyncio.run(_session(settings, actor, interactive))


def _name(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("give a name, e.g. --as alice")
    return value.strip()


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `console`."""
    parser = subparsers.add_parser(
        PROG,
        parents=[common],
        help="ask questions and make moderator changes locally, without Discord",
        description="Reads commands from stdin (type help). Scripted when stdin is not a "
        "terminal: no prompts, only results.",
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help="SQLite file for changes (default: $STRIKEBOT_DB or <data dir>/strikebot.sqlite3)",
    )
    parser.add_argument(
        "--as",
        dest="actor",
        type=_name,
        metavar="NAME",
        help="who changes are recorded as in history (default: console)",
    )
    parser.set_defaults(handler=_console)
