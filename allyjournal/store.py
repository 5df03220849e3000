"""The door into the journal layer (`allyjournal.journal`): the `Journal` and where it lives.

Actions and commands import the journal from here, never from the modules behind it, so the
layer can change its insides (files, transaction, indexes) without touching its callers.
"""

from allyjournal.journal.backups import Backup, backups_dir, list_backups
from allyjournal.journal.backups import find as find_backup
from allyjournal.journal.files import why
from allyjournal.journal.files import write_atomic as write_private_file
from allyjournal.journal.journal import Conflict, Journal, UndoRecord, default_home

__all__ = [
    "Backup",
    "Conflict",
    "Journal",
    "UndoRecord",
    "backups_dir",
    "default_home",
    "find_backup",
    "list_backups",
    "why",
    "write_private_file",
]
