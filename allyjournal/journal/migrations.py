"""Upgrading older journals in place, one schema step at a time, after a backup.

Schema 0 is the stock single-file TinyDB layout (`journal.json` with tables `entries` and
`people`, records in the export schema) that a prototype or a hand-rolled script writes.
Schema 1 kept one partition per month; schema 2 (layout.py) keeps one per day. Schema 3 tells
allies from contacts (people only mentioned). Schema 4 only marks a journal that may hold
kinds and files schema 3 did not know. Schema 0 becomes schema 2 in one change. Schema 1 is split one month per change, so a million-entry journal never
has to be held in memory at once: a crash leaves some months split and others not, both
readable, and the next command goes on where it stopped. The schema number changes last.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from allyjournal.core.errors import UnreadableJournal
from allyjournal.core.models import PERSON_FIELDS, Entry, Goal, Person, new_id, now_iso
from allyjournal.journal import files, layout
from allyjournal.journal.change import Change


def _from_single_file(change: Change) -> None:
    """0 -> 2: split the one TinyDB file into day partitions and people."""
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
    by_key: dict[str, dict[str, Any]] = {}
    for entry in entries:
        documents = by_key.setdefault(layout.key_of(entry.date), {})
        documents[str(len(documents) + 1)] = entry.to_record()
    for key, documents in by_key.items():
        change.write(layout.partition(key), {"entries": documents})
    people_documents = {str(n): p.to_record() for n, p in enumerate(people, start=1)}
    change.write(layout.PEOPLE, {"people": people_documents})
    change.delete(layout.LEGACY_SINGLE_FILE)


def _split_month(change: Change, month: str) -> None:
    """1 -> 2, for one month: its partition becomes one partition per day, records in the
    order they were stored (which orders entries logged at the same time)."""
    path = layout.partition(month)
    content = change.read(path, {})
    records = (content.get("entries") if isinstance(content, dict) else None) or {}
    if not isinstance(records, dict):
        raise UnreadableJournal(f"{change.home / path} is not a journal file; run `ally doctor`.")
    by_key: dict[str, dict[str, Any]] = {}
    for record in records.values():
        day = str(record.get("date")) if isinstance(record, dict) else ""
        if not layout.holds_date(month, day) or not layout.KEY.match(day):
            raise UnreadableJournal(
                f"{change.home / path} holds an entry dated {day!r}, outside {month}; "
                "it was left untouched. Run `ally doctor`."
            )
        documents = by_key.setdefault(
            day, change.read(layout.partition(day), {}).get("entries", {})
        )
        documents[str(len(documents) + 1)] = record
    for key, documents in by_key.items():
        change.write(layout.partition(key), {"entries": documents})
    change.delete(path)


def upgrade(home: Path, schema: int, *, keep: int) -> None:
    """Run every step from `schema` to the current one, after a backup (`keep` backups are
    kept); the caller holds the lock. Given the folder, not the reader: the reader runs the
    upgrade, so knowing it here would make the two modules import each other."""
    from allyjournal.journal import backups  # rarely needed: kept off the start-up path

    backups.snapshot(home, reason=f"before migrating from schema {schema}", keep=keep)
    if schema < 2:
        _to_day_partitions(home, schema)
    if schema < 3:
        _allies_and_contacts(home)
    _new_kinds(home)


def _to_day_partitions(home: Path, schema: int) -> None:
    """0 or 1 -> 2."""
    from allyjournal.journal.indexes import partition_keys

    change = Change(home, f"migrated from schema {schema}", undoable=False)
    if schema == 0:
        _from_single_file(change)
    else:
        for month in [key for key in partition_keys(home) if layout.MONTH.match(key)]:
            step = Change(home, f"split {month} into days", undoable=False, update_indexes=False)
            _split_month(step, month)
            step.commit()
        # Undo records name month files that no longer exist: the history starts again.
        change.write(layout.UNDO_LOG, [])
        change.rebuild_indexes()  # once, rather than rewriting the id index for every month
    _set_schema(change, 2)
    change.commit()
    if schema:
        _discard_undo_copies(home)


def _allies_and_contacts(home: Path) -> None:
    """2 -> 3: until schema 3 everyone named in an entry became an ally, and the review
    nagged about people only mentioned; career goals were a line of text. Now a person you helped is an ally from their first
    help (or from when they were added, if earlier); one you typed details for is an ally
    from when they were added; anyone else is a contact. A career goal becomes a goal of
    theirs (goals.json), and the help index is rebuilt to keep each help's level. Who was
    helped, and when first, comes
    from the help index, so this reads a few small files, not every entry."""
    from allyjournal.journal import indexes

    first_help: dict[str, str] = {}
    for month in indexes.help_months(home):  # oldest first
        for day, handles in sorted(indexes.help_month(home, month).items()):
            for handle in handles:
                first_help.setdefault(handle, day)
    change = Change(home, "told allies from contacts (schema 3)", undoable=False)
    content = change.read(layout.PEOPLE, {}) or {}
    records = content.get("people") if isinstance(content, dict) else None
    goals: list[Goal] = []
    for record in (records or {}).values() if isinstance(records, dict) else ():
        if not isinstance(record, dict) or "ally_since" in record:
            continue
        added = str(record.get("created_at") or now_iso())[:10]
        helped = first_help.get(str(record.get("handle")))
        typed = any(record.get(name) for name in PERSON_FIELDS)
        record["ally_since"] = min(helped, added) if helped else added if typed else None
        # The free-text career goals become a goal of theirs, which can be tracked.
        career = str(record.get("career_goals") or "").strip()
        if career:
            stamp = str(record.get("updated_at") or record.get("created_at") or now_iso())
            handle = str(record["handle"])
            goals.append(Goal(new_id(), career, (handle,), created_at=stamp, updated_at=stamp))
            record["career_goals"] = ""
    if records:
        change.write(layout.PEOPLE, content)
    # The help index now keeps each help's level too ("advocacy/institutional").
    change.rebuild_indexes()
    if goals:
        table = change.read(layout.GOALS, {}) or {}
        documents = table.setdefault("goals", {})
        for goal in goals:
            documents[str(len(documents) + 1)] = goal.to_record()
        change.write(layout.GOALS, table)
    _set_schema(change, 3)
    change.commit()


def _new_kinds(home: Path) -> None:
    """3 -> 4: nothing in the files changes. Schema 4 may hold what a schema 3 version would
    refuse as damaged (help kinds `credit` and `speak-up`, `learning` entries, the files
    sources.json and topics.json); the new number makes that version say "install the same
    version on both machines" instead, at sync and on opening the journal."""
    change = Change(home, "credit, speak-up and learning (schema 4)", undoable=False)
    _set_schema(change, 4)
    change.commit()


def _set_schema(change: Change, schema: int) -> None:
    meta: dict[str, Any] = files.read_json(change.home / layout.META, {}) or {}
    meta.update({"format": "allyjournal", "schema": schema, "migrated_at": now_iso()})
    meta.setdefault("created_at", meta["migrated_at"])
    change.write(layout.META, meta)


def _discard_undo_copies(home: Path) -> None:
    import shutil

    for folder in (home / layout.UNDO).glob("*"):
        if folder.is_dir():
            shutil.rmtree(folder, ignore_errors=True)
