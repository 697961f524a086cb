"""REST routes for identity, gateway discovery, command sync, and reading guilds and channels."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .context import (
    UNKNOWN_MEMBER,
    UNKNOWN_USER,
    DoubleContext,
    FormErrors,
    HTTPError,
    body_of,
    raise_if_invalid,
)
from .payloads import (
    application_payload,
    channel_payload,
    current_user_payload,
    guild_payload,
    member_payload,
    role_payload,
    user_payload,
)
from .replies import json_response

MAX_COMMANDS = 100
"""Discord caps each scope (global, or one guild) at 100 slash commands."""
MAX_COMMAND_NAME = 32
MAX_COMMAND_DESCRIPTION = 100


class CoreRoutes:
    """Handlers for everything that is not sending messages or answering interactions."""

    def __init__(self, ctx: DoubleContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[web.RouteDef]:
        """Route table, paths relative to ``/api/v10``."""
        app_cmds = "/applications/{app_id}/commands"
        guild_cmds = "/applications/{app_id}/guilds/{guild_id}/commands"
        return [
            web.get("/users/@me", self.current_user),
            web.get("/users/{user_id}", self.user),
            web.get("/oauth2/applications/@me", self.application),
            web.get("/applications/@me", self.application),
            web.get("/gateway", self.gateway),
            web.get("/gateway/bot", self.gateway_bot),
            web.put(app_cmds, self.put_commands),
            web.get(app_cmds, self.get_commands),
            web.put(guild_cmds, self.put_commands),
            web.get(guild_cmds, self.get_commands),
            web.get("/guilds/{guild_id}", self.guild),
            web.get("/guilds/{guild_id}/channels", self.guild_channels),
            web.get("/guilds/{guild_id}/roles", self.guild_roles),
            web.get("/guilds/{guild_id}/members", self.guild_members),
            web.get("/guilds/{guild_id}/members/{user_id}", self.guild_member),
            web.get("/channels/{channel_id}", self.channel),
        ]

    async def current_user(self, request: web.Request) -> web.Response:
        """The bot user; ``Client.login`` calls this first."""
        return json_response(current_user_payload(self.ctx.world.bot))

    async def user(self, request: web.Request) -> web.Response:
        """``fetch_user``."""
        raw = request.match_info["user_id"]
        user = self.ctx.world.users.get(int(raw)) if raw.isdigit() else None
        if user is None:
            raise HTTPError(404, UNKNOWN_USER, "Unknown User")
        return json_response(user_payload(user))

    async def application(self, request: web.Request) -> web.Response:
        """Application info; ``Client.login`` needs it for ``application_id``."""
        return json_response(application_payload(self.ctx.world.application))

    async def gateway(self, request: web.Request) -> web.Response:
        """Where to connect (used by clients that ask instead of using the default URL)."""
        return json_response({"url": self._gateway_base()})

    async def gateway_bot(self, request: web.Request) -> web.Response:
        """Gateway plus shard advice; ``AutoShardedClient`` calls this."""
        limit = {"total": 1000, "remaining": 999, "reset_after": 86400000, "max_concurrency": 1}
        body = {"url": self._gateway_base(), "shards": 1, "session_start_limit": limit}
        return json_response(body)

    async def put_commands(self, request: web.Request) -> web.Response:
        """Bulk overwrite (``tree.sync()``); validated and stored for comparison."""
        self._check_application(request)
        guild_id = self._guild_scope(request)
        commands = body_of(request).json
        if not isinstance(commands, list):
            raise HTTPError(400, 50109, "The request body contains invalid JSON.")
        raise_if_invalid(_validate_commands(commands))
        return json_response(self.ctx.commands.replace(guild_id, commands))

    async def get_commands(self, request: web.Request) -> web.Response:
        """``tree.fetch_commands()``."""
        self._check_application(request)
        return json_response(self.ctx.commands.listed(self._guild_scope(request)))

    async def guild(self, request: web.Request) -> web.Response:
        """``fetch_guild``, with approximate counts when asked."""
        guild = self.ctx.guild_or_404(request.match_info["guild_id"])
        body = guild_payload(guild)
        if request.query.get("with_counts") in ("true", "1"):
            body["approximate_member_count"] = len(guild.members)
            body["approximate_presence_count"] = 0
        return json_response(body)

    async def guild_channels(self, request: web.Request) -> web.Response:
        """``guild.fetch_channels()``."""
        guild = self.ctx.guild_or_404(request.match_info["guild_id"])
        return json_response([channel_payload(c) for c in guild.channels.values()])

    async def guild_roles(self, request: web.Request) -> web.Response:
        """``guild.fetch_roles()``."""
        guild = self.ctx.guild_or_404(request.match_info["guild_id"])
        return json_response([role_payload(r) for r in guild.roles.values()])

    async def guild_members(self, request: web.Request) -> web.Response:
        """``guild.fetch_members()`` (needs the members intent on real Discord)."""
        guild = self.ctx.guild_or_404(request.match_info["guild_id"])
        limit = int(request.query.get("limit", "1"))
        after = int(request.query.get("after", "0"))
        members = sorted(guild.members.values(), key=lambda m: m.user.id)
        chosen = [m for m in members if m.user.id > after][:limit]
        return json_response([member_payload(m) for m in chosen])

    async def guild_member(self, request: web.Request) -> web.Response:
        """``guild.fetch_member``."""
        guild = self.ctx.guild_or_404(request.match_info["guild_id"])
        raw = request.match_info["user_id"]
        member = guild.members.get(int(raw)) if raw.isdigit() else None
        if member is None:
            raise HTTPError(404, UNKNOWN_MEMBER, "Unknown Member")
        return json_response(member_payload(member))

    async def channel(self, request: web.Request) -> web.Response:
        """``fetch_channel``."""
        return json_response(
            channel_payload(self.ctx.channel_or_404(request.match_info["channel_id"]))
        )

    def _gateway_base(self) -> str:
        return self.ctx.gateway.url

    def _check_application(self, request: web.Request) -> None:
        if request.match_info["app_id"] != str(self.ctx.world.application.id):
            raise HTTPError(403, 50001, "Missing Access")

    def _guild_scope(self, request: web.Request) -> int | None:
        raw = request.match_info.get("guild_id")
        if raw is None:
            return None
        guild = self.ctx.guild_or_404(raw)
        return guild.id


def _validate_commands(commands: list[dict[str, Any]]) -> FormErrors:
    """Names, descriptions and counts Discord enforces on sync."""
    errors = FormErrors()
    errors.max_length((), commands, MAX_COMMANDS)
    seen: set[tuple[str, int]] = set()
    for index, command in enumerate(commands):
        command_type = command.get("type", 1)
        errors.length_between((index, "name"), command.get("name"), 1, MAX_COMMAND_NAME)
        key = (command.get("name", ""), command_type)
        if key in seen:
            errors.add(
                (index, "name"), "APPLICATION_COMMANDS_DUPLICATE_NAME", "Command name is duplicated"
            )
        seen.add(key)
        if command_type == 1:
            errors.length_between(
                (index, "description"), command.get("description"), 1, MAX_COMMAND_DESCRIPTION
            )
            name = command.get("name") or ""
            if name != name.lower() or " " in name:
                errors.add((index, "name"), "APPLICATION_COMMAND_INVALID_NAME", "Invalid name")
        _validate_options(command.get("options") or [], (index, "options"), errors)
    return errors


def _validate_options(
    options: list[dict[str, Any]], path: tuple[str | int, ...], errors: FormErrors
) -> None:
    errors.max_length(path, options, 25)
    for index, option in enumerate(options):
        o_path = (*path, index)
        errors.length_between((*o_path, "name"), option.get("name"), 1, MAX_COMMAND_NAME)
        errors.length_between(
            (*o_path, "description"), option.get("description"), 1, MAX_COMMAND_DESCRIPTION
        )
        errors.max_length((*o_path, "choices"), option.get("choices"), 25)
        if option.get("autocomplete") and option.get("choices"):
            errors.add(
                (*o_path, "autocomplete"),
                "APPLICATION_COMMAND_AUTOCOMPLETE_INCOMPATIBLE",
                "Autocomplete cannot be set with choices",
            )
        _validate_options(option.get("options") or [], (*o_path, "options"), errors)
