"""Adapters from the fact base and its revisions to the post's `FactChange` lines.

The renderer takes its own small `FactChange` so it never depends on how revisions are
stored; these functions are the one place that knows both shapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time
from typing import Protocol

from bot.announcements.content import FactChange, medium_date
from bot.knowledge.model import Fact, KnowledgeBase

# Revision actions (storage) as the post words them.
ACTION_WORDS = {
    "add": "added",
    "edit": "changed",
    "restore": "changed",
    "revert": "changed",
    "retire": "retired",
}


class RevisionLike(Protocol):
    """What a stored revision change offers: which fact, what was done, when."""

    @property
    def fact_id(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def at(self) -> datetime: ...


def source_label(fact: Fact, kb: KnowledgeBase) -> str:
    """The fact's first source as members know it: outlet and date, else its id."""
    if not fact.citations:
        return "no source"
    source_id = fact.citations[0].source_id
    source = kb.sources.get(source_id)
    if source is None or source.outlet is None:
        return source_id
    if source.published is not None:
        return f"{source.outlet}, {medium_date(source.published)}"
    return source.outlet


def change_from_fact(fact: Fact, kb: KnowledgeBase, action: str, at: datetime) -> FactChange:
    """One post line for a fact: its answer as the summary, its first source as label."""
    return FactChange(fact.id, action, at, fact.answer, source_label(fact, kb), fact.strikes)


def changes_from_revisions(
    revisions: Iterable[RevisionLike], kb: KnowledgeBase
) -> list[FactChange]:
    """Stored revision changes as post lines, one per fact (its latest change wins).

    `kb` is the effective knowledge base (YAML plus revisions), so the summary shows the
    fact as it now reads; a fact no longer in it is skipped.
    """
    latest: dict[str, RevisionLike] = {}
    for revision in revisions:
        latest[revision.fact_id] = revision
    result = []
    for fact_id, revision in latest.items():
        fact = kb.facts.get(fact_id)
        if fact is None:
            continue
        word = ACTION_WORDS.get(revision.action, "changed")
        result.append(change_from_fact(fact, kb, word, revision.at))
    return result


def changes_by_as_of(kb: KnowledgeBase, after: date, until: date) -> list[FactChange]:
    """The offline notion of "what's new": active facts with `as_of` in (after, until].

    Used where no revision history exists (the CLI): a fact's `as_of` is the date of the
    reporting it comes from, so facts dated after the previous post are the news.
    """
    selected: Sequence[Fact] = [f for f in kb.active_facts() if after < f.as_of <= until]
    return [
        change_from_fact(f, kb, "added", datetime.combine(f.as_of, time(0), UTC))
        for f in sorted(selected, key=lambda f: (f.as_of, f.id))
    ]
