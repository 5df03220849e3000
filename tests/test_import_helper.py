"""A large import into a journal without entries merges its later months in a forked helper
process. It must leave exactly what merging everything in one process leaves, and fail,
be interrupted or be killed as a one-process import would: all of it or none of it."""

from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from allyjournal.cli import app
from allyjournal.journal import journal as journal_module
from allyjournal.store import Journal

from helpers import (
    FILE_OPERATIONS,
    Run,
    failing_at,
    fault_steps,
    installed_ally,
    operations_counted,
    visible_state,
)

# Stamped, so the two imports compared byte for byte cannot differ by the second each ran in.
STAMPS = {"created_at": "2025-12-31T12:00:00+00:00", "updated_at": "2025-12-31T12:00:00+00:00"}


def win(number: int, day: str, text: str | None = None) -> dict[str, object]:
    return {
        "id": f"{number:032x}",
        "kind": "win",
        "date": day,
        "text": text or f"win {number}",
        "tags": ["t"],
        **STAMPS,
    }


def helped(number: int, day: str, handle: str) -> dict[str, object]:
    return {
        "id": f"{number:032x}",
        "kind": "help",
        "date": day,
        "text": f"helped {handle}",
        "ally": handle,
        "help_kind": "intro",
        "level": "interpersonal",
        **STAMPS,
    }


def export(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"format": "allyjournal", "version": 1, "entries": entries}))
    return path


def a_year(tmp_path: Path, wins: int = 120) -> Path:
    """Wins and help over twelve months, with ids repeated: across the two halves (January and
    October: January's is kept, as merging in order keeps the earliest day's), twice within
    the later half, and twice within one day."""
    entries = [win(n, f"2025-{1 + n % 12:02d}-{1 + n % 27:02d}") for n in range(1, wins + 1)]
    entries += [helped(500 + n, f"2025-{1 + n % 12:02d}-15", f"ally{n % 4}") for n in range(24)]
    entries += [
        win(13, "2025-10-03", "the same id, later: dropped"),
        win(14, "2025-11-20", "the same id, later: dropped"),
        win(1000, "2025-09-09", "first in the later half"),
        win(1000, "2025-12-30", "the same id, later still: dropped"),
        win(1001, "2025-12-01", "twice on one day"),
        win(1001, "2025-12-01", "twice on one day: dropped"),
    ]
    return export(tmp_path / "year.json", entries)


