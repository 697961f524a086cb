"""Ingestion keeps every paragraph of the real articles and none of the page furniture."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge.ingest import clean_article
from bot.knowledge.loader import read_knowledge
from tests.conftest import THR_RAW, WIRE_RAW

BOILERPLATE = (
    "Subscribe for full access",
    "Sign up for THR news",
    "Send us a tip",
    "Related Stories",
    "The Animation Guild and Studios Do Not Reach an Agreement",
    "Video Game Union Performers Call for AI Protections",
    "By Katie Kilkenny",
    "9:58pm",
)


def _raw_paragraphs(raw: str) -> list[str]:
    """Lines of the raw file that read as article prose (long, sentence-like)."""
    lines = [re.sub(r"\s+", " ", line).strip() for line in raw.splitlines()]
    return [line for line in lines if len(line.split()) >= 12 and not line.istitle()]


@pytest.mark.parametrize("raw_path", [THR_RAW, WIRE_RAW], ids=["thr", "wire"])
def test_no_boilerplate_survives(raw_path: Path) -> None:
    cleaned = clean_article(raw_path.read_text(encoding="utf-8"))
    for phrase in BOILERPLATE:
        assert phrase not in cleaned.text
    assert "\t" not in cleaned.text
    assert "\n\n\n" not in cleaned.text


@pytest.mark.parametrize("raw_path", [THR_RAW, WIRE_RAW], ids=["thr", "wire"])
def test_every_article_sentence_is_kept(raw_path: Path) -> None:
    raw = raw_path.read_text(encoding="utf-8")
    cleaned = re.sub(r"\s+", " ", clean_article(raw).text)
    for paragraph in _raw_paragraphs(raw):
        # Boilerplate glued onto a paragraph is removed; what remains must all be kept.
        for sentence in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", paragraph):
            if any(phrase in sentence for phrase in BOILERPLATE):
                continue
            if sentence.endswith("contributed reporting."):
                continue
            assert sentence in cleaned, f"lost: {sentence[:80]}"


def test_related_headlines_are_reported_as_removed() -> None:
    cleaned = clean_article(THR_RAW.read_text(encoding="utf-8"))
    removed = " ".join(cleaned.removed)
    assert "The Animation Guild and Studios Do Not Reach an Agreement" in removed
    assert "Video Game Union Performers Call for AI Protections" in removed
    assert cleaned.contributors == ("Kim Masters",)
    assert len(cleaned.paragraphs) == 15


def test_paragraph_counts_of_both_articles() -> None:
    assert len(clean_article(WIRE_RAW.read_text(encoding="utf-8")).paragraphs) == 10
    thr = clean_article(THR_RAW.read_text(encoding="utf-8"))
    assert thr.paragraphs[0].startswith("The union's chief negotiator Ellen Stutzman")
    assert thr.paragraphs[-1].startswith("The AMPTP, sources say, turned to the writers")


def test_cli_ingest_writes_a_source_the_loader_reads(knowledge_copy: Path) -> None:
    status = main(
        [
            "kb",
            "ingest",
            str(WIRE_RAW),
            "--knowledge",
            str(knowledge_copy),
            "--id",
            "wire-copy",
            "--published",
            "2023-08-11",
            "--inferred",
        ]
    )
    assert status == 0
    kb = read_knowledge(knowledge_copy).knowledge
    source = kb.sources["wire-copy"]
    assert source.outlet is None and source.url is None and source.headline is None
    assert source.published_inferred is True
    assert source.text == clean_article(WIRE_RAW.read_text(encoding="utf-8")).text


def test_cli_ingest_refuses_to_overwrite(knowledge_copy: Path) -> None:
    args = ["kb", "ingest", str(WIRE_RAW), "--knowledge", str(knowledge_copy), "--id", "x"]
    assert main(args) == 0
    assert main(args) == 2


def test_committed_sources_match_fresh_ingestion() -> None:
    kb = read_knowledge(Path(__file__).resolve().parents[2] / "knowledge").knowledge
    thr = kb.sources["thr-2023-08-04-wga-amptp-meeting"]
    wire = kb.sources["wire-2023-08-11-wga-talks-resume"]
    assert thr.text == clean_article(THR_RAW.read_text(encoding="utf-8")).text
    assert wire.text == clean_article(WIRE_RAW.read_text(encoding="utf-8")).text
    assert (thr.outlet, thr.headline, thr.url) == ("The Hollywood Reporter", None, None)
    assert thr.published is not None and not thr.published_inferred
    assert (wire.outlet, wire.headline, wire.url) == (None, None, None)
    assert wire.published_inferred
