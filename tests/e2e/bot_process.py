"""`strikebot run` as a user starts it, for end-to-end scenarios against the Discord double.

`BotProcess` runs `python -m bot run` in a subprocess with its own data directory, a
copy of the knowledge base, the double's endpoints and token, a free health port and
JSON logs. A thread reads the log pipe so a test can wait for a log event; readiness is
the double's recorded IDENTIFY and READY plus a 200 from `/healthz`, never a sleep.

The process is always killed at teardown if a test left it running, and its log is
printed then, so pytest shows it with any failure (captured output of passing tests is
not shown).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from bot.config import DB_FILE_NAME
from tests.conftest import REPO_ROOT
from tests.e2e.discord_double import DiscordDouble

START_SECONDS = 20.0
"""Ceiling for start-up: imports, log-in, command sync and discord.py's 2 s guild wait."""
SHUTDOWN_SECONDS = 5.0
"""The promise `strikebot run` makes: SIGTERM to exit within 5 s."""
WAIT_SECONDS = 10.0
"""Ceiling for one awaited reply or log event; the usual wait is milliseconds."""
HEALTH_POLL_SECONDS = 0.05
"""Between /healthz probes while waiting for the gateway check to pass (not a guess at timing)."""
NO_AUTO_ANSWER_COOLDOWN = "0"
"""So scenarios may ask in an ask channel more than once a minute per member."""


def free_port() -> int:
    """A port nothing listens on right now, for the health server."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def integrity_check(db_path: Path) -> str:
    """SQLite's own verdict on the database file ("ok" when intact)."""
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        row = db.execute("PRAGMA integrity_check").fetchone()
    return str(row[0])


@dataclass
class LogReader:
    """Lines from the bot's stderr/stdout pipe, parsed as JSON where they are, with waiters."""

    lines: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    _waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, pipe: Any) -> None:
        """Thread body: record every line until the pipe closes, waking async waiters."""
        for raw in iter(pipe.readline, b""):
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            with self._lock:
                self.lines.append(line)
                with contextlib.suppress(ValueError):
                    parsed = json.loads(line)
                    if isinstance(parsed, dict):
                        self.events.append(parsed)
                waiters = list(self._waiters)
            for loop, changed in waiters:
                with contextlib.suppress(RuntimeError):  # the loop may be closed already
                    loop.call_soon_threadsafe(changed.set)

    def mark(self) -> int:
        """Position to pass as ``since`` to only consider events logged after now."""
        with self._lock:
            return len(self.events)

    def matching(
        self, predicate: Callable[[dict[str, Any]], bool], since: int = 0
    ) -> list[dict[str, Any]]:
        """Log events (JSON lines, from index ``since``) that satisfy the predicate, in order."""
        with self._lock:
            return [event for event in self.events[since:] if predicate(event)]

    async def wait_for(
        self,
        predicate: Callable[[dict[str, Any]], bool],
        timeout: float = WAIT_SECONDS,  # noqa: ASYNC109 - same waiter API as the double's
        since: int = 0,
    ) -> dict[str, Any]:
        """The first log event (from index ``since``) matching, waiting for it if needed."""
        changed = asyncio.Event()
        entry = (asyncio.get_running_loop(), changed)
        with self._lock:
            self._waiters.append(entry)
        try:
            async with asyncio.timeout(timeout):
                while True:
                    changed.clear()
                    found = self.matching(predicate, since)
                    if found:
                        return found[0]
                    await changed.wait()
        except TimeoutError:
            raise AssertionError(f"no matching log event within {timeout}s") from None
        finally:
            with self._lock:
                self._waiters.remove(entry)

    def text(self) -> str:
        """The whole log so far, for failure messages."""
        with self._lock:
            return "\n".join(self.lines)


