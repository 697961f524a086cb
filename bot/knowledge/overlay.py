"""The effective fact base: the committed YAML with moderators' changes laid on top.

Precedence, per record id:
- A fact with any moderator revision is the state of its newest revision; the YAML
  fact of the same id is replaced, even if the YAML changed it later (e.g. a commit
  after the moderator's edit). A moderator's change is never lost by a YAML update;
  `kb export` writes the moderator's version, so committing the export is how the
  two are reconciled, and a moderator can always revert to the YAML (`base`) revision.
- Facts only in the database are added; retired ones stay with `retired` set, so
  history and revert work but answers skip them (`KnowledgeBase.current_facts`).
- Moderator-added sources are added, or replace a YAML source of the same id (the
  editor refuses such ids, so this happens only once an export was committed, when
  both hold the same article).
- A strike end date set by a moderator replaces the YAML `end`; an end date for a
  strike the YAML no longer defines is ignored rather than inventing a strike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date

from bot.knowledge.model import Fact, KnowledgeBase, Source


def effective_knowledge(
    base: KnowledgeBase,
    fact_states: Iterable[Fact],
    sources: Iterable[Source],
    strike_ends: Mapping[str, date],
) -> KnowledgeBase:
    """The base with moderators' facts, sources and strike end dates applied."""
    strikes = [
        replace(base.strikes[strike_id], end=end)
        for strike_id, end in strike_ends.items()
        if strike_id in base.strikes
    ]
    return base.with_sources(sources).with_strikes(strikes).with_facts(fact_states)
