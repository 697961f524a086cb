"""The one pipeline every text goes through: question or fact, the same steps.

raw tokens (normalise) -> typo correction (questions only: facts are the vocabulary)
-> light stems -> synonym phrases to concepts -> stopwords dropped. Question words
("what", "who", "when") are kept apart: they shape the comparison with a fact's
questions but are not evidence of the topic.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain, filterfalse
from typing import NamedTuple

from bot.cooperative import Steps, batched, drain, release_steps
from bot.knowledge.model import SynonymGroup
from bot.matching.normalise import STOPWORDS, WH_WORDS, is_protected, is_stopword, raw_tokens, stem
from bot.matching.synonyms import SynonymRewriter
from bot.matching.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class Analysed:
    """A text reduced to what matching compares.

    `terms` are the topic terms (stemmed, synonyms rewritten, no stopwords), `wh` the
    question words, `tokens` the surface tokens after typo correction (for rules that
    read word order, such as day-count detection). `definitional`: "what is X";
    `contents`: "what's in X" (see `_asks_contents`). `role_pairs`: each role word
    with the terms right beside it ("president", "wga"): whose role is asked about.
    """

    terms: tuple[str, ...]
    wh: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    corrections: tuple[tuple[str, str], ...] = ()
    definitional: bool = False
    contents: bool = False
    role_pairs: frozenset[tuple[str, str]] = frozenset()
    # Question words and terms as one string, for character-level fuzzy comparison;
    # stored, as every candidate's questions are compared with it on every question.
    phrase: str = ""

    @property
    def unique_terms(self) -> frozenset[str]:
        """The distinct topic terms, for coverage scoring."""
        return frozenset(self.terms)


class FactQuestion(NamedTuple):
    """What indexing reads of one way of asking a fact (see `Analysed` for the fields).

    A named tuple, not a dataclass: one is made per distinct fact question per build.
    """

    terms: tuple[str, ...]
    wh: tuple[str, ...]
    definitional: bool
    contents: bool


def prepare_tokens(text: str) -> list[str]:
    """Raw tokens with content words stemmed: the form synonym phrases are matched in."""
    return [t if is_protected(t) else stem(t) for t in raw_tokens(text)]


# Fact texts tokenised (or their words counted) per build step: about a millisecond.
TEXTS_PER_STEP = 100


class TextAnalyser:
    """Normalise, correct, stem, rewrite synonyms; built once per knowledge base."""

    def __init__(self, synonyms: Iterable[SynonymGroup], fact_texts: Iterable[str]) -> None:
        """`fact_texts` are every text of the facts: their words are the vocabulary."""
        drain(self._build_steps(synonyms, fact_texts))

    @classmethod
    def build_steps(
        cls, synonyms: Iterable[SynonymGroup], fact_texts: Iterable[str]
    ) -> Steps[TextAnalyser]:
        """The same analyser, built in bounded steps (see bot.cooperative)."""
        analyser = cls.__new__(cls)
        yield from analyser._build_steps(synonyms, fact_texts)
        return analyser

    def _build_steps(
        self, synonyms: Iterable[SynonymGroup], fact_texts: Iterable[str]
    ) -> Steps[None]:
        self.rewriter = SynonymRewriter(synonyms, prepare_tokens)
        # Fact texts are tokenised here for the vocabulary and again when indexed: keep
        # the tokens (and then the analyses, which repeat for tags) until the index is
        # built, then `end_build` drops them. Keyed by text, so duplicates cost nothing.
        # Tokens are interned: a base repeats its few thousand words hundreds of
        # thousands of times, and one string per occurrence was the build's peak memory.
        self._build_tokens: dict[str, list[str]] = {}
        self._build_analyses: dict[str, Analysed] = {}
        self._build_terms: dict[str, tuple[str, ...]] = {}
        texts = list(fact_texts)
        tokens = self._build_tokens
        for batch in batched(texts, TEXTS_PER_STEP):
            for text in batch:
                if text not in tokens:
                    tokens[text] = list(map(sys.intern, raw_tokens(text)))
            yield
        # Every occurrence counts (frequent words win typo ties): chained in C, not copied.
        words = (
            chain.from_iterable(map(tokens.__getitem__, batch))
            for batch in batched(texts, TEXTS_PER_STEP)
        )
        self.vocabulary = yield from Vocabulary.build_steps(
            chain(words, [self.rewriter.surface_words])
        )
        self.roles: frozenset[str] = frozenset()
        # The analysed forms of ROLE_WORDS, as they appear in `Analysed.terms`.
        self.roles = frozenset(
            t for word in ROLE_WORDS for t in self.analyse(word, correct=False).terms
        )

    def _join_compounds(self, tokens: list[str]) -> list[str]:
        """'walk out' -> 'walkout', 'health care' -> 'healthcare' when the base spells it so."""
        out: list[str] = []
        for token in tokens:
            if out and (joined := out[-1] + token) in self.vocabulary.surface_words:
                out[-1] = joined
            else:
                out.append(token)
        return out

    def end_build(self) -> None:
        """Drop the fact texts' tokens kept while the index was being built."""
        drain(self.end_build_steps())

    def end_build_steps(self) -> Steps[None]:
        """`end_build` in bounded steps: freeing every text's tokens at once takes 10 ms
        at 10,000 facts, so they are let go a batch of texts at a time."""
        for kept in (self._build_analyses, self._build_terms, self._build_tokens):
            yield from release_steps(kept, TEXTS_PER_STEP)
        self._build_tokens = {}
        self._build_analyses = {}
        self._build_terms = {}

    def analyse(self, text: str, *, correct: bool = True) -> Analysed:
        """Reduce a text to its terms; `correct` fixes typos (questions, not facts)."""
        if correct:
            return self._analyse(raw_tokens(text), correct=True)
        cached = self._build_analyses.get(text)
        if cached is None:
            tokens = self._build_tokens.get(text)
            cached = self._analyse(tokens if tokens is not None else raw_tokens(text))
            if self._build_tokens:
                self._build_analyses[text] = cached
        return cached

    def fact_terms(self, text: str) -> tuple[str, ...]:
        """The topic terms of a fact's answer or tag: `analyse(text, correct=False).terms`.

        Only the terms are computed (an answer's question words, flags and phrase are
        never read), and they are cached by text while the index is being built.
        """
        cached = self._build_terms.get(text)
        if cached is None:
            tokens = self._build_tokens.get(text)
            cached = self._terms(
                self._rewritten(tokens if tokens is not None else raw_tokens(text))
            )
            if self._build_tokens:
                self._build_terms[text] = cached
        return cached

    def fact_question(self, text: str) -> FactQuestion:
        """A fact's question as indexing reads it: `analyse(text, correct=False)`'s parts.

        Skips what only a member's question needs (role pairs, the fuzzy phrase,
        surface tokens).
        """
        tokens = self._build_tokens.get(text)
        if tokens is None:
            tokens = raw_tokens(text)
        rewritten = self._rewritten(tokens)
        return FactQuestion(
            self._terms(rewritten),
            _question_words(rewritten),
            _definitional(tokens),
            _asks_contents(tokens),
        )

    def _rewritten(self, tokens: list[str]) -> list[str]:
        """Stems and synonym concepts, stopwords still in."""
        # `stem` leaves protected tokens (numbers, dates, function words) as they are.
        return self.rewriter.rewrite(list(map(stem, _when_questions(tokens))))

    @staticmethod
    def _terms(rewritten: list[str]) -> tuple[str, ...]:
        return tuple(filterfalse(_NOT_TERMS.__contains__, rewritten))

    def _analyse(self, tokens: list[str], *, correct: bool = False) -> Analysed:
        """The pipeline after tokenising: typo correction, stems, synonyms, stopwords."""
        corrections: list[tuple[str, str]] = []
        if correct:
            fixed = []
            for token in tokens:
                right = self.vocabulary.correct(token)
                if right != token:
                    corrections.append((token, right))
                fixed.append(right)
            tokens = self._join_compounds(fixed)
        rewritten = self._rewritten(tokens)
        terms = self._terms(rewritten)
        wh = _question_words(rewritten)
        return Analysed(
            terms,
            wh,
            tuple(tokens),
            tuple(corrections),
            _definitional(tokens),
            _asks_contents(tokens),
            frozenset(role_attachments(terms, self.roles, QUESTION_ROLE_WINDOW)),
            " ".join(wh + terms),
        )


