"""Discord JSON for the world's objects, with every field discord.py 2.7 reads unconditionally.

Fields marked REQUIRED below were found by removing them and watching the client fail.
"""

from __future__ import annotations

from typing import Any

from .model import Application, Channel, Guild, Member, Role, User, World, iso_now

API_VERSION = 10
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
"""What Discord reports for an unboosted guild (10 MiB)."""


def user_payload(user: User) -> dict[str, Any]:
    """A user object as embedded in messages, members and interactions."""
    return {
        "id": str(user.id),
        "username": user.username,
        "discriminator": "0",
        "global_name": user.global_name,
        "avatar": None,
        "bot": user.bot,
        "public_flags": 0,
    }


def current_user_payload(user: User) -> dict[str, Any]:
    """``GET /users/@me`` and READY's ``user`` (a ClientUser needs verified, mfa_enabled)."""
    return {**user_payload(user), "verified": True, "mfa_enabled": False, "flags": 0}


def member_payload(member: Member, *, with_user: bool = True) -> dict[str, Any]:
    """A guild member; MESSAGE_CREATE's ``member`` omits ``user`` (it is the author)."""
    payload: dict[str, Any] = {
        "roles": [str(role_id) for role_id in member.role_ids],  # REQUIRED
        "joined_at": member.joined_at,  # REQUIRED
        "flags": 0,  # REQUIRED
        "nick": member.nick,
        "avatar": None,
        "deaf": False,
        "mute": False,
        "pending": False,
        "premium_since": None,
        "communication_disabled_until": None,
    }
    if with_user:
        payload["user"] = user_payload(member.user)  # REQUIRED in GUILD_CREATE
    return payload


