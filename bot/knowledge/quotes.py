"""Verbatim-quote checking, shared by `kb check`, `/fact add` and coverage.

A quote must appear in the cleaned article exactly, except for the two differences that
copying text between apps introduces on its own: white space, and curly versus straight
quote marks. Anything more lenient would let a paraphrase pass as evidence.
"""

from __future__ import annotations

import re
from functools import lru_cache

_QUOTE_MARKS = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
    }
)
_WHITESPACE = re.compile(r"\s+")


def normalise_for_quote(text: str) -> str:
    """Fold the tolerated differences so two texts can be compared verbatim."""
    return _WHITESPACE.sub(" ", text.translate(_QUOTE_MARKS)).strip()


# Sources are few and long, quotes many and short: each of 10,000 citations would
# otherwise re-normalise its whole article. A handful of articles is checked at a time.
SOURCE_CACHE_SIZE = 64


@lru_cache(maxsize=SOURCE_CACHE_SIZE)
def _normalised_source(text: str) -> str:
    return normalise_for_quote(text)


def quote_span(quote: str, text: str) -> tuple[int, int] | None:
    """Where the quote stands in the normalised text, or None when it is not verbatim."""
    needle = normalise_for_quote(quote)
    if not needle:
        return None
    start = _normalised_source(text).find(needle)
    return None if start < 0 else (start, start + len(needle))


def quote_problem(quote: str, text: str) -> str | None:
    """Why a quote cannot be evidence from this text, or None when it can."""
    if not normalise_for_quote(quote):
        return "the quote is empty"
    if quote_span(quote, text) is None:
        return (
            "the quote does not appear verbatim in the source text "
            "(only white space and curly/straight quote marks may differ)"
        )
    return None
