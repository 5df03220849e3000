"""Every test gets its own empty journal and a fixed clock (Monday 23 November 2026)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allyjournal.cli import app

from helpers import TODAY, Result, Run


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
