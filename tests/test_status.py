"""`ally status`: one line for a shell prompt, the same through the fast entry point and Typer."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run


@pytest.fixture
def three_weeks(ally: Run) -> None:
    """Two weeks that met the goal of 3, then two allies so far this week (23 Nov 2026)."""
    for day, handles in (
        ("2026-11-09", ("maya", "sam", "li")),
        ("2026-11-16", ("maya", "sam", "li", "jo")),
        ("2026-11-23", ("maya", "sam")),
    ):
        for handle in handles:
            assert ally("helped", handle, "Check-in", "--date", day, "--new").exit_code == 0


def test_the_line_counts_this_week_and_the_streak(
    ally: Run, ally_process: Run, three_weeks: None
) -> None:
    assert ally("status").stdout == "2 of 3 allies · 2-week streak\n"
    assert ally_process("status").stdout == "2 of 3 allies · 2-week streak\n"
    ally("helped", "li", "Pairing", "--date", "2026-11-23")
    assert ally_process("status").stdout == "3 of 3 allies · 3-week streak\n"
    ally("config", "goal", "4")
    assert ally_process("status").stdout == "3 of 4 allies · 1-week streak\n"
    ally("config", "goal", "2")  # past the goal: never "3 of 2"
    assert ally_process("status").stdout == "3 allies, goal of 2 met · 3-week streak\n"


def test_format_fills_in_placeholders(ally: Run, ally_process: Run, three_weeks: None) -> None:
    template = "{helped}/{goal} {to_go} to go, {streak}w, met={met}, {week} from {week_start}"
    expected = "2/3 1 to go, 2w, met=no, Week 48 from 2026-11-23\n"
    assert ally("status", "--format", template).stdout == expected
    assert ally_process("status", "--format", template).stdout == expected
    assert ally_process("status", f"--format={template}").stdout == expected
    assert ally_process("status", "-f", "{helped}").stdout == "2\n"


def test_a_bad_placeholder_is_one_line(ally_process: Run, three_weeks: None) -> None:
    result = ally_process("status", "--format", "{allies}")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("ally: --format '{allies}' cannot be filled in")
    assert "{helped}" in result.stderr and len(result.stderr.splitlines()) == 1


def test_an_empty_journal_and_the_week_start(ally: Run, ally_process: Run) -> None:
    assert ally_process("status").stdout == "0 of 3 allies\n"
    ally("helped", "maya", "Chat", "--date", "2026-11-22", "--new")  # a Sunday
    assert ally_process("status").stdout == "0 of 3 allies\n"
    ally("config", "week-start", "sunday")
    assert ally_process("status", "-f", "{helped} {week_start}").stdout == "1 2026-11-22\n"


def test_a_journal_that_needs_recovery_takes_the_full_path(
    ally: Run, ally_process: Run, home: Path, three_weeks: None
) -> None:
    (home / "commit.json").write_text("{not json")  # damaged: only the full path can say so
    (home / "commit.json").chmod(0o600)
    result = ally_process("status")
    assert result.exit_code != 0
    assert "commit.json" in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "template",
    ["{helped:>999999999999}", "{helped[0]}", "{goal.real}", "{helped!r}", "{helped", "}{", "{}"],
)
def test_a_format_that_reaches_past_the_placeholders_is_one_line(
    ally_process: Run, template: str
) -> None:
    result = ally_process("status", "--format", template)
    assert result.exit_code == 2, result.stderr
    assert result.stdout == "" and result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"ally: --format '{template}' cannot be filled in")
