"""Normalisation: the spellings members type fold onto one form."""

from __future__ import annotations

from datetime import date

import pytest

from bot.matching.normalise import extract_date, find_dates, raw_tokens, stem


def test_case_punctuation_and_unicode_quotes_and_dashes_fold() -> None:
    assert raw_tokens("The UNION’S chief — “no agreement”!!") == raw_tokens(
        'the union\'s chief - "no agreement"'
    )


def test_possessives_are_dropped_singular_and_plural() -> None:
    assert raw_tokens("the union’s deal") == ["the", "union", "deal"]
    assert raw_tokens("the writers' room") == ["the", "writers", "room"]


def test_contractions_are_not_read_as_possessives() -> None:
    assert raw_tokens("what's the deal") == ["what", "is", "the", "deal"]
    assert raw_tokens("they won't budge") == ["they", "will", "not", "budge"]


def test_chat_spellings_expand() -> None:
    assert raw_tokens("wut r u doin") == ["what", "are", "you", "doin"]


@pytest.mark.parametrize(
    "text",
    ["aug 4", "Aug. 4", "august 4th", "8/4", "2023-08-04", "4 august", "the 4th of August"],
)
def test_dates_written_different_ways_become_one_token(text: str) -> None:
    assert raw_tokens(f"what happened {text}")[-1] == "date0804"


def test_number_words_and_ordinals_become_digits() -> None:
    assert raw_tokens("one hundred days")[0] == "100"
    assert raw_tokens("the hundredth day")[1] == "100"
    assert raw_tokens("day ninety-five") == ["day", "95"]
    assert raw_tokens("the 100th day") == ["the", "100", "day"]


def test_extract_date_uses_the_default_year_unless_one_is_given() -> None:
    assert extract_date("what day was aug 4", 2023) == date(2023, 8, 4)
    assert extract_date("what day of the strike was 8/9", 2023) == date(2023, 8, 9)
    assert extract_date("and on 2024-01-02?", 2023) == date(2024, 1, 2)
    assert extract_date("august 4th, 2024", 2023) == date(2024, 8, 4)
    assert extract_date("how long has it lasted", 2023) is None


def test_impossible_dates_are_not_dates() -> None:
    assert find_dates("open 24/7") == []
    assert extract_date("feb 30", 2023) is None


def test_stems_join_word_families() -> None:
    family = {stem(w) for w in ("negotiations", "negotiating", "negotiate", "negotiators")}
    assert len(family) == 1
    assert stem("strikes") == stem("striking") == stem("strike")
    assert stem("lines") == stem("line")


def test_noun_and_verb_forms_meet() -> None:
    assert stem("agreement") == stem("agreed") == stem("agree")
    assert stem("resumption") == stem("resuming") == stem("resume")
    assert stem("production") == stem("producing")
    assert stem("involvement") == stem("involved")
    # Short words ending in "ment" are not verbs plus a suffix.
    assert stem("comment") == "comment" and stem("moment") == "moment"


def test_irregular_past_tenses_meet_their_base_form() -> None:
    assert stem("said") == stem("say")
    assert stem("met") == stem("meeting")
    assert stem("went") == "go" and stem("began") == stem("begin")


def test_stemming_never_produces_a_stopword() -> None:
    assert stem("willing") == "willing"
