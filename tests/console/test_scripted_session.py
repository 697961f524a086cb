"""`strikebot console` driven by a script on stdin, as a real process on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from tests.console.conftest import RunConsole, row_count, segments

START_QUESTION = "when did the wga strike start?"
START_ANSWER = "The WGA strike began on May 2, 2023, after stalled negotiations with the AMPTP."
SOURCE = "wire-2023-08-11-wga-talks-resume"

# A fact the committed base lacks, asked in words only it uses ("radio station").
ADD_KNX = f"""fact add
id: bass-spoke-to-knx
questions: Which radio station did the mayor talk to? | what station interviewed karen bass?
answer: KNX News: Los Angeles Mayor Karen Bass spoke to KNX News on
  Wednesday, Aug 9, 2023.
source: {SOURCE}
quote: Los Angeles Mayor Karen Bass told KNX
  News on Wednesday
tags: politics
.
"""
KNX_QUESTION = "which radio station did the mayor talk to?"
KNX_ANSWER = "KNX News: Los Angeles Mayor Karen Bass spoke to KNX News on Wednesday, Aug 9, 2023."

ADD_WITH_BAD_QUOTE = f"""fact add
id: mayor-loves-strikes
questions: does the mayor love strikes?
answer: Yes.
source: {SOURCE}
quote: the mayor said she loves strikes
.
"""

EDIT_START = """fact edit wga-strike-start-date
answer: The WGA went on strike on May 2, 2023.
reason: shorter
.
"""


def test_a_question_gets_a_cited_answer(run_console: RunConsole) -> None:
    result = run_console(START_QUESTION + "\n")
    assert result.returncode == 0
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        START_ANSWER,
        "(as of Aug 11, 2023)",
        "",
        "Sources:",
        "— The Hollywood Reporter, Aug 4, 2023: "
        "“since their stalled negotiations led to a strike on May 2”",
        "— Unnamed wire report, Aug 11, 2023 (date inferred): "
        "“since the union went on strike May 2.”",
        "(fact wga-strike-start-date)",
    ]


def test_an_unanswerable_question_is_refused_honestly(run_console: RunConsole) -> None:
    result = run_console("what will the weather be on the picket line?\n")
    assert result.returncode == 0
    assert result.stdout.startswith("I don't have a sourced answer to that.")


def test_an_added_fact_answers_the_next_question(run_console: RunConsole, db_file: Path) -> None:
    result = run_console(f"{KNX_QUESTION}\n{ADD_KNX}{KNX_QUESTION}\n", "--as", "alice")
    assert result.returncode == 0, result.stderr
    before, added, after = segments(
        result.stdout, "I don't have a sourced answer", "Added bass-spoke-to-knx", KNX_ANSWER
    )
    assert "(fact bass-spoke-to-knx)" not in before
    assert added.startswith("Added bass-spoke-to-knx (revision #1).")
    assert "as_of: 2023-08-11" in added  # defaulted to the source's date
    assert after.splitlines()[1:] == [
        "(as of Aug 11, 2023)",
        "",
        "Sources:",
        "— Unnamed wire report, Aug 11, 2023 (date inferred): "
        "“Los Angeles Mayor Karen Bass told KNX News on Wednesday”",
        "(fact bass-spoke-to-knx)",
    ]
    assert row_count(db_file, "fact_revisions") == 1
    assert row_count(db_file, "audit_log") == 1


def test_a_bad_quote_is_refused_with_the_reason_and_nothing_written(
    run_console: RunConsole, db_file: Path
) -> None:
    script = ADD_WITH_BAD_QUOTE + "fact history mayor-loves-strikes\ndoes the mayor love strikes?\n"
    result = run_console(script)
    assert result.returncode == 0
    refusal, history, answer = result.stdout.split("\n\n", 2)
    assert refusal.startswith("Rejected; nothing was changed:")
    assert "the quote does not appear verbatim in the source text" in refusal
    assert "'the mayor said she loves strikes'" in refusal
    assert history == "No fact 'mayor-loves-strikes'."
    assert "(fact mayor-loves-strikes)" not in answer
    assert row_count(db_file, "fact_revisions") == 0
    assert row_count(db_file, "audit_log") == 0


def test_every_problem_of_a_change_is_listed(run_console: RunConsole, db_file: Path) -> None:
    more = "strikes: wga-2032\nsupersedes: no-such-fact\n.\n"
    script = ADD_WITH_BAD_QUOTE.removesuffix(".\n") + more
    result = run_console(script)
    lines = result.stdout.splitlines()
    assert lines[0] == "Rejected; nothing was changed:"
    assert len(lines) == 4
    assert "does not appear verbatim" in lines[1]
    assert "unknown strike 'wga-2032'" in result.stdout
    assert "supersedes unknown fact 'no-such-fact'" in result.stdout
    assert row_count(db_file, "fact_revisions") == 0


def test_edit_history_and_revert_to_the_yaml_text(run_console: RunConsole) -> None:
    script = (
        EDIT_START
        + f"{START_QUESTION}\nfact history wga-strike-start-date\n"
        + f"fact revert wga-strike-start-date 1\n{START_QUESTION}\n"
        + "fact history wga-strike-start-date\n"
    )
    result = run_console(script, "--as", "alice")
    assert result.returncode == 0, result.stderr
    edited, edited_answer, history, reverted, answer, history_after = segments(
        result.stdout,
        "Edited wga-strike-start-date",
        "The WGA went on strike on May 2, 2023.",
        "History of wga-strike-start-date",
        "Reverted wga-strike-start-date",
        START_ANSWER,
        "History of wga-strike-start-date",
    )
    assert edited.startswith("Edited wga-strike-start-date (revision #2).")
    assert "(fact wga-strike-start-date)" in edited_answer
    assert history.splitlines() == [
        "History of wga-strike-start-date (2 revisions, newest first):",
        "#2 edit by alice at 2023-08-11 18:00:00 UTC — reason: shorter",
        f"  answer: {START_ANSWER} → The WGA went on strike on May 2, 2023.",
        "#1 base by knowledge base (YAML) at 2023-08-11 18:00:00 UTC",
        "  first recorded state",
    ]
    assert reverted.startswith("Reverted wga-strike-start-date to revision #1 (revision #3).")
    assert "(fact wga-strike-start-date)" in answer
    assert history_after.splitlines()[1] == (
        "#3 revert by alice at 2023-08-11 18:00:00 UTC (back to #1)"
    )
    assert history_after.splitlines()[2].startswith("  answer: The WGA went on strike on May 2")


def test_a_retired_fact_is_no_longer_given(run_console: RunConsole) -> None:
    script = f"{START_QUESTION}\nfact retire wga-strike-start-date superseded by a day count\n"
    result = run_console(script + f"{START_QUESTION}\nfact show wga-strike-start-date\n")
    assert result.returncode == 0, result.stderr
    before, retired_then_after, shown = segments(
        result.stdout, START_ANSWER, "Retired wga-strike-start-date", "wga-strike-start-date  ["
    )
    retired, after = retired_then_after.split("\n\n", 1)
    assert "(fact wga-strike-start-date)" in before
    assert retired.startswith("Retired wga-strike-start-date (revision #2). Members no longer")
    assert "(fact wga-strike-start-date)" not in after
    assert START_ANSWER not in after
    assert shown.splitlines()[0] == ("wga-strike-start-date  [retired: superseded by a day count]")


def test_changes_survive_a_restart_on_the_same_database(run_console: RunConsole) -> None:
    first = run_console(
        ADD_KNX + EDIT_START + "fact retire wga-strike-day-95 stale\n", "--as", "alice"
    )
    assert first.returncode == 0, first.stderr
    assert "Added bass-spoke-to-knx" in first.stdout
    assert "Edited wga-strike-start-date" in first.stdout
    assert "Retired wga-strike-day-95" in first.stdout

    again = run_console(
        f"{KNX_QUESTION}\n{START_QUESTION}\nfact show wga-strike-day-95\n"
        "fact history wga-strike-start-date\n"
    )
    assert again.returncode == 0, again.stderr
    knx, start, day_95, history = segments(
        again.stdout,
        KNX_ANSWER,
        "The WGA went on strike on May 2, 2023.",
        "wga-strike-day-95",
        "History of wga-strike-start-date",
    )
    assert "(fact bass-spoke-to-knx)" in knx
    assert "(fact wga-strike-start-date)" in start
    assert day_95.splitlines()[0] == "wga-strike-day-95  [retired: stale]"
    assert "#2 edit by alice" in history


def test_announce_shows_day_100_and_its_milestone(run_console: RunConsole) -> None:
    result = run_console("announce 2023-08-09\n")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "Day 100 of the WGA strike against the AMPTP",
        "Day 27 of the SAG-AFTRA strike against the AMPTP",
        "Wednesday, August 9, 2023",
    ]
    assert lines[3].startswith("📌 Day 100: the WGA strike now matches the length")
    assert "2007-08" in result.stdout


def test_announce_today_includes_a_fact_added_today(run_console: RunConsole) -> None:
    result = run_console(ADD_KNX + "announce\n")
    post = result.stdout.split("\n\n", 1)[1]
    # Too long for one message (many facts are dated Aug 11): posted as an embed.
    assert post.startswith("Friday, August 11, 2023\nDay 102 of the WGA strike against the AMPTP")
    assert post.splitlines()[-1] == f"• {KNX_ANSWER} ({SOURCE})"


def test_day_counts_from_the_start(run_console: RunConsole) -> None:
    result = run_console("day 2023-08-04\nday\n")
    assert result.stdout.split("\n\n") == [
        "Fri Aug 4, 2023: day 95 of the WGA strike against the AMPTP\n"
        "Fri Aug 4, 2023: day 22 of the SAG-AFTRA strike against the AMPTP",
        "Fri Aug 11, 2023: day 102 of the WGA strike against the AMPTP\n"
        "Fri Aug 11, 2023: day 29 of the SAG-AFTRA strike against the AMPTP\n",
    ]


def test_an_unknown_command_is_explained_and_the_session_goes_on(
    run_console: RunConsole,
) -> None:
    result = run_console(f"fact frobnicate x\nhlep\n/stats\n{START_QUESTION}\n")
    assert result.returncode == 0
    unknown_action, typo, slash, answer = result.stdout.split("\n\n", 3)
    assert unknown_action.startswith("fact: unknown action 'frobnicate'.")
    assert "show, history, add, edit, retire, restore, revert" in unknown_action
    assert typo.startswith("unknown command 'hlep'. Did you mean `help`?")
    assert slash.startswith("unknown command '/stats'.")
    assert answer.startswith(START_ANSWER)


def test_help_lists_every_command_and_key(run_console: RunConsole) -> None:
    result = run_console("help\nquit\nwhen did the wga strike start?\n")
    assert result.returncode == 0
    for usage in ("ask QUESTION", "announce [YYYY-MM-DD]", "fact revert ID REVISION"):
        assert usage in result.stdout
    for key in ("id:", "questions:", "answer:", "source:", "quote:", "as_of:", "tags:"):
        assert key in result.stdout
    assert START_ANSWER not in result.stdout  # nothing is read after quit


def test_scripted_output_has_no_prompts(run_console: RunConsole) -> None:
    result = run_console(ADD_KNX + f"{START_QUESTION}\n")
    assert "strikebot>" not in result.stdout
    assert "..." not in result.stdout


def test_input_ending_inside_a_block_saves_nothing(run_console: RunConsole, db_file: Path) -> None:
    result = run_console(ADD_KNX.removesuffix(".\n"))
    assert result.returncode == 0
    assert result.stdout.startswith("Input ended inside a fact block")
    assert row_count(db_file, "fact_revisions") == 0


def test_a_broken_knowledge_base_refuses_to_start(
    run_console: RunConsole, knowledge_copy: Path
) -> None:
    (knowledge_copy / "strikes.yaml").write_text("strikes: [", encoding="utf-8")
    result = run_console("help\n")
    assert result.returncode == 1
    assert result.stdout == ""
    assert "console: cannot load knowledge" in result.stderr
    assert "strikes.yaml" in result.stderr
