"""`/kb reload`, `/source add` and `/strike end`: the rest of keeping the fact base current.

A reload that finds broken YAML changes nothing: members keep being answered from the
knowledge already loaded and the moderator sees every problem with its file and line.
A new source is cleaned by the same ingestion as `strikebot kb ingest`; metadata the
moderator does not give stays empty rather than guessed.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Final

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.permissions import interaction_is_moderator, moderator_only
from bot.fact_input import EditRejected
from bot.knowledge.ingest import clean_article
from bot.knowledge.model import Source
from bot.runtime import Runtime

from ._choices import strike_choices
from ._shared import (
    actor_of,
    editor_for,
    parse_day,
    parse_list,
    publish_change,
    rejection_text,
    reply,
)
from ._texts import MAX_CONTENT_CHARS, clip, fit_lines, issue_lines, paginate, problems_text, when

log = logging.getLogger(__name__)

# A news article as text is tens of kilobytes; anything near this is not one article.
MAX_ARTICLE_BYTES: Final = 512 * 1024
# How many of the removed boilerplate lines a /source add reply lists for review.
REMOVED_LINES_SHOWN: Final = 8
URL_SCHEMES: Final = ("https://", "http://")


class MaintenanceCommands(commands.Cog):
    """`/kb reload`, `/source add`, `/strike end`."""

    kb = app_commands.Group(
        name="kb", description="Moderators: the knowledge files", guild_only=True
    )
    source = app_commands.Group(
        name="source", description="Moderators: articles facts quote", guild_only=True
    )
    strike = app_commands.Group(
        name="strike", description="Moderators: strikes the bot counts", guild_only=True
    )

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    async def _strike_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not await interaction_is_moderator(interaction):
            return []
        return strike_choices(self.runtime.knowledge.snapshot.knowledge, current)

    @kb.command(name="reload", description="Re-read knowledge/; broken YAML keeps the old facts")
    @moderator_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        """Reload the YAML; on problems list each with its file and line."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        outcome = await self.runtime.knowledge.reload()
        self.runtime.metrics.reload(outcome.ok)
        kb = outcome.snapshot.knowledge
        if outcome.ok:
            self.runtime.metrics.set_facts_loaded(len(kb.facts))
            await reply(
                interaction,
                f"Reloaded: {len(kb.facts)} facts, {len(kb.sources)} sources, "
                f"{len(kb.strikes)} strikes (moderators' changes applied on top).",
            )
            return
        header = (
            f"Reload failed: {len(outcome.issues)} problem(s) in the knowledge files. Nothing "
            f"changed: members are still answered from the knowledge loaded "
            f"{when(outcome.snapshot.loaded_at)} ({len(kb.facts)} facts)."
        )
        pages = paginate(issue_lines(outcome.issues), limit=MAX_CONTENT_CHARS - len(header) - 1)
        await reply(interaction, f"{header}\n{pages[0]}" if pages else header)
        for page in pages[1:]:
            await reply(interaction, page)

    @source.command(name="add", description="Add an article (as a .txt attachment) facts can quote")
    @app_commands.describe(
        file="The article's text as copied from the page (.txt); boilerplate is removed",
        source_id="New id, e.g. latimes-2023-09-01-wga-deal",
        outlet="Who published it (leave empty if unknown)",
        headline="The headline (leave empty if unknown)",
        url="Link to the article (leave empty if unknown)",
        published="Publication date YYYY-MM-DD (leave empty if unknown)",
        published_inferred="True when the date is worked out, not printed on the article",
        published_note="How the date was worked out, or why it is unknown",
        authors="Comma-separated bylines (leave empty if unknown)",
    )
    @moderator_only()
    async def add_source(
        self,
        interaction: discord.Interaction,
        file: discord.Attachment,
        source_id: str,
        outlet: str | None = None,
        headline: str | None = None,
        url: str | None = None,
        published: str | None = None,
        published_inferred: bool = False,
        published_note: str | None = None,
        authors: str | None = None,
    ) -> None:
        """Clean the attached article and store it as a new source."""
        problems: list[str] = []
        day = None
        if published is not None:
            try:
                day = parse_day(published, option="published")
            except ValueError as exc:
                problems.append(str(exc))
        if published_inferred and day is None:
            problems.append("published_inferred: give the inferred date in `published`")
        if url is not None and not url.strip().startswith(URL_SCHEMES):
            problems.append(f"url: {clip(url, 100)!r} does not start with https://")
        if file.size > MAX_ARTICLE_BYTES:
            problems.append(f"file: {file.size} bytes is too big for one article")
        if problems:
            await reply(interaction, problems_text(problems, intro="Cannot add that source:"))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            raw = (await file.read()).decode("utf-8-sig")
        except UnicodeDecodeError:
            await reply(interaction, "Cannot add that source: the file is not UTF-8 text.")
            return
        cleaned = clean_article(raw)
        source = Source(
            id=source_id.strip(),
            text=cleaned.text,
            outlet=_blank_to_none(outlet),
            headline=_blank_to_none(headline),
            authors=parse_list(authors) or (),
            published=day,
            published_inferred=published_inferred,
            published_note=_blank_to_none(published_note),
            url=_blank_to_none(url),
        )
        if not cleaned.paragraphs:
            await reply(interaction, "Cannot add that source: no article text left after cleaning.")
            return
        try:
            result = await editor_for(self.runtime).add_source(
                source, actor_of(interaction), guild_id=interaction.guild_id
            )
        except EditRejected as error:
            await reply(interaction, rejection_text(error))
            return
        await publish_change(self.runtime)
        stored = result.knowledge.sources.get(source.id, replace(source))
        removed = [f"  - {clip(line, 150)}" for line in cleaned.removed[:REMOVED_LINES_SHOWN]]
        if len(cleaned.removed) > REMOVED_LINES_SHOWN:
            removed.append(f"  …and {len(cleaned.removed) - REMOVED_LINES_SHOWN} more")
        unknown = [
            name
            for name, value in (
                ("outlet", stored.outlet),
                ("headline", stored.headline),
                ("url", stored.url),
                ("published", stored.published),
                ("authors", stored.authors),
            )
            if not value
        ]
        lines = [
            f"Added source `{stored.id}`: {len(stored.paragraphs)} paragraphs. "
            "Quote it with /fact add.",
            f"Unknown (left empty): {', '.join(unknown)}" if unknown else "All metadata given.",
            f"Removed as page boilerplate ({len(cleaned.removed)} lines):" if removed else "",
            *removed,
        ]
        await reply(interaction, fit_lines([line for line in lines if line], MAX_CONTENT_CHARS))

    @strike.command(name="end", description="Record the day a strike ended")
    @app_commands.describe(strike_id="The strike", end_date="Its last day, YYYY-MM-DD")
    @app_commands.autocomplete(strike_id=_strike_ids)
    @moderator_only()
    async def end(self, interaction: discord.Interaction, strike_id: str, end_date: str) -> None:
        """Set the strike's end date; day counts stop there from the next question on."""
        try:
            day = parse_day(end_date, option="end_date")
        except ValueError as exc:
            await reply(interaction, f"Cannot end the strike: {exc}")
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            result = await editor_for(self.runtime).end_strike(
                strike_id, day, actor_of(interaction), guild_id=interaction.guild_id
            )
        except EditRejected as error:
            await reply(interaction, rejection_text(error))
            return
        await publish_change(self.runtime)
        strike = result.knowledge.strikes[strike_id]
        length = (day - strike.start).days + 1
        await reply(
            interaction,
            f"`{strike_id}` ({strike.union.short} v {strike.against.short}) now ends on "
            f"{day.isoformat()}: {length} days from {strike.start.isoformat()}.",
        )


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None
