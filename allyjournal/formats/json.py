"""JSON: the public export schema (written and read back losslessly), entries for scripts,
and the `review --json` record."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from allyjournal.actions.importing import Parsed, bad_row, reason
from allyjournal.core.checks import (
    check_goal,
    check_person,
    check_promise,
    check_record,
    checked_record,
)
from allyjournal.core.errors import BadInput
from allyjournal.core.jsontext import exact_json
from allyjournal.core.models import Entry, Goal, Person, Promise, now_iso
from allyjournal.core.text import json_safe
from allyjournal.formats.jsonstream import StreamedObject

T = TypeVar("T")

if TYPE_CHECKING:
    from allyjournal.actions.agenda import Agenda
    from allyjournal.actions.export import Dump
    from allyjournal.actions.fairness import Fairness
    from allyjournal.actions.goals import GoalRow
    from allyjournal.actions.nominate import Nominations
    from allyjournal.actions.packet import Packet
    from allyjournal.actions.promises import PromiseRow
    from allyjournal.actions.recognition import RecognitionRecord
    from allyjournal.actions.review import Review
    from allyjournal.actions.together import Together
    from allyjournal.core.dates import Period
    from allyjournal.journal.reading import TagUse

FORMAT_NAME = "allyjournal"
FORMAT_VERSION = 1


def dumps(value: Any) -> str:
    """JSON for people and scripts, indented by two; through orjson where it writes the same
    text (core/jsontext.py): the standard library indents in Python, which was half of
    `review --json` on a dense week."""
    data = exact_json(value, indent=True)
    text = data.decode("utf-8") if data is not None else None
    if text is None:
        text = json.dumps(value, ensure_ascii=False, indent=2)
    return json_safe(text)  # printed to a terminal, or read by one: no control acts


def entry_json(entry: Entry) -> str:
    return dumps(entry.to_record())


def entries_json(entries: list[Entry]) -> str:
    return dumps([entry.to_record() for entry in entries])


def people_json(people: Sequence[Person], last_helped: dict[str, date]) -> str:
    """People in the export schema, each with the date you last helped them (or null)."""
    last = {handle: day.isoformat() for handle, day in last_helped.items()}
    return dumps([{**p.to_record(), "last_helped": last.get(p.handle)} for p in people])


def goals_json(rows: Sequence[GoalRow]) -> str:
    """Goals in the export schema, each with the short id it is typed by."""
    return dumps([{**row.goal.to_record(), "short_id": row.short_id} for row in rows])


def promises_json(rows: Sequence[PromiseRow]) -> str:
    """Promises in the export schema, with their short id and days overdue."""
    return dumps(
        [
            {**row.promise.to_record(), "short_id": row.short_id, "overdue_days": row.overdue}
            for row in rows
        ]
    )


def agenda_json(agenda: Agenda) -> str:
    """The agenda's facts for scripts: the same computation the screen shows."""
    return dumps(
        {
            "person": agenda.person.to_record(),
            "date": agenda.today.isoformat(),
            "topics": [
                {**topic.to_record(), "number": number}
                for number, topic in enumerate(agenda.topics, 1)
            ],
            "goals": [
                {
                    **status.goal.to_record(),
                    "short_id": status.short_id,
                    "last_help": status.last.to_record() if status.last else None,
                }
                for status in agenda.goals
            ],
            "promises": [
                {**row.promise.to_record(), "short_id": row.short_id, "overdue_days": row.overdue}
                for row in agenda.promises
            ],
            "recent": [entry.to_record() for entry in agenda.recent],
            "received": [entry.to_record() for entry in agenda.received],
            "witnessed": [entry.to_record() for entry in agenda.witnessed],
            "year": dict(agenda.year),
            "last_help": agenda.last_help.isoformat() if agenda.last_help else None,
            "check_in": agenda.cadence or None,
            "check_in_due": agenda.check_in_due.isoformat() if agenda.check_in_due else None,
            "check_in_overdue_days": agenda.overdue_days,
            "suggestions": agenda.suggestions,
            "leverage": agenda.leverage,
        }
    )


