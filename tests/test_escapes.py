"""Outside text is shown, never obeyed: a journal whose every free-text field holds escape
sequences, C1 controls, bidi overrides and Rich markup, through every command that shows it,
piped and at a pseudo-terminal."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from helpers import Run, run_in_terminal

# A screen clear, a window title ending in BEL, a one-byte CSI (U+009B), a right-to-left
# override, DEL, and Rich markup that would turn red if it were read as markup.
HOSTILE = "x\x1b[2J\x1b]0;owned\x07 \x9b31m \u202eevil\u202c [bold red]markup[/] \x7f y"
STYLE = re.compile(r"\x1b\[[0-9;]*m")
OBEYED = ("\x1b[2J", "\x1b]0;", "\x07", "\x9b", "\u202e", "\x7f")

READERS = [
    ["list"],
    ["list", "--json"],
    ["show", "ID"],
    ["show", "ID", "--json"],
    ["review"],
    ["review", "--plain"],
    ["review", "--markdown"],
    ["review", "--json"],
    ["people"],
    ["people", "show", "maya"],
    ["people", "list", "--json"],
    ["agenda", "maya"],
    ["agenda", "maya", "--markdown"],
    ["agenda", "maya", "--json"],
    ["recognition", "maya"],
    ["recognition", "maya", "-f", "text"],
    ["recognition", "maya", "-f", "json"],
    ["recognition", "maya", "-f", "html"],
    ["nominate"],
    ["nominate", "-f", "text"],
    ["nominate", "-f", "json"],
    ["fairness"],
    ["fairness", "--markdown"],
    ["fairness", "--json"],
    ["fairness", "--html"],
    ["export"],
    ["export", "--format", "text"],
    ["export", "--format", "html"],
    ["export", "--format", "json"],
    ["goal", "list"],
    ["goal", "list", "--json"],
    ["promise", "list"],
    ["backup", "--list"],
    ["config"],
    ["doctor"],
    ["status"],
]
# At a terminal: what a person sees (Rich, the pager off, the page refused).
SCREENS = [
    ["list"],
    ["show", "ID"],
    ["review"],
    ["people"],
    ["people", "show", "maya"],
    ["agenda", "maya"],
    ["recognition", "maya"],
    ["nominate"],
    ["export"],
    ["export", "--format", "csv"],
    ["goal", "list"],
    ["promise", "list"],
    ["backup", "--list"],
    ["config"],
]


@pytest.fixture
def hostile_journal(ally: Run, home: Path) -> str:
    """Every free-text field a user or a file fills, hostile; returns an entry's id."""
    fields = ["--name", "--role", "--relationship", "--values", "--notes"]
    assert (
        ally("people", "add", "maya", *(part for f in fields for part in (f, HOSTILE))).exit_code
        == 0
    )
    for args in (
        ["helped", "maya", HOSTILE, "--kind", "opportunity"],
        ["win", HOSTILE, "--impact", HOSTILE, "--big"],
        ["thanks", "maya", HOSTILE],
        ["goal", "add", "maya", HOSTILE],
        ["promise", "make", "maya", HOSTILE, "--by", "friday"],
        ["config", "name", HOSTILE],
        ["config", "role", HOSTILE],
        ["backup", HOSTILE],
    ):
        done = ally(*args)
        assert done.exit_code == 0, (args, done)
    assert ally("review", "--reflect", input=HOSTILE).exit_code == 0
    entry_id: str = ally("list", "--json").json()[0]["id"]
    return entry_id


@pytest.mark.parametrize("args", READERS, ids=[" ".join(args) for args in READERS])
def test_piped_output_never_carries_a_control_from_data(
    ally: Run, hostile_journal: str, args: list[str]
) -> None:
    done = ally(*[hostile_journal if word == "ID" else word for word in args])
    assert done.exit_code == 0, done
    shown = done.stdout + done.stderr
    assert [raw for raw in OBEYED if raw in shown] == []
    assert "owned" in shown or "markup" in shown or args[0] in ("status", "doctor", "fairness")


def test_csv_keeps_text_as_stored_for_a_file_and_shows_it_at_a_terminal(
    ally: Run, hostile_journal: str, tmp_path: Path
) -> None:
    # The CSV file is data: it holds the text as stored, so it imports back as it was.
    target = tmp_path / "wins.csv"
    assert ally("export", "--format", "csv", "-o", str(target)).exit_code == 0
    assert HOSTILE in target.read_text(encoding="utf-8")
    other = tmp_path / "other"
    assert ally("--home", str(other), "import", str(target)).exit_code == 0
    texts = {entry["text"] for entry in ally("--home", str(other), "list", "--json").json()}
    assert HOSTILE in texts


@pytest.mark.parametrize("args", SCREENS, ids=[" ".join(args) for args in SCREENS])
def test_a_terminal_shows_outside_text_and_obeys_none_of_it(
    home: Path, hostile_journal: str, args: list[str]
) -> None:
    env = {**os.environ, "PAGER": "cat"}
    seen = run_in_terminal([hostile_journal if word == "ID" else word for word in args], env)
    assert "Traceback" not in seen, seen
    assert [raw for raw in OBEYED if raw in seen] == [], seen
    assert "\\x1b" in seen  # shown, as an escape a person can read
    words = " ".join(STYLE.sub("", seen).split())  # Rich's own styles and wrapping set aside
    assert "bold red]markup" in words  # markup from data is text, not a style
