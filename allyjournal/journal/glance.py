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
    """The settings, checked (every command reads them this way): those that travel from
    config.json, this machine's own from machine.json.

    A journal from before machine.json kept `editor` and `backups` in config.json; they are
    honoured there only while the journal has never synced (no `.git`), since in a synced
    journal that file may have come from another machine. The first sync moves them."""
    from allyjournal.core.config import MACHINE_ONLY, Config

    path, own = home / layout.CONFIG, home / layout.MACHINE
    record = files.read_json(path, {})
    machine = files.read_json(own, {})
    if not isinstance(record, dict):
        return Config.from_record(record, source=str(path))  # says it is not a table
    if not isinstance(machine, dict) or machine:
        Config.from_record(machine, source=str(own))  # a bad value there names machine.json
    legacy = not (home / ".git").exists()
    combined = {key: value for key, value in record.items() if legacy or key not in MACHINE_ONLY}
    combined.update({key: machine[key] for key in MACHINE_ONLY if key in machine})
    return Config.from_record(combined, source=str(path))


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
