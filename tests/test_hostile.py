"""Hostile input: files crafted to break the journal or the terminal, and bytes that are not
text. Each is refused in one line with nothing written, or taken in and shown literally."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from helpers import Run, installed_ally, snapshot_bytes

ALLY = installed_ally()


def export_with(**fields: Any) -> dict[str, Any]:
    entry = {"id": "a" * 32, "kind": "help", "date": "2026-11-02", "text": "Fine text"}
    entry.update({"ally": "maya", "help_kind": "intro"})
    entry.update(fields)
    return {"format": "allyjournal", "version": 1, "entries": [entry], "people": []}


HOSTILE = {
    "escape-in-id": export_with(id="\x1b]8;;http://evil\x07aaaa"),
    "markup-in-id": export_with(id="[/bold]aaaaaaaa"),
    "link-as-kind": export_with(help_kind="[link=http://evil]x[/link]"),
    "html-as-kind": export_with(help_kind="<img src=x onerror=alert(1)>"),
    "escape-in-mention": export_with(mentions=["\x1b[2Jmaya"]),
    "markup-in-tag": export_with(tags=["[red]x"]),
    "bad-ally": export_with(ally="../../etc"),
    "lone-surrogate": export_with(text="\ud800 broken"),
    "entries-not-a-list": {"format": "allyjournal", "version": 1, "entries": 5},
    "entry-not-an-object": {"format": "allyjournal", "version": 1, "entries": ["x"]},
    "bad-size": export_with(kind="win", size="huge"),
    "bad-time": export_with(created_at="yesterday-ish"),
    # A final line break slipped past the `$` of the id and tag patterns once.
    "line-break-ending-id": export_with(id="abcd1234\n"),
    "line-break-ending-tag": export_with(tags=["release\n"]),
    "line-break-ending-goal": export_with(goal="abcd1234\n"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_export_is_refused_whole_in_one_line(
    ally: Run, home: Path, tmp_path: Path, name: str
) -> None:
    ally("win", "Already here")
    before = snapshot_bytes(home)
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(HOSTILE[name]))
    result = ally("import", str(path))
    assert result.exit_code == 2, result
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ally: ")
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert snapshot_bytes(home) == before


def test_deeply_nested_json_is_refused(ally: Run, home: Path, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"format": "allyjournal", "entries": [' + "[" * 100_000 + "]" * 100_000 + "]}")
    result = ally("import", str(path), "--format", "json")
    assert result.exit_code == 2
    assert "nested too deeply" in result.stderr
    path.write_text("[" * 100_000 + "]" * 100_000)  # not even an object
    result = ally("import", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "Cannot read" in result.stderr
    assert not home.exists() or not (home / "entries").exists()


def test_a_csv_row_with_extra_cells_imports_without_a_traceback(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "extra.csv"
    path.write_text("date,text\n2026-11-02,Wrote the doc,surprise,cells\n")
    result = ally("import", str(path))
    assert result.exit_code == 0, result
    assert ally("list", "--json").json()[0]["text"] == "Wrote the doc"


def test_invalid_utf8_on_the_command_line_is_one_line_and_writes_nothing(home: Path) -> None:
    completed = subprocess.run(
        [ALLY.encode(), b"win", b"caf\xe9 with a Latin-1 byte"], capture_output=True, env=os.environ
    )
    assert completed.returncode == 2, completed.stderr
    assert completed.stderr.decode().count("\n") == 1
    assert not (home / "entries").exists()


def test_invalid_utf8_piped_in_is_one_line_and_writes_nothing(home: Path) -> None:
    completed = subprocess.run(
        [ALLY, "win"], input=b"caf\xe9\n", capture_output=True, env=os.environ
    )
    assert completed.returncode == 2, completed.stderr
    assert b"UTF-8" in completed.stderr
    assert not (home / "entries").exists()


def test_a_lock_that_is_a_folder_or_a_link_is_refused(ally: Run, home: Path) -> None:
    ally("win", "First")
    (home / ".lock").unlink()
    (home / ".lock").mkdir()
    result = ally("win", "Second")
    assert result.exit_code == 3 and ".lock" in result.stderr
    (home / ".lock").rmdir()
    target = home.parent / "elsewhere"
    (home / ".lock").symlink_to(target)
    result = ally("win", "Third")
    assert result.exit_code == 3, result
    assert not target.exists()
    assert [e["text"] for e in ally("list", "--json").json()] == ["First"]


@pytest.mark.parametrize("code", ["ENOLCK", "EOPNOTSUPP", "ENOSYS"])
def test_a_file_system_without_locks_is_named_not_called_busy(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch, code: str
) -> None:
    import errno
    import fcntl

    ally("win", "First")
    before = snapshot_bytes(home)

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(getattr(errno, code), os.strerror(getattr(errno, code)))

    monkeypatch.setattr(fcntl, "flock", no_locks)
    result = ally("win", "Second")
    assert result.exit_code == 1, result
    assert result.stderr.count("\n") == 1, result.stderr
    assert "does not support locks" in result.stderr and "busy" not in result.stderr
    assert snapshot_bytes(home) == before


def test_export_to_a_folder_or_a_missing_folder_is_refused(ally: Run, tmp_path: Path) -> None:
    ally("win", "Something")
    for target in (tmp_path, tmp_path / "missing" / "out.md"):
        result = ally("export", "-o", str(target), "--force")
        assert result.exit_code == 2, result
        assert result.stderr.count("\n") == 1


def test_a_newer_journal_is_never_written(ally: Run, home: Path) -> None:
    ally("win", "First")
    ally("backup", "old")
    meta = json.loads((home / "allyjournal.json").read_text())
    (home / "allyjournal.json").write_text(json.dumps({**meta, "schema": 99}))
    before = snapshot_bytes(home)
    backup = next(path.name for path in (home / "backups").iterdir())
    for command in (("config", "goal", "4"), ("restore", backup, "--yes"), ("win", "x")):
        result = ally(*command)
        assert result.exit_code == 3, (command, result)
        assert "newer allyjournal" in result.stderr
    assert snapshot_bytes(home) == before


def test_an_undo_record_naming_a_file_outside_the_journal_is_never_followed(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    """Older undo records are carried over by each change and checked whole when undone."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    ally("win", "First")
    log_path = home / "undo" / "log.json"
    log = json.loads(log_path.read_text())
    log[0]["files"] = [["../victim.txt", True]]
    log_path.write_text(json.dumps(log))
    assert ally("win", "Second").exit_code == 0  # carried over, not acted on
    assert ally("undo").exit_code == 0  # undoes "Second"
    result = ally("undo")  # the crafted record: refused in one line, nothing touched
    assert result.exit_code == 3 and "is damaged" in result.stderr
    assert result.stderr.count("\n") == 1
    assert victim.read_text() == "keep me"
    assert [e["text"] for e in ally("list", "--json").json()] == ["First"]
    assert "undo log is damaged" in ally("doctor").stdout
    assert ally("doctor", "--fix").exit_code == 0  # sets the log aside, keeps it beside
    assert "Nothing to undo" in ally("undo").stderr
    assert victim.read_text() == "keep me"


