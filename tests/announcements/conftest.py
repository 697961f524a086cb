"""The real strikes and templates from `knowledge/`, without depending on the fact files."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.knowledge.loader import read_knowledge
from bot.knowledge.model import KnowledgeBase
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """Strikes, sources and templates as committed; facts left out (tests add their own)."""
    full = read_knowledge(KNOWLEDGE_DIR).knowledge
    return KnowledgeBase.build(
        strikes=full.strikes.values(), sources=full.sources.values(), templates=full.templates
    )


def ended(kb: KnowledgeBase, strike_id: str, end: date) -> KnowledgeBase:
    """The base with this strike given an end date (as /strike end would)."""
    return kb.with_strikes([replace(kb.strikes[strike_id], end=end)])
