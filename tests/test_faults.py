"""Fault injection, as SQLite's test harness does it: every change command is run again and
again, its Nth file operation failing (disk full) or interrupted (Ctrl-C), for every N.

After each run, a fresh command must see the journal either exactly as it was before or
exactly as the command leaves it, with the undo log to match, the indexes agreeing with the
entries, `ally doctor` finding nothing, and the failed run must have said so in one line.
"""

from __future__ import annotations

import errno
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from allyjournal.cli import app
from allyjournal.journal import doctor, indexes
from allyjournal.journal import journal as journal_module
from allyjournal.store import Journal

from helpers import (
    FILE_OPERATIONS,
    Run,
    commands,
    failing_at,
    fault_steps,
    operations_counted,
    undo_depth,
    visible_state,
)


def disk_full() -> BaseException:
    return OSError(errno.ENOSPC, "No space left on device")


def interrupt() -> BaseException:
    return KeyboardInterrupt()


@pytest.mark.parametrize("fault", [disk_full, interrupt], ids=["disk-full", "ctrl-c"])
@pytest.mark.parametrize(
    "name",
    [
        "win",
        "win-folding",
        "helped",
        "edit",
        "delete",
        "import",
        "import-spilled",
        "rename",
        "add-person",
        "undo",
        "restore",
        "config",
        "goal",
        "promise",
        "check-in",
        "team",
        "thanks",
        "goal-done",
        "keeps",
        "promise-edit",
        "recover",
        "people-merge",
        "typed-win",
        "learned",
        "chore",
        "recognition-wish",
        "topic",
    ],
)
def test_a_fault_at_every_step_leaves_before_or_after_and_nothing_else(
    template: Path,
    tmp_path: Path,
    name: str,
    fault: Callable[[], BaseException],
    ally: Run,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if name == "import-spilled":  # the path of a large import: scratch files, early staging
        monkeypatch.setattr(journal_module, "SPILL_EVERY", 1)
        name = "import"
    folding = name == "win-folding"  # the change that folds the recent ids into the buckets
    if folding:
        assert (template / indexes.RECENT).exists()
        monkeypatch.setattr(indexes, "FOLD", 0)
        name = "win"
    runner = CliRunner()
    reference = tmp_path / "reference" / "journal"
    shutil.copytree(template.parent, reference.parent)
    before, depth = visible_state(reference), undo_depth(reference)
    env = {"ALLYJOURNAL_HOME": str(reference)}
    clean = runner.invoke(app, list(commands(reference)[name]), env=env)
    assert clean.exit_code == 0, clean.output
    after = visible_state(reference)
    assert after != before
    assert (reference / indexes.RECENT).exists() != folding
    undoable = undo_depth(reference) != depth

    number = 0
    while True:
        number += 1
        home = tmp_path / f"run{number}" / "journal"
        shutil.copytree(template.parent, home.parent)
        env = {"ALLYJOURNAL_HOME": str(home)}
        with failing_at(number, fault) as count:
            result = runner.invoke(app, list(commands(home)[name]), env=env)
        reached = count.value >= number
        state = visible_state(home)
        if result.exit_code == 0:  # a fault it could do without (a cleanup, a link copied)
            assert state == after, (number, result.output)
        else:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("ally: "), (number, result.stderr)
            assert state in (before, after), (number, result.stderr)
        expected_depth = depth + (undoable if state == after else 0)
        if name == "undo":
            expected_depth = depth - 1 if state == after else depth
        assert undo_depth(home) == expected_depth, number
        assert not Journal(home).stale_indexes(), number
        problems = [p for p in doctor.examine(Journal(home)).problems]
        assert problems == [], (number, problems)
        assert not (home / "commit.json").exists()  # rolled forward by the first reader
        shutil.rmtree(home.parent)
        if not reached:
            assert state == after
            break
    assert number > 5  # the command did go through several file operations


@pytest.mark.parametrize("fault", [disk_full, interrupt], ids=["disk-full", "ctrl-c"])
def test_a_fault_at_every_step_of_encrypting_leaves_it_plain_or_sealed(
    template: Path,
    tmp_path: Path,
    fault: Callable[[], BaseException],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`ally encrypt` rewrites every file: a fault at any step leaves the journal wholly in
    clear or wholly sealed, reading the same either way, never a mix."""
    from allyjournal.journal import crypto

    # A cheaper scrypt for the test (the marker records the parameters a key was made with);
    # the passphrase is given to `encrypt` only: readers then use the key file it keeps.
    monkeypatch.setattr(crypto, "SCRYPT", {"n": 2**10, "r": 8, "p": 1})
    given = {"ALLYJOURNAL_PASSPHRASE_COMMAND": "echo correct horse battery staple"}
    runner = CliRunner()
    before = visible_state(template)

    def sealed(home: Path) -> set[bool]:
        data = [*(home / "entries").glob("*.json"), *(home / "index").rglob("*.json")]
        data += [
            home / name
            for name in ("people.json", "goals.json", "promises.json", "config.json")
            if (home / name).exists()
        ]
        return {path.read_bytes().startswith(b"ALLYENC1") for path in data}

    number = 0
    while True:
        number += 1
        home = tmp_path / f"run{number}" / "journal"
        shutil.copytree(template.parent, home.parent)
        monkeypatch.setenv("ALLYJOURNAL_KEY_DIR", str(tmp_path / f"keys{number}"))
        with failing_at(number, fault) as count:
            result = runner.invoke(app, ["encrypt"], env={"ALLYJOURNAL_HOME": str(home), **given})
        reached = count.value >= number
        if result.exit_code != 0:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("ally: "), (number, result.stderr)
        assert visible_state(home) == before, number  # reads, whole, either way
        assert len(sealed(home)) == 1, (number, sealed(home))  # all sealed or none
        assert doctor.examine(Journal(home)).problems == [], number
        assert not (home / "commit.json").exists()
        shutil.rmtree(home.parent)
        if not reached:
            assert result.exit_code == 0
            break
    assert number > 5


@pytest.mark.parametrize("fault", [disk_full, interrupt], ids=["disk-full", "ctrl-c"])
def test_a_fault_at_every_step_of_a_sync_loses_nothing_and_the_next_sync_finishes(
    tmp_path: Path, fault: Callable[[], BaseException], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ally sync` merging the other machine's changes, its Nth file operation failing: this
    machine's journal reads, keeps everything it had, and one more sync settles both."""
    import subprocess

    runner = CliRunner()

    def ally_on(home: Path, *args: str) -> Any:
        return runner.invoke(app, ["--home", str(home), *args])

    base = tmp_path / "base"
    subprocess.run(["git", "init", "-q", "--bare", str(base / "remote.git")], check=True)
    here, there = base / "here", base / "there"
    ally_on(here, "helped", "maya", "Reviewed her doc", "--date", "2026-11-20")
    assert ally_on(here, "sync", "init", str(base / "remote.git")).exit_code == 0
    assert ally_on(there, "sync", "init", str(base / "remote.git")).exit_code == 0
    ally_on(there, "win", "Logged over there", "--date", "2026-11-21")
    ally_on(there, "people", "rename", "maya", "maya-p")
    assert ally_on(there, "sync").exit_code == 0
    ally_on(here, "win", "Logged here", "--date", "2026-11-21")
    expected = {"Reviewed her doc", "Logged over there", "Logged here"}

    def texts(home: Path) -> set[str]:
        return {entry.text for entry in Journal(home).entries()}

    def copy(name: str) -> Path:
        run = tmp_path / name
        shutil.copytree(base, run, symlinks=True)
        for machine in ("here", "there"):
            remote = str(run / "remote.git")
            subprocess.run(
                ["git", "-C", str(run / machine), "remote", "set-url", "origin", remote],
                check=True,
            )
        return run

    probe = copy("probe")
    total = operations_counted(lambda: ally_on(probe / "here", "sync"), FILE_OPERATIONS)
    shutil.rmtree(probe)
    assert total > 5
    for number in fault_steps(total, 16):
        run = copy(f"run{number}")
        with failing_at(number, fault) as count:
            result = ally_on(run / "here", "sync")
        if count.value < number:  # the run with no fault
            assert result.exit_code == 0
        if result.exit_code != 0:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("ally: "), (number, result.stderr)
        assert {"Reviewed her doc", "Logged here"} <= texts(run / "here"), number
        for machine in ("here", "there"):  # finishes the job, then takes it along
            again = ally_on(run / machine, "sync")
            assert again.exit_code == 0, (number, again.stdout + again.stderr)
        assert texts(run / "here") == texts(run / "there") == expected, number
        assert {p.handle for p in Journal(run / "here").people()} == {"maya-p"}, number
        assert doctor.examine(Journal(run / "here")).problems == [], number
        shutil.rmtree(run)
