"""The journal's derived indexes: small files that answer questions without reading entries.

    index/ids/XX.json      {id: "YYYY-MM"} for ids starting with XX: an entry's month by id
    index/helps/YYYY.json  {"YYYY-MM-DD": {handle: [help kind, ...]}}: who was helped, how
    index/weeks.json       {first weekday 0-6: {week start: distinct allies}}: the streak's data

They are derived from the month partitions, which stay the source of truth: `expected`
recomputes them from entries, and the store rebuilds them after a crash, a rename or a
migration. Only the store writes them (through its change machinery, see store.py).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from allyjournal.core.errors import UnreadableJournal
from allyjournal.core.models import Entry
from allyjournal.journal import files

HelpIndex = dict[int, dict[str, dict[str, list[str]]]]  # year -> day -> handle -> help kinds
WriteJson = Callable[[Path, Any], None]


class Indexes:
    def __init__(self, home: Path) -> None:
        self.ids_dir = home / "index" / "ids"
        self.helps_dir = home / "index" / "helps"
        self.weeks_path = home / "index" / "weeks.json"

    # -- reading ----------------------------------------------------------------------------

    def bucket_path(self, entry_id: str) -> Path:
        key = entry_id[:2].lower()
        return self.ids_dir / f"{key if re.fullmatch(r'[0-9a-z]{2}', key) else '__'}.json"

    def bucket(self, entry_id: str) -> dict[str, str]:
        """Every id sharing the first two characters of `entry_id`, with its month."""
        bucket = files.read_json(self.bucket_path(entry_id), {})
        if not isinstance(bucket, dict):
            raise UnreadableJournal(f"{self.bucket_path(entry_id)} is damaged; run `ally doctor`.")
        return bucket

    def short_ids(self, ids: Iterable[str], minimum: int = 7) -> dict[str, str]:
        """The shortest prefix (at least `minimum`) that names each id unambiguously."""
        result: dict[str, str] = {}
        for entry_id in ids:
            bucket = self.bucket(entry_id)
            length = minimum
            while length < len(entry_id) and any(
                other != entry_id and other.startswith(entry_id[:length]) for other in bucket
            ):
                length += 1
            result[entry_id] = entry_id[:length]
        return result

    def help_year(self, year: int) -> dict[str, dict[str, list[str]]]:
        days: dict[str, dict[str, list[str]]] = files.read_json(self.helps_dir / f"{year}.json", {})
        return days

    def helps_by_day(self, start: date, end: date) -> dict[date, dict[str, list[str]]]:
        """For each day in [start, end] with help: each handle helped and how."""
        result: dict[date, dict[str, list[str]]] = {}
        for year in range(start.year, end.year + 1):
            for day, handles in self.help_year(year).items():
                when = date.fromisoformat(day)
                if start <= when <= end:
                    result[when] = handles
        return result

    def help_years(self) -> list[int]:
        try:
            names = os.listdir(self.helps_dir)
        except FileNotFoundError:
            return []
        return sorted(int(name[:4]) for name in names if name[:4].isdigit())

    def week_tallies(self, week_start: int) -> dict[date, int]:
        """Distinct allies helped in each week (starting on `week_start`) that had any help.

        Kept for all seven possible first days, so changing `week-start` needs no rebuild,
        and read as one small file: the streak never walks the journal's history.
        """
        weeks = files.read_json(self.weeks_path, {}).get(str(week_start), {})
        return {date.fromisoformat(start): count for start, count in weeks.items()}

    # -- writing ----------------------------------------------------------------------------

    def record(self, added: dict[str, list[Entry]], removed: list[Entry], write: WriteJson) -> None:
        """Update every index for entries `added` (by month) and `removed`."""
        buckets: dict[Path, dict[str, str]] = {}
        helps: HelpIndex = {}
        for entry in removed:
            path = self.bucket_path(entry.id)
            buckets.setdefault(path, files.read_json(path, {})).pop(entry.id, None)
            self._count_help(helps, entry, add=False)
        for month, group in added.items():
            for entry in group:
                path = self.bucket_path(entry.id)
                buckets.setdefault(path, files.read_json(path, {}))[entry.id] = month
                self._count_help(helps, entry, add=True)
        for path, bucket in buckets.items():
            write(path, bucket)
        for year, days in helps.items():
            write(self.helps_dir / f"{year}.json", dict(sorted(days.items())))
        touched = {
            e.date for e in [*removed, *(e for g in added.values() for e in g)] if _is_help(e)
        }
        if touched:
            tallies = files.read_json(self.weeks_path, {})
            for week_start, start, count in _week_counts(helps, touched, self.help_year):
                weeks = tallies.setdefault(str(week_start), {})
                if count:
                    weeks[start.isoformat()] = count
                else:
                    weeks.pop(start.isoformat(), None)
            write(self.weeks_path, _sorted_tallies(tallies))

    def _count_help(self, helps: HelpIndex, entry: Entry, *, add: bool) -> None:
        if not _is_help(entry):
            return
        year = helps.setdefault(entry.date.year, self.help_year(entry.date.year))
        day = year.setdefault(entry.date.isoformat(), {})
        kinds = day.setdefault(entry.ally or "", [])
        if add:
            kinds.append(entry.help_kind or "other")
        elif entry.help_kind in kinds:
            kinds.remove(entry.help_kind)
        if not kinds:
            del day[entry.ally or ""]
        if not day:
            del year[entry.date.isoformat()]

    # -- checking and rebuilding ----------------------------------------------------------

    def expected(self, entries_by_month: Iterable[tuple[str, list[Entry]]]) -> dict[Path, Any]:
        """Every index file's content, recomputed from the partitions' entries."""
        expected: dict[Path, Any] = {}
        helps: HelpIndex = {}
        for month, entries in entries_by_month:
            for entry in entries:
                expected.setdefault(self.bucket_path(entry.id), {})[entry.id] = month
                if _is_help(entry):
                    days = helps.setdefault(entry.date.year, {})
                    day = days.setdefault(entry.date.isoformat(), {})
                    day.setdefault(entry.ally or "", []).append(entry.help_kind or "other")
        tallies: dict[str, dict[str, int]] = {}
        all_days = {date.fromisoformat(day) for year_days in helps.values() for day in year_days}
        for week_start, start, count in _week_counts(helps, all_days, lambda year: {}):
            if count:
                tallies.setdefault(str(week_start), {})[start.isoformat()] = count
        for year, year_days in helps.items():
            expected[self.helps_dir / f"{year}.json"] = dict(sorted(year_days.items()))
        if tallies:
            expected[self.weeks_path] = _sorted_tallies(tallies)
        return expected

    def files(self) -> list[Path]:
        found = [
            path
            for folder in (self.ids_dir, self.helps_dir)
            for path in (sorted(folder.glob("*.json")) if folder.exists() else [])
        ]
        return [*found, self.weeks_path] if self.weeks_path.exists() else found

    def stale(self, expected: dict[Path, Any]) -> bool:
        """True when an index file disagrees with `expected` (an emptied file counts as absent)."""
        return any(
            _normalized(files.read_json(path, {})) != _normalized(expected.get(path, {}))
            for path in {*self.files(), *expected}
        )

    def rebuild(self, expected: dict[Path, Any], write: WriteJson) -> None:
        for stale in self.files():
            if stale not in expected:
                stale.unlink()
        for path, content in expected.items():
            write(path, content)


def _is_help(entry: Entry) -> bool:
    return entry.kind == "help" and bool(entry.ally)


def _week_counts(
    helps: HelpIndex,
    days: Iterable[date],
    load_year: Callable[[int], dict[str, dict[str, list[str]]]],
) -> Iterator[tuple[int, date, int]]:
    """(first weekday, week start, distinct allies) for every week, of every start, holding one
    of `days`; years missing from `helps` are loaded with `load_year`."""
    years = dict(helps)
    seen: set[tuple[int, date]] = set()
    for day in days:
        for week_start in range(7):
            start = day - timedelta(days=(day.weekday() - week_start) % 7)
            if (week_start, start) in seen:
                continue
            seen.add((week_start, start))
            handles: set[str] = set()
            for offset in range(7):
                current = start + timedelta(days=offset)
                if current.year not in years:
                    years[current.year] = load_year(current.year)
                handles.update(years[current.year].get(current.isoformat(), {}))
            yield week_start, start, len(handles)


def _sorted_tallies(tallies: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {key: dict(sorted(weeks.items())) for key, weeks in sorted(tallies.items())}


def _normalized(index: Any) -> Any:
    """An index's meaning, ignoring empty branches and the order of help kinds."""
    if isinstance(index, dict):
        pairs = ((key, _normalized(value)) for key, value in index.items())
        return {key: value for key, value in pairs if value not in ({}, [])}
    if isinstance(index, list):
        return sorted(index)
    return index
