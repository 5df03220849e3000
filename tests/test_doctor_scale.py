"""`ally doctor` examined by several processes (as on a journal of several megabytes): it must
find the same problems, named the same way, as the single-process path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from allyjournal.journal import doctor, indexes

from helpers import Run


def five_years(tmp_path: Path) -> tuple[Path, list[dict[str, object]]]:
    entries: list[dict[str, object]] = []
    for month in range(60):
        year, number = 2021 + month // 12, month % 12 + 1
        for day in (3, 17):
            stamp = f"{year}-{number:02d}-{day:02d}"
            entries.append(
                {
                    "id": f"{month:04d}{day:02d}" + "a" * 26,
                    "kind": "help" if day == 17 else "win",
                    "date": stamp,
                    "text": f"Entry of {stamp}",
                    "ally": "maya" if day == 17 else None,
                    "help_kind": "mentoring" if day == 17 else None,
                    "created_at": f"{stamp}T09:00:00+00:00",
                    "updated_at": f"{stamp}T09:00:00+00:00",
                }
            )
    path = tmp_path / "five-years.json"
    path.write_text(json.dumps({"format": "allyjournal", "version": 1, "entries": entries}))
    return path, entries


@pytest.fixture(params=["one process", "workers"])
def large(
    ally: Run, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch, request: Any
) -> Path:
    if request.param == "workers":
        monkeypatch.setattr(doctor, "PARALLEL_BYTES", 0)
    export, _ = five_years(tmp_path)
    monkeypatch.setattr(indexes, "FOLD", 0)  # ids in their buckets, as in a long journal
    assert ally("import", str(export)).exit_code == 0
    assert len(list((home / "entries").glob("*.json"))) == 120
    assert "No problems found" in ally("doctor").stdout
    return home


def partition(home: Path, day: str) -> tuple[Path, dict[str, dict[str, object]]]:
    path = home / "entries" / f"{day}.json"
    return path, json.loads(path.read_text())["entries"]


def test_an_id_stored_in_two_days_is_named(ally: Run, large: Path) -> None:
    _, records = partition(large, "2022-03-03")
    target, others = partition(large, "2024-07-17")
    copied = dict(next(iter(records.values())))
    others["99"] = copied
    target.write_text(json.dumps({"entries": others}))
    result = ally("doctor")
    assert result.exit_code != 0
    assert f"id {copied['id']} is stored 2 times" in result.stdout
    assert "is dated 2022-03-03" in result.stdout  # and it sits in the wrong month


def test_an_id_stored_twice_in_one_day_is_named(ally: Run, large: Path) -> None:
    path, records = partition(large, "2023-05-03")
    first = dict(next(iter(records.values())))
    records["77"] = first
    path.write_text(json.dumps({"entries": records}))
    assert f"id {first['id']} is stored 2 times" in ally("doctor").stdout


def test_a_wrong_index_entry_is_found_and_rebuilt(ally: Run, large: Path) -> None:
    bucket = large / "index" / "ids" / "00.json"
    content = json.loads(bucket.read_text())
    moved = next(iter(content))
    content[moved] = "1999-01-01"
    bucket.write_text(json.dumps(content))
    assert "1 index files disagree with the entries" in ally("doctor").stdout
    assert ally("doctor", "--fix").exit_code == 0
    assert "No problems found" in ally("doctor").stdout
    assert json.loads(bucket.read_text())[moved] != "1999-01-01"


def test_an_unreadable_record_names_its_partition(ally: Run, large: Path) -> None:
    path, records = partition(large, "2025-02-03")
    next(iter(records.values()))["date"] = "2025-02-31"
    path.write_text(json.dumps({"entries": records}))
    result = ally("doctor")
    assert "entries/2025-02-03.json" in result.stdout
    assert "cannot read" in result.stdout
