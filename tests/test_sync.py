"""`ally sync`: two journals and a bare remote in a temporary folder play two laptops.

Everything goes through the real CLI (in-process, each laptop by `--home`), and the remote is
a real bare git repository. What is checked is what a user would see: `ally list` on both
machines, the report lines, the files git shares, and that nothing is ever lost.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Result, Run

Laptop = Callable[..., Result]


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    path = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    return path


@pytest.fixture
def laptops(ally: Run, tmp_path: Path, remote: Path) -> tuple[Laptop, Laptop]:
    """Two machines, both set up to sync through `remote` (the first one's journal first)."""

    def machine(name: str) -> Laptop:
        home = tmp_path / name

        def run(*args: str, input: str | None = None) -> Result:
            return ally("--home", str(home), *args, input=input)

        run.home = home  # type: ignore[attr-defined]
        return run

    work, personal = machine("work"), machine("home")
    assert work("win", "Set up the journal").exit_code == 0
    assert work("sync", "init", str(remote)).exit_code == 0
    first = personal("sync", "init", str(remote))
    assert first.exit_code == 0, first.stderr
    return work, personal


def listing(laptop: Laptop) -> list[str]:
    result = laptop("list", "--json")
    assert result.exit_code == 0, result.stderr
    return sorted(
        json.dumps({k: v for k, v in e.items() if k != "short_id"}, sort_keys=True)
        for e in json.loads(result.stdout)
    )


def texts(laptop: Laptop) -> list[str]:
    result = laptop("list", "--json")
    return sorted(entry["text"] for entry in json.loads(result.stdout))


def entry_id(laptop: Laptop, text: str) -> str:
    found = [e for e in json.loads(laptop("list", "--json").stdout) if e["text"] == text]
    assert len(found) == 1, text
    return str(found[0]["id"])


def synced(*machines: Laptop) -> None:
    """Sync each in turn, then the first again, as a person walking between desks would."""
    for machine in (*machines, machines[0]):
        result = machine("sync")
        assert result.exit_code == 0, result.stdout + result.stderr


def git(home: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=home, capture_output=True, text=True, check=True)
    return done.stdout


def test_a_new_machine_is_filled_from_the_remote(laptops: tuple[Laptop, Laptop]) -> None:
    work, personal = laptops
    assert texts(personal) == ["Set up the journal"]
    assert listing(personal) == listing(work)
    assert git(personal.home, "status", "--porcelain") == ""  # type: ignore[attr-defined]


def test_a_week_offline_on_both_machines_merges_with_nothing_lost(
    laptops: tuple[Laptop, Laptop],
) -> None:
    work, personal = laptops
    for day in range(16, 23):
        work("win", f"Work win {day}", "--date", f"2026-11-{day}")
        personal("helped", "maya", f"Home help {day}", "--date", f"2026-11-{day}")
    work("win", "Draft to fix", "--date", "2026-11-20")
    draft = entry_id(work, "Draft to fix")
    assert work("edit", draft, "--text", "Fixed draft", "--date", "2026-11-21").exit_code == 0
    doomed = entry_id(personal, "Home help 16")
    assert personal("delete", doomed, "--yes").exit_code == 0
    synced(work, personal)
    assert listing(work) == listing(personal)
    everything = texts(work)
    assert "Fixed draft" in everything and "Draft to fix" not in everything
    assert "Home help 16" not in everything
    assert len(everything) == 1 + 7 + 6 + 1
    for machine in (work, personal):
        assert machine("doctor").exit_code == 0
        assert git(machine.home, "status", "--porcelain") == ""  # type: ignore[attr-defined]
    review = personal("review", "--json")
    assert review.exit_code == 0
    assert review.stdout == work("review", "--json").stdout  # indexes agree after the merge


def test_only_data_files_reach_the_remote(laptops: tuple[Laptop, Laptop], remote: Path) -> None:
    work, personal = laptops
    work("helped", "maya", "Paired on the migration")
    work("list", "--grep", "migration")  # builds the search index
    work("backup")
    synced(work, personal)
    shared = git(remote, "ls-tree", "-r", "--name-only", "main").split()
    assert "people.json" in shared and ".gitignore" in shared
    assert all(
        name in (".gitignore", "allyjournal.json", "people.json") or name.startswith("entries/")
        for name in shared
    ), shared


def test_an_entry_changed_on_both_keeps_the_later_and_the_other_is_recoverable(
    laptops: tuple[Laptop, Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    work, personal = laptops
    shared = entry_id(work, "Set up the journal")
    assert personal("edit", shared, "--text", "Set up the journal at home").exit_code == 0
    # A later edit on the work laptop (updated_at is to the second).
    import allyjournal.core.models as models

    monkeypatch.setattr(models, "now_iso", lambda: "2099-01-01T00:00:00+00:00")
    assert work("edit", shared, "--text", "Set up the journal at work").exit_code == 0
    monkeypatch.undo()
    work("sync")
    result = personal("sync")
    assert result.exit_code == 0
    assert "changed on both machines" in result.stdout
    assert "merged-away.json" in result.stdout
    synced(work, personal)
    assert texts(work) == texts(personal) == ["Set up the journal at work"]
    away = json.loads((personal.home / "merged-away.json").read_text())  # type: ignore[attr-defined]
    assert [item["record"]["text"] for item in away] == ["Set up the journal at home"]


def test_deleted_here_and_changed_there_is_kept_with_a_line(
    laptops: tuple[Laptop, Laptop],
) -> None:
    work, personal = laptops
    shared = entry_id(work, "Set up the journal")
    assert work("delete", shared, "--yes").exit_code == 0
    assert personal("edit", shared, "--text", "Set up the journal, and kept it").exit_code == 0
    work("sync")
    result = personal("sync")
    assert "deleted on one machine, changed on the other" in result.stdout
    synced(work, personal)
    assert texts(work) == texts(personal) == ["Set up the journal, and kept it"]


def test_help_logged_for_an_old_handle_follows_a_rename(laptops: tuple[Laptop, Laptop]) -> None:
    work, personal = laptops
    work("helped", "maya", "Reviewed her design doc")
    synced(work, personal)
    assert work("people", "rename", "maya", "maya-p").exit_code == 0
    personal("helped", "maya", "Introduced her to the VP", "--kind", "intro")
    synced(work, personal)
    for machine in (work, personal):
        people = machine("people", "--json")
        assert [person["handle"] for person in json.loads(people.stdout)] == ["maya-p"]
        assert len(machine("list", "--ally", "maya-p").stdout.splitlines()) == 2
    assert listing(work) == listing(personal)


def test_people_and_settings_merge_field_by_field(laptops: tuple[Laptop, Laptop]) -> None:
    work, personal = laptops
    work("people", "add", "sam", "--role", "SRE")
    synced(work, personal)
    work("people", "edit", "sam", "--check-in", "every 2 weeks")
    personal("people", "edit", "sam", "--team", "platform")
    work("config", "goal", "4")
    personal("config", "week-start", "sunday")
    synced(work, personal)
    for machine in (work, personal):
        everyone = json.loads(machine("people", "--json").stdout)
        person = next(person for person in everyone if person["handle"] == "sam")
        assert person["check_in"] == "every 2 weeks" and person["teams"] == ["platform"]
        settings = machine("config").stdout
        assert "4" in settings and "sunday" in settings


def test_with_nothing_to_do_a_sync_says_so(laptops: tuple[Laptop, Laptop]) -> None:
    work, _ = laptops
    work("sync")
    result = work("sync")
    assert result.exit_code == 0
    assert "nothing to do" in result.stdout
    status = work("sync", "status", "--json")
    found = json.loads(status.stdout)
    assert found["uncommitted"] == 0 and found["ahead"] == 0 and found["behind"] == 0
    assert found["synced_at"]


def test_an_unreachable_remote_loses_nothing_and_the_next_sync_finishes(
    laptops: tuple[Laptop, Laptop], remote: Path, tmp_path: Path
) -> None:
    work, personal = laptops
    moved = tmp_path / "away.git"
    remote.rename(moved)
    work("win", "Logged on the train")
    result = work("sync")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ally: Could not reach")
    assert "Logged on the train" in git(work.home, "show", "HEAD:entries/2026-11-23.json")  # type: ignore[attr-defined]
    moved.rename(remote)
    synced(work, personal)
    assert "Logged on the train" in texts(personal)


def test_no_git_on_path_is_one_line_and_nothing_changes(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ally("win", "Before sync")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    before = sorted(p.name for p in home.iterdir())
    result = ally("sync", "init")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "ally: ally sync needs git, and there is no `git` on PATH; install git (any version "
        "from 2.28), then run the command again. Nothing was changed."
    ]
    assert sorted(p.name for p in home.iterdir()) == before


def test_a_repository_that_is_not_a_journal_is_refused(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    git(other, "init", "--quiet", "--initial-branch=main")
    (other / "README").write_text("not a journal\n")
    git(other, "add", "README")
    git(other, "-c", "user.name=x", "-c", "user.email=x@y", "commit", "--quiet", "-m", "x")
    ally("win", "Mine")
    result = ally("sync", "init", str(other))
    assert result.exit_code == 1
    assert "not an allyjournal journal" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert texts(lambda *a: ally(*a)) == ["Mine"]
    assert not (home / "README").exists()


def test_sync_without_setup_says_how(ally: Run) -> None:
    ally("win", "Mine")
    result = ally("sync")
    assert result.exit_code == 2
    assert "ally sync init" in result.stderr


def test_a_push_the_other_machine_beat_is_merged_again(
    laptops: tuple[Laptop, Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The remote moves on between this sync's fetch and its push: it fetches and merges that
    too, and nothing is lost on either side."""
    from allyjournal.journal import sync as engine

    work, personal = laptops
    work("win", "Work, racing")
    personal("win", "Home, racing")
    real_fetch = engine._fetch
    calls: list[int] = []

    def fetch_then_other_pushes(repo: object, remote: str) -> None:
        real_fetch(repo, remote)  # type: ignore[arg-type]
        calls.append(1)
        if len(calls) == 1:
            monkeypatch.setattr(engine, "_fetch", real_fetch)
            assert personal("sync").exit_code == 0  # pushes first

    monkeypatch.setattr(engine, "_fetch", fetch_then_other_pushes)
    result = work("sync")
    assert result.exit_code == 0, result.stderr
    synced(personal, work)
    assert texts(work) == texts(personal)
    assert {"Work, racing", "Home, racing"} <= set(texts(work))


def test_files_in_git_are_owner_only(laptops: tuple[Laptop, Laptop]) -> None:
    work, _ = laptops
    git_dir = work.home / ".git"  # type: ignore[attr-defined]
    for folder, _, names in os.walk(git_dir):
        assert os.stat(folder).st_mode & 0o077 == 0, folder
        for name in names:
            assert os.stat(Path(folder) / name).st_mode & 0o077 == 0, Path(folder) / name
