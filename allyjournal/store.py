"""The door into the journal layer (`allyjournal.journal`): the `Journal` and what goes with it.

Actions and commands import the journal from here, never from the modules behind it, so the
layer can change its insides (files, transaction, indexes) without touching its callers.
Backups and the search index are loaded only when asked for (PEP 562), keeping `ally win`'s start-up lean.
"""

from typing import TYPE_CHECKING, Any

from allyjournal.journal.files import why
from allyjournal.journal.files import write_atomic as write_private_file
from allyjournal.journal.journal import Conflict, Journal, UndoRecord, default_home

if TYPE_CHECKING:
    from allyjournal.journal.backups import Backup, backups_dir, list_backups
    from allyjournal.journal.backups import find as find_backup
    from allyjournal.journal.search import Query as SearchQuery

__all__ = [
    "Backup",
    "Conflict",
    "Journal",
    "SearchQuery",
    "UndoRecord",
    "backups_dir",
    "default_home",
    "find_backup",
    "list_backups",
    "why",
    "write_private_file",
]
_FROM_BACKUPS = {"Backup": "Backup", "backups_dir": "backups_dir", "list_backups": "list_backups"}
_FROM_BACKUPS["find_backup"] = "find"


def __getattr__(name: str) -> Any:
    if name in _FROM_BACKUPS:
        from allyjournal.journal import backups

        return getattr(backups, _FROM_BACKUPS[name])
    if name == "SearchQuery":  # SQLite is loaded only by a search that uses its index
        from allyjournal.journal.search import Query

        return Query
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
