"""The journal on disk: the only module that knows TinyDB, and the owner of the file layout.

Layout of a journal directory (owner-only, see files.py):

    allyjournal.json       format marker and schema version; checked by every command
    config.json            settings (not part of backups: undo never reverts a setting)
    people.json            TinyDB, table "people"
    entries/YYYY-MM.json   TinyDB, table "entries": one partition per month of entry dates
    index/                 derived indexes: ids, help per day, allies per week (indexes.py)
    undo.json              the stack of recent changes, newest last
    pending.json           present only while a change is being written (see `_change`)
    backups/               snapshots (see backups.py)

Partitions keep the cost of `win`, `helped` and `review` independent of the journal's age: a
write touches one month and a few small index files, never the whole history. The indexes
are derived data; `rebuild_indexes` recomputes them from the partitions.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from allyjournal.core.errors import Ambiguous, BadInput, NotFound, UnreadableJournal
from allyjournal.core.models import Entry, Person, now_iso
from allyjournal.journal import files
from allyjournal.journal.indexes import Indexes

if TYPE_CHECKING:
    from allyjournal.core.config import Config

SCHEMA_VERSION = 1
LEGACY_NAME = "journal.json"  # schema 0: the stock single-file TinyDB layout (migrations.py)
META_NAME = "allyjournal.json"
PARTITION_NAME = re.compile(r"^(\d{4})-(\d{2})\.json$")
MIN_PREFIX = 4
UNDO_DEPTH = 50
PENDING = "pending.json"  # present only while a change is being written


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file and never 'repairs' a bad one."""

    def __init__(self, path: str, before_write: Callable[[], None] = lambda: None) -> None:
        self.path = Path(path)
        self.before_write = before_write

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = files.read_json(self.path)
        if data is not None and not isinstance(data, dict):
            raise UnreadableJournal(f"{self.path} is not a journal file; run `ally doctor`.")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.before_write()
        files.write_json(self.path, data)

    def close(self) -> None:
        pass


def _table(path: Path, name: str, before_write: Callable[[], None]) -> Any:
    database = TinyDB(str(path), storage=AtomicJSONStorage, before_write=before_write)
    return database.table(name, cache_size=0)


def default_home() -> Path:
    explicit = os.environ.get("ALLYJOURNAL_HOME")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("allyjournal", appauthor=False))


class UndoRecord(NamedTuple):
    summary: str
    at: str
    added: tuple[str, ...] = ()  # entry ids a log/import added: undo removes them
    created_people: tuple[str, ...] = ()
    backup: str | None = None  # snapshot taken before a destructive change: undo restores it


