"""Crashes: a kill -9 at any moment never leaves an unreadable journal or loses an entry.

A child process logs wins in a loop and prints each id once `add` has returned (the moment
`ally win` would tell the user). The parent kills it at a random moment, then checks that the
journal reads, that every acknowledged entry is there, and that the indexes agree.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from allyjournal.actions import entries
from allyjournal.store import Journal

CHILD = """
import sys
from datetime import date
from pathlib import Path
from allyjournal.actions import entries
from allyjournal.journal import indexes
from allyjournal.store import Journal

indexes.FOLD = 4  # the id index's recent file folded into its buckets every few entries
journal = Journal(Path(sys.argv[1]))
for number in range(10_000):
    kind = number % 3
    if kind == 2:
        logged = entries.log_help(journal, f"ally{number % 5}", f"help {number}",
                                  when=date(2026, 1 + number % 12, 1 + number % 28), allow_new=True)
    else:
        logged = entries.log_win(journal, f"win {number} #crash", when=date(2026, 11, 23))
    print(logged.entry.id, flush=True)
"""


def killed_at_random(code: str, home: Path, after: float) -> str:
    """Run `code` on the journal in a child process, SIGKILL it after `after` seconds, and
    return what it had printed (what it had told the user) by then."""
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(home)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    time.sleep(after)
    child.send_signal(signal.SIGKILL)
    output, _ = child.communicate()
    return output


def test_kill_9_at_random_moments_never_loses_an_acknowledged_entry(tmp_path: Path) -> None:
    home = tmp_path / "journal"
    rng = random.Random(1234)
    acknowledged: set[str] = set()
    for _round in range(15):
        output = killed_at_random(CHILD, home, rng.uniform(0.3, 0.9))
        acknowledged.update(line for line in output.split() if len(line) == 32)

        journal = Journal(home)
        stored = {entry.id for entry in journal.entries()}  # reads, recovering if needed
        assert acknowledged <= stored
        assert not journal.stale_indexes()
        assert not (home / "pending.json").exists()
    assert len(acknowledged) >= 5  # the children did get work done between kills
    journal = Journal(home)
    for entry_id in acknowledged:  # through the id index: buckets and the recent file
        assert journal.get(entry_id[:12]).id == entry_id


EDITOR_CHILD = """
import sys
from datetime import date
from pathlib import Path
from allyjournal.actions import entries, people
from allyjournal.actions import entries
from allyjournal.store import Journal

journal = Journal(Path(sys.argv[1]))
names = [person.handle for person in journal.people()]
for number in range(10_000):
    every = list(journal.entries())
    target = every[number % len(every)]
    month = 1 + number % 12
    entries.edit_entry(journal, target.id, text=f"edit {number}", when=date(2026, month, 3))
    print("edited", target.id, flush=True)
    old = names[number % len(names)]
    new = f"p{number}"
    people.rename(journal, old, new)
    names[number % len(names)] = new
    print("renamed", old, new, flush=True)
"""


def test_kill_9_during_edits_and_renames_loses_nothing_and_half_applies_nothing(
    tmp_path: Path,
) -> None:
    home = tmp_path / "journal"
    journal = Journal(home)
    for number in range(30):
        entries.log_help(
            journal, f"ally{number % 5}", f"help {number}", when=date(2026, 11, 2), allow_new=True
        )
    original = {entry.id for entry in journal.entries()}
    rng = random.Random(99)
    done = 0
    for _round in range(10):
        output = killed_at_random(EDITOR_CHILD, home, rng.uniform(0.4, 1.0))
        done += output.count("renamed")
        journal = Journal(home)
        stored = list(journal.entries())
        assert {entry.id for entry in stored} == original  # moved, edited, never lost
        assert len(stored) == len(original)
        handles = {person.handle for person in journal.people()}
        assert len(handles) == 5
        assert {entry.ally for entry in stored} <= handles  # no rename half-applied
        assert not journal.stale_indexes()
        assert not (home / "commit.json").exists()
    assert done >= 5  # the children did get edits and renames done between kills


IMPORT_RESTORE_CHILD = """
import sys
from pathlib import Path
from allyjournal.actions import importing
from allyjournal.formats.json import read_export
from allyjournal.journal import journal as journal_module
from allyjournal.store import Journal

