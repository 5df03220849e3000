"""Bringing entries in. Every reader turns a file into entries and people, or names the bad row.

Nothing is written until the whole file has been read and checked, so a bad row can never
leave a journal half-imported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from allyjournal.errors import BadInput
from allyjournal.models import (
    HELP_KINDS,
    LEVELS,
    Entry,
    Person,
    is_valid_handle,
    mentions_in,
    normalize_handle,
    tags_in,
)
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
    data = _load_json(path)
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
            _bad(parsed, path, f"entries[{number}]: {_reason(error)}", skip_bad)
    for number, record in enumerate(data.get("people") or [], start=1):
        try:
            person = Person.from_record(record)
            if not is_valid_handle(person.handle):
                raise ValueError(f"handle {person.handle!r} is not valid")
            parsed.people.append(person)
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            _bad(parsed, path, f"people[{number}]: {_reason(error)}", skip_bad)
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


def _stable_id(*parts: str) -> str:
    """An id derived from content, so importing the same foreign file twice adds nothing."""
    import hashlib

    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def read_jrnl_export(path: Path, *, skip_bad: bool = False) -> Parsed:
    """Read `jrnl --export json`: entries become wins (starred ones big), @names people."""
    data = _load_json(path)
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise BadInput(
            f'{path} is not a jrnl JSON export (no "entries" list); make one with `jrnl --export json`.'
        )
    parsed = Parsed()
    for number, record in enumerate(data["entries"], start=1):
        try:
            title = str(record.get("title") or "").strip()
            body = str(record.get("body") or "").strip()
            text = f"{title}\n{body}".strip()
            if not text:
                raise ValueError("the entry has no text")
            day = date.fromisoformat(str(record["date"]))
            stamp = f"{day.isoformat()}T{record.get('time') or '00:00'}:00"
            tags = [
                str(tag).lstrip("#").lower()
                for tag in record.get("tags") or []
                if str(tag).startswith("#")
            ]
            parsed.entries.append(
                Entry(
                    id=_stable_id("jrnl", stamp, text),
                    kind="win",
                    date=day,
                    text=text,
                    created_at=stamp,
                    updated_at=stamp,
                    size="big" if record.get("starred") else "small",
                    tags=tuple(dict.fromkeys([*tags_in(text), *tags])),
                    mentions=tuple(mentions_in(text)),
                )
            )
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            _bad(parsed, path, f"entries[{number}]: {_reason(error)}", skip_bad)
    return parsed


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise BadInput(f"Cannot read {path} as JSON: {error}.") from None


def _bad(parsed: Parsed, path: Path, problem: str, skip_bad: bool) -> None:
    if not skip_bad:
        raise BadInput(f"{path}: {problem}; nothing was imported (--skip-bad skips such rows).")
    parsed.skipped.append(problem)


def read_csv(path: Path, *, skip_bad: bool = False, today: date | None = None) -> Parsed:
    """Read the CSV `ally export` writes, or any CSV with at least `date` and `text` columns."""
    import csv

    from allyjournal.dates import parse_when
    from allyjournal.dates import today as dates_today

    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
            columns = {(name or "").strip().lower() for name in (rows[0].keys() if rows else [])}
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise BadInput(f"Cannot read {path} as CSV: {error}.") from None
    if rows and not {"date", "text"} <= columns:
        raise BadInput(
            f"{path} needs at least 'date' and 'text' columns; it has {', '.join(sorted(columns))}."
        )
    own = {"id", "kind", "created_at"} <= columns  # our export: undo its formula guard
    parsed = Parsed()
    for line, raw in enumerate(rows, start=2):
        row = {
            (key or "").strip().lower(): _unguard(value or "", own) for key, value in raw.items()
        }
        field = "date"
        try:
            day = (
                parse_when(row["date"], today=today or dates_today())
                if not own
                else date.fromisoformat(row["date"])
            )
            field = "text"
            text = row["text"]
            if not text.strip():
                raise ValueError("empty")
            field = "kind"
            kind = row.get("kind") or "win"
            if kind not in ("win", "help", "reflection"):
                raise ValueError(f"'{kind}' is not win, help or reflection")
            field = "ally"
            ally = normalize_handle(row.get("ally") or "") or None
            if kind == "help" and not (ally and is_valid_handle(ally)):
                raise ValueError(f"help needs a valid ally handle, not '{row.get('ally', '')}'")
            field = "help_kind"
            help_kind = row.get("help_kind") or ("other" if kind == "help" else None)
            if help_kind is not None and help_kind not in HELP_KINDS:
                raise ValueError(f"'{help_kind}' is not one of {', '.join(HELP_KINDS)}")
            field = "level"
            level = row.get("level") or None
            if level is not None and level not in LEVELS:
                raise ValueError(f"'{level}' is not one of {', '.join(LEVELS)}")
            field = "size"
            size = (row.get("size") or "small").lower()
            if size not in ("big", "small"):
                raise ValueError(f"'{size}' is not big or small")
            stamp = row.get("created_at") or f"{day.isoformat()}T00:00:00+00:00"
            tags = [
                t.lstrip("#").lower() for t in (row.get("tags") or "").replace(",", " ").split()
            ]
            mentions = [normalize_handle(h) for h in (row.get("mentions") or "").split()]
            parsed.entries.append(
                Entry(
                    id=row.get("id") or _stable_id("csv", day.isoformat(), kind, text, ally or ""),
                    kind=kind,
                    date=day,
                    text=text,
                    created_at=stamp,
                    updated_at=row.get("updated_at") or stamp,
                    size=size if kind == "win" else None,
                    impact=row.get("impact") or None,
                    tags=tuple(dict.fromkeys(tags if own else [*tags_in(text), *tags])),
                    mentions=tuple(
                        mentions if own else [h for h in mentions_in(text) if h != ally]
                    ),
                    ally=ally if kind == "help" else None,
                    help_kind=help_kind if kind == "help" else None,
                    level=level if kind == "help" else None,
                )
            )
        except (KeyError, ValueError, TypeError, BadInput) as error:
            reason = str(error).split(":")[0] if isinstance(error, BadInput) else _reason(error)
            _bad(parsed, path, f"line {line}, field '{field}': {reason}", skip_bad)
    return parsed


def _unguard(value: str, own: bool) -> str:
    """Undo the quote `ally export` puts before cells a spreadsheet could run as formulas."""
    from allyjournal.exporters import FORMULA_STARTS

    if own and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def detect_format(path: Path) -> str:
    """json (ours), jrnl or csv, from the file name and, for JSON, its shape."""
    if path.suffix.lower() == ".csv":
        return "csv"
    data = _load_json(path)
    if isinstance(data, dict) and data.get("format") == "allyjournal":
        return "json"
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        return "jrnl"
    raise BadInput(f"Cannot tell what {path} is; give --format json, csv or jrnl.")


READERS: dict[str, Callable[..., Parsed]] = {
    "json": read_json_export,
    "csv": read_csv,
    "jrnl": read_jrnl_export,
}
