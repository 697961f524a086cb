"""Which strikes a question is about: the ones it names, else the ones under way.

A federation's base holds many unions' strikes, most of them over. A member asking "are
talks back on?" means the strike they are on, not one from another decade, so ranking
prefers the facts of the strikes a question names (by union, by employer, or both) and,
when it names none, of the strikes under way that day. "The strike" of a day count is
likewise the earliest strike under way, never the oldest in the base.

Every question asks this, and a generated base has hundreds of strikes, so names are
looked up by term and the under-way set is kept for the minute it was computed in (a
local date can only change on a minute boundary: time zone offsets are whole minutes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from bot.cooperative import Steps, batched, drain
from bot.knowledge.model import KnowledgeBase, Strike
from bot.matching.analysis import Analysed, TextAnalyser
from bot.strike_calendar import local_today

# Words that, right before a strike word, mean a previous strike ("the last strike").
PREVIOUS_MARKERS = frozenset({"last", "previous", "prior", "earlier", "other"})
# Strikes whose names are analysed per build step (bot.cooperative): three short texts
# each, so a step stays well under a millisecond.
STRIKES_PER_STEP = 10


@dataclass(frozen=True, slots=True)
class EmployerName:
    """All the terms of one name of a strike's other side ("mount sinai", "amptp")."""

    terms: frozenset[str]
    strike_id: str


class StrikeScope:
    """The strikes of a knowledge base, by the words that name them and by date."""

    def __init__(self, knowledge: KnowledgeBase, analyser: TextAnalyser) -> None:
        """Analyse every strike's union and employer names once per knowledge base."""
        drain(self._build_steps(knowledge, analyser))

    @classmethod
    def build_steps(cls, knowledge: KnowledgeBase, analyser: TextAnalyser) -> Steps[StrikeScope]:
        """The same scope, built in bounded steps (see bot.cooperative)."""
        scope = cls.__new__(cls)
        yield from scope._build_steps(knowledge, analyser)
        return scope

    def _build_steps(self, knowledge: KnowledgeBase, analyser: TextAnalyser) -> Steps[None]:
        self._analyser = analyser
        self.strikes = tuple(sorted(knowledge.strikes.values(), key=lambda s: (s.start, s.id)))
        self.strike_terms = frozenset(analyser.analyse("strike walkout", correct=False).terms)
        by_union: dict[str, set[str]] = {}
        by_employer: dict[str, list[EmployerName]] = {}
        employer_terms: set[str] = set()
        for batch in batched(self.strikes, STRIKES_PER_STEP):
            for strike in batch:
                union = self._terms(f"{strike.union.short}, {strike.union.name}")
                for term in union:
                    by_union.setdefault(term, set()).add(strike.id)
                for name in (strike.against.short, strike.against.name):
                    terms = self._terms(name)
                    employer_terms |= terms
                    if terms:
                        by_employer.setdefault(min(terms), []).append(
                            EmployerName(terms, strike.id)
                        )
            yield
        self._by_union = {t: frozenset(ids) for t, ids in by_union.items()}
        self._by_employer = by_employer
        self.union_terms = frozenset(by_union)
        # Words that name a strike in general or one by its union: asked per question.
        self.naming_terms = self.strike_terms | self.union_terms
        self.employer_terms = frozenset(employer_terms)
        self._under_way_memo: tuple[tuple[str, date], tuple[Strike, ...]] | None = None

    def _terms(self, text: str) -> frozenset[str]:
        return frozenset(self._analyser.analyse(text, correct=False).terms)

    def named_by_union(self, analysed: Analysed) -> frozenset[str]:
        """Ids of the strikes whose union the question names ("sag", "writers")."""
        by_term = self._by_union
        named = [by_term[t] for t in analysed.terms if t in by_term]
        return named[0] if len(named) == 1 else frozenset().union(*named)

    def first_named(self, analysed: Analysed) -> Strike | None:
        """The strike whose union the question names first (the earliest such strike when
        one word names several), or None."""
        for term in analysed.terms:
            ids = self._by_union.get(term)
            if ids:
                return next(s for s in self.strikes if s.id in ids)
        return None

    def named_by_employer(self, analysed: Analysed) -> frozenset[str]:
        """Ids of the strikes against an employer the question names in full.

        All the terms of its short or full name: "Mount Sinai" names the strikes against
        it, "studios" alone does not name every strike against "Cineworks Studios".
        """
        terms = set(analysed.terms)
        return frozenset(
            name.strike_id
            for term in terms
            for name in self._by_employer.get(term, ())
            if name.terms <= terms
        )

    def meant(self, analysed: Analysed, today: date | None = None) -> frozenset[str]:
        """Ids of the strikes a question is about, for ranking facts.

        Named by union and employer: that union's strikes against that employer (or
        either, when it has none); named by one: those. Naming none, the strikes under
        way today, unless the question points to the past: a year prefers nothing ("is
        this strike longer than the 2007 one" compares two), nor does "the last strike".
        Empty when every strike is under way, as nothing is then preferred.
        """
        by_union = self.named_by_union(analysed)
        by_employer = self.named_by_employer(analysed)
        named = (by_union & by_employer) or by_union or by_employer
        if named:
            return named
        tokens = analysed.tokens
        if any(t.isdigit() and len(t) == 4 for t in tokens) or self.names_previous_strike(tokens):
            return frozenset()
        under_way = self.under_way(today)
        if len(under_way) == len(self.strikes):
            return frozenset()
        return frozenset(s.id for s in under_way)

    def names_previous_strike(self, tokens: Sequence[str]) -> bool:
        """'the last writers strike', 'previous walkout': a marker before a strike word."""
        named = self.naming_terms
        seen_marker = False
        for token in tokens:
            if token in PREVIOUS_MARKERS:
                seen_marker = True
            elif seen_marker and set(self._analyser.analyse(token, correct=False).terms) & named:
                return True
        return False

    def under_way(self, today: date | None = None) -> tuple[Strike, ...]:
        """Strikes started and not ended on `today` (by default each strike's own local
        today), earliest first."""
        now = datetime.now(UTC)
        key = (
            ("day", today)
            if today is not None
            else ("minute", now.replace(second=0, microsecond=0))
        )
        memo = self._under_way_memo
        if memo is not None and memo[0] == key:
            return memo[1]
        found = tuple(s for s in self.strikes if _under_way(s, today or local_today(s, now)))
        self._under_way_memo = (key, found)
        return found

    def default_strike(self, today: date | None = None) -> Strike | None:
        """The strike "the strike" means: the earliest under way, else the last begun
        (else, before any has begun, the first to begin)."""
        under_way = self.under_way(today)
        if under_way:
            return under_way[0]
        on = today or datetime.now(UTC).date()
        begun = [s for s in self.strikes if s.start <= on]
        if begun:
            return begun[-1]
        return self.strikes[0] if self.strikes else None


def _under_way(strike: Strike, on: date) -> bool:
    return strike.start <= on and (strike.end is None or on <= strike.end)
