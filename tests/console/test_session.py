"""The interpreter in-process: blocks, cancelling, and failures that never end the session."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import load_settings
from bot.console.session import ConsoleSession
from bot.runtime import Runtime
from bot.storage.actor import Actor

NOW = datetime(2023, 8, 11, 18, 0, tzinfo=UTC)
START_ANSWER = "The WGA strike began on May 2, 2023"


@pytest.fixture
async def runtime(knowledge_copy: Path, tmp_path: Path) -> AsyncIterator[Runtime]:
    settings = load_settings({}, require_token=False)
    settings = replace(settings, knowledge_dir=knowledge_copy, db_path=tmp_path / "s.sqlite3")
    opened = await Runtime.open(settings, clock=lambda: NOW)
    try:
        yield opened
    finally:
        await opened.close()


async def run_lines(session: ConsoleSession, *lines: str) -> list[str]:
    return [await session.handle(line) for line in lines]


async def test_block_lines_print_nothing_until_the_closing_dot(runtime: Runtime) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"))
    outputs = await run_lines(
        session, "fact edit wga-strike-start-date", "answer: Began May 2, 2023.", "."
    )
    assert outputs[:2] == ["", ""]
    assert session.in_block is False
    assert outputs[2].startswith("Edited wga-strike-start-date (revision #2).")


async def test_a_cancelled_block_changes_nothing(runtime: Runtime) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"))
    outputs = await run_lines(
        session,
        "fact edit wga-strike-start-date",
        "answer: Began May 2, 2023.",
        ".cancel",
        "when did the wga strike start?",
    )
    assert outputs[2] == "Cancelled; nothing was changed."
    assert outputs[3].startswith(START_ANSWER)
    assert await runtime.stores.fact_revisions.history("wga-strike-start-date") == []


async def test_editing_an_unknown_fact_is_refused_after_its_block(runtime: Runtime) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"))
    outputs = await run_lines(session, "fact edit no-such-fact", "answer: x", ".")
    assert outputs[2].startswith("Rejected; nothing was changed:")
    assert "no fact with id 'no-such-fact'" in outputs[2]


async def test_an_unexpected_failure_is_reported_and_the_session_goes_on(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"))

    async def broken(fact_id: str) -> list[object]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(runtime.stores.fact_revisions, "history", broken)
    outputs = await run_lines(session, "fact history x", "when did the wga strike start?")
    assert outputs[0].startswith("error: that command failed unexpectedly (RuntimeError")
    assert "the session goes on" in outputs[0]
    assert outputs[1].startswith(START_ANSWER)
    assert "console command failed" in caplog.text
    assert not session.finished


async def test_interactive_edit_shows_the_fact_as_a_block_to_copy(runtime: Runtime) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"), interactive=True)
    guide = await session.handle("fact edit wga-strike-start-date")
    assert guide.startswith("Give only the lines to change. End with a line `.`")
    assert "  answer: The WGA strike began on May 2, 2023" in guide
    assert "  source: thr-2023-08-04-wga-amptp-meeting" in guide
    assert session.in_block


async def test_end_of_input_inside_a_block_saves_nothing(runtime: Runtime) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"))
    await run_lines(session, "fact retire", "fact add", "id: x")
    message = await session.end_of_input()
    assert message.startswith("Input ended inside a fact block")
    assert session.finished
    assert await runtime.stores.audit.recent() == []


async def test_quit_finishes_the_session(runtime: Runtime) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"))
    assert await session.handle("quit") == ""
    assert session.finished


async def test_reload_reports_a_broken_yaml_and_keeps_answering(
    runtime: Runtime, knowledge_copy: Path
) -> None:
    session = ConsoleSession(runtime, Actor(None, "tester"))
    (knowledge_copy / "strikes.yaml").write_text("strikes: [", encoding="utf-8")
    outputs = await run_lines(session, "reload", "when did the wga strike start?")
    assert outputs[0].startswith("The YAML has problems; still answering from the previous")
    assert "strikes.yaml" in outputs[0]
    assert outputs[1].startswith(START_ANSWER)
