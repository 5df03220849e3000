"""One change to the journal, all or nothing: the transaction every write goes through.

A change runs under the journal's exclusive lock. It reads the files it needs (each parsed and
checked before anything is written), computes their new content in memory, and commits:

1. every new file is written under .staging/<id>/ and flushed to the disk;
2. every file of the user's that it replaces is hard-linked into undo/<id>/ (its old bytes,
   kept for `ally undo`; files are only ever replaced, never edited, so a link is a copy);
3. commit.json is written atomically, listing the files. This is the instant the change
   happens: before it, nothing has; after it, all of it will;
4. the staged files are renamed over the old ones and deleted files removed;
5. commit.json is removed.

A crash before step 3 leaves staging that the next change discards; a crash after it leaves
commit.json, and the next command, reader or writer, first finishes the renames (roll
forward, as SQLite's write-ahead log does). Each file is written once per change, however many
times the change touched it, and the derived indexes are updated from what the change did to
the partitions, in the same commit (indexes.py).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from allyjournal.core.errors import UnreadableJournal
from allyjournal.core.models import new_id, now_iso
from allyjournal.journal import files, layout, undo
from allyjournal.journal.indexes import IndexDamaged, Indexes, PartitionView, view_of

EARLY = 10**9  # files staged early are numbered from here, apart from the ones staged at commit


class Change:
    """The files one change reads and writes; see the module docstring for the commit."""

    def __init__(
        self, home: Path, summary: str, *, undoable: bool = True, update_indexes: bool = True
    ) -> None:
        self.home = home
        self.summary = summary
        self.undoable = undoable
        # False only for a migration step: the migration rebuilds the indexes at its end.
        self.update_indexes = update_indexes
        self.id = new_id()
        self.notes: list[str] = []
        self._read: dict[str, Any] = {}
        self._writes: dict[str, Any] = {}  # path -> new content; None deletes the file
        self._views: dict[str, PartitionView] = {}  # partitions as first read, for indexes
        self._set_aside: set[str] = set()
        self._rebuild_indexes = False
        self._early: dict[str, str] = {}  # path -> its file in staging, written by stage_early
        self.next_early = EARLY  # the name of the next file staged early
        # Told of each partition staged early: its path, name in staging and index keys (a
        # forked helper reports them so the parent change adopts its files: journal.py).
        self.on_early: Callable[[str, str, PartitionView], None] | None = None
        self._verbatim: dict[str, bytes] = {}  # path -> bytes to write as they are
        self._indexes: Indexes | None = None

    # -- reading and writing, in memory ---------------------------------------------------

    def read(self, path: str, default: Any = None) -> Any:
        """A file's content as this change sees it: what it wrote, else what is on disk.

        A damaged file raises UnreadableJournal here, before anything has been written.
        """
        if path in self._early:  # read back from staging (a rebuild of the indexes)
            name = self._early[path]
            staged = self.home / layout.STAGING / self.id / name
            content = files.read_json(staged) if name else None
            return default if content is None else content
        if path in self._writes:
            content = self._writes[path]
            return default if content is None else content
        if path not in self._read:
            content = files.read_json(self.home / path, quick=path.startswith(f"{layout.INDEX}/"))
            if layout.partition_key(path) is not None:
                self._views[path] = view_of(path, content)
            self._read[path] = content
        content = self._read[path]
        return default if content is None else content

    def exists(self, path: str) -> bool:
        if path in self._writes:
            return self._writes[path] is not None
        return (self.home / path).exists()

    def write(self, path: str, content: Any) -> None:
        if not layout.is_journal_path(path):  # whatever a record from outside said
            raise UnreadableJournal(
                f"Refused to write {path!r}: it is not one of the journal's files. Nothing "
                "was written."
            )
        if layout.partition_key(path) is not None and path not in self._views:
            self._views[path] = self._old_view(path)
        self._writes[path] = content
        self._verbatim.pop(path, None)

    def delete(self, path: str) -> None:
        self.write(path, None)

    def write_verbatim(self, path: str, data: bytes, content: Any) -> None:
        """Write `data` as it is (another machine's file, already serialised and sealed as
        it must be stored), whose parsed content is `content`."""
        self.write(path, content)
        self._verbatim[path] = data

    def set_aside(self, path: str) -> None:
        """Keep a damaged file's bytes beside it (`<path>.damaged-<time>`) when it is replaced."""
        self._set_aside.add(path)

    def rebuild_indexes(self) -> None:
        """Recompute every index from the partitions in this change (doctor, recovery)."""
        self._rebuild_indexes = True

    def _old_view(self, path: str) -> PartitionView:
        try:
            return view_of(path, files.read_json(self.home / path))
        except UnreadableJournal:  # a damaged partition being replaced: its entries are unknown
            self._rebuild_indexes = True
            return {}

    def ids_before(self, path: str) -> PartitionView:
        """The entry ids a partition held when this change first read it."""
        self.read(path)
        return self._views.get(path, {})

    def peek(self, path: str) -> bytes | None:
        """A file's bytes as committed, without keeping them (for scanning many files)."""
        if path in self._writes or path in self._read:
            content = self.read(path)
            return None if content is None else files.dump_json(content)
        try:
            return files.unsealed((self.home / path).read_bytes(), self.home / path)
        except FileNotFoundError:
            return None

    def scratch(self) -> Path:
        """A private folder for this change's working files; removed with its staging."""
        folder = self.home / layout.STAGING / self.id / "scratch"
        files.ensure_private_dir(folder)
        return folder

    def stage_early(self, path: str) -> None:
        """Write a partition's new content to staging now, record what it does to the indexes,
        and let the content go: a change too large to hold in memory (a bulk import) keeps
        one partition at a time. The file is part of the commit like any other."""
        content = self._writes[path]
        new = view_of(path, content) if content else {}
        self._record_early(path, self._views.get(path, {}), new)
        staging = self.home / layout.STAGING / self.id
        files.ensure_private_dir(staging)
        name = str(self.next_early)  # digits, as a commit record's names must be
        self.next_early += 1
        if content:  # flushed with the rest of the change's files, just before its record
            data = files.sealed(files.dump_json(content))
            files.write_new(f"{staging}/{name}", data, durable=False)
        self._early[path] = name if content else ""
        if self.on_early is not None:
            self.on_early(path, self._early[path], new)
        self._writes[path] = None
        self._read.pop(path, None)
        self._views.pop(path, None)

    def adopt_early(self, path: str, name: str, view: PartitionView) -> None:
        """Take a new partition that another process staged for this change under `name`
        (a forked helper of a large import), holding the entries `view` lists: as if this
        change had staged it early. The path must be one this change has not written."""
        self._record_early(path, {}, view)
        self._early[path] = name
        self._writes[path] = None

    def _record_early(self, path: str, old: PartitionView, new: PartitionView) -> None:
        """What a partition staged early does to the indexes, recorded now (its content is
        let go); a damaged index is rebuilt at the commit instead."""
        if not self._rebuild_indexes:
            try:
                self._indexes_of_change().record([(path, old, new)])
            except IndexDamaged as damaged:
                self.notes.append(f"{damaged} was damaged; rebuilt the indexes from the entries.")
                self._rebuild_indexes = True

    def id_hint(self, entry_id: str) -> str | None:
        """Where the id index, as this change has updated it, says `entry_id` is stored.
        Raises IndexDamaged for a bucket that does not parse."""
        return self._indexes_of_change().hint(entry_id)

    def holds(self, path: str, entry_id: str) -> bool:
        """Whether partition `path` held `entry_id` when this change first read it, or it is a
        partition this change staged early (whose ids the change's id index already has)."""
        return path in self._early or entry_id in self.ids_before(path)

    def abandon(self) -> None:
        """Remove what this change wrote to its staging before it was committed (best effort:
        the next change discards whatever is left)."""
        shutil.rmtree(self.home / layout.STAGING / self.id, ignore_errors=True)

    def _indexes_of_change(self) -> Indexes:
        if self._indexes is None:
            self._indexes = Indexes(self)
        return self._indexes

    # -- committing ------------------------------------------------------------------------

    def commit(self) -> bool:
        """Make the change happen; False when there was nothing to write."""
        if not self._writes and not self._rebuild_indexes:
            return False
        for path, content in self._writes.items():  # a day with no entries left: no file
            if (
                layout.partition_key(path)
                and isinstance(content, dict)
                and not any(content.values())
            ):
                self._writes[path] = None
        if self.update_indexes:
            self._update_indexes()
        if not self._writes:
            return False
        # The format marker is written once, when the journal is created; undo never removes it.
        truth = [p for p in self._writes if layout.is_truth(p) and p != layout.META]
        dropped = undo.record_change(self, truth) if self.undoable else []
        # The format marker goes into place first: a reader that finds entries and then no
        # marker knows it is looking at damage, not at the change that creates the journal.
        in_order = sorted(self._writes.items(), key=lambda item: item[0] != layout.META)
        staged = {
            path: self._serialised(path, content) for path, content in in_order
        }  # serialising first: text that cannot be written is refused before any write
        with _signals_deferred():
            record = self._stage(staged, truth if self.undoable else [])
            try:
                apply(self.home, record)
            except OSError as error:
                raise files.cannot_write(
                    self.home / layout.COMMIT,
                    error,
                    "The change is saved and will be completed by the next ally command.",
                ) from None
        for old in dropped:
            shutil.rmtree(self.home / layout.UNDO / old, ignore_errors=True)
        return True

    def _serialised(self, path: str, content: Any) -> bytes | str | None:
        """A file's new bytes; its name in staging if it was staged early; None to delete."""
        if path in self._early:
            return self._early[path] or None
        if content is None:
            return None
        data = self._verbatim.get(path) or files.dump_json(content)
        # Everything but the format marker holds what was written or whom about: sealed when
        # the journal is encrypted (the marker says so, and must be readable to say it).
        return data if path == layout.META or path in self._verbatim else files.sealed(data)

    def _update_indexes(self) -> None:
        indexes = self._indexes_of_change()
        if not self._rebuild_indexes:
            try:
                indexes.record(
                    [
                        (path, self._views.get(path, {}), view_of(path, content) if content else {})
                        for path, content in list(self._writes.items())
                        if layout.partition_key(path) is not None and path not in self._early
                    ]
                )
                indexes.flush()
            except IndexDamaged as damaged:
                self.notes.append(f"{damaged} was damaged; rebuilt the indexes from the entries.")
                self._rebuild_indexes = True
        if self._rebuild_indexes:
            indexes.rebuild()

    def _stage(self, staged: dict[str, bytes | str | None], keep_old: list[str]) -> Any:
        """Steps 1 to 3: staged files, old versions kept, and the commit record."""
        staging = self.home / layout.STAGING / self.id
        before = self.home / layout.UNDO / self.id
        committed: list[int] = []  # set the moment commit.json is in place
        try:
            files.ensure_private_dir(staging)
            entries: list[list[Any]] = []
            durable: list[str] = []  # flushed once all are written (files.fsync_file)
            for number, (path, data) in enumerate(staged.items()):
                if isinstance(data, str):  # staged early, under this name
                    entries.append([path, data])
                    durable.append(f"{staging}/{data}")
                    continue
                if data is not None:
                    files.write_new(f"{staging}/{number}", data, durable=False)
                    if not path.startswith(f"{layout.INDEX}/"):  # an index can be rebuilt
                        durable.append(f"{staging}/{number}")
                entries.append([path, str(number) if data is not None else None])
            for written in durable:
                files.fsync_file(written)
            for number, path in enumerate(keep_old):
                if (self.home / path).exists():
                    files.ensure_private_dir(before)
                    _link_or_copy(self.home / path, before / str(number))
            for path in self._set_aside:
                if (self.home / path).exists():
                    aside = self.home / f"{path}.damaged-{now_iso()[:19].replace(':', '')}"
                    _link_or_copy(self.home / path, aside)
            files.fsync_dir(staging)
            if before.exists():
                files.fsync_dir(before)
            record = {"id": self.id, "summary": self.summary, "files": entries}
            files.write_atomic(
                self.home / layout.COMMIT, files.dump_json(record), lambda: committed.append(1)
            )
        except BaseException as error:
            if committed:
                # The record was renamed into place and only a flush after it failed: the
                # change has happened, and its staged files must stay for the roll forward.
                if isinstance(error, OSError):
                    return record
                raise
            _discard(staging, before)
            if isinstance(error, OSError):
                where = getattr(error, "filename", None) or staging
                raise files.cannot_write(where, error, "Nothing was changed.") from None
            raise
        return record


