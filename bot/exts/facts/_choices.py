"""Autocomplete choices for fact, source, strike and revision ids.

Discord rejects an autocomplete answer with more than 25 choices, and a choice's name
and value over 100 characters, so every builder here caps both. On empty input each one
offers sensible defaults (all ids in a stable order, newest revisions first) instead of
nothing, so a moderator can browse without knowing an id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from discord import app_commands

from bot.knowledge.model import Fact, KnowledgeBase
from bot.storage.fact_revisions import Revision

# Discord's limits for one autocomplete answer and for a choice's name and value.
MAX_CHOICES = 25
MAX_CHOICE_CHARS = 100


def clip_choice_text(text: str, limit: int = MAX_CHOICE_CHARS) -> str:
    """One line of at most `limit` characters, ending in an ellipsis when cut."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _rank(needle: str, key: str, texts: Iterable[str]) -> int | None:
    """0: id starts with the input, 1: id contains it, 2: a text contains it, None: no match."""
    if not needle:
        return 0
    if key.casefold().startswith(needle):
        return 0
    if needle in key.casefold():
        return 1
    if any(needle in text.casefold() for text in texts):
        return 2
    return None


def _fact_label(fact: Fact) -> str:
    status = " (retired)" if not fact.active else ""
    question = fact.questions[0] if fact.questions else ""
    return clip_choice_text(f"{fact.id}{status} — {question}")


def fact_choices(
    knowledge: KnowledgeBase, current: str, *, active_only: bool = False
) -> list[app_commands.Choice[str]]:
    """Facts whose id or any question contains the typed text, id matches first."""
    needle = " ".join(current.split()).casefold()
    ranked: list[tuple[int, str, Fact]] = []
    for fact in knowledge.facts.values():
        if active_only and not fact.active:
            continue
        rank = _rank(needle, fact.id, fact.questions)
        if rank is not None:
            ranked.append((rank, fact.id, fact))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [
        app_commands.Choice(name=_fact_label(fact), value=fact.id)
        for _, _, fact in ranked[:MAX_CHOICES]
        if len(fact.id) <= MAX_CHOICE_CHARS
    ]


def source_choices(knowledge: KnowledgeBase, current: str) -> list[app_commands.Choice[str]]:
    """Sources whose id, outlet or headline contains the typed text."""
    needle = " ".join(current.split()).casefold()
    ranked = []
    for source in knowledge.sources.values():
        rank = _rank(needle, source.id, (source.outlet or "", source.headline or ""))
        if rank is not None:
            ranked.append((rank, source.id))
    ranked.sort()
    return [
        app_commands.Choice(name=clip_choice_text(source_id), value=source_id)
        for _, source_id in ranked[:MAX_CHOICES]
        if len(source_id) <= MAX_CHOICE_CHARS
    ]


def strike_choices(knowledge: KnowledgeBase, current: str) -> list[app_commands.Choice[str]]:
    """Strikes whose id or party names contain the typed text, with their state."""
    needle = " ".join(current.split()).casefold()
    ranked = []
    for strike in knowledge.strikes.values():
        names = (strike.union.name, strike.union.short, strike.against.name, strike.against.short)
        rank = _rank(needle, strike.id, names)
        if rank is None:
            continue
        state = f"ended {strike.end.isoformat()}" if strike.end else "ongoing"
        label = f"{strike.id} — {strike.union.short} v {strike.against.short}, {state}"
        ranked.append((rank, strike.id, label))
    ranked.sort()
    return [
        app_commands.Choice(name=clip_choice_text(label), value=strike_id)
        for _, strike_id, label in ranked[:MAX_CHOICES]
    ]


def revision_choices(revisions: Sequence[Revision], current: str) -> list[app_commands.Choice[int]]:
    """A fact's revisions, newest first, filtered by the typed number."""
    typed = current.strip().lstrip("#")
    listed = [r for r in reversed(revisions) if not typed or str(r.number).startswith(typed)]
    return [
        app_commands.Choice(
            name=clip_choice_text(
                f"#{r.number} {r.action} by {r.actor.name}, {r.at:%Y-%m-%d %H:%M} UTC"
            ),
            value=r.number,
        )
        for r in listed[:MAX_CHOICES]
    ]
