"""Self-tests: the double rejects what Discord rejects (400, 50035) and accepts the limits."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord.http import Route

from tests.e2e.discord_double import DiscordDouble, Guild
from tests.e2e.discord_double.inprocess import running_client
from tests.e2e.selftest_bot import DoubleTestBot


def _row(count: int, label: str = "b", prefix: str = "c") -> dict[str, Any]:
    buttons = [
        {"type": 2, "style": 1, "label": label, "custom_id": f"{prefix}{i}"} for i in range(count)
    ]
    return {"type": 1, "components": buttons}


FIELD = {"name": "n", "value": "v"}
LONG_NAME = {"name": "x" * 257, "value": "v"}
LONG_VALUE = {"name": "n", "value": "x" * 1025}
BUTTON = "components.0.components.0"
OVER_LIMIT = {
    "content": ({"content": "x" * 2001}, "content"),
    "embed-description": ({"embeds": [{"description": "x" * 4097}]}, "embeds.0.description"),
    "embed-title": ({"embeds": [{"title": "x" * 257}]}, "embeds.0.title"),
    "embed-total": ({"embeds": [{"description": "x" * 4000}] * 2}, "embeds"),
    "embed-count": ({"embeds": [{"title": "t"}] * 11}, "embeds"),
    "field-count": ({"embeds": [{"fields": [FIELD] * 26}]}, "embeds.0.fields"),
    "field-name": ({"embeds": [{"fields": [LONG_NAME]}]}, "embeds.0.fields.0.name"),
    "field-value": ({"embeds": [{"fields": [LONG_VALUE]}]}, "embeds.0.fields.0.value"),
    "footer": ({"embeds": [{"footer": {"text": "x" * 2049}}]}, "embeds.0.footer.text"),
    "rows": ({"components": [_row(1, prefix=f"r{i}-") for i in range(6)]}, "components"),
    "row-width": ({"components": [_row(6)]}, "components.0.components"),
    "custom-id": ({"components": [_row(1, prefix="x" * 100)]}, f"{BUTTON}.custom_id"),
    "button-label": ({"components": [_row(1, label="x" * 81)]}, f"{BUTTON}.label"),
    "duplicate-id": ({"components": [_row(1), _row(1)]}, "components.1.components.0.custom_id"),
}  # fmt: skip


@pytest.mark.parametrize(("payload", "error_path"), OVER_LIMIT.values(), ids=OVER_LIMIT.keys())
async def test_over_limit_messages_rejected(
    discord_endpoints: DiscordDouble, guild: Guild, payload: dict[str, Any], error_path: str
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    async with running_client(DoubleTestBot(), double) as bot:
        with pytest.raises(discord.HTTPException) as raised:
            await bot.http.request(
                Route("POST", "/channels/{channel_id}/messages", channel_id=general.id),
                json=payload,
            )
    assert raised.value.status == 400 and raised.value.code == 50035
    recorded = await double.wait_for_request(lambda r: r.status == 400)
    node = recorded.response["errors"]
    for part in error_path.split("."):
        node = node[part]
    assert node["_errors"], recorded.response
    assert double.bot_messages(general) == []


async def test_messages_at_the_limits_accepted(
    discord_endpoints: DiscordDouble, guild: Guild
) -> None:
    double = discord_endpoints
    general = guild.text_channel("general")
    embed: dict[str, Any] = {"title": "t" * 256, "description": "d" * 4096, "fields": [FIELD] * 25}
    embed["footer"] = {"text": "f" * (6000 - 256 - 4096 - 50)}
    rows = [_row(5, label="x" * 80, prefix=f"{'i' * 96}{r}-") for r in range(5)]
    async with running_client(DoubleTestBot(), double) as bot:
        for payload in ({"content": "x" * 2000}, {"embeds": [embed]}, {"components": rows}):
            await bot.http.request(
                Route("POST", "/channels/{channel_id}/messages", channel_id=general.id),
                json=payload,
            )
    assert len(double.bot_messages(general)) == 3
