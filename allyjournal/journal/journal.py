"""The `Journal`: reading (reading.py) plus every verb that changes the journal.

Each verb is one change (change.py): under the exclusive lock it checks what it relies on
against the partitions, which are the truth (an entry's place, an id already imported, a
handle already taken), computes every file's new content, and commits once.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from tinydb.table import Document

from allyjournal.core.errors import BadInput, JournalError, NotFound
from allyjournal.core.models import Entry, Goal, Person, Promise, Source, Topic
from allyjournal.journal import files, layout, storage
from allyjournal.journal.change import EARLY, Change
from allyjournal.journal.indexes import IndexDamaged
from allyjournal.journal.reading import JournalReader, default_home
from allyjournal.journal.undo import UndoRecord, revert_last

__all__ = ["Journal", "UndoRecord", "default_home"]


class Conflict(JournalError):
    """Another ally process changed the same entry between reading it and the change."""


def _key(entry: Entry) -> str:
    return layout.key_of(entry.date)


def _replaced_by(record: dict[str, Any]) -> Callable[[Any], None]:
    """A TinyDB update that makes a document exactly `record` (keeping its place)."""

    def swap(document: Any) -> None:
        document.clear()
        document.update(record)

    return swap


class Journal(JournalReader):
    """One journal directory: read it, and change it one all-or-nothing change at a time."""

    # -- entries -------------------------------------------------------------------------------

    def add(
        self,
        entries: list[Entry],
        people: list[Person],
        summary: str,
        goals: list[Goal] | None = None,
        kept: list[tuple[Promise, Promise]] | None = None,
        sources: list[Source] | None = None,
    ) -> None:
        """Store new entries (and new people) in one change. An import, which must skip what
        the journal holds and may not fit in memory, goes through `add_stream`. `sources` are
        what `ally suggest` offered that these entries log, marked in the same change, so a
        candidate is logged once however many `ally suggest` run at once."""
        self.check_format()
        with self._change(summary) as change:
            self._add_people(change, people)
            by_key: dict[str, list[dict[str, Any]]] = {}
            for entry in entries:
                by_key.setdefault(_key(entry), []).append(entry.to_record())
            for key, records in by_key.items():
                storage.table(change, layout.partition(key)).insert_multiple(records)
            self._make_allies(change, _first_helps(entry.to_record() for entry in entries))
            self._add_goals(change, goals or [])
            for read, promise in kept or []:  # kept by the help logged in this change
                _save(change, layout.PROMISES, promise, "Promise", read)
            _mark(change, sources or [])

    def mark_sources(self, sources: list[Source], summary: str) -> None:
        """Remember what `ally suggest` offered and the user skipped (or logged elsewhere)."""
        self.check_format()
        with self._change(summary) as change:
            _mark(change, sources)

    def add_stream(
        self,
        records: Iterable[dict[str, Any]],
        people: Callable[[], list[Person]],
        summary: Callable[[int], str],
        *,
        goals: Callable[[], list[Goal]] = list,
        promises: Callable[[], list[Promise]] = list,
    ) -> tuple[int, list[Person], tuple[int, int]]:
        """Store the entries whose id the journal does not hold yet, in one change, holding one
        day of them in memory at a time; returns how many were stored and the people added.

        `records` are entries in the stored form, already checked (`Entry.to_record`, or
        `checks.checked_record` for a streamed import), read once. Up to SPILL_EVERY of them
        are held in memory; a larger import spills them to a scratch file per month, then
        merges each day with its partition, writes it to the change's staging and lets it go.
        Which ids are known is decided under the lock, against the partitions (through the id
        index, which this change updates as it goes), so two imports of one file at once still
        add each entry once. `people` is called after the last entry: a file may list its
        people at the end.

        No backup is taken first: the change is undoable like any other, and its undo record
        holds only the day files it replaced (a whole-journal snapshot would cost what the
        history holds, not what the import adds).
        """
        self.check_format()
        with self._exclusive(), self._change("") as change:
            days = _spill(records, change.scratch)  # every entry read and checked
            added = 0
            staged = len(days) > 1  # spilled: each day is staged (and indexed) at once
            taken: set[str] = set()  # ids added by this import, when not staged
            helped: dict[str, date] = {}
            # Into a journal without entries, an id can only repeat within this import:
            # its own ids are looked up only when a filter says they may have been seen.
            seen = _SeenIds() if not self.partitions() else None
            if seen is not None and staged and _worth_a_helper(days):
                added += self._merge_in_two(change, days, helped, seen)
            for key, records in _by_day(days):  # nothing left here after _merge_in_two
                added += self._merge_day(
                    change, key, records, None if staged else taken, helped, seen
                )
            created = self._add_people(change, people())
            self._make_allies(change, helped)
            goals_added = _add_new(change, layout.GOALS, [g.to_record() for g in goals()])
            promised = _add_new(change, layout.PROMISES, [p.to_record() for p in promises()])
            change.summary = summary(added)
            return added, created, (goals_added, promised)

    def _merge_day(
        self,
        change: Change,
        key: str,
        records: list[dict[str, Any]],
        taken: set[str] | None,
        helped: dict[str, date],
        seen: _SeenIds | None = None,
    ) -> int:
        """Add a day's records that are new to its partition; returns how many were added.

        With `taken` (a small import) the ids added so far are kept there; without it (a
        large one) the day is staged at once, and the id index, updated as each day is
        staged, knows them."""
        path = layout.partition(key)
        fresh: dict[str, dict[str, Any]] = {}
        for record in records:
            entry_id = record["id"]
            if entry_id in fresh or (taken is not None and entry_id in taken):
                continue
            surely_new = seen is not None and not seen.add(entry_id)
            if surely_new or self._locate(change, entry_id, key) is None:
                fresh[entry_id] = record
        if not fresh:
            return 0
        storage.insert_all(change, path, fresh.values())
        for handle, day in _first_helps(fresh.values()).items():
            helped[handle] = min(day, helped.get(handle, day))
        if taken is None:
            change.stage_early(path)
        else:
            taken.update(fresh)
        return len(fresh)

    def _merge_in_two(
        self, change: Change, days: Spilled, helped: dict[str, date], seen: _SeenIds
    ) -> int:
        """Merge and stage the spilled months of an import into a journal without entries,
        the later half by a forked helper process while this one does the earlier half: a
        million entries take both cores. Returns how many were added; `days` is emptied.

        The result is the one merging them all here gives: the helper stages its days into
        this change's staging (the journal's lock is held by both), and its days are then
        adopted in order; an id that this process already stored from an earlier day is
        dropped from the helper's day, as merging in order would have dropped it."""
        months = sorted(days)
        sizes = [os.path.getsize(days[month]) for month in months]  # type: ignore[arg-type]
        half, total, whole = 0, 0, sum(sizes)  # the earlier half by spilled bytes is mine
        while half < len(months) - 1 and 2 * (total + sizes[half]) <= whole:
            total += sizes[half]
            half += 1
        half = max(half, 1)  # one month at least each
        theirs = {month: days.pop(month) for month in months[half:]}
        mine = {month: days.pop(month) for month in months[:half]}
        report = change.scratch() / "helper"
        readable, writable = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the helper; the parent's results are its test
            os.close(readable)
            _helper(self, change, theirs, report, writable)
        os.close(writable)
        ended = False
        try:
            added = sum(
                self._merge_day(change, key, records, None, helped, seen)
                for key, records in _by_day(mine)
            )
            with os.fdopen(readable, "rb") as pipe:
                outcome = pipe.read()
            ended = True
        finally:
            if not ended:  # this process failed or was interrupted: stop the helper now
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if outcome[:1] == b"E":
            raise pickle.loads(outcome[1:])
        if outcome[:1] != b"M":
            raise JournalError(
                "The process helping with this import stopped; nothing was imported."
            )
        for path, name, view in _read_blobs(report):
            if path is None:  # the last record: the allies the helper's days helped
                for handle, day in view.items():
                    first = date.fromisoformat(day)
                    helped[handle] = min(first, helped.get(handle, first))
                continue
            key = layout.partition_key(path) or ""
            repeated = {
                entry_id
                for entry_id in view
                if seen.add(entry_id) and self._locate(change, entry_id, key) is not None
            }
            if repeated:  # stored from an earlier day already: the rest is staged again
                table = layout.table_of(path)
                content = files.read_json(change.home / layout.STAGING / change.id / name)
                records = [r for r in content[table].values() if r["id"] not in repeated]
                if records:
                    change.write(path, {table: {str(n): r for n, r in enumerate(records, 1)}})
                    change.stage_early(path)
            else:
                change.adopt_early(path, name, view)
            added += len(view) - len(repeated)
        return added

    def _locate(self, change: Change, entry_id: str, likely: str) -> str | None:
        """The key of the partition holding `entry_id`: where the id index says, checked,
        else the partition of its date; None when neither holds it."""
        try:
            hint = change.id_hint(entry_id)  # with what this change has stored so far
        except IndexDamaged:
            change.rebuild_indexes()
            hint = None
        for key in dict.fromkeys(k for k in (hint, likely) if isinstance(k, str)):
            if layout.KEY.match(key) and change.holds(layout.partition(key), entry_id):
                return key
        return None

    def _add_people(self, change: Change, people: list[Person]) -> list[Person]:
        if not people:
            return []
        table = storage.table(change, layout.PEOPLE)
        known = {str(doc.get("handle")) for doc in table.all()}
        created = list({p.handle: p for p in people if p.handle not in known}.values())
        table.insert_multiple(person.to_record() for person in created)
        return created

    def _add_goals(self, change: Change, goals: list[Goal]) -> int:
        return _add_new(change, layout.GOALS, [goal.to_record() for goal in goals])

    def _make_allies(self, change: Change, helped: dict[str, date]) -> None:
        """Whoever this change logs help for is an ally from the day of that help: a contact
        (someone only mentioned) becomes one, and an ally helped earlier than recorded is an
        ally from then. Part of the same change, so it is never half done."""
        if not helped:
            return
        table = storage.table(change, layout.PEOPLE)
        for document in table.all():
            handle = str(document.get("handle"))
            if handle not in helped:
                continue
            since = Person.from_record(document).ally_since
            if since is None or since > helped[handle]:
                table.update({"ally_since": helped[handle].isoformat()}, doc_ids=[document.doc_id])

    def replace(self, old: Entry, new: Entry, summary: str, new_people: list[Person]) -> None:
        """Store `new` in place of `old`, unless another process changed or deleted it first."""
        self.check_format()
        with self._change(summary) as change:
            key = self._locate(change, old.id, _key(old))
            if key is None:
                raise NotFound(
                    f"Entry {old.id[:7]} is no longer in the journal (deleted meanwhile?); "
                    "nothing was changed."
                )
            table = storage.table(change, layout.partition(key))
            current = table.get(storage.by_field("id", old.id))
            if not isinstance(current, dict) or current.get("updated_at") != old.updated_at:
                raise Conflict(
                    f"Entry {old.id[:7]} was changed by another ally process meanwhile; "
                    "nothing was changed. Look at it again with `ally show`."
                )
            self._add_people(change, new_people)
            record = new.to_record()
            self._make_allies(change, _first_helps([record]))
            if _key(new) == key:
                table.update(_replaced_by(record), storage.by_field("id", old.id))
            else:
                table.remove(storage.by_field("id", old.id))
                storage.table(change, layout.partition(_key(new))).insert(record)

    def delete(self, entries: list[Entry], summary: str) -> None:
        """Remove entries from wherever they are stored; refuses if one is already gone."""
        self.check_format()
        with self._change(summary) as change:
            for entry in entries:
                key = self._locate(change, entry.id, _key(entry))
                table = storage.table(change, layout.partition(key)) if key else None
                if table is None or not table.remove(storage.by_field("id", entry.id)):
                    raise NotFound(
                        f"Entry {entry.id[:7]} is no longer in the journal (deleted meanwhile?); "
                        "nothing was deleted."
                    )

    # -- people --------------------------------------------------------------------------------

    def add_person(self, person: Person, summary: str, goals: list[Goal] | None = None) -> None:
        """Store a new person (and the goals they told you) in one change."""
        self.check_format()
        with self._change(summary) as change:
            if not self._add_people(change, [person]):
                raise BadInput(
                    f"@{person.handle} is already an ally; use `ally people edit {person.handle}`."
                )
            self._add_goals(change, goals or [])

    def save_person(self, person: Person, summary: str, goals: list[Goal] | None = None) -> None:
        """Store an existing person's new details (and new goals) in one change."""
        self.check_format()
        with self._change(summary) as change:
            table = storage.table(change, layout.PEOPLE)
            # Replaced whole, so a field cleared ('' removes it) is gone from the record.
            found = table.update(
                _replaced_by(person.to_record()), storage.by_field("handle", person.handle)
            )
            if not found:
                raise NotFound(f"No ally @{person.handle} (renamed meanwhile?); nothing changed.")
            self._add_goals(change, goals or [])

    # -- goals ---------------------------------------------------------------------------------

    def save_goal(self, goal: Goal, summary: str, *, read: Goal | None = None) -> None:
        """Store a new goal, or a goal's new state in place of `read`, the state it was made
        from (refused if another process changed or removed it meanwhile)."""
        self.check_format()
        with self._change(summary) as change:
            _save(change, layout.GOALS, goal, "Goal", read)

    def save_promise(self, promise: Promise, summary: str, *, read: Promise | None = None) -> None:
        """Store a new promise, or a promise's new state in place of `read` (as `save_goal`)."""
        self.check_format()
        with self._change(summary) as change:
            _save(change, layout.PROMISES, promise, "Promise", read)

    def save_topics(self, topics: list[tuple[Topic, Topic | None]], summary: str) -> None:
        """Store new 1:1 topics (read None), or topics' new states in place of what they were
        read as, in one change (as `save_goal`)."""
        self.check_format()
        with self._change(summary) as change:
            for topic, read in topics:
                _save(change, layout.TOPICS, topic, "Topic", read)

    def rename_person(
        self,
        old: str,
        new: str,
        summary: str,
        rewrite: Callable[[Entry], Entry | None],
        *,
        merge: bool = False,
    ) -> int:
        """Give @old the handle @new, and `rewrite` every entry about them (returns how many).
        With `merge`, @new exists and @old becomes part of them (merge.merged_person).

        Partitions are scanned as bytes first, so only days that mention the handle are
        parsed and written.
        """
        from allyjournal.core.models import now_iso
        from allyjournal.journal.merge import merged_person

        self.check_format()
        with self._change(summary) as change:
            people = storage.table(change, layout.PEOPLE)
            into = people.get(storage.by_field("handle", new))
            if into is not None and not merge:
                raise BadInput(f"@{new} is already an ally; choose another handle.")
            if merge and not isinstance(into, Document):
                raise NotFound(f"No ally @{new} (renamed meanwhile?); nothing was changed.")
            found = people.get(storage.by_field("handle", old))
            if not isinstance(found, Document):
                raise NotFound(f"No ally @{old} (renamed meanwhile?); nothing was changed.")
            if isinstance(into, Document):
                one = merged_person(dict(into), dict(found))
                people.remove(doc_ids=[found.doc_id])
                people.update({**one, "updated_at": now_iso()}, doc_ids=[into.doc_id])
            else:
                formerly = [*(found.get("formerly") or []), old]  # for sync merges (merge.py)
                people.update({"handle": new, "formerly": formerly}, doc_ids=[found.doc_id])
            if (self.home / layout.GOALS).exists():
                goals = storage.table(change, layout.GOALS)
                for document in goals.all():
                    handles = document.get("people") or []
                    if old in handles:
                        renamed = list(dict.fromkeys(new if h == old else h for h in handles))
                        goals.update({"people": renamed}, doc_ids=[document.doc_id])
            for owned in (layout.PROMISES, layout.TOPICS):  # merge.OWNED_BY_HANDLE
                if (self.home / owned).exists():
                    table = storage.table(change, owned)
                    table.update({"handle": new}, storage.by_field("handle", old))
            touched = 0
            needle = old.encode("utf-8")
            for key in self.partitions():
                path = layout.partition(key)
                raw = change.peek(path)
                if raw is None or needle not in raw.lower():
                    continue
                table = storage.table(change, path)
                for document in table.all():
                    entry = storage.entries_of(self.home / path, [dict(document)])[0]
                    changed = rewrite(entry)
                    if changed is not None:
                        table.update(_replaced_by(changed.to_record()), doc_ids=[document.doc_id])
                        touched += 1
            return touched

    # -- undo, backups, restore ----------------------------------------------------------------

    def undo(self) -> UndoRecord:
        """Revert the newest recorded change (its files as they were before it)."""
        self.check_format()
        with self._change("undo", undoable=False) as change:
            reverted = revert_last(change)
            change.summary = f"undo {reverted.summary}"
        import shutil

        shutil.rmtree(self.home / layout.UNDO / reverted.id, ignore_errors=True)
        return reverted

    def snapshot(self, reason: str, *, automatic: bool = True) -> str:
        """Preserve the journal's data files as a backup; returns the backup's name."""
        self.check_format()
        with self._exclusive():
            from allyjournal.journal import backups  # only for backups: shutil, datetime

            keep = self.config().backups if automatic else 0
            return backups.snapshot(self.home, reason=reason, keep=keep, automatic=automatic)

    def restore(self, name: str) -> None:
        """Make the journal's data what backup `name` holds, in one change that `ally undo`
        reverts. The present is not snapshotted first: the change's undo record keeps every
        file it replaces (hard links), so a restore costs what differs, not the history."""
        from allyjournal.journal import backups

        self.check_format()  # a journal this version cannot write is left as it is
        with self._exclusive():
            backup = backups.find(self.home, name)
            contents = backups.contents(backup, self.home)  # only what differs
            with self._change(f"restored backup {backup.name[:22]}") as change:
                kept = set(backup.files)
                for path in backups.data_files(self.home):
                    if path not in kept:
                        change.delete(path)
                for path, content in contents.items():
                    if (
                        path == layout.META
                        and self.cipher is not None
                        and isinstance(content, dict)
                    ):
                        # A backup from before `ally encrypt` is written sealed like the rest:
                        # the marker keeps saying so.
                        content = {**content, "encryption": change.read(layout.META)["encryption"]}
                    change.write(path, content)

    # -- sync ----------------------------------------------------------------------------------

    def calendar_lock(self) -> contextlib.AbstractContextManager[None]:
        """Held while the `calendar` setting's file is rewritten after a change: a refresh
        reads the journal once it holds it, so the last to write wrote the newest state."""
        return files.locked(self.home, layout.CALENDAR_LOCK)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        """The writers' lock, with any interrupted change finished first: for sync's local
        steps, which read the journal's files as git sees them and must see them still."""
        self.check_format()
        with self._exclusive():
            self._recover()
            yield

    def write_merged(
        self, writes: dict[str, Any], summary: str, verbatim: dict[str, bytes] | None = None
    ) -> None:
        """Write a sync merge's files in one change (call under `held`). Undo history ends
        here: an older change's saved files predate the merge, and putting them back would
        drop what the other machine added (and the next sync would remove it there too)."""
        with self._ending_undo_history(summary) as change:
            for path, content in writes.items():
                if verbatim and path in verbatim:  # the other machine's bytes, as they are
                    change.write_verbatim(path, verbatim[path], content)
                else:
                    change.write(path, content)

    # -- encryption ----------------------------------------------------------------------------

    def encrypt(self, settings: dict[str, Any], cipher: Any) -> None:
        """Seal every file of the journal with `cipher` in one change (crypto.py), and say so
        in the format marker. Undo history ends here (its saved files are in clear), and the
        search index is removed (SQLite would keep the text in clear)."""
        from allyjournal.journal import search
        from allyjournal.journal.indexes import WEEKS, index_files

        self.check_format()
        with (
            files.sealing_clear_files(),
            self._ending_undo_history("encrypted the journal") as change,
        ):
            meta = dict(change.read(layout.META) or {})
            self.cipher = cipher
            files.use_cipher(cipher)  # what is read now is clear, what is written is sealed
            change.write(layout.META, {**meta, "encryption": settings})
            for path in (*layout.SEALED_FILES, WEEKS, *index_files(self.home)):
                if change.exists(path):
                    change.write(path, change.read(path))
            for key in self.partitions():
                path = layout.partition(key)
                change.write(path, change.read(path))
                change.stage_early(path)  # one day at a time in memory
        search.discard(self.home)

    @contextlib.contextmanager
    def _ending_undo_history(self, summary: str) -> Iterator[Change]:
        """A change that cannot be undone and after which nothing older can be: the undo log
        is emptied within it, and the files it kept are removed once it is committed."""
        import shutil

        with self._change(summary, undoable=False) as change:
            yield change
            if change.exists(layout.UNDO_LOG):
                change.write(layout.UNDO_LOG, [])
        for folder in (self.home / layout.UNDO).glob("*"):
            if folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)

    def rebuild_indexes(self) -> None:
        """Recompute every index from the partitions (doctor)."""
        with self._change("rebuilt the indexes", undoable=False) as change:
            change.rebuild_indexes()


