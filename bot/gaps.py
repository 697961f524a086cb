"""Groups unanswered questions by similarity, so `/facts gaps` shows what to add first.

Members ask the same missing thing in many wordings; counting exact texts would spread
one gap over many rows. Texts are normalised lightly (case, punctuation, spacing) and
clustered greedily, most frequent first, against each group's representative.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

# token_set_ratio >= 80 joins rewordings ("when will the strike end" / "when does the
# strike end?") while keeping different topics ("strike pay" / "strike end") apart.
SIMILARITY_THRESHOLD = 80
# token_set_ratio scores a text that is a subset of another 100, so a one- or two-word
# question ("strike?") would swallow every group; below this many words, compare whole
# strings (token_sort_ratio) instead.
MIN_WORDS_FOR_SUBSET_MATCH = 3
# Examples kept per group: enough for a moderator to see the wordings, short for Discord.
MAX_EXAMPLES = 3

_NOT_WORD = re.compile(r"[^\w\s]+")


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """Similar unanswered questions: the commonest wording, how often, other wordings."""

    representative: str
    count: int
    examples: tuple[str, ...]


def normalise_question(text: str) -> str:
    """Lowercase, punctuation dropped, spacing collapsed: enough to compare wordings."""
    return " ".join(_NOT_WORD.sub(" ", text.lower()).split())


def _similarity(a: str, b: str) -> float:
    if min(len(a.split()), len(b.split())) < MIN_WORDS_FOR_SUBSET_MATCH:
        return fuzz.token_sort_ratio(a, b)
    return fuzz.token_set_ratio(a, b)


def group_questions(
    texts: Iterable[str], *, threshold: float = SIMILARITY_THRESHOLD
) -> list[QuestionGroup]:
    """Groups of similar questions, largest first (ties by representative text)."""
    counts: Counter[str] = Counter()
    wording: dict[str, str] = {}
    for text in texts:
        key = normalise_question(text)
        if key:
            counts[key] += 1
            wording.setdefault(key, " ".join(text.split()))
    members: list[list[str]] = []
    for key, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        for group in members:
            if _similarity(key, group[0]) >= threshold:
                group.append(key)
                break
        else:
            members.append([key])
    groups = [
        QuestionGroup(
            representative=wording[group[0]],
            count=sum(counts[k] for k in group),
            examples=tuple(wording[k] for k in group[1 : MAX_EXAMPLES + 1]),
        )
        for group in members
    ]
    return sorted(groups, key=lambda g: (-g.count, g.representative.lower()))