def recognition_json(record: RecognitionRecord) -> str:
    """The recognition record's facts: the ally, the period and the entries by kind."""
    return dumps(
        {
            "person": record.person.to_record(),
            "period": {
                "start": record.period.start.isoformat(),
                "end": record.period.end.isoformat(),
            },
            "recorded_by": {"name": record.owner, "role": record.role},
            "count": record.count,
            "sections": {
                kind: [e.to_record() for e in entries] for kind, entries in record.sections
            },
        }
    )


def _period(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}


def packet_json(packet: Packet) -> str:
    """The packet's evidence by criterion (entry ids, so a script can join them to the full
    export), the gaps and what no criterion claims."""
    gaps = {item.criterion.name for item in packet.gaps}
    return dumps(
        {
            "period": _period(packet.period),
            "ladder": {"name": packet.ladder.name, "source": packet.ladder.source},
            "gap_since": packet.gap_since.isoformat(),
            "count": packet.count,
            "criteria": [
                {
                    "name": item.criterion.name,
                    "description": item.criterion.description,
                    "count": len(item.entries),
                    "latest": item.latest.isoformat() if item.latest else None,
                    "gap": item.criterion.name in gaps,
                    "entries": [entry.to_record() for entry in item.entries],
                }
                for item in packet.evidence
            ],
            "unmapped": [entry.to_record() for entry in packet.unmapped],
        }
    )


def together_json(together: Together) -> str:
    """Everything with one colleague in the period, by part."""
    return dumps(
        {
            "person": together.person.to_record(),
            "period": _period(together.period),
            "count": together.count,
            "wins": [e.to_record() for e in together.wins],
            "given": [e.to_record() for e in together.given],
            "received": [e.to_record() for e in together.received],
            "seen": [e.to_record() for e in together.seen],
            "chores": [e.to_record() for e in together.chores],
            "goals": [goal.to_record() for goal in together.goals],
            "promises": [promise.to_record() for promise in together.promises],
        }
    )


def nominations_json(nominations: Nominations) -> str:
    """Each nominee with the entries their nomination is built from."""
    period = nominations.period
    return dumps(
        {
            "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
            "nominees": [
                {
                    "person": nominee.person.to_record(),
                    "count": len(nominee.evidence),
                    "helped_others": nominee.helped_others,
                    "evidence": [entry.to_record() for entry in nominee.evidence],
                }
                for nominee in nominations.nominees
            ],
        }
    )


def fairness_json(report: Fairness) -> str:
    """The report's numbers, the same the screen shows."""
    return dumps(
        {
            "period": {
                "start": report.period.start.isoformat(),
                "end": report.period.end.isoformat(),
            },
            "team": report.team,
            "kinds": list(report.kinds),
            "quarters": report.quarters,
            "total": report.total,
            "even_share": round(report.even_share, 2),
            "people": [
                {
                    "handle": row.person.handle,
                    "total": row.total,
                    "share": round(row.total / report.total, 4) if report.total else 0,
                    "counts": row.counts,
                    "by_quarter": dict(zip(report.quarters, row.by_quarter, strict=True)),
                }
                for row in report.rows
            ],
            "flags": report.flags,
            **({"next_in_rotation": report.next_up} if report.housework else {}),
        }
    )


def tags_json(uses: Sequence[TagUse]) -> str:
    return dumps([use.as_record() for use in uses])


def export_json(dump: Dump) -> Iterator[str]:
    """The public, full-fidelity schema; `ally import` reads it back losslessly. Written
    entry by entry as the journal is read, the same text `dumps` would give the whole."""
    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": now_iso(),
        "period": {"start": dump.period.start.isoformat(), "end": dump.period.end.isoformat()},
        "entries": [],
        "people": [person.to_record() for person in dump.people],
        "goals": [goal.to_record() for goal in dump.goals],
        "promises": [promise.to_record() for promise in dump.promises],
    }
    head, tail = dumps(document).split('"entries": []', 1)
    yield head + '"entries": ['
    separator = "\n    "
    for entry in dump.each():
        # JSON text holds no raw line break, so indenting every line nests the entry.
        yield separator + dumps(entry.to_record()).replace("\n", "\n    ")
        separator = ",\n    "
    yield ("\n  ]" if separator != "\n    " else "]") + tail + "\n"


