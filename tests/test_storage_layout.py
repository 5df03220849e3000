"""The partitioned layout behind the speed: order, ranges and ids across day partitions."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Run


def log(ally: Run, text: str, when: str) -> None:
    assert ally("win", text, "--date", when, "--future").exit_code == 0


def texts(ally: Run, *args: str) -> list[str]:
    return [entry["text"] for entry in ally("list", "--json", *args).json()]


def test_entries_live_in_one_file_per_day(ally: Run, home: Path) -> None:
    log(ally, "December", "2025-12-31")
    log(ally, "January", "2026-01-01")
    log(ally, "January again", "2026-01-01")
    names = sorted(p.name for p in (home / "entries").iterdir())
    assert names == ["2025-12-31.json", "2026-01-01.json"]


def test_order_is_newest_first_across_partitions_and_within_a_day(ally: Run) -> None:
    for text, when in [
        ("a", "2026-01-15"),
        ("b", "2025-12-31"),
        ("c", "2026-01-15"),
        ("d", "2026-02-01"),
        ("e", "2024-06-30"),
    ]:
        log(ally, text, when)
    assert texts(ally) == ["d", "c", "a", "b", "e"]


def test_ranges_cross_month_and_year_boundaries(ally: Run) -> None:
    for day in ("2025-11-30", "2025-12-01", "2025-12-31", "2026-01-01", "2026-01-31", "2026-02-01"):
        log(ally, day, day)
    assert texts(ally, "--from", "2025-12-01", "--to", "2026-01-31") == [
        "2026-01-31",
        "2026-01-01",
        "2025-12-31",
        "2025-12-01",
    ]
    assert texts(ally, "--from", "2025-12-31", "--to", "2026-01-01") == ["2026-01-01", "2025-12-31"]
    assert texts(ally, "--period", "2025") == ["2025-12-31", "2025-12-01", "2025-11-30"]


def test_ids_are_unique_and_resolve_across_partitions(ally: Run) -> None:
    for month in range(1, 13):
        log(ally, f"month {month}", f"2026-{month:02d}-10")
    entries = ally("list", "--json").json()
    ids = [entry["id"] for entry in entries]
    assert len(set(ids)) == 12
    for entry in entries:
        assert ally("show", entry["id"][:8], "--json").json()["text"] == entry["text"]


def test_an_entry_moved_to_another_month_stays_findable(ally: Run, home: Path) -> None:
    log(ally, "Moving", "2026-03-05")
    entry_id = ally("list", "--json").json()[0]["id"]
    assert ally("edit", entry_id[:8], "--date", "2025-07-04").exit_code == 0
    assert ally("show", entry_id[:8], "--json").json()["date"] == "2025-07-04"
    assert not (home / "entries" / "2026-03-05.json").exists()  # an emptied day leaves no file
    assert json.loads((home / "entries" / "2025-07-04.json").read_text())["entries"]
    assert texts(ally, "--period", "2025-07") == ["Moving"]
    assert ally("undo").exit_code == 0
    assert (home / "entries" / "2026-03-05.json").exists()
    assert not (home / "entries" / "2025-07-04.json").exists()
    assert ally("show", entry_id[:8], "--json").json()["date"] == "2026-03-05"


def test_help_index_follows_edits_and_deletes(ally: Run) -> None:
    ally("helped", "maya", "Chat", "--date", "2026-11-16")
    ally("helped", "sam", "Intro", "--date", "2026-11-17")
    assert ally("review", "last week", "--json").json()["allies_helped"] == 2
    sam = next(e for e in ally("list", "--json").json() if e["ally"] == "sam")
    ally("edit", sam["id"][:8], "--date", "2026-11-24", "--future")
    assert ally("review", "last week", "--json").json()["allies_helped"] == 1
    assert ally("review", "--json").json()["allies_helped"] == 1
    ally("delete", sam["id"][:8], "--yes")
    assert ally("review", "--json").json()["allies_helped"] == 0
    assert "No problems found" in ally("doctor").stdout  # indexes agree with the entries


def test_the_sets_of_files_are_written_once_and_agree() -> None:
    """Backups, undo, sync and encryption take their files from layout; the .gitignore text
    every machine compares byte for byte is this one (sources.json and topics.json joined it
    with schema 4, which an older version refuses to sync with)."""
    from allyjournal.journal import layout

    assert layout.gitignore() == (
        "# allyjournal sync: only the journal's data files are shared. Indexes, the undo log,\n"
        "# backups, locks and files set aside as damaged stay on this machine.\n"
        "/*\n!/.gitignore\n!/allyjournal.json\n!/config.json\n!/people.json\n!/goals.json\n"
        "!/promises.json\n!/merged-away.json\n!/sources.json\n!/topics.json\n!/entries/\n/entries/*\n"
        "!/entries/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json\n"
        "!/entries/[0-9][0-9][0-9][0-9]-[0-9][0-9].json\n"
    )
    day = "entries/2026-11-03.json"
    assert layout.is_truth(day) and layout.is_shared(day)
    assert layout.is_shared(layout.CONFIG) and not layout.is_truth(layout.CONFIG)
    assert not layout.is_shared(layout.MACHINE) and layout.MACHINE in layout.SEALED_FILES
    assert layout.META not in layout.SEALED_FILES  # it says how to open the rest
    for path in ("../people.json", "people.jsonx", "entries/x.json", "index/weeks.json"):
        assert not layout.is_truth(path) and not layout.is_shared(path)
    assert all(layout.is_journal_path(name) for name in layout.SHARED_FILES + layout.SEALED_FILES)
