"""`kb check` reports each kind of problem with file, line and a fix, all at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.knowledge.issues import KnowledgeError
from bot.knowledge.loader import check_knowledge, load_knowledge

THR = "thr-2023-08-04-wga-amptp-meeting"
GOOD_QUOTE = "In the meantime, the Writers Guild of America is on day 95 of its ongoing strike"


def _fact(fid: str = "test-fact", **overrides: str) -> str:
    """One fact entry as a moderator would type it, with any field replaced."""
    fields = {
        "id": fid,
        "as_of": "2023-08-04",
        "questions": "[what day was it on aug 4, what day of the strike was aug 4]",
        "answer": "As of Aug 4, 2023, the WGA was on day 95 of its strike.",
        "citations": f"\n      - source: {THR}\n        quote: {GOOD_QUOTE}",
    }
    fields.update(overrides)
    lines = [f"  - id: {fields.pop('id')}"]
    lines += [f"    {key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def _write_facts(knowledge: Path, body: str, name: str = "zz-test.yaml") -> Path:
    path = knowledge / "facts" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("facts:\n" + body, encoding="utf-8")
    return path


def _messages(knowledge: Path) -> list[str]:
    return [str(issue) for issue in check_knowledge(knowledge).issues]


def test_committed_base_is_clean() -> None:
    knowledge = Path(__file__).resolve().parents[2] / "knowledge"
    assert check_knowledge(knowledge).issues == ()


def test_a_valid_fact_passes(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact())
    assert _messages(knowledge_copy) == []


def test_quote_not_in_source_names_file_line_and_fix(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact(citations=f"\n      - source: {THR}\n        quote: day 96"))
    (message,) = _messages(knowledge_copy)
    assert message.startswith("knowledge/facts/zz-test.yaml:2: citations:")
    assert "does not appear verbatim" in message and "fix:" in message


def test_quote_tolerates_whitespace_and_curly_quotes(knowledge_copy: Path) -> None:
    straight = """'"potential negotiation protocol"   and\n          "a preview of the issues'"""
    _write_facts(
        knowledge_copy,
        _fact(citations=f"\n      - source: {THR}\n        quote: {straight}"),
    )
    assert _messages(knowledge_copy) == []


def test_paraphrase_is_not_a_quote(knowledge_copy: Path) -> None:
    _write_facts(
        knowledge_copy,
        _fact(citations=f"\n      - source: {THR}\n        quote: the WGA is on day 95"),
    )
    assert len(_messages(knowledge_copy)) == 1


def test_unknown_source(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact(citations="\n      - source: nope\n        quote: x"))
    (message,) = _messages(knowledge_copy)
    assert "unknown source 'nope'" in message and THR in message


def test_duplicate_ids_point_at_both_places(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact("twin") + _fact("twin"))
    (message,) = _messages(knowledge_copy)
    assert "zz-test.yaml:9" in message and "first defined at" in message


def test_missing_fields_and_empty_questions(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, "  - id: bare\n    questions: []\n")
    messages = _messages(knowledge_copy)
    assert any("questions: must not be empty" in m for m in messages)
    assert any("answer: missing" in m for m in messages)
    assert any("as_of: missing" in m for m in messages)
    assert any("citations: missing" in m for m in messages)


def test_not_a_real_date(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact(as_of="2023-02-30"))
    (message,) = _messages(knowledge_copy)
    assert "zz-test.yaml:3: as_of:" in message and "not a real date" in message


def test_unknown_field_is_a_typo_not_silently_dropped(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact(answr="oops"))
    (message,) = _messages(knowledge_copy)
    assert "answr: unknown field" in message


def test_answer_over_discord_limit(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact(answer="x" * 1001))
    (message,) = _messages(knowledge_copy)
    assert "answer is 1001 characters" in message


def test_supersedes_cycle_and_unknown_target(knowledge_copy: Path) -> None:
    body = (
        _fact("a", supersedes="[b]") + _fact("b", supersedes="[a]") + _fact("c", supersedes="[zz]")
    )
    _write_facts(knowledge_copy, body)
    messages = _messages(knowledge_copy)
    assert sum("loops back" in m for m in messages) == 1
    assert any("supersedes unknown fact 'zz'" in m for m in messages)


def test_unknown_time_zone_and_end_before_start(knowledge_copy: Path) -> None:
    strikes = knowledge_copy / "strikes.yaml"
    text = strikes.read_text(encoding="utf-8").replace("America/Los_Angeles", "Mars/Olympus", 1)
    strikes.write_text(text.replace("end:\n", "end: 2020-01-01\n", 1), encoding="utf-8")
    messages = _messages(knowledge_copy)
    assert any("strikes.yaml" in m and "unknown time zone 'Mars/Olympus'" in m for m in messages)


def test_broken_yaml_names_the_line(knowledge_copy: Path) -> None:
    path = _write_facts(knowledge_copy, _fact())
    path.write_text(path.read_text(encoding="utf-8") + "  - id: [unclosed\n", encoding="utf-8")
    (message,) = _messages(knowledge_copy)
    assert message.startswith("knowledge/facts/zz-test.yaml:")
    assert "invalid YAML" in message


def test_every_problem_is_reported_at_once(knowledge_copy: Path) -> None:
    _write_facts(knowledge_copy, _fact("one", as_of="nope") + _fact("two", answer="x" * 2000))
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(knowledge_copy)
    assert len(caught.value.issues) == 2


def test_cli_exit_status_and_summary(
    knowledge_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "check", "--knowledge", str(knowledge_copy)]) == 0
    assert capsys.readouterr().out.startswith("kb check: ok:")
    _write_facts(knowledge_copy, _fact(as_of="2023-13-01"))
    assert main(["kb", "check", "--knowledge", str(knowledge_copy)]) == 1
    err = capsys.readouterr().err
    assert "zz-test.yaml:3" in err and "1 problem(s)" in err


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    (issue,) = check_knowledge(tmp_path / "absent").issues
    assert "knowledge directory not found" in str(issue) and "--knowledge" in str(issue)


def test_announcement_template_with_unknown_placeholder(knowledge_copy: Path) -> None:
    path = knowledge_copy / "templates.yaml"
    head, body = path.read_text(encoding="utf-8").split("\ntemplates:", 1)
    path.write_text(head + "\ntemplates:" + body.replace("{day}", "{dya}", 1), encoding="utf-8")
    messages = _messages(knowledge_copy)
    assert messages and all("templates.yaml" in m for m in messages)
    assert any("dya" in m for m in messages)
