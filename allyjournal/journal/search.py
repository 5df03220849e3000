"""A disposable search index (`index/search.sqlite`): finds the entries a search names without
reading every partition.

The partitions stay the truth. This index is a cache of them, in the standard library's SQLite:
one row per entry (its raw record, date, kind, tags and people) and an FTS5 trigram index of its
case-folded text (detail=none: no positions, a third of the size; substring queries use LIKE,
which the trigram index answers), so `list --grep`, `--tag` and `--ally` cost what they find, not the journal's length.

It is never trusted blindly, and no change has to remember it. Every search first compares
each partition's identity on disk (inode, size, modification time: a change always replaces a
partition with a new file; not the change time, which a backup's hard link moves) with the
identity the index recorded, and re-reads only the partitions that differ before it answers.
So a `win` costs nothing here, the next search pays for the one partition it touched, and an
index that is deleted, damaged, or from another machine is rebuilt from the partitions.

That comparison is one `stat` per day of the journal (3,650 in ten years, ~11 ms), so it is
skipped when nothing can have changed: the index also records the modification time of
`entries/` itself, which every change moves (a partition is always renamed into place or
removed), as do editors that save by replacing a file. Like git's "racily clean" index, the
folder's time is only trusted once it is over a second older than the walk that recorded it,
so a change landing in the same clock tick as a search is never missed. A partition edited in
place by hand (same folder time) is what this gives up: `ally doctor` reports such an index
and `doctor --fix` rebuilds it.

Searches that cannot use it (a read-only journal, an SQLite error) fall back to reading the
partitions; every candidate the index returns is checked again against the record, so the
index can only make a search faster, never change its answer.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from allyjournal.journal import files, layout

PATH = f"{layout.INDEX}/search.sqlite"
VERSION = 3  # bump when the tables change; an index of another version is rebuilt
SCHEMA = """
CREATE TABLE partitions (key TEXT PRIMARY KEY, identity TEXT NOT NULL);
CREATE TABLE entries (
    row INTEGER PRIMARY KEY, id TEXT NOT NULL, partition TEXT NOT NULL, position INTEGER,
    date TEXT, created TEXT, kind TEXT, record TEXT NOT NULL);
CREATE INDEX entries_by_partition ON entries (partition);
CREATE INDEX entries_by_id ON entries (id);
CREATE INDEX entries_by_date ON entries (date, created, position);
CREATE TABLE labels (label TEXT NOT NULL, row INTEGER NOT NULL);
CREATE INDEX labels_by_label ON labels (label, row);
CREATE INDEX labels_by_row ON labels (row);
CREATE VIRTUAL TABLE words USING fts5 (body, tokenize = 'trigram', detail = 'none');
"""


@dataclass(frozen=True)
class Query:
    """What a search asks of the index: every field given must hold (a superset is fine)."""

    start: str | None = None  # ISO dates, inclusive
    end: str | None = None
    text: str | None = None
    tags: tuple[str, ...] = ()
    handle: str | None = None


FOLDER = "~entries"  # the row of `partitions` holding the settled time of entries/ (not a key)
SETTLED_NS = 1_000_000_000  # how much older than a walk the folder's time must be to be trusted


class Unavailable(Exception):
    """The index cannot answer this search; read the partitions instead."""


def body(record: dict[str, Any]) -> str:
    """The text a `--grep` searches, case-folded as the search in actions compares it, so
    the index's own case rules never decide a match."""
    return f"{record.get('text') or ''}\n{record.get('impact') or ''}".casefold()


def _labels(record: dict[str, Any]) -> set[str]:
    tags = {f"#{tag}" for tag in record.get("tags") or ()}
    handles = [record.get("ally"), record.get("for"), *(record.get("mentions") or ())]
    people = {f"@{handle}" for handle in handles}
    return tags | {label for label in people if label != "@None" and label != "@"}


def identity(path: Path | str) -> str | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    # Not the change time: a hard link (a backup, an undo record) changes it without changing
    # the file. A change always replaces a partition, so its inode and time are new.
    return f"{status.st_ino}:{status.st_size}:{status.st_mtime_ns}"


