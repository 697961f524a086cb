"""The announcement's texts from `knowledge/templates.yaml`, checked before use.

Wording belongs to moderators, so it lives in the knowledge base; the placeholders each
text may use are a contract with `content.py`, so they are checked here: a missing
template or an unknown placeholder is an error naming the template, found by `kb check`
and at load rather than as a KeyError in the middle of a morning post.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from string import Formatter

from bot.knowledge.issues import KnowledgeIssue
from bot.knowledge.model import KnowledgeBase

TEMPLATES_PATH = "knowledge/templates.yaml"


@dataclass(frozen=True, slots=True)
class Placeholders:
    """Which `{names}` a template may use, and which it must use to make sense."""

    allowed: frozenset[str]
    required: frozenset[str] = frozenset()


def _spec(allowed: str, required: str = "") -> Placeholders:
    return Placeholders(frozenset(allowed.split()), frozenset(required.split()))


_STRIKE_NAMES = "union against union_name against_name strike_id"
# The contract with content.py; keep in step with the comment atop templates.yaml.
TEMPLATE_PLACEHOLDERS: Mapping[str, Placeholders] = {
    "day_line": _spec(f"day {_STRIKE_NAMES}", "day"),
    "date_line": _spec("date iso_date", "date"),
    "whats_new_header": _spec("since"),
    "change_line": _spec("summary source action fact_id", "summary source"),
    "no_updates": _spec(""),
    "gap_line": _spec("days last_date", "days"),
    "milestone_line": _spec("text day union", "text"),
    "final_post": _spec(f"end_date days {_STRIKE_NAMES}", "union end_date days"),
    "more_changes": _spec("count", "count"),
}


class TemplateError(ValueError):
    """The announcement templates cannot be used; lists every problem, each by name."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__(
            f"{len(problems)} problem(s) in {TEMPLATES_PATH}:\n"
            + "\n".join(f"  {p}" for p in problems)
        )


def _fields(text: str) -> tuple[set[str], list[str]]:
    """Placeholder names in `text`, and syntax problems (bad braces, attribute access)."""
    names: set[str] = set()
    problems: list[str] = []
    try:
        parsed = list(Formatter().parse(text))
    except ValueError as exc:
        return names, [f"bad placeholder syntax ({exc}); write {{{{ or }}}} for a brace"]
    for _literal, field, spec, _conversion in parsed:
        if field is None:
            continue
        if not field.isidentifier():
            problems.append(f"placeholder {{{field}}} must be a plain name like {{day}}")
            continue
        if spec and "{" in spec:
            problems.append(f"nested placeholder in the format of {{{field}}}")
        names.add(field)
    return names, problems


def template_problems(templates: Mapping[str, str]) -> list[str]:
    """Every problem of the announcement templates, each starting with the template name."""
    problems: list[str] = []
    for name, spec in TEMPLATE_PLACEHOLDERS.items():
        text = templates.get(name)
        if text is None:
            problems.append(f"{name}: template missing; add `{name}:` under `templates:`")
            continue
        names, syntax = _fields(text)
        problems.extend(f"{name}: {p}" for p in syntax)
        allowed = ", ".join(f"{{{n}}}" for n in sorted(spec.allowed)) or "none"
        for unknown in sorted(names - spec.allowed):
            problems.append(f"{name}: unknown placeholder {{{unknown}}} (allowed: {allowed})")
        for missing in sorted(spec.required - names):
            problems.append(f"{name}: must contain {{{missing}}}")
    for name in sorted(set(templates) - set(TEMPLATE_PLACEHOLDERS)):
        known = ", ".join(TEMPLATE_PLACEHOLDERS)
        problems.append(f"{name}: unknown template name (known: {known})")
    return problems


def template_issues(kb: KnowledgeBase) -> list[KnowledgeIssue]:
    """The same problems as KnowledgeIssues, for `kb check` and knowledge reloads."""
    issues = []
    for problem in template_problems(kb.templates):
        name, _, message = problem.partition(": ")
        issues.append(KnowledgeIssue(TEMPLATES_PATH, None, message, "", name))
    return issues


@dataclass(frozen=True)
class AnnouncementTemplates:
    """Validated template texts; `render` fills one by name."""

    texts: Mapping[str, str]

    @classmethod
    def from_knowledge(cls, kb: KnowledgeBase) -> AnnouncementTemplates:
        """Check the base's templates; raises TemplateError naming every bad template."""
        problems = template_problems(kb.templates)
        if problems:
            raise TemplateError(problems)
        return cls(dict(kb.templates))

    def render(self, name: str, **values: object) -> str:
        """The template `name` with its placeholders filled (whitespace at the ends trimmed)."""
        return self.texts[name].format(**values).strip()
