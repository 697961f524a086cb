"""A strict local double of Discord's REST v10 API and gateway, for end-to-end tests.

Start one with the ``discord_double`` fixture (``tests/e2e/conftest.py``), build its world
(guilds, channels, members) before the client connects, then drive it with the
``send_*`` verbs and assert with the ``wait_for_*`` waiters.
"""

from .double import ENV_API_BASE, ENV_GATEWAY, DiscordDouble
from .model import Channel, Guild, Member, Role, User
from .recorder import GatewayEvent, RecordedFile, RecordedRequest
from .store import InteractionRecord, MessageChange

__all__ = [
    "ENV_API_BASE",
    "ENV_GATEWAY",
    "Channel",
    "DiscordDouble",
    "GatewayEvent",
    "Guild",
    "InteractionRecord",
    "Member",
    "MessageChange",
    "RecordedFile",
    "RecordedRequest",
    "Role",
    "User",
]
