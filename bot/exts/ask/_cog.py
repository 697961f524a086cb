"""Members ask: /ask, mentions, ask channels, the moderators' context menu, and buttons.

Thin by design: each handler turns a Discord event into one engine call and the result
into one message (`_render`, `_views`). Every send passes `allowed_mentions=none`, even
though the client sets it too, so no future code path can ping anyone.

Decisions:
- /ask answers publicly; its refusal (with suggestion buttons) is ephemeral, so a miss
  does not clutter the channel. A mention gets a public reply either way (a plain
  message has no ephemeral reply).
- Ask channels (GuildSettings.answers_in: only channels a moderator marked) answer
  only confident matches; misses stay silent and are neither stored as unanswered
  questions (it is chatter not addressed to the bot) nor counted as refusals.
- The per-member cooldown limits only these automatic answers. A member who hits it
  gets one short reply (no ping) deleted after a few seconds, pointing to /ask; further
  questions in the same cooldown are skipped silently.
- Unanswered questions are stored without any user id, after the reply is sent.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from typing import Final

import discord
from discord import app_commands
from discord.ext import commands

from bot.answers.model import Answer, cite
from bot.discord_app.client import StrikeBot, is_ignored_author
from bot.discord_app.permissions import moderator_only
from bot.exts.ask._cooldown import AutoAnswerCooldown, CooldownVerdict
from bot.exts.ask._questions import (
    looks_like_question,
    strip_bot_mention,
    without_discord_markup,
)
from bot.exts.ask._render import answer_embed, refusal_text
from bot.exts.ask._views import (
    ASK_COG_NAME,
    SuggestionButton,
    VoteButton,
    answer_view,
    suggestions_view,
)
from bot.exts.errors import SOMETHING_WENT_WRONG, send_ephemeral
from bot.knowledge.model import Fact, KnowledgeBase

log = logging.getLogger(__name__)

NO_MENTIONS: Final = discord.AllowedMentions.none()
# Matches the unanswered store's cut-off: longer text is not a question a fact answers.
MAX_QUESTION_CHARS: Final = 500
# Ask-channel messages longer than this are discussion, not a quick question to answer.
MAX_AUTO_QUESTION_CHARS: Final = 300
# Long enough to read a one-line note, short enough not to clutter a busy channel.
COOLDOWN_NOTE_SECONDS: Final = 10.0
CONTEXT_MENU_NAME: Final = "Answer with strike facts"
MENTION_HINT: Final = "Ask me a question after the mention, e.g. “@StrikeBot when did it start?”"
NO_TEXT: Final = "That message has no text I can answer."
FACT_GONE: Final = "That fact is no longer available. Try /ask with your question."


@dataclass(frozen=True, slots=True)
class Place:
    """Where a question was asked (for the unanswered list; never who asked)."""

    guild_id: int | None
    channel_id: int | None


def fact_answer(question: str, fact: Fact, knowledge: KnowledgeBase) -> Answer:
    """The answer a suggestion button promised: that fact, with its citations."""
    return Answer(
        question=question,
        answered=True,
        score=1.0,
        fact_id=fact.id,
        text=fact.answer,
        as_of=fact.as_of,
        kind="fact",
        citations=tuple(cite(knowledge, c.source_id, c.quote) for c in fact.citations),
    )


class AskCog(commands.Cog, name=ASK_COG_NAME):
    """Answers members' questions from the fact base, with sources."""

    def __init__(self, bot: StrikeBot) -> None:
        self.bot = bot
        self.runtime = bot.runtime
        self.cooldown = AutoAnswerCooldown(
            bot.runtime.settings.auto_answer_cooldown_seconds, bot.runtime.clock
        )
        self.context_menu = app_commands.ContextMenu(
            name=CONTEXT_MENU_NAME, callback=self.answer_message
        )
        self.context_menu.guild_only = True
        self.cooldown_note_seconds = COOLDOWN_NOTE_SECONDS

    async def cog_load(self) -> None:
        """Register the persistent buttons and the context menu."""
        self.bot.add_dynamic_items(VoteButton, SuggestionButton)
        self.bot.tree.add_command(self.context_menu)

    async def cog_unload(self) -> None:
        """Undo cog_load."""
        self.bot.tree.remove_command(self.context_menu.name, type=self.context_menu.type)
        self.bot.remove_dynamic_items(VoteButton, SuggestionButton)

    # -- the engine call every path shares -------------------------------------------

    def answer_question(self, question: str) -> Answer:
        """Ask the engine and record the outcome with its latency in the metrics."""
        answer, latency = self._timed_answer(question)
        self._count(answer, latency)
        return answer

    def _timed_answer(self, question: str) -> tuple[Answer, float]:
        """The engine's answer (a few ms: fine on the event loop) and seconds taken."""
        started = time.perf_counter()
        # Mentions are not words of the question; the member's own text is still what is
        # echoed (and stored for /facts gaps), never pinging thanks to allowed mentions.
        words = without_discord_markup(question)
        answer = self.runtime.knowledge.answer(words, today=self.runtime.today())
        if words != question:
            answer = replace(answer, question=question)
        latency = time.perf_counter() - started
        outcome = {"answered": answer.answered, "fact_id": answer.fact_id, "score": answer.score}
        # Members' words stay out of ordinary logs; only DEBUG carries the question text.
        log.info("question", extra={"fields": {**outcome, "latency_ms": round(latency * 1e3, 2)}})
        log.debug("question text", extra={"fields": {**outcome, "question": question}})
        return answer, latency

    def _count(self, answer: Answer, latency: float) -> None:
        if answer.answered:
            self.runtime.metrics.question_answered(latency)
        else:
            self.runtime.metrics.question_refused(latency)

    async def remember_unanswered(self, answer: Answer, place: Place) -> None:
        """Keep a refused question for /facts gaps; a storage failure never blocks a reply."""
        if answer.answered:
            return
        try:
            await self.runtime.stores.unanswered.record(
                answer.question,
                guild_id=place.guild_id,
                channel_id=place.channel_id,
                at=self.runtime.now(),
            )
        except Exception:
            log.exception("could not store an unanswered question")

    def _embed(self, answer: Answer) -> discord.Embed:
        return answer_embed(answer, self.runtime.knowledge.snapshot.knowledge.sources)

    # -- /ask ------------------------------------------------------------------------

    @app_commands.command(name="ask", description="Ask about the strike; answers cite sources.")
    @app_commands.describe(question="Your question, e.g. When did the strike start?")
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, MAX_QUESTION_CHARS],
    ) -> None:
        """Answer publicly with sources, or refuse privately with suggestions."""
        answer = self.answer_question(question)
        await self._respond(interaction, answer)
        await self.remember_unanswered(answer, Place(interaction.guild_id, interaction.channel_id))

    @ask.autocomplete("question")
    async def ask_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Questions the bot can answer, matching what was typed (never more than 25)."""
        engine = self.runtime.knowledge.snapshot.engine
        choices = engine.questions_for_autocomplete(current[:MAX_QUESTION_CHARS], limit=25)
        return [app_commands.Choice(name=q, value=q) for _, q in choices][:25]

    async def _respond(self, interaction: discord.Interaction, answer: Answer) -> None:
        """Reply to an interaction: a public answer, or an ephemeral refusal."""
        if answer.answered:
            await interaction.response.send_message(
                embed=self._embed(answer), view=answer_view(answer), allowed_mentions=NO_MENTIONS
            )
            return
        view = suggestions_view(answer)
        await interaction.response.send_message(
            refusal_text(answer),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
            view=view or discord.utils.MISSING,
        )

    # -- context menu (moderators) --------------------------------------------------

    @moderator_only()
    async def answer_message(
        self, interaction: discord.Interaction, message: discord.Message
    ) -> None:
        """Answer someone else's message as a reply to it; refusals stay private."""
        text = " ".join(message.content.split())[:MAX_QUESTION_CHARS]
        if not text:
            await send_ephemeral(interaction, NO_TEXT)
            return
        answer = self.answer_question(text)
        if not answer.answered:
            await self._respond(interaction, answer)
            await self.remember_unanswered(answer, Place(interaction.guild_id, message.channel.id))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        sent = await message.reply(
            embed=self._embed(answer),
            view=answer_view(answer),
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
        )
        await interaction.followup.send(
            f"Answered: {sent.jump_url}", ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    # -- messages: mentions and ask channels ---------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer mentions always; answer ask-channel questions only when confident."""
        me = self.bot.user
        if me is None or message.guild is None or is_ignored_author(message):
            return
        try:
            if re.search(rf"<@!?{me.id}>", message.content):
                await self._answer_mention(message, me.id)
            else:
                await self._maybe_auto_answer(message)
        except discord.Forbidden:
            log.warning(
                "no permission to reply",
                extra={"fields": {"guild_id": message.guild.id, "channel_id": message.channel.id}},
            )

    async def _answer_mention(self, message: discord.Message, bot_id: int) -> None:
        question = strip_bot_mention(message.content, bot_id)[:MAX_QUESTION_CHARS]
        if not question:
            await message.reply(MENTION_HINT, mention_author=False, allowed_mentions=NO_MENTIONS)
            return
        answer = self.answer_question(question)
        await self._reply(message, answer)
        guild_id = message.guild.id if message.guild else None
        await self.remember_unanswered(answer, Place(guild_id, message.channel.id))

    async def _maybe_auto_answer(self, message: discord.Message) -> None:
        # Cheapest checks first: most channel chatter stops at looks_like_question.
        text = " ".join(message.content.split())
        if not self.bot.message_content_enabled or not text or message.guild is None:
            return
        if len(text) > MAX_AUTO_QUESTION_CHARS or not looks_like_question(text):
            return
        settings = await self.bot.settings_for_guild(message.guild.id)
        parent_id = getattr(message.channel, "parent_id", None)
        if not settings.answers_in(message.channel.id) and not (
            parent_id is not None and settings.answers_in(parent_id)
        ):
            return
        # Silent misses are chatter, not refusals: they are not counted or stored.
        answer, latency = self._timed_answer(text)
        if not answer.answered:
            return
        verdict = self.cooldown.check((message.guild.id, message.author.id))
        if verdict is CooldownVerdict.ANSWER:
            self._count(answer, latency)
            await self._reply(message, answer)
        elif verdict is CooldownVerdict.TELL_ONCE:
            seconds = self.runtime.settings.auto_answer_cooldown_seconds
            await message.reply(
                f"I answer here automatically at most once every {seconds} s per member, "
                "so I skipped this one. /ask works any time.",
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
                delete_after=self.cooldown_note_seconds,
            )

    async def _reply(self, message: discord.Message, answer: Answer) -> None:
        if answer.answered:
            await message.reply(
                embed=self._embed(answer),
                view=answer_view(answer),
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
            )
            return
        await message.reply(
            refusal_text(answer),
            view=suggestions_view(answer) or discord.utils.MISSING,
            mention_author=False,
            allowed_mentions=NO_MENTIONS,
        )

    # -- buttons (called by the DynamicItems in _views) ------------------------------

    async def handle_vote(
        self, interaction: discord.Interaction, helpful: bool, fact_id: str | None
    ) -> None:
        """Store the vote (one per member per answer; a second click changes it)."""

        async def vote() -> None:
            if interaction.message is None:
                return
            await self.runtime.stores.votes.cast(
                interaction.message.id,
                interaction.user.id,
                helpful,
                fact_id=fact_id,
                guild_id=interaction.guild_id,
                at=self.runtime.now(),
            )
            self.runtime.metrics.vote(helpful)
            verdict = "helpful" if helpful else "not helpful"
            await send_ephemeral(
                interaction,
                f"Thanks! Your vote is recorded as {verdict}. Click the other button to change it.",
            )

        await self._guarded(interaction, vote)

    async def handle_suggestion(self, interaction: discord.Interaction, fact_id: str) -> None:
        """Answer the suggested question publicly, as if it had been asked with /ask."""

        async def suggest() -> None:
            knowledge = self.runtime.knowledge.snapshot.knowledge
            fact = knowledge.facts.get(fact_id)
            if fact is None or not fact.active:
                await send_ephemeral(interaction, FACT_GONE)
                return
            question = fact.questions[0]
            current = {f.id for f in knowledge.current_facts()}
            if fact.id in current:
                started = time.perf_counter()
                answer = fact_answer(question, fact, knowledge)
                self.runtime.metrics.question_answered(time.perf_counter() - started)
            else:  # superseded since it was suggested: the engine gives the newer fact
                answer = self.answer_question(question)
            await self._respond(interaction, answer)

        await self._guarded(interaction, suggest)

    async def _guarded(
        self, interaction: discord.Interaction, action: Callable[[], Awaitable[None]]
    ) -> None:
        """Buttons bypass the tree's error handler: log failures, apologise privately."""
        try:
            await action()
        except Exception:
            log.exception(
                "button action failed", extra={"fields": {"guild_id": interaction.guild_id}}
            )
            await send_ephemeral(interaction, SOMETHING_WENT_WRONG)