class SearchIndex:
    """The index of one journal, brought up to date with its partitions when opened."""

    def __init__(self, home: Path, keys: Callable[[], list[str]]) -> None:
        self.home = home
        self.refreshed = 0  # partitions re-read by this open, for the user to know and tests
        self._db = self._open()
        try:
            self._refresh(keys)
        except sqlite3.Error as error:
            self._db.close()
            raise Unavailable(str(error)) from error

    def _open(self) -> sqlite3.Connection:
        path = self.home / PATH
        try:
            files.ensure_private_dir(path.parent)
            try:
                return self._connect(path)
            except sqlite3.DatabaseError:  # damaged: it is only a cache, so start it again
                self._discard(path)
                return self._connect(path)
        except (sqlite3.Error, OSError) as error:
            raise Unavailable(str(error)) from error

    def _connect(self, path: Path) -> sqlite3.Connection:
        previous = os.umask(0o077)  # the index holds the journal's text: owner-only
        try:
            db = sqlite3.connect(path, timeout=10, isolation_level=None)
            try:
                db.execute("PRAGMA journal_mode = WAL")
                db.execute("PRAGMA synchronous = OFF")  # a lost index is rebuilt, not trusted
                if db.execute("PRAGMA user_version").fetchone()[0] != VERSION:
                    db.execute("BEGIN IMMEDIATE")
                    if db.execute("PRAGMA user_version").fetchone()[0] == VERSION:
                        db.execute("COMMIT")  # another process made it meanwhile
                        return db
                    for (name,) in db.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                        " AND name NOT LIKE 'words_%' AND name NOT LIKE 'sqlite_%'"
                    ).fetchall():
                        db.execute(f'DROP TABLE IF EXISTS "{name}"')
                    for statement in SCHEMA.strip().split(";"):
                        if statement.strip():
                            db.execute(statement)
                    db.execute(f"PRAGMA user_version = {VERSION}")
                    db.execute("COMMIT")
            except BaseException:
                db.close()
                raise
            return db
        finally:
            os.umask(previous)

    @staticmethod
    def _discard(path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{path}{suffix}")

    def close(self) -> None:
        self._db.close()

    def _refresh(self, keys: Callable[[], list[str]]) -> None:
        """Re-read every partition whose file changed since the index last saw it."""
        home = str(self.home)  # plain strings: this runs for every day of the journal
        walked_at = time.time_ns()
        folder = folder_time(self.home)
        known = self._known()
        if folder is not None and known.get(FOLDER) == folder:
            return  # nothing was renamed into or out of entries/ since a settled walk
        wanted = {key: identity(f"{home}/{layout.partition(key)}") for key in keys()}
        settled = folder if folder is not None and int(folder) < walked_at - SETTLED_NS else None
        stale, gone = _stale(known, wanted)
        if (stale, gone) == ([], []) and known.get(FOLDER) == settled:
            return
        db = self._db
        db.execute("BEGIN IMMEDIATE")  # one refresher at a time; others wait, then find less
        try:
            known = self._known()
            stale, gone = _stale(known, wanted)
            for key in gone:
                self._forget(key)
                db.execute("DELETE FROM partitions WHERE key = ?", (key,))
            for key in stale:
                if key in known:  # a partition never indexed has nothing to forget
                    self._forget(key)
                self._learn(key, wanted[key])
            if settled is None:
                db.execute("DELETE FROM partitions WHERE key = ?", (FOLDER,))
            else:
                db.execute("INSERT OR REPLACE INTO partitions VALUES (?, ?)", (FOLDER, settled))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        self.refreshed = len(stale)

    def _known(self) -> dict[str, str]:
        """Each partition the index has read, with its identity then."""
        return dict(self._db.execute("SELECT key, identity FROM partitions"))

    def _forget(self, key: str) -> None:
        db = self._db
        rows = "SELECT row FROM entries WHERE partition = ?"
        db.execute(f"DELETE FROM words WHERE rowid IN ({rows})", (key,))
        db.execute(f"DELETE FROM labels WHERE row IN ({rows})", (key,))
        db.execute("DELETE FROM entries WHERE partition = ?", (key,))

    def _learn(self, key: str, seen: str | None) -> None:
        path = self.home / layout.partition(key)
        content = files.read_json(path)  # a damaged partition stops the search, as a scan would
        table = (content or {}).get("entries") if isinstance(content, dict) else None
        records = list(table.values()) if isinstance(table, dict) else []
        db = self._db
        if not all(isinstance(record, dict) for record in records):
            raise Unavailable(f"{path} holds a record that is not an entry")
        first = db.execute("SELECT coalesce(max(row), 0) + 1 FROM entries").fetchone()[0]
        rows = range(first, first + len(records))
        db.executemany(
            "INSERT INTO entries (row, id, partition, position, date, created, kind, record)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    row,
                    str(record.get("id")),
                    key,
                    position,
                    str(record.get("date")),
                    str(record.get("created_at") or ""),
                    str(record.get("kind")),
                    json.dumps(record, ensure_ascii=False),
                )
                for position, (row, record) in enumerate(zip(rows, records, strict=True))
            ],
        )
        db.executemany(
            "INSERT INTO words (rowid, body) VALUES (?, ?)",
            [(row, body(record)) for row, record in zip(rows, records, strict=True)],
        )
        db.executemany(
            "INSERT INTO labels (label, row) VALUES (?, ?)",
            [
                (label, row)
                for row, record in zip(rows, records, strict=True)
                for label in _labels(record)
            ],
        )
        if seen is not None:
            db.execute("INSERT OR REPLACE INTO partitions VALUES (?, ?)", (key, seen))

    def find(self, query: Query) -> Iterator[dict[str, Any]]:
        """Candidate records, newest first (as `read_partition` orders them): a superset of the
        matches, which the caller checks against every filter."""
        clauses = ["1"]
        arguments: list[Any] = []
        if query.start:
            clauses.append("e.date >= ?")
            arguments.append(query.start)
        if query.end:
            clauses.append("e.date <= ?")
            arguments.append(query.end)
        labels = [f"#{tag}" for tag in query.tags]
        if query.handle:
            labels.append(f"@{query.handle}")
        for label in labels:
            clauses.append("e.row IN (SELECT row FROM labels WHERE label = ?)")
            arguments.append(label)
        pattern = like_pattern(query.text) if query.text is not None else None
        if query.text is not None and (len(query.text) < 3 or pattern is None):
            # SQLite's trigram tokenizer misses some LIKE matches shorter than a trigram when
            # they hold multi-byte characters (' é' finds nothing in 3.40): compare directly.
            clauses.append("e.row IN (SELECT rowid FROM words WHERE instr(body, ?) > 0)")
            arguments.append(query.text.casefold())
        elif pattern is not None:
            clauses.append("e.row IN (SELECT rowid FROM words WHERE body LIKE ?)")
            arguments.append(pattern)
        sql = (
            "SELECT e.record FROM entries e WHERE " + " AND ".join(clauses) + " ORDER BY"
            " e.date DESC, e.created DESC, e.partition DESC, e.position DESC"
        )
        try:
            cursor = self._db.execute(sql, arguments)
            while rows := cursor.fetchmany(256):
                yield from (json.loads(record) for (record,) in rows)
        except sqlite3.Error as error:
            raise Unavailable(str(error)) from error

    def tags(self) -> list[tuple[str, int, str]]:
        """Every tag with how many entries carry it and the latest date it was used."""
        try:
            return [
                (label[1:], count, last)
                for label, count, last in self._db.execute(
                    "SELECT l.label, count(*), max(e.date) FROM labels l JOIN entries e "
                    "ON e.row = l.row WHERE l.label LIKE '#%' GROUP BY l.label"
                )
            ]
        except sqlite3.Error as error:
            raise Unavailable(str(error)) from error

    def neighbours(self, entry_id: str) -> list[str]:
        """The ids just before and after `entry_id` in sorted order, and itself if indexed."""
        db = self._db
        below = db.execute(
            "SELECT id FROM entries WHERE id < ? ORDER BY id DESC LIMIT 1", (entry_id,)
        ).fetchall()
        above = db.execute(
            "SELECT id FROM entries WHERE id > ? ORDER BY id LIMIT 1", (entry_id,)
        ).fetchall()
        return [row[0] for row in below] + [entry_id] + [row[0] for row in above]


