"""The double's world: one application, its bot user, guilds with channels, roles, members.

Plain dataclasses; turning them into Discord JSON is `payloads.py`'s job.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1420070400000

VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
ADD_REACTIONS = 1 << 6
USE_APPLICATION_COMMANDS = 1 << 31
ADMINISTRATOR = 1 << 3
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL
    | SEND_MESSAGES
    | EMBED_LINKS
    | ATTACH_FILES
    | READ_MESSAGE_HISTORY
    | ADD_REACTIONS
    | USE_APPLICATION_COMMANDS
)
"""What a fresh server grants @everyone for the things a text bot does."""
ALL_PERMISSIONS = (1 << 53) - 1


class SnowflakeFactory:
    """Real-looking, strictly increasing snowflakes so ordering and timestamps make sense."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> int:
        """A fresh id whose timestamp part is the current time."""
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._counter) % (1 << 22))


def iso_now() -> str:
    """Discord's timestamp format (ISO 8601 with offset), always timezone-aware."""
    return datetime.now(UTC).isoformat()


@dataclass
class User:
    """A Discord user account (the bot itself is one with ``bot=True``)."""

    id: int
    username: str
    bot: bool = False
    global_name: str | None = None


@dataclass
class Role:
    """A guild role; the @everyone role shares its guild's id."""

    id: int
    name: str
    permissions: int = 0
    position: int = 0


@dataclass
class Channel:
    """A guild text channel (type 0) with optional permission overwrites."""

    id: int
    guild_id: int
    name: str
    position: int = 0
    type: int = 0
    topic: str | None = None
    overwrites: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Member:
    """A user's membership in one guild."""

    user: User
    guild_id: int
    role_ids: list[int] = field(default_factory=list)
    nick: str | None = None
    joined_at: str = field(default_factory=iso_now)


@dataclass
class Guild:
    """A guild with everything GUILD_CREATE has to carry."""

    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)
    joined_at: str = field(default_factory=iso_now)

    @property
    def everyone(self) -> Role:
        """The @everyone role, whose id equals the guild id."""
        return self.roles[self.id]

    def text_channel(self, name: str) -> Channel:
        """Find a channel by name; tests refer to channels the way people do."""
        for channel in self.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"no channel named {name!r} in guild {self.name!r}")


@dataclass
class Application:
    """The bot's application; its id is also the bot user's id, as for real bots."""

    id: int
    name: str
    bot: User
    owner: User


class World:
    """Everything the double knows about: users, guilds and the objects in them."""

    def __init__(self, *, bot_name: str = "StrikeBot", owner_name: str = "owner") -> None:
        self.snowflakes = SnowflakeFactory()
        bot_id = self.snowflakes.next()
        self.owner = User(self.snowflakes.next(), owner_name)
        self.bot = User(bot_id, bot_name, bot=True)
        self.application = Application(bot_id, bot_name, self.bot, self.owner)
        self.users: dict[int, User] = {self.bot.id: self.bot, self.owner.id: self.owner}
        self.guilds: dict[int, Guild] = {}
        self.channels: dict[int, Channel] = {}

    def create_user(self, username: str, *, bot: bool = False) -> User:
        """Register a user who can later join guilds and send messages."""
        user = User(self.snowflakes.next(), username, bot=bot)
        self.users[user.id] = user
        return user

    def create_guild(
        self,
        name: str = "Test Guild",
        *,
        channel_names: tuple[str, ...] = ("general",),
        everyone_permissions: int = EVERYONE_PERMISSIONS,
    ) -> Guild:
        """A guild with @everyone, the given text channels, the owner and the bot as members.

        Create guilds before the client connects: READY and GUILD_CREATE are built from them.
        """
        guild = Guild(self.snowflakes.next(), name, owner_id=self.owner.id)
        guild.roles[guild.id] = Role(guild.id, "@everyone", permissions=everyone_permissions)
        self.guilds[guild.id] = guild
        for channel_name in channel_names:
            self.create_channel(guild, channel_name)
        self.add_member(guild, self.owner)
        self.add_member(guild, self.bot)
        return guild

    def create_channel(self, guild: Guild, name: str, *, topic: str | None = None) -> Channel:
        """Add a text channel at the next position."""
        channel = Channel(
            self.snowflakes.next(), guild.id, name, position=len(guild.channels), topic=topic
        )
        guild.channels[channel.id] = channel
        self.channels[channel.id] = channel
        return channel

    def create_role(self, guild: Guild, name: str, *, permissions: int = 0) -> Role:
        """Add a role above the existing ones."""
        role = Role(
            self.snowflakes.next(), name, permissions=permissions, position=len(guild.roles)
        )
        guild.roles[role.id] = role
        return role

    def add_member(
        self, guild: Guild, user: User, *, roles: list[Role] | None = None, nick: str | None = None
    ) -> Member:
        """Make a user a member of a guild (with optional roles)."""
        self.users[user.id] = user
        member = Member(user, guild.id, [role.id for role in roles or []], nick=nick)
        guild.members[user.id] = member
        return member

    def create_member(
        self, guild: Guild, username: str, *, roles: list[Role] | None = None, bot: bool = False
    ) -> Member:
        """Shortcut: a new user who is a member of ``guild``."""
        return self.add_member(guild, self.create_user(username, bot=bot), roles=roles)

    def member_permissions(self, guild: Guild, member: Member, channel: Channel | None) -> int:
        """Permissions after roles and channel overwrites, computed the way Discord documents."""
        if member.user.id == guild.owner_id:
            return ALL_PERMISSIONS
        perms = guild.everyone.permissions
        for role_id in member.role_ids:
            perms |= guild.roles[role_id].permissions
        if perms & ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is None:
            return perms
        by_id = {int(o["id"]): o for o in channel.overwrites}
        if (everyone := by_id.get(guild.id)) is not None:
            perms = (perms & ~int(everyone["deny"])) | int(everyone["allow"])
        allow = deny = 0
        for role_id in member.role_ids:
            if (overwrite := by_id.get(role_id)) is not None:
                allow |= int(overwrite["allow"])
                deny |= int(overwrite["deny"])
        perms = (perms & ~deny) | allow
        if (own := by_id.get(member.user.id)) is not None:
            perms = (perms & ~int(own["deny"])) | int(own["allow"])
        return perms
