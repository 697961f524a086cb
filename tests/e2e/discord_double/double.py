"""`DiscordDouble`: start/stop the local Discord, and the verbs scenario tests use."""

from __future__ import annotations

import asyncio
import base64
import secrets
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from . import interaction_payloads as ip
from .context import DoubleContext
from .faults import FaultPlan
from .gateway import PRIVILEGED_INTENTS, GatewayServer
from .model import Channel, Guild, Member, Role, User, World
from .payloads import gateway_message, message_payload
from .recorder import DEFAULT_WAIT_SECONDS, EventLog, GatewayEvent, RecordedRequest
from .server import API_PREFIX, build_app
from .store import CommandRegistry, InteractionRecord, MessageChange, MessageStore

DEFAULT_HEARTBEAT_MS = 41250
"""Discord's usual interval; tests pass a short one so heartbeats are exercised quickly."""
MEMBER_REACTION_SECONDS = 0.3
"""The least time between the bot's last reply and a member's click or form submit.

Discord shows a modal or button before the bot has read Discord's answer to its own
request, and discord.py only starts listening for that modal's submit (or the view's
clicks) once it has read it. A person needs far longer than that to read and type, so the
double waits this long too; without it a scenario could submit a form the bot has not yet
registered, which discord.py discards without a word."""
ENV_API_BASE = "STRIKEBOT_DISCORD_API_BASE"
ENV_GATEWAY = "STRIKEBOT_DISCORD_GATEWAY"
ENV_TOKEN = "DISCORD_TOKEN"


def token_for(bot_id: int) -> str:
    """A token shaped like Discord's (base64 user id . timestamp . HMAC), so log redaction
    that matches real tokens is exercised too."""
    user_part = base64.b64encode(str(bot_id).encode()).decode().rstrip("=")
    return f"{user_part}.DbLtSt.{secrets.token_urlsafe(27)}"


