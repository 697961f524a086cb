"""Stepwise work runs on the event loop a slice at a time: others run between slices."""

from __future__ import annotations

import asyncio
import gc

import pytest

from bot.answers.engine import AnswerEngine
from bot.collector import collector_paused_then_frozen
from bot.cooperative import Steps, drain, release_steps, run_cooperatively, sorted_steps
from bot.knowledge.loader import load_knowledge
from bot.matching.normalise import fold
from tests.conftest import REPO_ROOT

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"


def _counting(steps: int, finished: list[bool]) -> Steps[int]:
    try:
        for _ in range(steps):
            yield
        return steps
    finally:
        finished.append(True)


async def test_a_concurrent_task_runs_while_a_build_is_in_progress() -> None:
    kb = load_knowledge(KNOWLEDGE_DIR)
    build = asyncio.create_task(run_cooperatively(AnswerEngine.build_steps(kb), slice_s=0.0))
    seen_while_building = 0
    while not build.done():
        seen_while_building += 1
        await asyncio.sleep(0)
    assert seen_while_building > 10
    assert isinstance(build.result(), AnswerEngine)


async def test_the_result_is_what_draining_the_same_work_returns() -> None:
    assert await run_cooperatively(_counting(500, [])) == drain(_counting(500, [])) == 500


async def test_cancelling_closes_the_work_and_resumes_the_collector() -> None:
    finished: list[bool] = []
    started = asyncio.Event()

    async def build() -> None:
        with collector_paused_then_frozen():
            started.set()
            await run_cooperatively(_counting(10**9, finished), slice_s=0.0)

    task = asyncio.create_task(build())
    await started.wait()
    await asyncio.sleep(0)
    assert not gc.isenabled()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert finished == [True]
    assert gc.isenabled()


def test_sorting_in_runs_equals_one_stable_sort_of_the_real_questions() -> None:
    kb = load_knowledge(KNOWLEDGE_DIR)
    # Repeated, so equal keys span runs: ties must keep their original order.
    folded = [fold(q) for f in kb.facts.values() for q in f.questions] * 7
    numbers = range(len(folded))
    for reverse in (False, True):
        expected = sorted(numbers, key=folded.__getitem__, reverse=reverse)
        stepwise = sorted_steps(numbers, key=folded.__getitem__, reverse=reverse, run=13)
        assert drain(stepwise) == expected


def test_releasing_empties_lists_and_dicts() -> None:
    items = [(i,) for i in range(2_500)]
    table = {str(i): [i] for i in range(2_500)}
    drain(release_steps(items, 1_000))
    drain(release_steps(table, 1_000))
    assert items == [] and table == {}
