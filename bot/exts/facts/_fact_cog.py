"""`/fact`: moderators add, edit, retire, restore, show, trace, revert and export facts.

Every command is guarded by `moderator_only()`, checked when the interaction arrives
(Discord's command visibility is never the guard), and every form submit and button is
checked again. Replies are ephemeral. After a change the answer engine is rebuilt, so
the next member question uses it; the change lives in SQLite, so it survives restarts.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import Final

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord_app.permissions import interaction_is_moderator, moderator_only
from bot.fact_input import ID_HINT, RECORD_ID, EditRejected
from bot.knowledge.model import Fact, KnowledgeBase
from bot.knowledge_editing import EditResult
from bot.runtime import Runtime
from bot.storage.fact_revisions import FactRevisionStore

from ._choices import fact_choices, revision_choices, strike_choices
from ._export import export_attachment
from ._fact_form import FactForm, FactModal, FormHandler, RetryFormView
from ._fact_options import FactOptions, default_as_of
from ._shared import (
    actor_of,
    editor_for,
    publish_change,
    rejection_text,
    reply,
)
from ._texts import clip, fact_embed, history_text, problems_text

log = logging.getLogger(__name__)

# A reason is shown in history lines and audit details; a paragraph is plenty.
MAX_REASON_CHARS: Final = 500


def _first_question(fact: Fact) -> str:
    return clip(fact.questions[0], 100) if fact.questions else fact.id


class FactCommands(commands.Cog):
    """The `/fact` command group."""

    fact = app_commands.Group(
        name="fact", description="Moderators: keep the facts current", guild_only=True
    )

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    @property
    def knowledge(self) -> KnowledgeBase:
        """The effective fact base members are answered from right now."""
        return self.runtime.knowledge.snapshot.knowledge

    # -- autocomplete ------------------------------------------------------------------

    async def _fact_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not await interaction_is_moderator(interaction):
            return []
        return fact_choices(self.knowledge, current)

    async def _strike_ids(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        if not await interaction_is_moderator(interaction):
            return []
        return strike_choices(self.knowledge, current)

    async def _revision_numbers(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[int]]:
        fact_id = getattr(interaction.namespace, "fact_id", None)
        if not fact_id or not await interaction_is_moderator(interaction):
            return []
        history = await FactRevisionStore(self.runtime.db).history(str(fact_id))
        return revision_choices(history, current)

    # -- add / edit ----------------------------------------------------------------------

    @fact.command(name="add", description="Add a fact: opens a form for questions, answer, quote")
    @app_commands.describe(
        fact_id="New id: lowercase letters, digits and dashes (e.g. wga-ai-protections)",
        as_of="Date the fact is true as of, YYYY-MM-DD (default: the article's date)",
        tags="Comma-separated tags (e.g. wga, ai)",
        supersedes="Ids of older facts this one replaces, comma-separated",
        strikes="Strike ids the fact is about, comma-separated",
    )
    @app_commands.autocomplete(supersedes=_fact_ids, strikes=_strike_ids)
    @moderator_only()
    async def add(
        self,
        interaction: discord.Interaction,
        fact_id: str,
        as_of: str | None = None,
        tags: str | None = None,
        supersedes: str | None = None,
        strikes: str | None = None,
    ) -> None:
        """Check the id and options first, then open the empty form."""
        fact_id = fact_id.strip()
        options, problems = FactOptions.parse(
            self.knowledge, as_of=as_of, tags=tags, supersedes=supersedes, strikes=strikes
        )
        if not RECORD_ID.match(fact_id):
            problems.insert(0, f"fact_id: {fact_id!r} is not a valid id ({ID_HINT})")
        elif fact_id in self.knowledge.facts:
            problems.insert(0, f"fact_id: {fact_id!r} is already in use (see /fact show)")
        if problems:
            await reply(interaction, problems_text(problems, intro="Cannot add that fact:"))
            return
        await interaction.response.send_modal(
            FactModal(f"New fact {fact_id}", self._adder(fact_id, options))
        )

    def _adder(self, fact_id: str, options: FactOptions) -> FormHandler:
        async def save(interaction: discord.Interaction, form: FactForm) -> None:
            citations, problems = form.citations()
            draft = Fact(
                id=fact_id,
                questions=form.question_list(),
                answer=form.answer,
                citations=citations,
                as_of=options.as_of or date.min,
                tags=options.tags or (),
                supersedes=options.supersedes or (),
                strikes=options.strikes or (),
            )
            if options.as_of is None:
                draft = replace(
                    draft, as_of=default_as_of(draft, self.knowledge, self.runtime.today())
                )

            async def write() -> EditResult:
                return await editor_for(self.runtime).add_fact(
                    draft, actor_of(interaction), guild_id=interaction.guild_id
                )

            title = f"New fact {fact_id}"
            retry = RetryFormView(title, save, form, interaction.user.id)
            await self._save(interaction, problems, write, retry, done=f"Added `{fact_id}`")

        return save

    @fact.command(name="edit", description="Edit a fact: opens its form prefilled")
    @app_commands.describe(
        fact_id="The fact to edit (type part of its id or a question)",
        as_of="New as-of date, YYYY-MM-DD (default: unchanged)",
        tags="New comma-separated tags, replacing the old ones (default: unchanged)",
        supersedes="New comma-separated ids this fact replaces (default: unchanged)",
        strikes="New comma-separated strike ids (default: unchanged)",
        reason="Why, for the history (optional)",
    )
    @app_commands.autocomplete(fact_id=_fact_ids, supersedes=_fact_ids, strikes=_strike_ids)
    @moderator_only()
    async def edit(
        self,
        interaction: discord.Interaction,
        fact_id: str,
        as_of: str | None = None,
        tags: str | None = None,
        supersedes: str | None = None,
        strikes: str | None = None,
        reason: str | None = None,
    ) -> None:
        """Open the form with the fact's current text."""
        current = self.knowledge.facts.get(fact_id)
        options, problems = FactOptions.parse(
            self.knowledge, as_of=as_of, tags=tags, supersedes=supersedes, strikes=strikes
        )
        if current is None:
            problems.insert(0, f"fact_id: no fact {fact_id!r} (pick one from the list)")
        if problems:
            await reply(interaction, problems_text(problems, intro="Cannot edit that fact:"))
            return
        assert current is not None
        note = clip(reason, MAX_REASON_CHARS) if reason else None
        await interaction.response.send_modal(
            FactModal(f"Edit {fact_id}", self._editor(current, options, note), FactForm.of(current))
        )

    def _editor(self, before: Fact, options: FactOptions, reason: str | None) -> FormHandler:
        async def save(interaction: discord.Interaction, form: FactForm) -> None:
            citations, problems = form.citations(before.citations)

            async def write() -> EditResult:
                return await editor_for(self.runtime).edit_fact(
                    before.id,
                    actor_of(interaction),
                    questions=form.question_list(),
                    answer=form.answer,
                    citations=citations,
                    as_of=options.as_of,
                    tags=options.tags,
                    supersedes=options.supersedes,
                    strikes=options.strikes,
                    reason=reason,
                    guild_id=interaction.guild_id,
                )

            retry = RetryFormView(f"Edit {before.id}", save, form, interaction.user.id)
            await self._save(interaction, problems, write, retry, done=f"Edited `{before.id}`")

        return save

    async def _save(
        self,
        interaction: discord.Interaction,
        problems: list[str],
        write: Callable[[], Awaitable[EditResult]],
        retry: RetryFormView,
        *,
        done: str,
    ) -> None:
        """Write the change or show every reason it was refused, with a way back to the form."""
        if problems:
            text = problems_text(problems, intro="Rejected; nothing was changed:")
            await reply(interaction, text, view=retry)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            result = await write()
        except EditRejected as error:
            await reply(interaction, rejection_text(error), view=retry)
            return
        await self._changed(interaction, result, done)

    async def _changed(
        self, interaction: discord.Interaction, result: EditResult, done: str
    ) -> None:
        """Publish the change to the answer engine and show the fact as it now stands."""
        await publish_change(self.runtime)
        revision = result.revision
        assert revision is not None  # fact changes always record a revision
        fact = result.knowledge.facts[revision.fact_id]
        text = f"{done} (revision #{revision.number})."
        if fact.active:
            text += f" Members asking “{_first_question(fact)}” now get it."
        embed = fact_embed(fact, result.knowledge, revision=revision.number)
        await reply(interaction, text, embed=embed)

    # -- retire / restore / revert ---------------------------------------------------------

    @fact.command(name="retire", description="Stop answering with a fact (kept in history)")
    @app_commands.describe(fact_id="The fact to retire", reason="Why, shown in its history")
    @app_commands.autocomplete(fact_id=_fact_ids)
    @moderator_only()
    async def retire(
        self,
        interaction: discord.Interaction,
        fact_id: str,
        reason: app_commands.Range[str, 1, MAX_REASON_CHARS],
    ) -> None:
        """Retire the fact; members no longer get it as an answer."""
        await self._change(
            interaction,
            editor_for(self.runtime).retire_fact(
                fact_id, reason, actor_of(interaction), guild_id=interaction.guild_id
            ),
            f"Retired `{fact_id}`: members no longer get it. /fact restore brings it back.",
        )

    @fact.command(name="restore", description="Answer with a retired fact again")
    @app_commands.describe(fact_id="The retired fact", reason="Why, for the history (optional)")
    @app_commands.autocomplete(fact_id=_fact_ids)
    @moderator_only()
    async def restore(
        self,
        interaction: discord.Interaction,
        fact_id: str,
        reason: app_commands.Range[str, 1, MAX_REASON_CHARS] | None = None,
    ) -> None:
        """Bring the fact back into answers."""
        await self._change(
            interaction,
            editor_for(self.runtime).restore_fact(
                fact_id, actor_of(interaction), reason=reason, guild_id=interaction.guild_id
            ),
            f"Restored `{fact_id}`: members get it again.",
        )

    @fact.command(name="revert", description="Make an earlier revision of a fact current again")
    @app_commands.describe(
        fact_id="The fact",
        revision="The revision number to go back to (see /fact history)",
        reason="Why, for the history (optional)",
    )
    @app_commands.autocomplete(fact_id=_fact_ids)
    @app_commands.autocomplete(revision=_revision_numbers)
    @moderator_only()
    async def revert(
        self,
        interaction: discord.Interaction,
        fact_id: str,
        revision: app_commands.Range[int, 1],
        reason: app_commands.Range[str, 1, MAX_REASON_CHARS] | None = None,
    ) -> None:
        """Restore revision N as a new revision; nothing in the history is lost."""
        await self._change(
            interaction,
            editor_for(self.runtime).revert_fact(
                fact_id,
                revision,
                actor_of(interaction),
                reason=reason,
                guild_id=interaction.guild_id,
            ),
            f"Reverted `{fact_id}` to revision #{revision}.",
        )

    async def _change(
        self, interaction: discord.Interaction, write: Awaitable[EditResult], done: str
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            result = await write
        except EditRejected as error:
            await reply(interaction, rejection_text(error))
            return
        await self._changed(interaction, result, done)

    # -- read-only -------------------------------------------------------------------------

    @fact.command(name="show", description="Show a fact as members get it, or an old revision")
    @app_commands.describe(fact_id="The fact", revision="An earlier revision number (optional)")
    @app_commands.autocomplete(fact_id=_fact_ids)
    @app_commands.autocomplete(revision=_revision_numbers)
    @moderator_only()
    async def show(
        self,
        interaction: discord.Interaction,
        fact_id: str,
        revision: app_commands.Range[int, 1] | None = None,
    ) -> None:
        """The fact's questions, answer, citations and details."""
        if revision is not None:
            found = await FactRevisionStore(self.runtime.db).revision(fact_id, revision)
            if found is None:
                await reply(interaction, f"`{fact_id}` has no revision #{revision}.")
                return
            embed = fact_embed(found.fact, self.knowledge, revision=revision)
            await reply(interaction, embed=embed)
            return
        fact = self.knowledge.facts.get(fact_id)
        if fact is None:
            await reply(interaction, f"No fact `{clip(fact_id, 100)}`.")
            return
        await reply(interaction, embed=fact_embed(fact, self.knowledge))

    @fact.command(name="history", description="Every revision of a fact: who, when, what changed")
    @app_commands.describe(fact_id="The fact")
    @app_commands.autocomplete(fact_id=_fact_ids)
    @moderator_only()
    async def history(self, interaction: discord.Interaction, fact_id: str) -> None:
        """The fact's revisions, newest first."""
        revisions = await FactRevisionStore(self.runtime.db).history(fact_id)
        if not revisions and fact_id not in self.knowledge.facts:
            await reply(interaction, f"No fact `{clip(fact_id, 100)}`.")
            return
        await reply(interaction, history_text(fact_id, revisions))

    @fact.command(name="export", description="Download the current fact base as YAML (zip)")
    @moderator_only()
    async def export(self, interaction: discord.Interaction) -> None:
        """A zip of the knowledge directory with moderators' changes, checked like kb check."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        text, file = await export_attachment(
            self.knowledge, self.runtime.settings.knowledge_dir, self.runtime.now()
        )
        await reply(interaction, text, file=file)
