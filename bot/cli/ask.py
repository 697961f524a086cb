"""`strikebot ask`: answer a question from the fact base, as text or as JSON.

`ask "QUESTION"` prints the answer as a person reads it; `ask --json "QUESTION"` prints
one JSON object; `ask --json -` reads one question per line from stdin and writes one
JSON object per line, flushed after each, with the knowledge loaded once (so another
program can drive it line by line).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from bot import cli
from bot.answers.engine import AnswerEngine
from bot.answers.render_text import render_answer
from bot.knowledge.issues import KnowledgeError
from bot.knowledge.loader import load_knowledge

STDIN_MARKER = "-"


def _json_line(engine: AnswerEngine, question: str) -> str:
    return json.dumps(engine.answer(question).as_json(), ensure_ascii=False)


def _serve_lines(engine: AnswerEngine, stdin: TextIO, stdout: TextIO) -> None:
    """One JSON object per input line, in order, flushed so a reader never waits."""
    for line in stdin:
        stdout.write(_json_line(engine, line.rstrip("\r\n")) + "\n")
        stdout.flush()


def _ask(args: argparse.Namespace) -> int:
    try:
        kb = load_knowledge(args.knowledge)
    except KnowledgeError as exc:
        print(f"ask: cannot load knowledge: {exc}", file=sys.stderr)
        return cli.EXIT_PROBLEMS
    engine = AnswerEngine.from_knowledge(kb)
    if args.question == STDIN_MARKER:
        if not args.json:
            print("ask: reading questions from stdin needs --json", file=sys.stderr)
            return cli.EXIT_USAGE
        _serve_lines(engine, sys.stdin, sys.stdout)
        return cli.EXIT_OK
    if args.json:
        print(_json_line(engine, args.question), flush=True)
    else:
        print(render_answer(engine.answer(args.question)))
    return cli.EXIT_OK


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `ask`."""
    parser = subparsers.add_parser(
        "ask", parents=[common], help="answer a question from the fact base, with sources"
    )
    parser.add_argument("question", help='the question, or "-" to read one per line (--json)')
    parser.add_argument("--json", action="store_true", help="print JSON (the stable contract)")
    parser.set_defaults(handler=_ask)
