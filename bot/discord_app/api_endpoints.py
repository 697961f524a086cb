"""Testing only: point discord.py at a local Discord API double instead of Discord.

discord.py reads its REST base from the class attribute `discord.http.Route.BASE` (a str
such as "https://discord.com/api/v10"; webhooks and interaction callbacks use it too) and,
for a plain (unsharded) client, connects straight to
`discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` (a `yarl.URL`). Both are process-wide,
so `endpoint_overrides` restores the previous values on exit for tests that run several
bots in one process. Production never sets STRIKEBOT_DISCORD_API_BASE or
STRIKEBOT_DISCORD_GATEWAY, and then nothing here changes anything.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

import discord.gateway
import discord.http
import yarl

log = logging.getLogger(__name__)

# The REST version discord.py 2.x speaks; appended when the base given is a bare host.
API_PATH: Final = "/api/v10"
_VERSIONED_PATH: Final = re.compile(r"/api/v\d+$")


@dataclass(frozen=True)
class Endpoints:
    """The REST base and gateway URL discord.py will use."""

    api_base: str
    gateway: yarl.URL


def current_endpoints() -> Endpoints:
    """What discord.py is pointed at right now."""
    return Endpoints(discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


def rest_base(api_base: str) -> str:
    """`http://host:port` -> `http://host:port/api/v10`; a base with /api/vN is kept."""
    trimmed = api_base.rstrip("/")
    return trimmed if _VERSIONED_PATH.search(trimmed) else trimmed + API_PATH


def apply_endpoint_overrides(api_base: str | None, gateway: str | None) -> Endpoints:
    """Point discord.py at a double (None leaves that endpoint alone); returns the old ones."""
    previous = current_endpoints()
    if api_base is not None:
        discord.http.Route.BASE = rest_base(api_base)
    if gateway is not None:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)
    if api_base is not None or gateway is not None:
        now = current_endpoints()
        log.warning(
            "TESTING ONLY: Discord endpoints overridden",
            extra={"fields": {"api_base": now.api_base, "gateway": str(now.gateway)}},
        )
    return previous


def restore_endpoints(endpoints: Endpoints) -> None:
    """Put back endpoints saved by `apply_endpoint_overrides`."""
    discord.http.Route.BASE = endpoints.api_base
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = endpoints.gateway


@contextmanager
def endpoint_overrides(api_base: str | None, gateway: str | None) -> Iterator[Endpoints]:
    """Overrides for the duration of a block (tests, `strikebot run`), then restored."""
    previous = apply_endpoint_overrides(api_base, gateway)
    try:
        yield current_endpoints()
    finally:
        restore_endpoints(previous)
