"""The build-time shortcuts of TextAnalyser give what the full pipeline gives.

Indexing analyses fact answers and tags with `fact_terms` and fact questions with
`fact_question` (they skip what only members' questions need); a fact must index the
same terms as `analyse(text, correct=False)` reads, or questions stop meeting facts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase
from bot.matching.analysis import TextAnalyser

KNOWLEDGE = Path(__file__).resolve().parents[2] / "knowledge"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE)


def _fact_texts(kb: KnowledgeBase) -> list[str]:
    return [t for f in kb.facts.values() for t in (*f.questions, f.answer, *f.tags)]


@pytest.mark.parametrize("building", [True, False], ids=["while building", "after building"])
def test_build_shortcuts_match_the_full_pipeline(kb: KnowledgeBase, building: bool) -> None:
    texts = _fact_texts(kb)
    analyser = TextAnalyser(kb.synonyms, texts)
    if not building:
        analyser.end_build()
    for text in texts:
        full = analyser.analyse(text, correct=False)
        assert analyser.fact_terms(text) == full.terms, text
        asked = analyser.fact_question(text)
        assert asked.terms == full.terms, text
        assert asked.wh == full.wh, text
        assert (asked.definitional, asked.contents) == (full.definitional, full.contents), text
