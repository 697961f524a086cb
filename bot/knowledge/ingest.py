"""Turns an article as received (copied from a web page) into a clean source text.

Web copies carry text that is not the article: subscription banners, sign-up and tip
lines, bylines and datelines (kept as metadata instead), and "Related Stories" blocks
whose headlines belong to other stories. None of it may ever become evidence, so it is
removed here, and what was removed is returned so tests and moderators can see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Inline promotional phrases seen in outlets' page copies. They are removed wherever they
# appear, because page copies glue them to real sentences without a line break.
BOILERPLATE_PHRASES: tuple[re.Pattern[str], ...] = (
    re.compile(r"Subscribe for full access to The Hollywood Reporter\.?", re.I),
    re.compile(r"Sign up for THR news straight to your inbox every day\.?", re.I),
    re.compile(r"Send us a tip using our anonymous form\.?", re.I),
    re.compile(r"Sign up for (?:our|the) [\w ]{1,40}newsletters?\.?", re.I),
    re.compile(r"Subscribe (?:now|today) for full access\.?", re.I),
)
# Whole lines that are page furniture rather than article text.
BYLINE = re.compile(r"^By [A-Z][\w.'\- ]+(?:,\s*[A-Z][\w.'\- ]+)*(?:,? and [A-Z][\w.'\- ]+)?$")
DATELINE_STAMP = re.compile(
    r"^(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December) \d{1,2}, \d{4}(?: \d{1,2}:\d{2}\s?[ap]m)?(?: [A-Z]{2,4})?$",
    re.I,
)
CONTRIBUTOR_CREDIT = re.compile(r"^([A-Z][\w.'\- ]+?) contributed (?:reporting|to this report)\.$")
RELATED_BLOCK_START = re.compile(r"^(?:Related Stories|Related|Read More|More From)$", re.I)
# Section labels that head each related-story teaser ("Business", "TV News", ...).
SECTION_LABEL_MAX_WORDS = 3
# A related-story headline is written in Title Case; article prose is not. Above this
# share of capitalised words a line inside a related block is taken as a headline.
TITLE_CASE_SHARE = 0.6
# Below this many words a line is too short to be prose (labels, stray buttons).
MIN_PROSE_WORDS = 8


@dataclass(frozen=True)
class CleanedArticle:
    """The article's paragraphs and what was removed, for audit and tests."""

    paragraphs: tuple[str, ...]
    removed: tuple[str, ...]
    contributors: tuple[str, ...]

    @property
    def text(self) -> str:
        """Paragraphs joined by blank lines: the form stored in `sources/*.yaml`."""
        return "\n\n".join(self.paragraphs)


def _title_case_share(line: str) -> float:
    words = [w for w in re.findall(r"[A-Za-z][\w'’\-]*", line)]
    if not words:
        return 0.0
    return sum(1 for w in words if w[0].isupper()) / len(words)


def _is_prose(line: str) -> bool:
    """Whether a line reads as a sentence of the article rather than a teaser headline."""
    words = line.split()
    if len(words) < MIN_PROSE_WORDS:
        return False
    return _title_case_share(line) < TITLE_CASE_SHARE


def _strip_phrases(line: str, removed: list[str]) -> str:
    for pattern in BOILERPLATE_PHRASES:
        for match in pattern.findall(line):
            removed.append(match)
        line = pattern.sub(" ", line)
    return re.sub(r"[ \t\u00a0]+", " ", line).strip()


def clean_article(raw: str) -> CleanedArticle:
    """Strip page boilerplate and return the article's real paragraphs, in order."""
    removed: list[str] = []
    contributors: list[str] = []
    paragraphs: list[str] = []
    in_related_block = False
    for raw_line in raw.splitlines():
        line = _strip_phrases(raw_line, removed)
        if not line:
            continue
        if RELATED_BLOCK_START.match(line):
            in_related_block = True
            removed.append(line)
            continue
        if in_related_block:
            if _is_prose(line):
                in_related_block = False
            else:
                removed.append(line)
                continue
        if BYLINE.match(line) or DATELINE_STAMP.match(line):
            removed.append(line)
            continue
        credit = CONTRIBUTOR_CREDIT.match(line)
        if credit:
            contributors.append(credit.group(1))
            removed.append(line)
            continue
        # Credits also arrive glued to the end of the last paragraph.
        tail = re.search(r"\s*([A-Z][\w.'\- ]+?) contributed reporting\.$", line)
        if tail and len(line) > len(tail.group(0)):
            contributors.append(tail.group(1))
            removed.append(tail.group(0).strip())
            line = line[: tail.start()].strip()
        paragraphs.append(line)
    return CleanedArticle(tuple(paragraphs), tuple(removed), tuple(contributors))
