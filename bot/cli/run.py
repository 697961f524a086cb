"""`strikebot run`: start the Discord bot with its health server, until SIGTERM/SIGINT.

Start-up refuses to run half-configured: a bad setting or missing token exits 2 with a
message naming it, a broken knowledge base exits 1 listing every issue, and a token
Discord rejects exits 2 with a sentence instead of a traceback. The token is never
printed or logged (the log formatter redacts it even if something tries).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sqlite3
import sys
from dataclasses import replace
from pathlib import Path
from typing import Final

import discord

from bot.cli import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from bot.config import TOKEN_ENV, TOKEN_FILE_ENV, ConfigError, Settings, load_settings
from bot.discord_app.in_flight import finish_handlers
from bot.health import HealthServer, Metrics
from bot.knowledge.issues import KnowledgeError
from bot.logging_setup import configure_logging
from bot.loop_lag import LoopLagMonitor

log = logging.getLogger(__name__)

# Kubernetes and Docker wait 10 s (by default) between SIGTERM and SIGKILL; stopping in
# under half of that leaves room for the database to close cleanly.
SHUTDOWN_STEP_SECONDS: Final = 4.0
HANDLER_DRAIN_SECONDS: Final = 2.0
"""How long running handlers get to finish (a reply to send, a question to store) before
the gateway closes; those started meanwhile get LATE_HANDLER_SECONDS more before the
database closes."""
LATE_HANDLER_SECONDS: Final = 1.0
STOP_SIGNALS: Final = (signal.SIGTERM, signal.SIGINT)


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    """Add `strikebot run`."""
    parser = subparsers.add_parser(
        "run",
        parents=[common],
        help="run the Discord bot",
        description="Run the Discord bot. The token comes from DISCORD_TOKEN_FILE or "
        "DISCORD_TOKEN; other settings from STRIKEBOT_* variables or --config.",
    )
    parser.add_argument("--config", type=Path, metavar="FILE", help="TOML settings file")
    parser.set_defaults(handler=run_command, knowledge_default=common.get_default("knowledge"))


def run_command(args: argparse.Namespace) -> int:
    """Load settings, then run the bot until it stops; returns the exit status."""
    try:
        settings = load_settings(os.environ, args.config, require_token=True)
    except ConfigError as error:
        print(f"strikebot run: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.knowledge != args.knowledge_default:  # an explicit --knowledge wins
        settings = replace(settings, knowledge_dir=args.knowledge)
    token = settings.token.reveal() if settings.token else ""
    configure_logging(
        settings.log_level, settings.log_format, settings.log_file, secrets=[token] if token else []
    )
    try:
        return asyncio.run(serve(settings))
    except KeyboardInterrupt:  # a second Ctrl-C during shutdown
        return EXIT_OK


async def serve(settings: Settings) -> int:
    """Run everything until a stop signal or the gateway ends; clean up in reverse."""
    # Imported here so `strikebot --help` and other commands do not import discord.py.
    from bot.discord_app.api_endpoints import apply_endpoint_overrides, restore_endpoints
    from bot.discord_app.client import StrikeBot
    from bot.discord_app.health_checks import BotHealth
    from bot.runtime import Runtime

    if settings.token is None:  # load_settings(require_token=True) guarantees it
        print("strikebot run: no bot token", file=sys.stderr)
        return EXIT_USAGE
    metrics = Metrics()
    try:
        runtime = await Runtime.open(settings, metrics=metrics)
    except KnowledgeError as error:
        for issue in error.issues:
            print(issue, file=sys.stderr)
        print(
            f"strikebot run: {len(error.issues)} problem(s) in the knowledge base "
            f"{settings.knowledge_dir}; fix them (see `strikebot kb check`) and start again.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    except (OSError, sqlite3.Error) as error:
        print(
            f"strikebot run: cannot open the database {settings.db_path}: {error}", file=sys.stderr
        )
        return EXIT_PROBLEMS

    previous_endpoints = apply_endpoint_overrides(
        settings.discord_api_base, settings.discord_gateway
    )
    bot = StrikeBot(runtime)
    loop_lag = LoopLagMonitor(on_sample=metrics.loop_lag)
    health = (
        HealthServer(metrics, BotHealth(bot, runtime), loop_lag)
        if settings.health_enabled
        else None
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in STOP_SIGNALS:
        loop.add_signal_handler(signum, stop.set)
    bot_task: asyncio.Task[None] | None = None
    try:
        if health is not None:
            try:
                await health.start(settings.health_host, settings.health_port)
            except OSError as error:
                print(
                    f"strikebot run: health server cannot listen on "
                    f"{settings.health_host}:{settings.health_port} ({error.strerror}). Set "
                    "STRIKEBOT_HEALTH_PORT to a free port or STRIKEBOT_HEALTH_ENABLED=false.",
                    file=sys.stderr,
                )
                return EXIT_PROBLEMS
        loop_lag.start()
        bot_task = asyncio.create_task(bot.start(settings.token.reveal()), name="discord")
        stop_task = asyncio.create_task(stop.wait(), name="stop-signal")
        await asyncio.wait({bot_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
        stop_task.cancel()
        if stop.is_set():
            log.info("stop signal received; shutting down")
            return EXIT_OK
        return _exit_status(bot_task)
    finally:
        for signum in STOP_SIGNALS:
            loop.remove_signal_handler(signum)
        await _shutdown(bot, bot_task, health)
        await loop_lag.stop()
        await runtime.close()
        restore_endpoints(previous_endpoints)
        log.info("stopped")


def _exit_status(bot_task: asyncio.Task[None]) -> int:
    """Why the gateway ended, as an exit status and a message a human can act on."""
    error = bot_task.exception()
    if error is None:
        return EXIT_OK
    if isinstance(error, discord.LoginFailure):
        print(
            f"strikebot run: Discord rejected the token ({TOKEN_ENV}/{TOKEN_FILE_ENV}): {error}. "
            "Copy the bot token again from the developer portal (Bot > Reset Token).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if isinstance(error, discord.PrivilegedIntentsRequired):
        print(f"strikebot run: Discord refused the requested intents: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    log.error("the Discord connection failed", exc_info=error)
    print(f"strikebot run: the Discord connection failed: {type(error).__name__}", file=sys.stderr)
    return EXIT_PROBLEMS


async def _shutdown(
    bot: discord.Client, bot_task: asyncio.Task[None] | None, health: HealthServer | None
) -> None:
    """Let running handlers finish, close the gateway, then the health server; each step
    bounded in time. The database closes after this (Runtime.close)."""
    await finish_handlers(HANDLER_DRAIN_SECONDS)
    with contextlib.suppress(Exception):
        await asyncio.wait_for(bot.close(), SHUTDOWN_STEP_SECONDS)
    if bot_task is not None and not bot_task.done():
        bot_task.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.wait_for(bot_task, SHUTDOWN_STEP_SECONDS)
    await finish_handlers(LATE_HANDLER_SECONDS)
    if health is not None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(health.stop(), SHUTDOWN_STEP_SECONDS)
