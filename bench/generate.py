"""Synthetic fact bases of any size, as a union federation's years of coverage would be.

Each generated strike (a union against an employer in a city, in a past year, ended so
it never competes with the real ongoing strikes for "what day is it") gets facts on a
random selection of topics (`bench.topics`), each with three or four member-style
questions, a dated answer and one citation whose quote stands verbatim in a generated
article, so the base passes `kb check`. The real committed base (`knowledge/`) is merged
in, so the project's quality question set is answerable at every size; a size counts
all facts, real ones included.

Run as `python -m bench.generate --size N --out DIR` to write the base (pickle) and the
member-style query set (JSON) for the benchmark's worker processes.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench.queries import FactSeed, MemberQuery, member_queries
from bench.topics import TOPICS, Topic
from bench.vocabulary import (
    CITIES,
    EMPLOYERS,
    FIRST_NAMES,
    LAST_NAMES,
    MONTH_NAMES,
    OUTLETS,
    PICKET_PLACES,
    ROLES,
    UNIONS,
    UnionName,
)
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import (
    Citation,
    Fact,
    KnowledgeBase,
    Party,
    Source,
    Strike,
    SynonymGroup,
)

SEED = 20_230_802
"""Fixed so every run benchmarks the same bases and the same queries."""
REAL_KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
FACTS_PER_ARTICLE = 8
"""A news article covers a handful of developments; thousands of articles at 100k facts."""
MIN_TOPICS_PER_STRIKE = 12
"""A strike worth covering has at least this many facts; the rest of the topics are random."""
FIRST_YEAR, LAST_YEAR = 2005, 2022
"""Past strikes only: the real base's 2023 strikes stay the only ongoing ones."""
TIMEZONES = ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles")
QUERIES_PER_SIZE = 1_000
"""Member-style queries written per base; the harness times a (budgeted) prefix of them."""
CACHE_BASE = "knowledge.pickle"
CACHE_QUERIES = "queries.json"


@dataclass(frozen=True, slots=True)
class GeneratedBase:
    """A generated base and the seeds of its generated (not real) facts."""

    knowledge: KnowledgeBase
    seeds: tuple[FactSeed, ...]


@dataclass(frozen=True, slots=True)
class StrikeSetting:
    """Who strikes whom, where and when: the names every fact of a strike reuses."""

    strike: Strike
    union: UnionName
    employer: str
    city: str


