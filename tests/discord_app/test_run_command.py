"""`strikebot run` as an operator meets it: a real subprocess, its exit status and stderr."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp

from tests.conftest import KNOWLEDGE_DIR, REPO_ROOT
from tests.e2e.discord_double import DiscordDouble
from tests.exts.ask.conftest import eventually

# Start-up, log-in and shutdown each take well under a second; this is only a ceiling.
PROCESS_SECONDS = 20.0
# The shutdown promise: SIGTERM to exit within a few seconds.
SHUTDOWN_SECONDS = 5.0
HEALTH_LINE = re.compile(r'event="health server listening".* port=(\d+)')


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The parent's environment without any bot settings, plus this test's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRIKEBOT_", "DISCORD_TOKEN"))}
    env.update(
        STRIKEBOT_KNOWLEDGE=str(KNOWLEDGE_DIR),
        STRIKEBOT_DATA_DIR=str(tmp_path / "data"),
        STRIKEBOT_HEALTH_ENABLED="false",
    )
    env.update(extra)
    return env


def run_sync(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "run", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=PROCESS_SECONDS,
        check=False,
    )


def test_missing_token_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    result = run_sync(clean_env(tmp_path))
    assert result.returncode == 2
    assert "no bot token" in result.stderr and "DISCORD_TOKEN_FILE" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_setting_exits_2_naming_it(tmp_path: Path) -> None:
    secret = "MTIzNDU2Nzg5MDEyMzQ1Njc4OTA.abcdef.ghijklmnopqrstuvwxyz012345"
    env = clean_env(tmp_path, DISCORD_TOKEN=secret, STRIKEBOT_HEALTH_PORT="99999")
    result = run_sync(env)
    assert result.returncode == 2
    assert "STRIKEBOT_HEALTH_PORT" in result.stderr and "health_port" in result.stderr
    assert secret not in result.stderr + result.stdout
    assert "Traceback" not in result.stderr


def test_bad_config_file_key_exits_2(tmp_path: Path) -> None:
    config = tmp_path / "bot.toml"
    config.write_text('log_levle = "DEBUG"\n', encoding="utf-8")
    result = run_sync(clean_env(tmp_path, DISCORD_TOKEN="x" * 30), "--config", str(config))
    assert result.returncode == 2
    assert "log_levle" in result.stderr and "log_level" in result.stderr


def test_broken_knowledge_base_exits_1_listing_issues(tmp_path: Path, knowledge_copy: Path) -> None:
    (knowledge_copy / "strikes.yaml").write_text("strikes: [not: a: strike\n", encoding="utf-8")
    env = clean_env(tmp_path, DISCORD_TOKEN="x" * 30, STRIKEBOT_KNOWLEDGE=str(knowledge_copy))
    result = run_sync(env)
    assert result.returncode == 1
    assert "strikes.yaml" in result.stderr and "problem(s) in the knowledge base" in result.stderr
    assert "Traceback" not in result.stderr


async def start_bot(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=REPO_ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_rejected_token_exits_2_without_a_traceback(
    discord_double: DiscordDouble, tmp_path: Path
) -> None:
    wrong = "wrong-token-for-the-double"
    env = clean_env(tmp_path, **{**discord_double.env(), "DISCORD_TOKEN": wrong})
    process = await start_bot(env)
    stdout, stderr = await asyncio.wait_for(process.communicate(), PROCESS_SECONDS)
    text = stderr.decode()
    assert process.returncode == 2, text
    assert "Discord rejected the token (DISCORD_TOKEN" in text
    assert "Traceback" not in text
    assert wrong not in text + stdout.decode()


async def test_runs_reports_healthy_and_stops_cleanly_on_sigterm(
    discord_double: DiscordDouble, tmp_path: Path
) -> None:
    double = discord_double
    double.create_guild("Strike HQ")
    env = clean_env(
        tmp_path,
        **{
            **double.env(),
            "DISCORD_TOKEN": double.token,
            "STRIKEBOT_HEALTH_ENABLED": "true",
            "STRIKEBOT_HEALTH_PORT": "0",
            "STRIKEBOT_SYNC_COMMANDS": "false",
        },
    )
    process = await start_bot(env)
    assert process.stderr is not None
    seen: list[str] = []
    try:
        port = None
        while port is None:
            line = await asyncio.wait_for(process.stderr.readline(), PROCESS_SECONDS)
            assert line, "the bot exited before its health server started:\n" + "".join(seen)
            seen.append(line.decode())
            if match := HEALTH_LINE.search(seen[-1]):
                port = int(match.group(1))
        await double.wait_for_session(timeout=PROCESS_SECONDS)
        url = f"http://127.0.0.1:{port}/healthz"
        report: dict[str, object] = {}
        async with aiohttp.ClientSession() as http:

            async def healthy() -> bool:
                async with http.get(url) as response:
                    report.update(json.loads(await response.text()))
                    return response.status == 200

            await eventually(healthy)
        assert report["status"] == "ok"
        process.send_signal(signal.SIGTERM)
        _, rest = await asyncio.wait_for(process.communicate(), SHUTDOWN_SECONDS)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    text = "".join(seen) + rest.decode()
    assert process.returncode == 0, text
    assert "Traceback" not in text
    assert double.token not in text
