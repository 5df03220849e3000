"""The docs are a contract: every command has help with an example and is in the README."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from allyjournal.cli import app
from tests.conftest import Run

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


def command_paths() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    paths: list[tuple[str, ...]] = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        paths.append((name,))
        for sub in getattr(command, "commands", {}):
            paths.append((name, sub))
    return paths


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_has_help(ally: Run, path: tuple[str, ...]) -> None:
    result = ally(*path, "--help")
    assert result.exit_code == 0, result
    assert "Usage:" in result.stdout
    assert len(result.stdout.strip().splitlines()) > 4


@pytest.mark.parametrize("path", command_paths(), ids=" ".join)
def test_every_command_is_in_the_readme(path: tuple[str, ...]) -> None:
    assert f"ally {' '.join(path)}" in README or (
        len(path) == 2 and f"ally {path[0]} " in README and path[1] in README
    ), f"README.md does not mention `ally {' '.join(path)}`"


def test_version(ally: Run) -> None:
    result = ally("--version")
    assert result.exit_code == 0
    assert result.stdout.startswith("allyjournal ")


def test_every_command_has_a_home_module() -> None:
    from allyjournal.cli import COMMAND_MODULES

    top_level = {path[0] for path in command_paths()}
    assert top_level == {*COMMAND_MODULES, "win", "helped"}
