"""The committed fact base: valid, large enough, well-formed, and free of boilerplate."""

from __future__ import annotations

import re
from datetime import date

import pytest

from bot.knowledge.ingest import clean_article
from bot.knowledge.loader import check_knowledge
from bot.knowledge.model import Fact, KnowledgeBase
from bot.knowledge.quotes import normalise_for_quote
from tests.conftest import KNOWLEDGE_DIR, THR_RAW

KEBAB_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A related-story headline counts as leaked when any run of this many of its words
# shows up: enough to be distinctive, short enough to catch a partial copy.
HEADLINE_WINDOW_WORDS = 5
# Above this share of capitalised words a removed piece reads as a Title Case headline.
TITLE_CASE_SHARE = 0.6


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    result = check_knowledge(KNOWLEDGE_DIR)
    assert not result.issues, [str(i) for i in result.issues]
    return result.knowledge


@pytest.fixture(scope="module")
def facts(kb: KnowledgeBase) -> list[Fact]:
    return list(kb.facts.values())


def test_the_committed_base_checks_clean_and_has_over_40_facts(facts: list[Fact]) -> None:
    assert len(facts) > 40


def test_every_fact_is_well_formed(kb: KnowledgeBase, facts: list[Fact]) -> None:
    for fact in facts:
        assert KEBAB_ID.match(fact.id), fact.id
        assert 3 <= len(fact.questions) <= 6, fact.id
        assert fact.strikes, fact.id
        assert fact.tags and all(t == t.lower() for t in fact.tags), fact.id
        assert fact.active, fact.id


def test_as_of_is_the_publication_date_of_the_newest_cited_article(
    kb: KnowledgeBase, facts: list[Fact]
) -> None:
    for fact in facts:
        published = [kb.sources[c.source_id].published for c in fact.citations]
        assert fact.as_of == max(d for d in published if d is not None), fact.id


def test_a_question_belongs_to_one_fact(facts: list[Fact]) -> None:
    seen: dict[str, str] = {}
    for fact in facts:
        for question in fact.questions:
            key = normalise_for_quote(question).lower()
            assert key not in seen, f"{question!r} in {fact.id} and {seen.get(key)}"
            seen[key] = fact.id


def test_a_newer_fact_supersedes_only_older_ones(kb: KnowledgeBase, facts: list[Fact]) -> None:
    links = [(f, kb.facts[old]) for f in facts for old in f.supersedes]
    assert links, "the Aug 11 report should replace some Aug 4 facts"
    for newer, older in links:
        assert newer.as_of > older.as_of, (newer.id, older.id)


def test_talks_resuming_replaces_the_aug_4_waiting_facts(kb: KnowledgeBase) -> None:
    current = {f.id for f in kb.current_facts()}
    assert "talks-resume-aug-11" in current
    assert "studio-source-back-at-table-in-a-week" not in current
    assert "amptp-consulting-member-studios" not in current


def test_strike_start_dates_are_answerable(kb: KnowledgeBase) -> None:
    start = kb.facts["wga-strike-start-date"]
    assert "May 2, 2023" in start.answer
    assert kb.strikes["wga-2023"].start == date(2023, 5, 2)
    assert "July 14, 2023" in kb.facts["sag-aftra-strike-start-date"].answer
    assert kb.strikes["sag-aftra-2023"].start == date(2023, 7, 14)


def _is_headline(piece: str) -> bool:
    """Title Case and long: a teaser headline, not a section label or a sign-up line."""
    words = re.findall(r"[A-Za-z][\w'’\-]*", piece)
    capitalised = sum(1 for w in words if w[0].isupper())
    return len(words) >= HEADLINE_WINDOW_WORDS and capitalised / len(words) > TITLE_CASE_SHARE


def _related_headlines() -> list[str]:
    """The 'Related Stories' headlines ingestion removed from the raw THR page."""
    removed = clean_article(THR_RAW.read_text(encoding="utf-8")).removed
    block = removed[removed.index("Related Stories") + 1 :]
    headlines = [piece for piece in block if _is_headline(piece)]
    assert len(headlines) == 2, block
    assert "Animation Guild" in headlines[0]
    assert "Video Game" in headlines[1]
    return headlines


def _windows(text: str) -> set[str]:
    words = normalise_for_quote(text).lower().split()
    size = HEADLINE_WINDOW_WORDS
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_no_related_story_headline_reaches_a_source_answer_or_quote(
    kb: KnowledgeBase, facts: list[Fact]
) -> None:
    texts = [s.text for s in kb.sources.values()]
    texts += [f.answer for f in facts] + [c.quote for f in facts for c in f.citations]
    texts += [c.quote for s in kb.strikes.values() for m in s.milestones for c in m.citations]
    used = set().union(*(_windows(t) for t in texts))
    for headline in _related_headlines():
        assert headline not in " ".join(texts)
        assert not (_windows(headline) & used), headline
