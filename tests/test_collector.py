"""The collector pause around big builds: restored afterwards, and what was built is frozen."""

from __future__ import annotations

import gc
import weakref

import pytest

from bot.answers.engine import AnswerEngine
from bot.collector import collector_paused_then_frozen, release_graph_steps
from bot.cooperative import drain
from bot.knowledge.loader import load_knowledge
from tests.conftest import REPO_ROOT

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"


def test_objects_built_inside_are_frozen_and_collection_resumes() -> None:
    assert gc.isenabled()
    frozen_before = gc.get_freeze_count()
    with collector_paused_then_frozen():
        assert not gc.isenabled()
        built = [[i] for i in range(1000)]  # lists are always tracked by the collector
    assert gc.isenabled()
    assert gc.get_freeze_count() >= frozen_before + len(built)


def test_an_error_inside_still_resumes_collection() -> None:
    with pytest.raises(ValueError), collector_paused_then_frozen():
        raise ValueError("broken build")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused_then_frozen():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


async def test_overlapping_pauses_resume_collection_only_when_the_last_ends() -> None:
    first = collector_paused_then_frozen()
    second = collector_paused_then_frozen()
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert not gc.isenabled()
    second.__exit__(None, None, None)
    assert gc.isenabled()


def test_release_graph_steps_frees_an_engine_in_batches_and_spares_what_is_still_used() -> None:
    kb = load_knowledge(KNOWLEDGE_DIR)
    engine = AnswerEngine.from_knowledge(kb)
    freed = weakref.ref(engine)
    steps = release_graph_steps([engine])
    del engine
    next(steps)  # the walk holds everything it has reached
    assert freed() is not None
    drain(steps)
    assert freed() is None
    assert AnswerEngine.from_knowledge(kb).answer("are talks back on?").answered
