"""The answer engine: a member's question -> a sourced Answer, or an honest abstention.

Built once per knowledge base (`AnswerEngine.from_knowledge`) and immutable afterwards:
a reload builds a new engine and swaps the reference, so a question in flight always
sees one consistent base. Every active fact is indexed, superseded ones too: they are
still true history ("why was there no agreement on Aug 4?"). The engine prefers the
newest fact when it also answers the question; otherwise it answers with the older fact
and appends the newer one, citing both (`bot/answers/newer.py`).
"""

from __future__ import annotations

import bisect
from array import array
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz

from bot.answers.model import Answer, Suggestion, cite
from bot.answers.newer import SupersedeLinks, with_update
from bot.answers.strike_days import DAY_COUNT_VOCABULARY, StrikeDays
from bot.answers.strike_scope import StrikeScope
from bot.collector import collector_paused_then_frozen
from bot.cooperative import Steps, batched, drain, sorted_steps
from bot.knowledge.model import Fact, KnowledgeBase
from bot.matching.analysis import Analysed, TextAnalyser
from bot.matching.index import FactIndex
from bot.matching.normalise import fold
from bot.matching.scoring import SUGGEST_MIN, FactScore, acceptable, confident, rank

# Discord shows at most 25 autocomplete choices, each at most 100 characters long.
AUTOCOMPLETE_LIMIT = 25
CHOICE_MAX_CHARS = 100
# Members abandon a suggestion list longer than a glance.
SUGGESTION_LIMIT = 3
# Autocomplete offers the first question of each fact on empty input, plus this one.
DAY_COUNT_QUESTION = "What day of the strike is it?"
# Fuzzy prefix matches weaker than this are not worth showing as completions.
AUTOCOMPLETE_MIN_SIMILARITY = 60
# Facts whose texts are gathered or questions folded per build step (bot.cooperative).
FACTS_PER_STEP = 100


def _fact_id(fact: Fact) -> str:
    return fact.id


@dataclass(frozen=True, slots=True)
class Ranking:
    """The scored candidates for one question, best first (for answers and debugging)."""

    analysed: Analysed
    scores: tuple[FactScore, ...]


