"""Problems found in the fact base, each pointing at a file, line and field."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class KnowledgeIssue:
    """One problem a moderator can fix: where it is, what is wrong, what to do."""

    path: str
    line: int | None
    message: str
    hint: str = ""
    field: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        return f"{where}: {what}" + (f" (fix: {self.hint})" if self.hint else "")


class KnowledgeError(Exception):
    """Raised when the fact base cannot be used; carries every issue found, not just one."""

    def __init__(self, issues: Sequence[KnowledgeIssue]) -> None:
        self.issues = tuple(issues)
        super().__init__(
            f"{len(self.issues)} problem(s) in the knowledge base:\n"
            + "\n".join(f"  {i}" for i in self.issues)
        )
