"""`strikebot run` starts, syncs the commands its code defines, reports ready, and stops cleanly."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path
from typing import Any

from bot.config import load_settings
from bot.discord_app.client import StrikeBot, walk_extensions
from bot.runtime import Runtime
from tests.e2e.bot_process import SHUTDOWN_SECONDS, integrity_check
from tests.e2e.scenario_world import ANSWERED, StrikeWorld
from tests.exts.ask.conftest import eventually

COMMANDS_PATH_SUFFIX = "/commands"
UNANSWERABLE = "writers pay?"
IN_FLIGHT_SECONDS = 1.0
"""How long the double holds the bot's reply: SIGTERM arrives while it waits."""


def unanswered_rows(db_path: Path) -> list[str]:
    """The unanswered questions stored, read with the stdlib after the bot has exited."""
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        return [row[0] for row in db.execute("SELECT text FROM unanswered_questions")]


async def commands_defined_in_code(knowledge_dir: Path, data_dir: Path) -> list[dict[str, Any]]:
    """The payloads the bot's own tree would sync, built in-process from the same extensions."""
    settings = load_settings(
        {"STRIKEBOT_KNOWLEDGE": str(knowledge_dir), "STRIKEBOT_DATA_DIR": str(data_dir)},
        require_token=False,
    )
    runtime = await Runtime.open(settings)
    bot = StrikeBot(runtime)
    try:
        for name in walk_extensions():
            await bot.load_extension(name)
        return [command.to_dict(bot.tree) for command in bot.tree.get_commands()]
    finally:
        await bot.close()
        await runtime.close()


def by_kind_and_name(commands: list[dict[str, Any]]) -> dict[tuple[int, str], dict[str, Any]]:
    return {(int(c.get("type", 1)), c["name"]): c for c in commands}


async def test_start_logs_in_syncs_the_codes_commands_and_reports_ready(
    strike_world: StrikeWorld, tmp_path: Path
) -> None:
    world = strike_world
    double = world.double
    bot = await world.start_bot()

    # Log-in, then IDENTIFY with the bot's token (start() also waited for READY).
    assert double.requests.matching(lambda r: r.matches("GET", "/users/@me"))
    [identify] = double.gateway_events.matching(lambda e: e.direction == "recv" and e.op == 2)
    assert identify.data["token"] == double.token
    assert double.gateway_events.matching(lambda e: e.event == "READY")

    # Command sync: the one bulk overwrite holds exactly what the code's tree defines.
    app_id = double.bot.id
    [sync] = double.requests.matching(
        lambda r: r.method == "PUT" and r.path == f"/applications/{app_id}{COMMANDS_PATH_SUFFIX}"
    )
    assert sync.status == 200
    assert [r for r in double.requests if r.status >= 500] == []
    expected = await commands_defined_in_code(world.knowledge_dir, tmp_path / "in-process")
    assert by_kind_and_name(sync.json) == by_kind_and_name(expected)
    stored = by_kind_and_name(double.commands.listed(None))
    assert stored.keys() == by_kind_and_name(expected).keys()
    assert {"ask", "fact", "kb", "setup", "announce"} <= {name for _, name in stored}

    # Health: every check passes once connected.
    status, report = await bot.health()
    assert status == 200 and report["status"] == "ok"
    assert {name: check["ok"] for name, check in report["checks"].items()} == {
        "gateway": True,
        "database": True,
        "knowledge": True,
    }
    assert bot.log.matching(lambda e: e["event"] == "connected to Discord")

    await bot.stop_cleanly()


async def test_sigterm_exits_0_within_5_seconds_and_the_database_is_intact(
    strike_world: StrikeWorld,
) -> None:
    world = strike_world
    bot = await world.start_bot()
    asked = await world.say(world.alice, world.general, ANSWERED, mention_bot=True)
    await world.reply_to(asked)  # the bot has written to its database (metrics, no row)
    await world.reply(await world.slash(world.alice, "ask", {"question": "writers pay?"}))

    status = await bot.stop(timeout=SHUTDOWN_SECONDS)

    assert status == 0, bot.log.text()
    assert bot.log.matching(lambda e: e["event"] == "stop signal received; shutting down")
    assert bot.log.matching(lambda e: e["event"] == "stopped")
    assert not bot.log.matching(lambda e: e.get("level") in ("ERROR", "CRITICAL"))
    assert integrity_check(world.db_path) == "ok"


async def test_sigterm_lets_a_question_in_flight_reply_and_store_its_gap(
    strike_world: StrikeWorld,
) -> None:
    """SIGTERM while a member's /ask is waiting on Discord: the member still gets the
    reply and the unanswered question is still stored before the database closes."""
    world = strike_world
    bot = await world.start_bot()
    held = world.double.faults.slow(
        "/interactions/{id}/{token}/callback", method="POST", delay=IN_FLIGHT_SECONDS
    )
    asked = await world.slash(world.alice, "ask", {"question": UNANSWERABLE})

    async def reply_is_held() -> bool:  # the bot's reply has reached the double and waits
        return held.hits == 1

    await eventually(reply_is_held)
    status = await bot.stop(timeout=SHUTDOWN_SECONDS)

    assert status == 0, bot.log.text()
    assert (await world.double.wait_for_callback(asked)).status < 300
    assert not bot.log.matching(lambda e: e.get("level") in ("ERROR", "CRITICAL"))
    assert unanswered_rows(world.db_path) == [UNANSWERABLE]
