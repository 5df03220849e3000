"""A sync remote is outside input: what it holds is checked before anything of it is taken.

An attacker here is anyone who can push to the remote (a shared git host, a stolen laptop).
Each test plants files in the remote through a clone of its own, as such a person would, then
runs the real `ally sync` and asserts what the user would notice: one `ally:` line naming the
remote commit and the file, a journal byte-identical to what it was, and a next sync that works
once the remote is fixed.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Result, Run

Laptop = Callable[..., Result]


def git(where: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=x", "-c", "user.email=x@example.org", *args],
        cwd=where,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def plant(remote: Path, tmp_path: Path, changes: dict[str, bytes | None]) -> str:
    """Commit `changes` (path → bytes, None to delete) on top of the remote's main branch,
    from an attacker's clone, and push; returns the commit."""
    clone = tmp_path / "attacker"
    if not clone.exists():
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    git(clone, "fetch", "--quiet", "origin")
    git(clone, "reset", "--quiet", "--hard", "origin/main")
    for path, data in changes.items():
        target = clone / path
        if data is None:
            target.unlink()
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    git(clone, "add", "--all", "--force", ".")
    git(clone, "commit", "--quiet", "-m", "planted")
    git(clone, "push", "--quiet", "origin", "HEAD:main")
    return git(clone, "rev-parse", "HEAD").strip()


