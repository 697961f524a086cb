"""The gateway: HELLO, IDENTIFY/READY, heartbeats, RESUME with replay, and faults on demand.

Frames go out zlib-stream compressed (one compressor per connection, Z_SYNC_FLUSH per
message) when the client asks for ``compress=zlib-stream``, as discord.py always does.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .model import World
from .payloads import API_VERSION, guild_create_payload, member_payload, ready_payload
from .recorder import EventLog, GatewayEvent

GATEWAY_PATH = "/gateway/"
RESUME_PATH = "/resume-gateway/"
"""A distinct path so tests can prove the client resumed at READY's ``resume_gateway_url``."""

DISPATCH, HEARTBEAT, IDENTIFY, PRESENCE, VOICE, RESUME = 0, 1, 2, 3, 4, 6
RECONNECT, REQUEST_MEMBERS, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 7, 8, 9, 10, 11

PRIVILEGED_INTENTS = {
    1 << 1: "GUILD_MEMBERS",
    1 << 8: "GUILD_PRESENCES",
    1 << 15: "MESSAGE_CONTENT",
}
CLOSE_HANDSHAKE_SECONDS = 2.0
"""How long a server-side close waits for the client's close frame before giving up."""
CLOSE_UNKNOWN_OPCODE = 4001
CLOSE_DECODE_ERROR = 4002
CLOSE_NOT_AUTHENTICATED = 4003
CLOSE_AUTH_FAILED = 4004
CLOSE_ALREADY_AUTHENTICATED = 4005
CLOSE_INVALID_API_VERSION = 4012
CLOSE_INVALID_INTENTS = 4013
CLOSE_DISALLOWED_INTENTS = 4014


@dataclass
class GatewaySession:
    """One identified session: its sequence counter and the events sent, for RESUME replay."""

    id: str
    intents: int
    sequence: int = 0
    events: list[tuple[int, str, Any]] = field(default_factory=list)
    connection: GatewayConnection | None = None


@dataclass
class GatewayConnection:
    """One websocket; frames are sent under a lock so sequence order is wire order."""

    id: int
    path: str
    ws: web.WebSocketResponse
    request: web.Request
    compressor: Any | None
    session: GatewaySession | None = None
    send_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held across "take a sequence number, send the frame" so sequence order is wire order."""
    wire_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held across "compress, send": the zlib stream breaks if frames are reordered."""

    async def send(self, payload: dict[str, Any]) -> None:
        """Send one frame, compressed into the shared zlib stream if the client asked for it."""
        text = json.dumps(payload)
        async with self.wire_lock:
            if self.ws.closed:
                return  # the event stays in the session buffer and is replayed on RESUME
            try:
                if self.compressor is None:
                    await self.ws.send_str(text)
                    return
                compressor = self.compressor
                data = compressor.compress(text.encode()) + compressor.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)
            except ConnectionResetError:
                return  # client went away mid-send; same as above


