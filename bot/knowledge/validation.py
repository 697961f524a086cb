"""Semantic checks of a loaded fact base: the rules `kb check` and reloads enforce.

Structure (types, required fields) is checked while reading; this module checks what
only the whole base can tell: references resolve, quotes are verbatim, texts fit
Discord, supersedes chains end.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.announcements.templates import template_issues
from bot.knowledge.issues import KnowledgeIssue
from bot.knowledge.model import Citation, Fact, KnowledgeBase, Origin
from bot.knowledge.quotes import quote_problem

# An answer is shown with its sources in one Discord message (2,000 characters) or in an
# embed field (1,024); keeping answers under 1,000 leaves room for the citations.
MAX_ANSWER_CHARS = 1000
# A quote is shown in an embed field, whose value Discord caps at 1,024 characters.
MAX_QUOTE_CHARS = 1000
# Questions appear as autocomplete choices and suggestion labels (Discord: 100 characters).
MAX_QUESTION_CHARS = 100


def _issue(origin: Origin, message: str, hint: str, field: str) -> KnowledgeIssue:
    return KnowledgeIssue(origin.path, origin.line, message, hint, field)


def citation_problems(
    citation: Citation, knowledge: KnowledgeBase, origin: Origin
) -> Iterator[KnowledgeIssue]:
    """Problems of one citation: unknown source, quote not verbatim or too long."""
    source = knowledge.sources.get(citation.source_id)
    if source is None:
        known = ", ".join(sorted(knowledge.sources)) or "none"
        yield _issue(
            origin,
            f"citation names unknown source {citation.source_id!r}",
            f"use one of: {known}",
            "citations",
        )
        return
    problem = quote_problem(citation.quote, source.text)
    if problem:
        yield _issue(
            origin,
            f"{problem}: {citation.quote[:80]!r} in source {source.id!r}",
            "copy the quote exactly from the source's text",
            "citations",
        )
    if len(citation.quote) > MAX_QUOTE_CHARS:
        yield _issue(
            origin,
            f"quote is {len(citation.quote)} characters (limit {MAX_QUOTE_CHARS})",
            "quote the shortest passage that supports the fact",
            "citations",
        )


def fact_problems(fact: Fact, knowledge: KnowledgeBase) -> Iterator[KnowledgeIssue]:
    """Problems of one fact against the rest of the base; also used by `/fact add`."""
    if len(fact.answer) > MAX_ANSWER_CHARS:
        yield _issue(
            fact.origin,
            f"answer is {len(fact.answer)} characters (limit {MAX_ANSWER_CHARS})",
            "shorten the answer; details belong in separate facts",
            "answer",
        )
    if not fact.questions:
        yield _issue(fact.origin, "no questions", "add how members would ask it", "questions")
    for question in fact.questions:
        if len(question) > MAX_QUESTION_CHARS:
            yield _issue(
                fact.origin,
                f"question {question[:40]!r}... is over {MAX_QUESTION_CHARS} characters",
                "ask it the short way members would",
                "questions",
            )
    for citation in fact.citations:
        yield from citation_problems(citation, knowledge, fact.origin)
    for old in fact.supersedes:
        if old == fact.id:
            yield _issue(fact.origin, "a fact cannot supersede itself", "remove it", "supersedes")
        elif old not in knowledge.facts:
            yield _issue(
                fact.origin, f"supersedes unknown fact {old!r}", "use an existing id", "supersedes"
            )
    for strike_id in fact.strikes:
        if strike_id not in knowledge.strikes:
            yield _issue(
                fact.origin,
                f"names unknown strike {strike_id!r}",
                f"use one of: {', '.join(sorted(knowledge.strikes))}",
                "strikes",
            )


def _supersede_cycles(knowledge: KnowledgeBase) -> Iterator[KnowledgeIssue]:
    """A cycle would leave no 'newest' fact to prefer; report each cycle once."""
    reported: set[frozenset[str]] = set()
    for start in knowledge.facts.values():
        path: list[str] = [start.id]
        frontier = list(start.supersedes)
        seen = {start.id}
        while frontier:
            current = frontier.pop()
            if current == start.id:
                cycle = frozenset(path)
                if cycle not in reported:
                    reported.add(cycle)
                    yield _issue(
                        start.origin,
                        f"supersedes chain loops back to {start.id!r}",
                        "a newer fact supersedes an older one, never the reverse",
                        "supersedes",
                    )
                break
            if current in seen or current not in knowledge.facts:
                continue
            seen.add(current)
            path.append(current)
            frontier.extend(knowledge.facts[current].supersedes)


def validate(knowledge: KnowledgeBase) -> list[KnowledgeIssue]:
    """Every semantic problem in the base, in file order."""
    issues: list[KnowledgeIssue] = []
    if not knowledge.strikes:
        issues.append(KnowledgeIssue("strikes.yaml", None, "no strikes defined", "add one"))
    for strike in knowledge.strikes.values():
        if strike.end is not None and strike.end < strike.start:
            issues.append(_issue(strike.origin, "end is before start", "fix the dates", "end"))
        for milestone in strike.milestones:
            for citation in milestone.citations:
                issues.extend(citation_problems(citation, knowledge, strike.origin))
    for fact in knowledge.facts.values():
        issues.extend(fact_problems(fact, knowledge))
    issues.extend(_supersede_cycles(knowledge))
    issues.extend(template_issues(knowledge))
    return sorted(issues, key=lambda i: (i.path, i.line or 0))
