"""What users install: the wheel holds every module, and the installed `ally` runs from outside
the source tree (a fixed package list once shipped `cli.py` and none of the subpackages, and
every test passed because every test ran the editable install)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import allyjournal
from allyjournal.journal.layout import SCHEMA_VERSION

from helpers import installed_ally

ROOT = Path(__file__).parent.parent
PACKAGE = ROOT / "allyjournal"


def source_files() -> set[str]:
    """Every file of the package in the checkout, as a wheel names them."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in PACKAGE.rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }


def source_modules() -> list[str]:
    names = []
    for name in sorted(source_files()):
        if name.endswith(".py"):
            dotted = name.removesuffix(".py").replace("/", ".")
            names.append(dotted.removesuffix(".__init__"))
    return [name for name in names if name != "allyjournal.__main__"]  # that one runs `ally`


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel built from the checkout as `pip install .` builds it (isolated build)."""
    built = os.environ.get("ALLYJOURNAL_TEST_WHEEL")
    if built:
        return Path(built)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    return next(out.glob("allyjournal-*.whl"))


def test_the_wheel_holds_every_file_of_the_package(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        packed = {name for name in archive.namelist() if name.startswith("allyjournal/")}
    missing = source_files() - packed
    assert not missing, f"left out of the wheel: {sorted(missing)}"


def test_the_wheel_says_what_it_is(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        info = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
        licence = [n for n in archive.namelist() if n.endswith("licenses/LICENSE")]
    assert f"\nVersion: {allyjournal.__version__}\n" in metadata
    assert "\nLicense-Expression: MIT\n" in metadata
    assert "\nRequires-Python: >=3.10\n" in metadata
    assert "\nClassifier: Environment :: Console\n" in metadata
    assert "\nKeywords: " in metadata
    assert "# allyjournal" in metadata  # the README is the long description
    assert licence
    for script in ("ally", "allyjournal"):
        assert re.search(rf"^{script} = allyjournal\.launch:main$", entry_points, re.M)


def installed_python() -> str:
    """The Python of the environment the tested `ally` is installed in."""
    ally = Path(installed_ally())
    return str(ally.parent / ("python.exe" if ally.suffix == ".exe" else "python"))


def test_the_installed_package_imports_every_module(tmp_path: Path) -> None:
    """Every module, imported by the installed environment's Python from a folder outside the
    checkout: a module missing from the wheel, or a dependency missing from pyproject.toml,
    fails here (not only when some user reaches that command)."""
    probe = (
        "import importlib, sys, allyjournal\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "print(allyjournal.__file__)\n"
    )
    completed = subprocess.run(
        [installed_python(), "-c", probe, *source_modules()],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert completed.returncode == 0, completed.stderr
    if os.environ.get("ALLYJOURNAL_TEST_ALLY"):  # CI: the wheel, not the checkout
        assert ROOT not in Path(completed.stdout.strip()).parents


@pytest.mark.parametrize("how", ["ally", "allyjournal", "python -m allyjournal"])
def test_every_entry_point_tells_its_version_and_the_schema_it_writes(
    how: str, tmp_path: Path
) -> None:
    bin_dir = Path(installed_ally()).parent
    program = [installed_python(), "-m", "allyjournal"] if how.startswith("python") else []
    program = program or [str(bin_dir / how)]
    completed = subprocess.run(
        [*program, "--version"], capture_output=True, text=True, cwd=tmp_path
    )
    assert completed.returncode == 0, completed.stderr
    expected = f"allyjournal {allyjournal.__version__} (journal schema {SCHEMA_VERSION})\n"
    assert completed.stdout == expected


def test_the_version_is_written_once() -> None:
    """The version lives in allyjournal/__init__.py; pyproject.toml reads it from there."""
    tomllib = pytest.importorskip("tomllib")  # the standard library's from Python 3.11
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    dynamic = project["tool"]["setuptools"]["dynamic"]["version"]
    assert dynamic == {"attr": "allyjournal.__version__"}


def test_the_changelog_names_this_release() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text()
    first = re.search(r"^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d{2}-\d{2}$", changelog, re.M)
    assert first, "CHANGELOG.md has no released version heading"
    assert first.group(1) == allyjournal.__version__
    assert f"schema {SCHEMA_VERSION}" in changelog
