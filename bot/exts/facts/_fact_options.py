"""The slash-command options `/fact add` and `/fact edit` take beside the form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.knowledge.model import Fact, KnowledgeBase

from ._shared import parse_day, parse_list, unknown_ids


@dataclass(frozen=True, slots=True)
class FactOptions:
    """The slash-command options of add and edit; None means "not given"."""

    as_of: date | None = None
    tags: tuple[str, ...] | None = None
    supersedes: tuple[str, ...] | None = None
    strikes: tuple[str, ...] | None = None

    @classmethod
    def parse(
        cls,
        knowledge: KnowledgeBase,
        *,
        as_of: str | None,
        tags: str | None,
        supersedes: str | None,
        strikes: str | None,
    ) -> tuple[FactOptions, list[str]]:
        """The options, and every problem with them (unknown ids, bad date)."""
        problems: list[str] = []
        day = None
        if as_of is not None:
            try:
                day = parse_day(as_of, option="as_of")
            except ValueError as exc:
                problems.append(str(exc))
        options = cls(day, parse_list(tags), parse_list(supersedes), parse_list(strikes))
        problems += unknown_ids(options.supersedes or (), knowledge.facts, "supersedes")
        problems += unknown_ids(options.strikes or (), knowledge.strikes, "strikes")
        return options, problems


def default_as_of(fact: Fact, knowledge: KnowledgeBase, today: date) -> date:
    """The house rule: the newest publication date of the cited articles, else today."""
    published = [
        source.published
        for citation in fact.citations
        if (source := knowledge.sources.get(citation.source_id)) and source.published
    ]
    return max(published, default=today)
