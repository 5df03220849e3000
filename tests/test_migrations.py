"""Older journals are upgraded in place after a backup; newer ones are refused."""

from __future__ import annotations

import json
from pathlib import Path

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
    home.mkdir(mode=0o700)
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
    assert json.loads((home / "allyjournal.json").read_text())["schema"] == 1
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