# Nouns naming a position someone holds. A question about a role is about the role in
# one organisation ("the president of the writers guild", "the amptp's lawyer"); a fact
# naming the same role in another organisation (the AMPTP's president) does not answer
# it. See `role_attachments` and `scoring.role_mismatch`.
ROLE_WORDS = (
    "president",
    "lawyer",
    "attorney",
    "counsel",
    "chief",
    "head",
    "leader",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "chair",
    "chairman",
    "chairwoman",
    "ceo",
    "boss",
    "director",
    "founder",
)
# How far (in topic terms) a role word's organisation may stand from it: "AMPTP
# president Carol Lombardini" puts the name between, "president of the AMPTP" does not.
ROLE_WINDOW = 2
# In a question the organisation stands right beside the role once stopwords are gone:
# "president of the writers guild", "the amptp's lawyer".
QUESTION_ROLE_WINDOW = 1


def role_attachments(
    terms: tuple[str, ...], roles: frozenset[str], window: int
) -> set[tuple[str, str]]:
    """(role, neighbour) pairs of terms at most `window` apart: which role is whose."""
    pairs: set[tuple[str, str]] = set()
    if roles.isdisjoint(terms):
        return pairs
    for i, term in enumerate(terms):
        if term not in roles:
            continue
        for j in range(max(0, i - window), min(len(terms), i + window + 1)):
            if j != i and terms[j] not in roles:
                pairs.add((term, terms[j]))
    return pairs


