"""Bad values for every option of every command, drawn from the commands themselves.

The table below is not written by hand: it walks the command tree `ally` builds, so an option
added tomorrow is tried the day it is added. Each case must be one `ally:` line naming the
option, exit 2, and a journal byte for byte as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from allyjournal.cli import COMMANDS, build_command
from allyjournal.commands.options import EMPTY_MEANS, EXCLUSIVE

from helpers import Run, installed_ally, run_in_terminal, snapshot_bytes


def _leaves(command: Any, path: tuple[str, ...]) -> list[tuple[tuple[str, ...], Any]]:
    subs = getattr(command, "commands", None)
    if subs:
        return [leaf for name, sub in subs.items() for leaf in _leaves(sub, (*path, name))]
    return [(path, command)]


LEAVES = [leaf for name in COMMANDS for leaf in _leaves(build_command(name), (name,))]


def _arguments(command: Any, a_file: Path) -> list[str]:
    """Values for the command's required arguments, enough for Click to reach the options."""
    filled = []
    for param in command.params:
        if param.param_type_name == "argument" and param.required:
            filled.append(str(a_file) if param.type.name in ("path", "file") else "maya")
    return filled


def _long(param: Any) -> str:
    return next((opt for opt in param.opts if opt.startswith("--")), param.opts[0])


EMPTY_CASES = [
    pytest.param(path, _long(param), value, id=f"{' '.join(path)} {_long(param)}={value!r}")
    for path, command in LEAVES
    for param in command.params
    if param.param_type_name == "option"
    and not param.is_flag
    and param.type.name in ("text", "str", "string")
    and EMPTY_MEANS not in (param.help or "")
    for value in ("", "   ")
]
CONFLICT_CASES = [
    pytest.param(path, first, second, id=f"{' '.join(path)} {first} {second}")
    for path, command in LEAVES
    for group in EXCLUSIVE
    for index, first in enumerate(group)
    for second in group[index + 1 :]
    if {first, second} <= {opt for param in command.params for opt in param.opts}
]


def test_the_tables_cover_the_commands() -> None:
    # A walk that found nothing would pass every case below without trying one.
    assert len(EMPTY_CASES) > 100
    assert {case.values[0][0] for case in EMPTY_CASES} >= {"win", "helped", "list", "fairness"}
    assert len(CONFLICT_CASES) >= 10
    assert any(case.values[1:] == ("--short", "--long") for case in CONFLICT_CASES)


@pytest.fixture
def journal_with_an_ally(ally: Run, home: Path) -> dict[str, bytes]:
    ally("helped", "maya", "Reviewed her doc")
    ally("win", "Shipped the fix")
    return snapshot_bytes(home)


@pytest.mark.parametrize(("path", "option", "value"), EMPTY_CASES)
def test_an_empty_option_is_one_line_naming_it_and_nothing_is_written(
    ally: Run,
    home: Path,
    tmp_path: Path,
    journal_with_an_ally: dict[str, bytes],
    path: tuple[str, ...],
    option: str,
    value: str,
) -> None:
    a_file = tmp_path / "in.json"
    a_file.write_text("[]")
    command = dict(LEAVES)[path]
    result = ally(*path, *_arguments(command, a_file), option, value)
    assert result.exit_code == 2, result
    assert result.stderr.startswith(f"ally: {option} ") and "is empty" in result.stderr
    assert "leave it out" in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr
    assert snapshot_bytes(home) == journal_with_an_ally


@pytest.mark.parametrize(("path", "first", "second"), CONFLICT_CASES)
def test_two_options_of_one_kind_are_refused_whichever_command(
    ally: Run,
    home: Path,
    tmp_path: Path,
    journal_with_an_ally: dict[str, bytes],
    path: tuple[str, ...],
    first: str,
    second: str,
) -> None:
    a_file = tmp_path / "in.json"
    a_file.write_text("[]")
    result = ally(*path, *_arguments(dict(LEAVES)[path], a_file), first, second)
    assert result.exit_code == 2, result
    assert result.stderr.startswith(f"ally: {first} and {second} cannot be combined")
    assert result.stderr.count("\n") == 1, result.stderr
    assert snapshot_bytes(home) == journal_with_an_ally


def test_an_empty_value_the_help_gives_a_meaning_does_what_it_says(ally: Run) -> None:
    ally("people", "add", "maya", "--role", "Staff engineer", "--name", "Maya Patel")
    assert "('' removes it)" in ally("people", "edit", "--help").stdout
    assert ally("people", "edit", "maya", "--role", "").exit_code == 0
    shown = ally("people", "show", "maya").stdout
    assert "Staff engineer" not in shown and "Maya Patel" in shown


def test_goal_edit_due_empty_removes_the_due_date_as_its_help_says(ally: Run) -> None:
    ally("people", "add", "maya")
    ally("goal", "add", "maya", "Staff engineer", "--due", "2027-06-30")
    goal_id = ally("goal", "list", "--json").json()[0]["id"]
    assert "('' removes it)" in ally("goal", "edit", "--help").stdout
    done = ally("goal", "edit", goal_id, "--due", "")
    assert done.exit_code == 0, done
    assert ally("goal", "list", "--json").json()[0]["due"] is None


def test_a_goal_is_short_or_long_and_long_by_default(ally: Run) -> None:
    ally("people", "add", "maya")
    assert ally("goal", "add", "maya", "Staff engineer").exit_code == 0
    assert ally("goal", "add", "maya", "Ship the launch", "--short").exit_code == 0
    goals = {goal["text"]: goal["horizon"] for goal in ally("goal", "list", "--json").json()}
    assert goals == {"Staff engineer": "long", "Ship the launch": "short"}


