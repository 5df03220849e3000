"""The id index's recent file: small changes write one file, not the bucket of every id; it is
folded into the buckets when it grows; readers, short ids and doctor see the two as one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allyjournal.journal import indexes
from allyjournal.store import Journal

from helpers import Run

RECENT = Path("index/ids/recent.json")


def bucket_files(home: Path) -> list[str]:
    return sorted(p.name for p in (home / "index" / "ids").glob("*.json") if p.name != RECENT.name)


def record(entry_id: str, day: str, text: str) -> dict[str, object]:
    stamp = f"{day}T09:00:00+00:00"
    return {
        "id": entry_id,
        "date": day,
        "created_at": stamp,
        "updated_at": stamp,
        "kind": "win",
        "text": text,
        "tags": [],
    }


def import_records(ally: Run, tmp_path: Path, name: str, records: list[dict[str, object]]) -> None:
    source = tmp_path / f"{name}.json"
    source.write_text(json.dumps({"format": "allyjournal", "version": 1, "entries": records}))
    result = ally("import", str(source))
    assert result.exit_code == 0, result


def test_a_small_change_writes_the_recent_file_and_no_bucket(ally: Run, home: Path) -> None:
    for n in range(5):
        assert ally("win", f"Win {n}", "--date", f"2026-11-1{n}").exit_code == 0
    assert bucket_files(home) == []  # five ids, five buckets, none written
    recent = json.loads((home / RECENT).read_text())
    assert sorted(recent.values()) == [f"2026-11-1{n}" for n in range(5)]
    for entry in ally("list", "--json").json():
        assert ally("show", entry["id"][:7], "--json").json()["text"] == entry["text"]
    assert "No problems found" in ally("doctor").stdout


def test_the_recent_file_is_folded_into_the_buckets_past_its_size(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexes, "FOLD", 3)
    for n in range(3):
        ally("win", f"Win {n}", "--date", f"2026-11-1{n}")
    assert bucket_files(home) == [] and len(json.loads((home / RECENT).read_text())) == 3
    ally("win", "The fourth", "--date", "2026-11-13")  # four ids would pass the fold
    assert not (home / RECENT).exists()
    ids = [entry["id"] for entry in ally("list", "--json").json()]
    assert bucket_files(home) == sorted({f"{entry_id[:2]}.json" for entry_id in ids})
    ally("win", "The fifth", "--date", "2026-11-14")
    assert len(json.loads((home / RECENT).read_text())) == 1
    for entry_id in [*ids, ally("list", "--json").json()[0]["id"]]:
        assert ally("show", entry_id[:7]).exit_code == 0
    assert "No problems found" in ally("doctor").stdout


def test_short_ids_and_prefixes_see_ids_in_a_bucket_and_in_the_recent_file_alike(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    older, newer = "abcdef12" + "0" * 24, "abcdef12" + "f" * 24
    monkeypatch.setattr(indexes, "FOLD", 0)  # the first import goes to the buckets
    import_records(ally, tmp_path, "older", [record(older, "2026-11-02", "In a bucket")])
    monkeypatch.setattr(indexes, "FOLD", 100)
    import_records(ally, tmp_path, "newer", [record(newer, "2026-11-03", "In the recent file")])
    assert bucket_files(home) == ["ab.json"]
    assert list(json.loads((home / RECENT).read_text())) == [newer]
    shown = [line.split("\t")[0] for line in ally("list").stdout.splitlines()]
    assert shown == ["abcdef12f", "abcdef120"]  # each one character past the shared eight
    ambiguous = ally("show", "abcdef12")
    assert ambiguous.exit_code == 2
    assert "abcdef120, abcdef12f" in ambiguous.stderr
    assert ally("show", "abcdef120", "--json").json()["text"] == "In a bucket"
    assert ally("show", "abcdef12f", "--json").json()["text"] == "In the recent file"


def test_an_id_removed_while_its_bucket_still_names_it_is_gone(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(indexes, "FOLD", 0)
    ally("win", "Soon deleted", "--date", "2026-11-10")
    entry_id = ally("list", "--json").json()[0]["id"]
    monkeypatch.setattr(indexes, "FOLD", 100)
    assert ally("delete", entry_id[:8], "--yes").exit_code == 0
    assert json.loads((home / RECENT).read_text()) == {entry_id: None}
    assert entry_id in json.loads((home / "index/ids" / f"{entry_id[:2]}.json").read_text())
    gone = ally("show", entry_id[:8])
    assert gone.exit_code != 0 and "No entry has an id starting with" in gone.stderr
    assert "No problems found" in ally("doctor").stdout
    assert ally("undo").exit_code == 0
    assert ally("show", entry_id[:8], "--json").json()["text"] == "Soon deleted"


@pytest.mark.parametrize("damage", ["not json", "points elsewhere"])
def test_doctor_reports_a_recent_file_that_disagrees_and_fix_rebuilds_it(
    ally: Run, home: Path, damage: str
) -> None:
    ally("win", "First", "--date", "2026-11-10")
    ally("win", "Second", "--date", "2026-11-11")
    entries = ally("list", "--json").json()
    ids = [entry["id"] for entry in entries]
    if damage == "not json":
        (home / RECENT).write_text("{not json")
    else:  # each id pointed at the other's day
        swapped = {ids[0]: entries[1]["date"], ids[1]: entries[0]["date"]}
        (home / RECENT).write_text(json.dumps(swapped))
    checked = ally("doctor")
    assert checked.exit_code == 1 and "index files disagree with the entries" in checked.stdout
    assert ally("doctor", "--fix").exit_code == 0
    assert "No problems found" in ally("doctor").stdout
    assert not (home / RECENT).exists()  # the rebuild writes every id to its bucket
    for entry_id in ids:
        assert ally("show", entry_id[:8]).exit_code == 0


# Adds, deletions and moves between days in any order, with the recent file folded every few
# ids: after each, the indexes agree with the partitions and every id resolves.
steps = st.lists(
    st.tuples(st.sampled_from(["add", "add", "delete", "move"]), st.integers(0, 30)),
    min_size=1,
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps, fold=st.integers(0, 4))
def test_the_id_index_agrees_with_the_partitions_after_any_changes(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch, steps: list[tuple[str, int]], fold: int
) -> None:
    for leftover in home.iterdir():  # hypothesis reuses the function's journal
        if leftover.is_dir():
            shutil.rmtree(leftover)
        else:
            leftover.unlink()
    monkeypatch.setattr(indexes, "FOLD", fold)
    for action, n in steps:
        held = [entry["id"] for entry in ally("list", "--json").json()]
        day = f"2026-11-{n % 20 + 1:02d}"
        if action == "add" or not held:
            assert ally("win", f"Win {n}", "--date", day).exit_code == 0
        elif action == "delete":
            assert ally("delete", held[n % len(held)][:8], "--yes").exit_code == 0
        else:
            assert ally("edit", held[n % len(held)][:8], "--date", day).exit_code == 0
        journal = Journal(home)
        assert not journal.stale_indexes()
        for entry in journal.entries():
            assert journal.get(entry.id[:8]).id == entry.id