class _SeenIds:
    """The ids an import has stored so far, as a Bloom filter of one megabyte (three bits an
    id): `add` is never wrong about an id it was given before, and only sometimes says so of
    one it was not. Yes is then checked exactly, so an import into an empty journal skips the
    id-index look-up for nearly every entry (a tenth of a million-entry import's time) and
    still stores a repeated id once."""

    BITS = 1 << 23

    def __init__(self) -> None:
        self._bits = bytearray(self.BITS // 8)

    def _positions(self, entry_id: str) -> tuple[int, int, int]:
        mixed = hash(entry_id) & 0xFFFF_FFFF_FFFF_FFFF
        mask = self.BITS - 1
        return mixed & mask, (mixed >> 21) & mask, (mixed >> 42) & mask

    def add(self, entry_id: str) -> bool:
        """Remember `entry_id`; True when it may have been given before (then check it)."""
        bits = self._bits
        before = True
        for position in self._positions(entry_id):
            byte, bit = position >> 3, 1 << (position & 7)
            if not bits[byte] & bit:
                before = False
                bits[byte] |= bit
        return before


SPILL_EVERY = 50_000  # records held in memory before they go to scratch files
Spilled = dict[str, list[tuple[str, dict[str, Any]]] | Path]


def _add_new(change: Change, path: str, records: list[dict[str, Any]]) -> int:
    """Insert the records whose id the file does not hold yet; returns how many."""
    if not records:
        return 0
    table = storage.table(change, path)
    known = {str(document.get("id")) for document in table.all()}
    fresh = list({str(r["id"]): r for r in records if str(r["id"]) not in known}.values())
    table.insert_multiple(fresh)
    return len(fresh)


def _mark(change: Change, sources: list[Source]) -> None:
    """Store each source in place of the record of the same id; one already logged is
    refused, decided under the lock: another `ally suggest` logged it meanwhile."""
    if not sources:
        return
    table = storage.table(change, layout.SOURCES)
    stored = {str(doc.get("id")): (doc.doc_id, doc.get("state")) for doc in table.all()}
    for source in sources:
        number, state = stored.get(source.id, (None, None))
        if number is None:
            table.insert(source.to_record())
            continue
        if state == "logged":
            raise Conflict(
                f"that suggestion was logged meanwhile ({source.id[:11]}); nothing was changed."
            )
        table.update(_replaced_by(source.to_record()), doc_ids=[number])


def _save(change: Change, path: str, item: Goal | Promise | Topic, what: str, read: Any) -> None:
    """Insert a new record (`read` None), or store `item` in place of `read`, the state it was
    made from, if the stored record still is that state: a change made from a stale read
    would undo another process's change, so it is refused and nothing is written."""
    table = storage.table(change, path)
    if read is None:
        table.insert(item.to_record())
        return
    stored = table.get(storage.by_field("id", item.id))
    if not isinstance(stored, dict):
        raise NotFound(f"{what} {item.id[:7]} is no longer in the journal; nothing changed.")
    if type(item).from_record(dict(stored)).to_record() != read.to_record():
        raise Conflict(
            f"{what} {item.id[:7]} was changed by another ally process meanwhile; "
            "nothing was changed. Look at it again and retry."
        )
    table.update(_replaced_by(item.to_record()), doc_ids=[stored.doc_id])


def _first_helps(records: Iterable[dict[str, Any]]) -> dict[str, date]:
    """Each ally helped in `records` (stored entries) and the day of the first help."""
    first: dict[str, date] = {}
    for record in records:
        if record.get("kind") == "help" and record.get("ally"):
            day = date.fromisoformat(str(record["date"]))
            handle = str(record["ally"])
            first[handle] = min(day, first.get(handle, day))
    return first


def _spill(records: Iterable[dict[str, Any]], scratch: Callable[[], Path]) -> Spilled:
    """Each entry's (day, record): an import of up to SPILL_EVERY entries is kept in memory (one
    group), a larger one is appended to a scratch file per month (marshal, the interpreter's
    own fast format: the file lives only as long as this process), so files are opened once
    per month and flush, never once per day; each month's share of a flush is one marshalled
    list (a call per record was a sixth of a million-entry import)."""
    spilled: Spilled = {}
    waiting: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    held = 0

    def flush() -> None:
        folder = scratch()
        for month, pairs in waiting.items():
            path = folder / f"{month}.marshal"
            spilled[month] = path
            flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND
            with os.fdopen(os.open(path, flags, 0o600), "ab") as out:
                blob = marshal.dumps(pairs)
                out.write(len(blob).to_bytes(8, "little") + blob)
        waiting.clear()

    for record in records:
        key = record["date"]  # the ISO day, which is its partition's key (layout.key_of)
        waiting.setdefault(key[:7], []).append((key, record))
        held += 1
        if held >= SPILL_EVERY:
            flush()
            held = 0
    if spilled:  # already spilling: the rest follows
        flush()
        return spilled
    return {"": [pair for pairs in waiting.values() for pair in pairs]}


# An import into a journal without entries whose spilled months hold this many bytes or more
# (about 50,000 entries) is merged by two processes (read at call time: tests lower it).
HELPER_FROM = 16 << 20


def _worth_a_helper(days: Spilled) -> bool:
    # Linux only: where it is measured and tested; macOS's system libraries are not all safe
    # to use in a forked child, and Windows cannot fork.
    if not sys.platform.startswith("linux") or len(days) < 2:
        return False
    return sum(os.path.getsize(path) for path in days.values() if isinstance(path, Path)) >= (
        HELPER_FROM
    )


def _helper(journal: Journal, change: Change, months: Spilled, report: Path, out: int) -> NoReturn:
    """The forked helper of `_merge_in_two`: merge and stage `months` into `change`'s
    staging, appending to `report` what the parent needs to adopt each staged day (its path,
    name and index keys, one marshalled record a day, and last the allies helped), then say
    on `out` that it is done ("M") or what failed ("E" and the pickled error). Never returns:
    os._exit, so the parent's handlers, buffers and clean-ups (which would abandon the
    change) stay the parent's."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C ends both processes
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    code = 0
    try:
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | files.NOFOLLOW
            with os.fdopen(os.open(report, flags, files.PRIVATE_FILE), "wb") as blobs:

                def staged(path: str, name: str, view: Any) -> None:
                    _write_blob(blobs, (path, name, view))

                change.next_early = EARLY + 500_000_000  # names apart from the parent's
                change.on_early = staged
                helped: dict[str, date] = {}
                seen = _SeenIds()  # of the helper's months; the parent checks them against its own
                for key, records in _by_day(months):
                    journal._merge_day(change, key, records, None, helped, seen)
                _write_blob(blobs, (None, "", {h: day.isoformat() for h, day in helped.items()}))
            outcome = b"M"
        except Exception as error:
            outcome = b"E" + pickle.dumps(error)
        with os.fdopen(out, "wb") as pipe:
            pipe.write(outcome)
    except BaseException:  # the parent has gone (a broken pipe), or this was interrupted
        code = 1
    os._exit(code)


def _write_blob(out: Any, value: Any) -> None:
    blob = marshal.dumps(value)
    out.write(len(blob).to_bytes(8, "little") + blob)


def _read_blobs(path: Path) -> Iterator[Any]:
    """The values `_write_blob` appended to `path`, one at a time."""
    with path.open("rb") as blobs:
        while head := blobs.read(8):
            yield marshal.loads(blobs.read(int.from_bytes(head, "little")))


def _by_day(spilled: Spilled) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(day, its records) for every day, oldest first, one month in memory at a time."""
    for _, held in sorted(spilled.items()):
        pairs = _read_spilled(held) if isinstance(held, Path) else held
        days: dict[str, list[dict[str, Any]]] = {}
        for day, record in pairs:
            days.setdefault(day, []).append(record)
        yield from sorted(days.items())


def _read_spilled(path: Path) -> list[tuple[str, dict[str, Any]]]:
    data = path.read_bytes()
    pairs: list[tuple[str, dict[str, Any]]] = []
    offset = 0
    while offset < len(data):  # one marshalled list per flush that reached this month
        size = int.from_bytes(data[offset : offset + 8], "little")
        pairs += marshal.loads(data[offset + 8 : offset + 8 + size])
        offset += 8 + size
    return pairs
