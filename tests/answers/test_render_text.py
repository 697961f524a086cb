"""The console text: honest labels for unknown outlets and inferred dates."""

from __future__ import annotations

from datetime import date

from bot.answers.model import Answer, CitedSource, Suggestion
from bot.answers.render_text import render_answer, source_line


def test_known_outlet_and_date() -> None:
    source = CitedSource(
        "thr", "no agreement", "The Hollywood Reporter", None, date(2023, 8, 4), False, None
    )
    assert source_line(source) == "— The Hollywood Reporter, Aug 4, 2023: “no agreement”"


def test_unknown_outlet_inferred_date_and_url() -> None:
    source = CitedSource(
        "wire", "talks resume", None, None, date(2023, 8, 11), True, "https://x.test/a"
    )
    assert source_line(source) == (
        "— Unnamed wire report, Aug 11, 2023 (date inferred): “talks resume”\n  https://x.test/a"
    )


def test_answer_with_as_of_and_sources() -> None:
    source = CitedSource("thr", "q", "THR", None, date(2023, 8, 4), False, None)
    text = render_answer(
        Answer("q?", True, 0.9, "f", "The answer.", date(2023, 8, 4), citations=(source,))
    )
    assert text.splitlines()[:2] == ["The answer.", "(as of Aug 4, 2023)"]
    assert "Sources:" in text


def test_refusal_lists_suggestions() -> None:
    text = render_answer(Answer("x", False, 0.2, suggestions=(Suggestion("f", "Who met?"),)))
    assert text.startswith("I don't have a sourced answer to that.")
    assert "• Who met?" in text
