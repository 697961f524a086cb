"""How moderators' records lay over the YAML base."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.knowledge.model import Citation, Fact, KnowledgeBase, Party, Source, Strike
from bot.knowledge.overlay import effective_knowledge

STRIKE = Strike("s", Party("Union", "U"), Party("Boss", "B"), date(2023, 5, 2), "UTC")
SOURCE = Source("src", "Text here.")
YAML_FACT = Fact("f", ("q?",), "YAML answer.", (Citation("src", "Text here."),), date(2023, 8, 1))
BASE = KnowledgeBase.build(strikes=[STRIKE], sources=[SOURCE], facts=[YAML_FACT])


def test_nothing_stored_leaves_the_base_as_it_is() -> None:
    assert effective_knowledge(BASE, [], [], {}) == BASE


def test_a_moderator_revision_replaces_the_yaml_fact_and_new_ones_are_added() -> None:
    revised = replace(YAML_FACT, answer="Moderator answer.")
    added = replace(YAML_FACT, id="g")
    kb = effective_knowledge(BASE, [revised, added], [], {})
    assert kb.facts == {"f": revised, "g": added}


def test_the_moderator_revision_wins_over_a_later_yaml_change() -> None:
    revised = replace(YAML_FACT, answer="Moderator answer.")
    later_yaml = BASE.with_facts([replace(YAML_FACT, answer="A newer YAML answer.")])
    assert effective_knowledge(later_yaml, [revised], [], {}).facts["f"] == revised


def test_retired_facts_stay_but_do_not_answer() -> None:
    kb = effective_knowledge(BASE, [replace(YAML_FACT, retired="wrong")], [], {})
    assert "f" in kb.facts
    assert kb.current_facts() == ()


def test_sources_are_added_and_strike_ends_applied() -> None:
    new = Source("new", "More text.")
    kb = effective_knowledge(BASE, [], [new], {"s": date(2023, 9, 27), "gone": date(2024, 1, 1)})
    assert set(kb.sources) == {"src", "new"}
    assert kb.strikes["s"].end == date(2023, 9, 27)
    assert set(kb.strikes) == {"s"}
    assert BASE.strikes["s"].end is None
