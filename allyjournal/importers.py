"""Bringing entries in. Every reader turns a file into entries and people, or names the bad row.

Nothing is written until the whole file has been read and checked, so a bad row can never
leave a journal half-imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from allyjournal.errors import BadInput
from allyjournal.models import Entry, Person, is_valid_handle
from allyjournal.store import Journal


@dataclass
class Parsed:
    entries: list[Entry] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "row 7: reason", with --skip-bad


@dataclass(frozen=True)
class ImportResult:
    added: list[Entry]
    already_there: int
    new_people: list[Person]
    skipped: list[str]


def read_json_export(path: Path, *, skip_bad: bool = False) -> Parsed:
    """Read allyjournal's own JSON export (the public schema)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BadInput(f"Cannot read {path} as JSON: {error}.") from None
    if not isinstance(data, dict) or data.get("format") != "allyjournal":
        raise BadInput(f'{path} is not an allyjournal JSON export (no "format": "allyjournal").')
    parsed = Parsed()
    for number, record in enumerate(data.get("entries") or [], start=1):
        try:
            entry = Entry.from_record(record)
            if entry.kind == "help" and not (entry.ally and is_valid_handle(entry.ally)):
                raise ValueError(f"help without a valid ally handle ({entry.ally!r})")
            parsed.entries.append(entry)
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            problem = f"entries[{number}]: {_reason(error)}"
            if not skip_bad:
                raise BadInput(
                    f"{path}: {problem}; nothing was imported (--skip-bad skips such rows)."
                ) from None
            parsed.skipped.append(problem)
    for number, record in enumerate(data.get("people") or [], start=1):
        try:
            person = Person.from_record(record)
            if not is_valid_handle(person.handle):
                raise ValueError(f"handle {person.handle!r} is not valid")
            parsed.people.append(person)
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            problem = f"people[{number}]: {_reason(error)}"
            if not skip_bad:
                raise BadInput(f"{path}: {problem}; nothing was imported.") from None
            parsed.skipped.append(problem)
    return parsed


def _reason(error: Exception) -> str:
    return f"missing field {error}" if isinstance(error, KeyError) else str(error)


def import_parsed(journal: Journal, parsed: Parsed, *, source: str, dry_run: bool) -> ImportResult:
    """Add what is new; entries whose id the journal already holds are left as they are."""
    seen: set[str] = set()
    fresh: list[Entry] = []
    for entry in parsed.entries:
        if entry.id in seen or journal.has_id(entry.id):
            continue
        seen.add(entry.id)
        fresh.append(entry)
    known = {person.handle for person in journal.people()}
    wanted = {handle for entry in fresh for handle in entry.people}
    people = {person.handle: person for person in parsed.people if person.handle not in known}
    for handle in sorted(wanted - known - set(people)):
        people[handle] = Person(handle=handle)
    result = ImportResult(
        fresh, len(parsed.entries) - len(fresh), list(people.values()), parsed.skipped
    )
    if not dry_run and (fresh or people):
        journal.add(
            fresh, result.new_people, f"imported {len(fresh)} entries from {source}", backup=True
        )
    return result
