"""Reading a journal, and the machinery every change stands on (lock, recovery, `_change`).

Reading takes no lock and sees whole, committed files (a change that a crash interrupted is
finished first). `Journal` (journal.py) adds the verbs that change the journal.
"""

from __future__ import annotations

import contextlib
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from allyjournal.core.errors import Ambiguous, BadInput, NotFound, UnreadableJournal
from allyjournal.core.models import Entry, Goal, Person, Promise, Source, Topic, now_iso
from allyjournal.journal import files, indexes, layout, migrations, storage
from allyjournal.journal.change import Change, recover
from allyjournal.journal.glance import read_config
from allyjournal.journal.layout import default_home
from allyjournal.journal.undo import UndoRecord, history

if TYPE_CHECKING:
    from allyjournal.core.config import Config
    from allyjournal.journal.search import Query, SearchIndex

__all__ = ["JournalReader", "default_home"]

MIN_PREFIX = 4
_WHEN = operator.itemgetter("date", "created_at")  # how a partition's records are ordered
# Up to this many days, `entries` opens each day's file by name rather than listing every day
# that has one: a failed open costs microseconds, a listing of ten years' days milliseconds.
DIRECT_DAYS = 92
ID_CHARACTERS = frozenset("0123456789abcdefghijklmnopqrstuvwxyz_-")


class TagUse(NamedTuple):
    tag: str
    uses: int
    last_used: date

    def as_record(self) -> dict[str, Any]:
        return {"tag": self.tag, "uses": self.uses, "last_used": self.last_used.isoformat()}


