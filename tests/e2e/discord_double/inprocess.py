"""Run an unmodified discord.py client in the test's own event loop against the double."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TypeVar

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .double import DiscordDouble

CLIENT_READY_SECONDS = 5.0
ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def pointed_at(double: DiscordDouble) -> Iterator[None]:
    """Point this process's discord.py at the double, restoring the real endpoints after.

    The same two settings ``strikebot run`` takes from STRIKEBOT_DISCORD_API_BASE and
    STRIKEBOT_DISCORD_GATEWAY.
    """
    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = double.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(double.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


@contextlib.asynccontextmanager
async def running_client(
    client: ClientT,
    double: DiscordDouble,
    *,
    timeout: float = CLIENT_READY_SECONDS,  # noqa: ASYNC109 - the waiter API promises timeout=
) -> AsyncIterator[ClientT]:
    """Log in, connect, wait for ``on_ready``; on exit close and surface any crash.

    Waiting on the client's own ready event (not a sleep) keeps tests deterministic; pass
    ``guild_ready_timeout`` small to the client so READY is not held back 2 s.
    """
    await client.login(double.token)
    task = asyncio.create_task(client.connect(reconnect=True), name="discord-client")
    try:
        ready = asyncio.create_task(client.wait_until_ready())
        done, _ = await asyncio.wait({ready, task}, timeout=timeout, return_when="FIRST_COMPLETED")
        if ready not in done:
            ready.cancel()
            if task in done:
                task.result()  # re-raise why the client stopped
            raise AssertionError(f"client not ready within {timeout}s")
        yield client
    finally:
        await client.close()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(task, timeout)
