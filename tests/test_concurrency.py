"""Several `ally` processes writing at once: the lock makes every entry land."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from allyjournal.store import Journal

from helpers import Run, installed_ally

CHILD = """
import sys
from datetime import date
from pathlib import Path
from allyjournal.actions import entries
from allyjournal.journal import indexes
from allyjournal.store import Journal

indexes.FOLD = 3  # racing writers also fold the id index's recent file into its buckets
journal = Journal(Path(sys.argv[1]))
for number in range(int(sys.argv[3])):
    entries.log_help(journal, f"ally{number % 3}", f"{sys.argv[2]}-{number}",
                     when=date(2026, 11, 1 + number % 28), allow_new=True)
"""


@pytest.mark.parametrize("processes", [2, 4])
def test_concurrent_writers_lose_nothing(
    tmp_path: Path, processes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLYJOURNAL_LOCK_TIMEOUT", "60")  # a slow CI machine must not time out
    home = tmp_path / "journal"
    each = 25
    children = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(home), f"p{n}", str(each)])
        for n in range(processes)
    ]
    assert [child.wait(timeout=120) for child in children] == [0] * processes
    journal = Journal(home)
    texts = sorted(entry.text for entry in journal.entries())
    assert texts == sorted(f"p{n}-{i}" for n in range(processes) for i in range(each))
    assert not journal.stale_indexes()
    assert {person.handle for person in journal.people()} == {"ally0", "ally1", "ally2"}
    for entry in journal.entries():
        assert journal.get(entry.id[:12]).id == entry.id


def test_concurrent_ally_commands_lose_nothing(
    ally_process: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLYJOURNAL_LOCK_TIMEOUT", "60")
    executable = installed_ally()
    children = [
        subprocess.Popen([str(executable), "win", f"win {n}"], stdout=subprocess.DEVNULL)
        for n in range(6)
    ]
    assert [child.wait(timeout=120) for child in children] == [0] * 6
    listed = ally_process("list", "--json").json()
    assert sorted(entry["text"] for entry in listed) == sorted(f"win {n}" for n in range(6))


def test_a_held_lock_gives_a_clear_message(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allyjournal.journal import files

    monkeypatch.setenv("ALLYJOURNAL_LOCK_TIMEOUT", "0.2")
    ally("win", "first")
    with files.locked(home):
        result = ally("win", "blocked")
    assert result.exit_code == 4
    assert "busy" in result.stderr
    assert ".lock" in result.stderr
    assert [e["text"] for e in ally("list", "--json").json()] == ["first"]


def test_readers_never_wait_for_a_busy_writer(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from allyjournal.journal import files

    monkeypatch.setenv("ALLYJOURNAL_LOCK_TIMEOUT", "0.2")
    ally("helped", "maya", "Career chat", "--date", "2026-11-20")
    entry_id = ally("list", "--json").json()[0]["id"]
    with files.locked(home):  # a writer in the middle of a long change
        for command in (
            ("list",),
            ("review", "--json"),
            ("show", entry_id[:8]),
            ("export", "--format", "json"),
            ("people",),
            ("doctor",),
        ):
            result = ally(*command)
            assert result.exit_code == 0, (command, result)
        assert ally("win", "Has to wait").exit_code == 4