def slug(text: str) -> str:
    """An id-safe form of a name."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def spoken_date(day: date) -> str:
    """A date the way articles and members write it: 'Aug 4, 2019'."""
    return f"{MONTH_NAMES[day.month - 1]} {day.day}, {day.year}"


def _strike_setting(rng: random.Random, taken: set[str]) -> StrikeSetting:
    while True:
        union = rng.choice(UNIONS)
        employer = rng.choice(EMPLOYERS)
        city = rng.choice(CITIES)
        year = rng.randint(FIRST_YEAR, LAST_YEAR)
        strike_id = f"{slug(union.short)}-{slug(employer)}-{slug(city)}-{year}"
        if strike_id not in taken:
            taken.add(strike_id)
            break
    start = date(year, 1, 1) + timedelta(days=rng.randint(0, 330))
    strike = Strike(
        id=strike_id,
        union=Party(union.name, union.short),
        against=Party(employer, employer),
        start=start,
        timezone=rng.choice(TIMEZONES),
        end=start + timedelta(days=rng.randint(3, 160)),
    )
    return StrikeSetting(strike, union, employer, city)


def _slots(rng: random.Random, setting: StrikeSetting) -> dict[str, str]:
    strike = setting.strike
    end = strike.end or strike.start
    when = strike.start + timedelta(days=rng.randint(0, (end - strike.start).days))
    later = when + timedelta(days=rng.randint(2, 45))
    pct = rng.randint(3, 40)
    amount = rng.randint(15, 4_000)
    n = rng.randint(2, 60)
    return {
        "union": setting.union.short,
        "union_name": setting.union.name,
        "members": setting.union.members,
        "members_cap": setting.union.members[:1].upper() + setting.union.members[1:],
        "employer": setting.employer,
        "city": setting.city,
        "date": spoken_date(when),
        "date2": spoken_date(later),
        "iso_date": when.isoformat(),
        "pct": str(pct),
        "pct2": str(max(1, pct - rng.randint(1, pct))),
        "share": str(rng.randint(55, 99)),
        "amount": f"{amount:,}",
        "amount2": f"{max(5, amount - rng.randint(1, amount)):,}",
        "person": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        "role": rng.choice(ROLES),
        "place": rng.choice(PICKET_PLACES),
        "weeks": str(rng.randint(1, 6)),
        "hours": str(rng.randint(5, 9)),
        "n": str(n),
        "n2": str(max(1, n - rng.randint(1, n))),
        "year": str(rng.randint(1995, strike.start.year)),
    }


def _article_text(rng: random.Random, setting: StrikeSetting, quotes: list[str]) -> str:
    """Paragraphs of a plausible article: a lede, the quoted developments, a closing line."""
    strike = setting.strike
    lede = (
        f"{setting.union.members[:1].upper()}{setting.union.members[1:]} at "
        f"{setting.employer} in {setting.city} remained on strike this week, the latest "
        f"turn in a dispute that began on {spoken_date(strike.start)}."
    )
    closing = rng.choice(
        (
            f"Neither side would say when the {setting.city} dispute might end.",
            f"Representatives for {setting.employer} did not respond to a request for comment.",
            f"The {setting.union.short} said more updates would follow at its next meeting.",
        )
    )
    return "\n\n".join([lede, *quotes, closing])


# The slots a question template may name: the ones that tell disputes apart.
NAME_SLOTS = ("union", "union_name", "members", "employer", "city", "person", "role")


def _facts_of_strike(
    rng: random.Random, setting: StrikeSetting, topics: list[Topic], seeds: list[FactSeed]
) -> tuple[list[Fact], list[Source]]:
    facts: list[Fact] = []
    sources: list[Source] = []
    for first in range(0, len(topics), FACTS_PER_ARTICLE):
        chunk = topics[first : first + FACTS_PER_ARTICLE]
        filled = [_slots(rng, setting) for _ in chunk]
        published = max(date.fromisoformat(s["iso_date"]) for s in filled)
        source_id = f"{setting.strike.id}-article-{len(sources)}"
        quotes = [t.quote.format(**s) for t, s in zip(chunk, filled, strict=True)]
        sources.append(
            Source(
                id=source_id,
                text=_article_text(rng, setting, quotes),
                outlet=rng.choice(OUTLETS),
                headline=f"{setting.union.short} strike at {setting.employer}: latest",
                published=published,
                url=f"https://news.example/{source_id}",
            )
        )
        for topic, slots, quote in zip(chunk, filled, quotes, strict=True):
            asked = rng.sample(topic.questions, rng.randint(3, min(4, len(topic.questions))))
            fact_id = f"{setting.strike.id}-{topic.key}"
            seeds.append(FactSeed(fact_id, topic.key, {k: slots[k] for k in NAME_SLOTS}))
            facts.append(
                Fact(
                    id=fact_id,
                    questions=tuple(q.format(**slots) for q in asked),
                    answer=topic.answer.format(**slots),
                    citations=(Citation(source_id, quote),),
                    as_of=published,
                    tags=(*topic.tags, slug(setting.union.short)),
                    strikes=(setting.strike.id,),
                )
            )
    return facts, sources


def union_synonyms() -> tuple[SynonymGroup, ...]:
    """The names members use for each generated union, as the real base lists its own."""
    return tuple(
        SynonymGroup((u.short.lower(), u.name.lower(), *u.aliases))
        for u in UNIONS
        if u.short.lower() != u.name.lower() or u.aliases
    )


def generate_knowledge(
    size: int, *, seed: int = SEED, real: KnowledgeBase | None = None
) -> GeneratedBase:
    """A valid base of `size` facts in total: the real base plus generated strikes' facts."""
    real = real if real is not None else load_knowledge(REAL_KNOWLEDGE)
    rng = random.Random(seed)
    wanted = max(0, size - len(real.facts))
    facts: list[Fact] = []
    sources: list[Source] = []
    strikes: list[Strike] = []
    seeds: list[FactSeed] = []
    taken: set[str] = set(real.strikes)
    while len(facts) < wanted:
        setting = _strike_setting(rng, taken)
        count = rng.randint(MIN_TOPICS_PER_STRIKE, len(TOPICS))
        topics = rng.sample(TOPICS, min(count, wanted - len(facts)))
        new_facts, new_sources = _facts_of_strike(rng, setting, topics, seeds)
        strikes.append(setting.strike)
        facts.extend(new_facts)
        sources.extend(new_sources)
    knowledge = KnowledgeBase.build(
        strikes=(*real.strikes.values(), *strikes),
        sources=(*real.sources.values(), *sources),
        facts=(*real.facts.values(), *facts),
        synonyms=(*real.synonyms, *union_synonyms()),
        templates=real.templates,
    )
    return GeneratedBase(knowledge, tuple(seeds))


def knowledge_parts(kb: KnowledgeBase) -> dict[str, Any]:
    """Picklable parts of a base (its read-only mapping views do not pickle)."""
    return {
        "strikes": list(kb.strikes.values()),
        "sources": list(kb.sources.values()),
        "facts": list(kb.facts.values()),
        "synonyms": list(kb.synonyms),
        "templates": dict(kb.templates),
    }


def write_cache(size: int, directory: Path, *, seed: int = SEED) -> None:
    """Generate the base and its member-style queries into `directory` for the workers."""
    directory.mkdir(parents=True, exist_ok=True)
    real = load_knowledge(REAL_KNOWLEDGE)
    generated = generate_knowledge(size, seed=seed, real=real)
    with (directory / CACHE_BASE).open("wb") as out:
        pickle.dump(knowledge_parts(generated.knowledge), out, protocol=pickle.HIGHEST_PROTOCOL)
    queries = member_queries(generated.seeds, QUERIES_PER_SIZE, seed=seed)
    (directory / CACHE_QUERIES).write_text(json.dumps([q.as_json() for q in queries]))


def read_cached_knowledge(directory: Path) -> KnowledgeBase:
    """The base a `write_cache` call stored."""
    with (directory / CACHE_BASE).open("rb") as data:
        parts = pickle.load(data)
    return KnowledgeBase.build(**parts)


def read_cached_queries(directory: Path) -> list[MemberQuery]:
    """The member-style queries a `write_cache` call stored."""
    return [MemberQuery.from_json(q) for q in json.loads((directory / CACHE_QUERIES).read_text())]


def main() -> None:
    """Entry point: `python -m bench.generate --size N --out DIR`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    write_cache(args.size, args.out, seed=args.seed)


if __name__ == "__main__":
    main()
