"""`ally doctor`: look at every file of a journal, say what is wrong, and mend what is safe.

Checking never writes. Mending never rolls the journal back: it rebuilds what is derived
(indexes), sets aside what is only local (a damaged undo log or settings file, kept beside the
original as `<name>.damaged-<time>`), adds records for people that entries name, and only for a
damaged data file puts back that one file from the newest backup that holds it whole.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from allyjournal.core.errors import JournalError, UnreadableJournal
from allyjournal.core.models import Person, Promise, Topic, now_iso
from allyjournal.core.vocabulary import ENTRY_KINDS
from allyjournal.journal import backups, files, indexes, layout, search, storage, undo
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
        # An encrypted journal is examined through its key; without it, nothing is judged
        # (a sealed file is not a damaged one) and the refusal says how to give the key.
        journal.use_key()
    settings = ((layout.CONFIG, SET_ASIDE), (layout.MACHINE, SET_ASIDE))
    for name, fix in (*settings, (layout.UNDO_LOG, SET_ASIDE)):
        if reason := _why_unreadable(home / name):
            checkup.add(home / name, reason, fix)
        elif name == layout.UNDO_LOG:
            try:
                undo.history(home)  # every record, whole, as `ally undo` will read it
            except UnreadableJournal:
                checkup.add(home / name, "a record of the undo log is damaged", SET_ASIDE)
    if not any(_why_unreadable(home / name) for name, _ in settings):
        try:
            journal.config()
        except JournalError as error:
            named = layout.MACHINE if str(home / layout.MACHINE) in str(error) else layout.CONFIG
            checkup.add(home / named, str(error), SET_ASIDE)
    found = PartitionsReport(indexes.IndexCheck())
    reports, digests = _in_parallel(home, journal.partitions(), indexes.index_files(home))
    for report in reports:
        found.merge(report)
    damaged = found.damaged
    for path, message, fix in found.problems:
        checkup.add(path, message, fix)
    checkup.entries = found.entries
    handles, digest = found.handles, found.digest
    if found.index_damaged or found.unsearchable:
        checkup.add(
            home / search.PATH,
            "the search index is damaged"
            if found.index_damaged
            else f"the search index disagrees with {found.unsearchable} partitions",
            REBUILD,
        )
    repeated = digest.repeated()
    if repeated and not damaged:  # rare: a second pass names the ids stored twice
        _name_repeated(journal, checkup, repeated)
    people: set[str] = set()
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
    try:
        for goal in journal.goals():
            for handle in sorted(set(goal.people) - people):
                checkup.add(
                    home / layout.GOALS, f"goal {goal.id[:7]} names @{handle}, who has no record"
                )
    except UnreadableJournal as error:
        checkup.add(home / layout.GOALS, str(error).split(";")[0], FROM_BACKUP)
        damaged = True
    owned: list[tuple[str, Callable[[], Sequence[Promise | Topic]], str]] = [
        (layout.PROMISES, journal.promises, "promise"),
        (layout.TOPICS, journal.topics, "1:1 topic"),
    ]
    for name, records, what in owned:  # records that belong to one person by handle
        try:
            for record in records():
                if record.handle not in people:
                    checkup.add(
                        home / name,
                        f"{what} {record.id[:7]} names @{record.handle}, who has no record",
                    )
        except UnreadableJournal as error:
            checkup.add(home / name, str(error).split(";")[0], FROM_BACKUP)
            damaged = True
    try:
        journal.sources()  # what ally suggest offered: unreadable, it would offer all again
    except UnreadableJournal as error:
        checkup.add(home / layout.SOURCES, str(error).split(";")[0], FROM_BACKUP)
        damaged = True
    if not damaged:
        stale = digest.stale(home, digests)
        if stale:
            checkup.add(
                home / layout.INDEX, f"{len(stale)} index files disagree with the entries", REBUILD
            )
    for path in _readable_by_others(home):
        checkup.add(path, "readable by other users", PERMISSIONS)
    return checkup


def _readable_by_others(home: Path) -> list[Path]:
    """The journal's folders, and the files at its top level, that others could read (links
    are not followed). A file inside a private folder cannot be opened by others whatever its
    own mode, so the thousands of day files need no look of their own."""
    found = [Path(folder) for folder, _, _ in os.walk(home) if not files.is_private(Path(folder))]
    if home.is_dir():
        found += [
            path
            for path in home.iterdir()
            if path.is_file() and not path.is_symlink() and not files.is_private(path)
        ]
    return sorted(found)


PARALLEL_BYTES = 4 << 20  # below this, starting workers costs more than it saves


@dataclass
class PartitionsReport:
    """What reading some of the partitions found: merged from the workers, in order."""

    digest: indexes.IndexCheck
    problems: list[tuple[Path, str, str]] = field(default_factory=list)
    handles: set[str] = field(default_factory=set)
    entries: int = 0
    damaged: bool = False
    unsearchable: int = 0
    index_damaged: bool = False

    def merge(self, other: PartitionsReport) -> None:
        self.digest.merge(other.digest)
        self.problems += other.problems
        self.handles |= other.handles
        self.entries += other.entries
        self.damaged = self.damaged or other.damaged
        self.unsearchable += other.unsearchable
        self.index_damaged = self.index_damaged or other.index_damaged


def _in_parallel(
    home: Path, keys: list[str], index_files: list[str]
) -> tuple[list[PartitionsReport], dict[str, tuple[int, int] | None]]:
    """Each run of partitions examined, and the id index's buckets digested, on every core
    when the journal is large: reading a million entries is mostly JSON parsing, which one
    core does at about 100 MB a second. Workers are forked, so they share this process's
    string hashes (the id digests)."""
    buckets = [p for p in index_files if p.startswith(indexes.IDS) and p != indexes.RECENT]
    workers = min(os.cpu_count() or 1, 8)
    journal_bytes = sum(_size(home / layout.partition(key)) for key in keys)
    if journal_bytes < PARALLEL_BYTES or workers < 2 or "fork" not in mp.get_all_start_methods():
        return [_examine_partitions(home, keys)], _digest_buckets(home, buckets)
    by_month: dict[str, list[str]] = {}
    for key in keys:  # a run holds whole months, so a worker can judge their help files
        by_month.setdefault(key[:7], []).append(key)
    months = list(by_month.values())
    per_run = max(1, len(months) // (workers * 4))
    runs = [
        [key for month in months[start : start + per_run] for key in month]
        for start in range(0, len(months), per_run)
    ]
    share = max(1, len(buckets) // workers)
    shares = [buckets[start : start + share] for start in range(0, len(buckets), share)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("fork")) as pool:
        digested = pool.map(_digest_buckets, [home] * len(shares), shares)
        reports = list(pool.map(_examine_partitions, [home] * len(runs), runs))
        return reports, {path: found for part in digested for path, found in part.items()}


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _digest_buckets(home: Path, paths: list[str]) -> dict[str, tuple[int, int] | None]:
    try:
        recent: indexes.RecentIds | None = indexes.RecentIds.read(home)
    except UnreadableJournal:
        recent = None  # every bucket is then reported, and rebuilt by --fix
    return {path: indexes.bucket_digest(home, path, recent) for path in paths}


def _examine_partitions(home: Path, keys: list[str]) -> PartitionsReport:
    """Read each partition once and check every record, keeping digests, not records."""
    report = PartitionsReport(indexes.IndexCheck())
    index = search.Inspection(home)
    index.load(keys)
    for key in keys:
        relative = layout.partition(key)
        path = home / relative
        try:
            records = storage.documents(home, relative)
            view = indexes.records_view(relative, records)
            for record in records:
                check_stored(record)
            report.handles.update(_people_of(records))
        except UnreadableJournal as error:
            report.problems.append((path, str(error).split(";")[0], FROM_BACKUP))
            report.damaged = True
            continue
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            message = f"an entry this version cannot read: {error}"
            report.problems.append((path, message, FROM_BACKUP))
            report.damaged = True
            continue
        report.entries += len(records)
        if len(view) < len(records):
            counts = Counter(str(record["id"]) for record in records)
            for entry_id, seen in sorted(counts.items()):
                if seen > 1:
                    report.problems.append((path, f"id {entry_id} is stored {seen} times", ""))
        for entry_id, (day, *_) in view.items():
            if not layout.holds_date(key, day):
                report.problems.append((path, f"entry {entry_id[:7]} is dated {day}", ""))
        report.digest.add(key, view)
        if not index.agrees(key, set(view)):
            report.unsearchable += 1
    index.close()
    report.index_damaged = index.damaged
    if not report.damaged:  # every day of these months was read: their help files can be judged
        report.digest.settle_helps(home, sorted({key[:7] for key in keys}))
    return report


def check_stored(record: dict[str, Any]) -> None:
    """Raise what `Entry.from_record` would for a record it cannot read, at a fraction of the
    cost of building the entry (doctor reads every record of the journal)."""
    if record["kind"] not in ENTRY_KINDS:
        raise ValueError(f"unknown kind {record['kind']!r}")
    day = record["date"]
    date.fromisoformat(day if type(day) is str else str(day))
    if "id" not in record or "text" not in record:
        raise KeyError("id" if "id" not in record else "text")
    for name in ("tags", "mentions"):
        value = record.get(name)
        if value is not None and type(value) is not list:
            raise TypeError(f"{name} is not a list")


def _people_of(records: list[dict[str, Any]]) -> set[str]:
    handles = {str(r[name]) for r in records for name in ("ally", "for") if r.get(name)}
    for mentions in (r["mentions"] for r in records if r.get("mentions")):
        handles.update(str(handle) for handle in mentions)
    return handles


def _name_repeated(journal: Journal, checkup: Checkup, repeated: set[int]) -> None:
    counts: Counter[str] = Counter()
    for key in journal.partitions():
        for record in storage.documents(journal.home, layout.partition(key)):
            entry_id = str(record["id"])
            if hash(entry_id) & indexes.MASK in repeated:
                counts[entry_id] += 1
    for entry_id, seen in sorted(counts.items()):
        if seen > 1:
            checkup.add(journal.home / layout.ENTRIES, f"id {entry_id} is stored {seen} times")


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
                if relative in (layout.CONFIG, layout.MACHINE):
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
