"""Question texts reach the log only at DEBUG; the outcome is logged at INFO without them."""

from __future__ import annotations

import logging

import pytest

from bot.exts.ask._cog import log as ask_log
from tests.exts.ask.conftest import AskScene

QUESTION = "are talks back on?"


async def _ask(scene: AskScene) -> None:
    record = await scene.double.send_slash_command(
        scene.guild, scene.general, scene.alice, "ask", {"question": QUESTION}
    )
    await scene.double.wait_for_callback(record)


async def test_question_text_only_at_debug(
    scene: AskScene, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger=ask_log.name):
        await _ask(scene)
    infos = [r for r in caplog.records if r.name == ask_log.name]
    assert infos, "the outcome of each question is logged at INFO"
    assert all(QUESTION not in repr(getattr(r, "fields", {})) for r in infos)
    assert all(QUESTION not in r.getMessage() for r in infos)

    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger=ask_log.name):
        await _ask(scene)
    assert any(
        r.levelno == logging.DEBUG and getattr(r, "fields", {}).get("question") == QUESTION
        for r in caplog.records
    )
