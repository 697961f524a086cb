"""The `strikebot` command line. Each subcommand lives in its own module here.

Modules in this package that define `register(subparsers, common)` are discovered, so a
new command is a new file and never an edit to a central list. `common` is the parent
parser every command shares (`--knowledge`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

Handler = Callable[[argparse.Namespace], int]

# Exit statuses, as documented in the README.
EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2


def iso_date(value: str) -> date:
    """argparse type for YYYY-MM-DD options, with a message that says the format."""
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def common_parser() -> argparse.ArgumentParser:
    """Options every subcommand takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--knowledge",
        type=Path,
        default=Path(os.environ.get("STRIKEBOT_KNOWLEDGE", "knowledge")),
        metavar="DIR",
        help="knowledge directory (default: ./knowledge or $STRIKEBOT_KNOWLEDGE)",
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every discovered subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="strikebot", description="Sourced answers and daily updates for a strike."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_parser()
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `strikebot` and `python -m bot`; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except BrokenPipeError:
        # `strikebot ask --json - | head` closes the pipe early; that is not an error.
        sys.stderr.close()
        return EXIT_OK
