"""The `strikebot ask` contract: text, one JSON object, and JSON lines from stdin."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
JSON_KEYS = [
    "question",
    "answered",
    "fact_id",
    "answer",
    "score",
    "citations",
    "suggestions",
]
CITATION_KEYS = ["source_id", "outlet", "title", "published", "published_inferred", "url", "quote"]


def test_text_answer_shows_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--knowledge", str(KNOWLEDGE), "residuals for streaming?"]) == 0
    out = capsys.readouterr().out
    assert "success-based residuals" in out
    assert "— The Hollywood Reporter, Aug 4, 2023: “" in out
    assert "Unnamed wire report, Aug 11, 2023 (date inferred)" in out


def test_text_refusal_offers_suggestions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--knowledge", str(KNOWLEDGE), "what about the studios and AI dates"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("I don't have a sourced answer to that.") or "Sources:" in out


def test_json_keys_are_exactly_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--knowledge", str(KNOWLEDGE), "are talks back on??"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert list(obj) == JSON_KEYS
    assert obj["answered"] is True and isinstance(obj["fact_id"], str)
    assert obj["citations"] and list(obj["citations"][0]) == CITATION_KEYS
    assert isinstance(obj["suggestions"], list)


def test_json_refusal_has_nulls(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--knowledge", str(KNOWLEDGE), "best pizza near me"]) == 0
    obj = json.loads(capsys.readouterr().out)
    assert list(obj) == JSON_KEYS
    assert obj["answered"] is False and obj["fact_id"] is None and obj["answer"] is None


def test_knowledge_errors_go_to_stderr_with_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["ask", "--knowledge", str(tmp_path / "missing"), "hi"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "knowledge" in captured.err


def test_stdin_mode_answers_line_by_line_flushing_each() -> None:
    """A reader gets each answer before sending the next question: proof of flushing."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "ask", "--json", "--knowledge", str(KNOWLEDGE), "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        for question in ("are talks back on??", "lol", "wut day of the strke is it"):
            process.stdin.write(question + "\n")
            process.stdin.flush()
            obj = json.loads(process.stdout.readline())  # blocks unless flushed
            assert obj["question"] == question
            assert list(obj) == JSON_KEYS
    finally:
        process.stdin.close()
        status = process.wait(timeout=30)
        process.stdout.close()
    assert status == 0