def is_export(data: Any) -> bool:
    return isinstance(data, dict) and data.get("format") == FORMAT_NAME


def read_export(path: Path, *, skip_bad: bool = False) -> Parsed:
    """Read allyjournal's own JSON export (the public schema), streaming its entries.

    The entries are decoded and checked one at a time as the import consumes them (a million
    entries never sit in memory at once); the people and the format marker are known when the
    stream ends, and a file without the marker then imports nothing.
    """
    parsed = Parsed()
    parsed.streamed = _entries(StreamedObject(path, "entries"), parsed, path, skip_bad)
    return parsed


def _entries(
    document: StreamedObject, parsed: Parsed, path: Path, skip_bad: bool
) -> Iterator[dict[str, Any]]:
    marker = None
    number = 0
    for key, value, element in document.items():
        if element:
            number += 1
            try:
                yield checked_record(value)
            except (KeyError, ValueError, TypeError, AttributeError) as error:
                bad_row(parsed, path, f"entries[{number}]: {reason(error)}", skip_bad)
        elif key == "format":
            marker = value
        elif key == "people":
            people = _listed(value, key, path, parsed, skip_bad, Person.from_record, check_person)
            parsed.people += people
        elif key == "goals":
            parsed.goals += _listed(
                value, key, path, parsed, skip_bad, Goal.from_record, check_goal
            )
        elif key == "promises":
            parsed.promises += _listed(
                value, key, path, parsed, skip_bad, Promise.from_record, check_promise
            )
        elif key == "entries":
            raise BadInput(f'{path}: "entries" must be a list; nothing was imported.')
    if marker != FORMAT_NAME:
        raise BadInput(f'{path} is not an allyjournal JSON export (no "format": "allyjournal").')


def _listed(
    value: Any,
    key: str,
    path: Path,
    parsed: Parsed,
    skip_bad: bool,
    build: Callable[[dict[str, Any]], T],
    check: Callable[[T], T],
) -> list[T]:
    """The records of a top-level list ("people", "goals", "promises"), each built and checked; a bad one
    refuses the file, or is noted and skipped with --skip-bad."""
    if not isinstance(value, list):
        raise BadInput(f'{path}: "{key}" must be a list; nothing was imported.')
    found = []
    for count, record in enumerate(value, start=1):
        try:
            found.append(check(build(check_record(record))))
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            bad_row(parsed, path, f"{key}[{count}]: {reason(error)}", skip_bad)
    return found


def looks_like_export(path: Path) -> bool | None:
    """True when the file says it is an allyjournal export before its entries begin, False
    when its top level ends without saying so, None when the entries come first (read it
    whole to tell). Reads only the start of a large file."""
    document = StreamedObject(path, "entries")
    try:
        for key, value, element in document.items():
            if element:
                return None
            if key == "format":
                return bool(value == FORMAT_NAME)
        return False
    finally:
        document.close()


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
        "learned": [entry.to_record() for entry in review.learned],
        "history": [
            {"week_start": t.start.isoformat(), "allies": t.allies, "goal_met": t.goal_met}
            for t in review.history
        ],
        "levels": {"quarter": review.quarter, **dict(review.levels)},
        "thanks": [entry.to_record() for entry in review.thanks],
        "witnessed": [entry.to_record() for entry in review.witnessed],
        "nudges": [
            {"reason": n.reason, "handle": n.handle, "message": n.message} for n in review.nudges
        ],
    }


def review_json(review: Review) -> str:
    return dumps(review_record(review))
