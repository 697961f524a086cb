"""Checking and tidying what a moderator typed before it becomes a fact revision.

The YAML loader strips texts and lowercases tags, so input is normalised the same way
first: otherwise an export would read back different from what was stored. The rules
here are the ones the loader and whole-base validation enforce that `fact_problems`
(per fact) leaves out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from bot.knowledge.issues import KnowledgeIssue
from bot.knowledge.model import Citation, Fact, KnowledgeBase, Origin

# Ids end up in file names, URLs of exports and autocomplete; keep them plain.
RECORD_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")
ID_HINT = "use lowercase letters, digits, '-', '_' or '.' (at most 100 characters)"


class EditRejected(Exception):
    """A change that would break the fact base; nothing was written. Carries the reasons."""

    def __init__(self, problems: Iterable[KnowledgeIssue]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(issue_reason(p) for p in self.problems))


def issue_reason(issue: KnowledgeIssue) -> str:
    """One problem as a moderator reads it in a reply (no file and line: it was typed)."""
    what = f"{issue.field}: {issue.message}" if issue.field else issue.message
    return what + (f" (fix: {issue.hint})" if issue.hint else "")


def rejection(target: str, message: str, hint: str = "", field: str = "") -> EditRejected:
    """A rejection carrying one problem, for checks outside `fact_problems`."""
    return EditRejected([KnowledgeIssue(target, None, message, hint, field)])


def _texts(values: Iterable[str], *, lower: bool = False) -> tuple[str, ...]:
    """Stripped, non-empty, de-duplicated: what the loader would read back from YAML."""
    cleaned = (v.strip().lower() if lower else v.strip() for v in values)
    return tuple(dict.fromkeys(v for v in cleaned if v))


def normalised_fact(fact: Fact) -> Fact:
    """The fact as it will read back from an export (the loader strips and lowercases)."""
    return replace(
        fact,
        id=fact.id.strip(),
        questions=_texts(fact.questions),
        answer=fact.answer.strip(),
        citations=tuple(Citation(c.source_id.strip(), c.quote.strip()) for c in fact.citations),
        tags=_texts(fact.tags, lower=True),
        supersedes=_texts(fact.supersedes),
        strikes=_texts(fact.strikes),
        retired=fact.retired.strip() or None if fact.retired is not None else None,
        origin=Origin(f"fact {fact.id.strip()}"),
    )


def structure_problems(fact: Fact) -> list[KnowledgeIssue]:
    """What the YAML loader requires but `fact_problems` takes for granted."""
    origin, issues = fact.origin.path, []
    if not RECORD_ID.match(fact.id):
        issues.append(KnowledgeIssue(origin, None, f"bad id {fact.id!r}", ID_HINT, "id"))
    if not fact.answer:
        issues.append(KnowledgeIssue(origin, None, "empty answer", "write the answer", "answer"))
    if not fact.citations:
        issues.append(
            KnowledgeIssue(origin, None, "no citation", "quote the source it rests on", "citations")
        )
    return issues


def supersede_loop(fact: Fact, knowledge: KnowledgeBase) -> list[KnowledgeIssue]:
    """Whether the fact's supersedes chain would lead back to itself."""
    seen, frontier = {fact.id}, list(fact.supersedes)
    while frontier:
        current = frontier.pop()
        if current == fact.id and current not in fact.supersedes:
            return [
                KnowledgeIssue(
                    fact.origin.path,
                    None,
                    f"supersedes chain loops back to {fact.id!r}",
                    "a newer fact supersedes an older one, never the reverse",
                    "supersedes",
                )
            ]
        if current in seen or current not in knowledge.facts:
            continue
        seen.add(current)
        frontier.extend(knowledge.facts[current].supersedes)
    return []
