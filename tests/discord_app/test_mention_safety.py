"""Every message our Discord code sends names its allowed mentions (none), in the call.

The client default is `AllowedMentions.none()` too; this keeps each call explicit so a
future client option or a copied snippet cannot make the bot ping anyone.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import REPO_ROOT

SENDING_METHODS = {"send", "reply", "send_message", "edit_message", "edit"}
OUR_DISCORD_CODE = [
    REPO_ROOT / "bot" / "discord_app",
    REPO_ROOT / "bot" / "exts" / "ask",
    REPO_ROOT / "bot" / "exts" / "errors.py",
]


def python_files() -> list[Path]:
    files: list[Path] = []
    for root in OUR_DISCORD_CODE:
        files.extend([root] if root.is_file() else sorted(root.rglob("*.py")))
    return files


def test_every_send_passes_allowed_mentions() -> None:
    missing, checked = [], 0
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in SENDING_METHODS:
                continue
            checked += 1
            if not any(k.arg == "allowed_mentions" for k in node.keywords):
                missing.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno}")
    assert missing == []
    assert checked >= 10  # the walk really found our sends
