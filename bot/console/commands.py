"""Parsing one line typed into `strikebot console` into a command.

Pure text -> values, so every refusal is unit-tested without a database. A line that is
not a command is a question (`ask` makes that explicit). A command word followed by
arguments it cannot take is refused with the way to ask it as a question instead, so a
typo never silently turns into a question nor a question into a command. Facts are
typed as blocks of lines after `fact add`/`fact edit`; see `fact_block`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import date
from typing import Final

# How close a mistyped word must be to a command (difflib ratio) to be flagged as one.
COMMAND_TYPO_CUTOFF: Final = 0.75


class CommandError(ValueError):
    """A line that cannot be run; the message says what to type instead."""


@dataclass(frozen=True, slots=True)
class Ask:
    """Answer a question as members get it."""

    question: str


@dataclass(frozen=True, slots=True)
class Day:
    """Which day of each strike a date is (None: today)."""

    on: date | None


@dataclass(frozen=True, slots=True)
class Announce:
    """The daily post for a date (None: today), as it would go out."""

    on: date | None


@dataclass(frozen=True, slots=True)
class FactShow:
    """A fact as it stands, or one of its revisions."""

    fact_id: str
    revision: int | None = None


@dataclass(frozen=True, slots=True)
class FactHistory:
    """Every revision of a fact: who, when, what changed."""

    fact_id: str


@dataclass(frozen=True, slots=True)
class FactAdd:
    """Start a block describing a new fact."""


@dataclass(frozen=True, slots=True)
class FactEdit:
    """Start a block of the fields of a fact to change."""

    fact_id: str


@dataclass(frozen=True, slots=True)
class FactRetire:
    """Withdraw a fact from answers, saying why."""

    fact_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class FactRestore:
    """Answer with a retired fact again."""

    fact_id: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class FactRevert:
    """Make an earlier revision of a fact current again (as a new revision)."""

    fact_id: str
    revision: int
    reason: str | None


@dataclass(frozen=True, slots=True)
class Reload:
    """Re-read the YAML knowledge (stored changes stay on top)."""


@dataclass(frozen=True, slots=True)
class Help:
    """List the commands."""


@dataclass(frozen=True, slots=True)
class Quit:
    """End the session."""


Command = (
    Ask
    | Day
    | Announce
    | FactShow
    | FactHistory
    | FactAdd
    | FactEdit
    | FactRetire
    | FactRestore
    | FactRevert
    | Reload
    | Help
    | Quit
)

# Usage lines, shown by `help` and in every refusal of a command's arguments.
USAGE: Final = {
    "ask": "ask QUESTION",
    "day": "day [YYYY-MM-DD]",
    "announce": "announce [YYYY-MM-DD]",
    "fact show": "fact show ID [REVISION]",
    "fact history": "fact history ID",
    "fact add": "fact add   (then `key: value` lines, ended by a line holding only `.`)",
    "fact edit": "fact edit ID   (then the `key: value` lines to change, ended by `.`)",
    "fact retire": "fact retire ID REASON...",
    "fact restore": "fact restore ID [REASON...]",
    "fact revert": "fact revert ID REVISION [REASON...]",
    "reload": "reload",
    "help": "help",
    "quit": "quit   (or exit, or end of input)",
}
TOP_LEVEL_WORDS: Final = ("ask", "day", "announce", "fact", "reload", "help", "quit", "exit")
FACT_SUBCOMMANDS: Final = ("show", "history", "add", "edit", "retire", "restore", "revert")


def _as_question_hint(line: str) -> str:
    return f"To ask it as a question, type: ask {line}"


def _one_date(word: str, args: list[str], line: str) -> date | None:
    if not args:
        return None
    if len(args) == 1:
        try:
            return date.fromisoformat(args[0])
        except ValueError:
            pass
    raise CommandError(
        f"{word}: {' '.join(args)!r} is not a date as YYYY-MM-DD. "
        f"Usage: {USAGE[word]}. {_as_question_hint(line)}"
    )


def _revision_number(text: str, usage: str) -> int:
    if text.isdigit() and int(text) >= 1:
        return int(text)
    raise CommandError(f"{text!r} is not a revision number (1, 2, ...). Usage: {usage}")


def _fact_command(args: list[str], line: str) -> Command:
    if not args:
        raise CommandError(
            "fact: which action? One of: " + ", ".join(FACT_SUBCOMMANDS) + ". Type help."
        )
    action, rest = args[0].lower(), args[1:]
    usage = USAGE.get(f"fact {action}")
    if usage is None:
        close = difflib.get_close_matches(action, FACT_SUBCOMMANDS, n=1)
        hint = f"Did you mean `fact {close[0]}`? " if close else ""
        raise CommandError(
            f"fact: unknown action {action!r}. {hint}Actions: {', '.join(FACT_SUBCOMMANDS)}. "
            + _as_question_hint(line)
        )
    if action == "add":
        if rest:
            raise CommandError(f"fact add takes no arguments (the id goes in the block). {usage}")
        return FactAdd()
    if not rest:
        raise CommandError(f"fact {action}: which fact? Usage: {usage}")
    fact_id, more = rest[0], rest[1:]
    reason = " ".join(more) or None
    if action == "show":
        if len(more) > 1:
            raise CommandError(f"fact show: too many arguments. Usage: {usage}")
        return FactShow(fact_id, _revision_number(more[0], usage) if more else None)
    if action in ("history", "edit"):
        if more:
            raise CommandError(f"fact {action}: too many arguments. Usage: {usage}")
        return FactHistory(fact_id) if action == "history" else FactEdit(fact_id)
    if action == "retire":
        if reason is None:
            raise CommandError(f"fact retire: say why (it goes in the history). Usage: {usage}")
        return FactRetire(fact_id, reason)
    if action == "restore":
        return FactRestore(fact_id, reason)
    if not more:
        raise CommandError(f"fact revert: which revision? See `fact history`. Usage: {usage}")
    return FactRevert(fact_id, _revision_number(more[0], usage), " ".join(more[1:]) or None)


def parse_command(line: str) -> Command | None:
    """The command on one line; None for a blank line or a `#` comment."""
    text = line.strip()
    if not text or text.startswith("#"):
        return None
    words = text.split()
    word = words[0].lower().lstrip("/")
    args = words[1:]
    if word == "ask":
        question = text[len(words[0]) :].strip()
        if not question:
            raise CommandError(f"ask: what is the question? Usage: {USAGE['ask']}")
        return Ask(question)
    if word in ("day", "announce"):
        on = _one_date(word, args, text)
        return Day(on) if word == "day" else Announce(on)
    if word == "fact":
        return _fact_command(args, text)
    if word in ("reload", "help", "quit", "exit"):
        if args:
            raise CommandError(f"{word} takes no arguments. {_as_question_hint(text)}")
        if word == "reload":
            return Reload()
        return Help() if word == "help" else Quit()
    close = difflib.get_close_matches(word, TOP_LEVEL_WORDS, n=1, cutoff=COMMAND_TYPO_CUTOFF)
    if text.startswith("/") or (len(words) <= 2 and close and not text.endswith("?")):
        hint = f"Did you mean `{close[0]}`? " if close else ""
        raise CommandError(
            f"unknown command {words[0]!r}. {hint}Type help for the commands. "
            + _as_question_hint(text)
        )
    return Ask(text)
