"""Older journals are upgraded in place after a backup; newer ones are refused."""

from __future__ import annotations

import json
from pathlib import Path

from allyjournal.journal.layout import SCHEMA_VERSION

from helpers import Run

LEGACY = {
    "entries": {
        "1": {
            "id": "a" * 32,
            "kind": "win",
            "date": "2026-10-05",
            "text": "Old win #ci",
            "size": "big",
            "impact": "fast",
            "tags": ["ci"],
        },
        "2": {
            "id": "b" * 32,
            "kind": "help",
            "date": "2026-11-16",
            "text": "Old help",
            "tags": [],
            "ally": "maya",
            "help_kind": "intro",
            "level": None,
        },
    },
    "people": {"1": {"handle": "maya", "name": "Maya Patel"}},
}


def write_legacy(home: Path) -> bytes:
    home.mkdir(mode=0o700, exist_ok=True)
    raw = json.dumps(LEGACY).encode()
    (home / "journal.json").write_bytes(raw)
    (home / "journal.json").chmod(0o600)
    return raw


def test_single_file_journal_is_migrated_and_kept_in_a_backup(ally: Run, home: Path) -> None:
    raw = write_legacy(home)
    listed = ally("list", "--json")
    assert listed.exit_code == 0, listed
    assert [e["text"] for e in listed.json()] == ["Old help", "Old win #ci"]
    assert not (home / "journal.json").exists()
    assert json.loads((home / "allyjournal.json").read_text())["schema"] == SCHEMA_VERSION
    kept = list((home / "backups").glob("*/journal.json"))
    assert [path.read_bytes() for path in kept] == [raw]
    assert "Maya Patel" in ally("people").stdout
    assert ally("review", "2026-11-16", "--json").json()["allies_helped"] == 1
    assert ally("show", "aaaa", "--json").json()["impact"] == "fast"


def test_interrupted_migration_runs_again_without_duplicates(ally: Run, home: Path) -> None:
    write_legacy(home)
    staged = home / ".staging" / "0123abcd"  # as if a crash hit a first attempt mid-way
    staged.mkdir(parents=True)
    (staged / "0").write_text('{"entries": {}}')
    assert len(ally("list", "--json").json()) == 2
    assert len(ally("list", "--json").json()) == 2
    assert not (home / ".staging").exists()


def write_schema_1(home: Path, *, half_done: bool = False) -> None:
    """A journal as allyjournal wrote it with one partition per month (schema 1)."""
    (home / "entries").mkdir(mode=0o700, parents=True)
    home.chmod(0o700)
    records = LEGACY["entries"]
    october = {"1": records["1"]}
    november = {"1": records["2"], "2": {**records["2"], "id": "c" * 32, "text": "Later help"}}
    files = {
        "allyjournal.json": {"format": "allyjournal", "schema": 1},
        "people.json": {"people": LEGACY["people"]},
        "undo/log.json": [{"id": "d" * 32, "summary": "old", "at": "2026-11-01", "files": []}],
        "entries/2026-11.json": {"entries": november},
    }
    if half_done:  # a crash after October was split, before the schema number changed
        files["entries/2026-10-05.json"] = {"entries": october}
    else:
        files["entries/2026-10.json"] = {"entries": october}
    for name, content in files.items():
        (home / name).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        (home / name).write_text(json.dumps(content))
        (home / name).chmod(0o600)


def test_month_partitions_are_split_into_days(ally: Run, home: Path) -> None:
    write_schema_1(home)
    before = {p.name: p.read_bytes() for p in (home / "entries").iterdir()}
    listed = ally("list", "--json")
    assert listed.exit_code == 0, listed
    assert [e["text"] for e in listed.json()] == ["Later help", "Old help", "Old win #ci"]
    assert sorted(p.name for p in (home / "entries").iterdir()) == [
        "2026-10-05.json",
        "2026-11-16.json",
    ]
    assert json.loads((home / "allyjournal.json").read_text())["schema"] == SCHEMA_VERSION
    kept = {p.name: p.read_bytes() for p in (home / "backups").glob("*/entries/*.json")}
    assert kept == before  # the months as they were, in the backup taken first
    assert ally("show", "cccc", "--json").json()["text"] == "Later help"
    assert ally("review", "2026-11-16", "--json").json()["allies_helped"] == 1
    assert "Nothing to undo" in ally("undo").stderr  # the old history named month files
    assert "No problems found" in ally("doctor").stdout


def test_an_interrupted_split_is_finished_by_the_next_command(ally: Run, home: Path) -> None:
    write_schema_1(home, half_done=True)
    assert len(ally("list", "--json").json()) == 3
    assert sorted(p.name for p in (home / "entries").iterdir()) == [
        "2026-10-05.json",
        "2026-11-16.json",
    ]
    assert "No problems found" in ally("doctor").stdout
