"""Synonym phrases and typo correction, on small hand-made inputs."""

from __future__ import annotations

from bot.knowledge.model import SynonymGroup
from bot.matching.analysis import TextAnalyser, prepare_tokens
from bot.matching.normalise import stem
from bot.matching.synonyms import SynonymRewriter
from bot.matching.vocabulary import Vocabulary

GROUPS = (
    SynonymGroup(("wga", "writers guild", "writers guild of america", "writers")),
    SynonymGroup(("ai", "artificial intelligence")),
    SynonymGroup(("negotiations", "talks", "bargaining")),
)


def test_longest_phrase_wins() -> None:
    rewriter = SynonymRewriter(GROUPS, prepare_tokens)
    tokens = prepare_tokens("the writers guild of america and the writers")
    assert rewriter.rewrite(tokens) == ["the", "wga", "and", "the", "wga"]


def test_multi_word_canonical_is_one_concept_on_both_sides() -> None:
    analyser = TextAnalyser(GROUPS, ["Artificial intelligence is on the table."])
    assert (
        analyser.analyse("what about ai").terms
        == analyser.analyse("artificial intelligence?", correct=False).terms[:1]
    )


def test_synonyms_meet_after_stemming() -> None:
    analyser = TextAnalyser(GROUPS, ["The talks resume today."])
    expected = analyser.analyse("talks resume", correct=False).terms
    assert analyser.analyse("are negotiations resuming").terms == expected
    assert analyser.analyse("bargaining resumed").terms == expected


def test_typos_are_corrected_to_fact_base_words() -> None:
    vocabulary = Vocabulary(
        ["artificial", "intelligence", "negotiations", "strike", "residuals", "day"]
    )
    assert vocabulary.correct("inteligence") == "intelligence"
    assert vocabulary.correct("negotations") == "negotiations"
    assert vocabulary.correct("strke") == "strike"
    assert vocabulary.correct("residules") == "residuals"


def test_short_and_known_words_are_left_alone() -> None:
    vocabulary = Vocabulary(["day", "strike"])
    assert vocabulary.correct("pay") == "pay"  # one edit from "day", but too short
    assert vocabulary.correct("strikes") == "strikes"  # a known stem
    assert vocabulary.correct("pizza") == "pizza"


def test_typo_correction_feeds_synonyms() -> None:
    analyser = TextAnalyser(GROUPS, ["The negotiations resume."])
    assert analyser.analyse("negotations").terms == analyser.analyse("talks").terms
    assert analyser.analyse("r negotations resuming").corrections == (
        ("negotations", "negotiations"),
    )


def test_split_compounds_are_joined_when_the_base_spells_them_joined() -> None:
    analyser = TextAnalyser((), ["The walkout began May 2."])
    assert analyser.analyse("when did the walk out start").terms[0] == "walkout"


def test_roles_are_paired_with_the_organisation_beside_them() -> None:
    analyser = TextAnalyser(
        [SynonymGroup(("wga", "writers guild")), SynonymGroup(("amptp", "studios"))],
        ["president of the amptp"],
    )
    asked = analyser.analyse("who is the president of the writers guild now")
    assert asked.role_pairs == {("president", "wga")}
    assert analyser.analyse("who's the amptp's lawyer").role_pairs == {(stem("lawyer"), "amptp")}
    assert not analyser.analyse("who was at the meeting").role_pairs


def test_contents_questions_are_recognised() -> None:
    analyser = TextAnalyser([], ["deal"])
    assert analyser.analyse("what's in the new deal").contents
    assert analyser.analyse("what does the contract include").contents
    assert not analyser.analyse("what is the deal").contents
