"""Work handed to a child process comes back whole, errors included, and frozen from the GC."""

from __future__ import annotations

import gc
import os
import pickle
from pathlib import Path

import pytest

from bot.child_process import run_in_child_process
from bot.knowledge.loader import load_knowledge, valid_base_or_issues
from bot.knowledge.model import KnowledgeBase
from tests.conftest import REPO_ROOT

KNOWLEDGE_DIR = REPO_ROOT / "knowledge"


async def test_the_work_runs_in_another_process_and_its_result_comes_back() -> None:
    child_pid = await run_in_child_process(os.getpid)
    assert isinstance(child_pid, int) and child_pid != os.getpid()


async def test_the_child_runs_at_a_lower_cpu_priority() -> None:
    assert await run_in_child_process(os.nice, 0) > os.nice(0)


async def test_an_exception_in_the_child_is_raised_here() -> None:
    with pytest.raises(FileNotFoundError):
        await run_in_child_process(Path.read_text, Path("/nonexistent/strikebot"))


async def test_a_base_read_in_a_child_equals_one_read_here_and_is_frozen() -> None:
    frozen_before = gc.get_freeze_count()
    result = await run_in_child_process(valid_base_or_issues, KNOWLEDGE_DIR)
    assert result.issues == ()
    here = load_knowledge(KNOWLEDGE_DIR)
    assert result.knowledge == here
    assert [f.origin for f in result.knowledge.facts.values()] == [
        f.origin for f in here.facts.values()
    ]
    assert gc.get_freeze_count() > frozen_before
    assert gc.isenabled()


async def test_a_broken_base_sends_back_only_its_issues(tmp_path: Path) -> None:
    (tmp_path / "strikes.yaml").write_text("strikes: [\n", encoding="utf-8")
    result = await run_in_child_process(valid_base_or_issues, tmp_path)
    assert any(i.path.endswith("strikes.yaml") and i.line for i in result.issues)
    assert result.knowledge == KnowledgeBase.build()


def test_a_knowledge_base_pickles_to_an_equal_read_only_base() -> None:
    base = load_knowledge(KNOWLEDGE_DIR)
    copy = pickle.loads(pickle.dumps(base))
    assert copy == base
    with pytest.raises(TypeError):
        copy.facts["new"] = next(iter(base.facts.values()))  # type: ignore[index]