# "what date", "which day": the member asks when something happened.
_WHEN_NOUNS = frozenset({"date", "day", "time", "year", "month"})
# Of those, the nouns that say nothing beyond "when" and are dropped.
_DROPPED_WHEN_NOUNS = frozenset({"date", "time"})


# "how much", "how many": the member asks for a quantity, one question word.
QUANTITY_WH = {"much": "how_much", "many": "how_many"}
_QUESTION_WORDS = WH_WORDS | frozenset(QUANTITY_WH.values())
# Everything that is not a topic term, as one set: one look-up per token.
_NOT_TERMS = STOPWORDS | _QUESTION_WORDS


def _question_words(rewritten: list[str]) -> tuple[str, ...]:
    if _QUESTION_WORDS.isdisjoint(rewritten):
        return ()
    return tuple(filter(_QUESTION_WORDS.__contains__, rewritten))


_WHEN_TRIGGERS = frozenset({"how", "what", "which"})
# The words a trigger must be followed by for `_when_questions` to change anything.
_WHEN_FOLLOWERS = _WHEN_NOUNS | frozenset(QUANTITY_WH)


def _when_questions(tokens: list[str]) -> list[str]:
    """Rewrite 'what date/day/time' to 'when', and 'how much/many' to one question word."""
    if _WHEN_TRIGGERS.isdisjoint(tokens) or _WHEN_FOLLOWERS.isdisjoint(tokens):
        return tokens
    out: list[str] = []
    for token in tokens:
        if out and out[-1] == "how" and token in QUANTITY_WH:
            out[-1] = QUANTITY_WH[token]
            continue
        if out and out[-1] in {"what", "which"} and token in _WHEN_NOUNS:
            out[-1] = "when"
            if token in _DROPPED_WHEN_NOUNS:
                continue
        out.append(token)
    return out


# "what's in the deal", "what does the contract include": a request for the contents
# of something, answered only by a fact asked that way, not by one that mentions it.
_CONTENTS_VERBS = frozenset({"include", "includes", "contain", "contains"})
_BE = frozenset({"is", "are", "was", "were"})


def _asks_contents(tokens: list[str]) -> bool:
    """'what is in X', 'what was in X', 'what does X include/contain'."""
    if not tokens or tokens[0] != "what":
        return False
    if len(tokens) > 2 and tokens[1] in _BE and tokens[2] == "in":
        return True
    return not _CONTENTS_VERBS.isdisjoint(tokens[1:])


_DEFINING_WH = frozenset({"what", "who"})
_DEFINING_VERBS = frozenset({"is", "are"})
_ARTICLES = frozenset({"a", "an", "the"})
_TRAILING_FILLER = frozenset({"exactly", "actually", "again", "though", "anyway"})


def _definitional(tokens: list[str]) -> bool:
    """'what is X', 'who are X' with X a bare noun phrase: a request for a definition.

    Only a fact asked that way defines X; a fact that merely mentions X ("the studios
    won't engage on success-based residuals") does not say what X is.
    """
    if len(tokens) < 3 or tokens[0] not in _DEFINING_WH or tokens[1] not in _DEFINING_VERBS:
        return False  # what stripping trailing fillers below leaves in place
    words = list(tokens)
    while words and words[-1] in _TRAILING_FILLER:
        words.pop()
    if len(words) < 3 or words[0] not in _DEFINING_WH or words[1] not in _DEFINING_VERBS:
        return False
    rest = words[2:]
    if rest and rest[0] in _ARTICLES:
        rest = rest[1:]
    return bool(rest) and not any(is_stopword(t) or t in WH_WORDS for t in rest)
