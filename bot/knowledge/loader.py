"""Reads the `knowledge/` directory into a KnowledgeBase, reporting every problem at once.

Layout (each file small enough to review in a diff):
  strikes.yaml      the strikes and their milestones
  sources/*.yaml    one cleaned article per file
  facts/*.yaml      facts, grouped by topic
  synonyms.yaml     words members use for the same thing
  templates.yaml    texts of the daily announcement
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.knowledge.issues import KnowledgeError, KnowledgeIssue
from bot.knowledge.model import (
    Citation,
    Fact,
    KnowledgeBase,
    Milestone,
    Party,
    Source,
    Strike,
    SynonymGroup,
)
from bot.knowledge.yaml_fields import FieldReader
from bot.knowledge.yaml_lines import LineDict, YamlSyntaxError, read_yaml

STRIKES_FILE = "strikes.yaml"
SYNONYMS_FILE = "synonyms.yaml"
TEMPLATES_FILE = "templates.yaml"
SOURCES_DIR = "sources"
FACTS_DIR = "facts"

STRIKE_FIELDS = ("id", "union", "against", "start", "end", "timezone", "milestones")
PARTY_FIELDS = ("name", "short")
SOURCE_FIELDS = (
    "id",
    "outlet",
    "headline",
    "description",
    "authors",
    "published",
    "published_inferred",
    "published_note",
    "url",
    "text",
)
FACT_FIELDS = (
    "id",
    "questions",
    "answer",
    "citations",
    "as_of",
    "tags",
    "supersedes",
    "strikes",
    "retired",
)
CITATION_FIELDS = ("source", "quote")
MILESTONE_FIELDS = ("day", "text", "citations")


@dataclass(frozen=True)
class LoadResult:
    """What loading produced: a usable base (possibly partial) and the problems seen."""

    knowledge: KnowledgeBase
    issues: tuple[KnowledgeIssue, ...]


def _document(
    path: Path, root: Path, key: str | None, issues: list[KnowledgeIssue]
) -> LineDict | None:
    """Parse a file and check its top level is a mapping (holding `key` when given)."""
    rel = str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)
    try:
        data = read_yaml(path)
    except YamlSyntaxError as exc:
        issues.append(KnowledgeIssue(rel, exc.line, exc.problem, "fix the YAML syntax"))
        return None
    if not isinstance(data, LineDict):
        issues.append(KnowledgeIssue(rel, 1, "the file must hold a mapping", "see the README"))
        return None
    if key is not None and key not in data:
        issues.append(KnowledgeIssue(rel, 1, f"missing top-level `{key}:`", f"add `{key}:`"))
        return None
    return data


def _rel(path: Path, root: Path) -> str:
    return str(path.relative_to(root.parent)) if path.is_relative_to(root.parent) else str(path)


def _citations(reader: FieldReader, *, required: bool) -> tuple[Citation, ...]:
    result: list[Citation] = []
    for entry in reader.mappings("citations", required=required):
        sub = FieldReader(entry, reader.path, reader.issues, "a citation")
        sub.reject_unknown(CITATION_FIELDS)
        source, quote = sub.text("source"), sub.text("quote")
        if source and quote:
            result.append(Citation(source, quote))
    return tuple(result)


def _party(reader: FieldReader, key: str) -> Party | None:
    value = reader.raw(key)
    if not isinstance(value, LineDict):
        reader.problem(key, "must be a mapping with `name` and `short`", "see strikes.yaml")
        return None
    sub = FieldReader(value, reader.path, reader.issues, f"`{key}`")
    sub.reject_unknown(PARTY_FIELDS)
    name, short = sub.text("name"), sub.text("short")
    return Party(name, short) if name and short else None


def _strike(reader: FieldReader) -> Strike | None:
    reader.reject_unknown(STRIKE_FIELDS)
    sid, start, zone = reader.text("id"), reader.day("start"), reader.text("timezone")
    end = reader.day("end", required=False)
    union, against = _party(reader, "union"), _party(reader, "against")
    if zone is not None:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            reader.problem("timezone", f"unknown time zone {zone!r}", "use an IANA name")
            zone = None
    milestones: list[Milestone] = []
    for entry in reader.mappings("milestones", required=False):
        sub = FieldReader(entry, reader.path, reader.issues, "a milestone")
        sub.reject_unknown(MILESTONE_FIELDS)
        day, text = sub.integer("day", minimum=1), sub.text("text")
        if day is not None and text:
            milestones.append(Milestone(day, text, _citations(sub, required=False)))
    if not (sid and start and zone and union and against):
        return None
    return Strike(sid, union, against, start, zone, end, tuple(milestones), reader.origin)


def _source(reader: FieldReader) -> Source | None:
    reader.reject_unknown(SOURCE_FIELDS)
    sid, text = reader.text("id"), reader.text("text")
    if not (sid and text):
        return None
    return Source(
        id=sid,
        text=text,
        outlet=reader.text("outlet", required=False),
        headline=reader.text("headline", required=False),
        description=reader.text("description", required=False),
        authors=reader.texts("authors", required=False),
        published=reader.day("published", required=False),
        published_inferred=reader.flag("published_inferred"),
        published_note=reader.text("published_note", required=False),
        url=reader.text("url", required=False),
        origin=reader.origin,
    )


def _fact(reader: FieldReader) -> Fact | None:
    reader.reject_unknown(FACT_FIELDS)
    fid, answer, as_of = reader.text("id"), reader.text("answer"), reader.day("as_of")
    questions = reader.texts("questions")
    citations = _citations(reader, required=True)
    tags = reader.texts("tags", required=False)
    supersedes = reader.texts("supersedes", required=False)
    strikes = reader.texts("strikes", required=False)
    retired = reader.text("retired", required=False)
    if not (fid and answer and as_of and questions and citations):
        return None
    return Fact(
        id=fid,
        questions=questions,
        answer=answer,
        citations=citations,
        as_of=as_of,
        tags=tuple(t.lower() for t in tags),
        supersedes=supersedes,
        strikes=strikes,
        retired=retired,
        origin=reader.origin,
    )


def _records(doc: LineDict, key: str, path: str, issues: list[KnowledgeIssue]) -> list[LineDict]:
    value = doc.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        issues.append(KnowledgeIssue(path, doc.line_of(key), f"`{key}` must be a list"))
        return []
    records = []
    for index, item in enumerate(value):
        if isinstance(item, LineDict):
            records.append(item)
        else:
            line = value.item_lines[index] if hasattr(value, "item_lines") else doc.line_of(key)
            issues.append(KnowledgeIssue(path, line, f"each entry of `{key}` must be a mapping"))
    return records


def _synonyms(doc: LineDict, path: str, issues: list[KnowledgeIssue]) -> list[SynonymGroup]:
    value = doc.get("synonyms") or []
    groups = []
    for index, group in enumerate(value if isinstance(value, list) else []):
        line = value.item_lines[index] if hasattr(value, "item_lines") else None
        terms = [str(t).strip().lower() for t in group] if isinstance(group, list) else []
        if len(terms) < 2 or not all(terms):
            issues.append(
                KnowledgeIssue(path, line, "a synonym group needs two or more non-empty terms")
            )
            continue
        groups.append(SynonymGroup(tuple(terms)))
    return groups


def _templates(doc: LineDict, path: str, issues: list[KnowledgeIssue]) -> dict[str, str]:
    value = doc.get("templates")
    if not isinstance(value, LineDict):
        issues.append(KnowledgeIssue(path, doc.line_of("templates"), "`templates` must map names"))
        return {}
    result = {}
    for name, text in value.items():
        if not isinstance(text, str) or not text.strip():
            issues.append(
                KnowledgeIssue(path, value.line_of(name), "must be non-empty text", "", name)
            )
            continue
        result[name] = text
    return result


def read_knowledge(root: Path) -> LoadResult:
    """Read every file under `root`; returns what could be read plus all structural issues."""
    issues: list[KnowledgeIssue] = []
    if not root.is_dir():
        issue = KnowledgeIssue(
            str(root),
            None,
            "knowledge directory not found",
            "pass --knowledge DIR or set STRIKEBOT_KNOWLEDGE",
        )
        return LoadResult(KnowledgeBase.build(), (issue,))
    strikes: list[Strike] = []
    sources: list[Source] = []
    facts: list[Fact] = []
    synonyms: list[SynonymGroup] = []
    templates: dict[str, str] = {}

    path = root / STRIKES_FILE
    doc = _document(path, root, "strikes", issues) if path.exists() else None
    if not path.exists():
        issues.append(KnowledgeIssue(_rel(path, root), None, "file missing", "create it"))
    for record in _records(doc, "strikes", _rel(path, root), issues) if doc else []:
        strike = _strike(FieldReader(record, _rel(path, root), issues, "a strike"))
        if strike:
            strikes.append(strike)

    for path in sorted((root / SOURCES_DIR).glob("*.yaml")):
        doc = _document(path, root, None, issues)
        if doc is not None:
            source = _source(FieldReader(doc, _rel(path, root), issues, "a source"))
            if source:
                sources.append(source)

    for path in sorted((root / FACTS_DIR).glob("*.yaml")):
        doc = _document(path, root, "facts", issues)
        for record in _records(doc, "facts", _rel(path, root), issues) if doc else []:
            fact = _fact(FieldReader(record, _rel(path, root), issues, "a fact"))
            if fact:
                facts.append(fact)

    path = root / SYNONYMS_FILE
    if path.exists() and (doc := _document(path, root, "synonyms", issues)) is not None:
        synonyms = _synonyms(doc, _rel(path, root), issues)
    path = root / TEMPLATES_FILE
    if path.exists() and (doc := _document(path, root, "templates", issues)) is not None:
        templates = _templates(doc, _rel(path, root), issues)

    for kind, records in (("strike", strikes), ("source", sources), ("fact", facts)):
        issues.extend(_duplicate_ids(kind, records))
    kb = KnowledgeBase.build(
        strikes=strikes, sources=sources, facts=facts, synonyms=synonyms, templates=templates
    )
    return LoadResult(kb, tuple(issues))


def _duplicate_ids(
    kind: str, records: list[Strike] | list[Source] | list[Fact]
) -> list[KnowledgeIssue]:
    """Ids must be unique: a second record with the same id would silently replace the first."""
    first: dict[str, str] = {}
    issues = []
    for record in records:
        if record.id in first:
            issues.append(
                KnowledgeIssue(
                    record.origin.path,
                    record.origin.line,
                    f"duplicate {kind} id {record.id!r} (first defined at {first[record.id]})",
                    "give each record its own id",
                    "id",
                )
            )
        else:
            first[record.id] = str(record.origin)
    return issues


def check_knowledge(root: Path) -> LoadResult:
    """Read and validate; the result lists structural and semantic issues together."""
    from bot.knowledge.validation import validate

    result = read_knowledge(root)
    if not root.is_dir():
        return result
    return LoadResult(result.knowledge, result.issues + tuple(validate(result.knowledge)))


def load_knowledge(root: Path) -> KnowledgeBase:
    """Load and fully validate the base; raise KnowledgeError listing every problem."""
    result = check_knowledge(root)
    if result.issues:
        raise KnowledgeError(result.issues)
    return result.knowledge


def valid_base_or_issues(root: Path) -> LoadResult:
    """`check_knowledge` as a child process runs it: the base only when it has no issues.

    A broken base is never used, so only its issues are sent back; pickling a partial
    base would cost the bot's process time for nothing.
    """
    result = check_knowledge(root)
    if result.issues:
        return LoadResult(KnowledgeBase.build(), result.issues)
    return result
