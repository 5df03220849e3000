"""The journal on disk. The only module that knows TinyDB, the file layout and the indexes.

Layout of a journal directory (owner-only, see files.py):

    allyjournal.json       format marker and schema version; checked by every command
    config.json            settings (not part of backups: undo never reverts a setting)
    people.json            TinyDB, table "people"
    entries/YYYY-MM.json   TinyDB, table "entries": one partition per month of entry dates
    index/ids/XX.json      {id: "YYYY-MM"} for ids starting with XX: finds an entry by short id
    index/helps/YYYY.json  {"YYYY-MM-DD": {handle: [help kind, ...]}}: who was helped, how
    undo.json              the stack of recent changes, newest last
    backups/               hard-linked snapshots (see backups.py)

Partitions keep the cost of `win`, `helped` and `review` independent of the journal's age: a
write touches one month, one id bucket and one year of the help index, never the whole history.
The indexes are derived data; `rebuild_indexes` recomputes them from the partitions.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from allyjournal import backups, files
from allyjournal.config import Config
from allyjournal.errors import Ambiguous, BadInput, NotFound, UnreadableJournal
from allyjournal.models import Entry, Person, now_iso

SCHEMA_VERSION = 1
META_NAME = "allyjournal.json"
PARTITION_NAME = re.compile(r"^(\d{4})-(\d{2})\.json$")
MIN_PREFIX = 4
HelpIndex = dict[int, dict[str, dict[str, list[str]]]]  # year -> day -> handle -> help kinds
UNDO_DEPTH = 50


class AtomicJSONStorage(Storage):
    """TinyDB storage that never leaves a half-written file and never 'repairs' a bad one."""

    def __init__(self, path: str) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = files.read_json(self.path)
        if data is not None and not isinstance(data, dict):
            raise UnreadableJournal(f"{self.path} is not a journal file; run `ally doctor`.")
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        files.write_json(self.path, data)

    def close(self) -> None:
        pass


def _table(path: Path, name: str) -> Any:
    return TinyDB(str(path), storage=AtomicJSONStorage).table(name, cache_size=0)


def default_home() -> Path:
    explicit = os.environ.get("ALLYJOURNAL_HOME")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("allyjournal", appauthor=False))


@dataclass(frozen=True)
class UndoRecord:
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
        self.ids_dir = home / "index" / "ids"
        self.helps_dir = home / "index" / "helps"
        self._meta_checked = False

    # -- format and settings -------------------------------------------------------------

    def exists(self) -> bool:
        return (self.home / META_NAME).exists()

    def check_format(self) -> None:
        """Refuse a journal written by a newer allyjournal, or one we cannot recognise."""
        if self._meta_checked:
            return
        path = self.home / META_NAME
        meta = files.read_json(path)
        if meta is None:
            if self.entries_dir.exists() or (self.home / "people.json").exists():
                raise UnreadableJournal(
                    f"{path} is missing, so this journal's format is unknown; "
                    "it was left untouched. Run `ally doctor`."
                )
        elif not isinstance(meta, dict) or meta.get("format") != "allyjournal":
            raise UnreadableJournal(f"{path} is not an allyjournal file; run `ally doctor`.")
        elif not isinstance(meta.get("schema"), int) or meta["schema"] > SCHEMA_VERSION:
            raise UnreadableJournal(
                f"{path} was written by a newer allyjournal (schema {meta.get('schema')}, this "
                f"one reads up to {SCHEMA_VERSION}); upgrade allyjournal. Nothing was changed."
            )
        self._meta_checked = True

    def _ensure_created(self) -> None:
        if not self.exists():
            files.ensure_private_dir(self.home)
            files.write_json(
                self.home / META_NAME,
                {"format": "allyjournal", "schema": SCHEMA_VERSION, "created_at": now_iso()},
            )

    def config(self) -> Config:
        record = files.read_json(self.home / "config.json", {})
        return Config.from_record(record if isinstance(record, dict) else {})

    def set_config(self, key: str, value: Any) -> None:
        with files.locked(self.home, exclusive=True):
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
        return _table(self.entries_dir / f"{month}.json", "entries")

    def _read_month(self, month: str) -> list[Entry]:
        path = self.entries_dir / f"{month}.json"
        try:
            entries = [Entry.from_record(document) for document in self._partition(month).all()]
        except (KeyError, ValueError, TypeError) as error:
            raise UnreadableJournal(
                f"{path} holds an entry this version cannot read ({error}); "
                "it was left untouched. Run `ally doctor`."
            ) from error
        # Newest first; among equal dates and timestamps, the later-inserted document first.
        entries.reverse()
        entries.sort(key=lambda entry: (entry.date, entry.created_at), reverse=True)
        return entries

    def entries(self, start: date | None = None, end: date | None = None) -> Iterator[Entry]:
        """Entries dated within [start, end], newest first, one month in memory at a time."""
        self.check_format()
        low = start.isoformat()[:7] if start else "0000-00"
        high = end.isoformat()[:7] if end else "9999-99"
        for month in reversed(self.months()):
            if not low <= month <= high:
                continue
            for entry in self._read_month(month):
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
        bucket = self._id_bucket(wanted)
        matches = sorted(entry_id for entry_id in bucket if entry_id.startswith(wanted))
        if not matches:
            raise NotFound(f"No entry has an id starting with '{prefix}'; `ally list` shows ids.")
        if len(matches) > 1:
            shown = ", ".join(self.short_ids(matches).values())
            raise Ambiguous(
                f"'{prefix}' matches {len(matches)} entries ({shown}); type more of it."
            )
        entry_id = matches[0]
        for entry in self._read_month(bucket[entry_id]):
            if entry.id == entry_id:
                return entry
        raise UnreadableJournal(
            f"The id index points {entry_id} at {bucket[entry_id]}, which does not hold it; "
            "run `ally doctor --fix` to rebuild the indexes."
        )

    def short_ids(self, ids: Iterable[str], minimum: int = 7) -> dict[str, str]:
        """The shortest prefix (at least `minimum`) that names each id unambiguously."""
        result: dict[str, str] = {}
        for entry_id in ids:
            bucket = self._id_bucket(entry_id)
            length = minimum
            while length < len(entry_id) and any(
                other != entry_id and other.startswith(entry_id[:length]) for other in bucket
            ):
                length += 1
            result[entry_id] = entry_id[:length]
        return result

    def has_id(self, entry_id: str) -> bool:
        return entry_id in self._id_bucket(entry_id)

    def _id_bucket_path(self, entry_id: str) -> Path:
        key = entry_id[:2].lower()
        return self.ids_dir / f"{key if re.fullmatch(r'[0-9a-z]{2}', key) else '__'}.json"

    def _id_bucket(self, entry_id: str) -> dict[str, str]:
        bucket = files.read_json(self._id_bucket_path(entry_id), {})
        if not isinstance(bucket, dict):
            raise UnreadableJournal(
                f"{self._id_bucket_path(entry_id)} is damaged; run `ally doctor`."
            )
        return bucket

    def helps_by_day(self, start: date, end: date) -> dict[date, dict[str, list[str]]]:
        """From the help index: for each day in [start, end], each handle helped and how."""
        self.check_format()
        result: dict[date, dict[str, list[str]]] = {}
        for year in range(start.year, end.year + 1):
            for day, counts in files.read_json(self.helps_dir / f"{year}.json", {}).items():
                when = date.fromisoformat(day)
                if start <= when <= end:
                    result[when] = counts
        return result

    def help_years(self) -> list[int]:
        try:
            return sorted(
                int(name[:4]) for name in os.listdir(self.helps_dir) if name[:4].isdigit()
            )
        except FileNotFoundError:
            return []

    # -- people -------------------------------------------------------------------------

    def _people_table(self) -> Any:
        return _table(self.home / "people.json", "people")

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
        """Lock, check, optionally back up, then record how to undo what the block did."""
        with files.locked(self.home, exclusive=True):
            self._meta_checked = False
            self.check_format()
            self._ensure_created()
            undo: dict[str, Any] = {"summary": summary, "at": now_iso()}
            if snapshot:
                undo["backup"] = backups.snapshot(
                    self.home, self._data_paths(), reason=summary, keep=self.config().backups
                )
            yield undo
            stack = files.read_json(self.home / "undo.json", [])
            stack.append(undo)
            files.write_json(self.home / "undo.json", stack[-UNDO_DEPTH:])

    def _data_paths(self) -> list[Path]:
        """Every file a backup must hold to restore the journal's content exactly."""
        paths = [self.home / META_NAME, self.home / "people.json"]
        for folder in (self.entries_dir, self.ids_dir, self.helps_dir):
            if folder.exists():
                paths.extend(sorted(folder.glob("*.json")))
        return [path for path in paths if path.exists()]

    def add(
        self, entries: list[Entry], people: list[Person], summary: str, *, backup: bool = False
    ) -> None:
        """Append new entries (and new people); undo removes exactly these.

        `backup` snapshots the journal first, for bulk additions such as an import.
        """
        with self._change(summary, snapshot=backup) as undo:
            known = {person.handle for person in self.people()}
            created = [person for person in people if person.handle not in known]
            if created:
                self._people_table().insert_multiple(p.to_record() for p in created)
            self._write_entries(entries)
            undo["added"] = [entry.id for entry in entries]
            undo["created_people"] = [person.handle for person in created]

    def _write_entries(self, entries: list[Entry]) -> None:
        by_month: dict[str, list[Entry]] = {}
        for entry in entries:
            by_month.setdefault(entry.date.isoformat()[:7], []).append(entry)
        buckets: dict[Path, dict[str, str]] = {}
        helps: HelpIndex = {}
        for month, group in by_month.items():
            self._partition(month).insert_multiple(entry.to_record() for entry in group)
            for entry in group:
                path = self._id_bucket_path(entry.id)
                buckets.setdefault(path, files.read_json(path, {}))[entry.id] = month
                if entry.kind == "help" and entry.ally:
                    self._count_help(helps, entry, add=True)
        for path, bucket in buckets.items():
            files.write_json(path, bucket)
        self._save_helps(helps)

    def _count_help(self, helps: HelpIndex, entry: Entry, *, add: bool) -> None:
        year = helps.setdefault(
            entry.date.year, files.read_json(self.helps_dir / f"{entry.date.year}.json", {})
        )
        day = year.setdefault(entry.date.isoformat(), {})
        kinds = day.setdefault(entry.ally or "", [])
        if add:
            kinds.append(entry.help_kind or "other")
        elif entry.help_kind in kinds:
            kinds.remove(entry.help_kind)
        if not kinds:
            del day[entry.ally or ""]
        if not day:
            del year[entry.date.isoformat()]

    def _save_helps(self, helps: HelpIndex) -> None:
        for year, days in helps.items():
            files.write_json(self.helps_dir / f"{year}.json", dict(sorted(days.items())))

    def _remove_entries(self, entries: list[Entry]) -> None:
        helps: HelpIndex = {}
        buckets: dict[Path, dict[str, str]] = {}
        for entry in entries:
            self._partition(entry.date.isoformat()[:7]).remove(Query().id == entry.id)
            path = self._id_bucket_path(entry.id)
            buckets.setdefault(path, files.read_json(path, {})).pop(entry.id, None)
            if entry.kind == "help" and entry.ally:
                self._count_help(helps, entry, add=False)
        for path, bucket in buckets.items():
            files.write_json(path, bucket)
        self._save_helps(helps)

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
                for entry in self._read_month(month):
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

    def rebuild_indexes(self) -> None:
        """Recompute the id and help indexes from the partitions (doctor, rename, migration)."""
        buckets: dict[Path, dict[str, str]] = {}
        helps: HelpIndex = {}
        for month in self.months():
            for entry in self._read_month(month):
                buckets.setdefault(self._id_bucket_path(entry.id), {})[entry.id] = month
                if entry.kind == "help" and entry.ally:
                    year = helps.setdefault(entry.date.year, {})
                    day = year.setdefault(entry.date.isoformat(), {})
                    day.setdefault(entry.ally, []).append(entry.help_kind or "other")
        wanted = {*buckets, *(self.helps_dir / f"{year}.json" for year in helps)}
        for folder in (self.ids_dir, self.helps_dir):
            for stale in folder.glob("*.json") if folder.exists() else ():
                if stale not in wanted:
                    stale.unlink()
        for path, bucket in buckets.items():
            files.write_json(path, bucket)
        self._save_helps(helps)

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
        with files.locked(self.home, exclusive=True):
            self.check_format()
            stack = self.undo_stack()
            if not stack:
                raise BadInput("Nothing to undo: no change has been recorded in this journal.")
            last = stack[-1]
            if last.backup:
                backups.snapshot(
                    self.home, self._data_paths(), reason="before undo", keep=self.config().backups
                )
                backups.restore(self.home, last.backup, self._data_paths())
            else:
                gone = [entry for entry in self._entries_by_id(last.added)]
                self._remove_entries(gone)
                for handle in last.created_people:
                    self._people_table().remove(Query().handle == handle)
            raw = files.read_json(self.home / "undo.json", [])
            files.write_json(self.home / "undo.json", raw[:-1])
            return last

    def _entries_by_id(self, ids: Iterable[str]) -> list[Entry]:
        wanted: dict[str, list[str]] = {}
        for entry_id in ids:
            month = self._id_bucket(entry_id).get(entry_id)
            if month:
                wanted.setdefault(month, []).append(entry_id)
        found: list[Entry] = []
        for month, month_ids in wanted.items():
            found.extend(entry for entry in self._read_month(month) if entry.id in month_ids)
        return found
