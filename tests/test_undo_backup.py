"""A way back from every change: undo, automatic backups in rotation, backup and restore."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Run


def state(ally: Run) -> tuple[str, str]:
    """What a user can see of the journal: every entry and every ally."""
    return ally("list", "--json").stdout, ally("people", "list", "--archived").stdout


def seed(ally: Run) -> None:
    ally("helped", "maya", "Career chat", "--kind", "conversation", "--date", "2026-11-03")
    ally("win", "Shipped with @maya #launch", "--big", "--date", "2026-11-10")


def first_id(ally: Run) -> str:
    entry_id: str = ally("list", "--json").json()[0]["id"]
    return entry_id


def test_undo_after_edit_restores_exactly(ally: Run) -> None:
    seed(ally)
    before = state(ally)
    assert (
        ally("edit", first_id(ally)[:8], "--text", "Changed", "--date", "2025-01-01").exit_code == 0
    )
    assert state(ally) != before
    assert ally("undo").exit_code == 0
    assert state(ally) == before


def test_undo_after_import_restores_exactly(ally: Run, tmp_path: Path) -> None:
    seed(ally)
    before = state(ally)
    export = {
        "format": "allyjournal",
        "version": 1,
        "entries": [
            {
                "id": "f" * 32,
                "kind": "help",
                "date": "2026-10-01",
                "text": "Imported",
                "ally": "zoe",
                "help_kind": "intro",
            }
        ],
        "people": [{"handle": "zoe", "name": "Zoe"}],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(export))
    assert ally("import", str(path)).exit_code == 0
    assert "zoe" in state(ally)[1]
    assert ally("undo").exit_code == 0
    assert state(ally) == before


def test_undo_after_rename_restores_exactly(ally: Run) -> None:
    seed(ally)
    before = state(ally)
    assert ally("people", "rename", "maya", "maya.p").exit_code == 0
    assert ally("undo").exit_code == 0
    assert state(ally) == before


def test_undo_goes_back_step_by_step(ally: Run) -> None:
    seed(ally)
    ally("delete", first_id(ally)[:8], "--yes")
    for _step in range(3):  # the delete, the win, the help
        assert ally("undo").exit_code == 0
    assert ally("list", "--json").json() == []
    assert "maya" not in ally("people").stdout
    assert ally("undo").exit_code == 2


def test_backup_and_restore_round_trip(ally: Run, home: Path) -> None:
    seed(ally)
    before = state(ally)
    made = ally("backup", "before-cleanup")
    assert made.exit_code == 0
    ally("delete", first_id(ally)[:8], "--yes")
    ally("win", "After the backup")
    listed = ally("backup", "--list").stdout
    assert "before-cleanup" in listed
    name = next(line.split()[0] for line in listed.splitlines() if "before-cleanup" in line)
    assert ally("restore", name).exit_code != 0  # asks first; no terminal here
    after = state(ally)
    restored = ally("restore", name, "--yes")
    assert restored.exit_code == 0, restored
    assert "ally undo" in restored.stdout
    assert state(ally) == before
    assert any(b.name.endswith("manual-before-cleanup") for b in (home / "backups").iterdir())
    assert ally("undo").exit_code == 0  # the journal as it was before the restore
    assert state(ally) == after


def test_import_and_restore_cost_what_they_change_not_a_snapshot(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    """Both are undoable changes whose undo record keeps the files they replaced; neither
    takes a whole-journal backup first (it would cost what the history holds)."""
    ally("win", "Something first")
    ally("backup", "start")
    path = tmp_path / "wins.csv"
    path.write_text("date,text\n2026-11-02,imported\n")
    assert ally("import", str(path)).exit_code == 0
    name = next((home / "backups").glob("*-manual-start")).name
    assert ally("restore", name, "--yes").exit_code == 0
    assert [p.name for p in (home / "backups").iterdir()] == [name]
    assert ally("undo").exit_code == 0 and ally("undo").exit_code == 0
    assert "imported" not in ally("list").stdout


def test_automatic_backups_are_rotated(home: Path, ally: Run) -> None:
    """Automatic backups (before a migration) keep the newest `ally config backups`."""
    from allyjournal.store import Journal

    ally("config", "backups", "3")
    ally("win", "Something first")
    journal = Journal(home)
    for number in range(6):
        journal.snapshot(f"automatic {number}")
    automatic = sorted(p.name for p in (home / "backups").iterdir() if "-auto-" in p.name)
    assert len(automatic) == 3
    assert automatic[-1].endswith("automatic-5")


def test_unknown_backup_name_exits_2(ally: Run) -> None:
    seed(ally)
    result = ally("restore", "nope", "--yes")
    assert result.exit_code == 2
    assert "'nope'" in result.stderr


def test_undo_reaches_fifty_changes_back_and_keeps_only_what_they_replaced(
    ally: Run, home: Path
) -> None:
    for number in range(55):
        assert (
            ally("win", f"Win {number}", "--date", f"2026-{number % 11 + 1:02d}-01").exit_code == 0
        )
    kept = [folder for folder in (home / "undo").iterdir() if folder.is_dir()]
    assert len(kept) <= 50  # one folder per change still undoable, the older ones let go
    for _ in range(50):
        assert ally("undo").exit_code == 0
    assert "Nothing to undo" in ally("undo").stderr
    assert sorted(entry["text"] for entry in ally("list", "--json").json()) == [
        f"Win {number}" for number in range(5)
    ]
    assert not [folder for folder in (home / "undo").iterdir() if folder.is_dir()]