UNSAFE_TEXT = "Fixed \x9b2J the \u202eflag\u202c and \x7f"


@pytest.mark.parametrize(
    "command",
    [
        ["list", "--json"],
        ["show", "ID", "--json"],
        ["review", "--json"],
        ["export", "--format", "json"],
    ],
    ids=["list", "show", "review", "export"],
)
def test_json_output_escapes_what_a_terminal_would_obey(ally: Run, command: list[str]) -> None:
    """C1 controls (U+009B is a one-byte CSI), DEL and bidi overrides are valid raw in JSON,
    and a terminal acts on them: every JSON output writes them as \\u escapes instead."""
    assert ally("helped", "maya", UNSAFE_TEXT).exit_code == 0
    entry = ally("list", "--json").json()[0]["id"]
    done = ally(*[entry if word == "ID" else word for word in command])
    assert done.exit_code == 0, done.stderr
    for raw in ("\x9b", "\u202e", "\u202c", "\x7f"):
        assert raw not in done.stdout
    assert "\\u009b" in done.stdout and "\\u202e" in done.stdout
    assert UNSAFE_TEXT in json.dumps(done.json(), ensure_ascii=False)


def test_an_export_with_escaped_controls_imports_back_as_it_was(ally: Run, tmp_path: Path) -> None:
    assert ally("win", UNSAFE_TEXT).exit_code == 0
    exported = tmp_path / "export.json"
    assert ally("export", "--format", "json", "-o", str(exported)).exit_code == 0
    other = tmp_path / "other"
    assert ally("--home", str(other), "import", str(exported)).exit_code == 0
    assert ally("--home", str(other), "list", "--json").json()[0]["text"] == UNSAFE_TEXT


def test_an_import_file_name_is_shown_never_obeyed(ally: Run, tmp_path: Path) -> None:
    name = tmp_path / "wins\x1b[2J\x1b]0;owned\x07.json"
    name.write_text('{"format": "allyjournal", "version": 1, "entries": []}')
    for args in (["import", str(name)], ["import", "--dry-run", str(name)]):
        done = ally(*args)
        assert done.exit_code == 0, done.stderr
        shown = done.stdout + done.stderr
        assert "\x1b" not in shown and "\x07" not in shown
        assert "wins\\x1b[2J" in shown
