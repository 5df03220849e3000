"""Encryption at rest (opt-in): every file that holds what you wrote or whom you wrote about.

Each file is sealed whole with AES-256-GCM from `cryptography` (the Python Cryptographic
Authority's library, on OpenSSL): a random 96-bit nonce per write, so a file is never sealed
twice alike, and the tag makes any change to the bytes fail loudly instead of decrypting to
garbage. On disk: `ALLYENC1` + nonce + ciphertext-and-tag. The format marker
(allyjournal.json) stays readable: it says the journal is encrypted, and holds the salt, the
key derivation's parameters and a check value, never the key.

The key is derived from a passphrase with scrypt (n=2**15, r=8, p=1, 32-byte key: about 0.1 s
and 32 MB, so a guess costs an attacker that much too) and then kept where the next command
finds it without asking (keys.py). A journal is opened with its key once per command.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from allyjournal.core.errors import BadInput, UnreadableJournal
from allyjournal.journal.files import SEALED as MAGIC

NONCE = 12
SCRYPT = {"n": 2**15, "r": 8, "p": 1}
CHECK = b"allyjournal key check"


class WrongKey(BadInput):
    """The passphrase or stored key does not open this journal. Nothing was written."""


class Cipher:
    """AES-256-GCM with one journal's key."""

    def __init__(self, key: bytes) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        self.key = key

    def seal(self, data: bytes) -> bytes:
        nonce = os.urandom(NONCE)
        return MAGIC + nonce + self._aead.encrypt(nonce, data, MAGIC)

    def open(self, data: bytes, where: object) -> bytes:
        from cryptography.exceptions import InvalidTag

        try:
            nonce = data[len(MAGIC) : len(MAGIC) + NONCE]
            return self._aead.decrypt(nonce, data[len(MAGIC) + NONCE :], MAGIC)
        except (InvalidTag, ValueError):
            raise UnreadableJournal(
                f"{where} does not decrypt with this journal's key (damaged, or sealed with "
                "another key); it was left untouched. Run `ally doctor`."
            ) from None


def derive(passphrase: str, salt: bytes, params: dict[str, int] | None = None) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    chosen = params or SCRYPT
    kdf = Scrypt(salt=salt, length=32, n=chosen["n"], r=chosen["r"], p=chosen["p"])
    return kdf.derive(passphrase.encode("utf-8"))


def new_settings(key: bytes, salt: bytes) -> dict[str, Any]:
    """The format marker's `encryption` block for a new key."""
    return {
        "cipher": "AES-256-GCM",
        "kdf": "scrypt",
        **SCRYPT,
        "salt": base64.b64encode(salt).decode(),
        "check": base64.b64encode(Cipher(key).seal(CHECK)).decode(),
    }


def verify(key: bytes, settings: dict[str, Any]) -> Cipher:
    """A cipher for `key` when it is this journal's key; WrongKey otherwise."""
    cipher = Cipher(key)
    try:
        opened = cipher.open(base64.b64decode(str(settings["check"])), "the key check")
    except (UnreadableJournal, KeyError, ValueError):
        opened = b""
    if opened != CHECK:
        raise WrongKey(
            "That passphrase (or stored key) does not open this journal; nothing was read or "
            "written. Try again, or see README.md, 'Encryption', on a lost passphrase."
        )
    return cipher


def from_passphrase(passphrase: str, settings: dict[str, Any]) -> Cipher:
    salt = base64.b64decode(str(settings["salt"]))
    params = {name: int(settings[name]) for name in ("n", "r", "p")}
    return verify(derive(passphrase, salt, params), settings)
