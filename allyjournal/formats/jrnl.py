"""jrnl's JSON export (`jrnl --export json`), read as wins: starred entries are big wins,
`#tags` are kept and `@names` become people."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from allyjournal.actions.importing import Parsed, bad_row, load_json, reason, stable_id
from allyjournal.core.checks import check_entry, check_record
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry
from allyjournal.core.text import mentions_in, tags_in


def is_export(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("entries"), list)


def read_export(path: Path, *, skip_bad: bool = False) -> Parsed:
    data = load_json(path)
    if not is_export(data):
        raise BadInput(
            f'{path} is not a jrnl JSON export (no "entries" list); make one with `jrnl --export json`.'
        )
    parsed = Parsed()
    for number, record in enumerate(data["entries"], start=1):
        try:
            check_record(record)
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
            entry = Entry(
                id=stable_id("jrnl", stamp, text),
                kind="win",
                date=day,
                text=text,
                created_at=stamp,
                updated_at=stamp,
                size="big" if record.get("starred") else "small",
                tags=tuple(dict.fromkeys([*tags_in(text), *tags])),
                mentions=tuple(mentions_in(text)),
            )
            parsed.entries.append(check_entry(entry))
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            bad_row(parsed, path, f"entries[{number}]: {reason(error)}", skip_bad)
    return parsed
