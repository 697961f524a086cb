"""Grouping unanswered questions by similarity."""

from __future__ import annotations

from bot.gaps import MAX_EXAMPLES, group_questions, normalise_question


def test_rewordings_of_one_gap_form_one_group() -> None:
    groups = group_questions(
        [
            "When will the strike end?",
            "when does the strike end",
            "When will the strike END??",
            "Is there strike pay?",
            "how much is strike pay",
        ]
    )
    assert [(g.representative, g.count) for g in groups] == [
        ("When will the strike end?", 3),
        ("how much is strike pay", 2),
    ]
    assert groups[0].examples == ("when does the strike end",)


def test_groups_are_sorted_by_count_and_examples_are_capped() -> None:
    texts = ["who is carol lombardini"] + [f"what about health care benefits {i}" for i in range(6)]
    groups = group_questions(texts)
    assert groups[0].count == 6
    assert len(groups[0].examples) == MAX_EXAMPLES
    assert groups[-1].representative == "who is carol lombardini"


def test_a_short_question_does_not_swallow_longer_ones() -> None:
    groups = group_questions(["strike", "strike", "strike", "when does the strike end"])
    assert [g.count for g in groups] == [3, 1]


def test_blank_and_punctuation_only_texts_are_ignored() -> None:
    assert group_questions(["", "  ", "?!"]) == []
    assert normalise_question("  What's   UP?! ") == "what s up"
