"""What the modules a change calls on may do with it: read and write its files.

`change.Change` is the transaction; the undo log, the indexes and the table files are kept
up to date from inside it, so `change` imports them. They in turn are handed the change
they work in, and need only this much of it: naming the class itself would make each pair
import the other. `Change` has all of it, which mypy checks wherever one is passed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol


class Staged(Protocol):
    """A change in progress, as the modules it calls see it."""

    home: Path
    id: str
    summary: str
    notes: list[str]

    def read(self, path: str, default: Any = None) -> Any:
        """A file's content as this change sees it (its own writes first)."""
        ...

    def exists(self, path: str) -> bool: ...

    def write(self, path: str, content: Any) -> None: ...

    def delete(self, path: str) -> None: ...

    def set_aside(self, path: str) -> None:
        """Keep a damaged file's bytes beside it when it is replaced."""
        ...
