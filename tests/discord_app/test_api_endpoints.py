"""Testing-only endpoint overrides put discord.py's own class attributes back afterwards."""

from __future__ import annotations

import discord.gateway
import discord.http
import yarl

from bot.discord_app.api_endpoints import endpoint_overrides, rest_base


def test_rest_base_adds_the_api_version_to_a_bare_host() -> None:
    assert rest_base("http://127.0.0.1:8000") == "http://127.0.0.1:8000/api/v10"
    assert rest_base("http://127.0.0.1:8000/") == "http://127.0.0.1:8000/api/v10"
    assert rest_base("http://127.0.0.1:8000/api/v10") == "http://127.0.0.1:8000/api/v10"


def test_overrides_use_discord_py_types_and_are_restored() -> None:
    real_base = discord.http.Route.BASE
    real_gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    with endpoint_overrides("http://127.0.0.1:9", "ws://127.0.0.1:9/gateway/"):
        assert discord.http.Route.BASE == "http://127.0.0.1:9/api/v10"
        assert discord.http.Route("GET", "/users/@me").url == "http://127.0.0.1:9/api/v10/users/@me"
        gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
        assert isinstance(gateway, yarl.URL) and str(gateway) == "ws://127.0.0.1:9/gateway/"
    assert real_base == discord.http.Route.BASE
    assert real_gateway == discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def test_no_overrides_change_nothing() -> None:
    real_base = discord.http.Route.BASE
    with endpoint_overrides(None, None):
        assert real_base == discord.http.Route.BASE
