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

from allyjournal.actions.importing import Parsed, reason, stable_id
from allyjournal.core.checks import check_entry
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry
from allyjournal.core.text import is_valid_handle, mentions_in, normalize_handle, tags_in
from allyjournal.core.vocabulary import (
    ABOUT_SOMEONE,
    ENTRY_KINDS,
    HELP_KINDS,
    LEVELS,
    WORK_TYPES,
)

if TYPE_CHECKING:
    from allyjournal.actions.export import Dump

COLUMNS = (
    "id", "date", "kind", "size", "text", "impact", "tags", "mentions",
    "ally", "help_kind", "level", "created_at", "updated_at", "for", "work_type",
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


MAX_NAMED = 10  # bad rows named in the one refusal line; the rest are counted
FIELD_LIMIT = 64 * 1024 * 1024  # a cell may be as long as any text the journal keeps


def parse_map(text: str | None) -> dict[str, str]:
    """`--map 'Accomplishment=text,Why it mattered=impact'`: a spreadsheet's headers read as
    these columns (case and spaces around names do not matter)."""
    mapping: dict[str, str] = {}
    for pair in (text or "").split(","):
        if not pair.strip():
            continue
        header, sep, column = pair.partition("=")
        column = column.strip().lower()
        if not sep or not header.strip() or column not in COLUMNS:
            raise BadInput(
                f"--map '{pair.strip()}' is not HEADER=COLUMN with COLUMN one of "
                f"{', '.join(COLUMNS)}; e.g. --map 'Accomplishment=text,Why it mattered=impact'."
            )
        mapping[header.strip().lower()] = column
    return mapping


def _dialect(sample: str) -> str:
    """The delimiter: a comma, unless the header line has none and has semicolons (a
    spreadsheet in a locale whose decimal mark is a comma) or tabs."""
    header = sample.splitlines()[0] if sample else ""
    if "," not in header:
        for other in (";", "\t"):
            if other in header:
                return other
    return ","


def _trimmed(value: str | None) -> str | None:
    """A spreadsheet's cell without the spaces around it (our own export keeps them)."""
    return (value or "").strip() or None


def _choice(value: str, allowed: Iterable[str], what: str) -> str:
    """A vocabulary word in any case; a near miss gets a 'did you mean'."""
    import difflib

    word = value.strip().lower()
    if word in allowed:
        return word
    close = difflib.get_close_matches(word, list(allowed), n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'? " if close else ""
    raise ValueError(f"'{value}' is not a {what}; {hint}one of {', '.join(allowed)}")


def read_csv(
    path: Path,
    *,
    skip_bad: bool = False,
    today: date | None = None,
    columns: dict[str, str] | None = None,
    future: bool = False,
) -> Parsed:
    """Read the CSV `ally export` writes, or any CSV with at least `date` and `text` columns
    (after `columns`, the `--map` of its headers), comma, semicolon or tab separated. Every bad
    row is found in one pass: refused together in one line (naming the first few), or with
    `skip_bad` listed and left out."""
    from allyjournal.core.dates import parse_when
    from allyjournal.core.dates import today as dates_today

    mapping = columns or {}
    limit = csv.field_size_limit()
    try:
        csv.field_size_limit(FIELD_LIMIT)
        with path.open(newline="", encoding="utf-8-sig") as handle:
            delimiter = _dialect(handle.read(65536))
            handle.seek(0)
            rows = list(csv.DictReader(handle, delimiter=delimiter))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise BadInput(f"Cannot read {path} as CSV: {error}.") from None
    finally:
        csv.field_size_limit(limit)
    headers = [(name or "").strip().lower() for name in (rows[0].keys() if rows else [])]
    unknown = sorted(set(mapping) - set(headers))
    if rows and unknown:
        raise BadInput(
            f"--map names {', '.join(repr(h) for h in unknown)}, which {path} does not have; "
            f"its headers are {', '.join(headers)}."
        )
    named = {mapping.get(header, header) for header in headers}
    if rows and not {"date", "text"} <= named:
        raise BadInput(
            f"{path} needs 'date' and 'text' columns; it has {', '.join(headers)} (--map "
            "'Accomplishment=text' reads another header as one)."
        )
    own = {"id", "kind", "created_at"} <= named and not mapping  # our export: undo its guard
    today = today or dates_today()
    parsed = Parsed()
    problems: list[str] = []
    for line, raw in enumerate(rows, start=2):
        row = {  # a row longer than the header puts its extra cells under None: ignored
            mapping.get(key.strip().lower(), key.strip().lower()): (
                unguarded(value or "") if own else (value or "")
            )
            for key, value in raw.items()
            if isinstance(key, str) and isinstance(value, str)
        }
        field = "date"
        try:
            day = (
                parse_when(row["date"], today=today) if not own else date.fromisoformat(row["date"])
            )
            if day > today and not future:
                raise ValueError(f"{day.isoformat()} is after today; --future imports such rows")
            field = "text"
            text = row["text"] if own else row["text"].strip()
            if not text.strip():
                raise ValueError("empty")
            field = "kind"
            kind = _choice(row.get("kind") or "win", ENTRY_KINDS, "kind")
            field = "ally"
            ally = normalize_handle(row.get("ally") or "") or None
            about_someone = kind in ABOUT_SOMEONE
            if about_someone and not (ally and is_valid_handle(ally)):
                raise ValueError(f"{kind} needs a valid ally handle, not '{row.get('ally', '')}'")
            field = "for"
            for_handle = normalize_handle(row.get("for") or "") or None
            if for_handle is not None and not is_valid_handle(for_handle):
                raise ValueError(f"'{row.get('for')}' is not a handle")
            field = "help_kind"
            helps = kind in ("help", "thanks")
            help_kind = row.get("help_kind") or ("other" if helps else None)
            if help_kind is not None:
                help_kind = _choice(help_kind, HELP_KINDS, "kind of help")
            field = "level"
            level = _choice(row["level"], LEVELS, "level") if row.get("level") else None
            field = "size"
            size = _choice(row.get("size") or "small", ("big", "small"), "size")
            field = "work_type"
            typed = row.get("work_type")
            work_type = _choice(typed, WORK_TYPES, "type of work") if typed else None
            stamp = row.get("created_at") or f"{day.isoformat()}T00:00:00+00:00"
            tags = [
                t.lstrip("#").lower()
                for t in re.split(r"[\s,;]+", row.get("tags") or "")
                if t.lstrip("#")
            ]
            mentions = [normalize_handle(h) for h in (row.get("mentions") or "").split()]
            field = "entry"
            entry = Entry(
                id=row.get("id") or stable_id("csv", day.isoformat(), kind, text, ally or ""),
                kind=kind,
                date=day,
                text=text,
                created_at=stamp,
                updated_at=row.get("updated_at") or stamp,
                size=size if kind == "win" else None,
                impact=(row.get("impact") or None) if own else _trimmed(row.get("impact")),
                tags=tuple(dict.fromkeys(tags if own else [*tags_in(text), *tags])),
                mentions=tuple(mentions if own else [h for h in mentions_in(text) if h != ally]),
                ally=ally if about_someone else None,
                help_kind=help_kind if helps else None,
                level=level if kind == "help" else None,
                for_handle=for_handle if kind == "thanks" else None,
                work_type=work_type if kind == "win" else None,
            )
            try:
                parsed.entries.append(check_entry(entry))
            except ValueError as error:  # the check names the field first: "impact is ..."
                first = str(error).split(" ")[0]
                first = {"tag": "tags", "mention": "mentions"}.get(first, first)
                field = first if first in COLUMNS else "entry"
                raise
        except (KeyError, ValueError, TypeError, BadInput) as error:
            why = str(error).split(":")[0] if isinstance(error, BadInput) else reason(error)
            problems.append(f"line {line}, field '{field}': {why}")
    if problems and not skip_bad:
        shown = "; ".join(problems[:MAX_NAMED])
        more = f"; and {len(problems) - MAX_NAMED} more" if len(problems) > MAX_NAMED else ""
        count = "1 row" if len(problems) == 1 else f"{len(problems)} rows"
        raise BadInput(
            f"{path}: {count} cannot be read: {shown}{more}; nothing was imported "
            "(fix them, or --skip-bad imports the rest)."
        )
    parsed.skipped.extend(problems)
    return parsed
