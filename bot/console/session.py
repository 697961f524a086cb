"""The console's command interpreter: one line in, the text to print out.

A plain class over the bot's `Runtime` (the same knowledge service, database and
editor the Discord bot uses), so it is tested by feeding it lines, with no terminal.
A line either runs a command or, inside a `fact add`/`fact edit` block, is collected
until the block's closing `.`. No command's failure ends the session: refusals are
answered in text, and an unexpected error is logged and reported as one line.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from bot.announcements.changes import changes_by_as_of, changes_from_revisions
from bot.announcements.content import Announcement, render_announcement
from bot.announcements.templates import TemplateError
from bot.console.commands import (
    USAGE,
    Announce,
    Ask,
    Command,
    CommandError,
    Day,
    FactAdd,
    FactEdit,
    FactHistory,
    FactRestore,
    FactRetire,
    FactRevert,
    FactShow,
    Help,
    Quit,
    Reload,
    parse_command,
)
from bot.console.fact_actions import FactActions
from bot.console.fact_block import (
    CANCEL_BLOCK,
    END_OF_BLOCK,
    FACT_KEYS,
    BlockError,
    fact_as_block,
    parse_fact_block,
)
from bot.console.render import announcement_text, answer_text, problems_text
from bot.runtime import Runtime
from bot.storage.actor import Actor
from bot.strike_calendar import DateBeforeStrikeError, local_today, strike_day

log = logging.getLogger(__name__)

HELP_TEXT = "\n".join(
    [
        "A line that is not a command is a question, answered as members get it.",
        "Commands:",
        *(f"  {usage}" for usage in USAGE.values()),
        "A fact block is `key: value` lines; a line starting with a space continues the one",
        f"above; a line with a single `{END_OF_BLOCK}` ends it, `{CANCEL_BLOCK}` drops it. Keys:",
        *(f"  {key}: {meaning}" for key, meaning in FACT_KEYS.items()),
        "Example:",
        "  fact add",
        "  id: wga-talks-resumed",
        "  questions: Did talks resume? | are the wga and amptp talking again?",
        "  answer: Yes: on Aug 11, 2023 the WGA and AMPTP met for the first official session.",
        "  source: wire-2023-08-11-wga-talks-resume",
        "  quote: the first official negotiating session since the union went on strike May 2",
        f"  {END_OF_BLOCK}",
        "Changes are stored in the database file as revisions on top of the YAML knowledge,",
        "like moderators' changes in Discord: they survive restarts; `kb export --db` writes",
        "them out as YAML.",
    ]
)


@dataclass
class _OpenBlock:
    """A `fact add` or `fact edit` whose `key: value` lines are still being typed."""

    command: FactAdd | FactEdit
    lines: list[str] = field(default_factory=list)


def _day_line(union: str, against: str, on: date, day: int) -> str:
    """As `strikebot day` words it."""
    return f"{on:%a %b} {on.day}, {on.year}: day {day} of the {union} strike against the {against}"


class ConsoleSession:
    """Runs console lines against a runtime as `actor`; `finished` once the user quits.

    `interactive` adds the guidance a person at a terminal wants (what a block expects,
    the fact to edit as a block to copy); scripted sessions get only results.
    """

    def __init__(self, runtime: Runtime, actor: Actor, *, interactive: bool = False) -> None:
        self._runtime = runtime
        self._actor = actor
        self._interactive = interactive
        self._facts = FactActions(runtime, actor)
        self._block: _OpenBlock | None = None
        self.finished = False

    @property
    def in_block(self) -> bool:
        """Whether lines are being collected for a fact block (for the prompt)."""
        return self._block is not None

    async def handle(self, line: str) -> str:
        """Run one input line; returns what to print (possibly nothing)."""
        if self._block is not None:
            return await self._collect(line)
        try:
            command = parse_command(line)
        except CommandError as error:
            return str(error)
        if command is None:
            return ""
        try:
            return await self._run(command)
        except Exception as error:
            log.exception("console command failed", extra={"fields": {"line": line[:200]}})
            return (
                f"error: that command failed unexpectedly ({type(error).__name__}: {error}). "
                "Nothing else was affected; the session goes on."
            )

    def cancel_block(self) -> str:
        """Drop a block being typed (Ctrl-C at the terminal, or `.cancel`)."""
        if self._block is None:
            return ""
        self._block = None
        return "Cancelled; nothing was changed."

    async def end_of_input(self) -> str:
        """Input ended: an unfinished block is reported, never half-saved."""
        self.finished = True
        if self._block is None:
            return ""
        self._block = None
        return (
            f"Input ended inside a fact block (no closing `{END_OF_BLOCK}`); nothing was changed."
        )

    async def _collect(self, line: str) -> str:
        assert self._block is not None
        if line.strip() == CANCEL_BLOCK:
            return self.cancel_block()
        if line.strip() != END_OF_BLOCK:
            self._block.lines.append(line.rstrip("\r\n"))
            return ""
        block, self._block = self._block, None
        try:
            fields = parse_fact_block(block.lines)
        except BlockError as error:
            return problems_text(
                "That fact block has problems; nothing was changed:", error.problems
            )
        try:
            if isinstance(block.command, FactAdd):
                return await self._facts.add(fields)
            return await self._facts.edit(block.command.fact_id, fields)
        except Exception as error:
            log.exception("console fact block failed")
            return f"error: saving failed unexpectedly ({type(error).__name__}: {error})."

    async def _run(self, command: Command) -> str:
        if isinstance(command, Ask):
            return answer_text(
                self._runtime.knowledge.answer(command.question, today=self._runtime.today())
            )
        if isinstance(command, Day):
            return self._day(command.on)
        if isinstance(command, Announce):
            return await self._announce(command.on or self._runtime.today())
        if isinstance(command, FactShow):
            return await self._facts.show(command)
        if isinstance(command, FactHistory):
            return await self._facts.history(command.fact_id)
        if isinstance(command, FactAdd | FactEdit):
            return self._open_block(command)
        if isinstance(command, FactRetire):
            return await self._facts.retire(command)
        if isinstance(command, FactRestore):
            return await self._facts.restore(command)
        if isinstance(command, FactRevert):
            return await self._facts.revert(command)
        if isinstance(command, Reload):
            return await self._reload()
        if isinstance(command, Help):
            return HELP_TEXT
        assert isinstance(command, Quit)
        self.finished = True
        return ""

    def _open_block(self, command: FactAdd | FactEdit) -> str:
        self._block = _OpenBlock(command)
        if not self._interactive:
            return ""
        end = f"End with a line `{END_OF_BLOCK}` (or `{CANCEL_BLOCK}` to drop it)."
        if isinstance(command, FactAdd):
            return f"New fact: give `key: value` lines ({', '.join(FACT_KEYS)}). {end}"
        fact = self._facts.knowledge.facts.get(command.fact_id)
        if fact is None:
            return f"No fact {command.fact_id!r} now; the block will be refused. {end}"
        current = "\n".join(f"  {line}" for line in fact_as_block(fact))
        return f"Give only the lines to change. {end} Now:\n{current}"

    def _day(self, on: date | None) -> str:
        kb = self._facts.knowledge
        lines = []
        for strike in kb.strikes.values():
            day = on or local_today(strike, self._runtime.now())
            try:
                state = strike_day(strike, day)
            except DateBeforeStrikeError as error:
                lines.append(str(error))
                continue
            if state.ongoing:
                lines.append(_day_line(strike.union.short, strike.against.short, day, state.day))
            else:
                assert strike.end is not None
                lines.append(
                    f"The {strike.union.short} strike ended on {strike.end:%b} {strike.end.day}, "
                    f"{strike.end.year} after {state.length_days} days"
                )
        return "\n".join(lines) or "No strikes are defined."

    async def _announce(self, on: date) -> str:
        try:
            announcement = await self._announcement(on)
        except TemplateError as error:
            return f"announce: the templates are broken: {error}"
        if announcement.is_empty:
            return f"No post on {on.isoformat()}: no strike had begun."
        return announcement_text(announcement)

    async def _announcement(self, on: date) -> Announcement:
        """The post for `on` to a guild following every strike, as the bot renders it.

        What's new: facts dated that day (as `strikebot announce` counts them) and every
        change stored during that local day, the latest change to a fact winning.
        """
        kb = self._facts.knowledge
        changes = {c.fact_id: c for c in changes_by_as_of(kb, on - timedelta(days=1), on)}
        zone = self._runtime.local_zone()
        start = datetime.combine(on, time(0), zone).astimezone(UTC)
        end = datetime.combine(on + timedelta(days=1), time(0), zone).astimezone(UTC)
        stored = await self._runtime.stores.fact_revisions.changed_since(start)
        for change in changes_from_revisions([r for r in stored if r.at < end], kb):
            changes[change.fact_id] = change
        return render_announcement(kb, list(kb.strikes), on, list(changes.values()), None)

    async def _reload(self) -> str:
        outcome = await self._runtime.knowledge.reload()
        if not outcome.ok:
            return problems_text(
                "The YAML has problems; still answering from the previous knowledge:",
                [str(issue) for issue in outcome.issues],
            )
        facts = len(outcome.snapshot.knowledge.facts)
        return f"Reloaded: {facts} facts (YAML with the stored changes on top)."