journal_module.SPILL_EVERY = 7  # the path of a large import: scratch files, days staged early
home, batches, backup = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
journal = Journal(home)
for number in range(10_000):
    if number % 4 == 3:
        journal.restore(backup)
        print("restored", flush=True)
        continue
    batch = batches / f"batch-{number % 40}.json"
    importing.import_parsed(journal, read_export(batch), source=batch.name, dry_run=False)
    print("imported", batch.stem, flush=True)
"""


def test_kill_9_during_imports_and_restores_keeps_or_finishes_each_whole(tmp_path: Path) -> None:
    """A large import (spilled, days staged early, flushed together before the record) and a
    restore (no snapshot first, only its undo record): killed at any moment, the journal is
    what the last acknowledged command left, or that plus the whole command in flight."""
    import json

    from allyjournal.actions import importing
    from allyjournal.formats.json import read_export

    home, batches = tmp_path / "journal", tmp_path / "batches"
    batches.mkdir()
    journal = Journal(home)
    for number in range(12):
        entries.log_win(journal, f"base {number}", when=date(2026, 10, 1 + number))
    base = {entry.id for entry in journal.entries()}
    backup = journal.snapshot("base", automatic=False)
    ids: dict[str, set[str]] = {}
    for batch in range(40):
        records = [
            {
                "id": f"{batch:04d}{number:028d}",
                "kind": "win",
                "date": f"2026-{1 + number % 9:02d}-{1 + (batch + number) % 27:02d}",
                "text": f"imported {batch}/{number}",
                "tags": [],
            }
            for number in range(30)
        ]
        path = batches / f"batch-{batch}.json"
        path.write_text(json.dumps({"format": "allyjournal", "version": 1, "entries": records}))
        ids[path.stem] = {record["id"] for record in records}
    rng = random.Random(2026)
    acknowledged, imports, restores = set(base), 0, 0
    for _round in range(10):
        child = subprocess.Popen(
            [sys.executable, "-c", IMPORT_RESTORE_CHILD, str(home), str(batches), backup],
            stdout=subprocess.PIPE,
            text=True,
        )
        time.sleep(rng.uniform(0.3, 0.9))
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate()
        for line in output.splitlines():
            if line == "restored":
                acknowledged = set(base)
                restores += 1
            elif line.startswith("imported "):
                acknowledged |= ids[line.split()[1]]
                imports += 1
        stored = {entry.id for entry in Journal(home).entries()}  # reads, rolling forward
        in_flight = [acknowledged | batch_ids for batch_ids in ids.values()]
        assert stored in (acknowledged, base) or stored in in_flight
        assert not Journal(home).stale_indexes()
        assert not (home / "commit.json").exists()
        acknowledged = stored  # what the next child starts from
    assert imports >= 5 and restores >= 1  # the children did get work done between kills
    # Whatever the kills interrupted, the journal still imports and restores.
    importing.import_parsed(
        Journal(home), read_export(batches / "batch-0.json"), source="again", dry_run=False
    )
    Journal(home).restore(backup)
    assert {entry.id for entry in Journal(home).entries()} == base


def test_the_first_change_stopped_before_its_marker_lands_is_finished_by_the_next(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The change that creates a journal makes its folders, then moves its files in, the
    format marker first. Stopped between the two (a crash, or a reader looking just then),
    the next command must finish it from its commit record, not call the journal damaged."""
    real_replace = os.replace

    def stopped_at_the_marker(source: str, target: str) -> None:
        if str(target).endswith("allyjournal.json"):
            raise OSError(errno.EIO, "stopped")
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", stopped_at_the_marker)
    with contextlib.suppress(Exception):
        entries.log_win(Journal(home), "The first win", when=date(2026, 11, 23))
    monkeypatch.setattr(os, "replace", real_replace)
    assert (home / "entries").is_dir() and not (home / "allyjournal.json").exists()
    assert (home / "commit.json").exists()
    assert [entry.text for entry in Journal(home).entries()] == ["The first win"]
    assert not Journal(home).stale_indexes()
