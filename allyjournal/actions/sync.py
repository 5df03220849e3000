"""`ally sync`: the verbs, over the journal layer's git sync and merge, with the rename rule of
`ally people rename`, so a merge rewrites what the other machine logged under an old handle
exactly as the rename would have."""

from __future__ import annotations

from dataclasses import dataclass

from allyjournal import store
from allyjournal.actions.people import renamer
from allyjournal.core.errors import Ambiguous, BadInput, NotFound
from allyjournal.core.models import Entry
from allyjournal.store import Journal, SyncResult, SyncStatus

__all__ = [
    "Recoverable",
    "SyncResult",
    "SyncStatus",
    "init",
    "recover",
    "recoverable",
    "status",
    "sync",
]


@dataclass(frozen=True)
class Recoverable:
    """An entry a sync merge deleted here, or a version of one that lost a merge."""

    entry: Entry
    merged_at: str
    deleted: bool  # deleted by a merge (else: a version that lost to a later edit)
    in_journal: bool  # an entry with its id is in the journal now


def init(journal: Journal, remote: str | None) -> SyncResult:
    return store.sync_init(journal, remote, renamer)


def sync(journal: Journal, *, skip_bad: bool = False) -> SyncResult:
    return store.sync(journal, renamer, skip_bad=skip_bad)


def status(journal: Journal) -> SyncStatus:
    return store.sync_status(journal.home)


def recoverable(journal: Journal) -> list[Recoverable]:
    """What merged-away.json keeps of entries, newest first; unreadable items are left out
    (the file came by sync, and is checked at its door, but an older version took anything)."""
    from allyjournal.core.checks import checked_record

    found: list[Recoverable] = []
    removed = store.REMOVED_BY_MERGE
    items = [item for item in journal.merged_away() if item.get("what") in ("entry", removed)]
    entries: list[tuple[Entry, dict[str, object]]] = []
    for item in items:
        try:
            entries.append((Entry.from_record(checked_record(item.get("record"))), item))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    unknown = {entry.id for entry in journal.unknown([entry for entry, _ in entries])}
    for entry, item in entries:
        found.append(
            Recoverable(
                entry=entry,
                merged_at=str(item.get("merged_at")),
                deleted=item.get("what") == removed,
                in_journal=entry.id not in unknown,
            )
        )
    return sorted(found, key=lambda kept: kept.merged_at, reverse=True)


def recover(journal: Journal, prefix: str) -> Entry:
    """Bring back an entry a sync merge deleted here, as it was, with its id (one change,
    which `ally undo` reverts; the next sync shares it again)."""
    from allyjournal.actions import people

    wanted = prefix.strip().lower()
    matches = {
        kept.entry.id: kept for kept in recoverable(journal) if kept.entry.id.startswith(wanted)
    }
    if not wanted or not matches:
        raise NotFound(
            f"No entry that a sync deleted matches '{prefix}'; `ally sync recover` lists them."
        )
    if len(matches) > 1:
        raise Ambiguous(f"'{prefix}' matches {len(matches)} entries; type more of the id.")
    (kept,) = matches.values()
    if kept.in_journal:
        raise BadInput(
            f"Entry {kept.entry.id[:7]} is in the journal; `ally show {kept.entry.id[:7]}` shows it."
        )
    handles = [kept.entry.ally] if kept.entry.ally else []
    resolved = people.resolve(journal, [*handles, *kept.entry.mentions], allow_new=True)
    journal.add([kept.entry], resolved.new_people, f"brought back entry {kept.entry.id[:7]}")
    return kept.entry