@dataclass
class BotProcess:
    """One `strikebot run` subprocess talking to ``double``; start with `start()`."""

    double: DiscordDouble
    data_dir: Path
    knowledge_dir: Path
    extra_env: Mapping[str, str] = field(default_factory=dict)
    health_port: int = field(default_factory=free_port)
    log: LogReader = field(default_factory=LogReader)
    process: subprocess.Popen[bytes] | None = None
    _reader: threading.Thread | None = None

    @property
    def db_path(self) -> Path:
        """The SQLite file this process uses."""
        return self.data_dir / DB_FILE_NAME

    @property
    def health_url(self) -> str:
        """The health endpoint of this process."""
        return f"http://127.0.0.1:{self.health_port}/healthz"

    def env(self) -> dict[str, str]:
        """The parent's environment without bot settings, plus the double's and this run's."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("STRIKEBOT_", "DISCORD_TOKEN"))
        }
        env.update(self.double.env())
        env.update(
            STRIKEBOT_DATA_DIR=str(self.data_dir),
            STRIKEBOT_KNOWLEDGE=str(self.knowledge_dir),
            STRIKEBOT_HEALTH_HOST="127.0.0.1",
            STRIKEBOT_HEALTH_PORT=str(self.health_port),
            STRIKEBOT_LOG_FORMAT="json",
            STRIKEBOT_AUTO_ANSWER_COOLDOWN=NO_AUTO_ANSWER_COOLDOWN,
            PYTHONUNBUFFERED="1",
        )
        env.update(self.extra_env)
        return env

    async def start(
        self,
        timeout: float = START_SECONDS,  # noqa: ASYNC109 - same waiter API as the double's
        *,
        until_healthy: bool = True,
    ) -> None:
        """Start the process and wait until it identified, got READY and reports healthy.

        With ``until_healthy=False`` only until the IDENTIFY, for scenarios that act on the
        gateway while the bot is still starting.
        """
        if self.process is not None:
            raise RuntimeError("this BotProcess was already started; make a new one")
        identify_mark = self.double.gateway_events.mark()
        self.process = await asyncio.to_thread(
            subprocess.Popen,
            [sys.executable, "-m", "bot", "run"],
            cwd=REPO_ROOT,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._reader = threading.Thread(
            target=self.log.read, args=(self.process.stdout,), name="bot-log", daemon=True
        )
        self._reader.start()
        exited = asyncio.create_task(asyncio.to_thread(self.process.wait))
        try:
            ready = asyncio.create_task(
                self._wait_until_ready(identify_mark, timeout, until_healthy)
            )
            done, _ = await asyncio.wait({ready, exited}, return_when=asyncio.FIRST_COMPLETED)
            if ready not in done:
                ready.cancel()
                raise AssertionError(
                    f"strikebot run exited with {self.process.returncode} before it was ready:\n"
                    + self.log.text()
                )
            ready.result()
        finally:
            if not exited.done():
                exited.cancel()

    async def _wait_until_ready(
        self,
        since: int,
        timeout: float,  # noqa: ASYNC109 - passed on to the double's waiters
        until_healthy: bool,
    ) -> None:
        async with asyncio.timeout(timeout):
            await self.double.wait_for_gateway(
                lambda e: e.direction == "recv" and e.op == 2, timeout=timeout, since=since
            )
            if not until_healthy:
                return
            await self.double.wait_for_session(timeout=timeout, since=since)
            await self.wait_until_healthy()

    async def health(self) -> tuple[int, dict[str, Any]]:
        """One /healthz probe: status code and JSON report."""
        async with aiohttp.ClientSession() as http, http.get(self.health_url) as response:
            return response.status, json.loads(await response.text())

    async def wait_until_healthy(self) -> dict[str, Any]:
        """Probe /healthz until it answers 200 (the gateway check waits for on_ready)."""
        while True:
            with contextlib.suppress(aiohttp.ClientConnectionError):
                status, report = await self.health()
                if status == 200:
                    return report
            await asyncio.sleep(HEALTH_POLL_SECONDS)

    @property
    def running(self) -> bool:
        """Whether the process has been started and not exited."""
        return self.process is not None and self.process.poll() is None

    async def stop(self, timeout: float = SHUTDOWN_SECONDS) -> int:  # noqa: ASYNC109
        """SIGTERM, then wait up to ``timeout`` s for the exit; returns the exit status."""
        assert self.process is not None, "not started"
        self.process.send_signal(signal.SIGTERM)
        try:
            status = await asyncio.to_thread(self.process.wait, timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"strikebot run did not exit within {timeout}s of SIGTERM:\n{self.log.text()}"
            ) from None
        self._close_pipe()
        return status

    async def stop_cleanly(self) -> None:
        """SIGTERM and assert exit status 0 within the shutdown promise."""
        status = await self.stop()
        assert status == 0, f"strikebot run exited with {status}:\n{self.log.text()}"

    def kill(self) -> None:
        """Teardown: kill the process if a test left it running."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._close_pipe()

    def _close_pipe(self) -> None:
        """Let the reader thread see the end of the log, then close the pipe."""
        if self._reader is not None:
            self._reader.join(SHUTDOWN_SECONDS)
        if self.process is not None and self.process.stdout is not None:
            self.process.stdout.close()


@contextlib.asynccontextmanager
async def bot_processes(
    double: DiscordDouble, data_dir: Path, knowledge_dir: Path
) -> AsyncIterator[Callable[..., BotProcess]]:
    """A factory of BotProcesses sharing one data dir; all killed and their logs printed after.

    Call the factory with extra environment variables (``STRIKEBOT_FAKE_NOW=...``) to get a
    new, not yet started, process: restarting is making and starting the next one.
    """
    made: list[BotProcess] = []

    def make(**extra_env: str) -> BotProcess:
        process = BotProcess(double, data_dir, knowledge_dir, extra_env)
        made.append(process)
        return process

    try:
        yield make
    finally:
        for number, process in enumerate(made, start=1):
            process.kill()
            # Shown by pytest only when the test failed.
            print(f"----- strikebot run #{number} log -----\n{process.log.text()}")
