"""The engine built a step at a time on the event loop is the engine built in one go."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from bot.answers.engine import AnswerEngine
from bot.cooperative import run_cooperatively
from bot.knowledge.loader import load_knowledge

ROOT = Path(__file__).resolve().parents[2]
AUG_11 = date(2023, 8, 11)


def _questions() -> list[str]:
    kb = load_knowledge(ROOT / "knowledge")
    asked = [q for f in kb.facts.values() for q in f.questions]
    for name in ("questions.yaml", "unseen.yaml"):
        data = yaml.safe_load((ROOT / "tests" / "quality" / name).read_text(encoding="utf-8"))
        asked.extend(str(entry["q"]) for entries in data.values() for entry in entries)
    return asked


async def test_stepwise_and_drained_builds_answer_and_rank_identically() -> None:
    kb = load_knowledge(ROOT / "knowledge")
    drained = AnswerEngine.from_knowledge(kb)
    stepwise = await run_cooperatively(AnswerEngine.build_steps(kb), slice_s=0.0)
    questions = _questions()
    assert len(questions) > 100
    for question in questions:
        assert stepwise.answer(question, today=AUG_11) == drained.answer(question, today=AUG_11)
        assert stepwise.rank(question) == drained.rank(question)
        assert stepwise.questions_for_autocomplete(question[:6]) == (
            drained.questions_for_autocomplete(question[:6])
        )
    assert list(stepwise.prefix_order) == list(drained.prefix_order)
    assert list(stepwise.index.question_totals) == list(drained.index.question_totals)
