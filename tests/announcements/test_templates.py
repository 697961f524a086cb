"""Template problems are errors naming the template, found before a post is rendered."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.announcements.content import render_announcement
from bot.announcements.templates import TemplateError, template_issues, template_problems
from bot.knowledge.model import KnowledgeBase


def test_the_committed_templates_are_valid(kb: KnowledgeBase) -> None:
    assert template_problems(kb.templates) == []


def test_a_missing_template_is_named(kb: KnowledgeBase) -> None:
    texts = {k: v for k, v in kb.templates.items() if k != "gap_line"}
    assert template_problems(texts) == [
        "gap_line: template missing; add `gap_line:` under `templates:`"
    ]


def test_an_unknown_placeholder_is_named_with_the_allowed_ones(kb: KnowledgeBase) -> None:
    texts = {**kb.templates, "day_line": "Day {dya} of the {union} strike"}
    problems = template_problems(texts)
    assert "day_line: unknown placeholder {dya} (allowed: {against}," in problems[0]
    assert "day_line: must contain {day}" in problems


@pytest.mark.parametrize("text", ["{day.__class__}", "{0}", "Day {day"])
def test_attribute_access_positional_fields_and_bad_braces_are_refused(
    kb: KnowledgeBase, text: str
) -> None:
    problems = template_problems({**kb.templates, "day_line": text})
    assert problems and all(p.startswith("day_line: ") for p in problems)


def test_rendering_with_bad_templates_raises_and_kb_check_can_report_it(kb: KnowledgeBase) -> None:
    broken = replace(kb, templates={**kb.templates, "final_post": "Over after {dayz}"})
    with pytest.raises(TemplateError, match="final_post"):
        render_announcement(broken, ["wga-2023"], date(2023, 8, 4), [], None)
    issues = template_issues(broken)
    assert {i.field for i in issues} == {"final_post"}
    assert all(i.path == "knowledge/templates.yaml" for i in issues)
