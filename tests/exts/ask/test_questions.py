"""Which ask-channel messages the bot even considers answering."""

from __future__ import annotations

import pytest

from bot.exts.ask._questions import looks_like_question, strip_bot_mention


@pytest.mark.parametrize(
    "text",
    [
        "picket at 9?",
        "When is the next rally",
        "how long has the strike been going",
        "so when do talks resume",
        "hey is the strike about AI",
        "Isn’t it day 100 already",
        "anyone know where the picket is today",
        "Does anybody know the picket times",
        "wondering if talks restarted",
        "WHAT DID THE STUDIOS OFFER",
    ],
)
def test_questions_are_recognised(text: str) -> None:
    assert looks_like_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "see you all at the picket",
        "show me the money",  # "show" contains "how" but is not a question word
        "The studios walked away again.",
        "great turnout today",
        "https://example.com/?q=strike",  # a ? inside a link is not a question
        "<@123> thanks",
        "whatever",  # "what" inside a word
    ],
)
def test_chatter_is_not_a_question(text: str) -> None:
    assert not looks_like_question(text)


def test_strip_bot_mention_keeps_other_mentions() -> None:
    assert (
        strip_bot_mention("<@42> when did it   start? cc <@7>", 42) == "when did it start? cc <@7>"
    )
    assert strip_bot_mention("<@!42>", 42) == ""


def test_discord_markup_is_not_part_of_the_question() -> None:
    from bot.exts.ask._questions import without_discord_markup

    text = "@everyone @here <@&12> <@!34> <#56> <:picket:78> when did the strike start?"
    assert without_discord_markup(text) == "when did the strike start?"
    assert without_discord_markup("email me@everyone.org") == "email me@everyone.org"
