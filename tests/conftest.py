"""Every test gets its own empty journal and a fixed clock (Monday 23 November 2026)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allyjournal.cli import app

from helpers import TODAY, Result, Run, installed_ally


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Outside the source tree, as a user runs it: a process started here cannot import the
    # package from the checkout by accident.
    monkeypatch.chdir(tmp_path)
    journal = tmp_path / "journal"
    journal.mkdir(mode=0o700)  # chosen on purpose, as a user setting $ALLYJOURNAL_HOME would
    monkeypatch.setenv("ALLYJOURNAL_HOME", str(journal))
    monkeypatch.setenv("ALLYJOURNAL_TODAY", TODAY)
    monkeypatch.setenv("ALLYJOURNAL_LOCK_TIMEOUT", "5")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    # Encryption keys go to the test's own folder, never to a real keyring or config dir.
    monkeypatch.setenv("ALLYJOURNAL_KEY_DIR", str(tmp_path / "keys"))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    monkeypatch.delenv("ALLYJOURNAL_PASSPHRASE_COMMAND", raising=False)
    return journal


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """An empty bare repository: a sync remote on this disk."""
    path = tmp_path / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    return path


@pytest.fixture
def ally() -> Run:
    """Run the CLI in-process, as a user would type it; returns exit code, stdout, stderr."""

    from allyjournal.journal import files

    def run(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        try:
            outcome = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        finally:
            # Each command is a new process for a user: an encrypted journal's key, loaded by
            # one command, must not be there for the next (it hid a command that read a file
            # before loading the key).
            files.use_cipher(None)
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

    return run


@pytest.fixture
def ally_process() -> Run:
    """Run the installed `ally` in a real subprocess, for end-to-end paths."""
    executable = installed_ally()

    def run(*args: str, input: str | None = None) -> Result:
        completed = subprocess.run(
            [executable, *args], input=input, capture_output=True, text=True, env=os.environ.copy()
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return run


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A journal with entries in two months, two allies, a backup and an import file."""
    home = tmp_path_factory.mktemp("template") / "journal"
    runner = CliRunner()
    env = {"ALLYJOURNAL_HOME": str(home), "ALLYJOURNAL_TODAY": "2026-11-23"}
    for args in (
        ("helped", "maya", "Career chat", "--kind", "conversation", "--date", "2026-11-03"),
        ("win", "Shipped with @maya #launch", "--big", "--date", "2026-11-10"),
        ("helped", "sam", "Intro to the platform lead", "--kind", "intro", "--date", "2026-10-12"),
        ("backup", "known-good"),
        ("win", "After the backup", "--date", "2026-11-20"),
        ("goal", "add", "maya", "Staff engineer by 2027"),
        ("promise", "maya", "Introduce her to the VP", "--by", "2026-11-30"),
    ):
        assert runner.invoke(app, list(args), env=env).exit_code == 0
    export = {
        "format": "allyjournal",
        "version": 1,
        "entries": [
            {"id": f"{n:032x}", "kind": "win", "date": f"2026-0{n}-01", "text": f"old {n}"}
            for n in range(1, 4)
        ],
        "people": [],
    }
    (home.parent / "import.json").write_text(json.dumps(export))
    gone = {
        "id": "fade" * 8,
        "kind": "help",
        "date": "2026-11-12",
        "text": "Gone by a sync",
        "ally": "lee",
        "help_kind": "mentoring",
        "created_at": "2026-11-12T09:00:00+00:00",
    }
    (home / "merged-away.json").write_text(
        json.dumps(
            [{"merged_at": "2026-11-22T10:00:00+00:00", "what": "removed entry", "record": gone}]
        )
    )  # an entry a sync merge deleted here, for `ally sync recover`
    (home / "merged-away.json").chmod(0o600)
    return home
