"""Which facts a newer fact replaces, so answers can prefer the newest word.

A newer fact may supersede an older one (talks "resuming" replaced the earlier "no
agreement yet"). Both stay true history, so both are indexed: the engine answers with
the newest fact when that fact also answers the question, and otherwise answers with
the older one and appends what has changed since. Only active facts take part: a retired
fact neither answers nor replaces anything, so retiring the newer fact makes the older
one current again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from bot.cooperative import Steps, batched, drain
from bot.knowledge.model import Fact

# How the appended note introduces the newer fact: the date tells the member why the
# two texts may disagree.
UPDATE_PREFIX = "Update"
# Facts linked per build step (bot.cooperative): well under a millisecond.
FACTS_PER_STEP = 500


def _closure(start: str, edges: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    """Every id reachable from `start` along `edges` (cycles are tolerated)."""
    seen: set[str] = set()
    frontier = list(edges.get(start, ()))
    while frontier:
        current = frontier.pop()
        if current in seen or current == start:
            continue
        seen.add(current)
        frontier.extend(edges.get(current, ()))
    return frozenset(seen)


@dataclass(frozen=True)
class SupersedeLinks:
    """The supersede graph between active facts, closed transitively once per base."""

    newer: Mapping[str, frozenset[str]]
    older: Mapping[str, frozenset[str]]
    facts: Mapping[str, Fact]

    @classmethod
    def from_facts(cls, facts: Iterable[Fact]) -> SupersedeLinks:
        """Links among `facts` (the active ones); ids outside them are ignored."""
        return drain(cls.from_facts_steps(facts))

    @classmethod
    def from_facts_steps(cls, facts: Iterable[Fact]) -> Steps[SupersedeLinks]:
        """`from_facts` in bounded steps (see bot.cooperative): the same links."""
        by_id: dict[str, Fact] = {}
        for batch in batched(facts, FACTS_PER_STEP):
            by_id.update((f.id, f) for f in batch)
            yield
        replaced_by: dict[str, list[str]] = {}
        replaces: dict[str, tuple[str, ...]] = {}
        for batch in batched(by_id.values(), FACTS_PER_STEP):
            for fact in batch:
                olds = tuple(old for old in fact.supersedes if old in by_id and old != fact.id)
                replaces[fact.id] = olds
                for old in olds:
                    replaced_by.setdefault(old, []).append(fact.id)
            yield
        up = {k: tuple(v) for k, v in replaced_by.items()}
        newer: dict[str, frozenset[str]] = {}
        older: dict[str, frozenset[str]] = {}
        for ids in batched(by_id, FACTS_PER_STEP):
            newer.update((i, _closure(i, up)) for i in ids if i in up)
            older.update((i, _closure(i, replaces)) for i in ids if replaces[i])
            yield
        return cls(MappingProxyType(newer), MappingProxyType(older), MappingProxyType(by_id))

    def newer_than(self, fact_id: str) -> frozenset[str]:
        """Active facts that supersede this one, directly or through a chain."""
        return self.newer.get(fact_id, frozenset())

    def is_superseded(self, fact_id: str) -> bool:
        """Whether an active newer fact replaces this one."""
        return fact_id in self.newer

    def related(self, fact_id: str) -> frozenset[str]:
        """This fact's supersede family: facts it replaces or that replace it (and itself).

        Two facts of one family never count as a near-tie against each other: the
        supersede link already says which one to prefer.
        """
        return self.newer_than(fact_id) | self.older.get(fact_id, frozenset()) | {fact_id}

    def newest(self, fact_id: str) -> tuple[Fact, ...]:
        """The current facts at the end of this fact's supersede chains, newest first."""
        ends = [self.facts[i] for i in self.newer_than(fact_id) if not self.is_superseded(i)]
        return tuple(sorted(ends, key=lambda f: (-f.as_of.toordinal(), f.id)))


def short_date(on: date) -> str:
    """'Aug 11, 2023': the date style answers already use."""
    return f"{on:%b} {on.day}, {on.year}"


def with_update(answer: str, newer: Fact) -> str:
    """An older fact's answer followed, on its own line, by the newer fact.

    One line break, not a blank line: renderers separate whole answers with blank lines.
    """
    return f"{answer}\n{UPDATE_PREFIX} ({short_date(newer.as_of)}): {newer.answer}"