def apply(home: Path, record: dict[str, Any]) -> None:
    """Steps 4 and 5: move a committed change's files into place. Idempotent, so a change
    interrupted half-way is finished by running this again (roll forward)."""
    staging = home / layout.STAGING / str(record["id"])
    root, staged = str(home), str(staging)  # strings: an import moves hundreds of files
    folders = {os.path.dirname(f"{root}/{path}") for path, _ in record["files"]}
    for folder in sorted({os.path.dirname(f"{root}/{p}") for p, n in record["files"] if n}):
        files.ensure_private_dir(Path(folder))
    for path, number in record["files"]:
        if number is None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{root}/{path}")
            continue
        with contextlib.suppress(FileNotFoundError):  # moved already, by an earlier apply
            os.replace(f"{staged}/{number}", f"{root}/{path}")
    for folder in folders:
        files.fsync_dir(Path(folder))
    (home / layout.COMMIT).unlink(missing_ok=True)
    files.fsync_dir(home)
    shutil.rmtree(staging, ignore_errors=True)
    with contextlib.suppress(OSError):
        (home / layout.STAGING).rmdir()  # only when no other change is staged


def recover(home: Path) -> bool:
    """Finish a committed change that a crash interrupted and discard uncommitted staging.
    The caller holds the lock. True when a change was rolled forward."""
    rolled = False
    record = files.read_json(home / layout.COMMIT)
    if record is not None:
        if not isinstance(record, dict) or not _valid_record(record):
            raise UnreadableJournal(
                f"{home / layout.COMMIT} is damaged, so an interrupted change cannot be "
                "finished; run `ally doctor`. Nothing was changed."
            )
        apply(home, record)
        rolled = True
    if (home / layout.STAGING).exists():
        shutil.rmtree(home / layout.STAGING, ignore_errors=True)
    return rolled


def _valid_record(record: dict[str, Any]) -> bool:
    """A commit record names only paths inside the journal, as the change wrote them."""
    entries = record.get("files")
    if not isinstance(record.get("id"), str) or not isinstance(entries, list):
        return False
    return all(
        isinstance(item, list)
        and len(item) == 2
        and isinstance(item[0], str)
        and layout.is_journal_path(item[0])
        and (item[1] is None or (isinstance(item[1], str) and item[1].isdigit()))
        for item in entries
    )


def _discard(*folders: Path) -> None:
    """Remove what an uncommitted change left (best effort: recovery removes the rest)."""
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)
        with contextlib.suppress(OSError):
            folder.parent.rmdir()  # .staging/ or undo/, when nothing else is in it


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:  # a file system without hard links
        shutil.copy2(source, target)


@contextlib.contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM while a change commits; they take effect right after, so the
    user's interrupt never lands between the commit record and the files it names."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    blocked = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, blocked)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
