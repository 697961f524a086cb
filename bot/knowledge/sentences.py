"""Splits a source's cleaned text into sentences that keep their place in the text.

Coverage (`kb coverage`) asks, sentence by sentence, whether some fact cites it; that
needs sentences with exact character spans and paragraph numbers, so a moderator can
find an uncited sentence in the article. News prose defeats a naive split on ". ":
quotes end sentences after the period (`… forward.”`), attributions continue them after
a comma inside the quote (`“I do not,” Bass told KNX.`), initialisms carry periods
(`U.S. union production`), and em dashes join clauses without ending anything. The
rules below handle those and nothing cleverer; a sentence split too coarsely only makes
coverage stricter, never hides an uncited statement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A paragraph break in cleaned text: ingestion separates paragraphs by a blank line.
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")

# Candidate sentence end: terminal punctuation, then any closing quotes or brackets, then
# white space, then something that can open a sentence (an opening quote or bracket, a
# capital letter or a digit). A lower-case continuation ("U.S. union", "“Why?” she
# asked") never ends a sentence, and a comma inside a quote (“I do not,” Bass) is not
# terminal punctuation at all.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]*[A-Z0-9])")

# Words that end in a period without ending the sentence when a capital follows
# ("Mr. Rodman", "Gen. Counsel"). Compared case-insensitively, without the period.
ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "gen",
        "gov",
        "sen",
        "rep",
        "rev",
        "lt",
        "col",
        "sgt",
        "capt",
        "inc",
        "co",
        "corp",
        "ltd",
        "vs",
        "no",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)
# Dotted initialisms ("U.S.", "L.A.", "D.C.") and single initials ("Carol A. Lombardini")
# read as abbreviations too: "the U.S. Senate" is one sentence. Ending a sentence on an
# initialism followed by a capital is rare in news copy and only merges two sentences.
_INITIALISM = re.compile(r"(?:\b[A-Za-z]\.)+$")
_LAST_WORD = re.compile(r"([A-Za-z]+)\.$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a text: its words, where it stands, and its paragraph.

    `start` and `end` are offsets into the text that was split (so `text[start:end]` is
    the sentence); `paragraph` counts from 1, as a reader would number them.
    """

    paragraph: int
    start: int
    end: int
    text: str


def _is_abbreviation(before: str) -> bool:
    """Whether the period ending `before` belongs to an abbreviation, not a sentence end."""
    if _INITIALISM.search(before):
        return True
    word = _LAST_WORD.search(before)
    return word is not None and word.group(1).lower() in ABBREVIATIONS


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank paragraph, trimmed of surrounding white space."""
    spans = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        stop = match.start() if match else len(text)
        chunk = text[position:stop]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((position + lead, position + len(chunk.rstrip())))
        if match:
            position = match.end()
    return spans


def _sentence_ends(paragraph: str) -> list[int]:
    """Offsets in the paragraph just past each sentence-ending punctuation run."""
    ends = []
    for match in _SENTENCE_END.finditer(paragraph):
        if match.group().startswith(".") and _is_abbreviation(paragraph[: match.start() + 1]):
            continue
        ends.append(match.end())
    return ends


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Every sentence of `text`, in order, with spans into `text` and paragraph numbers."""
    sentences: list[Sentence] = []
    for number, (p_start, p_end) in enumerate(_paragraph_spans(text), start=1):
        paragraph = text[p_start:p_end]
        begin = 0
        for end in [*_sentence_ends(paragraph), len(paragraph)]:
            piece = paragraph[begin:end]
            lead = len(piece) - len(piece.lstrip())
            trimmed = piece.strip()
            if trimmed:
                start = p_start + begin + lead
                sentences.append(Sentence(number, start, start + len(trimmed), trimmed))
            begin = end
    return tuple(sentences)
