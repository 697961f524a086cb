"""An Answer as a person reads it on a console: the answer, its date, and its sources.

Source metadata is shown as far as it is known and never dressed up: an article
without a named outlet is an "Unnamed wire report", an inferred date says so, and a
missing URL is simply not shown.
"""

from __future__ import annotations

from datetime import date

from bot.answers.model import Answer, CitedSource

UNNAMED_OUTLET = "Unnamed wire report"
NO_ANSWER = "I don't have a sourced answer to that."


def format_date(day: date) -> str:
    """'Aug 4, 2023': the short date used in answers and source lines."""
    return f"{day:%b} {day.day}, {day.year}"


def source_line(source: CitedSource) -> str:
    """'— The Hollywood Reporter, Aug 4, 2023: “quote”' (plus a URL line when known)."""
    outlet = source.outlet or UNNAMED_OUTLET
    parts = [outlet]
    if source.title:
        parts.append(f"“{source.title}”")
    if source.published is not None:
        published = format_date(source.published)
        parts.append(f"{published} (date inferred)" if source.published_inferred else published)
    line = f"— {', '.join(parts)}: “{source.quote.strip()}”"
    if source.url:
        line += f"\n  {source.url}"
    return line


def render_answer(answer: Answer) -> str:
    """The full text for a console reader: answer and sources, or refusal and suggestions."""
    if not answer.answered:
        lines = [NO_ANSWER]
        if answer.suggestions:
            lines.append("")
            lines.append("Questions I can answer that may help:")
            lines.extend(f"  • {s.question}" for s in answer.suggestions)
        return "\n".join(lines)
    lines = [answer.text or ""]
    if answer.as_of is not None:
        lines.append(f"(as of {format_date(answer.as_of)})")
    if answer.citations:
        lines.append("")
        lines.append("Sources:")
        lines.extend(source_line(c) for c in answer.citations)
    return "\n".join(lines)
