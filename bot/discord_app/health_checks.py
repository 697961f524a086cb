"""The answers /healthz gives for a running bot: gateway, database, knowledge."""

from __future__ import annotations

from typing import Final

import discord

from bot.health import CheckResult
from bot.runtime import Runtime
from bot.storage.transactions import transaction


class _RollBack(Exception):
    """Raised inside the probe transaction so its write is never kept."""


PROBE_WRITE: Final = "PRAGMA user_version = {version}"


class BotHealth:
    """Implements bot.health.HealthState over a client and its runtime."""

    def __init__(self, client: discord.Client, runtime: Runtime) -> None:
        self._client = client
        self._runtime = runtime

    async def gateway_connected(self) -> CheckResult:
        """Up once READY arrived and until the client closes."""
        if self._client.is_closed():
            return CheckResult(False, "the Discord client is closed")
        if not self._client.is_ready():
            return CheckResult(False, "not connected to the Discord gateway (yet)")
        return CheckResult(True, "connected")

    async def database_writable(self) -> CheckResult:
        """Take the write lock and write the header's user_version, then roll back.

        `BEGIN IMMEDIATE` fails on a read-only or locked file; the write proves the
        write path; the rollback keeps the probe from touching the data. It runs under
        the storage's writer lock, so it never interleaves with a real transaction.
        """
        db = self._runtime.db
        try:
            async with transaction(db):
                async with db.execute("PRAGMA user_version") as cursor:
                    row = await cursor.fetchone()
                version = int(row[0]) if row else 0
                await db.execute(PROBE_WRITE.format(version=version))
                raise _RollBack
        except _RollBack:
            return CheckResult(True, "writable")

    async def knowledge_loaded(self) -> CheckResult:
        """A valid knowledge base is being used to answer."""
        if not self._runtime.knowledge.loaded:
            return CheckResult(False, "no knowledge base loaded")
        facts = len(self._runtime.knowledge.snapshot.knowledge.facts)
        return CheckResult(True, f"{facts} facts loaded")
