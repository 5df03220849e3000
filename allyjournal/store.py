"""The door into the journal layer (`allyjournal.journal`): the `Journal` and what goes with it.

Actions and commands import the journal from here, never from the modules behind it, so the
layer can change its insides (files, transaction, indexes) without touching its callers.
Every name is loaded when first asked for (PEP 562): `ally status`, drawn in a shell prompt,
takes only the light `Glance`, and `ally win` never loads backups or the search index.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from allyjournal.journal.backups import Backup, backups_dir, list_backups
    from allyjournal.journal.backups import find as find_backup
    from allyjournal.journal.crypto import Cipher
    from allyjournal.journal.crypto import derive as derive_key
    from allyjournal.journal.crypto import new_settings as new_key_settings
    from allyjournal.journal.files import why
    from allyjournal.journal.files import write_atomic as write_private_file
    from allyjournal.journal.glance import Glance
    from allyjournal.journal.journal import Conflict, Journal, UndoRecord
    from allyjournal.journal.keys import from_command as passphrase_from_command
    from allyjournal.journal.keys import remember as remember_key
    from allyjournal.journal.layout import SCHEMA_VERSION, default_home
    from allyjournal.journal.merge import REMOVED as REMOVED_BY_MERGE
    from allyjournal.journal.search import Query as SearchQuery
    from allyjournal.journal.sync import SyncResult, SyncStatus, sync
    from allyjournal.journal.sync import has_history as sync_has_history
    from allyjournal.journal.sync import init as sync_init
    from allyjournal.journal.sync import status as sync_status

__all__ = [
    "REMOVED_BY_MERGE",
    "SCHEMA_VERSION",
    "Backup",
    "Cipher",
    "Conflict",
    "Glance",
    "Journal",
    "SearchQuery",
    "SyncResult",
    "SyncStatus",
    "UndoRecord",
    "backups_dir",
    "default_home",
    "derive_key",
    "find_backup",
    "list_backups",
    "new_key_settings",
    "passphrase_from_command",
    "remember_key",
    "sync",
    "sync_has_history",
    "sync_init",
    "sync_status",
    "why",
    "write_private_file",
]
_WHERE = {
    "Backup": ("backups", "Backup"),
    "Cipher": ("crypto", "Cipher"),
    "derive_key": ("crypto", "derive"),
    "new_key_settings": ("crypto", "new_settings"),
    "remember_key": ("keys", "remember"),
    "passphrase_from_command": ("keys", "from_command"),
    "sync_has_history": ("sync", "has_history"),
    "backups_dir": ("backups", "backups_dir"),
    "list_backups": ("backups", "list_backups"),
    "find_backup": ("backups", "find"),
    "why": ("files", "why"),
    "write_private_file": ("files", "write_atomic"),
    "Glance": ("glance", "Glance"),
    "Conflict": ("journal", "Conflict"),
    "Journal": ("journal", "Journal"),
    "UndoRecord": ("journal", "UndoRecord"),
    "default_home": ("layout", "default_home"),
    "SCHEMA_VERSION": ("layout", "SCHEMA_VERSION"),
    "REMOVED_BY_MERGE": ("merge", "REMOVED"),
    "SearchQuery": ("search", "Query"),
    "SyncResult": ("sync", "SyncResult"),
    "SyncStatus": ("sync", "SyncStatus"),
    "sync": ("sync", "sync"),
    "sync_init": ("sync", "init"),
    "sync_status": ("sync", "status"),
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        module, attribute = _WHERE[name]
        return getattr(importlib.import_module(f"allyjournal.journal.{module}"), attribute)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