def role_payload(role: Role) -> dict[str, Any]:
    """A role; ``name`` is REQUIRED."""
    return {
        "id": str(role.id),
        "name": role.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
        "hoist": False,
        "icon": None,
        "unicode_emoji": None,
        "position": role.position,
        "permissions": str(role.permissions),
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


def channel_payload(channel: Channel) -> dict[str, Any]:
    """A guild text channel; ``position`` and ``permission_overwrites`` are REQUIRED."""
    return {
        "id": str(channel.id),
        "type": channel.type,
        "guild_id": str(channel.guild_id),
        "name": channel.name,
        "position": channel.position,
        "permission_overwrites": channel.overwrites,
        "topic": channel.topic,
        "nsfw": False,
        "last_message_id": None,
        "rate_limit_per_user": 0,
        "parent_id": None,
        "flags": 0,
    }


def guild_payload(guild: Guild) -> dict[str, Any]:
    """The REST guild object (``GET /guilds/{id}``), without the gateway-only lists."""
    system_channel = next(iter(guild.channels), None)
    return {
        "id": str(guild.id),
        "name": guild.name,
        "icon": None,
        "splash": None,
        "discovery_splash": None,
        "banner": None,
        "description": None,
        "owner_id": str(guild.owner_id),
        "afk_channel_id": None,
        "afk_timeout": 300,
        "verification_level": 0,
        "default_message_notifications": 0,
        "explicit_content_filter": 0,
        "roles": [role_payload(role) for role in guild.roles.values()],
        "emojis": [],
        "stickers": [],
        "features": [],
        "mfa_level": 0,
        "application_id": None,
        "system_channel_id": str(system_channel) if system_channel else None,
        "system_channel_flags": 0,
        "rules_channel_id": None,
        "public_updates_channel_id": None,
        "safety_alerts_channel_id": None,
        "vanity_url_code": None,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "nsfw_level": 0,
        "premium_progress_bar_enabled": False,
        "max_members": 500000,
    }


def guild_create_payload(guild: Guild) -> dict[str, Any]:
    """GUILD_CREATE: the guild plus members, channels and state.

    ``member_count`` equals the member list so discord.py sees the guild as chunked and
    does not ask for members (op 8) at startup.
    """
    return {
        **guild_payload(guild),
        "joined_at": guild.joined_at,
        "large": False,
        "unavailable": False,
        "member_count": len(guild.members),
        "voice_states": [],
        "members": [member_payload(member) for member in guild.members.values()],
        "channels": [channel_payload(channel) for channel in guild.channels.values()],
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
    }


def ready_payload(world: World, *, session_id: str, resume_gateway_url: str) -> dict[str, Any]:
    """READY; ``user``, ``session_id``, ``resume_gateway_url`` and ``guilds`` are REQUIRED.

    Guilds are listed as unavailable here, as Discord does; GUILD_CREATE follows for each.
    """
    return {
        "v": API_VERSION,
        "user": current_user_payload(world.bot),
        "user_settings": {},
        "guilds": [{"id": str(gid), "unavailable": True} for gid in world.guilds],
        "session_id": session_id,
        "session_type": "normal",
        "resume_gateway_url": resume_gateway_url,
        "shard": [0, 1],
        "application": {"id": str(world.application.id), "flags": 0},
        "private_channels": [],
        "relationships": [],
        "presences": [],
        "geo_ordered_rtc_regions": [],
        "guild_join_requests": [],
        "_trace": ["discord-double"],
    }


def application_payload(application: Application) -> dict[str, Any]:
    """``GET /oauth2/applications/@me``, which ``Client.login`` calls."""
    return {
        "id": str(application.id),
        "name": application.name,
        "icon": None,
        "description": "",
        "summary": "",
        "type": None,
        "bot_public": True,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": user_payload(application.owner),
        "team": None,
        "bot": user_payload(application.bot),
        "redirect_uris": [],
        "interactions_endpoint_url": None,
        "tags": [],
    }


def message_payload(
    *,
    message_id: int,
    channel: Channel,
    author: User,
    content: str = "",
    embeds: list[dict[str, Any]] | None = None,
    components: list[dict[str, Any]] | None = None,
    mentions: list[User] | None = None,
    mention_roles: list[int] | None = None,
    mention_everyone: bool = False,
    flags: int = 0,
    message_type: int = 0,
    attachments: list[dict[str, Any]] | None = None,
    reference: dict[str, Any] | None = None,
    referenced_message: dict[str, Any] | None = None,
    webhook_id: int | None = None,
    interaction_metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message object as REST returns it (no ``guild_id``/``member``; add them for gateway)."""
    payload: dict[str, Any] = {
        "id": str(message_id),
        "type": message_type,
        "channel_id": str(channel.id),
        "author": user_payload(author),
        "content": content,
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": False,
        "mention_everyone": mention_everyone,
        "mentions": [user_payload(user) for user in mentions or []],
        "mention_roles": [str(role_id) for role_id in mention_roles or []],
        "attachments": attachments or [],
        "embeds": embeds or [],
        "components": components or [],
        "pinned": False,
        "flags": flags,
    }
    if reference is not None:
        payload["message_reference"] = reference
        payload["referenced_message"] = referenced_message
    if webhook_id is not None:
        payload["webhook_id"] = str(webhook_id)
        payload["application_id"] = str(webhook_id)
    if interaction_metadata is not None:
        payload["interaction_metadata"] = interaction_metadata
    return payload


def gateway_message(payload: dict[str, Any], guild: Guild) -> dict[str, Any]:
    """MESSAGE_CREATE/UPDATE data: REQUIRED ``guild_id`` (else a DM) and ``member``."""
    author_id = int(payload["author"]["id"])
    result = {**payload, "guild_id": str(guild.id)}
    member = guild.members.get(author_id)
    if member is not None and payload.get("webhook_id") is None:
        result["member"] = member_payload(member, with_user=False)
    mentions = []
    for mentioned in result["mentions"]:
        mentioned_member = guild.members.get(int(mentioned["id"]))
        if mentioned_member is not None:
            mentioned = {**mentioned, "member": member_payload(mentioned_member, with_user=False)}
        mentions.append(mentioned)
    result["mentions"] = mentions
    return result


def error_payload(code: int, message: str, errors: dict[str, Any] | None = None) -> dict[str, Any]:
    """Discord's JSON error shape (``code``, ``message`` and, for form errors, ``errors``)."""
    body: dict[str, Any] = {"message": message, "code": code}
    if errors:
        body["errors"] = errors
    return body
