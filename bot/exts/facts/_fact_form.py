"""The fact modal used by `/fact add` and `/fact edit`: questions, answer and citations.

Discord allows five text inputs per modal with labels of at most 45 characters, so the
form holds the parts a moderator writes (questions, answer, the main source and quote,
further citations); dates, tags and links are slash-command options. For an edit the
form opens prefilled with the fact's current text.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

import discord

from bot.discord_app.permissions import ensure_moderator
from bot.knowledge.model import Citation, Fact
from bot.knowledge.quotes import normalise_for_quote
from bot.knowledge.validation import MAX_ANSWER_CHARS, MAX_QUOTE_CHARS

from ._shared import reply
from ._texts import clip

log = logging.getLogger(__name__)

# Writing an answer and finding its quote takes a while; after this the form's submit is
# no longer handled (Discord itself never expires an open modal).
MODAL_TIMEOUT_SECONDS: Final = 30 * 60
# Discord's limits: modal title and input label 45 characters, an input's value 4,000.
MAX_TITLE_CHARS: Final = 45
MAX_INPUT_CHARS: Final = 4000

QUESTIONS_ID: Final = "fact:questions"
ANSWER_ID: Final = "fact:answer"
SOURCE_ID: Final = "fact:source"
QUOTE_ID: Final = "fact:quote"
MORE_ID: Final = "fact:more-citations"
CITATION_LINE_SEPARATOR: Final = ":"
SOMETHING_WENT_WRONG: Final = (
    "Something went wrong while saving; it was logged. Nothing was changed."
)


@dataclass(frozen=True, slots=True)
class FactForm:
    """What the moderator typed, before it becomes a fact."""

    questions: str
    answer: str
    source_id: str
    quote: str
    more_citations: str = ""

    @classmethod
    def of(cls, fact: Fact) -> FactForm:
        """A form prefilled with a fact's current text (first citation in its own fields)."""
        first = fact.citations[0] if fact.citations else Citation("", "")
        more = "\n".join(
            f"{c.source_id}{CITATION_LINE_SEPARATOR} {' '.join(c.quote.split())}"
            for c in fact.citations[1:]
        )
        return cls("\n".join(fact.questions), fact.answer, first.source_id, first.quote, more)

    def question_list(self) -> tuple[str, ...]:
        """One question per non-empty line."""
        return tuple(line.strip() for line in self.questions.splitlines() if line.strip())

    def citations(
        self, previous: Sequence[Citation] = ()
    ) -> tuple[tuple[Citation, ...], list[str]]:
        """The citations typed, and problems with lines that are not `source-id: quote`.

        A quote that differs from a previous citation of the same source only in what the
        quote check tolerates (white space, curly quotes) keeps its previous text, so an
        untouched edit form does not record a change.
        """
        result: list[Citation] = [Citation(self.source_id.strip(), self.quote.strip())]
        problems: list[str] = []
        for number, line in enumerate(self.more_citations.splitlines(), start=1):
            if not line.strip():
                continue
            source_id, separator, quote = line.partition(CITATION_LINE_SEPARATOR)
            if not separator or not source_id.strip() or not quote.strip():
                problems.append(
                    f"further citations, line {number}: write it as `source-id: exact quote`"
                )
                continue
            result.append(Citation(source_id.strip(), quote.strip()))
        return tuple(_keep_previous(c, previous) for c in result), problems


def _keep_previous(citation: Citation, previous: Sequence[Citation]) -> Citation:
    for old in previous:
        if old.source_id == citation.source_id and normalise_for_quote(
            old.quote
        ) == normalise_for_quote(citation.quote):
            return old
    return citation


FormHandler = Callable[[discord.Interaction, FactForm], Awaitable[None]]


class FactModal(discord.ui.Modal):
    """The five-field fact form; on submit it re-checks the moderator, then calls back."""

    def __init__(self, title: str, handler: FormHandler, prefill: FactForm | None = None) -> None:
        super().__init__(title=clip(title, MAX_TITLE_CHARS), timeout=MODAL_TIMEOUT_SECONDS)
        self._handler = handler
        values = prefill or FactForm("", "", "", "")
        self.questions: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Questions members ask (one per line)",
            style=discord.TextStyle.paragraph,
            custom_id=QUESTIONS_ID,
            default=values.questions[:MAX_INPUT_CHARS] or None,
            max_length=MAX_INPUT_CHARS,
        )
        self.answer: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Answer",
            style=discord.TextStyle.paragraph,
            custom_id=ANSWER_ID,
            default=values.answer or None,
            max_length=MAX_ANSWER_CHARS,
        )
        self.source_id: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Source id",
            custom_id=SOURCE_ID,
            placeholder="e.g. thr-2023-08-04-wga-amptp-meeting (see /source add)",
            default=values.source_id or None,
            max_length=100,
        )
        self.quote: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="Quote, copied exactly from the source",
            style=discord.TextStyle.paragraph,
            custom_id=QUOTE_ID,
            default=values.quote or None,
            max_length=MAX_QUOTE_CHARS,
        )
        self.more_citations: discord.ui.TextInput[Any] = discord.ui.TextInput(
            label="More citations: source-id: quote, one a line",
            style=discord.TextStyle.paragraph,
            custom_id=MORE_ID,
            required=False,
            default=values.more_citations[:MAX_INPUT_CHARS] or None,
            max_length=MAX_INPUT_CHARS,
        )
        for item in (self.questions, self.answer, self.source_id, self.quote, self.more_citations):
            self.add_item(item)

    def form(self) -> FactForm:
        """The submitted values."""
        return FactForm(
            self.questions.value,
            self.answer.value,
            self.source_id.value,
            self.quote.value,
            self.more_citations.value or "",
        )

    async def on_submit(self, interaction: discord.Interaction) -> None:
        """Checked again here: a form opened by a moderator who lost the role must not save."""
        if not await ensure_moderator(interaction):
            return
        await self._handler(interaction, self.form())

    async def on_error(  # type: ignore[override]
        self, interaction: discord.Interaction, error: Exception, /
    ) -> None:
        """Log the failure with its traceback; the moderator hears that nothing changed."""
        log.error(
            "fact form failed",
            exc_info=(type(error), error, error.__traceback__),
            extra={"fields": {"guild_id": interaction.guild_id, "title": self.title}},
        )
        try:
            await reply(interaction, SOMETHING_WENT_WRONG)
        except discord.HTTPException:
            log.warning("could not tell the moderator the form failed", exc_info=True)


class RetryFormView(discord.ui.View):
    """A button under a rejection that reopens the form with what was typed."""

    def __init__(self, title: str, handler: FormHandler, form: FactForm, owner_id: int) -> None:
        super().__init__(timeout=MODAL_TIMEOUT_SECONDS)
        self._title, self._handler, self._form, self._owner_id = title, handler, form, owner_id

    @discord.ui.button(label="Fix and resubmit", style=discord.ButtonStyle.primary)
    async def reopen(self, interaction: discord.Interaction, _: discord.ui.Button[Any]) -> None:
        """Reopen the form prefilled; only the moderator who typed it, still a moderator."""
        if not await ensure_moderator(interaction):
            return
        if interaction.user.id != self._owner_id:
            await reply(interaction, "Only the moderator who wrote this can resubmit it.")
            return
        await interaction.response.send_modal(FactModal(self._title, self._handler, self._form))
