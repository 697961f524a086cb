"""What has happened on the double's side: messages per channel, synced commands, interactions."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from .model import Channel, Guild, SnowflakeFactory, User
from .recorder import EventLog


@dataclass(frozen=True)
class MessageChange:
    """A message created, edited or deleted, and whether the bot did it."""

    kind: str
    """``"create"``, ``"edit"`` or ``"delete"``."""
    message: dict[str, Any]
    by_bot: bool

    def __repr__(self) -> str:
        who = "bot" if self.by_bot else "user"
        return f"<{self.kind} {self.message.get('id')} by {who}: {self.content[:40]!r}>"

    @property
    def content(self) -> str:
        """The message text, the usual thing a scenario asserts on."""
        return str(self.message.get("content", ""))

    @property
    def channel_id(self) -> int:
        """The channel the message lives in."""
        return int(self.message["channel_id"])


class MessageStore:
    """Messages per channel, in creation order, plus a change log tests can wait on."""

    def __init__(self) -> None:
        self._by_channel: dict[int, dict[int, dict[str, Any]]] = {}
        self.changes: EventLog[MessageChange] = EventLog("message change")

    def add(self, message: dict[str, Any], *, by_bot: bool) -> dict[str, Any]:
        """Store a new message payload."""
        channel_messages = self._by_channel.setdefault(int(message["channel_id"]), {})
        channel_messages[int(message["id"])] = message
        self.changes.append(MessageChange("create", message, by_bot))
        return message

    def get(self, channel_id: int, message_id: int) -> dict[str, Any] | None:
        """A stored message, or None like Discord's 10008 Unknown Message."""
        return self._by_channel.get(channel_id, {}).get(message_id)

    def find(self, message_id: int) -> dict[str, Any] | None:
        """A stored message by id alone (webhook routes do not name the channel)."""
        for messages in self._by_channel.values():
            if message_id in messages:
                return messages[message_id]
        return None

    def edit(self, message: dict[str, Any], changes: dict[str, Any], *, by_bot: bool) -> None:
        """Apply an edit in place and log it."""
        message.update(changes)
        self.changes.append(MessageChange("edit", message, by_bot))

    def delete(self, message: dict[str, Any], *, by_bot: bool) -> None:
        """Remove a message and log it."""
        self._by_channel[int(message["channel_id"])].pop(int(message["id"]), None)
        self.changes.append(MessageChange("delete", message, by_bot))

    def in_channel(self, channel_id: int) -> list[dict[str, Any]]:
        """All live messages in a channel, oldest first."""
        return list(self._by_channel.get(channel_id, {}).values())


class CommandRegistry:
    """Application commands as last synced (PUT) by the client, global and per guild.

    Ids stay stable for a name and type across syncs, as Discord keeps them.
    """

    def __init__(self, snowflakes: SnowflakeFactory, application_id: int) -> None:
        self._snowflakes = snowflakes
        self._application_id = application_id
        self._ids: dict[tuple[int | None, str, int], int] = {}
        self.global_commands: list[dict[str, Any]] = []
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.sync_count = 0

    def replace(self, guild_id: int | None, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Bulk overwrite, returning the stored commands with ids as Discord does."""
        stored = [self._stored(guild_id, command) for command in commands]
        if guild_id is None:
            self.global_commands = stored
        else:
            self.guild_commands[guild_id] = stored
        self.sync_count += 1
        return stored

    def listed(self, guild_id: int | None) -> list[dict[str, Any]]:
        """What ``GET .../commands`` returns."""
        if guild_id is None:
            return self.global_commands
        return self.guild_commands.get(guild_id, [])

    def find(self, name: str, guild_id: int | None, command_type: int = 1) -> dict[str, Any]:
        """The command a user could invoke in ``guild_id``: guild commands shadow global ones."""
        guild_list = self.guild_commands.get(guild_id, []) if guild_id is not None else []
        candidates = [*guild_list, *self.global_commands]
        for command in candidates:
            if command["name"] == name and command.get("type", 1) == command_type:
                return command
        known = [c["name"] for c in candidates]
        raise LookupError(
            f"command {name!r} (type {command_type}) was never synced; synced: {known}. "
            "Discord only sends interactions for registered commands."
        )

    def _stored(self, guild_id: int | None, command: dict[str, Any]) -> dict[str, Any]:
        command_type = command.get("type", 1)
        key = (guild_id, command["name"], command_type)
        command_id = self._ids.setdefault(key, self._snowflakes.next())
        stored = {
            "description": "",
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            **command,
            "id": str(command_id),
            "application_id": str(self._application_id),
            "type": command_type,
            "version": str(self._snowflakes.next()),
        }
        if guild_id is not None:
            stored["guild_id"] = str(guild_id)
        return stored


@dataclass
class InteractionRecord:
    """An interaction the double sent, and how the client has answered it so far."""

    id: int
    token: str
    type: int
    payload: dict[str, Any]
    guild: Guild | None
    channel: Channel
    user: User
    created_at: float = field(default_factory=time.monotonic)
    response_type: int | None = None
    original_message_id: int | None = None
    modal: dict[str, Any] | None = None
    autocomplete_choices: list[dict[str, Any]] | None = None
    followup_ids: list[int] = field(default_factory=list)

    @property
    def callback_path(self) -> str:
        """The REST path of this interaction's callback, for request predicates."""
        return f"/interactions/{self.id}/{self.token}/callback"

    @property
    def acknowledged(self) -> bool:
        """Whether the client has sent the initial callback."""
        return self.response_type is not None
