"""CSV: one row per entry in the columns of the JSON schema, safe to open in a spreadsheet,
and read back exactly; any other CSV with `date` and `text` columns imports too."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from allyjournal.actions.importing import Parsed, bad_row, reason, stable_id
from allyjournal.core.checks import check_entry
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry
from allyjournal.core.text import is_valid_handle, mentions_in, normalize_handle, tags_in
from allyjournal.core.vocabulary import ENTRY_KINDS, HELP_KINDS, LEVELS

if TYPE_CHECKING:
    from allyjournal.actions.export import Dump

COLUMNS = (
    "id", "date", "kind", "size", "text", "impact", "tags", "mentions",
    "ally", "help_kind", "level", "created_at", "updated_at", "for",
)  # fmt: skip
# OWASP CSV injection: a cell starting with one of these may run as a formula. The quote itself
# is in the list so that a text starting with a quote survives the round trip through import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


# A spreadsheet set to a semicolon locale splits cells at ";" too, so a formula start after
# one (spaces allowed) is guarded as well.
AFTER_SEMICOLON = r";(?= *[=+\-@\t\r'])"
GUARDED_SEMICOLON = r";'(?= *[=+\-@\t\r'])"


def guarded(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs: a quote before every formula start (at
    the start, after leading spaces, or after a semicolon)."""
    value = re.sub(AFTER_SEMICOLON, ";'", value)
    return "'" + value if value.lstrip(" ").startswith(FORMULA_STARTS) else value


def unguarded(value: str) -> str:
    """Undo `guarded`, for our own export read back: the round trip is exact."""
    if value.startswith("'") and value[1:].lstrip(" ").startswith(FORMULA_STARTS):
        value = value[1:]
    return re.sub(GUARDED_SEMICOLON, ";", value)


def export_csv(dump: Dump) -> Iterator[str]:
    """Every entry as a row, spreadsheet-safe (see `guarded`), written as it is read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def row(values: Iterable[str]) -> str:
        writer.writerow(values)
        written = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return written

    yield row(COLUMNS)
    for entry in dump.each():
        record = entry.to_record()
        record["tags"] = " ".join(entry.tags)
        record["mentions"] = " ".join(entry.mentions)
        yield row(guarded(str(record.get(column) or "")) for column in COLUMNS)


def read_csv(path: Path, *, skip_bad: bool = False, today: date | None = None) -> Parsed:
    """Read the CSV `ally export` writes, or any CSV with at least `date` and `text` columns."""
    from allyjournal.core.dates import parse_when
    from allyjournal.core.dates import today as dates_today

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
        row = {  # a row longer than the header puts its extra cells under None: ignored
            key.strip().lower(): unguarded(value or "") if own else (value or "")
            for key, value in raw.items()
            if isinstance(key, str) and isinstance(value, str)
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
            if kind not in ENTRY_KINDS:
                raise ValueError(f"'{kind}' is not one of {', '.join(ENTRY_KINDS)}")
            field = "ally"
            ally = normalize_handle(row.get("ally") or "") or None
            about_someone = kind in ("help", "thanks")
            if about_someone and not (ally and is_valid_handle(ally)):
                raise ValueError(f"{kind} needs a valid ally handle, not '{row.get('ally', '')}'")
            field = "for"
            for_handle = normalize_handle(row.get("for") or "") or None
            if for_handle is not None and not is_valid_handle(for_handle):
                raise ValueError(f"'{row.get('for')}' is not a handle")
            field = "help_kind"
            help_kind = row.get("help_kind") or ("other" if about_someone else None)
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
            field = "id"
            parsed.entries.append(
                check_entry(
                    Entry(
                        id=row.get("id")
                        or stable_id("csv", day.isoformat(), kind, text, ally or ""),
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
                        ally=ally if about_someone else None,
                        help_kind=help_kind if about_someone else None,
                        level=level if kind == "help" else None,
                        for_handle=for_handle if kind == "thanks" else None,
                    )
                )
            )
        except (KeyError, ValueError, TypeError, BadInput) as error:
            why = str(error).split(":")[0] if isinstance(error, BadInput) else reason(error)
            bad_row(parsed, path, f"line {line}, field '{field}': {why}", skip_bad)
    return parsed
