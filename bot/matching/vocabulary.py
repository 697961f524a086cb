"""Word-level typo correction against the words the fact base actually uses.

A member who types "negotations", "inteligence" or "strke" means a word the facts
contain. Correcting only out-of-vocabulary tokens, only towards words of the fact base,
and only within a small edit distance that grows with word length keeps "pay" from
becoming "day" while still catching the common slips of longer words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from operator import itemgetter

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bot.cooperative import Steps, batched, drain, sorted_steps
from bot.matching.normalise import STOPWORDS, WH_WORDS, is_protected, stem

# Words shorter than this are never corrected: with three or four letters one edit
# turns a word into a different real word ("pay"/"day", "sag"/"say") too often.
MIN_CORRECTABLE_LENGTH = 5
# Longer words tolerate more edits before the guess becomes unreliable.
LONG_WORD_LENGTH = 8
MAX_EDITS_SHORT = 1
MAX_EDITS_LONG = 2
# Distinct words checked, stemmed or filed per build step (a few hundred µs each).
WORDS_PER_STEP = 2_000
# Per-engine cache of corrections; members repeat the same words all day.
CACHE_LIMIT = 50_000


def max_edits(token: str) -> int:
    """How many edits a token of this length may be away from its correction."""
    if len(token) < MIN_CORRECTABLE_LENGTH:
        return 0
    return MAX_EDITS_LONG if len(token) >= LONG_WORD_LENGTH else MAX_EDITS_SHORT


class Vocabulary:
    """The fact base's surface words and stems, with a cached typo corrector."""

    def __init__(self, words: Iterable[str]) -> None:
        """Build from every surface token of the facts (and synonym terms)."""
        drain(self._build_steps([words]))

    @classmethod
    def build_steps(cls, word_batches: Iterable[Iterable[str]]) -> Steps[Vocabulary]:
        """The same vocabulary, built in bounded steps (see bot.cooperative).

        `word_batches` are the words in order, in batches small enough to count in one
        step: the counts, and so the tie order of equally frequent words, are the same.
        """
        vocabulary = cls.__new__(cls)
        yield from vocabulary._build_steps(word_batches)
        return vocabulary

    def _build_steps(self, word_batches: Iterable[Iterable[str]]) -> Steps[None]:
        counts: Counter[str] = Counter()
        for words in word_batches:
            counts.update(words)
            yield
        # Counted first: `is_protected` then runs once per word.
        distinct = list(counts)
        stems: set[str] = set()
        for batch in batched(distinct, WORDS_PER_STEP):
            for word in batch:
                if is_protected(word):
                    del counts[word]
                else:
                    stems.add(stem(word))
            yield
        self._counts = counts
        self._stems = frozenset(stems)
        self._by_length: dict[int, list[str]] = {}
        # Frequent words first, so a tie in edit distance picks the commoner word
        # (`Counter.most_common()`, sorted in steps).
        by_count = yield from sorted_steps(list(counts.items()), key=itemgetter(1), reverse=True)
        for counted in batched(by_count, WORDS_PER_STEP):
            for word, _ in counted:
                self._by_length.setdefault(len(word), []).append(word)
            yield
        # Function and question words are targets too: "happend" is "happened", "whihc"
        # is "which"; they are never corrected themselves (see `is_protected`).
        for word in sorted(STOPWORDS | WH_WORDS):
            if word not in counts:
                self._by_length.setdefault(len(word), []).append(word)
        self._cache: dict[str, str] = {}
        self._surface = frozenset(counts)

    @property
    def surface_words(self) -> frozenset[str]:
        """Every word the fact base spells, as spelt."""
        return self._surface

    def __contains__(self, token: object) -> bool:
        return isinstance(token, str) and (token in self._counts or stem(token) in self._stems)

    def __len__(self) -> int:
        return len(self._counts)

    def correct(self, token: str) -> str:
        """The vocabulary word a misspelt token most likely means, or the token itself."""
        if is_protected(token) or token in self:
            return token
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        result = self._closest(token)
        if len(self._cache) < CACHE_LIMIT:
            self._cache[token] = result
        return result

    def _closest(self, token: str) -> str:
        edits = max_edits(token)
        if edits == 0:
            return token
        best: tuple[int, int, str] | None = None  # (distance, -count, word)
        for length in range(len(token) - edits, len(token) + edits + 1):
            choices = self._by_length.get(length)
            if not choices:
                continue
            found = process.extractOne(
                token, choices, scorer=Levenshtein.distance, score_cutoff=edits
            )
            if found is None:
                continue
            word, distance, _ = found
            key = (int(distance), -self._counts.get(word, 0), word)
            if best is None or key < best:
                best = key
        return best[2] if best else token
