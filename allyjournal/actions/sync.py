"""`ally sync`: the verbs, over the journal layer's git sync and merge, with the rename rule of
`ally people rename`, so a merge rewrites what the other machine logged under an old handle
exactly as the rename would have."""

from __future__ import annotations

from allyjournal import store
from allyjournal.actions.people import renamer
from allyjournal.store import Journal, SyncResult, SyncStatus

__all__ = ["SyncResult", "SyncStatus", "init", "status", "sync"]


def init(journal: Journal, remote: str | None) -> SyncResult:
    return store.sync_init(journal, remote, renamer)


def sync(journal: Journal, *, skip_bad: bool = False) -> SyncResult:
    return store.sync(journal, renamer, skip_bad=skip_bad)


def status(journal: Journal) -> SyncStatus:
    return store.sync_status(journal.home)
