"""The sentence splitter on the real articles: every sentence once, in place, whole."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.knowledge.loader import read_knowledge
from bot.knowledge.model import Source
from bot.knowledge.sentences import split_sentences
from tests.conftest import KNOWLEDGE_DIR

THR = "thr-2023-08-04-wga-amptp-meeting"
WIRE = "wire-2023-08-11-wga-talks-resume"


@pytest.fixture(scope="module")
def sources() -> dict[str, Source]:
    return dict(read_knowledge(KNOWLEDGE_DIR).knowledge.sources)


def texts(source: Source) -> list[str]:
    return [s.text for s in split_sentences(source.text)]


@pytest.mark.parametrize(("source_id", "count"), [(THR, 31), (WIRE, 16)])
def test_real_articles_split_into_the_expected_number_of_sentences(
    sources: dict[str, Source], source_id: str, count: int
) -> None:
    assert len(split_sentences(sources[source_id].text)) == count


@pytest.mark.parametrize("source_id", [THR, WIRE])
def test_spans_point_at_the_sentence_and_cover_all_text(
    sources: dict[str, Source], source_id: str
) -> None:
    text = sources[source_id].text
    sentences = split_sentences(text)
    for sentence in sentences:
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text == sentence.text.strip()
    # Nothing but white space lies between consecutive sentences.
    gaps = [text[a.end : b.start] for a, b in pairwise(sentences)]
    assert all(not gap.strip() for gap in gaps)
    assert not text[: sentences[0].start].strip()
    assert not text[sentences[-1].end :].strip()


@pytest.mark.parametrize("source_id", [THR, WIRE])
def test_paragraph_numbers_match_the_source_paragraphs(
    sources: dict[str, Source], source_id: str
) -> None:
    source = sources[source_id]
    for sentence in split_sentences(source.text):
        assert sentence.text in source.paragraphs[sentence.paragraph - 1]
    last = split_sentences(source.text)[-1]
    assert last.paragraph == len(source.paragraphs)


def test_attribution_after_a_comma_inside_quotes_stays_with_its_quote(
    sources: dict[str, Source],
) -> None:
    sentences = texts(sources[WIRE])
    assert "“I don’t believe it (the strike) will go another hundred days." in sentences
    assert "I do not,” Bass told KNX." in sentences
    assert "“It really cannot go another hundred days." in sentences


def test_a_closing_quote_ends_the_sentence_it_closes(sources: dict[str, Source]) -> None:
    sentences = texts(sources[THR])
    assert any(s.endswith("before moving forward.”") for s in sentences)
    assert any(s.startswith("Moreover, Stutzman") for s in sentences)
    assert "Our only playbook is getting people back to work.”" in sentences


def test_initialisms_and_em_dashes_do_not_end_sentences(sources: dict[str, Source]) -> None:
    thr, wire = texts(sources[THR]), texts(sources[WIRE])
    assert any("brought U.S. union production on scripted projects" in s for s in thr)
    assert any(s.startswith("LOS ANGELES — The Writers Guild") for s in wire)
    assert any("— matching the duration" in s for s in wire)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("One. Two.", ["One.", "Two."]),
        ("Mr. Rodman spoke. Then he left.", ["Mr. Rodman spoke.", "Then he left."]),
        ("In the U.S. Senate today. Next.", ["In the U.S. Senate today.", "Next."]),
        ("“Why?” she asked. Fine.", ["“Why?” she asked.", "Fine."]),
        ("It ended in 2007-08. “Again?” Yes.", ["It ended in 2007-08.", "“Again?”", "Yes."]),
        ("Day 95 of 100. 100 days on.", ["Day 95 of 100.", "100 days on."]),
    ],
)
def test_small_cases(text: str, expected: list[str]) -> None:
    assert [s.text for s in split_sentences(text)] == expected


def test_paragraphs_are_numbered_from_one() -> None:
    sentences = split_sentences("First. Second.\n\n  Third.\n")
    assert [(s.paragraph, s.text) for s in sentences] == [
        (1, "First."),
        (1, "Second."),
        (2, "Third."),
    ]
    assert sentences[2].start == len("First. Second.\n\n  ")
