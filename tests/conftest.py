"""Fixtures shared by every test: where the real inputs live, and disposable copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE_DIR = REPO_ROOT / "knowledge"
ARTICLES_DIR = REPO_ROOT.parent / "shared" / "articles"
THR_RAW = ARTICLES_DIR / "2023-08-04-thr-wga-amptp-meeting.raw.txt"
WIRE_RAW = ARTICLES_DIR / "2023-08-11-wga-talks-resume.raw.txt"


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of the committed knowledge base, for tests that break or edit it."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target
