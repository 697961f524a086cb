"""Member-style queries for timing: typos, chat abbreviations, off-topic chatter.

Most queries restate one of a generated fact's questions the way members type in Discord
(lower case, dropped or doubled punctuation, "r"/"u"/"w/", a union's nickname, one or
two typos), so the expected fact is known. The rest should be refused: off-topic chat,
and questions about an employer no fact mentions. They time the methods on realistic
input and give a second, synthetic quality figure beside the project's question set.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from bench.topics import TOPICS, Topic
from bench.vocabulary import OFF_TOPIC, UNIONS

OFF_TOPIC_SHARE = 0.10
"""Roughly how often members ask the bot something unrelated."""
UNKNOWN_EMPLOYER_SHARE = 0.05
"""Questions shaped like a fact's but about a dispute the base does not cover."""
TYPO_MIN_WORD = 5
"""Members mistype long words; a typo in 'at' or 'UAW' would change the question."""
UNKNOWN_EMPLOYERS = ("Zenith Widgets", "Orbital Foods", "Quarry Bay Logistics", "Halcyon Labs")

# Chat abbreviations members use; whole words only.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "you": ("u",),
    "are": ("r",),
    "with": ("w/", "w"),
    "what's": ("whats", "wut's"),
    "what": ("wut", "wat"),
    "please": ("pls", "plz"),
    "about": ("abt",),
    "because": ("bc", "cuz"),
    "people": ("ppl",),
    "tomorrow": ("tmrw",),
    "they": ("they",),
    "don't": ("dont",),
    "is": ("is",),
    "the": ("the", "da"),
    "negotiations": ("negotiations", "negs"),
    "agreement": ("agreement", "agmt"),
    "president": ("prez",),
    "information": ("info",),
}
KEYBOARD_NEIGHBOURS = {
    "a": "sq", "e": "wr", "i": "uo", "o": "ip", "u": "yi", "n": "bm", "r": "et", "s": "ad",
    "t": "ry", "l": "k", "c": "xv", "d": "sf", "g": "fh", "k": "jl", "m": "n", "p": "o",
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FactSeed:
    """How a generated fact was made: its topic and the names its questions can use.

    The query set restates a fact's topic in any of the topic's phrasings, filled with
    these names, and knows which facts such a question fits.
    """

    fact_id: str
    topic: str
    names: dict[str, str]


@dataclass(frozen=True, slots=True)
class MemberQuery:
    """A query and the fact ids that answer it; `expected` empty means it should be refused."""

    text: str
    expected: frozenset[str]

    def as_json(self) -> dict[str, Any]:
        """Plain data for the worker processes."""
        return {"q": self.text, "expected": sorted(self.expected)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MemberQuery:
        """Inverse of `as_json`."""
        return cls(data["q"], frozenset(data["expected"]))


def _typo(rng: random.Random, word: str) -> str:
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # swapped neighbours
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == 1:  # dropped letter
        return word[:at] + word[at + 1 :]
    if kind == 2:  # doubled letter
        return word[:at] + word[at] + word[at:]
    near = KEYBOARD_NEIGHBOURS.get(word[at], word[at])
    return word[:at] + rng.choice(near) + word[at + 1 :]


def _nickname(rng: random.Random, text: str) -> str:
    for union in UNIONS:
        if union.short in text and union.aliases and rng.random() < 0.5:
            return text.replace(union.short, rng.choice(union.aliases))
    return text


def messy(rng: random.Random, question: str) -> str:
    """A question retyped the way a member would in chat."""
    text = _nickname(rng, question)
    if rng.random() < 0.8:
        text = text.lower()
    words = text.split()
    out: list[str] = []
    for word in words:
        bare = word.lower().strip("?,.")
        if bare in ABBREVIATIONS and rng.random() < 0.4:
            word = word.lower().replace(bare, rng.choice(ABBREVIATIONS[bare]))
        out.append(word)
    typos = rng.choice((0, 1, 1, 2))
    long_words = [i for i, w in enumerate(out) if len(w) >= TYPO_MIN_WORD and w.isalpha()]
    for i in rng.sample(long_words, min(typos, len(long_words))):
        out[i] = _typo(rng, out[i])
    text = " ".join(out)
    ending = rng.choice(("", "?", "??", "?", " ?"))
    return re.sub(r"\?+$", "", text).rstrip() + ending


def _template_slots(template: str) -> tuple[str, ...]:
    return tuple(re.findall(r"{(\w+)}", template))


def _signature(topic: str, template: int, slots: tuple[str, ...], names: dict[str, str]) -> tuple:
    return (topic, template, *(names[s] for s in slots))


def _pick(
    rng: random.Random,
    seeds: Sequence[FactSeed],
    topics: dict[str, Topic],
    accept: Callable[[FactSeed, int, tuple[str, ...]], bool],
) -> tuple[FactSeed, str]:
    """A random fact and one of its topic's phrasings that `accept` allows."""
    while True:
        fact = rng.choice(seeds)
        number = rng.randrange(len(topics[fact.topic].questions))
        template = topics[fact.topic].questions[number]
        if accept(fact, number, _template_slots(template)):
            return fact, template


def member_queries(seeds: Sequence[FactSeed], count: int, *, seed: int) -> list[MemberQuery]:
    """`count` member-style queries over generated facts, each fitting exactly one fact.

    A query restates the fact's topic in any of the topic's phrasings (not only the ones
    stored on the fact). A phrasing that fits several facts (two strikes in one city
    asked about by city alone) is skipped, so every expected id is unambiguous.
    """
    rng = random.Random(seed + 1)
    topics = {t.key: t for t in TOPICS}
    fits: Counter[tuple] = Counter()
    for fact in seeds:
        for number, template in enumerate(topics[fact.topic].questions):
            fits[_signature(fact.topic, number, _template_slots(template), fact.names)] += 1
    queries: list[MemberQuery] = []
    while len(queries) < count:
        roll = rng.random()
        if roll < OFF_TOPIC_SHARE or not seeds:
            queries.append(MemberQuery(messy(rng, rng.choice(OFF_TOPIC)), frozenset()))
        elif roll < OFF_TOPIC_SHARE + UNKNOWN_EMPLOYER_SHARE:
            fact, template = _pick(rng, seeds, topics, lambda f, n, s: "employer" in s)
            stranger = {**fact.names, "employer": rng.choice(UNKNOWN_EMPLOYERS)}
            queries.append(MemberQuery(messy(rng, template.format(**stranger)), frozenset()))
        else:
            fact, template = _pick(
                rng, seeds, topics, lambda f, n, s: fits[_signature(f.topic, n, s, f.names)] == 1
            )
            question = template.format(**fact.names)
            queries.append(MemberQuery(messy(rng, question), frozenset({fact.fact_id})))
    return queries
