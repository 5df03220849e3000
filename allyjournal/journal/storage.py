"""TinyDB, the journal's storage engine, plugged in through its `Storage` seam.

Inside a change, a TinyDB table reads and writes through the change (`ChangeStorage`): its
inserts, updates and removals land in the change's memory, and the change writes each file
once, atomically, when it commits. Outside a change, files are read directly: a reader never
takes the lock and always sees whole, committed files.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from allyjournal.core.errors import UnreadableJournal
from allyjournal.core.models import Entry
from allyjournal.journal import files, layout

T = TypeVar("T")

if TYPE_CHECKING:
    from tinydb.table import Table

    from allyjournal.journal.staged import Staged


class ChangeStorage(Storage):
    """A TinyDB storage whose reads and writes go through one change."""

    def __init__(self, change: Staged, path: str) -> None:
        self.change = change
        self.path = path

    def read(self) -> dict[str, dict[str, Any]] | None:
        data = self.change.read(self.path)
        if data is not None and not isinstance(data, dict):
            raise UnreadableJournal(
                f"{self.change.home / self.path} is not a journal file; run `ally doctor`."
            )
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.change.write(self.path, data)

    def close(self) -> None:
        pass


def table(change: Staged, path: str) -> Table:
    """The TinyDB table stored in journal file `path`, read and written through `change`."""
    database = TinyDB(change=change, path=path, storage=ChangeStorage)
    return database.table(layout.table_of(path), cache_size=0)


def insert_all(change: Staged, path: str, records: Iterable[dict[str, Any]]) -> None:
    """Insert `records` into the table of journal file `path`, as TinyDB's `insert_multiple`
    does (the records become the file's: they are not copied).

    A file that does not exist yet (every day of an import into a new journal) is written in
    TinyDB's own layout at once: going through TinyDB (a copy of every document, and the
    table read back and written again) was a tenth of such an import's time, only to number
    documents from 1."""
    if change.read(path) is not None:
        table(change, path).insert_multiple(records)
        return
    documents = {str(number): record for number, record in enumerate(records, 1)}
    change.write(path, {layout.table_of(path): documents})


def by_field(name: str, value: Any) -> Any:
    """A TinyDB query: documents whose `name` equals `value`."""
    return Query()[name] == value


# -- reading, outside a change ----------------------------------------------------------------


def documents(home: Path, path: str, *, quick: bool = False) -> list[dict[str, Any]]:
    """The documents of a journal file, in the order they were stored (`quick`: see
    files.read_json)."""
    content = files.read_json(home / path, quick=quick)
    if content is None:
        return []
    records = content.get(layout.table_of(path)) if isinstance(content, dict) else None
    if not isinstance(records, dict):
        if isinstance(content, dict) and not content:
            return []
        raise UnreadableJournal(f"{home / path} is not a journal file; run `ally doctor`.")
    found = list(records.values())
    key = layout.partition_key(path) if files.encrypted() else None
    if key is not None:
        _check_place(home / path, key, found)
    return found


def _check_place(path: Path, key: str, records: list[dict[str, Any]]) -> None:
    """In an encrypted journal, a day file must hold that day's entries: a sealed file moved
    to another day's name (which anyone who can write the folder can do without the key)
    would otherwise hide its entries from every date query. Table files name their table,
    which `documents` checks for every journal."""
    size = len(key)
    for record in records:
        day = record.get("date") if isinstance(record, dict) else None
        if not isinstance(day, str) or day[:size] != key:
            raise UnreadableJournal(
                f"{path} holds an entry of {str(day)[:10]!r}, not of {key}: a sealed file was "
                "moved to another day's name. It was not read; run `ally doctor`."
            )


def entries_of(path: Path, records: list[dict[str, Any]]) -> list[Entry]:
    """Entries from stored records; a malformed record names its file and stops."""
    try:
        return [Entry.from_record(record) for record in records]
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise files.damaged(path, f"an entry this version cannot read: {error}") from error


def rebuilt(home: Path, path: str, build: Callable[[dict[str, Any]], T]) -> list[T]:
    """The records of table file `path` as objects (`Person.from_record`, `Goal.from_record`…),
    in the order they were stored; a malformed record names its file and stops."""
    try:
        return [build(record) for record in documents(home, path)]
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise files.damaged(home / path, error) from error
