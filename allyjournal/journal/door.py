"""The door for data files from outside this process: a sync remote's files, checked before
the merge reads a record of them.

A remote is outside input: anyone who can push to it can put anything in a file, and what
sync merges is then written here, read by every later command, and pushed on to the other
machines. So each of their files must have the shape this version writes (a TinyDB table of
numbered records; merged-away.json a list), and each record must pass the checks an import
uses (core/checks.py): ids of the id alphabet, handles, kinds, levels, times, and an entry's
date a real calendar day equal to the day its file is named for. A path inside the journal is
only ever derived from such a date, so a record cannot name a file outside it.

`examine` returns what was wrong and the file with the bad records left out, so a caller can
refuse the whole remote (the default) or merge the valid rest (`ally sync --skip-bad`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from allyjournal.core.checks import (
    check_goal,
    check_person,
    check_promise,
    check_source,
    check_topic,
    checked_record,
)
from allyjournal.core.models import Goal, Person, Promise, Source, Topic
from allyjournal.journal import layout

# What each shared file holding records is: its TinyDB table, the field that identifies a
# record, and how a record is checked (ValueError or KeyError/TypeError when it is not one).
_COLLECTIONS: dict[str, tuple[str, str, Callable[[dict[str, Any]], Any]]] = {
    layout.PEOPLE: ("people", "handle", lambda r: check_person(Person.from_record(r))),
    layout.GOALS: ("goals", "id", lambda r: check_goal(Goal.from_record(r))),
    layout.PROMISES: ("promises", "id", lambda r: check_promise(Promise.from_record(r))),
    layout.SOURCES: ("sources", "id", lambda r: check_source(Source.from_record(r))),
    layout.TOPICS: ("topics", "id", lambda r: check_topic(Topic.from_record(r))),
}


@dataclass
class Examined:
    """One file from outside, looked at: `content` is what may be merged (the file as it came,
    or with its bad records left out; None when the file as a whole is unusable)."""

    content: Any
    problems: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # ids (handles) of its good records
    bad_keys: list[str] = field(default_factory=list)  # ids of records left out, when readable

    @property
    def whole(self) -> bool:
        return not self.problems


def examine(path: str, content: Any, known: Any = None) -> Examined:
    """Check the parsed content of data file `path` (None: the file is absent). `known` is
    the file as this journal already accepted it (sync's common ancestor): a record found
    there unchanged, under the same number, passed these checks then and is not checked
    again, so the cost follows what changed, not the size of the day."""
    if content is None:
        return Examined(None)
    if path == layout.MERGED_AWAY:
        return _merged_away(content)
    key = layout.partition_key(path)
    if key is not None:
        return _partition(key, content, known)
    if path in _COLLECTIONS:
        table, identity, check = _COLLECTIONS[path]
        return _table(content, table, lambda record: _keyed(record, identity, check), known)
    return Examined(content)  # the format marker and settings have their own checks


def _partition(key: str, content: Any, known: Any) -> Examined:
    try:
        date.fromisoformat(key if len(key) == 10 else f"{key}-01")
    except ValueError:
        return Examined(None, [f"{key} is not a calendar day"])

    def check(record: dict[str, Any]) -> str:
        _typed(record)
        stored = checked_record(record)
        when = str(stored["date"])
        if record.get("date") != when or not layout.holds_date(key, when):
            raise ValueError(f"date {str(record.get('date'))[:40]!r} is not {key}")
        return str(stored["id"])

    return _table(content, "entries", check, known)


# An entry's fields as the journal stores them. A sync merge keeps the other machine's records
# as they are (not re-serialised), so a field must already be of its type, not only readable.
_STRINGS = ("id", "kind", "date", "text", "created_at", "updated_at", "size", "impact", "ally")
_STRINGS_TOO = ("help_kind", "level", "goal", "for")


def _typed(record: dict[str, Any]) -> None:
    for name in (*_STRINGS, *_STRINGS_TOO):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} is {type(value).__name__}, not text")
    for name in ("tags", "mentions"):
        value = record.get(name)
        if value is not None and not (
            isinstance(value, list) and all(isinstance(item, str) for item in value)
        ):
            raise ValueError(f"{name} is not a list of words")


def _keyed(record: dict[str, Any], identity: str, check: Callable[[dict[str, Any]], Any]) -> str:
    checked = check(record)
    return str(getattr(checked, identity))


def _table(
    content: Any, table: str, check: Callable[[dict[str, Any]], str], known: Any
) -> Examined:
    """A TinyDB file: {table: {number: record}}; `check` returns a good record's key."""
    if not isinstance(content, dict) or set(content) - {table}:
        return Examined(None, [f"it is not a table of {table}"])
    documents = content.get(table, {})
    if not isinstance(documents, dict):
        return Examined(None, [f"its {table} are not a table"])
    accepted = known.get(table) if isinstance(known, dict) else None
    if not isinstance(accepted, dict):
        accepted = {}
    found = Examined(content)
    kept: dict[str, Any] = {}
    seen: set[str] = set()
    for number, record in documents.items():
        try:
            if isinstance(record, dict) and record == accepted.get(number):
                identity = str(record.get("id", record.get("handle")))
                if identity in seen:
                    raise ValueError(f"{identity!r} is there twice")
                seen.add(identity)
                found.keys.append(identity)
                kept[number] = record
                continue
            if not (number.isascii() and number.isdigit()):
                raise ValueError(f"{number[:20]!r} is not a record number")
            if not isinstance(record, dict):
                raise ValueError(f"it is not an object but {type(record).__name__}")
            identity = check(record)
            if identity in seen:
                raise ValueError(f"{identity!r} is there twice")
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            why = f"no {error}" if isinstance(error, KeyError) else str(error)
            found.problems.append(f"record {number[:20]}: {why}")
            named = record.get("id", record.get("handle")) if isinstance(record, dict) else None
            if isinstance(named, str):
                found.bad_keys.append(named)
            continue
        seen.add(identity)
        found.keys.append(identity)
        kept[number] = record
    if found.problems:
        found.content = {table: kept}
    return found


def _merged_away(content: Any) -> Examined:
    if not isinstance(content, list):
        return Examined(None, ["it is not a list of merged-away versions"])
    kept = [
        item
        for item in content
        if isinstance(item, dict)
        and isinstance(item.get("record"), dict)
        and isinstance(item.get("what"), str)
        and isinstance(item.get("merged_at"), str)
    ]
    if len(kept) == len(content):
        return Examined(content)
    return Examined(kept, [f"{len(content) - len(kept)} of its items are not merged-away versions"])
