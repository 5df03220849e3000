"""Snapshots of the journal's files, cheap enough to take before every destructive change.

Journal files are only ever replaced, never modified in place (files.write_atomic), so an
automatic snapshot can hard-link each file instead of copying it: the old bytes stay reachable
from the backup after the journal moves on, and a snapshot of a large journal costs
milliseconds. Backups the user asks for (`ally backup`) are full copies.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from allyjournal.core.errors import BadInput
from allyjournal.journal import files

MANIFEST = "backup.json"
AUTOMATIC = "auto"


@dataclass(frozen=True)
class Backup:
    name: str
    path: Path
    reason: str
    created_at: str
    automatic: bool
    files: int


def backups_dir(home: Path) -> Path:
    return home / "backups"


def snapshot(
    home: Path, paths: list[Path], *, reason: str, keep: int, automatic: bool = True
) -> str:
    """Preserve `paths` (all under `home`) as a new backup; returns the backup's name."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "backup"
    name = f"{stamp}-{AUTOMATIC if automatic else 'manual'}-{slug}"
    target = backups_dir(home) / name
    files.ensure_private_dir(target)
    for path in paths:
        relative = path.relative_to(home)
        destination = target / relative
        files.ensure_private_dir(destination.parent)
        if automatic:
            try:
                os.link(path, destination)
                continue
            except OSError:  # a file system without hard links: copy instead
                pass
        # A backup the user asked for is a real copy: it must survive even a program that
        # edits journal files in place, which would change every hard link at once.
        shutil.copy2(path, destination)
    files.write_json(
        target / MANIFEST,
        {
            "reason": reason,
            "created_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "automatic": automatic,
            "files": [str(path.relative_to(home)) for path in paths],
        },
    )
    if automatic:
        _prune(home, keep)
    return name


def _prune(home: Path, keep: int) -> None:
    automatic = [backup for backup in list_backups(home) if backup.automatic]
    for backup in automatic[:-keep] if keep > 0 else automatic:
        shutil.rmtree(backup.path, ignore_errors=True)


def list_backups(home: Path) -> list[Backup]:
    """Backups oldest first; a folder without a readable manifest is not a backup."""
    folder = backups_dir(home)
    if not folder.exists():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        manifest = path / MANIFEST
        try:
            record = files.read_json(manifest)
        except Exception:
            continue
        if isinstance(record, dict):
            found.append(
                Backup(
                    name=path.name,
                    path=path,
                    reason=str(record.get("reason", "")),
                    created_at=str(record.get("created_at", "")),
                    automatic=bool(record.get("automatic", True)),
                    files=len(record.get("files", [])),
                )
            )
    return found


def find(home: Path, name: str) -> Backup:
    """A backup by its name or a unique prefix of it (names start with their UTC time)."""
    backups = list_backups(home)
    matches = [backup for backup in backups if backup.name.startswith(name)] if name else []
    exact = [backup for backup in matches if backup.name == name]
    if exact:
        return exact[0]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise BadInput(f"No backup named '{name}'; `ally backup --list` shows them.")
    raise BadInput(f"'{name}' matches {len(matches)} backups; type more of the name.")


def restore(home: Path, name: str, current: list[Path]) -> None:
    """Make the journal's data files exactly those of backup `name`."""
    source = backups_dir(home) / name
    manifest = files.read_json(source / MANIFEST)
    kept = {home / relative for relative in manifest["files"]}
    for relative in manifest["files"]:
        files.write_atomic(home / relative, (source / relative).read_bytes())
    for path in current:
        if path not in kept:
            path.unlink(missing_ok=True)
