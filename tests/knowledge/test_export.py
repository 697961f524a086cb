"""Export round trip: YAML + moderators' changes -> YAML that checks and loads the same."""

from __future__ import annotations

import asyncio
import io
import shutil
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bot import cli
from bot.child_process import run_in_child_process
from bot.knowledge.export import (
    MODERATOR_FACTS_FILE,
    ExportError,
    checked_export_zip,
    export_files,
    export_zip,
    write_export,
)
from bot.knowledge.loader import check_knowledge, load_knowledge
from bot.knowledge.model import Citation, Fact, KnowledgeBase, Source
from bot.knowledge_editing import KnowledgeEditor
from bot.storage.actor import Actor
from bot.storage.database import open_database

KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"
MOD = Actor(1, "Mod")
NEW_SOURCE = Source(
    id="moderator-article",
    text='The guild said talks would resume.\n\nNo date was set: "soon", it said.',
    outlet="Wire",
    authors=("A. Reporter",),
    published=date(2023, 8, 20),
)


async def moderated(db_path: Path, base: KnowledgeBase) -> KnowledgeBase:
    """Apply one of each moderator change to the committed base, stored in `db_path`."""
    db = await open_database(db_path)
    try:
        editor = KnowledgeEditor(db, base)
        first, second = list(base.facts.values())[:2]
        await editor.edit_fact(first.id, MOD, answer=first.answer + " (Edited: see source.)")
        await editor.retire_fact(second.id, "no longer accurate: superseded", MOD)
        await editor.add_source(NEW_SOURCE, MOD)
        new = Fact(
            id="talks-resume-soon",
            questions=("Will talks resume?", "when do talks start again?"),
            answer='Yes, "soon", but no date was set.',
            citations=(Citation(NEW_SOURCE.id, 'No date was set: "soon", it said.'),),
            as_of=date(2023, 8, 20),
            tags=("talks",),
            supersedes=(second.id,),
            strikes=tuple(base.strikes)[:1],
        )
        await editor.add_fact(new, MOD)
        strike = next(iter(base.strikes.values()))
        return (await editor.end_strike(strike.id, date(2023, 9, 27), MOD)).knowledge
    finally:
        await db.close()


def assert_same_knowledge(loaded: KnowledgeBase, expected: KnowledgeBase) -> None:
    assert loaded.facts == expected.facts
    assert loaded.sources == expected.sources
    assert loaded.strikes == expected.strikes
    assert loaded.synonyms == expected.synonyms
    assert loaded.templates == expected.templates


async def test_export_checks_clean_and_loads_to_the_same_facts(tmp_path: Path) -> None:
    base = load_knowledge(KNOWLEDGE_DIR)
    effective = await moderated(tmp_path / "db.sqlite3", base)
    out = tmp_path / "export"
    write_export(export_files(effective, KNOWLEDGE_DIR), out, source_dir=KNOWLEDGE_DIR)

    result = check_knowledge(out)
    assert result.issues == ()
    assert_same_knowledge(load_knowledge(out), effective)
    assert (out / "facts" / MODERATOR_FACTS_FILE).is_file()
    assert (out / "sources" / f"{NEW_SOURCE.id}.yaml").is_file()


async def test_unchanged_files_are_copied_byte_for_byte(tmp_path: Path) -> None:
    base = load_knowledge(KNOWLEDGE_DIR)
    effective = await moderated(tmp_path / "db.sqlite3", base)
    files = export_files(effective, KNOWLEDGE_DIR)
    changed = {
        f"facts/{Path(base.facts[fid].origin.path).name}" for fid in list(base.facts)[:2]
    } | {"strikes.yaml", f"facts/{MODERATOR_FACTS_FILE}", f"sources/{NEW_SOURCE.id}.yaml"}
    for relative, content in files.items():
        original = KNOWLEDGE_DIR / relative
        if relative not in changed:
            assert content == original.read_bytes(), relative
    assert export_files(base, KNOWLEDGE_DIR) == {
        p.relative_to(KNOWLEDGE_DIR).as_posix(): p.read_bytes()
        for p in KNOWLEDGE_DIR.rglob("*.yaml")
    }


async def test_in_place_export_then_reload_gives_the_effective_base(tmp_path: Path) -> None:
    """The review workflow: export into a checkout of knowledge/, then commit the diff."""
    checkout = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, checkout)
    base = load_knowledge(checkout)
    db_path = tmp_path / "db.sqlite3"
    effective = await moderated(db_path, base)
    args = ["kb", "export", str(checkout), "--knowledge", str(checkout), "--db", str(db_path)]
    # The command runs its own event loop, as it does from a shell.
    assert await asyncio.to_thread(cli.main, args) == cli.EXIT_OK
    reloaded = load_knowledge(checkout)
    assert_same_knowledge(reloaded, effective)

    # After the export is committed, the database's revisions lay over an identical base.
    db = await open_database(db_path)
    try:
        assert_same_knowledge(await KnowledgeEditor(db, reloaded).knowledge(), effective)
    finally:
        await db.close()


def test_a_non_empty_other_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "stray.txt").write_text("keep me")
    files = export_files(load_knowledge(KNOWLEDGE_DIR), KNOWLEDGE_DIR)
    with pytest.raises(ExportError, match="not empty"):
        write_export(files, tmp_path, source_dir=KNOWLEDGE_DIR)
    assert [p.name for p in tmp_path.iterdir()] == ["stray.txt"]


def test_cli_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    (tmp_path / "stray.txt").write_text("keep me")
    args = [
        "kb",
        "export",
        str(tmp_path),
        "--knowledge",
        str(KNOWLEDGE_DIR),
        "--db",
        str(tmp_path / "missing.sqlite3"),
    ]
    assert cli.main(args) == cli.EXIT_USAGE


def test_zip_holds_every_file_under_one_folder() -> None:
    files = export_files(load_knowledge(KNOWLEDGE_DIR), KNOWLEDGE_DIR)
    with zipfile.ZipFile(io.BytesIO(export_zip(files))) as archive:
        assert sorted(archive.namelist()) == sorted(f"knowledge/{name}" for name in files)
        assert archive.read("knowledge/strikes.yaml") == files["strikes.yaml"]


def test_strikes_round_trip_through_the_strikes_dump(tmp_path: Path) -> None:
    base = load_knowledge(KNOWLEDGE_DIR)
    strike = next(iter(base.strikes.values()))
    ended = base.with_strikes([replace(strike, end=date(2023, 9, 27))])
    out = tmp_path / "export"
    write_export(export_files(ended, KNOWLEDGE_DIR), out, source_dir=KNOWLEDGE_DIR)
    assert load_knowledge(out).strikes == ended.strikes


async def test_export_built_in_a_child_process_is_byte_identical(tmp_path: Path) -> None:
    base = load_knowledge(KNOWLEDGE_DIR)
    effective = await moderated(tmp_path / "db.sqlite3", base)
    files = export_files(effective, KNOWLEDGE_DIR)

    exported = await run_in_child_process(checked_export_zip, effective, KNOWLEDGE_DIR, "kb")

    assert exported == checked_export_zip(effective, KNOWLEDGE_DIR, "kb")
    assert exported.data == export_zip(files, "kb")
    assert exported.file_count == len(files)
    assert exported.issues == ()
