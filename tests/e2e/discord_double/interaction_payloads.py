"""INTERACTION_CREATE payloads built from the synced command schema and stored messages.

Options are typed from the schema the client synced, so a test cannot send an option the
command does not declare, just as Discord's client cannot.
"""

from __future__ import annotations

from typing import Any

from .model import Channel, Guild, Member, Role, User, World
from .payloads import (
    ATTACHMENT_SIZE_LIMIT,
    channel_payload,
    member_payload,
    role_payload,
    user_payload,
)

APPLICATION_COMMAND, COMPONENT, AUTOCOMPLETE, MODAL_SUBMIT = 2, 3, 4, 5
"""Interaction types."""
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER = 3, 4, 5, 6, 7, 8, 9, 10

OptionValue = str | int | float | bool | User | Member | Channel | Role


def base_interaction(
    world: World,
    *,
    interaction_id: int,
    token: str,
    interaction_type: int,
    guild: Guild,
    channel: Channel,
    member: Member,
    data: dict[str, Any] | None,
    message: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fields every guild interaction has.

    REQUIRED by discord.py 2.7: ``attachment_size_limit``, a ``channel`` object (not just
    ``channel_id``) and ``member`` with ``flags``.
    """
    bot_member = guild.members[world.bot.id]
    payload: dict[str, Any] = {
        "id": str(interaction_id),
        "application_id": str(world.application.id),
        "type": interaction_type,
        "token": token,
        "version": 1,
        "guild_id": str(guild.id),
        "guild": {"id": str(guild.id), "locale": "en-US", "features": []},
        "channel_id": str(channel.id),
        "channel": {
            **channel_payload(channel),
            "permissions": str(world.member_permissions(guild, member, channel)),
        },
        "member": {
            **member_payload(member),
            "permissions": str(world.member_permissions(guild, member, channel)),
        },
        "app_permissions": str(world.member_permissions(guild, bot_member, channel)),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": str(guild.id)},
        "context": 0,
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
    }
    if data is not None:
        payload["data"] = data
    if message is not None:
        payload["message"] = message
    return payload


def command_data(
    command: dict[str, Any],
    path: list[str],
    values: dict[str, OptionValue],
    guild: Guild,
    world: World,
    *,
    focused: str | None = None,
) -> dict[str, Any]:
    """``data`` of a slash command or autocomplete interaction for ``command``.

    ``path`` names subcommand group/subcommand below the command; ``focused`` marks the
    option being typed for autocomplete (its value is sent as the raw string typed).
    """
    resolved: dict[str, dict[str, Any]] = {}
    schema: list[dict[str, Any]] = command.get("options") or []
    nest: list[dict[str, Any]] = []
    top_level = nest
    for name in path:
        sub = _schema_option(schema, name, command["name"])
        if sub["type"] not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            raise LookupError(f"{name!r} is not a subcommand of {command['name']!r}")
        children: list[dict[str, Any]] = []
        nest.append({"type": sub["type"], "name": name, "options": children})
        nest, schema = children, sub.get("options") or []
    for name, value in values.items():
        option = _schema_option(schema, name, command["name"])
        entry: dict[str, Any] = {"type": option["type"], "name": name}
        if name == focused:
            entry["value"] = str(value)
            entry["focused"] = True
        else:
            entry["value"] = _option_value(option, value, guild, resolved)
        nest.append(entry)
    missing = [o["name"] for o in schema if o.get("required") and o["name"] not in values]
    if missing and focused is None:
        raise ValueError(f"required options missing for {command['name']!r}: {missing}")
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": command.get("type", 1),
        "options": top_level,
    }
    if resolved:
        data["resolved"] = resolved
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    return data


def message_command_data(command: dict[str, Any], target: dict[str, Any]) -> dict[str, Any]:
    """``data`` of a message context-menu command, with the target in ``resolved.messages``."""
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": 3,
        "target_id": target["id"],
        "resolved": {"messages": {target["id"]: target}},
    }
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    return data


def user_command_data(command: dict[str, Any], target: Member) -> dict[str, Any]:
    """``data`` of a user context-menu command, with the target user and member resolved."""
    user_id = str(target.user.id)
    data: dict[str, Any] = {
        "id": command["id"],
        "name": command["name"],
        "type": 2,
        "target_id": user_id,
        "resolved": {
            "users": {user_id: user_payload(target.user)},
            "members": {user_id: {**member_payload(target, with_user=False), "permissions": "0"}},
        },
    }
    if "guild_id" in command:
        data["guild_id"] = command["guild_id"]
    return data


def find_component(components: list[dict[str, Any]], custom_id: str) -> dict[str, Any] | None:
    """Depth-first search of a message's or modal's component tree for a custom id."""
    for component in components:
        if component.get("custom_id") == custom_id:
            return component
        children = list(component.get("components") or [])
        children += [component[k] for k in ("component", "accessory") if component.get(k)]
        found = find_component(children, custom_id)
        if found is not None:
            return found
    return None


def modal_submit_components(modal: dict[str, Any], values: dict[str, str]) -> list[dict[str, Any]]:
    """Mirror the modal's layout (action rows or labels) with the submitted text values."""
    unknown = [cid for cid in values if find_component(modal["components"], cid) is None]
    if unknown:
        raise LookupError(f"modal {modal['custom_id']!r} has no inputs {unknown}")
    submitted: list[dict[str, Any]] = []
    for top in modal["components"]:
        if top.get("type") == 18:
            inner = top["component"]
            submitted.append(
                {"type": 18, "component": _submitted_input(inner, values.get(inner["custom_id"]))}
            )
        else:
            row = [
                _submitted_input(c, values.get(c.get("custom_id", ""))) for c in top["components"]
            ]
            submitted.append({"type": 1, "components": row})
    return submitted


def _submitted_input(component: dict[str, Any], value: str | None) -> dict[str, Any]:
    result: dict[str, Any] = {"type": component["type"], "custom_id": component.get("custom_id")}
    if component["type"] == 4:
        result["value"] = value if value is not None else component.get("value") or ""
    elif value is not None:
        result["values"] = [value]
    return result


def _schema_option(schema: list[dict[str, Any]], name: str, command: str) -> dict[str, Any]:
    for option in schema:
        if option["name"] == name:
            return option
    raise LookupError(
        f"{command!r} has no option {name!r}; declared: {[o['name'] for o in schema]}"
    )


def _option_value(
    option: dict[str, Any], value: OptionValue, guild: Guild, resolved: dict[str, dict[str, Any]]
) -> Any:
    kind = option["type"]
    if kind in (USER, MENTIONABLE) and isinstance(value, User | Member):
        member = value if isinstance(value, Member) else guild.members.get(value.id)
        user = member.user if member is not None else value
        assert isinstance(user, User)
        resolved.setdefault("users", {})[str(user.id)] = user_payload(user)
        if member is not None:
            members = resolved.setdefault("members", {})
            members[str(user.id)] = {**member_payload(member, with_user=False), "permissions": "0"}
        return str(user.id)
    if kind in (ROLE, MENTIONABLE) and isinstance(value, Role):
        resolved.setdefault("roles", {})[str(value.id)] = role_payload(value)
        return str(value.id)
    if kind == CHANNEL and isinstance(value, Channel):
        resolved.setdefault("channels", {})[str(value.id)] = {
            "id": str(value.id),
            "name": value.name,
            "type": value.type,
            "permissions": "0",
            "guild_id": str(value.guild_id),
            "parent_id": None,
        }
        return str(value.id)
    python_types: dict[int, type | tuple[type, ...]] = {
        STRING: str,
        INTEGER: int,
        BOOLEAN: bool,
        NUMBER: (int, float),
    }
    expected = python_types.get(kind)
    if expected is None or not isinstance(value, expected):
        raise TypeError(f"option {option['name']!r} (type {kind}) cannot take {value!r}")
    if kind == STRING and option.get("choices"):
        allowed = [c["value"] for c in option["choices"]]
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of the choices {allowed}")
    return value
