"""A real full disk: the journal on a small tmpfs, filled to every level of free space in
turn, while `ally win`, `edit` and `import` run. Skipped (with the reason) where mounting a
tmpfs is not allowed; tests/test_faults.py injects ENOSPC everywhere else."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allyjournal.cli import app
from allyjournal.journal import doctor
from allyjournal.store import Journal

from helpers import commands, undo_depth, visible_state

PAGE = 4096


@contextmanager
def small_disk(path: Path, size: int) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip() or 'not allowed'}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="mounting needs root")
@pytest.mark.parametrize("name", ["win", "edit", "import"])
def test_a_full_disk_at_every_level_leaves_before_or_after(
    template: Path, tmp_path: Path, name: str
) -> None:
    runner = CliRunner()
    saw_refusal = saw_success = False
    for pages in range(0, 40):
        with small_disk(tmp_path / f"disk{pages}", 2 * 1024 * 1024) as disk:
            shutil.copytree(template.parent, disk / "copy")
            home = disk / "copy" / "journal"
            before, depth = visible_state(home), undo_depth(home)
            stats = os.statvfs(disk)
            filler = stats.f_bavail * stats.f_frsize - pages * PAGE
            with open(disk / "filler", "wb") as handle:
                handle.truncate(0)
                handle.write(b"\0" * max(0, filler))
            result = runner.invoke(
                app, list(commands(home)[name]), env={"ALLYJOURNAL_HOME": str(home)}
            )
            (disk / "filler").unlink()
            state = visible_state(home)
            if result.exit_code == 0:
                saw_success = True
                assert state != before and undo_depth(home) == depth + 1
            else:
                saw_refusal = True
                lines = result.stderr.strip().splitlines()
                assert len(lines) == 1 and "disk is full" in lines[0], result.stderr
                assert state == before and undo_depth(home) == depth, pages
            assert not Journal(home).stale_indexes()
            assert doctor.examine(Journal(home)).problems == []
        if saw_success and pages > 10:
            break
    assert saw_refusal and saw_success
