"""`ally doctor`: look at every file of a journal, say what is wrong, and mend what is safe.

Checking never writes. Mending never rolls the journal back: it rebuilds what is derived
(indexes), sets aside what is only local (a damaged undo log or settings file, kept beside the
original as `<name>.damaged-<time>`), adds records for people that entries name, and only for a
damaged data file puts back that one file from the newest backup that holds it whole.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from allyjournal.core.errors import JournalError, UnreadableJournal
from allyjournal.core.models import Person, now_iso
from allyjournal.journal import backups, files, indexes, layout, search, storage
from allyjournal.journal.journal import Journal

# What mending does about a problem.
REBUILD, SET_ASIDE, FROM_BACKUP, ADD_PERSON, PERMISSIONS, NEW_MARKER = (
    "rebuild indexes", "set aside", "from backup", "add person", "permissions", "new marker",
)  # fmt: skip


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    fix: str = ""  # one of the constants above, or "" when only a person can decide
    handle: str = ""  # for ADD_PERSON


@dataclass
class Checkup:
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    people: int = 0

    def add(self, path: Path, message: str, fix: str = "", handle: str = "") -> None:
        self.problems.append(Problem(path, message, fix, handle))


def _why_unreadable(path: Path) -> str | None:
    try:
        files.read_json(path)
    except UnreadableJournal as error:
        return str(error).split(";")[0]
    return None


def examine(journal: Journal) -> Checkup:
    """Every problem found, without writing anything."""
    home, checkup = journal.home, Checkup()
    if (home / layout.COMMIT).exists():
        checkup.add(home / layout.COMMIT, "a change was interrupted; the next command finishes it")
    if reason := _why_unreadable(home / layout.META):
        checkup.add(home / layout.META, reason, NEW_MARKER)
    else:
        try:
            journal.schema()
        except JournalError as error:
            checkup.add(home / layout.META, str(error))
            return checkup
    for name, fix in ((layout.CONFIG, SET_ASIDE), (layout.UNDO_LOG, SET_ASIDE)):
        if reason := _why_unreadable(home / name):
            checkup.add(home / name, reason, fix)
    if not (home / layout.CONFIG).exists() or not _why_unreadable(home / layout.CONFIG):
        try:
            journal.config()
        except JournalError as error:
            checkup.add(home / layout.CONFIG, str(error), SET_ASIDE)
    ids: Counter[str] = Counter()
    handles: set[str] = set()
    damaged = False
    index = search.Inspection(home)
    unsearchable = 0
    for month in journal.months():
        path = home / layout.partition(month)
        try:
            month_entries = journal.read_month(month)
        except UnreadableJournal as error:
            checkup.add(path, str(error).split(";")[0], FROM_BACKUP)
            damaged = True
            continue
        for entry in month_entries:
            checkup.entries += 1
            ids[entry.id] += 1
            handles.update(entry.people)
            if entry.date.isoformat()[:7] != month:
                checkup.add(path, f"entry {entry.id[:7]} is dated {entry.date}")
        if not index.agrees(month, {entry.id for entry in month_entries}):
            unsearchable += 1
    index.close()
    if index.damaged or unsearchable:
        checkup.add(
            home / search.PATH,
            "the search index is damaged"
            if index.damaged
            else f"the search index disagrees with {unsearchable} partitions",
            REBUILD,
        )
    for entry_id, seen in ids.items():
        if seen > 1:
            checkup.add(home / layout.ENTRIES, f"id {entry_id} is stored {seen} times")
    try:
        people = {person.handle for person in journal.people()}
        checkup.people = len(people)
        for handle in sorted(handles - people):
            checkup.add(
                home / layout.PEOPLE, f"@{handle} has entries but no record", ADD_PERSON, handle
            )
    except UnreadableJournal as error:
        checkup.add(home / layout.PEOPLE, str(error).split(";")[0], FROM_BACKUP)
        damaged = True
    if not damaged:
        stale = indexes.stale_indexes(home)
        if stale:
            checkup.add(
                home / layout.INDEX, f"{len(stale)} index files disagree with the entries", REBUILD
            )
    for path in [home, *sorted(home.rglob("*"))]:
        if not path.is_symlink() and not files.is_private(path):
            checkup.add(path, "readable by other users", PERMISSIONS)
    return checkup


def _newest_backup_of(journal: Journal, relative: str) -> tuple[str, object] | None:
    """The newest backup holding `relative` whole: its name and the file's content."""
    for backup in reversed(backups.list_backups(journal.home)):
        if relative in backup.files and not _why_unreadable(backup.path / relative):
            return backup.name, files.read_json(backup.path / relative)
    return None


def mend(journal: Journal, checkup: Checkup) -> tuple[list[str], list[Problem]]:
    """Fix what can be fixed safely; returns what was done and what is left for a person."""
    done: list[str] = []
    left: list[Problem] = []
    home = journal.home
    fixes = {problem.fix for problem in checkup.problems}
    if PERMISSIONS in fixes:
        for path in [home, *home.rglob("*")]:
            if not path.is_symlink():
                files.make_private(path)
        done.append("made the journal readable by you only")
    if NEW_MARKER in fixes:
        aside = home / f"{layout.META}.damaged-{now_iso()[:19].replace(':', '')}"
        (home / layout.META).rename(aside)
        marker = {"format": "allyjournal", "schema": layout.SCHEMA_VERSION, "created_at": now_iso()}
        files.write_json(home / layout.META, marker)
        done.append(f"set the damaged format marker aside as {aside.name}")
    with journal._change("doctor mended the journal", undoable=False) as change:
        for problem in checkup.problems:
            relative = str(problem.path.relative_to(home)) if problem.path != home else ""
            if problem.fix == SET_ASIDE:
                change.set_aside(relative)
                if relative == layout.CONFIG:
                    change.delete(relative)
                else:
                    change.write(relative, [])
                done.append(f"set {relative} aside (kept as {relative}.damaged-…)")
            elif problem.fix == FROM_BACKUP:
                found = _newest_backup_of(journal, relative)
                if found is None:
                    left.append(problem)
                    continue
                change.set_aside(relative)
                change.write(relative, found[1])
                done.append(
                    f"put back {relative} from backup {found[0]} (the damaged file is kept)"
                )
            elif problem.fix == ADD_PERSON:
                storage.table(change, layout.PEOPLE).insert(
                    Person(handle=problem.handle).to_record()
                )
                done.append(f"added a record for @{problem.handle}")
            elif not problem.fix:
                left.append(problem)
        if REBUILD in fixes or FROM_BACKUP in fixes or (home / layout.LEGACY_PENDING).exists():
            change.rebuild_indexes()
            search.discard(home)  # rebuilt by the next search
            done.append("rebuilt the indexes from the entries")
    return done, left
