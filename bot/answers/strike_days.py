"""Day-count questions ("wut day of the strke is it", "how long has it lasted") answered
from the strike calendar rather than from a stored fact, which would be stale tomorrow.

Detection reads the analysed question: a counting intent ("how long", "how many days",
"what day", "day count") and nothing else on topic but strike words, union names and
time words. "What day did talks resume?" names an event, so it goes to the facts;
"how long was the last writers strike" or "the 2007 strike" asks about another strike.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, date, datetime

from bot.answers.model import Answer, CitedSource, cite
from bot.answers.strike_scope import StrikeScope
from bot.knowledge.model import KnowledgeBase, Strike
from bot.matching.analysis import Analysed, TextAnalyser
from bot.matching.normalise import DATE_TOKEN_PREFIX, extract_date, find_dates
from bot.strike_calendar import length_in_days, local_today, strike_day

FACT_ID_PREFIX = "strike-day:"
KIND = "strike-day"
# Tags the facts team puts on the fact stating a strike's start date; those facts are
# the evidence cited under a day count.
START_TAGS = frozenset({"strike-start", "start-date"})
# Words that may accompany a day-count question without making it about something else.
TIME_WORDS = "day days today now current count number since long many lasted last been"
TIME_WORDS += " going went so far total counting tally ongoing has have it we are"
# Words that make the day-count vocabulary known to typo correction ("strke", "dya").
DAY_COUNT_VOCABULARY = "strike striking strikes walkout day days long many lasted count today"
# Words after "what day" that turn it into an event question ("what day did ...").
EVENT_AUXILIARIES = frozenset({"did", "does", "do", "will", "would", "should"})


class StrikeDays:
    """Detects day-count questions and answers them from the calendar."""

    def __init__(
        self, knowledge: KnowledgeBase, analyser: TextAnalyser, scope: StrikeScope
    ) -> None:
        """Prepare the time-word terms once per knowledge base."""
        self._knowledge = knowledge
        self._scope = scope
        time_terms = frozenset(analyser.analyse(TIME_WORDS, correct=False).terms)
        # What a day-count question may contain besides dates; asked for every question.
        self._allowed = scope.naming_terms | time_terms | scope.employer_terms

    def default_fact_id(self, today: date | None = None) -> str:
        """The answer id of a day count that names no strike (`StrikeScope.default_strike`)."""
        strike = self._scope.default_strike(today)
        return f"{FACT_ID_PREFIX}{strike.id if strike else ''}"

    def is_day_count(self, analysed: Analysed) -> bool:
        """Whether the question asks which day of a strike it is, or how long it has run."""
        scope = self._scope
        if not scope.strikes:
            return False
        tokens = analysed.tokens
        terms = set(analysed.terms)
        allowed = self._allowed
        off_topic = {t for t in terms if t not in allowed and not t.startswith(DATE_TOKEN_PREFIX)}
        if off_topic or any(t.isdigit() and len(t) == 4 for t in tokens):
            return False
        if scope.names_previous_strike(tokens):
            return False
        return _counting_intent(tokens, has_strike=not scope.naming_terms.isdisjoint(terms))

    def strike_for(self, analysed: Analysed, today: date | None = None) -> Strike:
        """The strike whose union the question names first; the default one otherwise."""
        scope = self._scope
        return scope.first_named(analysed) or scope.default_strike(today) or scope.strikes[0]

    def answer(self, question: str, analysed: Analysed, today: date | None) -> Answer | None:
        """The calendar's answer when this is a day-count question, else None."""
        if not self.is_day_count(analysed):
            return None
        strike = self.strike_for(analysed, today)
        named = extract_date(question, strike.start.year) if find_dates(question) else None
        current = today or local_today(strike, datetime.now(UTC))
        on = named or current
        return Answer(
            question=question,
            answered=True,
            score=1.0,
            fact_id=f"{FACT_ID_PREFIX}{strike.id}",
            text=day_count_text(strike, on, is_today=named is None or named == current),
            as_of=on,
            kind=KIND,
            citations=self.start_citations(strike),
        )

    def start_citations(self, strike: Strike) -> tuple[CitedSource, ...]:
        """The evidence for the strike's start date: facts tagged as stating it."""
        cited: list[CitedSource] = []
        for fact in sorted(self._knowledge.current_facts(), key=lambda f: f.id):
            if strike.id in fact.strikes and START_TAGS & set(fact.tags):
                cited.extend(cite(self._knowledge, c.source_id, c.quote) for c in fact.citations)
        if cited:
            return tuple(cited)
        # No tagged fact: fall back to any citation whose quote names the start date.
        start = (strike.start.month, strike.start.day)
        for fact in sorted(self._knowledge.current_facts(), key=lambda f: f.id):
            for c in fact.citations:
                if any((d.month, d.day) == start for d in find_dates(c.quote)):
                    cited.append(cite(self._knowledge, c.source_id, c.quote))
        return tuple(cited[:2])


def _counting_intent(tokens: Sequence[str], has_strike: bool) -> bool:
    pairs = list(itertools.pairwise(tokens))
    if ("how", "long") in pairs or ("day", "count") in pairs or ("days", "count") in pairs:
        return True
    if ("how", "many") in pairs and ("days" in tokens or "day" in tokens):
        return True
    for i, (first, second) in enumerate(pairs):
        if first in {"what", "which"} and second in {"day", "number"}:
            after = tokens[i + 2] if i + 2 < len(tokens) else ""
            return after not in EVENT_AUXILIARIES
    if "day" in tokens and ("number" in tokens or "today" in tokens or "count" in tokens):
        return True
    # "strike day??": nothing but a strike word and "day".
    return has_strike and "day" in tokens and len(tokens) <= 4


def _long_date(on: date) -> str:
    return f"{on:%a %b} {on.day}, {on.year}"


def _short_date(on: date) -> str:
    return f"{on:%b} {on.day}, {on.year}"


def day_count_text(strike: Strike, on: date, *, is_today: bool) -> str:
    """The sentence a member reads: which day of the strike `on` is (or was)."""
    name = f"{strike.union.short} strike against the {strike.against.short}"
    began = f"which began {_short_date(strike.start)}"
    if on < strike.start:
        return (
            f"The {name} had not begun on {_long_date(on)}: "
            f"it began {_short_date(strike.start)} (day 1)."
        )
    state = strike_day(strike, on)
    if not state.ongoing and strike.end is not None and on >= strike.end:
        return (
            f"The {name} ended on {_short_date(strike.end)} after {length_in_days(strike)} "
            f"days (it began {_short_date(strike.start)})."
        )
    if is_today:
        return f"Today ({_long_date(on)}) is day {state.day} of the {name}, {began}."
    return f"{_long_date(on)} was day {state.day} of the {name}, {began}."
