"""The block of `key: value` lines that `fact add` and `fact edit` read.

Scriptable and typeable: one key a line (see `FACT_KEYS`), a line starting with white
space continues the value above (long answers and quotes can be wrapped), and a line
holding only `.` ends the block. Parsing reports every problem at once, each with its
line, so a script's author fixes them in one go.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.knowledge.model import Citation, Fact

END_OF_BLOCK: Final = "."
CANCEL_BLOCK: Final = ".cancel"
# Several questions on one `questions:` line are separated by this (a `|` may not end
# a question members type, unlike commas and slashes).
QUESTION_SEPARATOR: Final = "|"
LIST_SEPARATOR: Final = ","


class BlockError(ValueError):
    """A fact block with problems; `problems` holds every one, each with its line."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


# Keys a fact block may hold, and what each means (shown by `help`).
FACT_KEYS: Final = {
    "id": "new fact's id (fact add only): lowercase letters, digits, - _ .",
    "questions": f"questions members ask, separated by ` {QUESTION_SEPARATOR} ` (repeatable)",
    "answer": "the answer members get",
    "source": "id of a source the answer rests on; starts a citation (repeatable)",
    "quote": "the exact words from that source, for the citation above",
    "as_of": "YYYY-MM-DD the fact is true as of (add: default the source's date)",
    "tags": "comma-separated tags",
    "strikes": "comma-separated strike ids the fact is about",
    "supersedes": "comma-separated ids of older facts this one replaces",
    "reason": "why, for the history (optional)",
}
_KEY_ALIASES: Final = {
    "question": "questions",
    "as-of": "as_of",
    "tag": "tags",
    "strike": "strikes",
}
_SINGLE_VALUED: Final = frozenset({"id", "answer", "as_of", "reason"})
_LIST_KEYS: Final = ("tags", "strikes", "supersedes")


@dataclass(frozen=True, slots=True)
class FactFields:
    """What a fact block gave; None means the key was absent (an edit keeps that field)."""

    fact_id: str | None = None
    questions: tuple[str, ...] | None = None
    answer: str | None = None
    citations: tuple[Citation, ...] | None = None
    as_of: date | None = None
    tags: tuple[str, ...] | None = None
    strikes: tuple[str, ...] | None = None
    supersedes: tuple[str, ...] | None = None
    reason: str | None = None

    def changes_anything(self) -> bool:
        """Whether any fact field (not the id or reason) was given."""
        values = (self.questions, self.answer, self.citations, self.as_of)
        return any(v is not None for v in (*values, self.tags, self.strikes, self.supersedes))


def _key_value_lines(lines: Sequence[str], problems: list[str]) -> list[tuple[int, str, str]]:
    """(line number, key, value) with continuation lines joined; problems appended."""
    entries: list[tuple[int, str, str]] = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        if raw[0] in " \t":
            if not entries:
                problems.append(f"line {number}: continues nothing; start with `key: value`")
            else:
                at, key, value = entries[-1]
                entries[-1] = (at, key, f"{value} {raw.strip()}".strip())
            continue
        name, separator, value = raw.partition(":")
        key = _KEY_ALIASES.get(name.strip().lower(), name.strip().lower())
        if not separator:
            problems.append(
                f"line {number}: write it as `key: value` (keys: {', '.join(FACT_KEYS)})"
            )
        elif key not in FACT_KEYS:
            close = difflib.get_close_matches(key, list(FACT_KEYS), n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"keys: {', '.join(FACT_KEYS)}"
            problems.append(f"line {number}: unknown key {name.strip()!r}; {hint}")
        else:
            entries.append((number, key, value.strip()))
    return entries


def _split(value: str, separator: str) -> list[str]:
    return [part.strip() for part in value.split(separator) if part.strip()]


def parse_fact_block(lines: Sequence[str]) -> FactFields:
    """The fields a block of `key: value` lines gives; BlockError lists every problem."""
    problems: list[str] = []
    single: dict[str, str] = {}
    lists: dict[str, list[str]] = {}
    citations: list[list[str]] = []  # [source, quote] pairs in order; quote "" until given
    quote_lines: list[int] = []
    for number, key, value in _key_value_lines(lines, problems):
        if key in _SINGLE_VALUED:
            if key in single:
                problems.append(f"line {number}: {key} given twice; give it once")
            single[key] = value
        elif key == "questions":
            lists.setdefault(key, []).extend(_split(value, QUESTION_SEPARATOR))
        elif key in _LIST_KEYS:
            lists.setdefault(key, []).extend(_split(value, LIST_SEPARATOR))
        elif key == "source":
            citations.append([value, ""])
            quote_lines.append(number)
        elif not citations or citations[-1][1]:
            problems.append(f"line {number}: a quote needs a `source:` line before it")
        else:
            citations[-1][1] = value
    for (source_id, quote), number in zip(citations, quote_lines, strict=True):
        if not source_id:
            problems.append(f"line {number}: source: give the source's id")
        if not quote:
            problems.append(f"line {number}: source {source_id!r} needs a `quote:` line after it")
    as_of = None
    if "as_of" in single:
        try:
            as_of = date.fromisoformat(single["as_of"])
        except ValueError:
            problems.append(f"as_of: {single['as_of']!r} is not a date as YYYY-MM-DD")
    if problems:
        raise BlockError(problems)

    def listed(key: str) -> tuple[str, ...] | None:
        return tuple(lists[key]) if key in lists else None

    return FactFields(
        fact_id=single.get("id"),
        questions=listed("questions"),
        answer=single.get("answer"),
        citations=tuple(Citation(s, q) for s, q in citations) if citations else None,
        as_of=as_of,
        tags=listed("tags"),
        strikes=listed("strikes"),
        supersedes=listed("supersedes"),
        reason=single.get("reason") or None,
    )


def problems_for_add(fields: FactFields) -> list[str]:
    """What a new fact must have that its block left out."""
    wanted = {
        "id": fields.fact_id,
        "questions": fields.questions,
        "answer": fields.answer,
        "source and quote": fields.citations,
    }
    return [f"{key}: missing; a new fact needs it" for key, value in wanted.items() if not value]


def problems_for_edit(fact_id: str, fields: FactFields) -> list[str]:
    """Why an edit block cannot apply to `fact_id` (the id is not editable)."""
    problems = []
    if fields.fact_id is not None and fields.fact_id != fact_id:
        problems.append(
            f"id: a fact's id cannot change ({fact_id!r}); add a new fact and retire this one"
        )
    if not fields.changes_anything():
        problems.append("nothing to change: give at least one field (e.g. `answer: ...`)")
    return problems


def fact_as_block(fact: Fact) -> list[str]:
    """A fact written as the block `fact edit` reads: a starting point to copy and change."""
    lines = [f"questions: {f' {QUESTION_SEPARATOR} '.join(fact.questions)}"]
    lines.append(f"answer: {' '.join(fact.answer.split())}")
    for citation in fact.citations:
        lines.append(f"source: {citation.source_id}")
        lines.append(f"quote: {' '.join(citation.quote.split())}")
    lines.append(f"as_of: {fact.as_of.isoformat()}")
    for key in _LIST_KEYS:
        lines.append(f"{key}: {f'{LIST_SEPARATOR} '.join(getattr(fact, key))}")
    return lines
