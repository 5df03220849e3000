"""Upgrading older journals in place, one schema step at a time, after a backup.

Schema 0 is the stock single-file TinyDB layout (`journal.json` with tables `entries` and
`people`, records in the export schema) that a prototype or a hand-rolled script writes.
Schema 1 is the partitioned layout described in store.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from allyjournal.core.errors import UnreadableJournal
from allyjournal.core.models import Entry, Person, now_iso
from allyjournal.journal import backups, files

if TYPE_CHECKING:
    from allyjournal.journal.journal import Journal


def _from_single_file(journal: Journal) -> None:
    """0 -> 1: split the one TinyDB file into month partitions, people and indexes."""
    from allyjournal.journal.journal import LEGACY_NAME

    path = journal.home / LEGACY_NAME
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
    journal.write_migrated(entries, people)


STEPS: dict[int, Callable[[Journal], None]] = {0: _from_single_file}


def upgrade(journal: Journal, schema: int) -> None:
    """Run every step from `schema` to the current one; the caller holds the exclusive lock."""
    from allyjournal.journal.journal import LEGACY_NAME, META_NAME, SCHEMA_VERSION

    backups.snapshot(
        journal.home,
        journal.data_paths(),
        reason=f"before migrating from schema {schema}",
        keep=journal.config().backups,
    )
    for step in range(schema, SCHEMA_VERSION):
        STEPS[step](journal)
    meta: dict[str, Any] = files.read_json(journal.home / META_NAME, {}) or {}
    meta.update({"format": "allyjournal", "schema": SCHEMA_VERSION, "migrated_at": now_iso()})
    meta.setdefault("created_at", meta["migrated_at"])
    files.write_json(journal.home / META_NAME, meta)
    # Only now that the new layout is complete; its bytes live on in the backup above.
    (journal.home / LEGACY_NAME).unlink(missing_ok=True)
