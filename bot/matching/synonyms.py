"""Rewrite members' words and phrases to the fact base's canonical terms.

`knowledge/synonyms.yaml` groups words that mean the same thing here ("talks",
"bargaining", "negotiations"; "sag", "actors union", "sag-aftra"). The rewrite runs on
questions and on fact text alike, so both meet on one concept token whatever spelling
either side used. Phrases are matched longest first, so "writers guild of america" wins
over "writers guild", which wins over "writers".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import compress

from bot.knowledge.model import SynonymGroup

# The token a multi-word canonical term becomes: one opaque concept, never split again.
CONCEPT_JOINER = "_"


class SynonymRewriter:
    """Phrase -> canonical concept token, built once per knowledge base."""

    def __init__(
        self, groups: Iterable[SynonymGroup], prepare: Callable[[str], Sequence[str]]
    ) -> None:
        """`prepare` turns a term into tokens exactly as the question stream is prepared."""
        self._phrases: dict[tuple[str, ...], str] = {}
        self._surface: set[str] = set()
        for group in groups:
            canonical_tokens = tuple(prepare(group.canonical))
            if not canonical_tokens:
                continue
            concept = CONCEPT_JOINER.join(canonical_tokens)
            for term in group.terms:
                tokens = tuple(prepare(term))
                self._surface.update(term.split())
                # The first group to claim a phrase keeps it: groups are listed in
                # priority order in synonyms.yaml and a phrase has one meaning here.
                if tokens and tokens not in self._phrases:
                    self._phrases[tokens] = concept
        self._longest = max((len(p) for p in self._phrases), default=0)
        # Multi-token phrases by their first and second tokens, longest first: a start
        # token followed by no phrase's second word ("writers" then "want") costs one
        # look-up, not a slice and comparison per phrase it could begin.
        by_start: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        for phrase in sorted(self._phrases, key=len, reverse=True):
            if len(phrase) > 1:
                by_start.setdefault(phrase[0], {}).setdefault(phrase[1], []).append(phrase)
        self._by_start = {
            first: {second: tuple(p) for second, p in seconds.items()}
            for first, seconds in by_start.items()
        }
        # Single-token terms map in one comprehension when no longer phrase can start.
        self._single = {p[0]: c for p, c in self._phrases.items() if len(p) == 1}
        self._multi_first = frozenset(p[0] for p in self._phrases if len(p) > 1)

    @property
    def surface_words(self) -> frozenset[str]:
        """Words the synonym terms are spelt with, part of the vocabulary for typos."""
        return frozenset(self._surface)

    @property
    def concepts(self) -> frozenset[str]:
        """The canonical concept tokens the rewrite can emit."""
        return frozenset(self._phrases.values())

    def rewrite(self, tokens: Sequence[str]) -> list[str]:
        """Replace every synonym phrase in `tokens` by its concept, longest match first."""
        if not self._phrases:
            return list(tokens)
        single = self._single
        multi_first = self._multi_first
        if multi_first.isdisjoint(tokens):
            return list(map(single.get, tokens, tokens))  # single.get(t, t) per token, in C
        starts = compress(range(len(tokens)), map(multi_first.__contains__, tokens))
        # Multi-token phrases can only begin at `starts`; everything between them maps
        # token by token. Same result as trying every length at every position.
        out: list[str] = []
        done = 0
        last = len(tokens) - 1
        for i in starts:
            if i < done or i == last:
                continue  # inside a phrase already rewritten, or no second token
            for phrase in self._by_start[tokens[i]].get(tokens[i + 1], ()):
                length = len(phrase)
                if tuple(tokens[i : i + length]) == phrase:
                    between = tokens[done:i]
                    out.extend(map(single.get, between, between))
                    out.append(self._phrases[phrase])
                    done = i + length
                    break
        rest = tokens[done:]
        out.extend(map(single.get, rest, rest))
        return out
