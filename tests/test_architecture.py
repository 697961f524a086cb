"""The layering rules of docs/ARCHITECTURE.md, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "bot"
# The thin Discord layer; everything else is the pure core.
DISCORD_LAYER = ("exts", "discord_app")
# `strikebot run` is where the core is handed to Discord.
DISCORD_ENTRY_POINTS = ("cli/run.py",)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _core_modules() -> list[Path]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.split("/")[0] in DISCORD_LAYER or relative in DISCORD_ENTRY_POINTS:
            continue
        modules.append(path)
    return modules


def test_the_core_never_imports_discord() -> None:
    offenders = [str(p.relative_to(REPO_ROOT)) for p in _core_modules() if "discord" in _imports(p)]
    assert len(_core_modules()) > 40
    assert offenders == []


def test_the_core_never_imports_the_discord_layer() -> None:
    offenders = []
    for path in _core_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            module = node.module if isinstance(node, ast.ImportFrom) else None
            if module and module.startswith(("bot.exts", "bot.discord_app")):
                offenders.append(f"{path.relative_to(REPO_ROOT)} -> {module}")
    assert offenders == []


def test_no_grab_bag_modules() -> None:
    grab_bags = {"utils.py", "helpers.py", "misc.py", "common.py"}
    assert [p.name for p in PACKAGE.rglob("*.py") if p.name in grab_bags] == []
