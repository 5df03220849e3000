"""Bringing entries in. A format's reader (allyjournal.formats) turns a file into a `Parsed`;
`import_parsed` adds what is new to the journal in one change.

Nothing is written until the whole file has been read and checked, so a bad row can never
leave a journal half-imported.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry, Goal, Person, Promise, record_people, stamp_form
from allyjournal.store import Journal


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    promises: list[Promise] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "row 7: reason", with --skip-bad
    # A reader that streams (the JSON export) sets this instead of `entries`: checked records
    # in the stored form (`checks.checked_record`); `people` and `skipped` are complete once
    # it has been consumed.
    streamed: Iterator[dict[str, Any]] | None = None

    def records(self) -> Iterator[dict[str, Any]]:
        """Every entry as the journal stores it, streamed when the reader streams."""
        if self.streamed is not None:
            return self.streamed
        return (entry.to_record() for entry in self.entries)


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int  # entries whose id the journal, or the file before them, already had
    new_people: list[Person]
    skipped: list[str]
    preview: list[Entry]  # with --dry-run: the entries that would be added
    new_goals: int = 0
    new_promises: int = 0


def import_parsed(journal: Journal, parsed: Parsed, *, source: str, dry_run: bool) -> ImportResult:
    """Add what is new; entries whose id the journal already holds are left as they are.

    The entries are consumed once, as a stream, so an import of a million entries holds one
    day of them at a time (see `Journal.add_stream`).
    """
    known = {person.handle for person in journal.people()}
    wanted: set[str] = set()
    seen = [0]

    def counted() -> Iterator[dict[str, Any]]:
        for record in parsed.records():
            seen[0] += 1
            for stamp in ("created_at", "updated_at"):  # one form, whichever route it came by
                if isinstance(record.get(stamp), str):
                    record[stamp] = stamp_form(record[stamp])
            wanted.update(record_people(record))
            yield record

    def new_people() -> list[Person]:
        """Known once every entry has been read (a file may list its people last)."""
        people = {p.handle: p for p in parsed.people if p.handle not in known}
        for handle in sorted(wanted - known - set(people)):
            people[handle] = Person(handle=handle)
        return list(people.values())

    if dry_run:
        preview = journal.unknown(Entry.from_record(record) for record in counted())
        known_goals = {goal.id for goal in journal.goals()}
        known_promises = {promise.id for promise in journal.promises()}
        return ImportResult(
            len(preview),
            seen[0] - len(preview),
            new_people(),
            parsed.skipped,
            preview,
            len({g.id for g in parsed.goals} - known_goals),
            len({p.id for p in parsed.promises} - known_promises),
        )
    # Which entries are new is decided under the journal's lock, against its partitions,
    # so two imports of one file at once still add each entry once.
    added, people, (goals, promises) = journal.add_stream(
        counted(),
        new_people,
        lambda count: f"imported {count} entries from {source}",
        goals=lambda: parsed.goals,
        promises=lambda: parsed.promises,
    )
    return ImportResult(added, seen[0] - added, people, parsed.skipped, [], goals, promises)


def stable_id(*parts: str) -> str:
    """An id derived from content, so importing the same foreign file twice adds nothing."""
    import hashlib

    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BadInput(f"Cannot read {path} as JSON: {error}.") from None
    except RecursionError:
        raise BadInput(f"Cannot read {path} as JSON: it is nested too deeply.") from None


def reason(error: Exception) -> str:
    return f"missing field {error}" if isinstance(error, KeyError) else str(error)


def bad_row(parsed: Parsed, path: Path, problem: str, skip_bad: bool) -> None:
    """Refuse the whole file over one bad row, or with --skip-bad note it and go on."""
    if not skip_bad:
        raise BadInput(f"{path}: {problem}; nothing was imported (--skip-bad skips such rows).")
    parsed.skipped.append(problem)