@dataclass(frozen=True)
class AnswerEngine:
    """Answers questions from one knowledge base; immutable, cheap to query."""

    knowledge: KnowledgeBase
    analyser: TextAnalyser
    index: FactIndex
    scope: StrikeScope
    strike_days: StrikeDays
    # Every fact question's number (`FactIndex.question_offsets` order), sorted by the
    # folded question: prefix look-ups by bisection, with no folded copy of every
    # question kept (5 MiB at 10k facts).
    prefix_order: array[int]
    links: SupersedeLinks

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase) -> AnswerEngine:
        """Analyse and index the active facts once; every question reuses the result.

        The build allocates millions of small acyclic objects (tuples, dicts, strings):
        the cyclic collector is paused meanwhile (it would rescan them over and over,
        ~15% of a 10k-fact build) and the result is frozen out of later full collections,
        which would otherwise walk the whole index during some member's question. A
        replaced engine is still freed, by reference counting: it holds no cycles.
        """
        with collector_paused_then_frozen():
            return cls._build(kb)

    @classmethod
    def _build(cls, kb: KnowledgeBase) -> AnswerEngine:
        return drain(cls.build_steps(kb))

    @classmethod
    def build_steps(cls, kb: KnowledgeBase) -> Steps[AnswerEngine]:
        """The build of `from_knowledge` in bounded steps, for the bot's event loop.

        `bot.cooperative.run_cooperatively` runs it between members' questions; drained
        (`from_knowledge`), it builds the same engine. No GC handling here: the caller
        pauses the collector (bot.collector) for as long as the build spans.
        """
        active: list[Fact] = []  # `kb.active_facts()`, a step at a time
        for batch in batched(kb.facts.values(), FACTS_PER_STEP * 10):
            active.extend(f for f in batch if f.active)
            yield
        facts = yield from sorted_steps(active, key=_fact_id)
        texts: list[str] = []
        for batch in batched(facts, FACTS_PER_STEP):
            texts.extend(t for f in batch for t in (*f.questions, f.answer, *f.tags))
            yield
        texts.extend(
            f"{s.union.short} {s.union.name} {s.against.short}" for s in kb.strikes.values()
        )
        texts.append(DAY_COUNT_VOCABULARY)
        analyser = yield from TextAnalyser.build_steps(kb.synonyms, texts)
        index = yield from FactIndex.from_facts_steps(facts, analyser)
        yield from analyser.end_build_steps()
        folded: list[str] = []
        for batch in batched(facts, FACTS_PER_STEP):
            folded.extend(fold(q) for f in batch for q in f.questions)
            yield
        # Stable: equal folded questions stay in fact id order.
        by_folded = yield from sorted_steps(range(len(folded)), key=folded.__getitem__)
        prefix_order = array("I")
        for numbers in batched(by_folded, FACTS_PER_STEP * 100):
            prefix_order.extend(numbers)
            yield
        links = yield from SupersedeLinks.from_facts_steps(facts)
        scope = yield from StrikeScope.build_steps(kb, analyser)
        strike_days = StrikeDays(kb, analyser, scope)
        return cls(kb, analyser, index, scope, strike_days, prefix_order, links)

    def fact_at(self, position: int) -> Fact:
        """The fact at an index position."""
        return self.index.docs[position].fact

    def _numbered_question(self, number: int) -> tuple[Fact, str]:
        """The fact and text of a question by its number (see `prefix_order`)."""
        offsets = self.index.question_offsets
        position = bisect.bisect_right(offsets, number) - 1
        fact = self.fact_at(position)
        return fact, fact.questions[number - offsets[position]]

    def _folded_question(self, number: int) -> str:
        return fold(self._numbered_question(number)[1])

    def rank(self, question: str) -> Ranking:
        """Every candidate fact for a question, scored, best first."""
        analysed = self.analyser.analyse(question)
        strikes = self.scope.meant(analysed)
        candidates = self.index.candidates(analysed.terms, strikes=strikes)
        return Ranking(analysed, tuple(rank(analysed, self.index, candidates, strikes)))

    def answer(self, question: str, *, today: date | None = None) -> Answer:
        """The sourced answer to a question, or an abstention with suggestions.

        `today` fixes the date day counts are computed for (tests, replays); by default
        each strike's own local today is used.
        """
        if not question.strip():
            return Answer(question=question, answered=False, score=0.0)
        analysed = self.analyser.analyse(question)
        day_count = self.strike_days.answer(question, analysed, today)
        if day_count is not None:
            return day_count
        strikes = self.scope.meant(analysed, today)
        candidates = self.index.candidates(analysed.terms, strikes=strikes)
        scores = rank(analysed, self.index, candidates, strikes)
        chosen = self._choose(scores)
        if chosen is not None:
            return self._fact_answer(question, chosen, scores)
        return Answer(
            question=question,
            answered=False,
            score=scores[0].score if scores else 0.0,
            suggestions=self._suggestions(scores, SUGGESTION_LIMIT),
        )

    def _choose(self, scores: list[FactScore]) -> FactScore | None:
        """The fact to answer with, or None to abstain.

        The best fact must be confident against the best runner-up outside its
        supersede family. When a newer fact that supersedes it is acceptable on its own,
        the newest such fact answers instead: members get the newest word.
        """
        if not scores:
            return None
        best = scores[0]
        family = self.links.related(self.fact_at(best.position).id)
        runner_up = next((s for s in scores[1:] if self._rival(s, family)), None)
        if not confident(best, runner_up, self.index):
            return None
        newer = self.links.newer_than(self.fact_at(best.position).id)
        replacements = [
            s for s in scores if self.fact_at(s.position).id in newer and acceptable(s, self.index)
        ]
        if not replacements:
            return best
        return max(replacements, key=lambda s: (self.fact_at(s.position).as_of, s.score))

    def _rival(self, score: FactScore, family: frozenset[str]) -> bool:
        """Whether a runner-up could be meant instead of the best fact (the margin rule).

        Facts of the best fact's supersede family are not rivals (the link says which to
        prefer), nor are facts that cannot answer this kind of question at all: no fact
        never asked "why" gives a reason, and one missing the date asked about is not it.
        """
        if self.fact_at(score.position).id in family:
            return False
        return not (score.answer_type_mismatch or score.missing_specifics or score.role_mismatch)

    def _fact_answer(self, question: str, chosen: FactScore, scores: list[FactScore]) -> Answer:
        """The answer from one fact; a superseded fact carries its newest replacement."""
        fact = self.fact_at(chosen.position)
        text = fact.answer
        citations = [cite(self.knowledge, c.source_id, c.quote) for c in fact.citations]
        newest = self.links.newest(fact.id)
        if newest:
            by_score = {self.fact_at(s.position).id: s.score for s in scores}
            update = max(newest, key=lambda f: (f.as_of, by_score.get(f.id, 0.0)))
            text = with_update(text, update)
            citations.extend(cite(self.knowledge, c.source_id, c.quote) for c in update.citations)
        return Answer(
            question=question,
            answered=True,
            score=chosen.score,
            fact_id=fact.id,
            text=text,
            as_of=fact.as_of,
            kind="fact",
            citations=tuple(citations),
            newer=tuple(f.id for f in newest),
        )

    def suggest(self, question: str, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
        """Up to `limit` answerable questions related to this one (distinct facts)."""
        return list(self._suggestions(self.rank(question).scores, limit))

    def _suggestions(
        self, scores: list[FactScore] | tuple[FactScore, ...], limit: int
    ) -> tuple[Suggestion, ...]:
        eligible = [s for s in scores if s.score >= SUGGEST_MIN]
        offered = {self.fact_at(s.position).id for s in eligible}
        # A superseded fact is not offered beside the newer fact that replaces it.
        chosen = [
            s for s in eligible if not self.links.newer_than(self.fact_at(s.position).id) & offered
        ][:limit]
        return tuple(Suggestion(self.fact_at(s.position).id, s.best_question) for s in chosen)

    def questions_for_autocomplete(
        self, prefix: str, limit: int = AUTOCOMPLETE_LIMIT
    ) -> list[tuple[str, str]]:
        """(fact_id, question) choices for Discord autocomplete; never more than 25.

        Empty input offers the day count and each current fact's first question, newest
        first (a superseded fact's question would lead to its replacement anyway);
        otherwise questions starting with the typed text (by bisection, so it stays fast
        at 100k facts), then questions of the index's candidate facts that contain it or
        resemble it.
        """
        limit = max(0, min(limit, AUTOCOMPLETE_LIMIT))
        typed = " ".join(fold(prefix).split())
        day_count = (self.strike_days.default_fact_id(), DAY_COUNT_QUESTION)
        if not typed:
            docs = sorted(
                (d for d in self.index.docs if not self.links.is_superseded(d.fact.id)),
                key=lambda d: (-d.fact.as_of.toordinal(), d.fact.id),
            )
            return _clip([day_count] + [(d.fact.id, d.fact.questions[0]) for d in docs], limit)
        choices: list[tuple[str, str]] = []
        if fold(DAY_COUNT_QUESTION).startswith(typed):
            choices.append(day_count)
        start = bisect.bisect_left(self.prefix_order, typed, key=self._folded_question)
        for number in self.prefix_order[start : start + limit]:
            fact, question = self._numbered_question(number)
            if not fold(question).startswith(typed):
                break
            choices.append((fact.id, question))
        if len(choices) < limit:
            seen = {q for _, q in choices}
            for score in self.rank(prefix).scores:
                fact = self.fact_at(score.position)
                for q in fact.questions:
                    if q not in seen and (
                        typed in fold(q)
                        or fuzz.partial_ratio(typed, fold(q)) >= AUTOCOMPLETE_MIN_SIMILARITY
                    ):
                        choices.append((fact.id, q))
                        seen.add(q)
        return _clip(choices, limit)


def _clip(choices: list[tuple[str, str]], limit: int) -> list[tuple[str, str]]:
    """Distinct questions, each within Discord's length limit, at most `limit`."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for fact_id, question in choices:
        if question in seen:
            continue
        seen.add(question)
        text = (
            question
            if len(question) <= CHOICE_MAX_CHARS
            else question[: CHOICE_MAX_CHARS - 1] + "…"
        )
        out.append((fact_id, text))
        if len(out) >= limit:
            break
    return out
