"""The console's `fact` commands, through the same editor and storage as `/fact` in Discord.

Each change goes through `KnowledgeEditor` over the runtime's SQLite database (revision
and audit entry in one transaction, or `EditRejected` with every reason and nothing
written), then the answer engine is refreshed, so the next question sees it; that is
exactly what the Discord cog does, minus Discord.
"""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import date

from bot.console.commands import FactRestore, FactRetire, FactRevert, FactShow
from bot.console.fact_block import FactFields, problems_for_add, problems_for_edit
from bot.console.render import fact_text, history_text, problems_text, rejection_text
from bot.fact_input import EditRejected
from bot.knowledge.model import Citation, Fact, KnowledgeBase
from bot.knowledge.quotes import normalise_for_quote
from bot.knowledge_editing import EditResult, KnowledgeEditor
from bot.runtime import Runtime
from bot.storage.actor import Actor


def default_as_of(citations: tuple[Citation, ...], knowledge: KnowledgeBase, today: date) -> date:
    """A new fact is true as of its first source's publication date, else today.

    The fact base's rule (see the facts files): as_of is the date of the reporting a
    fact is drawn from, not the day someone typed it in.
    """
    for citation in citations:
        source = knowledge.sources.get(citation.source_id)
        if source is not None and source.published is not None:
            return source.published
    return today


def keep_previous_quotes(
    citations: tuple[Citation, ...], previous: tuple[Citation, ...]
) -> tuple[Citation, ...]:
    """Quotes retyped with only tolerated differences keep their stored text.

    Otherwise re-entering the same quote with different line wrapping would be recorded
    as a change (as the Discord form does it).
    """

    def kept(citation: Citation) -> Citation:
        for old in previous:
            same = normalise_for_quote(old.quote) == normalise_for_quote(citation.quote)
            if old.source_id == citation.source_id and same:
                return old
        return citation

    return tuple(kept(c) for c in citations)


class FactActions:
    """Show, trace and change facts as one console user (`actor`)."""

    def __init__(self, runtime: Runtime, actor: Actor) -> None:
        self._runtime = runtime
        self._actor = actor

    @property
    def knowledge(self) -> KnowledgeBase:
        """The effective fact base members are answered from right now."""
        return self._runtime.knowledge.snapshot.knowledge

    def _editor(self) -> KnowledgeEditor:
        """An editor over the database, based on the active snapshot.

        As in Discord (`editor_for`): the snapshot is the YAML with stored changes applied,
        and applying them again gives the same base, so a half-edited YAML file on disk
        never blocks a change.
        """
        return KnowledgeEditor(self._runtime.db, self.knowledge, clock=self._runtime.now)

    async def show(self, command: FactShow) -> str:
        """A fact as it stands, or one stored revision of it."""
        if command.revision is not None:
            found = await self._runtime.stores.fact_revisions.revision(
                command.fact_id, command.revision
            )
            if found is None:
                return f"{command.fact_id} has no revision #{command.revision} (see fact history)."
            return fact_text(found.fact, self.knowledge, revision=command.revision)
        fact = self.knowledge.facts.get(command.fact_id)
        if fact is None:
            return f"No fact {command.fact_id!r}."
        return fact_text(fact, self.knowledge)

    async def history(self, fact_id: str) -> str:
        """Every revision of a fact: who, when, what changed."""
        revisions = await self._runtime.stores.fact_revisions.history(fact_id)
        if not revisions and fact_id not in self.knowledge.facts:
            return f"No fact {fact_id!r}."
        return history_text(fact_id, revisions)

    async def add(self, fields: FactFields) -> str:
        """Add the fact a block describes, or list every reason it cannot be added."""
        problems = problems_for_add(fields)
        if problems:
            return problems_text("Cannot add that fact; nothing was changed:", problems)
        citations = fields.citations or ()
        draft = Fact(
            id=fields.fact_id or "",
            questions=fields.questions or (),
            answer=fields.answer or "",
            citations=citations,
            as_of=fields.as_of or default_as_of(citations, self.knowledge, self._runtime.today()),
            tags=fields.tags or (),
            supersedes=fields.supersedes or (),
            strikes=fields.strikes or (),
        )
        try:
            result = await self._editor().add_fact(draft, self._actor, reason=fields.reason)
        except EditRejected as error:
            return rejection_text(error)
        return await self._changed(result, f"Added {draft.id}")

    async def edit(self, fact_id: str, fields: FactFields) -> str:
        """Change the fields a block gives; the others keep their value."""
        problems = problems_for_edit(fact_id, fields)
        if problems:
            return problems_text(f"Cannot edit {fact_id}; nothing was changed:", problems)
        current = self.knowledge.facts.get(fact_id)
        citations = fields.citations
        if citations is not None and current is not None:
            citations = keep_previous_quotes(citations, current.citations)
        try:
            result = await self._editor().edit_fact(
                fact_id,
                self._actor,
                questions=fields.questions,
                answer=fields.answer,
                citations=citations,
                as_of=fields.as_of,
                tags=fields.tags,
                supersedes=fields.supersedes,
                strikes=fields.strikes,
                reason=fields.reason,
            )
        except EditRejected as error:
            return rejection_text(error)
        return await self._changed(result, f"Edited {fact_id}")

    async def retire(self, command: FactRetire) -> str:
        """Withdraw a fact from answers; it stays in history and can be restored."""
        write = self._editor().retire_fact(command.fact_id, command.reason, self._actor)
        note = f"Members no longer get it; `fact restore {command.fact_id}` brings it back."
        return await self._write(write, f"Retired {command.fact_id}", note)

    async def restore(self, command: FactRestore) -> str:
        """Answer with a retired fact again."""
        write = self._editor().restore_fact(command.fact_id, self._actor, reason=command.reason)
        return await self._write(write, f"Restored {command.fact_id}")

    async def revert(self, command: FactRevert) -> str:
        """Make revision N current again, as a new revision (nothing in history is lost)."""
        write = self._editor().revert_fact(
            command.fact_id, command.revision, self._actor, reason=command.reason
        )
        return await self._write(
            write, f"Reverted {command.fact_id} to revision #{command.revision}"
        )

    async def _write(self, write: Awaitable[EditResult], done: str, note: str = "") -> str:
        """Await one editor call, turning a refusal into its reasons."""
        try:
            result = await write
        except EditRejected as error:
            return rejection_text(error)
        return await self._changed(result, done, note)

    async def _changed(self, result: EditResult, done: str, note: str = "") -> str:
        """Rebuild the answer engine so the next question sees the change; show the fact."""
        await self._runtime.knowledge.refresh()
        revision = result.revision
        assert revision is not None  # fact changes always record a revision
        fact = result.knowledge.facts[revision.fact_id]
        text = f"{done} (revision #{revision.number})."
        if note:
            text += f" {note}"
        elif fact.active and fact.questions:
            text += f" Members asking “{fact.questions[0]}” now get it."
        return f"{text}\n{fact_text(fact, result.knowledge, revision=revision.number)}"
