"""The README's quick start and configuration table are what CI and the code really do."""

from __future__ import annotations

import re

from bot.config import settings_markdown_table
from tests.conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
CI_SCRIPT = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _between(text: str, marker: str) -> str:
    match = re.search(rf"<!-- {marker}:start[^>]*-->\n(.*?)<!-- {marker}:end -->", text, re.S)
    assert match, f"README lacks the {marker} markers"
    return match.group(1).strip()


def test_settings_table_matches_the_code() -> None:
    assert _between(README, "settings-table") == settings_markdown_table().strip()


def test_ci_runs_the_readme_install_and_test_commands() -> None:
    install = "python3 -m venv .venv && .venv/bin/pip install"
    assert install in README and install in CI_SCRIPT
    assert '-e ".[dev,bench]"' in README and '-e ".[dev,bench]"' in CI_SCRIPT
    assert ".venv/bin/python -m pytest" in README
    assert CI_SCRIPT.rstrip().endswith(".venv/bin/python -m pytest")
