"""The answer object: the contract between the engine and every renderer.

The JSON form is a stable public contract (`strikebot ask --json`), so its keys are
defined here, once, and renderers for Discord and the console read the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bot.knowledge.model import KnowledgeBase


@dataclass(frozen=True, slots=True)
class CitedSource:
    """A citation resolved against its source, with what is known about the article."""

    source_id: str
    quote: str
    outlet: str | None
    title: str | None
    published: date | None
    published_inferred: bool
    url: str | None

    def as_json(self) -> dict[str, Any]:
        """The citation object of the `ask --json` contract."""
        return {
            "source_id": self.source_id,
            "outlet": self.outlet,
            "title": self.title,
            "published": self.published.isoformat() if self.published else None,
            "published_inferred": self.published_inferred,
            "url": self.url,
            "quote": self.quote,
        }


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A question the bot can answer, offered when it abstains."""

    fact_id: str
    question: str


@dataclass(frozen=True, slots=True)
class Answer:
    """What the engine concluded for one question.

    `answered` False means the engine abstained: `fact_id`, `text` and `as_of` are None
    and `suggestions` may hold up to three related questions. `kind` says where an
    answered text came from: a curated fact, the strike calendar, or a direct quote.
    `newer` holds the ids of facts that supersede the answering fact: its text then ends
    with what they say, and their citations follow its own.
    """

    question: str
    answered: bool
    score: float
    fact_id: str | None = None
    text: str | None = None
    as_of: date | None = None
    kind: str = "fact"
    citations: tuple[CitedSource, ...] = ()
    suggestions: tuple[Suggestion, ...] = field(default=())
    newer: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """The `strikebot ask --json` object; keys and types are a public contract."""
        return {
            "question": self.question,
            "answered": self.answered,
            "fact_id": self.fact_id if self.answered else None,
            "answer": self.text if self.answered else None,
            "score": round(self.score, 4),
            "citations": [c.as_json() for c in self.citations],
            "suggestions": [s.question for s in self.suggestions],
        }


def cite(knowledge: KnowledgeBase, source_id: str, quote: str) -> CitedSource:
    """Resolve a citation's source metadata; unknown fields stay None, never guessed."""
    source = knowledge.sources.get(source_id)
    if source is None:
        return CitedSource(source_id, quote, None, None, None, False, None)
    return CitedSource(
        source_id=source_id,
        quote=quote,
        outlet=source.outlet,
        title=source.headline,
        published=source.published,
        published_inferred=source.published_inferred,
        url=source.url,
    )