class Journal:
    """One journal directory. Methods that change it hold the lock for their whole duration."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.entries_dir = home / "entries"
        self.indexes = Indexes(home)
        self._meta_checked = False
        self._lock_depth = 0
        self._change_record: dict[str, Any] | None = None
        self._pending_written = False

    # -- format and settings -------------------------------------------------------------

    def exists(self) -> bool:
        return (self.home / META_NAME).exists()

    def schema(self) -> int | None:
        """The journal's schema version; None for a directory with no journal yet.

        Refuses a journal written by a newer allyjournal, or one it cannot recognise.
        """
        path = self.home / META_NAME
        meta = files.read_json(path)
        if meta is None:
            if (self.home / LEGACY_NAME).exists():
                return 0
            if self.entries_dir.exists() or (self.home / "people.json").exists():
                raise UnreadableJournal(
                    f"{path} is missing, so this journal's format is unknown; "
                    "it was left untouched. Run `ally doctor`."
                )
            return None
        if not isinstance(meta, dict) or meta.get("format") != "allyjournal":
            raise UnreadableJournal(f"{path} is not an allyjournal file; run `ally doctor`.")
        schema = meta.get("schema")
        if not isinstance(schema, int) or schema > SCHEMA_VERSION:
            raise UnreadableJournal(
                f"{path} was written by a newer allyjournal (schema {schema}, this one reads "
                f"up to {SCHEMA_VERSION}); upgrade allyjournal. Nothing was changed."
            )
        return schema

    def check_format(self) -> None:
        """Make the journal readable: refuse what we cannot read, finish what was interrupted.

        An older schema is migrated (after a backup), and a change that a crash interrupted
        between its files has its derived indexes rebuilt from the partitions, which are the
        source of truth. Both happen under the exclusive lock.
        """
        if self._meta_checked:
            return
        schema = self.schema()
        files.read_json(self.home / "people.json")  # small, and every command relies on it
        if (schema is not None and schema < SCHEMA_VERSION) or (self.home / PENDING).exists():
            with self._exclusive():
                schema = self.schema()
                if schema is not None and schema < SCHEMA_VERSION:
                    from allyjournal.journal import migrations

                    migrations.upgrade(self, schema)
                if (self.home / PENDING).exists():
                    interrupted = _marker(self.home / PENDING)
                    if interrupted.get("restore"):
                        self._restore_files(str(interrupted["restore"]))
                    else:
                        self.rebuild_indexes()
                        (self.home / PENDING).unlink()
        self._meta_checked = True

    @contextlib.contextmanager
    def _exclusive(self) -> Iterator[None]:
        """The journal's exclusive lock, re-entrant within this process."""
        if self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        with files.locked(self.home):
            self._lock_depth = 1
            try:
                yield
            finally:
                self._lock_depth = 0

    def privacy_problems(self) -> list[Path]:
        """The journal directory and top-level files that others can read (a cheap check)."""
        if not self.home.exists():
            return []
        paths = [self.home, *(p for p in self.home.iterdir() if p.name != files.LOCK_NAME)]
        return [path for path in paths if not files.is_private(path)]

    def _ensure_created(self) -> None:
        if not self.exists():
            files.ensure_private_dir(self.home)
            files.write_json(
                self.home / META_NAME,
                {"format": "allyjournal", "schema": SCHEMA_VERSION, "created_at": now_iso()},
            )

    def config(self) -> Config:
        from allyjournal.core.config import Config

        path = self.home / "config.json"
        return Config.from_record(files.read_json(path, {}), source=str(path))

    def set_config(self, key: str, value: Any) -> None:
        with self._exclusive():
            path = self.home / "config.json"
            record = files.read_json(path, {})
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value
            files.write_json(path, record)

    # -- reading entries ----------------------------------------------------------------

    def months(self) -> list[str]:
        """Partition keys ("YYYY-MM"), oldest first."""
        try:
            names = os.listdir(self.entries_dir)
        except FileNotFoundError:
            return []
        return sorted(name[:7] for name in names if PARTITION_NAME.match(name))

    def _partition(self, month: str) -> Any:
        return _table(self.entries_dir / f"{month}.json", "entries", self._mark_pending)

    def read_month(
        self, month: str, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[Entry]:
        """A month's entries, newest first; `where` filters the raw records before they become
        entries, which is most of the cost of a search across a large journal."""
        path = self.entries_dir / f"{month}.json"
        data = AtomicJSONStorage(str(path)).read() or {}
        records = list((data.get("entries") or {}).values())
        # Newest first; among equal dates and timestamps, the later-inserted document first.
        records.reverse()
        try:
            records.sort(key=lambda r: (r["date"], r.get("created_at") or ""), reverse=True)
            return [Entry.from_record(r) for r in records if where is None or where(r)]
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            raise UnreadableJournal(
                f"{path} holds an entry this version cannot read ({error}); "
                "it was left untouched. Run `ally doctor`."
            ) from error

    def entries(
        self,
        start: date | None = None,
        end: date | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Iterator[Entry]:
        """Entries dated within [start, end], newest first, one month in memory at a time."""
        self.check_format()
        low = start.isoformat()[:7] if start else "0000-00"
        high = end.isoformat()[:7] if end else "9999-99"
        for month in reversed(self.months()):
            if not low <= month <= high:
                continue
            for entry in self.read_month(month, where):
                if (start is None or entry.date >= start) and (end is None or entry.date <= end):
                    yield entry

    def get(self, prefix: str) -> Entry:
        """The entry whose id starts with `prefix`, as git resolves a short commit id."""
        self.check_format()
        wanted = prefix.strip().lower()
        if len(wanted) < MIN_PREFIX or not re.fullmatch(r"[0-9a-z_-]+", wanted):
            raise BadInput(
                f"'{prefix}' is not an entry id: give at least {MIN_PREFIX} characters of the id "
                "that `ally list` shows."
            )
        bucket = self.indexes.bucket(wanted)
        matches = sorted(entry_id for entry_id in bucket if entry_id.startswith(wanted))
        if not matches:
            raise NotFound(f"No entry has an id starting with '{prefix}'; `ally list` shows ids.")
        if len(matches) > 1:
            shown = ", ".join(self.short_ids(matches).values())
            raise Ambiguous(
                f"'{prefix}' matches {len(matches)} entries ({shown}); type more of it."
            )
        entry_id = matches[0]
        for entry in self.read_month(bucket[entry_id]):
            if entry.id == entry_id:
                return entry
        raise UnreadableJournal(
            f"The id index points {entry_id} at {bucket[entry_id]}, which does not hold it; "
            "run `ally doctor --fix` to rebuild the indexes."
        )

    def short_ids(self, ids: Iterable[str]) -> dict[str, str]:
        """The shortest prefix (seven characters or more) naming each id unambiguously."""
        return self.indexes.short_ids(ids)

    def has_id(self, entry_id: str) -> bool:
        return entry_id in self.indexes.bucket(entry_id)

    def helps_by_day(self, start: date, end: date) -> dict[date, dict[str, list[str]]]:
        """From the help index: for each day in [start, end], each handle helped and how."""
        self.check_format()
        return self.indexes.helps_by_day(start, end)

    def help_years(self) -> list[int]:
        return self.indexes.help_years()

    def week_tallies(self, week_start: int) -> dict[date, int]:
        """Distinct allies helped in each week starting on `week_start` (see indexes.py)."""
        self.check_format()
        return self.indexes.week_tallies(week_start)

    # -- people -------------------------------------------------------------------------

    def _people_table(self) -> Any:
        return _table(self.home / "people.json", "people", self._mark_pending)

    def people(self, *, include_archived: bool = True) -> list[Person]:
        self.check_format()
        try:
            people = [Person.from_record(record) for record in self._people_table().all()]
        except (KeyError, TypeError, ValueError) as error:
            raise UnreadableJournal(f"{self.home / 'people.json'} is damaged ({error}).") from error
        people.sort(key=lambda person: person.handle)
        return [person for person in people if include_archived or not person.archived]

    def person(self, handle: str) -> Person | None:
        return next((p for p in self.people() if p.handle == handle), None)

    # -- changing the journal -----------------------------------------------------------

    @contextlib.contextmanager
    def _change(self, summary: str, *, snapshot: bool) -> Iterator[dict[str, Any]]:
        """Lock, check, optionally back up, then record how to undo what the block did.

        A change writes several files, each atomically. The PENDING marker is written first and
        removed last, so if a crash stops a change half-way the next command sees the marker
        and rebuilds the derived indexes from the partitions (see check_format).
        """
        with self._exclusive():
            self._meta_checked = False
            self.check_format()
            self._ensure_created()
            undo: dict[str, Any] = {"summary": summary, "at": now_iso()}
            if snapshot:
                undo["backup"] = self.snapshot(summary)
            with self._marked(undo):
                yield undo
                if self._pending_written:
                    stack = files.read_json(self.home / "undo.json", [])
                    stack.append(undo)
                    # Losing the newest undo record in a power cut loses no entry: no dir fsync.
                    files.write_json(
                        self.home / "undo.json", stack[-UNDO_DEPTH:], sync_directory=False
                    )

    @contextlib.contextmanager
    def _marked(self, record: dict[str, Any]) -> Iterator[None]:
        """Write `record` as the PENDING marker before the block's first write; remove it when
        the block completes. A crash in between leaves the marker for check_format."""
        self._change_record, self._pending_written = record, False
        try:
            yield
        finally:
            self._change_record = None
        if self._pending_written:
            (self.home / PENDING).unlink()

    def _mark_pending(self) -> None:
        """Before a change's first write: leave a marker that only its end removes."""
        if self._change_record is not None and not self._pending_written:
            files.create_marker(self.home / PENDING)
            self._pending_written = True

    def _write_json(self, path: Path, value: Any) -> None:
        self._mark_pending()
        files.write_json(path, value)

    def snapshot(self, reason: str, *, automatic: bool = True) -> str:
        """Back up every data file (hard links: cheap at any size); returns the backup's name."""
        from allyjournal.journal import backups

        with self._exclusive():
            self.check_format()
            return backups.snapshot(
                self.home,
                self.data_paths(),
                reason=reason,
                keep=self.config().backups,
                automatic=automatic,
            )

    def restore(self, name: str) -> str:
        """Make the journal what backup `name` holds, after backing up the present state.

        Works on a damaged journal too (that is when it is needed), so it does not check the
        format first; the present files, damaged or not, are kept in the new backup.
        """
        from allyjournal.journal import backups

        with self._exclusive():
            backup = backups.find(self.home, name)
            before = backups.snapshot(
                self.home,
                self.data_paths(),
                reason=f"before restoring {backup.name[:16]}",
                keep=self.config().backups + 1,  # never rotate away the backup being restored
            )
            self._restore_files(backup.name)
            files.write_json(self.home / "undo.json", [])  # the undo history was of another state
            self._meta_checked = False
            return before

    def _restore_files(self, name: str) -> None:
        """Copy a backup's files over the journal; a crash half-way is finished on next open."""
        from allyjournal.journal import backups

        files.write_json(self.home / PENDING, {"restore": name})
        backups.restore(self.home, name, self.data_paths())
        (self.home / PENDING).unlink()

    def data_paths(self) -> list[Path]:
        """Every file a backup must hold to restore the journal's content exactly."""
        paths = [
            self.home / META_NAME,
            self.home / "people.json",
            self.home / LEGACY_NAME,
        ]
        if self.entries_dir.exists():
            paths.extend(sorted(self.entries_dir.glob("*.json")))
        return [path for path in [*paths, *self.indexes.files()] if path.exists()]

    def add(
        self, entries: list[Entry], people: list[Person], summary: str, *, backup: bool = False
    ) -> None:
        """Append new entries (and new people); undo removes exactly these.

        `backup` snapshots the journal first, for bulk additions such as an import.
        """
        with self._change(summary, snapshot=backup) as undo:
            known = {person.handle for person in self.people()} if people else set()
            created = [person for person in people if person.handle not in known]
            if created:
                self._people_table().insert_multiple(p.to_record() for p in created)
            self._write_entries(entries)
            if not backup:  # with a backup, undo restores it; no need to keep every id here
                undo["added"] = [entry.id for entry in entries]
                undo["created_people"] = [person.handle for person in created]

    def _write_entries(self, entries: list[Entry]) -> None:
        by_month: dict[str, list[Entry]] = {}
        for entry in entries:
            by_month.setdefault(entry.date.isoformat()[:7], []).append(entry)
        for month, group in by_month.items():
            self._partition(month).insert_multiple(entry.to_record() for entry in group)
        self.indexes.record(by_month, [], self._write_json)

    def _remove_entries(self, entries: list[Entry]) -> None:
        for entry in entries:
            self._partition(entry.date.isoformat()[:7]).remove(Query().id == entry.id)
        self.indexes.record({}, entries, self._write_json)

    def replace(self, old: Entry, new: Entry, summary: str, new_people: list[Person]) -> None:
        with self._change(summary, snapshot=True):
            if new_people:
                self._people_table().insert_multiple(p.to_record() for p in new_people)
            self._remove_entries([old])
            self._write_entries([new])

    def delete(self, entries: list[Entry], summary: str) -> None:
        with self._change(summary, snapshot=True):
            self._remove_entries(entries)

    def save_person(self, person: Person, summary: str) -> None:
        with self._change(summary, snapshot=True):
            table = self._people_table()
            table.upsert(person.to_record(), Query().handle == person.handle)

    def rename_person(self, old: str, new: str, summary: str) -> int:
        """Move every mention of @old to @new, in fields and in text. Returns entries touched."""
        mention = re.compile(rf"(?<![\w@])@{re.escape(old)}(?![\w-]|\.\w)", re.IGNORECASE)
        with self._change(summary, snapshot=True):
            self._people_table().update({"handle": new}, Query().handle == old)
            touched = 0
            for month in self.months():
                changed = []
                for entry in self.read_month(month):
                    if old in entry.people:
                        changed.append(
                            entry.edited(
                                ally=new if entry.ally == old else entry.ally,
                                mentions=tuple(new if h == old else h for h in entry.mentions),
                                text=mention.sub(f"@{new}", entry.text),
                            )
                        )
                if changed:
                    table = self._partition(month)
                    for entry in changed:
                        table.update(entry.to_record(), Query().id == entry.id)
                    touched += len(changed)
            self.rebuild_indexes()
            return touched

    def write_migrated(self, entries: list[Entry], people: list[Person]) -> None:
        """Write a whole journal's content over the current layout (idempotent: a migration
        interrupted by a crash simply runs again)."""
        by_month: dict[str, dict[str, Any]] = {}
        for entry in entries:
            documents = by_month.setdefault(entry.date.isoformat()[:7], {})
            documents[str(len(documents) + 1)] = entry.to_record()
        for month, documents in by_month.items():
            files.write_json(self.entries_dir / f"{month}.json", {"entries": documents})
        people_documents = {str(n): p.to_record() for n, p in enumerate(people, start=1)}
        files.write_json(self.home / "people.json", {"people": people_documents})
        self.rebuild_indexes()

    def _expected_indexes(self) -> dict[Path, Any]:
        return self.indexes.expected((month, self.read_month(month)) for month in self.months())

    def stale_indexes(self) -> bool:
        """True when an index disagrees with what the partitions say."""
        return self.indexes.stale(self._expected_indexes())

    def rebuild_indexes(self) -> None:
        """Recompute the indexes from the partitions (doctor, rename, migration, recovery)."""
        self.indexes.rebuild(self._expected_indexes(), self._write_json)

    def repair_indexes(self) -> None:
        """Rebuild the indexes under the lock and clear an interrupted change's marker."""
        with self._exclusive():
            self.rebuild_indexes()
            (self.home / PENDING).unlink(missing_ok=True)

    # -- undo ---------------------------------------------------------------------------

    def undo_stack(self) -> list[UndoRecord]:
        records = files.read_json(self.home / "undo.json", [])
        return [
            UndoRecord(
                summary=record.get("summary", ""),
                at=record.get("at", ""),
                added=tuple(record.get("added", ())),
                created_people=tuple(record.get("created_people", ())),
                backup=record.get("backup"),
            )
            for record in records
        ]

    def undo(self) -> UndoRecord:
        """Revert the newest recorded change; a restore first backs up the present state."""
        from allyjournal.journal import backups

        with self._exclusive():
            self.check_format()
            stack = self.undo_stack()
            if not stack:
                raise BadInput("Nothing to undo: no change has been recorded in this journal.")
            last = stack[-1]
            if last.backup:
                if not (backups.backups_dir(self.home) / last.backup).exists():
                    raise BadInput(
                        f"Cannot undo '{last.summary}': its backup {last.backup} was rotated "
                        "away (`ally config backups` keeps more)."
                    )
                self.snapshot("before undo")
                self._restore_files(last.backup)
            else:
                with self._marked({"summary": f"undo {last.summary}"}):
                    self._remove_entries(self._entries_by_id(last.added))
                    for handle in last.created_people:
                        self._people_table().remove(Query().handle == handle)
            raw = files.read_json(self.home / "undo.json", [])
            files.write_json(self.home / "undo.json", raw[:-1])
            return last

    def _entries_by_id(self, ids: Iterable[str]) -> list[Entry]:
        wanted: dict[str, list[str]] = {}
        for entry_id in ids:
            month = self.indexes.bucket(entry_id).get(entry_id)
            if month:
                wanted.setdefault(month, []).append(entry_id)
        found: list[Entry] = []
        for month, month_ids in wanted.items():
            found.extend(entry for entry in self.read_month(month) if entry.id in month_ids)
        return found


def _marker(path: Path) -> dict[str, Any]:
    """What an interrupted change left: an empty marker, or a restore's {"restore": name}."""
    try:
        content = json.loads(path.read_bytes() or b"{}")
    except (OSError, ValueError):
        return {}
    return content if isinstance(content, dict) else {}
