"""Peak RSS of a whole bot process: discord.py, the knowledge, the index and SQLite.

Run in a fresh interpreter (`python -m bench.process_rss --cache DIR`): it imports what
`strikebot run` imports (discord.py and every extension's modules via the client), loads
the generated base, builds the answer engine, opens and migrates a SQLite database with
`open_database`, answers a few questions, and prints ru_maxrss as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path

import discord  # noqa: F401  (part of what a bot process holds)

import bot.discord_app.client  # noqa: F401  (the client and its imports)
from bench.generate import read_cached_knowledge, read_cached_queries
from bench.measure import high_water_mib, peak_rss_mib
from bot.answers.engine import AnswerEngine
from bot.storage.database import open_database

QUESTIONS_ASKED = 200
"""Enough answers that per-question allocations are part of the peak."""


async def _measure(cache: Path) -> dict[str, float | int | None]:
    kb = read_cached_knowledge(cache)
    engine = AnswerEngine.from_knowledge(kb)
    with tempfile.TemporaryDirectory(prefix="strikebot-rss-") as tmp:
        db = await open_database(Path(tmp) / "strikebot.db")
        try:
            for query in read_cached_queries(cache)[:QUESTIONS_ASKED]:
                engine.answer(query.text)
        finally:
            await db.close()
    return {
        "facts": len(kb.facts),
        "ru_maxrss_mib": peak_rss_mib(),
        "vm_hwm_mib": high_water_mib(),
    }


def main() -> None:
    """Entry point: prints one JSON object."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, required=True)
    args = parser.parse_args()
    sys.stdout.write(json.dumps(asyncio.run(_measure(args.cache))) + "\n")


if __name__ == "__main__":
    main()
