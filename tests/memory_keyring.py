"""A keyring backend that keeps passwords in memory, for the tests: it stands in for the
macOS Keychain or Secret Service, which a test must never touch."""

from __future__ import annotations

from keyring.backend import KeyringBackend

STORED: dict[tuple[str, str], str] = {}


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        return STORED.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        STORED[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        STORED.pop((service, username), None)
