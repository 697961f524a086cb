"""Who counts as a moderator, checked in the handler on every call.

Discord's own command permissions (`default_permissions`, server integration settings)
only hide commands in the client UI and can be changed by any admin; they are never the
guard. Every moderator action calls `is_moderator` (through `moderator_only()` for app
commands, or `ensure_moderator()` inside component callbacks) so a refused member sees an
ephemeral explanation and nothing changes.

A moderator is a member with Manage Server (administrators and the owner have it
implicitly) or the guild's configured moderator role.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, Protocol, TypeVar, runtime_checkable

import discord
from discord import app_commands

T = TypeVar("T")

REFUSAL_TEXT: Final = (
    "Only moderators can do that: you need the Manage Server permission "
    "or this server's moderator role. Nothing was changed."
)


class ModeratorSettings(Protocol):
    """The one guild setting this module reads (bot.storage's guild settings satisfy it)."""

    @property
    def moderator_role_id(self) -> int | None:
        """The role whose members count as moderators, or None when not configured."""
        ...


@runtime_checkable
class GuildSettingsSource(Protocol):
    """What the client offers so a check can read a guild's settings (StrikeBot does)."""

    async def settings_for_guild(self, guild_id: int) -> ModeratorSettings | None:
        """The guild's stored settings, or None for a guild that has none yet."""
        ...


class NotModerator(app_commands.CheckFailure):
    """Raised by `moderator_only()`; the error cog turns it into an ephemeral refusal."""

    def __init__(self) -> None:
        super().__init__(REFUSAL_TEXT)


def is_moderator(member: discord.Member, settings_for_guild: ModeratorSettings | None) -> bool:
    """Whether `member` may change facts and settings in their guild."""
    if member.guild_permissions.manage_guild:
        return True
    role_id = settings_for_guild.moderator_role_id if settings_for_guild is not None else None
    if role_id is None:
        return False
    return member.get_role(role_id) is not None


async def interaction_is_moderator(interaction: discord.Interaction) -> bool:
    """Whether the member behind an interaction is a moderator (False outside a guild)."""
    member = interaction.user
    if interaction.guild_id is None or not isinstance(member, discord.Member):
        return False
    settings: ModeratorSettings | None = None
    client = interaction.client
    if isinstance(client, GuildSettingsSource):
        settings = await client.settings_for_guild(interaction.guild_id)
    return is_moderator(member, settings)


def moderator_only() -> Callable[[T], T]:
    """App-command decorator: run the command only for moderators, else raise NotModerator."""

    async def predicate(interaction: discord.Interaction) -> bool:
        if not await interaction_is_moderator(interaction):
            raise NotModerator()
        return True

    return app_commands.check(predicate)


async def ensure_moderator(interaction: discord.Interaction) -> bool:
    """For buttons, selects and modals: refuse non-moderators ephemerally; True if allowed."""
    if await interaction_is_moderator(interaction):
        return True
    await send_refusal(interaction)
    return False


async def send_refusal(interaction: discord.Interaction, text: str = REFUSAL_TEXT) -> None:
    """Tell the member ephemerally why they were refused, as a reply or a follow-up."""
    none = discord.AllowedMentions.none()
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=none)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=none)
