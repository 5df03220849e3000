"""Where an encrypted journal's key is kept, so that only setting it up asks for the passphrase.

In order, a command looks for the key:

1. `ALLYJOURNAL_PASSPHRASE_COMMAND`: a command that prints the passphrase (a password
   manager: `pass show allyjournal`, `op read op://Private/allyjournal/password`). The key is
   derived from it each time (scrypt, about 0.1 s) and stored nowhere.
2. A key file, `<user config dir>/allyjournal/keys/<journal id>.key` (mode 0600, its folder
   0700), outside the journal and outside any git repository (`$ALLYJOURNAL_KEY_DIR` moves it).
3. The OS keyring through `keyring` (macOS Keychain, Windows Credential Locker, Secret Service
   on Linux desktops), when the journal was set up with one that worked.
4. At a terminal, the passphrase, asked once; the key is then kept as at set-up.

The journal id is a hash of the journal's salt: a key file names no journal or path.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from allyjournal.core.errors import BadInput
from allyjournal.journal import crypto, files

SERVICE = "allyjournal"


class Locked(BadInput):
    """The journal is encrypted and no key or passphrase is at hand here."""


def journal_id(settings: dict[str, Any]) -> str:
    return hashlib.sha256(str(settings["salt"]).encode()).hexdigest()[:24]


def key_dir() -> Path:
    chosen = os.environ.get("ALLYJOURNAL_KEY_DIR")
    if chosen:
        return Path(chosen)
    from platformdirs import user_config_dir

    return Path(user_config_dir("allyjournal")) / "keys"


def key_file(settings: dict[str, Any]) -> Path:
    return key_dir() / f"{journal_id(settings)}.key"


def from_command() -> str | None:
    command = os.environ.get("ALLYJOURNAL_PASSPHRASE_COMMAND")
    if not command:
        return None
    done = subprocess.run(command, shell=True, capture_output=True, text=True)
    lines = done.stdout.splitlines()
    if done.returncode != 0 or not lines or not lines[0]:
        raise Locked(
            f"ALLYJOURNAL_PASSPHRASE_COMMAND ({command}) printed no passphrase (exit "
            f"{done.returncode}); nothing was read or written."
        )
    return lines[0]


def load(settings: dict[str, Any], home: Path) -> crypto.Cipher:
    """This journal's cipher, from wherever its key is (see the module docstring)."""
    passphrase = from_command()
    if passphrase is not None:
        return crypto.from_passphrase(passphrase, settings)
    path = key_file(settings)
    if path.exists():
        return crypto.verify(base64.b64decode(path.read_bytes().strip()), settings)
    if settings.get("store") == "keyring":
        stored = _keyring_get(journal_id(settings))
        if stored:
            return crypto.verify(base64.b64decode(stored), settings)
    if not sys.stdin.isatty():
        raise Locked(
            f"{home} is encrypted and its key is not on this machine: run an ally command at "
            "a terminal to type the passphrase once, or set ALLYJOURNAL_PASSPHRASE_COMMAND. "
            "Nothing was read or written."
        )
    import getpass

    cipher = crypto.from_passphrase(getpass.getpass(f"Passphrase for {home}: "), settings)
    remember(cipher.key, settings)
    return cipher


def remember(key: bytes, settings: dict[str, Any]) -> str:
    """Keep the key for later commands; returns where ("keyring" or the key file's path)."""
    encoded = base64.b64encode(key).decode()
    if os.environ.get("ALLYJOURNAL_KEY_DIR") is None and _keyring_set(
        journal_id(settings), encoded
    ):
        return "keyring"
    path = key_file(settings)
    files.ensure_private_dir(path.parent)
    files.write_atomic(path, encoded.encode())
    return str(path)


def _keyring_get(name: str) -> str | None:
    try:
        import keyring

        found = keyring.get_password(SERVICE, name)
    except Exception:  # any backend failure (no D-Bus over ssh, a locked keychain): no key
        return None
    return str(found) if found else None


def _keyring_set(name: str, value: str) -> bool:
    """Whether a working OS keyring took the key (one that refuses, or none: False)."""
    try:
        import keyring
        from keyring.backends import fail

        if isinstance(keyring.get_keyring(), fail.Keyring):
            return False
        keyring.set_password(SERVICE, name, value)
        return keyring.get_password(SERVICE, name) == value
    except Exception:  # every backend has its own errors; a key file will do
        return False
