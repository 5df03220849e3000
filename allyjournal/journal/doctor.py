"""`ally doctor`: look at every file of a journal, say what is wrong, and mend what is safe.

Checking never writes. Mending is limited to what can be recomputed (indexes, permissions,
missing people records) or restored whole from a backup with the user's consent; a damaged
file is never edited in place.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from allyjournal.core.errors import JournalError
from allyjournal.core.models import Person
from allyjournal.journal import backups, files
from allyjournal.journal.journal import PENDING, Journal


@dataclass(frozen=True)
class Problem:
    path: Path
    message: str
    fix: str  # "indexes", "permissions", "people", "restore" or "" when only a person can decide


@dataclass(frozen=True)
class Checkup:
    problems: list[Problem]
    entries: int
    people: int
    backups: list[backups.Backup]

    @property
    def needs_restore(self) -> bool:
        return any(problem.fix == "restore" for problem in self.problems)


def _parses(path: Path) -> str | None:
    """Why `path` is not readable JSON, or None when it is."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        return error.strerror or "unreadable"
    if not raw:
        return "empty"
    try:
        json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return "not valid JSON (truncated or overwritten?)"
    return None


def examine(journal: Journal) -> Checkup:
    problems: list[Problem] = []
    for path in [*journal.data_paths(), journal.home / "config.json", journal.home / "undo.json"]:
        if path.exists() and (reason := _parses(path)):
            problems.append(Problem(path, reason, "restore"))
    if problems:  # nothing further can be trusted until the files parse
        return Checkup(problems, 0, 0, good_backups(journal))
    try:
        journal.schema()
    except JournalError as error:
        return Checkup([Problem(journal.home, str(error), "")], 0, 0, good_backups(journal))
    if (journal.home / PENDING).exists():
        problems.append(Problem(journal.home / PENDING, "a change was interrupted", "indexes"))
    ids: Counter[str] = Counter()
    handles: set[str] = set()
    count = 0
    for month in journal.months():
        path = journal.entries_dir / f"{month}.json"
        try:
            month_entries = journal.read_month(month)
        except JournalError as error:
            problems.append(Problem(path, str(error), "restore"))
            continue
        for entry in month_entries:
            count += 1
            ids[entry.id] += 1
            handles.update(entry.people)
            if entry.date.isoformat()[:7] != month:
                problems.append(Problem(path, f"entry {entry.id[:7]} is dated {entry.date}", ""))
    for entry_id, seen in ids.items():
        if seen > 1:
            problems.append(Problem(journal.entries_dir, f"id {entry_id} is used {seen} times", ""))
    try:
        people = {person.handle for person in journal.people()}
    except JournalError as error:
        problems.append(Problem(journal.home / "people.json", str(error), "restore"))
        people = handles
    for handle in sorted(handles - people):
        problems.append(
            Problem(journal.home / "people.json", f"@{handle} has entries but no record", "people")
        )
    if not any(p.fix == "restore" for p in problems) and journal.stale_indexes():
        problems.append(
            Problem(journal.home / "index", "indexes disagree with the entries", "indexes")
        )
    for path in [journal.home, *sorted(journal.home.rglob("*"))]:
        if not files.is_private(path):
            problems.append(Problem(path, "readable by other users", "permissions"))
    return Checkup(problems, count, len(people), good_backups(journal))


def good_backups(journal: Journal) -> list[backups.Backup]:
    """Backups, newest first, in which every file parses."""
    return [
        backup
        for backup in reversed(backups.list_backups(journal.home))
        if all(_parses(path) is None for path in backup.path.rglob("*.json"))
    ]


def mend(journal: Journal, checkup: Checkup) -> list[str]:
    """Fix what can be recomputed; returns what was done. Restoring is `restore_newest`."""
    done: list[str] = []
    fixes = {problem.fix for problem in checkup.problems}
    if "permissions" in fixes:
        for path in [journal.home, *journal.home.rglob("*")]:
            files.make_private(path)
        done.append("made the journal readable by you only")
    if "people" in fixes:
        missing = [p.message.split()[0][1:] for p in checkup.problems if p.fix == "people"]
        journal.add(
            [], [Person(handle=handle) for handle in missing], "doctor added missing allies"
        )
        done.append(f"added records for {', '.join('@' + h for h in missing)}")
    if "indexes" in fixes:
        journal.repair_indexes()
        done.append("rebuilt the indexes from the entries")
    return done


def restore_newest(journal: Journal, checkup: Checkup) -> backups.Backup:
    """Restore the newest backup whose files all parse; the damaged files are kept aside."""
    if not checkup.backups:
        raise JournalError(
            f"No good backup to restore in {backups.backups_dir(journal.home)}; the damaged "
            "files were left as they are."
        )
    journal.restore(checkup.backups[0].name)
    return checkup.backups[0]
