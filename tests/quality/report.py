"""Scores the answer engine on the held-out question sets; writes tests/quality/SCORES.md.

Run `python -m tests.quality.report` after changing the engine or the facts, and commit
the regenerated SCORES.md: test_answer_quality.py fails when the committed table no
longer matches what the engine scores.

An expected fact that a newer fact has since superseded is still a correct answer (it
is true history, and the engine then appends the newer fact), and so is the newer fact:
answers prefer the newest word, and the facts team decides what supersedes what.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from bot.answers.engine import AnswerEngine
from bot.knowledge.loader import load_knowledge
from bot.knowledge.model import KnowledgeBase

HERE = Path(__file__).parent
ROOT = HERE.parent.parent
KNOWLEDGE = ROOT / "knowledge"
QUESTIONS = HERE / "questions.yaml"
UNSEEN = HERE / "unseen.yaml"
SCORES = HERE / "SCORES.md"
# Day counts depend on "today"; a fixed date keeps the report reproducible.
TODAY = date(2023, 8, 11)


@dataclass(frozen=True)
class Outcome:
    """What the engine did with one question of the set."""

    question: str
    expected: tuple[str, ...]  # empty: must refuse
    category: str
    answered_id: str | None
    score: float

    @property
    def must_refuse(self) -> bool:
        """Whether the set says this question has no sourced answer."""
        return not self.expected

    @property
    def verdict(self) -> str:
        """correct | wrong | refused (answerable), refused | answered (must refuse)."""
        if self.must_refuse:
            return "answered" if self.answered_id else "refused"
        if self.answered_id is None:
            return "refused"
        return "correct" if self.answered_id in self.expected else "wrong"


@dataclass
class Scores:
    """The table: counts per verdict, and the failures to print."""

    name: str
    outcomes: list[Outcome] = field(default_factory=list)

    def _count(self, must_refuse: bool, verdict: str) -> int:
        return sum(
            1 for o in self.outcomes if o.must_refuse == must_refuse and o.verdict == verdict
        )

    @property
    def answerable(self) -> int:
        """How many questions have a sourced answer."""
        return sum(1 for o in self.outcomes if not o.must_refuse)

    @property
    def refusable(self) -> int:
        """How many questions must be refused."""
        return sum(1 for o in self.outcomes if o.must_refuse)

    def rate(self, must_refuse: bool, verdict: str) -> float:
        """Share of the answerable (or must-refuse) questions with this verdict."""
        total = self.refusable if must_refuse else self.answerable
        return self._count(must_refuse, verdict) / total if total else 0.0

    @property
    def failures(self) -> list[Outcome]:
        """Every question not handled as the set expects."""
        return [
            o
            for o in self.outcomes
            if o.verdict not in ("correct",) and not (o.must_refuse and o.verdict == "refused")
        ]

    def table(self) -> str:
        """The Markdown score table."""
        rows = [
            ("answerable: answered correctly", False, "correct"),
            ("answerable: answered wrongly", False, "wrong"),
            ("answerable: refused", False, "refused"),
            ("must refuse: refused", True, "refused"),
            ("must refuse: answered", True, "answered"),
        ]
        lines = [
            f"### {self.name}",
            "",
            f"{self.answerable} answerable, {self.refusable} must-refuse questions.",
            "",
            "| outcome | count | rate |",
            "|---|---:|---:|",
        ]
        for label, must_refuse, verdict in rows:
            count = self._count(must_refuse, verdict)
            lines.append(f"| {label} | {count} | {self.rate(must_refuse, verdict):.1%} |")
        return "\n".join(lines)

    def failure_lines(self) -> str:
        """One line per failure, for the test output."""
        return "\n".join(
            f"  [{o.verdict}] {o.question!r} expected={list(o.expected) or o.category} "
            f"got={o.answered_id} score={o.score:.3f}"
            for o in self.failures
        )


def _current_id(kb: KnowledgeBase, fact_id: str) -> str:
    """Follow supersedes links from a fact to the current fact that replaces it."""
    replaced_by = {old: f.id for f in kb.active_facts() for old in f.supersedes}
    seen = {fact_id}
    while fact_id in replaced_by and replaced_by[fact_id] not in seen:
        fact_id = replaced_by[fact_id]
        seen.add(fact_id)
    return fact_id


def expected_ids(kb: KnowledgeBase, value: str | list[str]) -> tuple[str, ...]:
    """The labelled fact ids and, for each, the current fact that supersedes it."""
    ids = [value] if isinstance(value, str) else list(value)
    return tuple(dict.fromkeys(j for i in ids for j in (i, _current_id(kb, i))))


def labelled_questions(kb: KnowledgeBase, path: Path) -> list[tuple[str, tuple[str, ...], str]]:
    """(question, expected ids, category) of a set; no expected ids: it must be refused.

    The one reading of a question set, shared with the benchmark (bench/quality.py), so
    the two never disagree on what counts as correct.
    """
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    answerable = [(e["q"], expected_ids(kb, e["fact"]), "answerable") for e in data["answerable"]]
    return answerable + [(e["q"], (), e["why"]) for e in data["refuse"]]


def score_set(engine: AnswerEngine, path: Path, name: str) -> Scores:
    """Run every question of a set through the engine."""
    scores = Scores(name)
    for question, expected, category in labelled_questions(engine.knowledge, path):
        answer = engine.answer(question, today=TODAY)
        answered = answer.fact_id if answer.answered else None
        scores.outcomes.append(Outcome(question, expected, category, answered, answer.score))
    return scores


def build_engine() -> AnswerEngine:
    """The engine on the real knowledge base."""
    return AnswerEngine.from_knowledge(load_knowledge(KNOWLEDGE))


def render(main: Scores, unseen: Scores) -> str:
    """SCORES.md: both tables, and the failures of each set."""
    parts = [
        "# Answer quality",
        "",
        "Generated by `python -m tests.quality.report`; checked by",
        "`tests/quality/test_answer_quality.py`. Gates on the tuning set: >= 90% of",
        "answerable questions answered correctly, <= 3% answered wrongly, >= 95% of",
        "must-refuse questions refused. The unseen set is never tuned on.",
        "",
        main.table(),
        "",
        unseen.table(),
        "",
        "### Failures",
        "",
        "```",
        f"{main.name}:",
        main.failure_lines() or "  (none)",
        f"{unseen.name}:",
        unseen.failure_lines() or "  (none)",
        "```",
        "",
    ]
    return "\n".join(parts)


def compute() -> tuple[Scores, Scores]:
    """Score both sets with one engine."""
    engine = build_engine()
    return (
        score_set(engine, QUESTIONS, "questions.yaml (tuning set)"),
        score_set(engine, UNSEEN, "unseen.yaml (never tuned on)"),
    )


def main() -> int:
    """Regenerate SCORES.md and print it."""
    main_scores, unseen_scores = compute()
    text = render(main_scores, unseen_scores)
    SCORES.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
