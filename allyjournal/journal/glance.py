"""A glance at a journal for `ally status`: the goal, this week's tally and the streak, read from
two small files (config.json and index/weeks.json) without TinyDB, the lock or any partition.

It answers only when the journal is settled: the current schema, no interrupted change, an
index that parses. Otherwise `ready()` is False and the caller takes the full path, which
recovers, migrates or reports exactly as every other command does.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allyjournal.core.errors import UnreadableJournal
from allyjournal.journal import files, indexes, layout

if TYPE_CHECKING:
    from allyjournal.core.config import Config


def read_config(home: Path) -> Config:
    """The settings in config.json, checked (every command reads them this way)."""
    from allyjournal.core.config import Config

    path = home / layout.CONFIG
    return Config.from_record(files.read_json(path, {}), source=str(path))


class Glance:
    """What a shell prompt needs of the journal at `home`."""

    def __init__(self, home: Path) -> None:
        self.home = home

    def ready(self) -> bool:
        """Whether the journal can be read without recovery or migration."""
        try:
            meta: Any = files.read_json(self.home / layout.META)
        except UnreadableJournal:
            return False
        return (
            isinstance(meta, dict)
            and meta.get("schema") == layout.SCHEMA_VERSION
            and "encryption" not in meta  # its files need the key: the full path opens it
            and not (self.home / layout.COMMIT).exists()
        )

    def config(self) -> Config:
        return read_config(self.home)

    def week_tallies(self, week_start: int) -> dict[date, int]:
        """Distinct allies helped in each week starting on `week_start` (indexes.py)."""
        return indexes.week_tallies(self.home, week_start)
