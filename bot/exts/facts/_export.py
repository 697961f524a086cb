"""`/fact export`: the effective fact base as a zipped knowledge directory.

The same files `strikebot kb export DIR` writes, checked with `kb check` before they are
attached, so a moderator never downloads a base that would not load. Writing, checking
and zipping run in a child process (bot.child_process): in a worker thread, seconds of
YAML work would contend with the event loop for the GIL while members are asking.
"""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Final

import discord

from bot.child_process import run_in_child_process
from bot.knowledge.export import checked_export_zip
from bot.knowledge.model import KnowledgeBase

from ._texts import issue_lines, paginate

EXPORT_FOLDER: Final = "knowledge"
# What a file that fits every guild's upload limit may weigh (Discord's smallest is 10 MB).
MAX_ATTACHMENT_BYTES: Final = 10 * 1024 * 1024


async def export_attachment(
    knowledge: KnowledgeBase, knowledge_dir: Path, now: datetime
) -> tuple[str, discord.File | None]:
    """The reply text and zip for `/fact export`, built off the event loop."""
    exported = await run_in_child_process(
        checked_export_zip, knowledge, knowledge_dir, EXPORT_FOLDER
    )
    if len(exported.data) > MAX_ATTACHMENT_BYTES:
        return (
            f"The export is {len(exported.data) // 1024} KiB, over Discord's upload limit; "
            "run `strikebot kb export DIR` on the server instead.",
            None,
        )
    name = f"strikebot-knowledge-{now:%Y%m%d-%H%M}.zip"
    file = discord.File(io.BytesIO(exported.data), filename=name)
    summary = (
        f"{exported.file_count} files, {len(knowledge.facts)} facts, "
        f"{len(knowledge.sources)} sources. Unzip over `knowledge/` and commit."
    )
    if not exported.issues:
        return f"Fact base export: {summary} `kb check`: ok.", file
    intro = f"Fact base export: {summary} But `kb check` finds problems:\n"
    page = paginate(issue_lines(exported.issues), limit=2000 - len(intro), max_pages=1)[0]
    return intro + page, file
