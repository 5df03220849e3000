"""Snapshots of the journal's data files: before an import, a restore or a migration, and
whenever you ask (`ally backup`).

Journal files are only ever replaced, never modified in place (change.py), so an automatic
snapshot hard-links each file instead of copying it: the old bytes stay reachable from the
backup after the journal moves on, and a snapshot of a large journal costs milliseconds.
Backups you ask for are full copies. A backup is read back only through its manifest, and
only paths of the journal's own data files are accepted from it.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from allyjournal.core.errors import BadInput, UnreadableJournal
from allyjournal.journal import files, layout

MANIFEST = "backup.json"
AUTOMATIC = "auto"
NAME = re.compile(r"^[0-9]{8}T[0-9]{12}Z-(auto|manual)-[a-z0-9-]{1,40}$")


@dataclass(frozen=True)
class Backup:
    name: str
    path: Path
    reason: str
    created_at: str
    automatic: bool
    files: tuple[str, ...]


def backups_dir(home: Path) -> Path:
    return home / layout.BACKUPS


def data_files(home: Path) -> list[str]:
    """Every file a backup must hold to restore the journal's content exactly."""
    found = [name for name in layout.RECORD_FILES if (home / name).is_file()]
    return found + [layout.partition(key) for key in _keys(home)]


def _keys(home: Path) -> list[str]:
    from allyjournal.journal.indexes import partition_keys

    return partition_keys(home)


def snapshot(home: Path, *, reason: str, keep: int, automatic: bool = True) -> str:
    """Preserve the data files as a new backup; returns its name. Automatic backups beyond
    the newest `keep` are removed."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    slug = re.sub(r"[^a-z0-9]+", "-", reason.lower()).strip("-")[:40] or "backup"
    name = f"{stamp}-{AUTOMATIC if automatic else 'manual'}-{slug}"
    target = backups_dir(home) / name
    paths = data_files(home)
    try:
        files.ensure_private_dir(target)
        for folder in sorted({os.path.dirname(relative) for relative in paths} - {""}):
            files.ensure_private_dir(target / folder)
        source_folder, target_folder = str(home), str(target)  # strings: one call per file
        for relative in paths:
            if automatic:
                try:
                    os.link(f"{source_folder}/{relative}", f"{target_folder}/{relative}")
                    continue
                except OSError:  # a file system without hard links: copy instead
                    pass
            destination = target / relative
            # A backup the user asked for is a real copy: it must survive even a program that
            # edits journal files in place, which would change every hard link at once. Its
            # modification times are kept, so a restore can tell unchanged files at a glance.
            shutil.copy2(home / relative, destination)
            os.chmod(destination, files.PRIVATE_FILE)
        files.write_json(
            target / MANIFEST,
            {
                "reason": reason,
                "created_at": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
                "automatic": automatic,
                "files": paths,
            },
        )
    except OSError as error:
        shutil.rmtree(target, ignore_errors=True)
        raise files.cannot_write(
            target, error, "No backup was taken; nothing was changed."
        ) from None
    if automatic:
        _prune(home, keep)
    return name


def _prune(home: Path, keep: int) -> None:
    """Remove automatic backups beyond the newest `keep`, told by their names (which start
    with their time), so pruning never reads the manifests of thousands of files."""
    folder = backups_dir(home)
    names = sorted(
        name for name in os.listdir(folder) if NAME.match(name) and name.split("-")[1] == AUTOMATIC
    )
    for name in names[:-keep] if keep > 0 else names:
        shutil.rmtree(folder / name, ignore_errors=True)


def _read_manifest(path: Path) -> Backup | None:
    """The backup in folder `path`, or None when it is not one (no manifest, a bad one, or a
    name this program would not have given it)."""
    if not NAME.match(path.name) or path.is_symlink() or not path.is_dir():
        return None
    try:
        record = files.read_json(path / MANIFEST)
    except UnreadableJournal:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("files"), list):
        return None
    paths = tuple(str(item) for item in record["files"])
    if not all(layout.is_truth(item) for item in paths):
        return None
    return Backup(
        name=path.name,
        path=path,
        reason=str(record.get("reason", "")),
        created_at=str(record.get("created_at", "")),
        automatic=bool(record.get("automatic", True)),
        files=paths,
    )


def list_backups(home: Path) -> list[Backup]:
    """Backups oldest first; a folder without a valid manifest is not a backup."""
    folder = backups_dir(home)
    if not folder.is_dir():
        return []
    found = (_read_manifest(path) for path in sorted(folder.iterdir()))
    return [backup for backup in found if backup is not None]


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


def contents(backup: Backup, home: Path | None = None) -> dict[str, Any]:
    """The data files of a backup, parsed and checked; refuses the backup whole otherwise.

    With `home`, a file that is the journal's own file (a hard link) or holds the same bytes is
    left out: restoring costs what differs, not the journal's size. The format marker is read
    either way, to refuse a backup this version cannot restore.
    """
    marker = files.read_json(backup.path / layout.META) if layout.META in backup.files else None
    if isinstance(marker, dict) and "encryption" not in marker:
        # A backup taken before `ally encrypt` is in clear, as that journal was; the restore
        # writes it sealed.
        with files.sealing_clear_files():
            return _contents(backup, home)
    return _contents(backup, home)


def _contents(backup: Backup, home: Path | None) -> dict[str, Any]:
    from allyjournal.journal.indexes import view_of

    result: dict[str, Any] = {}
    kept_folder, home_folder = str(backup.path), str(home) if home is not None else None
    for relative in backup.files:
        # Two stats a file, on strings: a restore of a large journal looks at thousands.
        kept = f"{kept_folder}/{relative}"
        try:
            status = os.lstat(kept)
        except OSError:
            status = None
        if status is None or not stat.S_ISREG(status.st_mode):
            raise UnreadableJournal(f"{kept} is missing or not a plain file; nothing restored.")
        if home_folder is not None and _same_content(f"{home_folder}/{relative}", kept, status):
            continue
        path = backup.path / relative
        content = files.read_json(path)
        if layout.partition_key(relative) is not None:
            view_of(str(path), content)
        result[relative] = content
    if layout.META in backup.files:
        meta = result.get(layout.META) or files.read_json(backup.path / layout.META)
    else:
        meta = {"schema": 0} if layout.LEGACY_SINGLE_FILE in backup.files else None
    if not isinstance(meta, dict) or not isinstance(meta.get("schema"), int):
        raise UnreadableJournal(f"{backup.path} holds no journal format marker; nothing restored.")
    if meta["schema"] > layout.SCHEMA_VERSION:
        raise UnreadableJournal(
            f"{backup.path} was written by a newer allyjournal; upgrade to restore it. "
            "Nothing was restored."
        )
    return result


def _same_content(current: str, kept: str, kept_status: os.stat_result) -> bool:
    """Whether the journal's file already is the backup's file, or holds the same bytes.

    A hard link is the same file; a copy with the same size and modification time is taken
    as the same (as rsync's quick check does: allyjournal never edits a file in place, so a
    changed file is a new file with a new time); anything else is compared byte for byte.
    """
    try:
        mine = os.stat(current)
    except OSError:
        return False
    if (mine.st_ino, mine.st_dev) == (kept_status.st_ino, kept_status.st_dev):
        return True
    if mine.st_size != kept_status.st_size:
        return False
    if mine.st_mtime_ns == kept_status.st_mtime_ns:
        return True
    try:
        return Path(current).read_bytes() == Path(kept).read_bytes()
    except OSError:
        return False
