"""The door into the journal layer (`allyjournal.journal`): the `Journal` and where it lives.

Actions and commands import the journal from here, never from the modules behind it, so the
layer can change its insides (files, transaction, indexes) without touching its callers.
"""

from allyjournal.journal.files import write_atomic as write_private_file
from allyjournal.journal.journal import Journal, UndoRecord, default_home

__all__ = ["Journal", "UndoRecord", "default_home", "write_private_file"]
