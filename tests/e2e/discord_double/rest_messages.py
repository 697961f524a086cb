"""REST routes for channel messages: send (with replies and files), edit, delete, read, typing."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .context import (
    UNKNOWN_MESSAGE,
    DoubleContext,
    HTTPError,
    body_of,
    json_object,
    raise_if_invalid,
)
from .limits import FormErrors, check_message
from .mentions import resolve_mentions
from .model import (
    ATTACH_FILES,
    READ_MESSAGE_HISTORY,
    SEND_MESSAGES,
    VIEW_CHANNEL,
    Channel,
    iso_now,
)
from .payloads import message_payload
from .recorder import RecordedFile
from .replies import json_response, no_content

MANAGE_MESSAGES = 1 << 13
EPHEMERAL = 1 << 6
MISSING_PERMISSIONS, CANNOT_EDIT_OTHERS, EMPTY_MESSAGE = 50013, 50005, 50006
SENDABLE_FIELDS = ("content", "embeds", "sticker_ids", "components", "poll")
EDITABLE_FIELDS = ("content", "embeds", "components", "attachments")
MESSAGE_PATH = "/channels/{channel_id}/messages/{message_id}"


class MessageRoutes:
    """Handlers for ``/channels/{id}/messages...``."""

    def __init__(self, ctx: DoubleContext) -> None:
        self.ctx = ctx

    def routes(self) -> list[web.RouteDef]:
        """Route table, paths relative to ``/api/v10``."""
        reaction = MESSAGE_PATH + "/reactions/{emoji}/@me"
        return [
            web.post("/channels/{channel_id}/messages", self.create),
            web.get("/channels/{channel_id}/messages", self.history),
            web.get(MESSAGE_PATH, self.get),
            web.patch(MESSAGE_PATH, self.edit),
            web.delete(MESSAGE_PATH, self.delete),
            web.post("/channels/{channel_id}/typing", self.typing),
            web.put(reaction, self.react),
            web.delete(reaction, self.react),
        ]

    async def create(self, request: web.Request) -> web.Response:
        """``channel.send`` / ``message.reply``: validate like Discord, store, echo on gateway."""
        channel = self.ctx.channel_or_404(request.match_info["channel_id"])
        self._require(channel, VIEW_CHANNEL | SEND_MESSAGES)
        body = json_object(request)
        files = body_of(request).files
        if files:
            self._require(channel, ATTACH_FILES)
        errors = FormErrors()
        check_message(body, errors)
        referenced = self._referenced(channel, body.get("message_reference"), errors)
        raise_if_invalid(errors)
        if not files and not any(body.get(k) for k in SENDABLE_FIELDS):
            raise HTTPError(400, EMPTY_MESSAGE, "Cannot send an empty message")
        message = self.build_message(channel, body, files, referenced=referenced)
        self.ctx.messages.add(message, by_bot=True)
        await self.ctx.echo("MESSAGE_CREATE", message, channel)
        return json_response(message)

    def build_message(
        self,
        channel: Channel,
        body: dict[str, Any],
        files: list[RecordedFile],
        *,
        referenced: dict[str, Any] | None = None,
        webhook_id: int | None = None,
        interaction_metadata: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A bot-authored message payload from a create body (shared with interaction routes)."""
        world = self.ctx.world
        guild = world.guilds[channel.guild_id]
        replied_author = None
        if referenced is not None:
            replied_author = world.users.get(int(referenced["author"]["id"]))
        mentions = resolve_mentions(
            body.get("content") or "",
            body.get("allowed_mentions"),
            replied_author=replied_author,
            guild=guild,
            world=world,
        )
        reference = None
        if referenced is not None:
            reference = {
                "type": 0,
                "message_id": referenced["id"],
                "channel_id": str(channel.id),
                "guild_id": str(guild.id),
            }
        return message_payload(
            message_id=world.snowflakes.next(),
            channel=channel,
            author=world.bot,
            content=body.get("content") or "",
            embeds=[_as_rich(e) for e in body.get("embeds") or []],
            components=body.get("components") or [],
            mentions=mentions.users,
            mention_roles=mentions.role_ids,
            mention_everyone=mentions.everyone,
            flags=int(body.get("flags") or 0),
            attachments=self.attachments(body, files),
            reference=reference,
            referenced_message=referenced,
            webhook_id=webhook_id,
            interaction_metadata=interaction_metadata,
            message_type=19 if referenced is not None else 0,
        )

    def attachments(self, body: dict[str, Any], files: list[RecordedFile]) -> list[dict[str, Any]]:
        """Attachment objects for uploaded ``files[n]`` parts, as Discord returns them."""
        result = []
        for index, file in enumerate(files):
            attachment_id = self.ctx.world.snowflakes.next()
            description = None
            for declared in body.get("attachments") or []:
                if str(declared.get("id")) == str(index):
                    description = declared.get("description")
            url = f"https://cdn.discord.invalid/attachments/{attachment_id}/{file.filename}"
            result.append(
                {
                    "id": str(attachment_id),
                    "filename": file.filename,
                    "size": len(file.data),
                    "url": url,
                    "proxy_url": url,
                    "content_type": file.content_type,
                    "description": description,
                }
            )
        return result

    async def history(self, request: web.Request) -> web.Response:
        """``channel.history()``: newest first, honouring ``limit``, ``before`` and ``after``."""
        channel = self.ctx.channel_or_404(request.match_info["channel_id"])
        self._require(channel, VIEW_CHANNEL | READ_MESSAGE_HISTORY)
        limit = int(request.query.get("limit", "50"))
        if not 1 <= limit <= 100:
            errors = FormErrors()
            errors.add(("limit",), "NUMBER_TYPE_MAX", "Must be between 1 and 100.")
            raise_if_invalid(errors)
        messages = [
            m for m in self.ctx.messages.in_channel(channel.id) if not int(m["flags"]) & EPHEMERAL
        ]
        if "before" in request.query:
            messages = [m for m in messages if int(m["id"]) < int(request.query["before"])]
        if "after" in request.query:
            messages = [m for m in messages if int(m["id"]) > int(request.query["after"])]
            return json_response(list(reversed(messages[:limit])))
        return json_response(list(reversed(messages))[:limit])

    async def get(self, request: web.Request) -> web.Response:
        """``channel.fetch_message``."""
        channel, message = self._message_or_404(request)
        self._require(channel, VIEW_CHANNEL | READ_MESSAGE_HISTORY)
        return json_response(message)

    async def edit(self, request: web.Request) -> web.Response:
        """``message.edit``: only the bot's own messages, same limits as sending."""
        channel, message = self._message_or_404(request)
        if int(message["author"]["id"]) != self.ctx.world.bot.id:
            raise HTTPError(
                403, CANNOT_EDIT_OTHERS, "Cannot edit a message authored by another user"
            )
        body = json_object(request)
        errors = FormErrors()
        check_message(body, errors)
        raise_if_invalid(errors)
        self.apply_edit(message, body, body_of(request).files)
        await self.ctx.echo("MESSAGE_UPDATE", message, channel)
        return json_response(message)

    def apply_edit(
        self, message: dict[str, Any], body: dict[str, Any], files: list[RecordedFile]
    ) -> None:
        """Apply an edit body to a stored message (shared with webhook edits)."""
        changes: dict[str, Any] = {k: body[k] for k in EDITABLE_FIELDS if k in body}
        if "embeds" in changes:
            changes["embeds"] = [_as_rich(e) for e in changes["embeds"] or []]
        if "attachments" in body:
            kept_ids = {str(a.get("id")) for a in body["attachments"] or []}
            kept = [a for a in message["attachments"] if a["id"] in kept_ids]
            changes["attachments"] = kept + self.attachments(body, files)
        if "flags" in body and body["flags"] is not None:
            changes["flags"] = int(body["flags"])
        changes["edited_timestamp"] = iso_now()
        self.ctx.messages.edit(message, changes, by_bot=True)

    async def delete(self, request: web.Request) -> web.Response:
        """``message.delete``: own messages always, others' need Manage Messages."""
        channel, message = self._message_or_404(request)
        if int(message["author"]["id"]) != self.ctx.world.bot.id:
            self._require(channel, MANAGE_MESSAGES)
        self.ctx.messages.delete(message, by_bot=True)
        await self.ctx.echo("MESSAGE_DELETE", message, channel)
        return no_content()

    async def typing(self, request: web.Request) -> web.Response:
        """``channel.typing()``."""
        channel = self.ctx.channel_or_404(request.match_info["channel_id"])
        self._require(channel, VIEW_CHANNEL | SEND_MESSAGES)
        return no_content()

    async def react(self, request: web.Request) -> web.Response:
        """``message.add_reaction`` / ``remove_reaction`` for the bot itself."""
        self._message_or_404(request)
        return no_content()

    def _message_or_404(self, request: web.Request) -> tuple[Channel, dict[str, Any]]:
        channel = self.ctx.channel_or_404(request.match_info["channel_id"])
        raw = request.match_info["message_id"]
        message = self.ctx.messages.get(channel.id, int(raw)) if raw.isdigit() else None
        if message is None:
            raise HTTPError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return channel, message

    def _referenced(
        self, channel: Channel, reference: dict[str, Any] | None, errors: FormErrors
    ) -> dict[str, Any] | None:
        if not reference:
            return None
        channel_id = int(reference.get("channel_id") or channel.id)
        referenced = self.ctx.messages.get(channel_id, int(reference.get("message_id") or 0))
        if referenced is None and reference.get("fail_if_not_exists", True):
            errors.add(
                ("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message"
            )
        return referenced

    def _require(self, channel: Channel, permissions: int) -> None:
        world = self.ctx.world
        guild = world.guilds[channel.guild_id]
        granted = world.member_permissions(guild, guild.members[world.bot.id], channel)
        if granted & permissions != permissions:
            raise HTTPError(403, MISSING_PERMISSIONS, "Missing Permissions")


def _as_rich(embed: dict[str, Any]) -> dict[str, Any]:
    """Discord returns embeds with ``type: rich`` filled in."""
    return {"type": "rich", **embed}