def like_pattern(text: str) -> str | None:
    """A LIKE pattern that every body holding `text` matches (case-folded, as the bodies are),
    for the trigram index to answer; None when it cannot (then `find` compares with instr).

    The pattern never holds a wildcard: SQLite 3.40's trigram index crashes the process on
    some LIKE patterns that mix a wildcard with a multi-byte character (`%aé_sssb%`), so
    the text is cut at LIKE's own wildcards (% and _) and its longest piece is looked for: a
    few more candidates, which `find`'s caller checks, never a missed match. A piece shorter
    than a trigram cannot be answered by the index.
    """
    longest = max(_WILDCARDS.split(text.casefold()), key=len)
    return f"%{longest}%" if len(longest) >= 3 else None


_WILDCARDS = re.compile("[%_]")


def _stale(known: dict[str, str], wanted: dict[str, str | None]) -> tuple[list[str], list[str]]:
    """The partitions to read again (changed or new) and the ones gone from the journal."""
    stale = [key for key, seen in wanted.items() if seen is None or known.get(key) != seen]
    return stale, [key for key in known if key not in wanted and key != FOLDER]


def folder_time(home: Path) -> str | None:
    """The modification time of entries/ (ns), which every added, replaced or removed
    partition moves; None when it cannot be read."""
    try:
        return str(os.stat(home / layout.ENTRIES).st_mtime_ns)
    except OSError:
        return None


