"""Who a message actually pings, after ``allowed_mentions``, as Discord computes it.

Scenario tests assert "the bot never pings anyone"; this is what makes that checkable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .model import Guild, User, World

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
EVERYONE_MENTION = re.compile(r"@(everyone|here)")


@dataclass(frozen=True)
class Mentions:
    """The resolved ``mentions``, ``mention_roles`` and ``mention_everyone`` of a message."""

    users: list[User]
    role_ids: list[int]
    everyone: bool


def resolve_mentions(
    content: str,
    allowed: dict[str, Any] | None,
    *,
    replied_author: User | None,
    guild: Guild,
    world: World,
) -> Mentions:
    """Apply Discord's rules: no ``allowed_mentions`` means everything in the text pings."""
    parse: list[str] = (
        ["users", "roles", "everyone"] if allowed is None else allowed.get("parse") or []
    )
    allowed_users = {int(x) for x in (allowed or {}).get("users") or []}
    allowed_roles = {int(x) for x in (allowed or {}).get("roles") or []}
    users: list[User] = []
    for raw in USER_MENTION.findall(content):
        user = world.users.get(int(raw))
        if user is None or user in users:
            continue
        if "users" in parse or user.id in allowed_users:
            users.append(user)
    replied_user = True if allowed is None else allowed.get("replied_user", False)
    if replied_author is not None and replied_user and replied_author not in users:
        users.append(replied_author)
    role_ids = [
        int(raw)
        for raw in dict.fromkeys(ROLE_MENTION.findall(content))
        if int(raw) in guild.roles and ("roles" in parse or int(raw) in allowed_roles)
    ]
    everyone = bool(EVERYONE_MENTION.search(content)) and "everyone" in parse
    return Mentions(users, role_ids, everyone)
