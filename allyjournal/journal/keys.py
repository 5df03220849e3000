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
import contextlib
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


PASSPHRASE_TIMEOUT = 30.0  # seconds; a password manager waiting on a prompt no one sees


def from_command() -> str | None:
    """The passphrase printed by ALLYJOURNAL_PASSPHRASE_COMMAND (None when it is not set).
    A command that hangs would hang every ally (a shell prompt's `ally status` too), so it
    gets ALLYJOURNAL_PASSPHRASE_TIMEOUT seconds, and no terminal input."""
    command = os.environ.get("ALLYJOURNAL_PASSPHRASE_COMMAND")
    if not command:
        return None
    try:
        limit = float(os.environ.get("ALLYJOURNAL_PASSPHRASE_TIMEOUT") or PASSPHRASE_TIMEOUT)
    except ValueError:
        limit = PASSPHRASE_TIMEOUT
    child = subprocess.Popen(
        command,
        shell=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that a timeout stops the command and all it started
    )
    try:
        stdout, _ = child.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        import signal

        with contextlib.suppress(OSError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        raise Locked(
            f"ALLYJOURNAL_PASSPHRASE_COMMAND ({command}) did not answer within {limit:g} s; "
            "nothing was read or written (ALLYJOURNAL_PASSPHRASE_TIMEOUT sets the limit)."
        ) from None
    lines = stdout.splitlines()
    if child.returncode != 0 or not lines or not lines[0]:
        raise Locked(
            f"ALLYJOURNAL_PASSPHRASE_COMMAND ({command}) printed no passphrase (exit "
            f"{child.returncode}); nothing was read or written."
        )
    return lines[0]


def load(settings: dict[str, Any], home: Path) -> crypto.Cipher:
    """This journal's cipher, from wherever its key is (see the module docstring)."""
    passphrase = from_command()
    if passphrase is not None:
        return crypto.from_passphrase(passphrase, settings)
    path = key_file(settings)
    if path.exists():
        return crypto.verify(_read_key_file(path), settings)
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


def _read_key_file(path: Path) -> bytes:
    """The key in a key file that only its owner can read or change; else one line saying
    how to mend it (a key others can read is a key others may have)."""
    import binascii
    import stat

    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise Locked(
            f"The key file {path} can be read or changed by others (mode {mode:04o}); it was "
            f"not used. Run `chmod 600 {path}` if no one else could have read it, or remove "
            "it and type the passphrase at a terminal."
        )
    try:
        key = base64.b64decode(path.read_bytes().strip(), validate=True)
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise Locked(
            f"The key file {path} is damaged (it holds no key); remove it and type the "
            "passphrase at a terminal, or set ALLYJOURNAL_PASSPHRASE_COMMAND. Nothing was "
            "read or written."
        )
    return key


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
