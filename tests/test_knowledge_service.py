"""The active knowledge is swapped whole, and a broken reload never replaces it."""

from __future__ import annotations

import weakref
from dataclasses import replace
from pathlib import Path

import pytest

from bot.knowledge.issues import KnowledgeError
from bot.knowledge.model import KnowledgeBase
from bot.knowledge_service import KnowledgeService

QUESTION = "are talks back on?"


async def test_start_loads_and_answers(knowledge_copy: Path) -> None:
    service = KnowledgeService(knowledge_copy)
    assert not service.loaded
    await service.start()
    assert service.loaded
    assert service.answer(QUESTION).answered


async def test_start_refuses_a_broken_base(knowledge_copy: Path) -> None:
    (knowledge_copy / "strikes.yaml").write_text("strikes: [\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        await KnowledgeService(knowledge_copy).start()
    assert any("strikes.yaml" in str(issue) for issue in caught.value.issues)


async def test_broken_reload_keeps_the_old_knowledge(knowledge_copy: Path) -> None:
    service = KnowledgeService(knowledge_copy)
    before = await service.start()
    facts_file = next((knowledge_copy / "facts").glob("*.yaml"))
    facts_file.write_text("facts:\n  - id: [broken\n", encoding="utf-8")

    outcome = await service.reload()

    assert not outcome.ok
    assert any(issue.path.endswith(facts_file.name) and issue.line for issue in outcome.issues)
    assert service.snapshot is before
    assert service.answer(QUESTION).answered


async def test_good_reload_swaps_in_the_new_knowledge(knowledge_copy: Path) -> None:
    service = KnowledgeService(knowledge_copy)
    before = await service.start()
    retired_all = "\n".join(
        line + ("\n    retired: withdrawn for the test" if line.startswith("  - id:") else "")
        for line in (knowledge_copy / "facts" / "talks-resume-2023-08-11.yaml")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    (knowledge_copy / "facts" / "talks-resume-2023-08-11.yaml").write_text(
        retired_all + "\n", encoding="utf-8"
    )

    outcome = await service.reload()

    assert outcome.ok and outcome.snapshot is not before
    assert not outcome.snapshot.knowledge.facts["talks-resume-aug-11"].active
    assert service.answer(QUESTION).fact_id != "talks-resume-aug-11"


async def test_refresh_applies_the_overlay_on_the_last_good_base(knowledge_copy: Path) -> None:
    retired: set[str] = set()

    async def overlay(base: KnowledgeBase) -> KnowledgeBase:
        changed = [replace(base.facts[f], retired="moderator") for f in retired]
        return base.with_facts(changed)

    service = KnowledgeService(knowledge_copy, overlay=overlay)
    await service.start()
    assert service.answer(QUESTION).fact_id == "talks-resume-aug-11"
    # A half-edited file on disk must not block a moderator's change.
    (knowledge_copy / "strikes.yaml").write_text("oops: [\n", encoding="utf-8")
    retired.add("talks-resume-aug-11")

    await service.refresh()

    assert service.answer(QUESTION).fact_id != "talks-resume-aug-11"


async def test_a_reload_frees_the_previous_engine(knowledge_copy: Path) -> None:
    service = KnowledgeService(knowledge_copy)
    previous = weakref.ref((await service.start()).engine)
    outcome = await service.reload()
    assert outcome.ok and outcome.snapshot.engine is not previous()
    assert previous() is None
    assert service.answer(QUESTION).answered
