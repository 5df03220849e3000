"""Bringing entries in. A format's reader (allyjournal.formats) turns a file into a `Parsed`;
`import_parsed` adds what is new to the journal in one change.

Nothing is written until the whole file has been read and checked, so a bad row can never
leave a journal half-imported.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry, Person
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


def import_parsed(journal: Journal, parsed: Parsed, *, source: str, dry_run: bool) -> ImportResult:
    """Add what is new; entries whose id the journal already holds are left as they are."""
    known = {person.handle for person in journal.people()}
    wanted = {handle for entry in parsed.entries for handle in entry.people}
    people = {person.handle: person for person in parsed.people if person.handle not in known}
    for handle in sorted(wanted - known - set(people)):
        people[handle] = Person(handle=handle)
    new_people = list(people.values())
    if dry_run:
        fresh = journal.unknown(parsed.entries)
    else:
        # Which entries are new is decided under the journal's lock, against its partitions,
        # so two imports of one file at once still add each entry once.
        fresh = journal.add(
            parsed.entries,
            new_people,
            lambda count: f"imported {count} entries from {source}",
            skip_known=True,
            backup=True,
        )
    unique = len({entry.id for entry in parsed.entries})
    return ImportResult(fresh, unique - len(fresh), new_people, parsed.skipped)


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
