"""Encryption at rest: `ally encrypt`, `ally sync init --encrypt`, keys, wrong passphrases.

Through the real CLI on a temporary journal; keys go to the test's own key folder (conftest).
"""

from __future__ import annotations

import json
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Run, snapshot_bytes

PASSPHRASE = "correct horse battery staple"
NAME = "zanzibar"  # a handle that appears nowhere else


def journal_bytes(home: Path) -> dict[str, bytes]:
    """Every file of the journal but its backups (the one taken before encrypting is, on
    purpose, the journal as it was)."""
    return {
        str(path.relative_to(home)): path.read_bytes()
        for path in home.rglob("*")
        if path.is_file()
        and "backups" not in path.relative_to(home).parts
        and ".git" not in path.relative_to(home).parts
    }


def encrypted_journal(ally: Run) -> None:
    ally("win", "Shipped the audit fixes #a11y")
    ally("helped", NAME, "Reviewed her design doc", "--kind", "feedback")
    ally("config", "name", "Ada Lovelace")
    ally("list", "--grep", "audit")  # a search index, which encrypting must remove
    result = ally("encrypt", input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert result.exit_code == 0, result.stderr
    assert "AES-256-GCM" in result.stdout and "before-encrypting" in result.stdout


def test_every_file_with_names_or_text_is_sealed_and_every_command_still_reads(
    ally: Run, home: Path
) -> None:
    encrypted_journal(ally)
    stored = journal_bytes(home)
    for name, data in stored.items():
        assert NAME.encode() not in data and b"Ada" not in data, name
    sealed = [name for name, data in stored.items() if data.startswith(b"ALLYENC1")]
    assert "people.json" in sealed and "config.json" in sealed
    assert any(name.startswith("entries/") for name in sealed)
    assert any(name.startswith("index/") for name in sealed)
    assert not any("search.sqlite" in name for name in stored)
    marker = json.loads(stored["allyjournal.json"])
    assert marker["encryption"]["kdf"] == "scrypt" and marker["encryption"]["n"] == 2**15
    assert f"@{NAME}" in ally("list").stdout
    assert ally("list", "--grep", "audit").stdout.count("audit") == 1  # by reading, no index
    assert "#a11y" in ally("tags").stdout
    assert "1 of 3" in ally("status").stdout
    assert ally("review").exit_code == 0
    assert ally("doctor").exit_code == 0
    assert ally("people", "show", NAME).exit_code == 0
    assert f"{NAME}: 1 time" in ally("export", "-f", "md").stdout
    ally("win", "After encrypting")
    assert ally("undo").exit_code == 0
    for name, data in journal_bytes(home).items():
        assert NAME.encode() not in data and b"After encrypting" not in data, name


def test_the_key_file_is_owner_only_and_outside_the_journal(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    encrypted_journal(ally)
    keys = list((tmp_path / "keys").glob("*.key"))
    assert len(keys) == 1
    assert stat.S_IMODE(keys[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(keys[0].parent.stat().st_mode) == 0o700
    assert home not in keys[0].parents


def test_without_the_key_a_command_says_how_and_reads_nothing(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    encrypted_journal(ally)
    for key in (tmp_path / "keys").glob("*.key"):
        key.unlink()
    before = snapshot_bytes(home)
    result = ally("list")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"ally: {home} is encrypted and its key is not on this machine: run an ally command "
        "at a terminal to type the passphrase once, or set ALLYJOURNAL_PASSPHRASE_COMMAND. "
        "Nothing was read or written."
    ]
    assert ally("win", "Blocked").exit_code == 2
    assert snapshot_bytes(home) == before


def test_a_wrong_passphrase_is_one_line_and_nothing_is_written(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(ally)
    for key in (tmp_path / "keys").glob("*.key"):
        key.unlink()
    before = snapshot_bytes(home)
    monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_COMMAND", "echo not the passphrase")
    result = ally("win", "With the wrong key")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "does not open this journal" in result.stderr
    assert snapshot_bytes(home) == before
    monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_COMMAND", f"echo {PASSPHRASE}")
    assert ally("win", "With the right one").exit_code == 0


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("\t" * 8, "control character"),
        (" " * 12, "too short"),
        ("   short   ", "too short"),
        ("correct\x1b[2Jhorse battery", "control character"),
    ],
    ids=["eight-tabs", "blanks", "short-in-blanks", "an-escape"],
)
def test_a_passphrase_nobody_could_type_again_is_refused(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, given: str, said: str
) -> None:
    ally("win", "Plain for now")
    before = snapshot_bytes(home)
    secret = tmp_path / "secret"
    secret.write_text(given)  # a password manager's output, as it printed it
    monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_COMMAND", f"cat {secret}")
    refused = ally("encrypt")
    assert refused.exit_code == 2, refused
    assert said in refused.stderr and refused.stderr.count("\n") == 1
    assert "\x1b[2J" not in refused.stderr
    assert snapshot_bytes(home) == before


def test_bad_passphrases_when_setting_one_change_nothing(ally: Run, home: Path) -> None:
    ally("win", "Plain for now")
    before = snapshot_bytes(home)
    short = ally("encrypt", input="short\nshort\n")
    assert short.exit_code == 2
    assert "too short" in short.stderr
    mismatch = ally("encrypt", input=f"{PASSPHRASE}\nsomething else\n")
    assert mismatch.exit_code != 0  # asked twice; the second did not match, and input ended
    assert snapshot_bytes(home) == {k: v for k, v in before.items()} or not any(
        data.startswith(b"ALLYENC1") for data in snapshot_bytes(home).values()
    )
    assert ally("list").stdout.count("Plain for now") == 1
    assert ally("encrypt", input=f"{PASSPHRASE}\n{PASSPHRASE}\n").exit_code == 0
    again = ally("encrypt", input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
    assert again.exit_code == 2 and "already encrypted" in again.stderr


def test_restoring_a_backup_from_before_encrypting_keeps_it_encrypted(
    ally: Run, home: Path
) -> None:
    encrypted_journal(ally)
    listed = ally("backup", "--list").stdout
    name = next(line.split()[0] for line in listed.splitlines() if "before encrypting" in line)
    assert ally("restore", name, "--yes").exit_code == 0
    assert f"@{NAME}" in ally("list").stdout
    for path, data in journal_bytes(home).items():
        assert NAME.encode() not in data, path


def remote_objects(remote: Path) -> bytes:
    """Every object the remote holds, decompressed."""
    return subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"],
        cwd=remote,
        capture_output=True,
        check=True,
    ).stdout


def test_an_encrypted_sync_puts_only_ciphertext_on_the_remote(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain_remote, secret_remote = tmp_path / "plain.git", tmp_path / "secret.git"
    for remote in (plain_remote, secret_remote):
        subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    plain = tmp_path / "plain-journal"
    ally("--home", str(plain), "helped", NAME, "Reviewed her design doc")
    assert ally("--home", str(plain), "sync", "init", str(plain_remote)).exit_code == 0
    assert NAME.encode() in remote_objects(plain_remote)  # the grep below can find it

    ally("helped", NAME, "Reviewed her design doc")
    result = ally("sync", "init", "--encrypt", str(secret_remote), input=f"{PASSPHRASE}\n" * 2)
    assert result.exit_code == 0, result.stderr
    ally("win", "Spoke up for zanzibar's idea in the review")
    assert ally("sync").exit_code == 0
    assert NAME.encode() not in remote_objects(secret_remote)
    assert b"design doc" not in remote_objects(secret_remote)

    # The second machine: the passphrase opens it; a wrong one merges nothing.
    other = tmp_path / "other"
    monkeypatch.setenv("ALLYJOURNAL_KEY_DIR", str(tmp_path / "other-keys"))
    monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_COMMAND", "echo wrong horse")
    wrong = ally("--home", str(other), "sync", "init", str(secret_remote))
    assert wrong.exit_code == 2 and "does not open this journal" in wrong.stderr
    assert not any(path.suffix == ".json" for path in other.rglob("*") if ".git" not in str(path))
    assert not (other / ".git").exists()  # the repository that init made is gone again
    assert not any((tmp_path / "other-keys").glob("*.key"))
    monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_COMMAND", f"echo {PASSPHRASE}")
    right = ally("--home", str(other), "sync", "init", str(secret_remote))
    assert right.exit_code == 0, right.stderr
    assert "Spoke up for zanzibar" in ally("--home", str(other), "list").stdout
    ally("--home", str(other), "win", "From the other machine")
    assert ally("--home", str(other), "sync").exit_code == 0
    monkeypatch.setenv("ALLYJOURNAL_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.delenv("ALLYJOURNAL_PASSPHRASE_COMMAND")
    assert ally("sync").exit_code == 0
    assert "From the other machine" in ally("list").stdout
    assert b"From the other machine" not in remote_objects(secret_remote)
    settle = ally("sync")
    assert "nothing to do" in settle.stdout  # sealed files settle: no merge ping-pong
    import socket

    def subjects(remote: Path) -> set[str]:
        log = ["git", "--git-dir", str(remote), "log", "--all", "--format=%s%n%an <%ae>"]
        return set(
            subprocess.run(log, capture_output=True, text=True, check=True).stdout.split("\n")
        )

    # The encrypted remote is not told which machine wrote (the plain one is, to tell them apart).
    assert {line for line in subjects(secret_remote) if line.startswith("ally: changes")} <= {
        "ally: changes"
    }
    assert not any(socket.gethostname() in line for line in subjects(secret_remote))
    assert f"ally: changes on {socket.gethostname()}" in subjects(plain_remote)
    assert subjects(secret_remote) & {"allyjournal <allyjournal@localhost>"}


def test_an_encrypted_journal_does_not_merge_with_a_plain_one(ally: Run, tmp_path: Path) -> None:
    remote = tmp_path / "r.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    plain = tmp_path / "plain-journal"
    ally("--home", str(plain), "win", "Plain")
    assert ally("--home", str(plain), "sync", "init", str(remote)).exit_code == 0
    ally("win", "Secret")
    result = ally("sync", "init", "--encrypt", str(remote), input=f"{PASSPHRASE}\n" * 2)
    assert result.exit_code == 1
    assert "the remote journal is" in result.stderr.lower() or "this journal is" in result.stderr
    assert ally("list").stdout.count("Secret") == 1
    assert "Plain" not in ally("list").stdout


def test_a_journal_that_already_synced_in_clear_is_not_encrypted_in_place(
    ally: Run, tmp_path: Path
) -> None:
    ally("win", "Synced in clear")
    assert ally("sync", "init").exit_code == 0
    result = ally("encrypt", input=f"{PASSPHRASE}\n" * 2)
    assert result.exit_code == 2
    assert "git history holds the journal in clear" in result.stderr


def test_the_key_is_kept_in_the_os_keyring_when_one_works(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import keyring
    from memory_keyring import STORED, MemoryKeyring

    STORED.clear()
    monkeypatch.delenv("ALLYJOURNAL_KEY_DIR")  # the keyring, then (never a real one: below)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        ally("helped", NAME, "Reviewed her design doc")
        result = ally("encrypt", input=f"{PASSPHRASE}\n{PASSPHRASE}\n")
        assert result.exit_code == 0, result.stderr
        assert "The key is kept in\n  the OS keyring" in result.stdout
        assert len(STORED) == 1 and not (tmp_path / "config").exists()
        marker = json.loads((home / "allyjournal.json").read_text())
        assert marker["encryption"]["store"] == "keyring"
        assert f"@{NAME}" in ally("list").stdout  # opened with the key from the keyring
        STORED.clear()
        assert ally("list").exit_code == 2  # no key anywhere now: refused, not guessed
    finally:
        keyring.set_keyring(previous)


CLEAR_DAY = {
    "entries": {
        "1": {
            "id": "planted01",
            "kind": "win",
            "date": "2026-11-20",
            "text": "Planted without the key",
            "size": "big",
            "created_at": "2026-11-20T09:00:00+00:00",
            "updated_at": "2026-11-20T09:00:00+00:00",
        }
    }
}


@pytest.mark.parametrize(
    ("path", "command"),
    [
        ("entries/2026-11-20.json", "list"),
        ("entries/2026-11-23.json", "list"),
        ("people.json", "list"),
        ("config.json", "review"),
    ],
)
def test_a_file_in_clear_in_an_encrypted_journal_is_never_read(
    ally: Run, home: Path, path: str, command: str
) -> None:
    encrypted_journal(ally)
    (home / path).write_text(json.dumps(CLEAR_DAY if path.startswith("entries") else {}))
    before = journal_bytes(home)

    listed = ally(command)

    assert listed.exit_code == 3
    assert listed.stderr.count("\n") == 1
    assert f"{path} is in clear, and this journal is encrypted" in listed.stderr
    assert "Planted without the key" not in listed.stdout
    assert journal_bytes(home) == before
    checked = ally("doctor")
    assert checked.exit_code != 0 and path in checked.stdout + checked.stderr


def test_a_remote_file_in_clear_is_refused_by_an_encrypted_journal(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    remote = tmp_path / "secret.git"
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    ally("win", "Shipped the audit fixes")
    assert (
        ally("sync", "init", "--encrypt", str(remote), input=f"{PASSPHRASE}\n" * 2).exit_code == 0
    )
    clone = tmp_path / "attacker"
    subprocess.run(["git", "clone", "-q", "-b", "main", str(remote), str(clone)], check=True)
    (clone / "entries").mkdir(exist_ok=True)
    (clone / "entries" / "2026-11-20.json").write_text(json.dumps(CLEAR_DAY))
    who = ["-c", "user.name=x", "-c", "user.email=x@example.org"]
    subprocess.run(["git", "-C", str(clone), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(clone), *who, "commit", "-qm", "planted"], check=True)
    subprocess.run(["git", "-C", str(clone), "push", "-q", "origin", "HEAD:main"], check=True)
    before = journal_bytes(home)

    done = ally("sync")

    assert done.exit_code == 3
    assert "entries/2026-11-20.json" in done.stderr and "in clear" in done.stderr
    assert journal_bytes(home) == before
    assert "Planted without the key" not in ally("list").stdout


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda key: key.chmod(0o644), "can be read or changed by others (mode 0644)"),
        (lambda key: key.chmod(0o666), "can be read or changed by others (mode 0666)"),
        (lambda key: key.write_bytes(b"not base64 at all!"), "is damaged"),
        (lambda key: key.write_bytes(b""), "is damaged"),
        (lambda key: key.write_bytes(b"c2hvcnQ="), "is damaged"),  # base64, but 5 bytes
    ],
    ids=["0644", "0666", "not base64", "empty", "too short"],
)
def test_a_key_file_others_can_read_or_a_damaged_one_is_not_used(
    ally: Run, home: Path, tmp_path: Path, damage: Callable[[Path], object], said: str
) -> None:
    encrypted_journal(ally)
    (key,) = (tmp_path / "keys").glob("*.key")
    damage(key)
    before = snapshot_bytes(home)

    result = ally("win", "With a key others could read")

    assert result.exit_code == 2, result.stderr
    assert result.stderr.count("\n") == 1 and said in result.stderr
    assert snapshot_bytes(home) == before


def test_a_passphrase_command_that_hangs_gives_up_in_one_line(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    encrypted_journal(ally)
    for key in (tmp_path / "keys").glob("*.key"):
        key.unlink()
    monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_COMMAND", "sleep 30")
    monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_TIMEOUT", "0.5")

    result = ally("status")

    assert result.exit_code == 2
    assert "did not answer within 0.5 s" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_sealed_day_file_moved_to_another_days_name_is_refused(ally: Run, home: Path) -> None:
    ally("win", "On the twentieth", "--date", "2026-11-20")
    ally("win", "On the twenty-third")
    assert ally("encrypt", input=f"{PASSPHRASE}\n{PASSPHRASE}\n").exit_code == 0
    day20, day23 = home / "entries" / "2026-11-20.json", home / "entries" / "2026-11-23.json"
    sealed20, sealed23 = day20.read_bytes(), day23.read_bytes()
    day20.write_bytes(sealed23)
    day23.write_bytes(sealed20)
    before = journal_bytes(home)

    for command in (
        ["list"],
        ["list", "--from", "2026-11-23"],
        ["review"],
        ["export", "--format", "json"],
    ):
        result = ally(*command)
        assert result.exit_code == 3, (command, result.stdout)
        assert "moved to another day's name" in result.stderr
        assert result.stderr.count("\n") == 1
    assert journal_bytes(home) == before


def rich_encrypted_journal(ally: Run) -> None:
    """An encrypted journal with a bit of everything: settings that travel and that stay,
    people, a goal, a promise, help, thanks, a reflection and a search index before sealing."""
    for args in (
        ["config", "name", "Ada Lovelace"],
        ["config", "role", "Staff Engineer"],
        ["config", "goal", "2"],
        ["config", "week-start", "sunday"],
        ["config", "editor", "nano"],
        ["people", "add", NAME, "--name", "Zan Zibar"],
        ["helped", NAME, "Introduced her to the platform lead", "--kind", "intro"],
        ["win", "Shipped the audit fixes #a11y"],
        ["thanks", NAME, "Reviewed my RFC"],
        ["goal", "add", NAME, "Lead the accessibility guild"],
        ["promise", NAME, "Share the staff-promotion rubric", "--by", "2026-11-27"],
        ["list", "--grep", "audit"],
    ):
        done = ally(*args)
        assert done.exit_code == 0, (args, done.stderr)
    assert ally("encrypt", input=f"{PASSPHRASE}\n{PASSPHRASE}\n").exit_code == 0


READ_COMMANDS = [
    ["review"],
    ["review", "--json"],
    ["status"],
    ["fairness"],
    ["agenda", NAME],
    ["list"],
    ["list", "--grep", "audit"],
    ["list", "--tag", "a11y"],
    ["list", "--ally", NAME],
    ["people"],
    ["people", "show", NAME],
    ["goal", "list"],
    ["promise", "list"],
    ["recognition", NAME],
    ["tags"],
    ["config"],
    ["config", "name"],
    ["export"],
    ["export", "--format", "json"],
    ["backup", "--list"],
    ["doctor"],
]


@pytest.mark.parametrize("command", READ_COMMANDS, ids=[" ".join(c) for c in READ_COMMANDS])
def test_every_command_reads_an_encrypted_journal_with_settings(
    ally: Run, home: Path, command: list[str]
) -> None:
    rich_encrypted_journal(ally)

    done = ally(*command)

    assert done.exit_code == 0, done.stderr
    assert "encrypted" not in done.stderr and "Traceback" not in done.stderr
    assert "Zan" not in json.dumps(journal_bytes(home).get("config.json", b"").decode("latin-1"))


def test_an_encrypted_review_honours_its_settings(ally: Run, home: Path) -> None:
    rich_encrypted_journal(ally)
    review = ally("review", "--json")
    assert review.exit_code == 0, review.stderr
    shown = json.loads(review.stdout)
    assert shown["goal"] == 2
    assert ally("status").stdout.startswith("1 of 2 allies")
    assert ally("config", "editor").stdout.strip() == "nano"
    assert b"Ada Lovelace" not in (home / "config.json").read_bytes()
