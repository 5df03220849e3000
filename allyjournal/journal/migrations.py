"""Upgrading older journals in place, one schema step at a time, after a backup.

Schema 0 is the stock single-file TinyDB layout (`journal.json` with tables `entries` and
`people`, records in the export schema) that a prototype or a hand-rolled script writes.
Schema 1 is the partitioned layout described in layout.py. Each step is one change: a crash
leaves the old layout or the new one, and the next command simply migrates again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from allyjournal.core.errors import UnreadableJournal
from allyjournal.core.models import Entry, Person, now_iso
from allyjournal.journal import files, layout
from allyjournal.journal.change import Change

if TYPE_CHECKING:
    from allyjournal.journal.reading import JournalReader


def _from_single_file(change: Change) -> None:
    """0 -> 1: split the one TinyDB file into month partitions and people."""
    path = change.home / layout.LEGACY_SINGLE_FILE
    data = files.read_json(path)
    if not isinstance(data, dict):
        raise UnreadableJournal(f"{path} is not a TinyDB journal; it was left untouched.")
    try:
        entries = [Entry.from_record(r) for r in (data.get("entries") or {}).values()]
        people = [Person.from_record(r) for r in (data.get("people") or {}).values()]
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        raise UnreadableJournal(
            f"{path} holds a record this version cannot read ({error}); it was left untouched."
        ) from error
    by_month: dict[str, dict[str, Any]] = {}
    for entry in entries:
        documents = by_month.setdefault(entry.date.isoformat()[:7], {})
        documents[str(len(documents) + 1)] = entry.to_record()
    for month, documents in by_month.items():
        change.write(layout.partition(month), {"entries": documents})
    people_documents = {str(n): p.to_record() for n, p in enumerate(people, start=1)}
    change.write(layout.PEOPLE, {"people": people_documents})
    change.delete(layout.LEGACY_SINGLE_FILE)


STEPS: dict[int, Callable[[Change], None]] = {0: _from_single_file}


def upgrade(journal: JournalReader, schema: int) -> None:
    """Run every step from `schema` to the current one; the caller holds the lock."""
    from allyjournal.journal import backups  # rarely needed: kept off the start-up path

    backups.snapshot(
        journal.home,
        reason=f"before migrating from schema {schema}",
        keep=journal.config().backups,
    )
    change = Change(journal.home, f"migrated from schema {schema}", undoable=False)
    for step in range(schema, layout.SCHEMA_VERSION):
        STEPS[step](change)
    meta: dict[str, Any] = files.read_json(journal.home / layout.META, {}) or {}
    meta.update(
        {"format": "allyjournal", "schema": layout.SCHEMA_VERSION, "migrated_at": now_iso()}
    )
    meta.setdefault("created_at", meta["migrated_at"])
    change.write(layout.META, meta)
    change.commit()
