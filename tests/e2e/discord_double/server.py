"""The aiohttp application: REST under ``/api/v10`` behind one middleware, and the gateway.

The middleware decodes bodies once, checks the bot token, applies queued faults, records
every request, and turns anything without a route into Discord's 404 plus an
"unexpected request" entry that the test fixture fails on.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import BodyPartReader, web

from .context import BODY_KEY, DoubleContext, HTTPError, ParsedBody
from .faults import FaultKind
from .recorder import RecordedFile, RecordedRequest
from .replies import error_response, rate_limit_response, server_error_response
from .rest_core import CoreRoutes
from .rest_interactions import InteractionRoutes
from .rest_messages import MessageRoutes

API_PREFIX = "/api/v10"
UNAUTHENTICATED_PREFIXES = ("/webhooks/", "/interactions/")
"""Interaction webhooks and callbacks authenticate by their token, not the bot token."""

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def build_app(ctx: DoubleContext) -> web.Application:
    """Assemble REST and gateway routes around the recording middleware."""
    app = web.Application(middlewares=[_middleware_for(ctx)], client_max_size=64 * 1024 * 1024)
    messages = MessageRoutes(ctx)
    rest = [
        *CoreRoutes(ctx).routes(),
        *messages.routes(),
        *InteractionRoutes(ctx, messages).routes(),
    ]
    api = web.Application()
    api.add_routes(rest)
    app.add_subapp(API_PREFIX, api)
    app.add_routes(ctx.gateway.routes())
    return app


def _middleware_for(ctx: DoubleContext) -> Any:
    @web.middleware
    async def discord_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX + "/"):
            if request.headers.get("Upgrade", "").lower() == "websocket":
                return await handler(request)
            ctx.unexpected.append(f"{request.method} {request.path} (outside {API_PREFIX})")
            return error_response(404, 0, "404: Not Found")
        path = request.path[len(API_PREFIX) :]
        body = await _parse_body(request)
        request[BODY_KEY] = body
        response = await _answer(ctx, request, handler, path)
        # Written before it is recorded, so a test that waits for a request knows the bot
        # has its reply: what a member does next (submit the modal, click the button) must
        # not overtake the reply that showed it to them.
        await response.prepare(request)
        await response.write_eof()
        ctx.last_delivery_at = time.monotonic()
        ctx.requests.append(
            RecordedRequest(
                method=request.method,
                path=path,
                query=dict(request.query),
                headers=dict(request.headers),
                json=body.json,
                files=body.files,
                status=response.status,
                response=_reply_json(response),
            )
        )
        return response

    return discord_middleware


async def _answer(
    ctx: DoubleContext, request: web.Request, handler: Handler, path: str
) -> web.StreamResponse:
    authorization = request.headers.get("Authorization")
    if not path.startswith(UNAUTHENTICATED_PREFIXES) and authorization != f"Bot {ctx.token}":
        return error_response(401, 0, "401: Unauthorized")
    rule = ctx.faults.take(request.method, path)
    if rule is not None:
        if rule.kind is FaultKind.RATE_LIMIT:
            return rate_limit_response(rule)
        if rule.kind is FaultKind.SERVER_ERROR:
            return server_error_response(rule.status)
        await asyncio.sleep(rule.delay)
    try:
        return await handler(request)
    except HTTPError as error:
        return error.response()
    except web.HTTPNotFound:
        ctx.unexpected.append(f"{request.method} {path} (no such route in the double)")
        return error_response(404, 0, "404: Not Found")
    except web.HTTPMethodNotAllowed:
        ctx.unexpected.append(f"{request.method} {path} (method not supported by the double)")
        return error_response(405, 0, "405: Method Not Allowed")


async def _parse_body(request: web.Request) -> ParsedBody:
    """JSON bodies as-is; multipart as discord.py sends files (``payload_json`` + ``files[n]``)."""
    if not request.can_read_body:
        return ParsedBody()
    content_type = request.content_type
    if content_type == "application/json":
        raw = await request.read()
        try:
            return ParsedBody(json=json.loads(raw))
        except ValueError:
            return ParsedBody(json=raw.decode(errors="replace"))
    if content_type.startswith("multipart/"):
        parsed = ParsedBody()
        reader = await request.multipart()
        async for part in reader:
            if not isinstance(part, BodyPartReader):
                continue
            data = await part.read()
            name = part.name or ""
            if name == "payload_json":
                parsed.json = json.loads(data)
                continue
            parsed.files.append(
                RecordedFile(
                    field_name=name,
                    filename=part.filename or name,
                    content_type=part.headers.get("Content-Type", ""),
                    data=bytes(data),
                )
            )
        return parsed
    raw = await request.read()
    return ParsedBody(json=raw.decode(errors="replace") if raw else None)


def _reply_json(response: web.StreamResponse) -> Any:
    """The JSON a reply carried, kept on the record so tests can read error details."""
    if not isinstance(response, web.Response) or response.content_type != "application/json":
        return None
    body = response.body
    return json.loads(body) if isinstance(body, bytes | bytearray) and body else None
