"""Typed field access on a YAML mapping that records problems instead of stopping.

A moderator fixing a broken file wants every problem at once, so readers here never
raise: they note an issue (file, line, field, fix) and return None for the caller to skip.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from bot.knowledge.issues import KnowledgeIssue
from bot.knowledge.model import Origin
from bot.knowledge.yaml_lines import LineDict, LineList


class FieldReader:
    """Reads fields of one YAML mapping, collecting issues into a shared list."""

    def __init__(
        self, mapping: LineDict, path: str, issues: list[KnowledgeIssue], what: str
    ) -> None:
        self.mapping = mapping
        self.path = path
        self.issues = issues
        self.what = what

    @property
    def origin(self) -> Origin:
        """Where this record starts, for errors raised later by validation."""
        return Origin(self.path, self.mapping.line)

    def problem(self, key: str, message: str, hint: str = "") -> None:
        """Record an issue at the line of `key` (or of the record when it is missing)."""
        self.issues.append(KnowledgeIssue(self.path, self.mapping.line_of(key), message, hint, key))

    def reject_unknown(self, allowed: Iterable[str]) -> None:
        """Flag keys the schema does not know: usually a typo that would be silently lost."""
        known = set(allowed)
        for key in self.mapping:
            if key not in known:
                self.problem(
                    key,
                    f"unknown field in {self.what}",
                    f"remove it or use one of: {', '.join(sorted(known))}",
                )

    def text(self, key: str, *, required: bool = True) -> str | None:
        """A non-empty string field; empty or missing is an issue only when required."""
        value = self.mapping.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(key, f"missing in {self.what}", f"add a non-empty `{key}:`")
            return None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problem(key, f"must be text, got {type(value).__name__}", "write it as text")
            return None
        return str(value).strip()

    def day(self, key: str, *, required: bool = True) -> date | None:
        """A calendar date written YYYY-MM-DD."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.problem(key, f"missing in {self.what}", "add a date as YYYY-MM-DD")
            return None
        if isinstance(value, datetime):
            self.problem(key, "must be a date without a time", "write YYYY-MM-DD")
            return None
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.problem(key, f"{value!r} is not a real date", "write a real date as YYYY-MM-DD")
            return None

    def flag(self, key: str, default: bool = False) -> bool:
        """A true/false field."""
        value = self.mapping.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, f"must be true or false, got {value!r}", "write true or false")
            return default
        return value

    def integer(self, key: str, *, minimum: int | None = None) -> int | None:
        """A whole number, optionally bounded below."""
        value = self.mapping.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(key, f"must be a whole number, got {value!r}", "write a number")
            return None
        if minimum is not None and value < minimum:
            self.problem(key, f"must be at least {minimum}, got {value}", "fix the number")
            return None
        return value

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        """A list of non-empty strings; a single string is not silently accepted."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.problem(key, f"missing in {self.what}", f"add a list under `{key}:`")
            return ()
        if not isinstance(value, list):
            self.problem(key, "must be a list", f"write each entry as '- ...' under `{key}:`")
            return ()
        items: list[str] = []
        lines = value.item_lines if isinstance(value, LineList) else []
        for index, item in enumerate(value):
            if not isinstance(item, str | int | float) or not str(item).strip():
                line = lines[index] if index < len(lines) else self.mapping.line_of(key)
                self.issues.append(
                    KnowledgeIssue(
                        self.path, line, "entries must be non-empty text", "fix the entry", key
                    )
                )
                continue
            items.append(str(item).strip())
        if required and not items:
            self.problem(key, "must not be empty", f"add at least one entry under `{key}:`")
        return tuple(items)

    def mappings(self, key: str, *, required: bool = True) -> list[LineDict]:
        """A list of mappings (e.g. citations), each kept with its own lines."""
        value = self.mapping.get(key)
        if value is None:
            if required:
                self.problem(key, f"missing in {self.what}", f"add a list under `{key}:`")
            return []
        if not isinstance(value, list) or not all(isinstance(v, LineDict) for v in value):
            self.problem(key, "must be a list of mappings", "write each entry as '- field: ...'")
            return []
        if required and not value:
            self.problem(key, "must not be empty", f"add at least one entry under `{key}:`")
        return list(value)

    def raw(self, key: str) -> Any:
        """The value as parsed, for fields with their own structure."""
        return self.mapping.get(key)