class JournalReader:
    """One journal directory, for reading."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.notes: list[str] = []  # things a change did on the side, for the user to know
        self.committed = 0  # changes committed by this process
        self.cipher: Any = None  # the journal's cipher when it is encrypted (crypto.py)
        self._key_known = False
        self._checked = False
        self._lock_depth = 0
        self._search: SearchIndex | None = None  # opened by the first indexed search

    # -- format ----------------------------------------------------------------------------

    def exists(self) -> bool:
        return (self.home / layout.META).exists()

    def schema(self) -> int | None:
        """The journal's schema version; None for a directory with no journal yet.

        Refuses a journal written by a newer allyjournal, or one it cannot recognise.
        """
        path = self.home / layout.META
        meta = files.read_json(path)
        if meta is None:
            if (self.home / layout.LEGACY_SINGLE_FILE).exists():
                return 0
            if not self._has_entries_or_people():
                return None
            # The change that creates a journal makes its folders, then renames the marker
            # into place before its other files, so entries without it are damage or that
            # change landing (or stopped while landing: its commit record is then still
            # there). Under the lock, which it holds while it lands, it is finished first.
            if (self.home / layout.COMMIT).exists():
                with self._exclusive():
                    recover(self.home)
            meta = files.read_json(path)
            if meta is None:
                raise UnreadableJournal(
                    f"{path} is missing, so this journal's format is unknown; "
                    "it was left untouched. Run `ally doctor`."
                )
        if not isinstance(meta, dict) or meta.get("format") != "allyjournal":
            raise UnreadableJournal(f"{path} is not an allyjournal file; run `ally doctor`.")
        schema = meta.get("schema")
        if not isinstance(schema, int) or schema > layout.SCHEMA_VERSION:
            raise UnreadableJournal(
                f"{path} was written by a newer allyjournal (schema {schema}, this one reads "
                f"up to {layout.SCHEMA_VERSION}); upgrade allyjournal. Nothing was changed."
            )
        return schema

    def _has_entries_or_people(self) -> bool:
        return (self.home / layout.ENTRIES).exists() or (self.home / layout.PEOPLE).exists()

    def check_format(self) -> None:
        """Make the journal readable: refuse what this version cannot read, finish a change a
        crash interrupted, and upgrade an older schema (after a backup)."""
        if self._checked:
            self.use_key()  # this process may have read another journal since
            return
        schema = self.schema()
        interrupted = (self.home / layout.COMMIT).exists() or (
            self.home / layout.LEGACY_PENDING
        ).exists()
        if interrupted or (schema is not None and schema < layout.SCHEMA_VERSION):
            with self._exclusive():
                self._recover()
        self.use_key()
        files.read_json(self.home / layout.PEOPLE)  # small, and nearly every command needs it
        self._checked = True

    def use_key(self) -> None:
        """Open an encrypted journal with its key (keys.py), once per command; a plain one
        is read as it is. Every file read or written afterwards goes through the cipher."""
        if self._key_known:
            files.use_cipher(self.cipher)
            return
        meta = files.read_json(self.home / layout.META)
        settings = meta.get("encryption") if isinstance(meta, dict) else None
        if isinstance(settings, dict):
            from allyjournal.journal import keys

            self.cipher = keys.load(settings, self.home)
        files.use_cipher(self.cipher)
        self._key_known = True

    def _recover(self) -> None:
        """Under the lock: roll forward, finish an older version's interrupted change, and
        migrate an older schema."""
        recover(self.home)
        # The key is chosen only now: the change just rolled forward may be the one that
        # sealed the journal (its marker lands with it; moving staged files needs no key).
        self.use_key()
        schema = self.schema()
        if schema is not None and schema < layout.SCHEMA_VERSION:
            migrations.upgrade(self.home, schema, keep=self.config().backups)
        if (self.home / layout.LEGACY_PENDING).exists():  # an older version's crash marker
            change = Change(self.home, "recovered an interrupted change", undoable=False)
            try:
                marker = files.read_json(self.home / layout.LEGACY_PENDING) or {}
            except UnreadableJournal:
                marker = {}
            if isinstance(marker, dict) and marker.get("restore"):
                self.notes.append(
                    f"an older allyjournal was interrupted while restoring backup "
                    f"{str(marker['restore'])[:40]}; the journal may be part-restored. Run "
                    "`ally restore` with that name again, or `ally backup --list` to choose."
                )
            change.rebuild_indexes()
            change.delete(layout.LEGACY_PENDING)
            change.commit()

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

    @contextlib.contextmanager
    def _change(self, summary: str, *, undoable: bool = True) -> Iterator[Change]:
        """One change under the lock: recovered and checked first, committed at the end."""
        with self._exclusive():
            self._recover()
            starting = self.schema() is None
            if starting:
                files.ensure_private_dir(self.home)
            change = Change(self.home, summary, undoable=undoable)
            if not change.exists(layout.META):
                change.write(
                    layout.META,
                    {
                        "format": "allyjournal",
                        "schema": layout.SCHEMA_VERSION,
                        "created_at": now_iso(),
                    },
                )
            try:
                yield change
            except BaseException:
                change.abandon()  # what it staged early or spilled, before any commit
                raise
            if change.commit():
                self.committed += 1
                if starting:  # said once, by the write that made the journal, as jrnl does
                    self.notes.append(f"started your journal in {self.home}")
            self.notes += change.notes
            self._checked = True

    def privacy_problems(self) -> list[Path]:
        """The journal directory and its top-level files and folders that others can read: a
        cheap, shallow check on every command. A file inside a private folder (a partition in
        entries/) cannot be opened by others whatever its own mode, so it is left to doctor."""
        if not self.home.exists():
            return []
        paths = [self.home, *(p for p in self.home.iterdir() if p.name != layout.LOCK)]
        return [path for path in paths if not files.is_private(path)]

    # -- settings --------------------------------------------------------------------------

    def config(self) -> Config:
        """The settings, read as every other file is: through the key, when the journal is
        encrypted (config.json is sealed like the rest)."""
        if (self.home / layout.META).exists():
            self.use_key()  # not check_format: a migration reads the settings midway
        return read_config(self.home)

    def set_config(self, key: str, value: Any) -> None:
        """Set (or with None, unset) one setting: a machine's own in machine.json, one that
        travels in config.json. Settings are not part of the undo history."""
        from allyjournal.core.config import MACHINE_ONLY

        self.check_format()
        with self._change(f"set {key}", undoable=False) as change:
            path = layout.MACHINE if key in MACHINE_ONLY else layout.CONFIG
            record = _settings_record(change, path)
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value
            change.write(path, record)
            if path == layout.MACHINE and change.exists(layout.CONFIG):
                shared = _settings_record(change, layout.CONFIG)
                if shared.pop(key, None) is not None:  # a legacy copy would travel
                    change.write(layout.CONFIG, shared)

    def localise_settings(self, keep: bool) -> list[str]:
        """Take this machine's own settings out of config.json before sync shares it; with
        `keep` (the journal's first commit, so they are this machine's) into machine.json,
        otherwise (they may have come from another machine) dropped. Returns the keys."""
        from allyjournal.core.config import MACHINE_ONLY

        record = files.read_json(self.home / layout.CONFIG, {})
        if not isinstance(record, dict) or not MACHINE_ONLY & set(record):
            return []
        with self._change("kept this machine's settings here", undoable=False) as change:
            shared = _settings_record(change, layout.CONFIG)
            found = {key: shared.pop(key) for key in sorted(MACHINE_ONLY & set(shared))}
            change.write(layout.CONFIG, shared)
            if keep:
                own = _settings_record(change, layout.MACHINE)
                change.write(layout.MACHINE, {**found, **own})
        return list(found)

    # -- reading entries -------------------------------------------------------------------

    def first_day(self) -> date | None:
        """The date of the journal's earliest entry (None when it has none): one listing of
        entries/, no partition read."""
        keys = self.partitions()
        if not keys:
            return None
        first = keys[0]
        return date.fromisoformat(first if len(first) == 10 else f"{first}-01")

    def partitions(self) -> list[str]:
        """Partition keys ("YYYY-MM-DD"), oldest first (see layout.py)."""
        return indexes.partition_keys(self.home)

    def read_partition(
        self, key: str, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[Entry]:
        """A partition's entries, newest first; `where` filters the raw records before they
        become entries, which is most of the cost of a search across a large journal."""
        path = layout.partition(key)
        return storage.entries_of(self.home / path, self._records(key, where))

    def _records(
        self, key: str, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> list[dict[str, Any]]:
        """A partition's stored records that `where` accepts, newest first."""
        path = layout.partition(key)
        records = storage.documents(self.home, path, quick=True)  # read to be shown
        records.reverse()  # among equal dates and times, the later-stored first
        try:
            try:  # every record has both as strings: one lookup (sorted: untouched on failure)
                records = sorted(records, key=_WHEN, reverse=True)
            except (KeyError, TypeError):  # an older record without a creation time
                records.sort(key=lambda r: (r["date"], r.get("created_at") or ""), reverse=True)
        except (KeyError, TypeError) as error:
            raise files.damaged(self.home / path, f"an entry without a date: {error}") from error
        return records if where is None else [r for r in records if where(r)]

    def entries(
        self,
        start: date | None = None,
        end: date | None = None,
        where: Callable[[dict[str, Any]], bool] | None = None,
    ) -> Iterator[Entry]:
        """Entries dated within [start, end], newest first, one partition in memory at a
        time.

        A span of up to DIRECT_DAYS names its days' files outright (a day without entries has
        none, and reads as empty); a longer one lists `entries/`, which at a million entries
        is 3,650 names: the cost of a week would follow the history."""
        self.check_format()
        if start is not None and end is not None and (end - start).days < DIRECT_DAYS:
            span = (end - start).days + 1
            keys = [layout.key_of(end - timedelta(days=back)) for back in range(max(span, 0))]
        else:
            low = start.isoformat() if start else "0000-00-00"
            high = end.isoformat() if end else "9999-99-99"
            keys = [k for k in reversed(self.partitions()) if layout.overlaps(k, low, high)]
        for key in keys:
            path = self.home / layout.partition(key)
            for entry in storage.entries_of(path, self._records(key, where)):
                if (start is None or entry.date >= start) and (end is None or entry.date <= end):
                    yield entry

    def get(self, prefix: str) -> Entry:
        """The entry whose id starts with `prefix`, as git resolves a short commit id."""
        self.check_format()
        wanted = prefix.strip().lower()
        if len(wanted) < MIN_PREFIX or not set(wanted) <= ID_CHARACTERS:
            raise BadInput(
                f"'{prefix}' is not an entry id: give at least {MIN_PREFIX} characters of the id "
                "that `ally list` shows."
            )
        bucket = indexes.IdReader(self.home).bucket(wanted)
        matches = sorted(entry_id for entry_id in bucket if entry_id.startswith(wanted))
        if not matches:
            raise NotFound(f"No entry has an id starting with '{prefix}'; `ally list` shows ids.")
        if len(matches) > 1:
            shown = ", ".join(self.short_ids(matches).values())
            raise Ambiguous(
                f"'{prefix}' matches {len(matches)} entries ({shown}); type more of it."
            )
        found = self._find(matches[0], bucket[matches[0]])
        if found is None:
            raise UnreadableJournal(
                f"The id index points {matches[0]} at {bucket[matches[0]]}, which does not hold "
                "it; run `ally doctor --fix` to rebuild the indexes."
            )
        return found

    def _find(self, entry_id: str, key: str) -> Entry | None:
        if not layout.KEY.match(key):
            return None
        for entry in self.read_partition(key, lambda record: record.get("id") == entry_id):
            return entry
        return None

    def unknown(self, entries: Iterable[Entry]) -> list[Entry]:
        """The entries whose id this journal does not hold, each id once (checked where the
        id index points and in the partition of the entry's date, without the lock)."""
        self.check_format()
        held: dict[str, set[str]] = {}

        def holds(key: str, entry_id: str) -> bool:
            if key not in held:
                path = layout.partition(key)
                held[key] = {str(r.get("id")) for r in storage.documents(self.home, path)}
            return entry_id in held[key]

        fresh: dict[str, Entry] = {}
        id_index = indexes.IdReader(self.home)
        for entry in entries:
            hint = id_index.bucket(entry.id).get(entry.id)
            keys = {k for k in (hint, layout.key_of(entry.date)) if isinstance(k, str)}
            if not any(layout.KEY.match(k) and holds(k, entry.id) for k in keys):
                fresh.setdefault(entry.id, entry)
        return list(fresh.values())

    def _search_index(self) -> SearchIndex:
        """The search index, opened (and brought up to date) once per command; raises
        Unavailable when it cannot be used."""
        from allyjournal.journal.search import SearchIndex

        if self._search is None:
            if self.cipher is not None:  # SQLite would hold the text in clear: scan instead
                from allyjournal.journal.search import Unavailable

                raise Unavailable("an encrypted journal keeps no search index")
            self._search = SearchIndex(self.home, self.partitions)
            if self._search.refreshed > 24:
                self.notes.append(
                    f"indexed {self._search.refreshed} days for searching (once: later "
                    "searches re-read only what changed)"
                )
        return self._search

    def search(self, query: Query) -> Iterator[Entry] | None:
        """Candidate entries for a search, newest first, from the search index (search.py):
        a superset of the matches, for the caller to check. None when the index cannot
        answer; the caller then reads the partitions."""
        self.check_format()
        from allyjournal.journal.search import Unavailable

        try:
            records = self._search_index().find(query)
            first = next(records, None)  # a query the index cannot run fails here, not later
        except Unavailable:
            return None
        path = self.home / layout.ENTRIES
        found = records if first is None else itertools.chain([first], records)
        return (entry for record in found for entry in storage.entries_of(path, [record]))

    def is_empty(self) -> bool:
        """No entry was ever logged (nothing in any partition)."""
        return not self.exists() or not self.partitions()

    def tag_use(self) -> list[TagUse]:
        """Every tag in the journal with how often and when last it was used, most used first:
        from the search index (brought up to date as for a search), else by reading every
        partition."""
        self.check_format()
        from allyjournal.journal.search import Unavailable

        try:
            found = [
                TagUse(tag, count, date.fromisoformat(last))
                for tag, count, last in self._search_index().tags()
            ]
        except Unavailable:
            counts: dict[str, int] = {}
            latest: dict[str, date] = {}
            for entry in self.entries():
                for tag in entry.tags:
                    counts[tag] = counts.get(tag, 0) + 1
                    latest[tag] = max(latest.get(tag, entry.date), entry.date)
            found = [TagUse(tag, count, latest[tag]) for tag, count in counts.items()]
        return sorted(found, key=lambda use: (-use.uses, use.tag))

    def short_ids(self, ids: Iterable[str], minimum: int = 7) -> dict[str, str]:
        """The shortest prefix (at least `minimum`) that names each id unambiguously: from the
        search index when a search opened it (fresh, and one query per id), else from the id
        index's buckets."""
        result: dict[str, str] = {}
        if self._search is not None:
            for entry_id in ids:
                neighbours = self._search.neighbours(entry_id)
                result[entry_id] = indexes.shortest_prefix(entry_id, neighbours, minimum)
            return result
        buckets: dict[str, list[str]] = {}
        id_index = indexes.IdReader(self.home)
        for entry_id in ids:
            key = indexes.bucket_path(entry_id)
            if key not in buckets:
                buckets[key] = sorted(id_index.bucket(entry_id))
            result[entry_id] = indexes.shortest_prefix(entry_id, buckets[key], minimum)
        return result

    def helps_by_day(self, start: date, end: date) -> dict[date, dict[str, list[str]]]:
        """From the help index: for each day in [start, end], each handle helped and how."""
        self.check_format()
        return indexes.helps_by_day(self.home, start, end)

    def levels_between(self, start: date, end: date) -> dict[str, int]:
        """Helps given at each level in [start, end] (those with a level)."""
        self.check_format()
        return indexes.levels_between(self.home, start, end)

    def help_months(self) -> list[str]:
        """ "YYYY-MM" of every month with help logged, oldest first (from the help index)."""
        return indexes.help_months(self.home)

    def week_tallies(self, week_start: int) -> dict[date, int]:
        """Distinct allies helped in each week starting on `week_start` (see indexes.py)."""
        self.check_format()
        return indexes.week_tallies(self.home, week_start)

    def people(self, *, include_archived: bool = True) -> list[Person]:
        self.check_format()
        people = storage.rebuilt(self.home, layout.PEOPLE, Person.from_record)
        people.sort(key=lambda person: person.handle)
        return [person for person in people if include_archived or not person.archived]

    def person(self, handle: str) -> Person | None:
        return next((p for p in self.people() if p.handle == handle), None)

    def goals(self) -> list[Goal]:
        """Every goal, in the order they were set."""
        self.check_format()
        return storage.rebuilt(self.home, layout.GOALS, Goal.from_record)

    def promises(self) -> list[Promise]:
        """Every promise, in the order they were made."""
        self.check_format()
        return storage.rebuilt(self.home, layout.PROMISES, Promise.from_record)

    def topics(self) -> list[Topic]:
        """Every 1:1 topic (`ally agenda --add`), in the order they were added."""
        self.check_format()
        return storage.rebuilt(self.home, layout.TOPICS, Topic.from_record)

    def sources(self) -> dict[str, Source]:
        """What `ally suggest` offered before (commits, calendar events), by source id."""
        self.check_format()
        found = storage.rebuilt(self.home, layout.SOURCES, Source.from_record)
        return {source.id: source for source in found}

    def merged_away(self) -> list[dict[str, Any]]:
        """merged-away.json: the versions sync merges did not keep and the entries they
        deleted here, oldest first (items that are not objects are left out)."""
        self.check_format()
        items = files.read_json(self.home / layout.MERGED_AWAY, [])
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    def stale_indexes(self) -> list[str]:
        """Index files that disagree with the partitions (doctor, tests)."""
        return indexes.stale_indexes(self.home)

    def undo_history(self) -> list[UndoRecord]:
        return history(self.home)


def _settings_record(change: Change, path: str) -> dict[str, Any]:
    """A settings file's table within `change`; one that is not a table is set aside."""
    record = change.read(path, {})
    if not isinstance(record, dict):
        change.set_aside(path)
        return {}
    return dict(record)
