"""Typed, immutable model of the fact base, shared by every layer above it.

Everything that crosses a module boundary is one of these frozen dataclasses, so the
matcher, the answer engine, storage and Discord all agree on what a fact is. Where a
value came from (file and line, or a database revision) rides along in `Origin` so
errors can point a moderator at the exact place to fix.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from types import MappingProxyType
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was defined: a YAML file and line, or a database revision."""

    path: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


UNKNOWN_ORIGIN = Origin("<memory>")


@dataclass(frozen=True, slots=True)
class Party:
    """One side of a dispute, with the short name members actually type."""

    name: str
    short: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A verbatim quote from a source: the evidence behind a fact."""

    source_id: str
    quote: str


@dataclass(frozen=True, slots=True)
class Milestone:
    """A notable strike day recorded with its evidence, shown in that day's announcement."""

    day: int
    text: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Strike:
    """A work stoppage whose day count the bot reports; the start date is day 1."""

    id: str
    union: Party
    against: Party
    start: date
    timezone: str
    end: date | None = None
    milestones: tuple[Milestone, ...] = ()
    origin: Origin = field(default=UNKNOWN_ORIGIN, compare=False)

    @property
    def zone(self) -> ZoneInfo:
        """The strike's local time zone, which decides what 'today' means for it."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Source:
    """A cleaned article. Unknown metadata stays None rather than being guessed."""

    id: str
    text: str
    outlet: str | None = None
    headline: str | None = None
    description: str | None = None
    authors: tuple[str, ...] = ()
    published: date | None = None
    published_inferred: bool = False
    published_note: str | None = None
    url: str | None = None
    origin: Origin = field(default=UNKNOWN_ORIGIN, compare=False)

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Paragraphs of the cleaned text; ingestion separates them with blank lines."""
        return tuple(p.strip() for p in self.text.split("\n\n") if p.strip())


@dataclass(frozen=True, slots=True)
class Fact:
    """One curated, sourced statement and the ways members ask for it.

    `retired` holds the moderator's reason when the fact was withdrawn; a retired fact
    is kept (for history and revert) but never used to answer.
    """

    id: str
    questions: tuple[str, ...]
    answer: str
    citations: tuple[Citation, ...]
    as_of: date
    tags: tuple[str, ...] = ()
    supersedes: tuple[str, ...] = ()
    strikes: tuple[str, ...] = ()
    retired: str | None = None
    origin: Origin = field(default=UNKNOWN_ORIGIN, compare=False)

    @property
    def active(self) -> bool:
        """Whether the fact may be used to answer questions."""
        return self.retired is None


@dataclass(frozen=True, slots=True)
class SynonymGroup:
    """Words members use for the same thing; the first term is the canonical one."""

    terms: tuple[str, ...]

    @property
    def canonical(self) -> str:
        """The term every other term in the group is rewritten to."""
        return self.terms[0]


def _frozen(mapping: Mapping[str, object]) -> Mapping[str, object]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole fact base as one immutable value.

    Immutability lets a reload build a new base off the event loop and swap it in
    atomically; readers holding the old one are never disturbed.
    """

    strikes: Mapping[str, Strike]
    sources: Mapping[str, Source]
    facts: Mapping[str, Fact]
    synonyms: tuple[SynonymGroup, ...] = ()
    templates: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("strikes", "sources", "facts", "templates"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def __reduce__(self) -> tuple[type[KnowledgeBase], tuple[object, ...]]:
        """Pickle as plain dicts (a MappingProxyType cannot be pickled).

        Reload and export parse and write YAML in a child process (bot.child_process),
        so a base crosses a process boundary.
        """
        return (
            KnowledgeBase,
            (
                dict(self.strikes),
                dict(self.sources),
                dict(self.facts),
                self.synonyms,
                dict(self.templates),
            ),
        )

    @classmethod
    def build(
        cls,
        *,
        strikes: Iterable[Strike] = (),
        sources: Iterable[Source] = (),
        facts: Iterable[Fact] = (),
        synonyms: Iterable[SynonymGroup] = (),
        templates: Mapping[str, str] | None = None,
    ) -> KnowledgeBase:
        """Index records by id; later duplicates win (validation reports duplicates)."""
        return cls(
            strikes={s.id: s for s in strikes},
            sources={s.id: s for s in sources},
            facts={f.id: f for f in facts},
            synonyms=tuple(synonyms),
            templates=dict(templates or {}),
        )

    def active_facts(self) -> tuple[Fact, ...]:
        """Facts that may answer questions: not retired."""
        return tuple(f for f in self.facts.values() if f.active)

    def superseded_ids(self) -> frozenset[str]:
        """Ids of facts that an active newer fact replaces, so answers prefer the newest."""
        return frozenset(s for f in self.active_facts() for s in f.supersedes)

    def current_facts(self) -> tuple[Fact, ...]:
        """Active facts that no active fact supersedes: the ones answers should use."""
        replaced = self.superseded_ids()
        return tuple(f for f in self.active_facts() if f.id not in replaced)

    def with_facts(self, facts: Iterable[Fact]) -> KnowledgeBase:
        """A copy with these facts added or replaced by id (moderators' revisions)."""
        merged = dict(self.facts)
        merged.update({f.id: f for f in facts})
        return replace(self, facts=merged)

    def with_sources(self, sources: Iterable[Source]) -> KnowledgeBase:
        """A copy with these sources added or replaced by id."""
        merged = dict(self.sources)
        merged.update({s.id: s for s in sources})
        return replace(self, sources=merged)

    def with_strikes(self, strikes: Iterable[Strike]) -> KnowledgeBase:
        """A copy with these strikes added or replaced by id (e.g. an end date set)."""
        merged = dict(self.strikes)
        merged.update({s.id: s for s in strikes})
        return replace(self, strikes=merged)
