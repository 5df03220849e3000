"""Every refusal is one `ally:` line on stderr, with the same exit code for the same refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Run, snapshot_bytes


@pytest.mark.parametrize(
    "args",
    [
        ("review", "--json", "--plain"),
        ("list", "--no-such-option"),
        ("list", "-n", "many"),
        ("export", "--format", "odt"),
        ("revew",),
        ("helped",),
        ("promise", "maya", "Intro to the VP", "--by", ""),
        ("promise", "maya", "Intro to the VP", "--by", "  "),
        ("goal", "add", "maya", "Staff engineer", "--due", ""),
        ("thanks", "sam", "Covered my shift", "--for", ""),
        ("export", "--from", "2026-11-10", "--to", "2026-11-01"),
        ("export", "--from", ""),
        ("recognition", "maya", "--to", " "),
    ],
    ids=[
        "exclusive-outputs",
        "unknown-option",
        "bad-number",
        "bad-choice",
        "typo",
        "missing",
        "empty-by",
        "blank-by",
        "empty-due",
        "empty-for",
        "from-after-to",
        "empty-from",
        "blank-to",
    ],
)
def test_usage_errors_are_one_line_exit_2_and_write_nothing(
    ally: Run, home: Path, args: tuple[str, ...]
) -> None:
    ally("win", "Something to keep")
    ally("helped", "maya", "Reviewed her doc")
    before = snapshot_bytes(home)
    result = ally(*args)
    assert result.exit_code == 2, result
    assert result.stderr.startswith("ally: ")
    assert result.stderr.count("\n") == 1, result.stderr
    assert "Usage" not in result.stderr and "╭" not in result.stderr
    assert snapshot_bytes(home) == before


@pytest.mark.parametrize(
    ("stored", "shown"),
    [('{"goal": "three"}', "'three'"), ('{"week-start": 7}', "7"), ('{"backups": true}', "True")],
)
def test_a_bad_setting_in_config_json_is_named_not_a_traceback(
    ally: Run, home: Path, stored: str, shown: str
) -> None:
    ally("win", "Something to keep")
    (home / "config.json").write_text(stored)
    (home / "config.json").chmod(0o600)
    result = ally("review")
    assert result.exit_code == 2, result
    key = next(iter(json.loads(stored)))
    assert f"config.json: setting '{key}' is {shown}" in result.stderr
    assert f"ally config {key}" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_bad_setting_can_be_corrected_with_ally_config(ally: Run, home: Path) -> None:
    ally("win", "Something to keep")
    (home / "config.json").write_text('{"goal": "three", "nudge-weeks": 6}')
    (home / "config.json").chmod(0o600)
    assert ally("config", "goal", "4").exit_code == 0
    result = ally("review", "--json")
    assert result.exit_code == 0, result
    assert result.json()["goal"] == 4
    assert ally("config", "nudge-weeks").stdout.strip() == "6"


@pytest.mark.parametrize(
    "command",
    [("delete", "{id}"), ("restore", "{backup}")],
    ids=["delete", "restore"],
)
def test_confirmation_without_a_terminal_is_refused_the_same_way(
    ally: Run, home: Path, command: tuple[str, str]
) -> None:
    ally("win", "Keep me")
    entry_id = ally("list", "--json").json()[0]["id"]
    ally("backup", "mine")
    backup = sorted(path.name for path in (home / "backups").iterdir())[0]
    before = snapshot_bytes(home)
    result = ally(command[0], command[1].format(id=entry_id, backup=backup))
    assert result.exit_code == 2, result
    assert "add --yes" in result.stderr
    assert snapshot_bytes(home) == before