class Inspection:
    """The search index read-only, for `ally doctor`: which partitions it holds wrongly.

    A partition whose file changed since the index saw it is not a problem (the next search
    re-reads it); one the index claims to know as it is, but with other entries, is.
    """

    def __init__(self, home: Path) -> None:
        self.home = home
        self._db: sqlite3.Connection | None = None
        self.damaged = False
        path = home / PATH
        if not path.exists():
            return
        try:
            self._db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            self._known = dict(self._db.execute("SELECT key, identity FROM partitions"))
        except sqlite3.Error as error:
            # Damaged, or only unreadable here (a read-only copy without its WAL files).
            self.damaged = "not a database" in str(error) or "malformed" in str(error)
            self._db = None

    def load(self, keys: list[str]) -> None:
        """Read what the index holds for the partitions `keys` (a sorted run) in one query:
        per partition, how many entries and the first and last id. Comparing those, not
        every id, keeps doctor from moving the whole journal's ids out of SQLite; an index
        missing, adding or renumbering entries changes them."""
        self._summary: dict[str, tuple[int, str, str]] = {}
        if self._db is None or not keys:
            return
        try:
            rows = self._db.execute(
                "SELECT partition, count(*), min(id), max(id) FROM entries"
                " WHERE partition BETWEEN ? AND ? GROUP BY partition",
                (keys[0], keys[-1]),
            )
            self._summary = {key: (count, low, high) for key, count, low, high in rows}
        except sqlite3.Error:
            self.damaged = True
            self._db = None

    def agrees(self, key: str, ids: set[str]) -> bool:
        """Whether the index holds what partition `key` holds (`ids`), when it claims it is
        up to date with that partition's file (call `load` first)."""
        if self.damaged:
            return False
        if self._db is None:
            return True
        if self._known.get(key) != identity(self.home / layout.partition(key)):
            # Changed since the index saw it: fine when the next search walks the partitions
            # and re-reads it, wrong when the settled folder time lets the search skip that walk
            # (a partition edited in place, by hand).
            return self._known.get(FOLDER) != folder_time(self.home)
        held = self._summary.get(key)
        if not ids:
            return held is None
        return held == (len(ids), min(ids), max(ids))

    def close(self) -> None:
        if self._db is not None:
            self._db.close()


def discard(home: Path) -> None:
    """Remove the index (doctor --fix): the next search rebuilds it from the partitions."""
    SearchIndex._discard(home / PATH)