def imported(home: Path, path: Path, *, helper: bool, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(journal_module, "SPILL_EVERY", 5)
    monkeypatch.setattr(journal_module, "HELPER_FROM", 0 if helper else 1 << 60)
    result = CliRunner().invoke(app, ["import", str(path)], env={"ALLYJOURNAL_HOME": str(home)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_helper_leaves_what_one_process_leaves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = a_year(tmp_path)
    alone, helped_home = tmp_path / "alone", tmp_path / "helped"
    said_alone = imported(alone, path, helper=False, monkeypatch=monkeypatch)
    said = imported(helped_home, path, helper=True, monkeypatch=monkeypatch)
    assert said == said_alone
    assert "Added 146 entries" in said and "4 already in the journal" in said
    for folder in ("entries", "index"):  # the same files, byte for byte
        for file in sorted((alone / folder).rglob("*.json")):
            twin = helped_home / file.relative_to(alone)
            assert twin.read_bytes() == file.read_bytes(), file.relative_to(alone)
    journal = Journal(helped_home)
    texts = {entry.id[-4:]: entry.text for entry in journal.entries()}
    assert texts["000d"] == "win 13" and texts["03e8"] == "first in the later half"
    assert texts["03e9"] == "twice on one day"
    assert not journal.stale_indexes()
    assert not (helped_home / ".staging").exists()
    assert {p.handle: str(p.ally_since) for p in journal.people()} == {
        p.handle: str(p.ally_since) for p in Journal(alone).people()
    }


@pytest.mark.parametrize(
    "fault",
    [lambda: OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt],
    ids=["disk-full", "ctrl-c"],
)
def test_a_fault_at_every_step_of_either_process_imports_all_or_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    fault: Callable[[], BaseException],
) -> None:
    path = a_year(tmp_path, wins=24)
    reference = tmp_path / "reference"
    reference.mkdir(mode=0o700)
    before = visible_state(reference)
    imported(reference, path, helper=True, monkeypatch=monkeypatch)
    after = visible_state(reference)
    names = (*FILE_OPERATIONS, "write")

    def run_in(home: Path) -> Any:
        env = {"ALLYJOURNAL_HOME": str(home)}
        return CliRunner().invoke(app, ["import", str(path)], env=env)

    (tmp_path / "probe").mkdir(mode=0o700)
    total = operations_counted(lambda: run_in(tmp_path / "probe"), names)
    assert total > 60  # both processes' steps are counted
    for number in fault_steps(total, 24):
        home = tmp_path / f"run{number}"
        home.mkdir(mode=0o700)
        with failing_at(number, fault, names):
            result = run_in(home)
        if result.exit_code == 0:
            assert visible_state(home) == after, number
        else:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("ally: "), (number, result.stderr)
            # None of it, or (a fault after the commit record) all of it, finished on reading.
            assert visible_state(home) in (before, after), number
            assert not Journal(home).stale_indexes(), number
        shutil.rmtree(home)


KILLED_CHILD = """
import sys
from pathlib import Path
from allyjournal.actions import importing
from allyjournal.formats.json import read_export
from allyjournal.journal import journal as journal_module
from allyjournal.store import Journal

journal_module.SPILL_EVERY, journal_module.HELPER_FROM = 5, 0
base, path = Path(sys.argv[1]), Path(sys.argv[2])
for number in range(10_000):  # one fresh journal after another, each a helped import
    home = base / f"j{number}"
    importing.import_parsed(Journal(home), read_export(path), source="x", dry_run=False)
    print(number, flush=True)
"""


def test_killed_with_its_helper_at_work_the_import_is_all_or_nothing(tmp_path: Path) -> None:
    entries = [win(n, f"20{15 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}") for n in range(600)]
    path = export(tmp_path / "big.json", entries)
    everything = {str(entry["id"]) for entry in entries}
    interrupted = 0
    for round_ in range(5):
        base = tmp_path / f"round{round_}"
        child = subprocess.Popen(
            [sys.executable, "-c", KILLED_CHILD, str(base), str(path)],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.6 + 0.2 * round_)
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate()
        acknowledged = len(output.split())
        # The helper may outlive its parent for a moment; it holds the lock until it goes, so
        # a change made now waits for it, then discards the staging both left.
        for home in sorted(base.iterdir()):
            journal = Journal(home)
            stored = {entry.id for entry in journal.entries()} if journal.schema() else set()
            number = int(home.name[1:])
            if number < acknowledged:
                assert stored == everything, home
            else:  # the import in flight: all of it, or nothing
                assert stored in (set(), everything), home
                interrupted += not stored
            if stored:
                assert not journal.stale_indexes(), home
    assert interrupted  # kills did land while an import was at work
    last = max((tmp_path / "round0").iterdir(), key=lambda home: int(home.name[1:]))
    again = CliRunner().invoke(app, ["import", str(path)], env={"ALLYJOURNAL_HOME": str(last)})
    assert again.exit_code == 0, again.output  # once the lock is free, the import goes through
    assert {entry.id for entry in Journal(last).entries()} == everything
    assert not (last / ".staging").exists()


def test_an_encrypted_journal_gets_sealed_days_from_the_helper_too(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The helper seals what it stages with the key the importing process opened, and the
    importing process reads a helper's day back through it when it must drop a repeated id."""
    assert ally("people", "add", "maya").exit_code == 0  # a journal, without entries
    passphrase = "correct horse battery staple"
    assert ally("encrypt", input=f"{passphrase}\n{passphrase}\n").exit_code == 0
    monkeypatch.setattr(journal_module, "SPILL_EVERY", 5)
    monkeypatch.setattr(journal_module, "HELPER_FROM", 0)
    result = ally("import", str(a_year(tmp_path)))
    assert result.exit_code == 0, result
    assert "Added 146 entries" in result.stdout
    texts = {entry["id"][-4:]: entry["text"] for entry in ally("list", "--json").json()}
    assert texts["000d"] == "win 13" and texts["03e8"] == "first in the later half"
    for day in (home / "entries").iterdir():
        assert day.read_bytes().startswith(b"ALLYENC1") and b"win" not in day.read_bytes()
    assert "No problems found" in ally("doctor").stdout


RACING_IMPORT = """
import sys
from pathlib import Path
from allyjournal.actions import importing
from allyjournal.formats.json import read_export
from allyjournal.journal import journal as journal_module
from allyjournal.store import Journal

journal_module.SPILL_EVERY, journal_module.HELPER_FROM = 5, 0
shared = []
merge_in_two = journal_module.Journal._merge_in_two
def watched(*args, **kwargs):
    shared.append(1)
    return merge_in_two(*args, **kwargs)
journal_module.Journal._merge_in_two = watched
journal = Journal(Path(sys.argv[1]))
result = importing.import_parsed(journal, read_export(Path(sys.argv[2])), source="x", dry_run=False)
print(result.added, len(shared), flush=True)
"""


@pytest.mark.parametrize("round_", range(2))
def test_two_helped_imports_and_a_win_at_once_store_each_entry_once(
    tmp_path: Path, round_: int
) -> None:
    """Whichever import takes the lock first finds the journal without entries and shares its
    work with a helper (unless the win came first); the other finds every id stored; the win
    is kept whenever it lands. In the second round the win starts once an import has begun."""
    home = tmp_path / "journal"
    entries = [win(n, f"20{15 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}") for n in range(600)]
    path = export(tmp_path / "big.json", entries)
    env = {**os.environ, "ALLYJOURNAL_HOME": str(home), "ALLYJOURNAL_LOCK_TIMEOUT": "60"}
    ally = installed_ally()
    importer = [sys.executable, "-c", RACING_IMPORT, str(home), str(path)]
    children = [
        subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
        for command in (importer, importer)
    ]
    deadline = time.monotonic() + 30
    while round_ and not (home / ".staging").exists() and time.monotonic() < deadline:
        time.sleep(0.005)  # the second round: the win once an import holds the lock
    winner = subprocess.run([ally, "win", f"Raced in round {round_}"], env=env, check=False)
    outputs = [child.communicate(timeout=120)[0].split() for child in children]
    assert [child.returncode for child in children] == [0, 0] and winner.returncode == 0
    assert sorted(int(added) for added, _ in outputs) == [0, 600]
    if round_:  # the first import had the journal to itself, and a helper
        assert sorted(int(helped) for _, helped in outputs) == [0, 1]
    journal = Journal(home)
    stored = [entry.id for entry in journal.entries()]
    assert len(stored) == len(set(stored)) == 601
    assert {str(entry["id"]) for entry in entries} <= set(stored)
    assert any(entry.text == f"Raced in round {round_}" for entry in journal.entries())
    assert not journal.stale_indexes()
