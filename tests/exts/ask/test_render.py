"""Answers and refusals always fit Discord's limits, however long the evidence."""

from __future__ import annotations

from datetime import date

from bot.answers.model import Answer, CitedSource, Suggestion
from bot.exts.ask._render import (
    ELLIPSIS,
    UNKNOWN_OUTLET,
    answer_embed,
    refusal_text,
    shorten,
)
from bot.exts.ask._views import answer_view, ask_custom_id, suggestions_view, vote_custom_id
from bot.knowledge.model import Source
from tests.exts.ask.limits import assert_embed_within_limits, assert_view_within_limits

LONG_QUOTE = "The studios said they would consider it. " * 60  # ~2,500 characters


def cited(number: int, **overrides: object) -> CitedSource:
    values: dict[str, object] = {
        "source_id": f"src-{number}",
        "quote": LONG_QUOTE,
        "outlet": "The Hollywood Reporter " * 20,
        "title": "A very long headline about the negotiations " * 10,
        "published": date(2023, 8, 4),
        "published_inferred": number % 2 == 0,
        "url": f"https://example.com/article-{number}",
    }
    values.update(overrides)
    return CitedSource(**values)  # type: ignore[arg-type]


def answered(citations: tuple[CitedSource, ...], text: str = "The answer.") -> Answer:
    return Answer(
        question="When did the strike start? " * 20,
        answered=True,
        score=0.9,
        fact_id="wga-strike-start-date",
        text=text,
        as_of=date(2023, 8, 4),
        citations=citations,
    )


def test_ten_long_citations_stay_within_every_limit() -> None:
    answer = answered(tuple(cited(n) for n in range(10)), text="Long answer. " * 400)
    embed = answer_embed(answer, {})
    assert_embed_within_limits(embed)
    assert len(embed.fields) == 10
    for field in embed.fields:
        assert field.value is not None and ELLIPSIS in field.value  # quotes cut, not dropped
        assert "\n> The studios said" in field.value
    assert_view_within_limits(answer_view(answer))


def test_more_citations_than_fields_says_how_many_are_not_shown() -> None:
    answer = answered(tuple(cited(n) for n in range(40)))
    embed = answer_embed(answer, {})
    assert_embed_within_limits(embed)
    assert embed.fields[-1].value == f"{ELLIPSIS}and 16 more not shown here."
    rows = assert_view_within_limits(answer_view(answer))
    assert len(rows) == 5  # votes + four rows of links


def test_embed_shows_date_inferred_quote_and_fact_id() -> None:
    answer = answered(
        (
            cited(1, outlet="Variety", title="Talks resume", quote="Talks resume Friday."),
            cited(2, outlet="Deadline", title=None, quote="q2", published=date(2023, 8, 11)),
        )
    )
    embed = answer_embed(answer, {})
    assert embed.description == "The answer.\n\n*As of 4 Aug 2023*"
    assert embed.fields[0].name == "1. Variety"
    assert embed.fields[0].value == "Talks resume\n4 Aug 2023\n> Talks resume Friday."
    assert embed.fields[1].value == "11 Aug 2023 (inferred)\n> q2"
    assert embed.footer.text == "Fact wga-strike-start-date"


def test_unknown_outlet_and_description_fallback_are_honest() -> None:
    source = Source(id="src-1", text="...", description="A union bulletin")
    answer = answered(
        (
            cited(1, outlet=None, title=None, published=None, url=None),
            cited(2, outlet=None, title=None, source_id="gone"),
        )
    )
    embed = answer_embed(answer, {"src-1": source})
    assert embed.fields[0].name == f"1. {UNKNOWN_OUTLET}"
    assert embed.fields[0].value is not None
    assert embed.fields[0].value.startswith("A union bulletin\ndate unknown\n> ")
    assert embed.fields[1].name == "2. Unknown source (gone)"


def test_link_buttons_only_for_known_urls() -> None:
    answer = answered((cited(1, url=None), cited(2, url="javascript:alert(1)"), cited(3)))
    rows = assert_view_within_limits(answer_view(answer))
    votes, links = rows
    assert [c["custom_id"] for c in votes["components"]] == [
        "strikebot:vote:helpful:wga-strike-start-date",
        "strikebot:vote:unhelpful:wga-strike-start-date",
    ]
    assert [c["url"] for c in links["components"]] == ["https://example.com/article-3"]
    assert links["components"][0]["label"].startswith("3. The Hollywood Reporter")


def test_refusal_offers_at_most_three_suggestions_with_short_labels() -> None:
    long_question = "What did the studios say about " + "residuals " * 30 + "?"
    suggestions = tuple(Suggestion(f"fact-{n}", long_question) for n in range(5))
    refusal = Answer(question="writers pay?", answered=False, score=0.5, suggestions=suggestions)
    view = suggestions_view(refusal)
    assert view is not None
    rows = assert_view_within_limits(view)
    buttons = [c for row in rows for c in row["components"]]
    assert [b["custom_id"] for b in buttons] == [f"strikebot:ask:fact-{n}" for n in range(3)]
    assert all(len(b["label"]) == 80 and b["label"].endswith(ELLIPSIS) for b in buttons)
    assert "won't guess" in refusal_text(refusal)


def test_no_suggestions_means_no_view() -> None:
    assert suggestions_view(Answer(question="pizza?", answered=False, score=0.0)) is None


def test_custom_ids_never_exceed_100_characters() -> None:
    long_id = "x" * 120
    assert vote_custom_id(True, long_id) == "strikebot:vote:helpful:"
    assert ask_custom_id(long_id) is None
    assert ask_custom_id("x" * 86) == "strikebot:ask:" + "x" * 86


def test_shorten() -> None:
    assert shorten("abc", 3) == "abc"
    assert shorten("abcdef", 4) == "abc" + ELLIPSIS
    assert shorten("abcdef", 0) == ""