def journal_files(home: Path) -> dict[str, bytes]:
    """Every file of the journal outside .git (whose objects a fetch may add)."""
    return {
        str(path.relative_to(home)): path.read_bytes()
        for path in sorted(home.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(home).parts and path.name != ".lock"
    }


@pytest.fixture
def laptop(ally: Run, tmp_path: Path, remote: Path) -> Laptop:
    """A machine with one win, synced to `remote`."""
    home = tmp_path / "laptop"

    def run(*args: str, input: str | None = None) -> Result:
        return ally("--home", str(home), *args, input=input)

    run.home = home  # type: ignore[attr-defined]
    assert run("win", "Shipped the release notes").exit_code == 0
    done = run("sync", "init", str(remote))
    assert done.exit_code == 0, done.stderr
    return run


def remote_config(remote: Path) -> dict[str, object]:
    """The config.json on the remote's main branch ({} when it has none)."""
    done = subprocess.run(
        ["git", "--git-dir", str(remote), "show", "main:config.json"], capture_output=True
    )
    return json.loads(done.stdout) if done.returncode == 0 else {}


# -- settings that run programs stay on each machine -------------------------------------------


def test_an_editor_set_by_the_remote_is_never_run_here(
    laptop: Laptop, remote: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    proof = tmp_path / "PWNED"
    hostile = {"goal": 5, "editor": f"sh -c 'touch {proof}' --"}
    plant(remote, tmp_path, {"config.json": json.dumps(hostile).encode()})

    done = laptop("sync")

    assert done.exit_code == 0, done.stderr
    assert "ignored setting 'editor' from the remote" in done.stdout
    assert laptop("config", "goal").stdout.strip() == "5"  # a preference travels
    assert laptop("config", "editor").stdout.strip() == "None"
    entry = json.loads(laptop("list", "--json").stdout)[0]["id"]
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\nsed -i 's/Shipped the release notes/Edited here/' \"$1\"\n")
    script.chmod(0o755)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", str(script))
    edited = laptop("edit", entry)
    assert edited.exit_code == 0, edited.stderr
    assert not proof.exists()
    assert json.loads(laptop("list", "--json").stdout)[0]["text"] == "Edited here"


def test_this_machines_editor_is_never_shared(laptop: Laptop, remote: Path, tmp_path: Path) -> None:
    assert laptop("config", "editor", "vim").exit_code == 0
    assert laptop("config", "backups", "20").exit_code == 0
    assert laptop("config", "goal", "4").exit_code == 0
    assert laptop("sync").exit_code == 0

    shared = remote_config(remote)
    assert shared == {"goal": 4}
    assert laptop("config", "editor").stdout.strip() == "vim"
    shown = laptop("config").stdout
    assert "editor = vim" in shown and "this machine only" in shown


def test_an_old_journals_editor_is_kept_when_it_first_syncs(
    ally: Run, tmp_path: Path, remote: Path
) -> None:
    home = tmp_path / "old"
    assert ally("--home", str(home), "win", "First").exit_code == 0
    config = home / "config.json"
    config.write_text(json.dumps({"editor": "nano", "goal": 2}))  # as versions before 0.9 kept it
    assert ally("--home", str(home), "config", "editor").stdout.strip() == "nano"

    assert ally("--home", str(home), "sync", "init", str(remote)).exit_code == 0

    assert ally("--home", str(home), "config", "editor").stdout.strip() == "nano"
    assert remote_config(remote) == {"goal": 2}


def test_an_editor_left_in_a_synced_config_is_dropped_with_a_note(
    laptop: Laptop, remote: Path, tmp_path: Path
) -> None:
    config = laptop.home / "config.json"  # type: ignore[attr-defined]
    config.write_text(json.dumps({"editor": "sh -c evil"}))  # merged by an older version

    assert laptop("config", "editor").stdout.strip() == "None"  # not obeyed meanwhile
    done = laptop("sync")

    assert done.exit_code == 0, done.stderr
    assert "ignored setting 'editor' in config.json" in done.stdout
    assert "`ally config editor VALUE`" in done.stdout
    assert "editor" not in remote_config(remote)


BAD_REMOTE_CONFIGS = {
    "a list": b"[]",
    "not JSON": b"{goal: 3",
    "a goal in words": json.dumps({"goal": "three"}).encode(),
    "a goal of zero": json.dumps({"goal": 0}).encode(),
    "a boolean goal": json.dumps({"goal": True}).encode(),
    "an unknown weekday": json.dumps({"week-start": "someday"}).encode(),
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("content", BAD_REMOTE_CONFIGS.values(), ids=list(BAD_REMOTE_CONFIGS))
def test_a_bad_remote_config_is_refused_and_nothing_changes(
    laptop: Laptop, remote: Path, tmp_path: Path, content: bytes
) -> None:
    assert laptop("config", "goal", "4").exit_code == 0
    assert laptop("sync").exit_code == 0
    commit = plant(remote, tmp_path, {"config.json": content})
    home: Path = laptop.home  # type: ignore[attr-defined]
    before = journal_files(home)

    done = laptop("sync")

    assert done.exit_code == 3
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("ally: ")
    assert commit[:10] in done.stderr and "config.json" in done.stderr
    assert journal_files(home) == before
    assert laptop("config", "goal").stdout.strip() == "4"

    plant(remote, tmp_path, {"config.json": json.dumps({"goal": 6}).encode()})
    fixed = laptop("sync")
    assert fixed.exit_code == 0, fixed.stderr
    assert laptop("config", "goal").stdout.strip() == "6"


# -- every record is checked at the door ----------------------------------------------------------

DAY = "entries/2026-11-23.json"


def remote_bytes(remote: Path, path: str) -> bytes | None:
    done = subprocess.run(
        ["git", "--git-dir", str(remote), "show", f"main:{path}"], capture_output=True
    )
    return done.stdout if done.returncode == 0 else None


def remote_json(remote: Path, path: str) -> object:
    return json.loads(remote_bytes(remote, path) or b"null")


def day_file(*records: dict[str, object]) -> bytes:
    return json.dumps({"entries": {str(n): r for n, r in enumerate(records, 1)}}).encode()


def win(**fields: object) -> dict[str, object]:
    """A planted win: a good one, but for `fields`."""
    record: dict[str, object] = {
        "id": "planted01",
        "kind": "win",
        "date": "2026-11-23",
        "text": "Planted",
        "size": "small",
        "created_at": "2026-11-23T09:00:00+00:00",
        "updated_at": "2026-11-23T09:00:00+00:00",
    }
    record.update(fields)
    return {key: value for key, value in record.items() if value is not ...}


def table(name: str, *records: object) -> bytes:
    return json.dumps({name: {str(n): r for n, r in enumerate(records, 1)}}).encode()


PERSON = {"handle": "maya", "name": "Maya", "created_at": "2026-11-01T09:00:00+00:00"}

# Each case: the files a hostile remote holds (DAY's own good record is added by the test, so
# a refusal is never just "the file lost an entry").
HOSTILE: dict[str, dict[str, bytes]] = {
    "date escaping the journal": {DAY: day_file(win(date="../../PWNED"))},
    "absolute date": {DAY: day_file(win(date="/tmp/PWNED"))},
    "NUL in the date": {DAY: day_file(win(date="2026-11-23\x00"))},
    "impossible date": {"entries/2026-02-30.json": day_file(win(date="2026-02-30"))},
    "another day's date": {DAY: day_file(win(date="2026-11-20"))},
    "null date": {DAY: day_file(win(date=None))},
    "no date": {DAY: day_file(win(date=...))},
    "unknown kind": {DAY: day_file(win(kind="hack"))},
    "no text": {DAY: day_file(win(text=...))},
    "blank text": {DAY: day_file(win(text="   "))},
    "text not a string": {DAY: day_file(win(text={"a": 1}))},
    "escape sequence in the id": {DAY: day_file(win(id="\x1b[31mred\x1b[0m"))},
    "markup in the id": {DAY: day_file(win(id="[bold]x[/bold]"))},
    "bad size": {DAY: day_file(win(size="huge"))},
    "bad time": {DAY: day_file(win(created_at="yesterday"))},
    "help for no handle": {DAY: day_file(win(kind="help", ally="[red]", help_kind="advice"))},
    "an id on two days": {
        DAY: day_file(win()),
        "entries/2026-11-20.json": day_file(win(date="2026-11-20")),
    },
    "a record that is a list": {DAY: day_file(["not", "a", "record"])},  # type: ignore[arg-type]
    "a record number that is not one": {DAY: json.dumps({"entries": {"x": win()}}).encode()},
    "a record number in other digits": {DAY: json.dumps({"entries": {"²": win()}}).encode()},
    "day file that is a list": {DAY: b"[]"},
    "entries that are a list": {DAY: b'{"entries": []}'},
    "another table": {DAY: b'{"_default": {}}'},
    "not JSON": {DAY: b'{"entries": '},
    "nested a hundred thousand deep": {DAY: b"[" * 100_000 + b"]" * 100_000},
    "a file named for no day": {"entries/2026-13-45.json": day_file(win(date="2026-13-45"))},
    "people that are a list": {"people.json": b"[]"},
    "a person with a bad handle": {"people.json": table("people", {**PERSON, "handle": "a b"})},
    "a person with no handle": {"people.json": table("people", {"name": "x"})},
    "a goal of no horizon": {
        "goals.json": table(
            "goals",
            {
                "id": "goal0001",
                "text": "Promotion",
                "people": ["maya"],
                "horizon": "forever",
                "status": "active",
                "created_at": "2026-11-01T09:00:00+00:00",
                "updated_at": "2026-11-01T09:00:00+00:00",
            },
        )
    },
    "a promise of no status": {
        "promises.json": table(
            "promises",
            {
                "id": "prom0001",
                "handle": "maya",
                "text": "Review her doc",
                "status": "maybe",
                "created_at": "2026-11-01T09:00:00+00:00",
                "updated_at": "2026-11-01T09:00:00+00:00",
            },
        )
    },
    "merged-away that is a table": {"merged-away.json": b"{}"},
}


@pytest.mark.parametrize("files", HOSTILE.values(), ids=list(HOSTILE))
def test_a_hostile_remote_is_refused_in_one_line_and_nothing_changes(
    laptop: Laptop, remote: Path, tmp_path: Path, files: dict[str, bytes]
) -> None:
    home: Path = laptop.home  # type: ignore[attr-defined]
    mine = remote_json(remote, DAY)
    planted = dict(files)
    if DAY in planted and planted[DAY].startswith(b'{"entries": {"1"'):
        rows = json.loads(planted[DAY])["entries"]
        rows.update({str(100 + n): r for n, r in enumerate(mine["entries"].values())})  # type: ignore[index,union-attr]
        planted[DAY] = json.dumps({"entries": rows}).encode()
    originals = {path: remote_bytes(remote, path) for path in planted}
    commit = plant(remote, tmp_path, planted)  # type: ignore[arg-type]
    before = journal_files(home)

    done = laptop("sync")

    assert done.exit_code == 3, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("ally: Refused ")
    assert commit[:10] in done.stderr
    assert any(path in done.stderr for path in planted)
    assert "\x1b" not in done.stderr and "[bold]" not in done.stderr.replace("'[bold]", "")
    assert journal_files(home) == before
    assert not (tmp_path / "PWNED").exists() and not Path("/tmp/PWNED").exists()
    assert laptop("list").exit_code == 0

    # Once the remote is repaired, the next sync works.
    plant(remote, tmp_path, originals)
    fixed = laptop("sync")
    assert fixed.exit_code == 0, fixed.stderr
    assert [e["text"] for e in json.loads(laptop("list", "--json").stdout)] == [
        "Shipped the release notes"
    ]


def test_skip_bad_merges_the_rest_and_keeps_what_was_here(
    laptop: Laptop, remote: Path, tmp_path: Path
) -> None:
    mine = next(iter(remote_json(remote, DAY)["entries"].values()))  # type: ignore[index]
    spoiled = {**mine, "text": ""}  # this machine's entry, damaged there
    arrived = win(id="arrived01", text="From the other laptop")
    hostile = win(id="hostile01", date="../../PWNED")
    plant(remote, tmp_path, {DAY: day_file(spoiled, arrived, hostile)})

    done = laptop("sync", "--skip-bad")

    assert done.exit_code == 0, done.stderr
    assert done.stdout.count("left out entries/2026-11-23.json") == 2
    assert "record 1: text is empty" in done.stdout
    listed = laptop("list", "--json")
    assert listed.exit_code == 0, listed.stderr
    assert sorted(e["text"] for e in json.loads(listed.stdout)) == [
        "From the other laptop",
        "Shipped the release notes",
    ]
    shared = remote_json(remote, DAY)["entries"].values()  # type: ignore[index]
    assert sorted(r["text"] for r in shared) == [
        "From the other laptop",
        "Shipped the release notes",
    ]
    again = laptop("sync")
    assert again.exit_code == 0 and "left out" not in again.stdout


def test_a_day_file_of_the_wrong_shape_is_never_read_as_a_deletion(
    laptop: Laptop, remote: Path, tmp_path: Path
) -> None:
    plant(remote, tmp_path, {DAY: b"[]"})
    assert laptop("sync").exit_code == 3

    done = laptop("sync", "--skip-bad")

    assert done.exit_code == 0, done.stderr
    assert "removed" not in done.stdout or "0 removed" in done.stdout
    assert [e["text"] for e in json.loads(laptop("list", "--json").stdout)] == [
        "Shipped the release notes"
    ]
    shared = remote_json(remote, DAY)["entries"].values()  # type: ignore[index]
    assert [r["text"] for r in shared] == ["Shipped the release notes"]


# -- what the remote's tree holds, besides files -------------------------------------------------


def plant_tree(remote: Path, tmp_path: Path, how: Callable[[Path], None]) -> str:
    """Commit whatever `how` does in an attacker's clone (symlinks, gitlinks…), and push."""
    clone = tmp_path / "attacker"
    if not clone.exists():
        git(tmp_path, "clone", "--quiet", str(remote), str(clone))
    git(clone, "fetch", "--quiet", "origin")
    git(clone, "reset", "--quiet", "--hard", "origin/main")
    how(clone)
    git(clone, "commit", "--quiet", "-m", "planted")
    git(clone, "push", "--quiet", "origin", "HEAD:main")
    return git(clone, "rev-parse", "HEAD").strip()


def symlinked_day(clone: Path) -> None:
    (clone / "entries" / "2026-11-20.json").symlink_to("/etc/passwd")
    git(clone, "add", "--all", ".")


def symlinked_people(clone: Path) -> None:
    (clone / "people.json").unlink(missing_ok=True)
    (clone / "people.json").symlink_to("../../outside.json")
    git(clone, "add", "--all", ".")


def gitlink_day(clone: Path) -> None:
    head = git(clone, "rev-parse", "HEAD").strip()
    git(clone, "update-index", "--add", "--cacheinfo", f"160000,{head},entries/2026-11-23.json")


def folder_for_a_day(clone: Path) -> None:
    (clone / "entries" / "2026-11-23.json").unlink()
    (clone / "entries" / "2026-11-23.json").mkdir()
    (clone / "entries" / "2026-11-23.json" / "x").write_text("{}")
    git(clone, "add", "--all", ".")


def huge_day(clone: Path) -> None:
    (clone / "entries" / "2026-11-20.json").write_bytes(b'{"entries": {}}' + b" " * (70 << 20))
    git(clone, "add", "--all", ".")


TREES = {
    "a day file that is a symlink": symlinked_day,
    "people that are a symlink out of the journal": symlinked_people,
    "a day file that is a submodule": gitlink_day,
    "a day file that is a folder": folder_for_a_day,
    "a day file of 70 MB": huge_day,
}


@pytest.mark.parametrize("how", TREES.values(), ids=list(TREES))
def test_a_remote_tree_with_more_than_files_is_refused(
    laptop: Laptop, remote: Path, tmp_path: Path, how: Callable[[Path], None]
) -> None:
    home: Path = laptop.home  # type: ignore[attr-defined]
    commit = plant_tree(remote, tmp_path, how)
    before = journal_files(home)

    done = laptop("sync")

    assert done.exit_code == 3, done.stdout + done.stderr
    assert done.stderr.count("\n") == 1 and commit[:10] in done.stderr
    assert journal_files(home) == before
    assert [e["text"] for e in json.loads(laptop("list", "--json").stdout)] == [
        "Shipped the release notes"
    ]


def test_a_remote_gitattributes_or_stray_file_is_never_taken(
    laptop: Laptop, remote: Path, tmp_path: Path
) -> None:
    home: Path = laptop.home  # type: ignore[attr-defined]
    plant(
        remote,
        tmp_path,
        {
            ".gitattributes": b"* filter=evil diff=evil\n",
            "hooks/post-merge": b"#!/bin/sh\ntouch PWNED\n",
            "index/weeks.json": b'{"2026-11-23": 99}',
            "notes.txt": b"hello",
        },
    )

    done = laptop("sync")

    assert done.exit_code == 0, done.stderr
    for name in (".gitattributes", "hooks", "notes.txt", "PWNED"):
        assert not (home / name).exists()
    assert laptop("status").stdout.startswith("0 of 3 allies")  # indexes are never taken


@pytest.mark.parametrize(
    "marker",
    [
        b'{"format": "allyjournal", "schema": 99}',
        b'{"format": "something-else", "schema": 3}',
        b"[]",
        b"not json",
    ],
    ids=["newer schema", "not a journal", "a list", "not JSON"],
)
def test_a_remote_of_another_schema_or_no_journal_is_refused(
    laptop: Laptop, remote: Path, tmp_path: Path, marker: bytes
) -> None:
    home: Path = laptop.home  # type: ignore[attr-defined]
    plant(remote, tmp_path, {"allyjournal.json": marker})
    before = journal_files(home)

    done = laptop("sync")

    assert done.exit_code != 0 and done.stderr.count("\n") == 1
    assert journal_files(home) == before


def test_skip_bad_leaves_out_a_symlink_and_merges_the_rest(
    laptop: Laptop, remote: Path, tmp_path: Path
) -> None:
    def how(clone: Path) -> None:
        symlinked_day(clone)
        (clone / "entries" / "2026-11-21.json").write_bytes(
            day_file(win(id="arrived01", date="2026-11-21", text="From the other laptop"))
        )
        git(clone, "add", "--all", ".")

    plant_tree(remote, tmp_path, how)
    assert laptop("sync").exit_code == 3

    done = laptop("sync", "--skip-bad")

    assert done.exit_code == 0, done.stderr
    assert "left out entries/2026-11-20.json" in done.stdout and "symbolic link" in done.stdout
    assert "From the other laptop" in laptop("list").stdout
    assert laptop("sync").exit_code == 0  # the pushed merge holds no symlink


# -- what reaches git's command line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "says"),
    [
        ("", "it is empty"),
        ("   ", "it is empty"),
        ("-f", "starts with '-'"),
        ("--mirror=push", "starts with '-'"),
        ("--upload-pack=touch /tmp/PWNED", "starts with '-'"),
        ("ext::sh -c touch% /tmp/PWNED", "transport sync does not use"),
        ("fd::3", "transport sync does not use"),
        ("ftp://example.org/journal.git", "transport sync does not use"),
        ("/tmp/journal.git\n--mirror", "control characters"),
    ],
)
def test_a_remote_git_would_read_as_an_option_or_a_program_is_refused(
    ally: Run, tmp_path: Path, remote: str, says: str
) -> None:
    home = tmp_path / "journal"
    ally("--home", str(home), "win", "Shipped it")
    before = journal_files(home)

    done = ally("--home", str(home), "sync", "init", "--", remote)

    assert done.exit_code == 2 and done.stderr.count("\n") == 1
    assert says in done.stderr
    assert not (home / ".git").exists()
    assert journal_files(home) == before
    assert not Path("/tmp/PWNED").exists()


def test_a_failed_first_sync_leaves_no_repository_behind(ally: Run, tmp_path: Path) -> None:
    home = tmp_path / "journal"
    ally("--home", str(home), "win", "Shipped it")
    missing = tmp_path / "no-such-remote.git"

    done = ally("--home", str(home), "sync", "init", str(missing))

    assert done.exit_code != 0 and done.stderr.count("\n") == 1
    assert not (home / ".git").exists() and not (home / ".gitignore").exists()
    subprocess.run(["git", "init", "-q", "--bare", str(missing)], check=True)
    again = ally("--home", str(home), "sync", "init", str(missing))
    assert again.exit_code == 0, again.stderr
