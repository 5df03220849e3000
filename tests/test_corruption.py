"""A journal file that cannot be read stops every command, is named, and is never touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import Run, snapshot_bytes


def damage(path: Path, how: str) -> None:
    if how == "truncated":
        path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "not json":
        path.write_bytes(b"\x00\xffthis is not json")


@pytest.fixture
def journal_with_entries(ally: Run, home: Path) -> Path:
    ally("win", "First win", "--date", "2026-11-02")
    ally("helped", "maya", "Career chat", "--date", "2026-11-03")
    ally("win", "Second win", "--date", "2026-11-20")
    return home


@pytest.mark.parametrize("how", ["truncated", "empty", "not json"])
@pytest.mark.parametrize("name", ["allyjournal.json", "entries/2026-11-20.json", "people.json"])
def test_damaged_file_stops_every_command_and_stays_unchanged(
    ally: Run, journal_with_entries: Path, name: str, how: str
) -> None:
    damage(journal_with_entries / name, how)
    before = snapshot_bytes(journal_with_entries)
    commands = [("list",), ("win", "new"), ("helped", "maya", "x"), ("review", "2026-11-03")]
    if name.startswith("entries"):  # a day's partition stops every command that reads it
        commands = [
            ("list",),
            ("list", "--grep", "win"),
            ("win", "new", "--date", "2026-11-20"),
            ("helped", "maya", "x", "--date", "2026-11-20"),
            ("export", "--period", "2026-11"),
        ]
    else:
        commands.append(("people",))  # the list of allies does not read the entries
    for command in commands:
        result = ally(*command)
        assert result.exit_code != 0, (command, result)
        assert name.split("/")[-1] in result.stderr, (command, result)
        assert "ally doctor" in result.stderr
    assert snapshot_bytes(journal_with_entries) == before


@pytest.mark.parametrize("file_format", ["md", "html", "csv", "json"])
def test_an_export_that_meets_a_damaged_day_leaves_no_file(
    ally: Run, journal_with_entries: Path, tmp_path: Path, file_format: str
) -> None:
    """CSV and JSON are written while the journal is read: a damaged day met half-way stops
    the export with the day named, and the file being written is removed, never left short."""
    damage(journal_with_entries / "entries/2026-11-03.json", "not json")
    out = tmp_path / f"export.{file_format}"
    result = ally("export", "--period", "2026-11", "-f", file_format, "-o", str(out))
    assert result.exit_code != 0, result
    assert "2026-11-03.json" in result.stderr
    assert not out.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export")]


def test_future_version_is_refused_untouched(ally: Run, journal_with_entries: Path) -> None:
    meta = journal_with_entries / "allyjournal.json"
    meta.write_text(json.dumps({"format": "allyjournal", "schema": 99}))
    before = snapshot_bytes(journal_with_entries)
    for command in (("list",), ("win", "new"), ("review",)):
        result = ally(*command)
        assert result.exit_code == 3
        assert "newer allyjournal" in result.stderr
        assert "allyjournal.json" in result.stderr
    assert snapshot_bytes(journal_with_entries) == before


def test_doctor_reports_a_healthy_journal(ally: Run, journal_with_entries: Path) -> None:
    result = ally("doctor")
    assert result.exit_code == 0, result
    assert "3 entries" in result.stdout
    assert "No problems found" in result.stdout


def test_doctor_fix_puts_back_only_the_damaged_partition_and_keeps_it(
    ally: Run, journal_with_entries: Path
) -> None:
    ally("backup", "good")
    ally("win", "Logged after the backup, in another month", "--date", "2026-10-05")
    before = ally("list", "--json").stdout
    damaged = journal_with_entries / "entries/2026-11-20.json"
    damage(damaged, "truncated")
    broken = damaged.read_bytes()
    checked = ally("doctor")
    assert checked.exit_code == 1
    assert "2026-11-20.json" in checked.stdout
    assert ally("list").exit_code == 3
    fixed = ally("doctor", "--fix")
    assert fixed.exit_code == 0, fixed
    assert "put back entries/2026-11-20.json from backup" in fixed.stdout
    assert ally("list", "--json").stdout == before  # October's newer win is still there
    kept = list(journal_with_entries.glob("entries/2026-11-20.json.damaged-*"))
    assert [path.read_bytes() for path in kept] == [broken]
    assert "No problems found" in ally("doctor").stdout


def test_doctor_rebuilds_stale_indexes(ally: Run, journal_with_entries: Path) -> None:
    for index in (journal_with_entries / "index" / "ids").glob("*.json"):
        index.unlink()
    assert "index files disagree with the entries" in ally("doctor").stdout
    assert ally("doctor", "--fix").exit_code == 0
    assert "No problems found" in ally("doctor").stdout
    entry_id = ally("list", "--json").json()[0]["id"]
    assert ally("show", entry_id[:8]).exit_code == 0


def test_interrupted_change_is_finished_by_the_next_command(
    ally: Run, journal_with_entries: Path
) -> None:
    (journal_with_entries / "index" / "helps" / "2026-11.json").unlink()
    (journal_with_entries / "pending.json").write_text("{}")
    assert review_allies(ally) == 1
    assert not (journal_with_entries / "pending.json").exists()


def review_allies(ally: Run) -> int:
    data: int = ally("review", "2026-11-03", "--json").json()["allies_helped"]
    return data


def test_readable_journal_gets_a_privacy_warning_and_doctor_fixes_it(
    ally: Run, journal_with_entries: Path
) -> None:
    journal_with_entries.chmod(0o755)
    (journal_with_entries / "people.json").chmod(0o644)
    warned = ally("list")
    assert warned.exit_code == 0
    assert "can be read by other users" in warned.stderr
    assert ally("doctor", "--fix").exit_code == 0
    assert journal_with_entries.stat().st_mode & 0o077 == 0
    assert (journal_with_entries / "people.json").stat().st_mode & 0o077 == 0
    assert "can be read" not in ally("list").stderr


@pytest.mark.parametrize(
    "derived", ["index/ids", "index/helps/2026-11.json", "index/weeks.json", "undo/log.json"]
)
def test_a_damaged_derived_file_never_blocks_logging(
    ally: Run, journal_with_entries: Path, derived: str
) -> None:
    target = journal_with_entries / derived
    paths = sorted(target.glob("*.json")) if target.is_dir() else [target]
    for path in paths:
        path.write_text("{not json")
    result = ally("helped", "maya", "Logged despite the damage", "--date", "2026-11-04")
    assert result.exit_code == 0, result
    if derived != "index/ids":  # a new id's bucket is most likely another, untouched file
        assert "ally: note:" in result.stderr and "damaged" in result.stderr
    texts = [entry["text"] for entry in ally("list", "--json").json()]
    assert "Logged despite the damage" in texts and len(texts) == 4
    assert ally("doctor", "--fix").exit_code == 0
    assert "No problems found" in ally("doctor").stdout
    assert review_allies(ally) == 1


def test_doctor_fix_sets_a_damaged_settings_file_aside(
    ally: Run, journal_with_entries: Path
) -> None:
    (journal_with_entries / "config.json").write_text('{"goal": "three"')
    (journal_with_entries / "config.json").chmod(0o600)
    assert ally("review").exit_code == 3
    fixed = ally("doctor", "--fix")
    assert fixed.exit_code == 0, fixed
    assert ally("review", "--json").json()["goal"] == 3
    assert list(journal_with_entries.glob("config.json.damaged-*"))
