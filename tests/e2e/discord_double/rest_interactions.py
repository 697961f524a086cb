"""Interaction callbacks and the interaction webhook (original response and follow-ups)."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from .context import (
    UNKNOWN_INTERACTION,
    UNKNOWN_MESSAGE,
    UNKNOWN_WEBHOOK,
    DoubleContext,
    HTTPError,
    body_of,
    json_object,
    raise_if_invalid,
)
from .interaction_payloads import APPLICATION_COMMAND, AUTOCOMPLETE, COMPONENT, MODAL_SUBMIT
from .limits import FormErrors, check_autocomplete, check_message, check_modal
from .replies import json_response, no_content
from .rest_messages import MessageRoutes
from .store import InteractionRecord

ALREADY_ACKNOWLEDGED = 40060
EPHEMERAL, LOADING = 1 << 6, 1 << 7
MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE = 4, 5, 6, 7
AUTOCOMPLETE_RESULT, MODAL = 8, 9
ALLOWED_RESPONSES = {
    APPLICATION_COMMAND: {MESSAGE, DEFERRED_MESSAGE, MODAL},
    COMPONENT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE, MODAL},
    AUTOCOMPLETE: {AUTOCOMPLETE_RESULT},
    MODAL_SUBMIT: {MESSAGE, DEFERRED_MESSAGE, DEFERRED_UPDATE, UPDATE_MESSAGE},
}
"""Which callback types Discord accepts for each interaction type."""
WEBHOOK = "/webhooks/{app_id}/{token}"


class InteractionRoutes:
    """Handlers for ``/interactions/.../callback`` and ``/webhooks/{app}/{token}...``."""

    def __init__(self, ctx: DoubleContext, messages: MessageRoutes) -> None:
        self.ctx = ctx
        self.messages = messages

    def routes(self) -> list[web.RouteDef]:
        """Route table, paths relative to ``/api/v10``."""
        one = WEBHOOK + "/messages/{message_id}"
        return [
            web.post("/interactions/{interaction_id}/{token}/callback", self.callback),
            web.post(WEBHOOK, self.followup),
            web.get(one, self.get_message),
            web.patch(one, self.edit_message),
            web.delete(one, self.delete_message),
        ]

    async def callback(self, request: web.Request) -> web.Response:
        """The initial response; each callback type is checked against the interaction type."""
        record = self._interaction(request)
        body = json_object(request)
        raw_type = body.get("type")
        response_type = raw_type if isinstance(raw_type, int) else 0
        data: dict[str, Any] = body.get("data") or {}
        allowed = ALLOWED_RESPONSES.get(record.type, set())
        if response_type in (UPDATE_MESSAGE, DEFERRED_UPDATE) and "message" not in record.payload:
            allowed = set()  # a modal opened by a slash command has no message to update
        if response_type not in allowed:
            errors = FormErrors()
            errors.add(("type",), "INTERACTION_RESPONSE_TYPE_INVALID", "Invalid response type")
            raise_if_invalid(errors)
        errors = FormErrors()
        if response_type in (MESSAGE, UPDATE_MESSAGE):
            check_message(data, errors)
        elif response_type == AUTOCOMPLETE_RESULT:
            check_autocomplete(data, errors)
        elif response_type == MODAL:
            check_modal(data, errors)
        raise_if_invalid(errors)
        record.response_type = response_type
        message = await self._apply_callback(record, response_type, data, request)
        if response_type == AUTOCOMPLETE_RESULT:
            return no_content()
        interaction: dict[str, Any] = {
            "id": str(record.id),
            "type": record.type,
            "response_message_loading": response_type == DEFERRED_MESSAGE,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
        }
        result: dict[str, Any] = {"interaction": interaction}
        if message is not None:
            interaction["response_message_id"] = message["id"]
            result["resource"] = {"type": response_type, "message": message}
        return json_response(result)

    async def _apply_callback(
        self,
        record: InteractionRecord,
        response_type: int,
        data: dict[str, Any],
        request: web.Request,
    ) -> dict[str, Any] | None:
        files = body_of(request).files
        if response_type == MESSAGE:
            return await self._create(record, data, files)
        if response_type == DEFERRED_MESSAGE:
            flags = LOADING | (int(data.get("flags") or 0) & EPHEMERAL)
            return await self._create(record, {"content": "", "flags": flags}, [])
        if response_type in (DEFERRED_UPDATE, UPDATE_MESSAGE):
            message = self.ctx.messages.find(int(record.payload["message"]["id"]))
            if message is None:
                raise HTTPError(404, UNKNOWN_MESSAGE, "Unknown Message")
            record.original_message_id = int(message["id"])
            if response_type == UPDATE_MESSAGE:
                self.messages.apply_edit(message, data, files)
                await self.ctx.echo("MESSAGE_UPDATE", message, record.channel)
            return message
        if response_type == AUTOCOMPLETE_RESULT:
            record.autocomplete_choices = data.get("choices")
        elif response_type == MODAL:
            record.modal = data
        return None

    async def followup(self, request: web.Request) -> web.Response:
        """``interaction.followup.send``; only after the initial response, like Discord."""
        record = self._webhook_interaction(request)
        body = json_object(request)
        errors = FormErrors()
        check_message(body, errors)
        raise_if_invalid(errors)
        message = await self._create(record, body, body_of(request).files, original=False)
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(message)
        return no_content()

    async def get_message(self, request: web.Request) -> web.Response:
        """``interaction.original_response()`` or a follow-up fetch."""
        _, message = self._owned_message(request)
        return json_response(message)

    async def edit_message(self, request: web.Request) -> web.Response:
        """``edit_original_response`` / follow-up edit; ends a deferred "thinking" state."""
        record, message = self._owned_message(request)
        body = json_object(request)
        errors = FormErrors()
        check_message(body, errors)
        raise_if_invalid(errors)
        if int(message.get("flags") or 0) & LOADING:
            flags = int(message["flags"]) & ~LOADING
            body = {**body, "flags": flags | int(body.get("flags") or 0)}
        self.messages.apply_edit(message, body, body_of(request).files)
        if not int(message.get("flags") or 0) & EPHEMERAL:
            await self.ctx.echo("MESSAGE_UPDATE", message, record.channel)
        return json_response(message)

    async def delete_message(self, request: web.Request) -> web.Response:
        """``delete_original_response`` / follow-up delete."""
        record, message = self._owned_message(request)
        self.ctx.messages.delete(message, by_bot=True)
        if not int(message.get("flags") or 0) & EPHEMERAL:
            await self.ctx.echo("MESSAGE_DELETE", message, record.channel)
        return no_content()

    async def _create(
        self,
        record: InteractionRecord,
        body: dict[str, Any],
        files: list[Any],
        *,
        original: bool = True,
    ) -> dict[str, Any]:
        metadata = {
            "id": str(record.id),
            "type": record.type,
            "user": record.payload["member"]["user"],
            "authorizing_integration_owners": record.payload["authorizing_integration_owners"],
        }
        message = self.messages.build_message(
            record.channel,
            body,
            files,
            webhook_id=self.ctx.world.application.id,
            interaction_metadata=metadata,
        )
        message["type"] = 20 if record.type in (APPLICATION_COMMAND, AUTOCOMPLETE) else 0
        self.ctx.messages.add(message, by_bot=True)
        if original:
            record.original_message_id = int(message["id"])
        else:
            record.followup_ids.append(int(message["id"]))
        if not int(message["flags"]) & EPHEMERAL:
            await self.ctx.echo("MESSAGE_CREATE", message, record.channel)
        return message

    def _interaction(self, request: web.Request) -> InteractionRecord:
        raw = request.match_info["interaction_id"]
        record = self.ctx.interactions.get(int(raw)) if raw.isdigit() else None
        if record is None or record.token != request.match_info["token"]:
            raise HTTPError(404, UNKNOWN_INTERACTION, "Unknown interaction")
        if record.acknowledged:
            raise HTTPError(400, ALREADY_ACKNOWLEDGED, "Interaction has already been acknowledged.")
        age = time.monotonic() - record.created_at
        if age > self.ctx.interaction_deadline:
            raise HTTPError(404, UNKNOWN_INTERACTION, "Unknown interaction")
        return record

    def _webhook_interaction(self, request: web.Request) -> InteractionRecord:
        if request.match_info["app_id"] != str(self.ctx.world.application.id):
            raise HTTPError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
        record = self.ctx.interaction_by_token(request.match_info["token"])
        if not record.acknowledged:
            raise HTTPError(404, UNKNOWN_WEBHOOK, "Unknown Webhook")
        return record

    def _owned_message(self, request: web.Request) -> tuple[InteractionRecord, dict[str, Any]]:
        record = self._webhook_interaction(request)
        raw = request.match_info["message_id"]
        if raw == "@original":
            message_id = record.original_message_id
        elif raw.isdigit() and int(raw) in (*record.followup_ids, record.original_message_id):
            message_id = int(raw)
        else:
            message_id = None
        message = self.ctx.messages.find(message_id) if message_id is not None else None
        if message is None:
            raise HTTPError(404, UNKNOWN_MESSAGE, "Unknown Message")
        return record, message
