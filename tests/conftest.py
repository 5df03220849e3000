"""Every test gets its own empty journal and a fixed clock (Monday 23 November 2026)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from allyjournal.cli import app, load_commands

load_commands()  # the console script loads only the command it runs; tests use them all

TODAY = "2026-11-23"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    journal = tmp_path / "journal"
    monkeypatch.setenv("ALLYJOURNAL_HOME", str(journal))
    monkeypatch.setenv("ALLYJOURNAL_TODAY", TODAY)
    monkeypatch.setenv("ALLYJOURNAL_LOCK_TIMEOUT", "5")
    monkeypatch.delenv("EDITOR", raising=False)
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("COLUMNS", "80")
    return journal


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result({self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


Run = Callable[..., Result]


@pytest.fixture
def ally() -> Run:
    """Run the CLI in-process, as a user would type it; returns exit code, stdout, stderr."""

    def run(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        outcome = runner.invoke(app, list(args), input=input, catch_exceptions=False)
        return Result(outcome.exit_code, outcome.stdout, outcome.stderr)

    return run


@pytest.fixture
def ally_process() -> Run:
    """Run the installed `ally` in a real subprocess, for end-to-end paths."""
    executable = shutil.which("ally", path=str(Path(sys.executable).parent)) or "ally"

    def run(*args: str, input: str | None = None) -> Result:
        completed = subprocess.run(
            [executable, *args], input=input, capture_output=True, text=True, env=os.environ.copy()
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return run


def snapshot_bytes(home: Path) -> dict[str, bytes]:
    """Every file of a journal, to assert that a failed command wrote nothing."""
    if not home.exists():
        return {}
    return {
        str(path.relative_to(home)): path.read_bytes()
        for path in sorted(home.rglob("*"))
        if path.is_file() and path.name != ".lock"
    }
