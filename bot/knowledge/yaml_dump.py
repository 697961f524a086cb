"""Writes model records back to YAML in the same shape the loader reads.

Used by ingestion (new sources) and export (moderators' changes), so what the bot
writes can be reviewed in a diff and committed: stable key order, block text for long
strings, unknown metadata written as empty rather than omitted so it is visibly unknown.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from bot.knowledge.model import Citation, Fact, Source

# Strings longer than this (or with line breaks) are written as folded/literal blocks,
# which keeps diffs of edited answers readable.
BLOCK_STYLE_MIN_CHARS = 80


# libyaml's emitter when PyYAML has it (exporting 10,000 facts in pure Python takes tens
# of seconds); how values are represented stays in Python, so the output is the same.
_SafeDumperBase: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_SafeDumperBase):  # type: ignore[valid-type,misc]
    """SafeDumper that writes long text as blocks and never sorts keys."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    if len(value) > BLOCK_STYLE_MIN_CHARS:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=">")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, in the house style."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=88)


def citation_data(citation: Citation) -> dict[str, Any]:
    """Plain data for one citation."""
    return {"source": citation.source_id, "quote": citation.quote}


def fact_data(fact: Fact) -> dict[str, Any]:
    """Plain data for one fact, optional fields only when set."""
    data: dict[str, Any] = {"id": fact.id, "as_of": fact.as_of}
    if fact.strikes:
        data["strikes"] = list(fact.strikes)
    data["tags"] = list(fact.tags)
    data["questions"] = list(fact.questions)
    data["answer"] = fact.answer
    data["citations"] = [citation_data(c) for c in fact.citations]
    if fact.supersedes:
        data["supersedes"] = list(fact.supersedes)
    if fact.retired is not None:
        data["retired"] = fact.retired
    return data


def dump_facts(facts: Iterable[Fact]) -> str:
    """A `facts/*.yaml` file holding these facts."""
    return dump_yaml({"facts": [fact_data(f) for f in facts]})


def source_data(source: Source) -> dict[str, Any]:
    """Plain data for one source; unknown fields are written empty on purpose."""
    return {
        "id": source.id,
        "outlet": source.outlet,
        "headline": source.headline,
        "description": source.description,
        "authors": list(source.authors),
        "published": source.published,
        "published_inferred": source.published_inferred,
        "published_note": source.published_note,
        "url": source.url,
        "text": source.text + "\n",
    }


def dump_source(source: Source) -> str:
    """A `sources/*.yaml` file for this source."""
    return dump_yaml(source_data(source))