class DiscordDouble:
    """A strict local stand-in for Discord's REST v10 API and gateway."""

    def __init__(
        self,
        *,
        token: str | None = None,
        heartbeat_interval_ms: int = DEFAULT_HEARTBEAT_MS,
        bot_name: str = "StrikeBot",
        allowed_privileged_intents: int = sum(PRIVILEGED_INTENTS),
        interaction_deadline: float = 3.0,
    ) -> None:
        self.world = World(bot_name=bot_name)
        token = token or token_for(self.world.bot.id)
        self.requests: EventLog[RecordedRequest] = EventLog("request")
        self.gateway_events: EventLog[GatewayEvent] = EventLog("gateway event")
        self.messages = MessageStore()
        self.commands = CommandRegistry(self.world.snowflakes, self.world.application.id)
        self.faults = FaultPlan()
        self.unexpected: list[str] = []
        self._port = 0
        self.gateway = GatewayServer(
            self.world,
            self.gateway_events,
            self.unexpected,
            token=token,
            heartbeat_interval_ms=heartbeat_interval_ms,
            ws_base=lambda: f"ws://127.0.0.1:{self._port}",
            allowed_privileged_intents=allowed_privileged_intents,
        )
        self.ctx = DoubleContext(
            world=self.world,
            token=token,
            requests=self.requests,
            messages=self.messages,
            commands=self.commands,
            faults=self.faults,
            gateway=self.gateway,
            unexpected=self.unexpected,
            interaction_deadline=interaction_deadline,
        )
        self._runner: web.AppRunner | None = None

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on a free port on 127.0.0.1."""
        self._runner = web.AppRunner(build_app(self.ctx), handle_signals=False)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        """Close gateway connections and the HTTP server."""
        await self.gateway.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def token(self) -> str:
        """The bot token the double accepts (REST ``Authorization: Bot ...`` and IDENTIFY)."""
        return self.ctx.token

    @property
    def api_base(self) -> str:
        """Value for ``discord.http.Route.BASE`` (``http://127.0.0.1:PORT/api/v10``)."""
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Value for ``DiscordWebSocket.DEFAULT_GATEWAY`` (wrap it in ``yarl.URL``)."""
        return self.gateway.url

    def env(self, *, include_token: bool = True) -> dict[str, str]:
        """Environment for a bot subprocess (``strikebot run``) to talk to this double.

        Includes DISCORD_TOKEN unless told not to (e.g. when passing DISCORD_TOKEN_FILE).
        """
        env = {ENV_API_BASE: self.api_base, ENV_GATEWAY: self.gateway_url}
        if include_token:
            env[ENV_TOKEN] = self.token
        return env

    @property
    def bot(self) -> User:
        """The bot user (its id is also the application id)."""
        return self.world.bot

    # -- world -----------------------------------------------------------------------------

    def create_guild(self, name: str = "Test Guild", **kwargs: Any) -> Guild:
        """A guild with @everyone, a #general channel, the owner and the bot as members."""
        return self.world.create_guild(name, **kwargs)

    def create_member(self, guild: Guild, username: str, **kwargs: Any) -> Member:
        """A new user who belongs to ``guild``."""
        return self.world.create_member(guild, username, **kwargs)

    def create_role(self, guild: Guild, name: str, *, permissions: int = 0) -> Role:
        """A role members can be given."""
        return self.world.create_role(guild, name, permissions=permissions)

    def create_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        """Another text channel."""
        return self.world.create_channel(guild, name, topic=topic)

    def messages_in(self, channel: Channel) -> list[dict[str, Any]]:
        """Every stored message in a channel (users' and the bot's), oldest first."""
        return self.messages.in_channel(channel.id)

    def bot_messages(self, channel: Channel | None = None) -> list[dict[str, Any]]:
        """Messages the bot has posted and not deleted, optionally in one channel."""
        channels = [channel] if channel else list(self.world.channels.values())
        return [
            m
            for c in channels
            for m in self.messages.in_channel(c.id)
            if int(m["author"]["id"]) == self.bot.id
        ]

    # -- events Discord would send ---------------------------------------------------------

    async def send_message_create(
        self,
        guild: Guild,
        channel: Channel,
        author: Member,
        content: str,
        *,
        mentions: list[User | Member] | None = None,
        reply_to: dict[str, Any] | None = None,
        embeds: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """A user posts in a channel: store it and dispatch MESSAGE_CREATE.

        Content is blanked for the bot unless it has the MESSAGE_CONTENT intent or is
        mentioned, as Discord does. Returns the stored (unblanked) message.
        """
        users = [m.user if isinstance(m, Member) else m for m in mentions or []]
        reference = None
        if reply_to is not None:
            reference = {"type": 0, "message_id": reply_to["id"], "channel_id": str(channel.id)}
            reference["guild_id"] = str(guild.id)
        message = message_payload(
            message_id=self.world.snowflakes.next(),
            channel=channel,
            author=author.user,
            content=content,
            embeds=embeds,
            mentions=users,
            reference=reference,
            referenced_message=reply_to,
            message_type=19 if reply_to is not None else 0,
        )
        self.messages.add(message, by_bot=False)
        visible = self.ctx.visible_to_bot(message, self.bot)
        if self.gateway.session and self.gateway.session.intents & (1 << 9):
            await self.gateway.dispatch("MESSAGE_CREATE", gateway_message(visible, guild))
        return message

    async def send_slash_command(
        self,
        guild: Guild,
        channel: Channel,
        member: Member,
        name: str,
        options: dict[str, ip.OptionValue] | None = None,
        *,
        subcommand: tuple[str, ...] = (),
    ) -> InteractionRecord:
        """A user runs a synced slash command (``subcommand`` names group/sub below it)."""
        command = self.commands.find(name, guild.id)
        data = ip.command_data(command, list(subcommand), options or {}, guild, self.world)
        return await self._send_interaction(ip.APPLICATION_COMMAND, guild, channel, member, data)

    async def send_autocomplete(
        self,
        guild: Guild,
        channel: Channel,
        member: Member,
        name: str,
        options: dict[str, ip.OptionValue],
        *,
        focused: str,
        subcommand: tuple[str, ...] = (),
    ) -> InteractionRecord:
        """A user types into an autocomplete option; ``focused`` names that option."""
        command = self.commands.find(name, guild.id)
        data = ip.command_data(
            command, list(subcommand), options, guild, self.world, focused=focused
        )
        return await self._send_interaction(ip.AUTOCOMPLETE, guild, channel, member, data)

    async def send_message_command(
        self, guild: Guild, channel: Channel, member: Member, name: str, target: dict[str, Any]
    ) -> InteractionRecord:
        """A user picks a message context-menu command on ``target`` (a stored message)."""
        command = self.commands.find(name, guild.id, command_type=3)
        data = ip.message_command_data(command, target)
        return await self._send_interaction(ip.APPLICATION_COMMAND, guild, channel, member, data)

    async def send_user_command(
        self, guild: Guild, channel: Channel, member: Member, name: str, target: Member
    ) -> InteractionRecord:
        """A user picks a user context-menu command on another member."""
        command = self.commands.find(name, guild.id, command_type=2)
        data = ip.user_command_data(command, target)
        return await self._send_interaction(ip.APPLICATION_COMMAND, guild, channel, member, data)

    async def send_component(
        self,
        member: Member,
        message: dict[str, Any],
        custom_id: str,
        *,
        values: list[str] | None = None,
    ) -> InteractionRecord:
        """A user clicks a button (or picks ``values`` in a select) on a bot message."""
        stored = self.messages.find(int(message["id"]))
        if stored is None:
            raise LookupError(f"message {message['id']} is not stored (deleted?)")
        component = ip.find_component(stored["components"], custom_id)
        if component is None:
            raise LookupError(f"message {stored['id']} has no component {custom_id!r}")
        if component.get("disabled"):
            raise ValueError(f"component {custom_id!r} is disabled; Discord would not send it")
        channel = self.world.channels[int(stored["channel_id"])]
        guild = self.world.guilds[channel.guild_id]
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": component["type"]}
        if values is not None:
            data["values"] = values
        return await self._send_interaction(
            ip.COMPONENT, guild, channel, member, data, message=stored
        )

    async def send_button_click(
        self, member: Member, message: dict[str, Any], custom_id: str
    ) -> InteractionRecord:
        """A user clicks the button ``custom_id`` on ``message``."""
        return await self.send_component(member, message, custom_id)

    async def send_modal_submit(
        self,
        opened_by: InteractionRecord,
        values: dict[str, str],
        *,
        member: Member | None = None,
    ) -> InteractionRecord:
        """A user submits the modal the client sent in answer to ``opened_by``."""
        modal = opened_by.modal
        if modal is None:
            raise LookupError(f"interaction {opened_by.id} was not answered with a modal")
        guild = opened_by.guild
        assert guild is not None
        submitter = member or guild.members[opened_by.user.id]
        data = {
            "custom_id": modal["custom_id"],
            "components": ip.modal_submit_components(modal, values),
        }
        message = opened_by.payload.get("message")
        return await self._send_interaction(
            ip.MODAL_SUBMIT, guild, opened_by.channel, submitter, data, message=message
        )

    async def dispatch(self, event: str, data: Any) -> int:
        """Send any raw gateway DISPATCH (for events without a helper)."""
        return await self.gateway.dispatch(event, data)

    async def _send_interaction(
        self,
        interaction_type: int,
        guild: Guild,
        channel: Channel,
        member: Member,
        data: dict[str, Any],
        *,
        message: dict[str, Any] | None = None,
    ) -> InteractionRecord:
        if interaction_type in (ip.COMPONENT, ip.MODAL_SUBMIT):
            shown_for = time.monotonic() - self.ctx.last_delivery_at
            await asyncio.sleep(max(0.0, MEMBER_REACTION_SECONDS - shown_for))
        interaction_id = self.world.snowflakes.next()
        token = secrets.token_urlsafe(48)
        payload = ip.base_interaction(
            self.world,
            interaction_id=interaction_id,
            token=token,
            interaction_type=interaction_type,
            guild=guild,
            channel=channel,
            member=member,
            data=data,
            message=message,
        )
        record = InteractionRecord(
            interaction_id, token, interaction_type, payload, guild, channel, member.user
        )
        self.ctx.interactions[interaction_id] = record
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    # -- faults ----------------------------------------------------------------------------

    async def gateway_reconnect(self) -> None:
        """Send op 7 RECONNECT; the client should RESUME on ``resume_gateway_url``."""
        await self.gateway.send_reconnect()

    async def gateway_invalid_session(self, *, resumable: bool) -> None:
        """Send op 9 INVALID_SESSION; ``False`` forces a fresh IDENTIFY."""
        await self.gateway.send_invalid_session(resumable)

    async def gateway_drop(self, *, code: int | None = 4000) -> None:
        """Close the gateway socket with ``code``, or cut TCP abruptly with ``None``."""
        await self.gateway.drop(code)

    # -- waiting ---------------------------------------------------------------------------

    async def wait_for_request(
        self,
        predicate: Callable[[RecordedRequest], bool],
        timeout: float = DEFAULT_WAIT_SECONDS,  # noqa: ASYNC109 - the waiter API promises timeout=
        since: int = 0,
    ) -> RecordedRequest:
        """First recorded REST request (from index ``since``) matching ``predicate``."""
        return await self.requests.wait_for(predicate, timeout, since)

    async def wait_for_gateway(
        self,
        predicate: Callable[[GatewayEvent], bool],
        timeout: float = DEFAULT_WAIT_SECONDS,  # noqa: ASYNC109 - the waiter API promises timeout=
        since: int = 0,
    ) -> GatewayEvent:
        """First gateway frame/connection event (from ``since``) matching ``predicate``."""
        return await self.gateway_events.wait_for(predicate, timeout, since)

    async def wait_for_bot_message(
        self,
        predicate: Callable[[MessageChange], bool] = lambda change: True,
        timeout: float = DEFAULT_WAIT_SECONDS,  # noqa: ASYNC109 - the waiter API promises timeout=
        since: int = 0,
        kind: str = "create",
    ) -> MessageChange:
        """First message the bot created (or edited/deleted, per ``kind``) matching."""
        return await self.messages.changes.wait_for(
            lambda c: c.by_bot and c.kind == kind and predicate(c), timeout, since
        )

    async def wait_for_callback(
        self,
        record: InteractionRecord,
        timeout: float = DEFAULT_WAIT_SECONDS,  # noqa: ASYNC109 - the waiter API promises timeout=
    ) -> RecordedRequest:
        """The client's initial response to an interaction (any status)."""
        return await self.wait_for_request(
            lambda r: r.method == "POST" and r.path == record.callback_path, timeout
        )

    async def wait_for_session(self, timeout: float = DEFAULT_WAIT_SECONDS, since: int = 0) -> str:  # noqa: ASYNC109 - the waiter API promises timeout=
        """Wait until READY and every GUILD_CREATE were sent; returns the READY session id."""
        ready = await self.wait_for_gateway(
            lambda e: e.direction == "send" and e.event == "READY", timeout, since
        )
        last_guild = list(self.world.guilds)[-1] if self.world.guilds else None
        if last_guild is not None:
            await self.wait_for_gateway(
                lambda e: e.event == "GUILD_CREATE" and e.data["id"] == str(last_guild),
                timeout,
                since,
            )
        return str(ready.data["session_id"])