# -- where a document goes ----------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    ["entries/2099-01.json", "export.md", "people.json", "sub/../export.md", "."],
    ids=["a-day-file", "top", "a-journal-file", "through-dotdot", "the-folder"],
)
@pytest.mark.parametrize(
    "command",
    [("export",), ("export", "--format", "csv"), ("recognition", "maya"), ("fairness",)],
    ids=["export", "export-csv", "recognition", "fairness"],
)
def test_a_document_is_never_written_inside_the_journal(
    ally: Run,
    home: Path,
    journal_with_an_ally: dict[str, bytes],
    target: str,
    command: tuple[str, ...],
) -> None:
    (home / "sub").mkdir(mode=0o700, exist_ok=True)
    before = snapshot_bytes(home)
    result = ally(*command, "-o", str(home / target), "--force")
    assert result.exit_code == 2, result
    assert result.stderr.count("\n") == 1, result.stderr
    assert "inside the journal" in result.stderr or "is a folder" in result.stderr
    assert snapshot_bytes(home) == before
    assert ally("list").exit_code == 0


def test_a_journal_reached_through_a_symlink_is_still_the_journal(
    ally: Run, home: Path, tmp_path: Path, journal_with_an_ally: dict[str, bytes]
) -> None:
    door = tmp_path / "door"
    door.symlink_to(home)
    result = ally("export", "-o", str(door / "entries" / "2099-01.json"))
    assert result.exit_code == 2 and "inside the journal" in result.stderr
    assert snapshot_bytes(home) == journal_with_an_ally


@pytest.mark.parametrize(
    "args",
    [["export", "--format", "html"], ["fairness", "--html"], ["recognition", "maya", "-f", "html"]],
    ids=["export", "fairness", "recognition"],
)
def test_a_page_is_not_printed_to_a_terminal_but_goes_to_a_pipe(
    ally: Run, home: Path, args: list[str], journal_with_an_ally: dict[str, bytes]
) -> None:
    env = {**os.environ, "NO_COLOR": "1"}
    seen = run_in_terminal(args, env)
    assert "<html" not in seen and "<!DOCTYPE" not in seen
    assert "is a page for a browser" in seen and "-o FILE" in seen
    piped = subprocess.run([installed_ally(), *args], env=env, capture_output=True, text=True)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout.startswith("<!DOCTYPE html>")


# -- what an editor leaves behind -----------------------------------------------------------

EDITORS = {
    "deletes-its-file": "import os, sys; os.unlink(sys.argv[1])",
    "leaves-a-folder": "import os, sys; os.unlink(sys.argv[1]); os.mkdir(sys.argv[1])",
    "saves-latin-1": "import sys; open(sys.argv[1], 'wb').write('Caf\\xe9 with Maya'.encode('latin-1'))",
}


@pytest.mark.parametrize("behaviour", list(EDITORS))
@pytest.mark.parametrize(
    "command", [("edit", "{id}"), ("win",), ("review", "--reflect")], ids=["edit", "win", "reflect"]
)
def test_an_editor_that_leaves_no_text_saves_nothing(
    ally_process: Run,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    behaviour: str,
    command: tuple[str, ...],
) -> None:
    ally_process("win", "Shipped the fix")
    entry_id = ally_process("list", "--json").json()[0]["id"]
    script = tmp_path / "editor.py"
    script.write_text(EDITORS[behaviour])
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    before = snapshot_bytes(home)
    args = [part.format(id=entry_id) for part in command]
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    # The editor opens only at a terminal; the pseudo-terminal is where a person would be.
    seen = run_in_terminal(args, {**os.environ, "TMPDIR": str(scratch)}, typed="")
    assert "Traceback" not in seen, seen
    assert "nothing was saved" in seen, seen
    assert snapshot_bytes(home) == before
    assert list(scratch.iterdir()) == []  # what was written about a colleague does not linger


@pytest.mark.parametrize(
    "args",
    [
        ["win", "\x01\x02"],
        ["win", "\x1b\x07\r\n"],
        ["win", "Shipped", "--impact", "\x1b"],
        ["helped", "maya", "\u202e\u202c"],
        ["goal", "add", "maya", "\x00"],
        ["promise", "make", "maya", "\x7f"],
    ],
    ids=["c0", "an-escape", "impact-escape", "bidi", "goal-nul", "promise-del"],
)
def test_text_of_nothing_but_control_characters_is_empty(
    ally: Run, home: Path, journal_with_an_ally: dict[str, bytes], args: list[str]
) -> None:
    result = ally(*args)
    assert result.exit_code == 2, result
    assert "empty" in result.stderr or "needs its text" in result.stderr
    assert result.stderr.count("\n") == 1 and "\x1b" not in result.stderr
    assert snapshot_bytes(home) == journal_with_an_ally


def test_an_edit_form_whose_text_is_a_nul_saves_nothing(
    ally_process: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ally_process("win", "Shipped the fix")
    entry_id = ally_process("list", "--json").json()[0]["id"]
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\n"
        "head = open(sys.argv[1]).read().partition('\\n\\n')[0]\n"
        "open(sys.argv[1], 'w').write(head + '\\n\\n\\x00\\n')\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    before = snapshot_bytes(home)
    seen = run_in_terminal(["edit", entry_id], dict(os.environ), typed="n\n")
    assert "text below the blank line is empty" in seen, seen
    assert snapshot_bytes(home) == before
