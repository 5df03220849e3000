"""`ally encrypt`: seal the journal with a key derived from a passphrase, after a backup."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from allyjournal import store
from allyjournal.core.errors import BadInput
from allyjournal.store import Journal

MINIMUM = 8  # characters; scrypt makes each guess slow, a short passphrase still falls


@dataclass(frozen=True)
class Encrypted:
    backup: str  # the backup taken first: the journal in clear, for the user to remove
    key_kept: str  # "keyring", or the key file's path


def _check_can_encrypt(journal: Journal) -> None:
    """Refuse before any passphrase is asked: already encrypted, or a git history in clear."""
    journal.check_format()
    if journal.cipher is not None:
        raise BadInput(f"{journal.home} is already encrypted.")
    if not journal.exists():
        raise BadInput(f"There is no journal in {journal.home} yet; log something first.")
    if (journal.home / ".git" / "HEAD").exists() and store.sync_has_history(journal.home):
        raise BadInput(
            f"{journal.home} already syncs, and its git history holds the journal in clear, "
            "which encrypting now would not change. To sync encrypted, start a new remote: "
            f"move {journal.home / '.git'} away, run `ally encrypt`, then `ally sync init "
            "NEW-REMOTE`."
        )


def check_passphrase(passphrase: str) -> None:
    """A new passphrase must be one a person can type again on another machine: long enough
    once blanks are set aside, and free of control characters (a tab or an escape from a
    password manager's output would be typed by nobody)."""
    import re

    from allyjournal.core.text import CONTROL

    if re.search(CONTROL, passphrase) or "\t" in passphrase or "\n" in passphrase:
        raise BadInput(
            "The passphrase holds a control character (a tab, a line break or an escape), "
            "which nobody can type at a prompt; use letters, digits, spaces and punctuation. "
            "Nothing was changed."
        )
    typed = len(passphrase.strip())
    if typed < MINIMUM:
        raise BadInput(
            f"A passphrase of {typed} characters (blanks aside) is too short; use at least "
            f"{MINIMUM} (a few words is best). Nothing was changed."
        )


def encrypt(journal: Journal, ask: Callable[[], str]) -> Encrypted:
    """Encrypt the journal with the passphrase `ask` returns, asked only once the journal is
    known to be one that can be encrypted."""
    _check_can_encrypt(journal)
    passphrase = ask()
    check_passphrase(passphrase)
    backup = journal.snapshot("before encrypting", automatic=False)
    salt = os.urandom(16)
    key = store.derive_key(passphrase, salt)
    settings = store.new_key_settings(key, salt)
    kept = store.remember_key(key, settings)
    if kept == "keyring":
        settings["store"] = "keyring"
    journal.encrypt(settings, store.Cipher(key))
    return Encrypted(backup=backup, key_kept=kept)


def backup_path(journal: Journal, name: str) -> Path:
    return store.backups_dir(journal.home) / name
