"""Shared state every REST handler needs, plus the small helpers they all use."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .faults import FaultPlan
from .gateway import GatewayServer
from .limits import INVALID_FORM_BODY, FormErrors
from .model import Channel, Guild, User, World
from .payloads import gateway_message
from .recorder import EventLog, RecordedFile, RecordedRequest
from .replies import error_response
from .store import CommandRegistry, InteractionRecord, MessageStore

GUILD_MESSAGES_INTENT = 1 << 9
MESSAGE_CONTENT_INTENT = 1 << 15
UNKNOWN_CHANNEL, UNKNOWN_GUILD, UNKNOWN_MESSAGE, UNKNOWN_WEBHOOK = 10003, 10004, 10008, 10015
UNKNOWN_USER, UNKNOWN_MEMBER, UNKNOWN_INTERACTION = 10013, 10007, 10062


@dataclass
class ParsedBody:
    """A request body decoded once: JSON, or multipart ``payload_json`` plus files."""

    json: Any = None
    files: list[RecordedFile] = field(default_factory=list)


# A typed key: aiohttp 3.14 warns once per process about plain string keys, and with
# warnings as errors that turned the first request of a test run into a 500.
BODY_KEY: web.RequestKey[ParsedBody] = web.RequestKey("discord_double_body", ParsedBody)


@dataclass
class DoubleContext:
    """The world, what happened in it, and the knobs tests turn."""

    world: World
    token: str
    requests: EventLog[RecordedRequest]
    messages: MessageStore
    commands: CommandRegistry
    faults: FaultPlan
    gateway: GatewayServer
    unexpected: list[str]
    interactions: dict[int, InteractionRecord] = field(default_factory=dict)
    interaction_deadline: float = 3.0
    """Discord rejects an initial callback sent more than 3 s after the interaction."""
    echo_bot_messages: bool = True
    """Dispatch MESSAGE_CREATE/UPDATE/DELETE for the bot's own REST actions, as Discord does."""
    last_delivery_at: float = 0.0
    """When the last REST reply was fully written to the bot (``time.monotonic()``)."""

    def channel_or_404(self, channel_id: str) -> Channel:
        """The channel named in a route, or Discord's 10003 error as an exception."""
        channel = self.world.channels.get(int(channel_id)) if channel_id.isdigit() else None
        if channel is None:
            raise HTTPError(404, UNKNOWN_CHANNEL, "Unknown Channel")
        return channel

    def guild_or_404(self, guild_id: str) -> Guild:
        """The guild named in a route, or Discord's 10004 error."""
        guild = self.world.guilds.get(int(guild_id)) if guild_id.isdigit() else None
        if guild is None:
            raise HTTPError(404, UNKNOWN_GUILD, "Unknown Guild")
        return guild

    def interaction_by_token(self, token: str) -> InteractionRecord:
        """The interaction a webhook token belongs to, or 10015 Unknown Webhook."""
        for record in self.interactions.values():
            if record.token == token:
                return record
        raise HTTPError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")

    async def echo(self, event: str, message: dict[str, Any], channel: Channel) -> None:
        """Send the gateway event Discord would send for a message the bot changed."""
        if not self.echo_bot_messages or self.gateway.session is None:
            return
        if not self.gateway.session.intents & GUILD_MESSAGES_INTENT:
            return
        guild = self.world.guilds[channel.guild_id]
        if event == "MESSAGE_DELETE":
            data = {
                "id": message["id"],
                "channel_id": message["channel_id"],
                "guild_id": str(guild.id),
            }
            await self.gateway.dispatch(event, data)
            return
        await self.gateway.dispatch(event, gateway_message(message, guild))

    def visible_to_bot(self, message: dict[str, Any], bot: User) -> dict[str, Any]:
        """Strip content as Discord does when the bot lacks the MESSAGE_CONTENT intent.

        The bot still sees content of messages that mention it and of its own messages.
        """
        session = self.gateway.session
        if session is None or session.intents & MESSAGE_CONTENT_INTENT:
            return message
        mentioned = any(int(user["id"]) == bot.id for user in message["mentions"])
        if mentioned or int(message["author"]["id"]) == bot.id:
            return message
        return {**message, "content": "", "embeds": [], "attachments": [], "components": []}


class HTTPError(Exception):
    """Raised by handlers for a Discord error reply; the middleware renders it."""

    def __init__(self, status: int, code: int, message: str, errors: Any = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def response(self) -> web.Response:
        """The JSON error reply."""
        return error_response(self.status, self.code, self.message, self.errors)


def raise_if_invalid(errors: FormErrors) -> None:
    """Turn collected form errors into Discord's 400 / 50035 Invalid Form Body."""
    if errors:
        raise HTTPError(400, INVALID_FORM_BODY, "Invalid Form Body", errors.tree)


def body_of(request: web.Request) -> ParsedBody:
    """The body the middleware already decoded."""
    body: ParsedBody = request[BODY_KEY]
    return body


def json_object(request: web.Request) -> dict[str, Any]:
    """The decoded body as an object, or Discord's 50109 for anything else."""
    value = body_of(request).json
    if not isinstance(value, dict):
        raise HTTPError(400, 50109, "The request body contains invalid JSON.")
    return value
