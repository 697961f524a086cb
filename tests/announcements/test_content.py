"""What the post says: the oracles, several strikes, the end, and Discord's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.announcements.content import FactChange, render_announcement
from bot.announcements.layout import (
    MAX_DESCRIPTION_CHARS,
    MAX_EMBED_TOTAL_CHARS,
    MAX_FIELD_NAME_CHARS,
    MAX_FIELD_VALUE_CHARS,
    MAX_FIELDS,
    MAX_MESSAGE_CHARS,
    MAX_TITLE_CHARS,
)
from bot.knowledge.model import KnowledgeBase
from tests.announcements.conftest import ended

WGA, SAG = "wga-2023", "sag-aftra-2023"
BOTH = [WGA, SAG]


def change(n: int, summary: str = "The AMPTP and the WGA met on Friday.") -> FactChange:
    at = datetime(2023, 8, 4, 12, 0, n % 60, tzinfo=UTC)
    return FactChange(f"fact-{n}", "added", at, summary, "The Hollywood Reporter")


def test_aug_4_is_day_95(kb: KnowledgeBase) -> None:
    post = render_announcement(kb, [WGA], date(2023, 8, 4), [], date(2023, 8, 3))
    assert post.text.splitlines()[:2] == [
        "Day 95 of the WGA strike against the AMPTP",
        "Friday, August 4, 2023",
    ]
    assert post.as_json()["strikes"] == [{"strike_id": WGA, "day": 95}]
    assert "No new sourced updates." in post.text
    assert "days since the last update" not in post.text


def test_aug_9_is_day_100_with_the_2007_08_milestone(kb: KnowledgeBase) -> None:
    post = render_announcement(kb, [WGA], date(2023, 8, 9), [], date(2023, 8, 8))
    assert post.text.startswith("Day 100 of the WGA strike against the AMPTP\n")
    assert "length of the union's last walkout, in 2007-08" in post.text
    day_99 = render_announcement(kb, [WGA], date(2023, 8, 8), [], date(2023, 8, 7))
    assert "2007-08" not in day_99.text


def test_both_strikes_on_aug_4(kb: KnowledgeBase) -> None:
    post = render_announcement(kb, BOTH, date(2023, 8, 4), [], None)
    assert [(s.strike_id, s.day) for s in post.strikes] == [(WGA, 95), (SAG, 22)]
    assert "Day 22 of the SAG-AFTRA strike against the AMPTP" in post.text


def test_a_strike_not_begun_is_left_out(kb: KnowledgeBase) -> None:
    post = render_announcement(kb, BOTH, date(2023, 7, 13), [], None)
    assert [s.strike_id for s in post.strikes] == [WGA]
    assert "SAG-AFTRA" not in post.text
    assert render_announcement(kb, [SAG], date(2023, 7, 13), [], None).is_empty


def test_an_ended_strike_gets_one_final_post_then_nothing(kb: KnowledgeBase) -> None:
    over = ended(kb, WGA, date(2023, 9, 27))
    on_the_day = render_announcement(over, [WGA], date(2023, 9, 27), [], date(2023, 9, 26))
    assert on_the_day.text.startswith("The WGA strike ended on September 27, 2023 after 149 days.")
    assert on_the_day.final_strike_ids == (WGA,)
    assert "Day " not in on_the_day.text.splitlines()[0]
    again = render_announcement(
        over, [WGA], date(2023, 9, 28), [], date(2023, 9, 27), finals_posted={WGA}
    )
    assert again.is_empty
    # The other strike goes on being counted beside it.
    both = render_announcement(over, BOTH, date(2023, 9, 28), [], None, finals_posted={WGA})
    assert [(s.strike_id, s.day) for s in both.strikes] == [(SAG, 77)]


def test_changes_are_listed_with_their_source_and_a_gap_is_reported(kb: KnowledgeBase) -> None:
    changes = [change(1, "Talks resume\non Friday.")]
    post = render_announcement(kb, [WGA], date(2023, 8, 11), changes, date(2023, 8, 7))
    assert "• Talks resume on Friday. (The Hollywood Reporter)" in post.text
    assert "4 days since the last update (August 7, 2023)." in post.text
    assert "No new sourced updates." not in post.text
    assert post.embed is None


def test_changes_for_a_strike_not_in_the_post_are_left_out(kb: KnowledgeBase) -> None:
    sag_only = FactChange("f", "added", datetime(2023, 8, 4, tzinfo=UTC), "SAG news", "x", (SAG,))
    post = render_announcement(kb, [WGA], date(2023, 8, 4), [sag_only], None)
    assert "SAG news" not in post.text
    assert post.changes_total == 0


@pytest.mark.parametrize("count", [30, 500])
def test_many_changes_stay_within_discord_limits_and_say_how_many_more(
    kb: KnowledgeBase, count: int
) -> None:
    changes = [change(n, f"Change number {n}: " + "word " * 60) for n in range(count)]
    post = render_announcement(kb, BOTH, date(2023, 8, 9), changes, date(2023, 8, 8))
    assert len(post.text) <= MAX_MESSAGE_CHARS
    assert post.changes_total == count
    hidden_in_text = count - sum(line.startswith("• ") for line in post.text.splitlines())
    assert post.text.endswith(f"…and {hidden_in_text} more")
    embed = post.embed
    assert embed is not None
    assert len(embed.title) <= MAX_TITLE_CHARS and embed.title == "Wednesday, August 9, 2023"
    assert "Day 100" in embed.description and len(embed.description) <= MAX_DESCRIPTION_CHARS
    assert 0 < len(embed.fields) <= MAX_FIELDS
    assert all(len(f.value) <= MAX_FIELD_VALUE_CHARS for f in embed.fields)
    assert all(0 < len(f.name) <= MAX_FIELD_NAME_CHARS for f in embed.fields)
    assert embed.total_chars <= MAX_EMBED_TOTAL_CHARS
    shown = sum(f.value.count("\n") + 1 for f in embed.fields)
    assert shown == embed.lines_shown == post.changes_shown
    assert embed.footer == f"…and {count - shown} more"


def test_one_huge_summary_is_cut_to_one_line(kb: KnowledgeBase) -> None:
    post = render_announcement(kb, [WGA], date(2023, 8, 4), [change(1, "x" * 5000)], None)
    line = next(line for line in post.text.splitlines() if line.startswith("• "))
    assert "…" in line and len(line) < 300
