"""Races: the same change started by several `ally` processes at once. Every check a change
relies on is made under the journal's lock, against the partitions, so there is exactly one
winner, the losers say why in one line, and nothing is stored twice."""

from __future__ import annotations

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from allyjournal.store import Journal

from helpers import Run, installed_ally

ALLY = installed_ally()


def run_at_once(*commands: list[str]) -> list[subprocess.CompletedProcess[str]]:
    env = {**os.environ, "ALLYJOURNAL_LOCK_TIMEOUT": "60"}
    children = [
        subprocess.Popen(
            [ALLY, *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        for command in commands
    ]
    results = []
    for child, command in zip(children, commands, strict=True):
        out, err = child.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(command, child.returncode, out, err))
    return results


def stored_ids(home: Path) -> Counter[str]:
    return Counter(entry.id for entry in Journal(home).entries())


def assert_one_line_refusals(results: list[subprocess.CompletedProcess[str]]) -> None:
    for result in results:
        if result.returncode != 0:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("ally: "), result.stderr


def test_four_imports_of_one_file_at_once_add_each_entry_once(home: Path, tmp_path: Path) -> None:
    export = {
        "format": "allyjournal",
        "version": 1,
        "entries": [
            {"id": f"{n:032x}", "kind": "win", "date": f"2026-{1 + n % 12:02d}-03", "text": f"w{n}"}
            for n in range(50)
        ],
        "people": [],
    }
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    results = run_at_once(*[["import", str(path)] for _ in range(4)])
    assert [r.returncode for r in results] == [0, 0, 0, 0], [r.stderr for r in results]
    ids = stored_ids(home)
    assert len(ids) == 50 and set(ids.values()) == {1}
    added = sorted(int(r.stdout.split()[1]) for r in results)
    assert added == [0, 0, 0, 50]
    assert not Journal(home).stale_indexes()


def test_two_renames_to_one_handle_at_once_have_one_winner(ally: Run, home: Path) -> None:
    ally("helped", "maya", "Chat")
    ally("helped", "sam", "Chat", "--new")
    results = run_at_once(["people", "rename", "maya", "lee"], ["people", "rename", "sam", "lee"])
    assert sorted(r.returncode for r in results) == [0, 2], [r.stderr for r in results]
    assert_one_line_refusals(results)
    handles = [person.handle for person in Journal(home).people()]
    assert sorted(handles) in (["lee", "sam"], ["lee", "maya"])
    assert sorted(entry.ally or "" for entry in Journal(home).entries()) == sorted(handles)


@pytest.mark.parametrize("round_number", range(3))
def test_an_edit_and_a_delete_at_once_never_leave_the_entry(
    ally: Run, home: Path, round_number: int
) -> None:
    ally("win", "Contested", "--date", "2026-11-02")
    entry_id = ally("list", "--json").json()[0]["id"]
    results = run_at_once(
        ["edit", entry_id[:8], "--text", f"edited {round_number}"],
        ["delete", entry_id[:8], "--yes"],
    )
    assert results[1].returncode == 0, results[1].stderr
    assert results[0].returncode in (0, 2), results[0].stderr
    assert_one_line_refusals(results)
    assert entry_id not in stored_ids(home)


@pytest.mark.parametrize("round_number", range(3))
def test_edits_moving_one_entry_to_two_months_at_once_store_it_once(
    ally: Run, home: Path, round_number: int
) -> None:
    ally("win", "Contested", "--date", "2026-11-02")
    entry_id = ally("list", "--json").json()[0]["id"]
    results = run_at_once(
        ["edit", entry_id[:8], "--date", "2026-09-01"],
        ["edit", entry_id[:8], "--date", "2026-07-01"],
    )
    assert 0 in [r.returncode for r in results], [r.stderr for r in results]
    assert_one_line_refusals(results)
    assert stored_ids(home)[entry_id] == 1
    assert not Journal(home).stale_indexes()


def test_a_reader_that_looks_while_the_first_change_lands_reads_the_new_journal(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window four imports at once once hit: a command finds no format marker, the first
    change of another process lands, and the command then sees its entries. It must read that
    journal, not call it damaged."""
    from allyjournal.journal import files, layout

    real_read_json = files.read_json
    looks: list[Path] = []

    def first_look_before_the_change(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == layout.META and not looks:
            looks.append(path)
            saved = path.read_bytes()
            path.unlink()
            result = real_read_json(path, *args, **kwargs)
            path.write_bytes(saved)  # the other process's change lands now
            return result
        return real_read_json(path, *args, **kwargs)

    assert ally("win", "Shipped the thing").exit_code == 0
    monkeypatch.setattr(files, "read_json", first_look_before_the_change)
    result = ally("list")
    assert looks, "the marker was never read"
    assert result.exit_code == 0, result
    assert "Shipped the thing" in result.stdout


def test_two_helps_keeping_one_promise_at_once_keep_it_once(ally: Run, home: Path) -> None:
    ally("people", "add", "maya")
    ally("promise", "maya", "Introduce her to the VP")
    promise = ally("promise", "list", "--json").json()[0]["short_id"]
    results = run_at_once(
        *[["helped", "maya", f"Intro number {n}", "--keeps", promise] for n in range(3)]
    )
    assert sorted(r.returncode for r in results)[0] == 0
    assert_one_line_refusals(results)
    kept = [p for p in ally("promise", "list", "--all", "--json").json()]
    assert kept[0]["status"] == "kept"
    helps = ally("list", "--json").json()
    winners = [r for r in results if r.returncode == 0]
    assert len(winners) == len(helps) == 1  # the refused ones wrote no help either
    assert kept[0]["kept_by"] == helps[0]["id"]


def test_two_edits_of_one_goal_at_once_never_lose_one_silently(ally: Run, home: Path) -> None:
    ally("people", "add", "maya")
    ally("goal", "add", "maya", "Staff engineer")
    goal = ally("goal", "list", "--json").json()[0]["short_id"]
    results = run_at_once(
        ["goal", "edit", goal, "--due", "2027-01-31"], ["goal", "edit", goal, "--short"]
    )
    assert_one_line_refusals(results)
    stored = ally("goal", "list", "--json").json()[0]
    applied = {"--due": stored["due"] == "2027-01-31", "--short": stored["horizon"] == "short"}
    for result, option in zip(results, ["--due", "--short"], strict=True):
        assert applied[option] == (result.returncode == 0), (option, result.stderr)


def test_a_restore_and_wins_at_once_lose_no_win_that_undo_cannot_bring_back(
    ally: Run, home: Path
) -> None:
    """A restore takes no snapshot first: a win that lands before it is replaced by the
    backup, and undoing the restore brings it back; a win that lands after it stays."""
    ally("win", "Before the backup")
    ally("backup", "base")
    name = next(p.name for p in (home / "backups").iterdir() if p.name.endswith("-base"))
    results = run_at_once(["win", "Raced one"], ["restore", name, "--yes"], ["win", "Raced two"])
    assert [r.returncode for r in results] == [0, 0, 0], [r.stderr for r in results]
    assert not Journal(home).stale_indexes()
    missing = {"Raced one", "Raced two"} - {entry.text for entry in Journal(home).entries()}
    if not missing:  # the restore came first: the journal was the backup, nothing changed
        return
    for _ in range(2):  # undo a win that landed after the restore, then the restore
        if ally("undo").stdout.startswith("Undone: restored backup"):
            break
    else:
        pytest.fail("a win is gone and no restore is there to undo")
    texts = {entry.text for entry in Journal(home).entries()}
    assert missing <= texts and "Before the backup" in texts
    assert not Journal(home).stale_indexes()
