"""Parsing console lines: commands, questions, and every refusal saying what to type."""

from __future__ import annotations

from datetime import date

import pytest

from bot.console.commands import (
    Announce,
    Ask,
    CommandError,
    Day,
    FactAdd,
    FactEdit,
    FactHistory,
    FactRestore,
    FactRetire,
    FactRevert,
    FactShow,
    Help,
    Quit,
    Reload,
    parse_command,
)


@pytest.mark.parametrize("line", ["", "   ", "# a comment in a script", "\t"])
def test_blank_lines_and_comments_do_nothing(line: str) -> None:
    assert parse_command(line) is None


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("when did the strike start?", Ask("when did the strike start?")),
        ("  What day of the strike is it?  ", Ask("What day of the strike is it?")),
        ("ask help with strike pay", Ask("help with strike pay")),
        ("ASK   day 100?", Ask("day 100?")),
        ("days?", Ask("days?")),  # close to `day`, but a question mark makes it a question
        ("residuals for streaming shows", Ask("residuals for streaming shows")),
        ("day", Day(None)),
        ("day 2023-08-09", Day(date(2023, 8, 9))),
        ("announce 2023-08-09", Announce(date(2023, 8, 9))),
        ("/announce", Announce(None)),
        ("fact show wga-strike-start-date", FactShow("wga-strike-start-date")),
        ("fact show x 2", FactShow("x", 2)),
        ("Fact History x", FactHistory("x")),
        ("fact add", FactAdd()),
        ("fact edit x", FactEdit("x")),
        ("fact retire x no longer true", FactRetire("x", "no longer true")),
        ("fact restore x", FactRestore("x", None)),
        ("fact restore x it was right", FactRestore("x", "it was right")),
        ("fact revert x 1", FactRevert("x", 1, None)),
        ("fact revert x 1 typo in the edit", FactRevert("x", 1, "typo in the edit")),
        ("reload", Reload()),
        ("help", Help()),
        ("quit", Quit()),
        ("exit", Quit()),
    ],
)
def test_commands_and_questions(line: str, expected: object) -> None:
    assert parse_command(line) == expected


def refusal(line: str) -> str:
    with pytest.raises(CommandError) as caught:
        parse_command(line)
    return str(caught.value)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("ask", "ask: what is the question? Usage: ask QUESTION"),
        ("ask   ", "ask: what is the question?"),
        ("day 2023-13-01", "day: '2023-13-01' is not a date as YYYY-MM-DD"),
        ("day 9/8/2023", "Usage: day [YYYY-MM-DD]"),
        ("day 2023-08-09 2023-08-10", "is not a date"),
        ("announce tomorrow", "announce: 'tomorrow' is not a date as YYYY-MM-DD"),
        ("fact", "fact: which action? One of: show, history, add, edit, retire"),
        ("fact frobnicate x", "fact: unknown action 'frobnicate'"),
        ("fact shwo x", "Did you mean `fact show`?"),
        ("fact show", "fact show: which fact? Usage: fact show ID [REVISION]"),
        ("fact show x two", "'two' is not a revision number"),
        ("fact show x 0", "'0' is not a revision number"),
        ("fact show x 1 2", "fact show: too many arguments"),
        ("fact history", "fact history: which fact?"),
        ("fact history x y", "fact history: too many arguments"),
        ("fact edit x answer", "fact edit: too many arguments"),
        ("fact add my-id", "fact add takes no arguments (the id goes in the block)"),
        ("fact retire x", "fact retire: say why"),
        ("fact revert x", "fact revert: which revision? See `fact history`"),
        ("fact revert x -1", "'-1' is not a revision number"),
        ("help me understand residuals", "help takes no arguments"),
        ("quit now", "quit takes no arguments"),
        ("hlep", "unknown command 'hlep'. Did you mean `help`?"),
        ("anounce 2023-08-09", "Did you mean `announce`?"),
        ("/stats", "unknown command '/stats'. Type help"),
    ],
)
def test_refusals_say_what_to_type(line: str, says: str) -> None:
    assert says in refusal(line)


@pytest.mark.parametrize(
    "line", ["day after the strike?", "help me understand residuals", "hlep", "fact check pay"]
)
def test_a_refused_line_says_how_to_ask_it_as_a_question(line: str) -> None:
    assert f"To ask it as a question, type: ask {line}" in refusal(line)