class GatewayServer:
    """Serves the gateway websocket and lets tests push events and faults into it."""

    def __init__(
        self,
        world: World,
        events: EventLog[GatewayEvent],
        unexpected: list[str],
        *,
        token: str,
        heartbeat_interval_ms: int,
        ws_base: Callable[[], str],
        allowed_privileged_intents: int,
    ) -> None:
        self.world = world
        self.events = events
        self.unexpected = unexpected
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.allowed_privileged_intents = allowed_privileged_intents
        self.ack_heartbeats = True
        """Set False to simulate a zombied connection (heartbeats never acknowledged)."""
        self._ws_base = ws_base
        self._connection_ids = itertools.count(1)
        self.connections: list[GatewayConnection] = []
        self.session: GatewaySession | None = None

    def routes(self) -> list[web.RouteDef]:
        """The two websocket endpoints (initial gateway and resume gateway)."""
        return [web.get(GATEWAY_PATH, self._handle), web.get(RESUME_PATH, self._handle)]

    @property
    def url(self) -> str:
        """What to put in ``DiscordWebSocket.DEFAULT_GATEWAY``."""
        return self._ws_base() + GATEWAY_PATH

    @property
    def resume_url(self) -> str:
        """READY's ``resume_gateway_url``."""
        return self._ws_base() + RESUME_PATH

    @property
    def live_connection(self) -> GatewayConnection | None:
        """The connection carrying the current session, if it is open."""
        session = self.session
        if session is None or session.connection is None or session.connection.ws.closed:
            return None
        return session.connection

    async def dispatch(self, event: str, data: Any) -> int:
        """Send a DISPATCH to the current session (or buffer it for RESUME), return its seq."""
        session = self.session
        if session is None:
            raise RuntimeError(f"cannot dispatch {event}: no client has identified yet")
        connection = self.live_connection
        if connection is None:
            return self._buffer(session, event, data)
        async with connection.send_lock:
            seq = self._buffer(session, event, data)
            await self._send_dispatch(connection, seq, event, data)
        return seq

    async def send_reconnect(self) -> None:
        """Op 7: ask the client to reconnect and resume."""
        await self._send_op(self._require_connection(), RECONNECT, None)

    async def send_invalid_session(self, resumable: bool) -> None:
        """Op 9: ``True`` lets the client resume, ``False`` makes it identify afresh."""
        connection = self._require_connection()
        if not resumable:
            self.session = None
        await self._send_op(connection, INVALID_SESSION, resumable)

    async def drop(self, code: int | None = 4000) -> None:
        """Close the current connection with ``code``, or cut TCP without a close frame."""
        connection = self._require_connection()
        self._record("conn", None, "DROP", {"code": code}, connection)
        if code is None:
            transport = connection.request.transport
            if transport is not None:
                transport.abort()
            return
        asyncio.get_running_loop().create_task(connection.ws.close(code=code))

    async def close_all(self) -> None:
        """Close every open websocket (double shutdown)."""
        for connection in self.connections:
            if not connection.ws.closed:
                await connection.ws.close(code=1001)

    def _require_connection(self) -> GatewayConnection:
        connection = self.live_connection
        if connection is None:
            raise RuntimeError("no live gateway connection")
        return connection

    def _buffer(self, session: GatewaySession, event: str, data: Any) -> int:
        session.sequence += 1
        session.events.append((session.sequence, event, data))
        return session.sequence

    async def _send_dispatch(
        self, connection: GatewayConnection, seq: int, event: str, data: Any
    ) -> None:
        self._record("send", DISPATCH, event, data, connection, seq)
        await connection.send({"op": DISPATCH, "t": event, "s": seq, "d": data})

    async def _send_op(self, connection: GatewayConnection, op: int, data: Any) -> None:
        self._record("send", op, None, data, connection)
        await connection.send({"op": op, "d": data, "s": None, "t": None})

    def _record(
        self,
        direction: str,
        op: int | None,
        event: str | None,
        data: Any,
        connection: GatewayConnection,
        seq: int | None = None,
    ) -> None:
        self.events.append(GatewayEvent(direction, op, event, data, connection.id, seq))

    async def _handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0, compress=False, timeout=CLOSE_HANDSHAKE_SECONDS)
        await ws.prepare(request)
        query = dict(request.query)
        compress = query.get("compress")
        connection = GatewayConnection(
            next(self._connection_ids),
            request.path,
            ws,
            request,
            zlib.compressobj() if compress == "zlib-stream" else None,
        )
        self.connections.append(connection)
        self._record("conn", None, "OPEN", {"path": request.path, "query": query}, connection)
        if (
            query.get("v") != str(API_VERSION)
            or query.get("encoding") != "json"
            or compress
            not in (
                None,
                "zlib-stream",
            )
        ):
            self.unexpected.append(f"gateway connect with unsupported query {query}")
            await ws.close(code=CLOSE_INVALID_API_VERSION, message=b"Invalid API version")
            return ws
        await self._send_op(connection, HELLO, {"heartbeat_interval": self.heartbeat_interval_ms})
        async for message in ws:
            if message.type is not WSMsgType.TEXT:
                await ws.close(code=CLOSE_DECODE_ERROR, message=b"Error while decoding payload")
                break
            try:
                frame = json.loads(message.data)
            except ValueError:
                await ws.close(code=CLOSE_DECODE_ERROR, message=b"Error while decoding payload")
                break
            await self._on_frame(connection, frame)
        self._record("conn", None, "CLOSED", {"code": ws.close_code}, connection)
        return ws

    async def _on_frame(self, connection: GatewayConnection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        self._record("recv", op, None, data, connection)
        if op == HEARTBEAT:
            if self.ack_heartbeats:
                await self._send_op(connection, HEARTBEAT_ACK, None)
        elif op == IDENTIFY:
            await self._identify(connection, data or {})
        elif op == RESUME:
            await self._resume(connection, data or {})
        elif op in (PRESENCE, VOICE, REQUEST_MEMBERS):
            if connection.session is None:
                await connection.ws.close(
                    code=CLOSE_NOT_AUTHENTICATED, message=b"Not authenticated"
                )
            elif op == REQUEST_MEMBERS:
                await self._send_member_chunk(connection, data or {})
        else:
            self.unexpected.append(f"gateway op {op} is not supported by the double")
            await connection.ws.close(code=CLOSE_UNKNOWN_OPCODE, message=b"Unknown opcode")

    async def _identify(self, connection: GatewayConnection, data: dict[str, Any]) -> None:
        if data.get("token") not in (self.token, f"Bot {self.token}"):
            await connection.ws.close(code=CLOSE_AUTH_FAILED, message=b"Authentication failed")
            return
        if connection.session is not None:
            await connection.ws.close(code=CLOSE_ALREADY_AUTHENTICATED, message=b"Already auth")
            return
        intents = data.get("intents")
        if not isinstance(intents, int):
            await connection.ws.close(code=CLOSE_INVALID_INTENTS, message=b"Invalid intent(s)")
            return
        disallowed = intents & ~self.allowed_privileged_intents & sum(PRIVILEGED_INTENTS)
        if disallowed:
            await connection.ws.close(
                code=CLOSE_DISALLOWED_INTENTS, message=b"Disallowed intent(s)"
            )
            return
        session = GatewaySession(secrets.token_hex(16), intents)
        await self._attach(connection, session)
        async with connection.send_lock:
            ready = ready_payload(
                self.world, session_id=session.id, resume_gateway_url=self.resume_url
            )
            await self._send_dispatch(
                connection, self._buffer(session, "READY", ready), "READY", ready
            )
            for guild in self.world.guilds.values():
                payload = guild_create_payload(guild)
                seq = self._buffer(session, "GUILD_CREATE", payload)
                await self._send_dispatch(connection, seq, "GUILD_CREATE", payload)

    async def _resume(self, connection: GatewayConnection, data: dict[str, Any]) -> None:
        if data.get("token") not in (self.token, f"Bot {self.token}"):
            await connection.ws.close(code=CLOSE_AUTH_FAILED, message=b"Authentication failed")
            return
        session = self.session
        if session is None or session.id != data.get("session_id"):
            await self._send_op(connection, INVALID_SESSION, False)
            return
        await self._attach(connection, session)
        last_seen = data.get("seq") or 0
        async with connection.send_lock:
            for seq, event, payload in session.events:
                if seq > last_seen:
                    await self._send_dispatch(connection, seq, event, payload)
            seq = self._buffer(session, "RESUMED", {})
            await self._send_dispatch(connection, seq, "RESUMED", {})

    async def _attach(self, connection: GatewayConnection, session: GatewaySession) -> None:
        previous = session.connection
        if previous is not None and previous is not connection and not previous.ws.closed:
            await previous.ws.close(code=4009, message=b"Session moved")
        session.connection = connection
        connection.session = session
        self.session = session

    async def _send_member_chunk(self, connection: GatewayConnection, data: dict[str, Any]) -> None:
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        chunk = {
            "guild_id": str(guild.id),
            "members": [member_payload(m) for m in guild.members.values()],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)
