"""`kb coverage`: the committed base cites every sentence, and a removed fact shows up."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge.coverage import MIN_OVERLAP_CHARS, CoverageReport, coverage_report, covers
from bot.knowledge.loader import read_knowledge
from bot.knowledge.model import Fact
from bot.knowledge.yaml_dump import dump_facts
from tests.conftest import KNOWLEDGE_DIR


@pytest.fixture(scope="module")
def committed() -> CoverageReport:
    return coverage_report(read_knowledge(KNOWLEDGE_DIR).knowledge)


def uncited_texts(report: CoverageReport) -> set[tuple[str, str]]:
    return {(s.source_id, item.sentence.text) for s in report.sources for item in s.uncited}


def only_cited_by(report: CoverageReport, fact_id: str) -> set[tuple[str, str]]:
    return {
        (s.source_id, item.sentence.text)
        for s in report.sources
        for item in s.sentences
        if item.cited_by == (fact_id,)
    }


def remove_fact(knowledge_dir: Path, fact_id: str) -> None:
    """Rewrite the facts file holding `fact_id` without it."""
    facts = read_knowledge(knowledge_dir).knowledge.facts.values()
    by_file: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_file[fact.origin.path].append(fact)
    path = next(p for p, group in by_file.items() if any(f.id == fact_id for f in group))
    kept = [f for f in by_file[path] if f.id != fact_id]
    (knowledge_dir.parent / path).write_text(dump_facts(kept), encoding="utf-8")


def test_committed_base_cites_every_sentence(committed: CoverageReport) -> None:
    assert committed.complete, uncited_texts(committed)
    assert committed.sentence_count == 31 + 16


def test_facts_are_counted_per_source(committed: CoverageReport) -> None:
    counts = {s.source_id: s.fact_count for s in committed.sources}
    assert counts["thr-2023-08-04-wga-amptp-meeting"] > 30
    assert counts["wire-2023-08-11-wga-talks-resume"] > 10


def test_the_day_100_milestone_counts_as_a_citation(committed: CoverageReport) -> None:
    wire = next(s for s in committed.sources if s.source_id.startswith("wire-"))
    day_100 = next(i for i in wire.sentences if "100th day" in i.sentence.text)
    assert "wga-2023:day-100" in day_100.cited_by


@pytest.mark.parametrize("fact_id", ["wga-memo-before-meeting", "amptp-comment-requested-by-thr"])
def test_removing_a_fact_reports_exactly_the_sentences_only_it_cited(
    committed: CoverageReport, knowledge_copy: Path, fact_id: str
) -> None:
    expected = only_cited_by(committed, fact_id)
    assert expected, f"{fact_id} should be the only fact citing some sentence"
    remove_fact(knowledge_copy, fact_id)
    kb = read_knowledge(knowledge_copy).knowledge
    assert fact_id not in kb.facts
    assert uncited_texts(coverage_report(kb)) == expected


def test_a_retired_fact_no_longer_covers_anything(committed: CoverageReport) -> None:
    kb = read_knowledge(KNOWLEDGE_DIR).knowledge
    fact = kb.facts["amptp-comment-requested-by-thr"]
    retired = kb.with_facts([replace(fact, retired="test")])
    assert uncited_texts(coverage_report(retired)) == only_cited_by(committed, fact.id)


@pytest.mark.parametrize(
    ("quote", "sentence", "cited"),
    [
        ((0, 100), (10, 50), True),  # the quote holds the whole sentence
        ((0, MIN_OVERLAP_CHARS), (0, 200), True),  # exactly the minimum overlap
        ((0, MIN_OVERLAP_CHARS - 1), (0, 200), False),  # one character short
        ((90, 130), (100, 110), True),  # a short sentence wholly quoted
        ((90, 105), (100, 110), False),  # half of a short sentence
        ((0, 50), (50, 90), False),  # touching is not overlapping
    ],
)
def test_overlap_rule(quote: tuple[int, int], sentence: tuple[int, int], cited: bool) -> None:
    assert covers(quote, sentence) is cited


def test_cli_exits_0_when_every_sentence_is_cited(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "coverage", "--knowledge", str(KNOWLEDGE_DIR)]) == 0
    out = capsys.readouterr().out
    assert "uncited (" not in out
    assert "kb coverage: ok: 47/47 sentences cited in 2 sources" in out


def test_cli_lists_uncited_sentences_with_paragraph_and_exits_1(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    remove_fact(knowledge_copy, "amptp-comment-requested-by-thr")
    assert main(["kb", "coverage", "--knowledge", str(knowledge_copy)]) == 1
    out = capsys.readouterr().out
    assert (
        "uncited (paragraph 7): The Hollywood Reporter has reached out to the AMPTP for comment."
        in out
    )
    assert "kb coverage: 1 uncited: 46/47 sentences cited" in out


def test_cli_json_report(knowledge_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    remove_fact(knowledge_copy, "wga-memo-before-meeting")
    assert main(["kb", "coverage", "--json", "--knowledge", str(knowledge_copy)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["uncited"] == 2
    thr = next(s for s in data["sources"] if s["id"].startswith("thr-"))
    assert {u["paragraph"] for u in thr["uncited"]} == {11}


def test_cli_fails_on_a_base_with_problems(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts_file = knowledge_copy / "facts" / "meeting-2023-08-04.yaml"
    text = facts_file.read_text(encoding="utf-8")
    facts_file.write_text(text.replace("for comment.", "for a comment."), encoding="utf-8")
    assert main(["kb", "coverage", "--knowledge", str(knowledge_copy)]) == 1
    captured = capsys.readouterr()
    assert "kb check" in captured.err
    assert "uncited (paragraph 7)" in captured.out
