"""The effective fact base (YAML + moderators' changes) written back as a knowledge dir.

The export is meant to be reviewed as a diff and committed, so it changes as little
as it can: every file whose records are unchanged is copied byte for byte (comments
included); a changed file is rewritten with `yaml_dump` (its comments are lost). YAML
facts stay in their original file, moderators' new facts go to
`facts/moderator-added.yaml`, moderator-added sources to `sources/<id>.yaml`.
Exporting into the knowledge directory itself (in place) is allowed: `git diff` then
shows exactly what moderators changed.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from bot.knowledge.issues import KnowledgeIssue
from bot.knowledge.loader import (
    FACTS_DIR,
    SOURCES_DIR,
    STRIKES_FILE,
    SYNONYMS_FILE,
    TEMPLATES_FILE,
    check_knowledge,
    read_knowledge,
)
from bot.knowledge.model import Fact, KnowledgeBase
from bot.knowledge.strikes_dump import dump_strikes
from bot.knowledge.yaml_dump import dump_facts, dump_source

MODERATOR_FACTS_FILE = "moderator-added.yaml"


class ExportError(Exception):
    """The export cannot be written where asked; nothing was written."""


def _originals(source_dir: Path) -> dict[str, bytes]:
    """Every knowledge file of the source directory, by path relative to it."""
    found = [source_dir / STRIKES_FILE, source_dir / SYNONYMS_FILE, source_dir / TEMPLATES_FILE]
    found += sorted((source_dir / SOURCES_DIR).glob("*.yaml"))
    found += sorted((source_dir / FACTS_DIR).glob("*.yaml"))
    return {p.relative_to(source_dir).as_posix(): p.read_bytes() for p in found if p.is_file()}


def _unique(name: str, taken: dict[str, bytes]) -> str:
    stem, number = name.removesuffix(".yaml"), 2
    while name in taken:
        name, number = f"{stem}-{number}.yaml", number + 1
    return name


def export_files(knowledge: KnowledgeBase, source_dir: Path) -> dict[str, bytes]:
    """The knowledge directory for `knowledge`, as relative path -> file content.

    `source_dir` is the YAML directory `knowledge` was built on; it decides file names
    and supplies the files copied unchanged (synonyms, templates, untouched records).
    """
    base = read_knowledge(source_dir).knowledge
    files = _originals(source_dir)

    if any(base.strikes.get(s.id) != s for s in knowledge.strikes.values()):
        files[STRIKES_FILE] = dump_strikes(knowledge.strikes.values()).encode()

    for source in knowledge.sources.values():
        original = base.sources.get(source.id)
        if original == source:
            continue
        name = f"{SOURCES_DIR}/{source.id}.yaml"
        if original is not None:
            name = f"{SOURCES_DIR}/{Path(original.origin.path).name}"
        elif name in files:
            name = _unique(name, files)
        files[name] = dump_source(source).encode()

    by_file: dict[str, list[Fact]] = {}
    for fact in base.facts.values():
        name = f"{FACTS_DIR}/{Path(fact.origin.path).name}"
        by_file.setdefault(name, []).append(knowledge.facts.get(fact.id, fact))
    added = [f for f in knowledge.facts.values() if f.id not in base.facts]
    if added:
        by_file.setdefault(f"{FACTS_DIR}/{MODERATOR_FACTS_FILE}", []).extend(added)
    for name, facts in by_file.items():
        if name not in files or any(base.facts.get(f.id) != f for f in facts):
            files[name] = dump_facts(facts).encode()
    return dict(sorted(files.items()))


def write_export(files: dict[str, bytes], out_dir: Path, *, source_dir: Path) -> None:
    """Write the files under `out_dir`, which must be new, empty, or the source itself."""
    in_place = out_dir.exists() and out_dir.resolve() == source_dir.resolve()
    if out_dir.exists() and not in_place:
        if not out_dir.is_dir():
            raise ExportError(f"{out_dir} exists and is not a directory")
        if any(out_dir.iterdir()):
            raise ExportError(
                f"{out_dir} is not empty; export into a new directory or into the "
                f"knowledge directory itself ({source_dir})"
            )
    for relative, content in files.items():
        path = out_dir / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if not (in_place and path.is_file() and path.read_bytes() == content):
            path.write_bytes(content)


def export_zip(files: dict[str, bytes], folder: str = "knowledge") -> bytes:
    """The files as a zip under `folder/`, for `/fact export` to attach in Discord."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for relative, content in files.items():
            archive.writestr(f"{folder}/{relative}", content)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class CheckedExport:
    """The export zipped, and what `kb check` said about the exported directory."""

    data: bytes
    file_count: int
    issues: tuple[KnowledgeIssue, ...]


def checked_export_zip(knowledge: KnowledgeBase, source_dir: Path, folder: str) -> CheckedExport:
    """Write the export to a temporary directory, check it, and zip it (blocking).

    Module-level and returning plain data so `/fact export` can run it in a child
    process: dumping, re-parsing and zipping 10,000 facts takes seconds of CPU.
    """
    files = export_files(knowledge, source_dir)
    with tempfile.TemporaryDirectory(prefix="strikebot-export-") as temp:
        out_dir = Path(temp) / folder
        write_export(files, out_dir, source_dir=source_dir)
        issues = check_knowledge(out_dir).issues
    return CheckedExport(export_zip(files, folder), len(files), issues)
