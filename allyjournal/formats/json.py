"""JSON: the public export schema (written and read back losslessly), entries for scripts,
and the `review --json` record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allyjournal.actions.importing import Parsed, bad_row, load_json, reason
from allyjournal.core.checks import check_entry, check_person, check_record
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry, Person

if TYPE_CHECKING:
    from allyjournal.actions.export import Export
    from allyjournal.actions.review import Review

FORMAT_NAME = "allyjournal"
FORMAT_VERSION = 1


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def entry_json(entry: Entry) -> str:
    return dumps(entry.to_record())


def entries_json(entries: list[Entry]) -> str:
    return dumps([entry.to_record() for entry in entries])


def export_json(export: Export) -> str:
    """The public, full-fidelity schema; `ally import` reads it back losslessly."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": export.generated_at,
        "period": {"start": export.period.start.isoformat(), "end": export.period.end.isoformat()},
        "entries": [entry.to_record() for entry in export.entries],
        "people": [person.to_record() for person in export.people],
    }
    return dumps(document) + "\n"


def is_export(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT_NAME


def read_export(path: Path, *, skip_bad: bool = False) -> Parsed:
    """Read allyjournal's own JSON export (the public schema)."""
    data = load_json(path)
    if not is_export(data):
        raise BadInput(f'{path} is not an allyjournal JSON export (no "format": "allyjournal").')
    entries, people = data.get("entries", []), data.get("people", [])
    if not isinstance(entries, list) or not isinstance(people, list):
        raise BadInput(f'{path}: "entries" and "people" must be lists; nothing was imported.')
    parsed = Parsed()
    for number, record in enumerate(entries, start=1):
        try:
            parsed.entries.append(check_entry(Entry.from_record(check_record(record))))
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            bad_row(parsed, path, f"entries[{number}]: {reason(error)}", skip_bad)
    for number, record in enumerate(people, start=1):
        try:
            parsed.people.append(check_person(Person.from_record(check_record(record))))
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            bad_row(parsed, path, f"people[{number}]: {reason(error)}", skip_bad)
    return parsed


def review_record(review: Review) -> dict[str, Any]:
    """The review as JSON-ready data: the public `review --json` shape."""
    return {
        "week_start": review.week.start.isoformat(),
        "week_end": review.week.end.isoformat(),
        "label": review.label,
        "goal": review.goal,
        "allies_helped": review.allies_helped,
        "goal_met": review.goal_met,
        "to_go": review.to_go,
        "in_progress": review.in_progress,
        "streak": review.streak,
        "allies": [
            {
                "handle": row.handle,
                "name": row.name,
                "kinds": list(row.kinds),
                "count": row.count,
                "latest": row.latest.text,
                "latest_date": row.latest.date.isoformat(),
            }
            for row in review.allies
        ],
        "wins": [entry.to_record() for entry in review.wins],
        "helps": [entry.to_record() for entry in review.helps],
        "reflections": [entry.to_record() for entry in review.reflections],
        "history": [
            {"week_start": t.start.isoformat(), "allies": t.allies, "goal_met": t.goal_met}
            for t in review.history
        ],
        "nudges": [
            {"reason": n.reason, "handle": n.handle, "message": n.message} for n in review.nudges
        ],
    }


def review_json(review: Review) -> str:
    return dumps(review_record(review))
