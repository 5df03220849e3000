"""The docs are a contract: every command has its own help with an example, is shown as
`ally <command>` in the README or a topic page of docs/, and the docs speak the journal's one
vocabulary. (docs/reference.md is generated from --help, so it proves nothing here:
tests/test_reference.py keeps it current.)"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import typer

from allyjournal.cli import COMMANDS, app
from allyjournal.core.vocabulary import CAREER_KINDS, HELP_KINDS, LEVELS, words_list

from helpers import Run, installed_ally

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOPIC_PAGES = sorted(
    page
    for page in (ROOT / "docs").glob("*.md")
    if page.name not in {"reference.md", "changelog.md"}
)
DOCS = "\n".join([README, *(page.read_text(encoding="utf-8") for page in TOPIC_PAGES)])
DOCS_WORDS = " ".join(DOCS.split())  # prose wraps; compare it as one line


def all_commands() -> list[tuple[tuple[str, ...], Any]]:
    """Every command and subcommand, found the way a user's `ally` finds them."""
    root = typer.main.get_command(app)
    context = typer.Context(root)
    found: list[tuple[tuple[str, ...], Any]] = []
    for name in root.list_commands(context):  # type: ignore[attr-defined]
        command = root.get_command(context, name)  # type: ignore[attr-defined]
        found.append(((name,), command))
        group_context = typer.Context(command, parent=context)
        for sub in getattr(command, "list_commands", lambda _: [])(group_context):
            subcommand = command.get_command(group_context, sub)
            if not getattr(subcommand, "hidden", False):  # reached another way (promise)
                found.append(((name, sub), subcommand))
    return found


COMMAND_LIST = all_commands()
IDS = [" ".join(path) for path, _ in COMMAND_LIST]


@pytest.mark.parametrize(("path", "command"), COMMAND_LIST, ids=IDS)
def test_every_command_has_its_own_help_with_an_example(
    path: tuple[str, ...], command: Any
) -> None:
    assert command is not None, f"`ally {' '.join(path)}` cannot be loaded"
    text = (command.help or "").strip()
    assert text, f"`ally {' '.join(path)}` has no help text (its docstring)"
    assert "Example" in text or "ally " in text, f"`ally {' '.join(path)} --help` shows no example"


@pytest.mark.parametrize(("path", "command"), COMMAND_LIST, ids=IDS)
def test_every_command_is_shown_in_the_docs(path: tuple[str, ...], command: Any) -> None:
    named = re.search(rf"(?<![\w-])ally {re.escape(' '.join(path))}(?![\w-])", DOCS)
    assert named, f"neither README.md nor a page of docs/ shows `ally {' '.join(path)}`"


@pytest.mark.parametrize("name", list(COMMANDS))
def test_the_console_script_loads_every_command(name: str) -> None:
    """The path users run: the installed `ally`, one fresh process per command."""
    executable = installed_ally()
    completed = subprocess.run(
        [str(executable), name, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert completed.returncode == 0, completed.stderr
    assert f"Usage: ally {name}" in completed.stdout


def test_version(ally: Run) -> None:
    result = ally("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("allyjournal ")


def test_the_docs_list_the_kinds_and_levels_of_help_from_the_vocabulary() -> None:
    assert ", ".join(f"`{kind}`" for kind in HELP_KINDS) in DOCS_WORDS
    assert ", ".join(f"`{level}`" for level in LEVELS) in DOCS_WORDS


def test_the_docs_name_the_career_kinds_the_review_nudges_about() -> None:
    assert f"no {words_list(CAREER_KINDS)} in 12 weeks" in DOCS_WORDS


def test_the_readme_is_a_front_door() -> None:
    """About 200 lines, with both Quickstart lines as CI runs them, and a link to every page."""
    assert len(README.splitlines()) <= 210
    assert "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/ally demo" in README
    assert re.search(r"^python3 -m venv .*pytest$", README, re.MULTILINE)
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"docs/{page.name}" in README, f"README.md does not link docs/{page.name}"


def test_an_unknown_command_is_one_line_and_exit_2(ally: Run) -> None:
    result = ally("revew")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("ally: ")
    assert "review" in result.stderr


HELP_PATHS = [(), *(path for path, _ in COMMAND_LIST)]
HELP_IDS = ["ally", *IDS]


def rendered_help(path: tuple[str, ...], columns: int) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("path", HELP_PATHS, ids=HELP_IDS)
def test_help_reads_well_at_80_columns(path: tuple[str, ...]) -> None:
    """Examples on their own whole lines, prose wrapped only by the terminal, and one way of
    writing placeholders (WHEN, HANDLE, [TEXT]...)."""
    narrow = rendered_help(path, 80)
    assert max(len(line) for line in narrow.splitlines()) <= 80
    lines = [line.strip() for line in narrow.splitlines()]
    wide = rendered_help(path, 400)
    description = wide.split("╭")[0].splitlines()
    examples = [line.strip() for line in description if line.strip().startswith("$ ")]
    if path:
        assert examples, "no example in --help"
    for example in examples:
        assert example in lines, f"example wrapped at 80 columns: {example}"
    for line in description:
        prose = line.strip()
        if not prose or prose in examples or prose.startswith("Usage:"):
            continue
        assert prose.endswith((".", ":", "?", ")", "!")), f"line broken mid-sentence: {prose}"
    assert not re.search(r"<(str|int|path|file|text)\b", narrow), narrow
    usage = next(line for line in lines if line.startswith("Usage:"))
    assert not re.search(r"[a-z_]+[}\]]", usage), usage  # {HANDLE} [TEXT]..., not {handle}
