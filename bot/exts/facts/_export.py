"""`/fact export`: the effective fact base as a zipped knowledge directory.

The same files `strikebot kb export DIR` writes, checked with `kb check` before they are
attached, so a moderator never downloads a base that would not load. Reading, writing
and checking run in a worker thread; the event loop keeps answering members.
"""

from __future__ import annotations

import asyncio
import io
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

import discord

from bot.knowledge.export import export_files, export_zip, write_export
from bot.knowledge.loader import check_knowledge
from bot.knowledge.model import KnowledgeBase

from ._texts import issue_lines, paginate

EXPORT_FOLDER: Final = "knowledge"
# What a file that fits every guild's upload limit may weigh (Discord's smallest is 10 MB).
MAX_ATTACHMENT_BYTES: Final = 10 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ExportedBase:
    """The zip and what `kb check` said about the exported directory."""

    data: bytes
    file_count: int
    problems: tuple[str, ...]


def build_export(knowledge: KnowledgeBase, knowledge_dir: Path) -> ExportedBase:
    """Write the export into a temporary directory, check it, and zip it (blocking)."""
    files = export_files(knowledge, knowledge_dir)
    with tempfile.TemporaryDirectory(prefix="strikebot-export-") as temp:
        out_dir = Path(temp) / EXPORT_FOLDER
        write_export(files, out_dir, source_dir=knowledge_dir)
        issues = check_knowledge(out_dir).issues
    return ExportedBase(export_zip(files, EXPORT_FOLDER), len(files), tuple(issue_lines(issues)))


async def export_attachment(
    knowledge: KnowledgeBase, knowledge_dir: Path, now: datetime
) -> tuple[str, discord.File | None]:
    """The reply text and zip for `/fact export`, built off the event loop."""
    exported = await asyncio.to_thread(build_export, knowledge, knowledge_dir)
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
    if not exported.problems:
        return f"Fact base export: {summary} `kb check`: ok.", file
    intro = f"Fact base export: {summary} But `kb check` finds problems:\n"
    page = paginate(list(exported.problems), limit=2000 - len(intro), max_pages=1)[0]
    return intro + page, file
