"""The journal's derived indexes: small files that answer questions without reading entries.

    index/ids/XX.json      {id: "YYYY-MM-DD"} for ids starting with XX: its partition's key
    index/ids/recent.json  {id: "YYYY-MM-DD" or null}: the id index's latest changes, not yet
                           folded into the buckets (null: the id was removed)
    index/helps/YYYY-MM.json  {"YYYY-MM-DD": {handle: ["kind" or "kind/level", ...]}}: who
                           was helped, how, and at which level
    index/weeks.json       {first weekday 0-6: {week start: distinct allies}}: the streak's data

The id index is read as each bucket with the recent file's changes applied. A change adds its
ids to the recent file, one small file, instead of rewriting the bucket of each id (an import
of 1,000 entries would otherwise create some 250 files); when the recent file would hold more
than FOLD ids, the change folds them all into their buckets and removes it. Reading an id costs
one bucket and the recent file, at most FOLD ids.

They are derived from the partitions, which stay the truth. A change updates them from what it
did to the partitions (`record`), in the same commit; `rebuild` recomputes them all (doctor,
recovery from a damaged index). Readers treat them as hints and verify what they point at.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import os
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from allyjournal.core.dates import first_day_of_week
from allyjournal.core.errors import UnreadableJournal
from allyjournal.journal import files, layout

if TYPE_CHECKING:
    from allyjournal.journal.staged import Staged

# id -> (date, kind, ally, help kind): what the indexes need to know of a stored entry.
IndexKey = tuple[str, str, str, str]
PartitionView = dict[str, IndexKey]
HelpMonth = dict[str, dict[str, list[str]]]  # day -> handle -> help kinds
WEEKS = f"{layout.INDEX}/weeks.json"
IDS = f"{layout.INDEX}/ids/"
RECENT = f"{layout.INDEX}/ids/recent.json"
# The most ids the recent file holds: about 100 KB, a millisecond to read.
FOLD = 2_048


class IndexDamaged(Exception):
    """An index file that does not parse: rebuilt, never trusted."""


def view_of(path: str, content: Any) -> PartitionView:
    """The index keys of every entry a partition holds; a malformed one stops the command."""
    try:
        table = (content or {}).get("entries") or {}
        return records_view(path, table.values())
    except AttributeError as error:
        raise files.damaged(path, f"an entry this version cannot read: {error}") from error


def records_view(path: str, records: Iterable[dict[str, Any]]) -> PartitionView:
    """The index keys of stored records (an id stored twice appears once)."""
    try:
        return {
            str(doc["id"]): (
                str(doc["date"]),
                str(doc["kind"]),
                str(doc.get("ally") or ""),
                _how(doc),
            )
            for doc in records
        }
    except (AttributeError, KeyError, TypeError) as error:
        raise files.damaged(path, f"an entry this version cannot read: {error}") from error


def _how(doc: dict[str, Any]) -> str:
    """How an ally was helped, as the help index keeps it: the kind, and the level after a
    slash when one was given ("advocacy/institutional")."""
    kind = str(doc.get("help_kind") or "other")
    return f"{kind}/{doc['level']}" if doc.get("level") else kind


def bucket_path(entry_id: str) -> str:
    return _bucket(entry_id[:2])


@functools.cache
def _bucket(first_two: str) -> str:
    key = first_two.lower()
    return f"{layout.INDEX}/ids/{key if re.fullmatch(r'[0-9a-z]{2}', key) else '__'}.json"


def helps_path(month: str) -> str:
    return f"{layout.INDEX}/helps/{month}.json"


def _is_help(key: IndexKey) -> bool:
    return key[1] == "help" and bool(key[2])


# -- writing, inside a change ---------------------------------------------------------------


class Indexes:
    """The indexes as one change sees them; every file is written once, at the change's end."""

    def __init__(self, change: Staged) -> None:
        self.change = change
        self._cache: dict[str, dict[str, Any]] = {}
        self._dirty: set[str] = set()
        self._help_days: set[date] = set()
        self._recent: dict[str, str | None] | None = None  # None: not read yet
        self._recent_changed = False
        self._folded = False  # the recent ids went into the buckets; the change writes there

    def hint(self, entry_id: str) -> str | None:
        """The partition key the id index gives for `entry_id`, with this change's updates."""
        recent = self._recent_ids()
        if recent is not None and entry_id in recent:
            found = recent[entry_id]
        else:
            found = self._load(bucket_path(entry_id)).get(entry_id)
        return found if isinstance(found, str) else None

    def _recent_ids(self) -> dict[str, str | None] | None:
        """The recent file's ids as this change updated them; None once they were folded."""
        if self._folded:
            return None
        if self._recent is None:
            content = self._load(RECENT)
            if not _is_recent_content(content):
                raise IndexDamaged(RECENT)
            self._recent = content
        return self._recent

    def _into_buckets(self, moves: dict[str, str | None]) -> None:
        """Each id to its partition key in its bucket (None: out of it)."""
        for entry_id, key in moves.items():
            bucket = bucket_path(entry_id)
            _move(self._load(bucket), entry_id, key)
            self._dirty.add(bucket)

    def _load(self, path: str) -> dict[str, Any]:
        if path not in self._cache:
            try:
                content = self.change.read(path, {})
            except UnreadableJournal:
                raise IndexDamaged(path) from None
            if not isinstance(content, dict):
                raise IndexDamaged(path)
            self._cache[path] = content
        return self._cache[path]

    def flush(self) -> None:
        """Write every index file this change updated, once, sorted as they are stored."""
        if self._help_days:
            tallies = self._load(WEEKS)
            for week_start, start, count in _week_counts(self._help_days, self._help_month):
                weeks = tallies.setdefault(str(week_start), {})
                if count:
                    weeks[start.isoformat()] = count
                else:
                    weeks.pop(start.isoformat(), None)
            self._dirty.add(WEEKS)
            self._help_days.clear()
        for path in sorted(self._dirty):
            content = self._cache[path]
            self.change.write(
                path, _sorted_tallies(content) if path == WEEKS else dict(sorted(content.items()))
            )
        self._dirty.clear()
        if self._recent_changed:
            if self._recent and not self._folded:
                self.change.write(RECENT, dict(sorted(self._recent.items())))
            elif self.change.exists(RECENT):
                self.change.delete(RECENT)

    def record(self, changed: list[tuple[str, PartitionView, PartitionView]]) -> None:
        """Update every index for what a change did to its partitions: (path, old, new).

        Every removal is made before any addition, so an entry that moved between two
        partitions (an edit of its date, or the undo of one) ends up where it now is,
        whichever of the two files the change wrote first.
        """
        moves: dict[str, str | None] = {}  # id -> its partition key now, None: removed
        for _, old, new in changed:
            moves.update(dict.fromkeys(old.keys() - new.keys()))
        for path, old, new in changed:
            key = layout.partition_key(path) or ""
            moves.update(dict.fromkeys(new.keys() - old.keys() if old else new, key))
        recent = self._recent_ids()
        if recent is None:
            self._into_buckets(moves)
        else:  # into the recent file, folded into the buckets when it grows past FOLD
            recent.update(moves)
            self._recent_changed = True
            if len(recent) > FOLD:
                self._into_buckets(recent)
                self._folded = True
        days: set[str] = set()
        for _, old, new in changed:
            for entry_id in old.keys() | new.keys() if old else new:
                before, after = old.get(entry_id), new.get(entry_id)
                if before == after:
                    continue
                if before and _is_help(before):
                    self._count(before, add=False)
                    days.add(before[0])
                if after and _is_help(after):
                    self._count(after, add=True)
                    days.add(after[0])
        self._dirty |= {helps_path(day[:7]) for day in days}
        # Their weeks are counted once, when the change is flushed.
        self._help_days |= {date.fromisoformat(day) for day in days}

    def _help_month(self, month: str) -> HelpMonth:
        return self._load(helps_path(month))

    def _count(self, key: IndexKey, *, add: bool) -> None:
        when, _, ally, help_kind = key
        month = self._help_month(when[:7])
        day = month.setdefault(when, {})
        kinds = day.setdefault(ally, [])
        if add:
            kinds.append(help_kind)
        elif help_kind in kinds:
            kinds.remove(help_kind)
        if not kinds:
            del day[ally]
        if not day:
            del month[when]

    def rebuild(self) -> None:
        """Recompute every index file from the partitions, removing index files left over."""
        expected = expected_indexes(self.change.home, self.change.read)
        for path in index_files(self.change.home):
            if path not in expected:
                self.change.delete(path)
        for path, content in expected.items():
            self.change.write(path, content)


def expected_indexes(home: Path, read: Callable[[str], Any]) -> dict[str, Any]:
    """Every index file's content, recomputed from the partitions (read with `read`)."""
    expected: dict[str, Any] = {}
    helps: dict[str, HelpMonth] = {}
    for partition in partition_keys(home):
        path = layout.partition(partition)
        for entry_id, key in view_of(path, read(path)).items():
            expected.setdefault(bucket_path(entry_id), {})[entry_id] = partition
            if _is_help(key):
                day = helps.setdefault(key[0][:7], {}).setdefault(key[0], {})
                day.setdefault(key[2], []).append(key[3])
    tallies = all_week_counts({day: h for month in helps.values() for day, h in month.items()})
    for month, days in helps.items():
        expected[helps_path(month)] = dict(sorted(days.items()))
    if tallies:
        expected[WEEKS] = _sorted_tallies(tallies)
    return expected


def partition_keys(home: Path) -> list[str]:
    """Partition keys ("YYYY-MM-DD", or a schema 1 "YYYY-MM") on disk, oldest first."""
    try:
        names = os.listdir(home / layout.ENTRIES)
    except FileNotFoundError:
        return []
    return sorted(
        name[:-5] for name in names if name.endswith(".json") and layout.KEY.match(name[:-5])
    )


def index_files(home: Path) -> list[str]:
    found = []
    for folder in ("ids", "helps"):
        directory = home / layout.INDEX / folder
        if directory.exists():
            found += [f"{layout.INDEX}/{folder}/{name}" for name in sorted(os.listdir(directory))]
    return [*found, WEEKS] if (home / WEEKS).exists() else found


def stale_indexes(home: Path) -> list[str]:
    """Index files that disagree with the partitions (an emptied file counts as absent)."""
    check = IndexCheck()
    for key in partition_keys(home):
        path = layout.partition(key)
        check.add(key, view_of(path, files.read_json(home / path)))
    return check.stale(home)


MASK = (1 << 64) - 1


class IndexCheck:
    """Which index files disagree with the partitions, fed one partition at a time.

    For the id index it keeps a count and a sum of hashes per bucket file, and each id's hash
    (eight bytes) to find ids stored twice: memory grows by bytes per entry, not by records,
    so `ally doctor` can check a million entries. The help index is small and kept whole.
    """

    def __init__(self) -> None:
        self._digests: dict[str, list[int]] = {}  # bucket path -> [count, sum of hashes]
        self._hashes: dict[str, array[int]] = {}  # bucket path -> hash of every id
        self._helps: dict[str, HelpMonth] = {}
        # Months whose help file was already compared (by a worker that saw all their days):
        # the file's path if it disagreed, and each day's allies for the weeks index.
        self._helps_checked: set[str] = set()
        self._helps_stale: set[str] = set()
        self._help_days: dict[str, tuple[str, ...]] = {}

    def settle_helps(self, home: Path, months: Iterable[str]) -> None:
        """Compare the help files of `months` (every day of which this check has seen) with
        what their days hold, and keep only each day's allies: a worker then hands back a few
        kilobytes rather than the help index of its share of a million entries."""
        for month in months:
            path = helps_path(month)
            expected = self._helps.pop(month, {})
            try:
                actual = files.read_json(home / path, {})
            except UnreadableJournal:
                actual = None
            if not isinstance(actual, dict) or not _same_helps(actual, expected):
                self._helps_stale.add(path)
            self._helps_checked.add(path)
            for day, handles in expected.items():
                if handles:
                    self._help_days[day] = tuple(handles)

    def add(self, key: str, view: PartitionView) -> None:
        """Count a partition's entries (`key` its partition key, as the id index names it)."""
        key_hash = hash(key)
        digests, hashes = self._digests, self._hashes
        for entry_id, fields in view.items():
            path = _bucket(entry_id[:2])
            digest = digests.get(path)
            if digest is None:
                digest = digests[path] = [0, 0]
                hashes[path] = array("Q")
            entry_hash = hash(entry_id)
            digest[0] += 1
            digest[1] += entry_hash ^ key_hash  # masked when compared
            hashes[path].append(entry_hash & MASK)
            if fields[1] == "help" and fields[2]:
                day = self._helps.setdefault(fields[0][:7], {}).setdefault(fields[0], {})
                day.setdefault(fields[2], []).append(fields[3])

    def merge(self, other: IndexCheck) -> None:
        """Add what another check saw (of other partitions)."""
        for path, (count, total) in other._digests.items():
            digest = self._digests.setdefault(path, [0, 0])
            digest[0] += count
            digest[1] += total
        for path, hashes in other._hashes.items():
            self._hashes.setdefault(path, array("Q")).extend(hashes)
        self._helps_checked |= other._helps_checked
        self._helps_stale |= other._helps_stale
        self._help_days.update(other._help_days)
        for month, days in other._helps.items():
            mine = self._helps.setdefault(month, {})
            for day, handles in days.items():
                for handle, kinds in handles.items():
                    mine.setdefault(day, {}).setdefault(handle, []).extend(kinds)

    def repeated(self) -> set[int]:
        """Hashes of ids seen in more than one partition (name them with `hash(id) & MASK`)."""
        found: set[int] = set()
        for hashes in self._hashes.values():
            ordered = sorted(hashes)
            found.update(a for a, b in itertools.pairwise(ordered) if a == b)
        return found

    def stale(
        self, home: Path, digests: dict[str, tuple[int, int] | None] | None = None
    ) -> list[str]:
        """The index files that disagree; `digests` are the id buckets' digests when they
        were computed elsewhere (doctor's workers), else they are read here."""
        helps = self._expected_helps()
        stale = sorted(self._helps_stale)
        try:
            recent = RecentIds.read(home)
            named = {bucket_path(entry_id) for entry_id in recent.ids()}
        except UnreadableJournal:
            recent, named = None, set()
            stale.append(RECENT)
        for path in sorted({*index_files(home), *self._digests, *helps, *named} - {RECENT}):
            if path in self._helps_checked:
                continue
            if path.startswith(IDS):
                found = (
                    digests[path]
                    if digests and path in digests
                    else bucket_digest(home, path, recent)
                )
                count, total = self._digests.get(path, [0, 0])
                if found != (count, total & MASK):
                    stale.append(path)
                continue
            try:
                actual = files.read_json(home / path, {})
            except UnreadableJournal:
                stale.append(path)
                continue
            if not isinstance(actual, dict) or not _same_helps(actual, helps.get(path, {})):
                stale.append(path)
        return sorted(stale)

    def _expected_helps(self) -> dict[str, Any]:
        expected: dict[str, Any] = {helps_path(m): days for m, days in self._helps.items()}
        days: dict[str, Iterable[str]] = dict(self._help_days)
        for month in self._helps.values():
            days.update(month)
        tallies = all_week_counts(days)
        if tallies:
            expected[WEEKS] = tallies
        return expected


def all_week_counts(days: Mapping[str, Iterable[str]]) -> dict[str, dict[str, int]]:
    """The weeks index computed whole from each day's allies ("YYYY-MM-DD" -> handles): each
    day's allies added to its week for each of the seven first days (linear in the days, where
    `_week_counts` re-reads seven days for each week of a few changed days)."""
    weeks: dict[int, dict[date, set[str]]] = {start: {} for start in range(7)}
    for day, handles in days.items():
        when = date.fromisoformat(day)
        if not handles:
            continue
        for first in range(7):
            start = first_day_of_week(when, first)
            weeks[first].setdefault(start, set()).update(handles)
    return {
        str(first): {start.isoformat(): len(allies) for start, allies in sorted(found.items())}
        for first, found in weeks.items()
        if found
    }


def bucket_digest(home: Path, path: str, recent: RecentIds | None) -> tuple[int, int] | None:
    """An id bucket's count and sum of hashes (as IndexCheck keeps them), with the recent
    file's changes applied; None if either is damaged (`recent` None)."""
    if recent is None:
        return None
    try:
        actual = recent.applied(path, files.read_json(home / path, {}))
        return len(actual), sum(hash(i) ^ hash(m) for i, m in actual.items()) & MASK
    except (UnreadableJournal, AttributeError, TypeError):
        return None


def _same_helps(actual: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Two help (or weeks) indexes that mean the same: empty branches and the order of help
    kinds do not count."""
    keys = {key for key, value in actual.items() if value not in ({}, [])}
    if keys != {key for key, value in expected.items() if value not in ({}, [])}:
        return False
    for key in keys:
        mine, theirs = actual[key], expected[key]
        if isinstance(mine, dict) and isinstance(theirs, dict):
            if not _same_helps(mine, theirs):
                return False
        elif isinstance(mine, list) and isinstance(theirs, list):
            if sorted(map(str, mine)) != sorted(map(str, theirs)):
                return False
        elif mine != theirs:
            return False
    return True


# -- reading, outside a change -----------------------------------------------------------------


class RecentIds:
    """The recent file of the id index, grouped by the bucket each id belongs to."""

    def __init__(self, content: dict[str, str | None]) -> None:
        self._by_bucket: dict[str, dict[str, str | None]] = {}
        for entry_id, key in content.items():
            self._by_bucket.setdefault(bucket_path(entry_id), {})[entry_id] = key

    @classmethod
    def read(cls, home: Path) -> RecentIds:
        """Raises UnreadableJournal when the file is damaged."""
        content = files.read_json(home / RECENT, {}, quick=True)
        if not isinstance(content, dict) or not _is_recent_content(content):
            raise UnreadableJournal(f"{home / RECENT} is damaged; run `ally doctor --fix`.")
        return cls(content)

    def ids(self) -> Iterator[str]:
        for changes in self._by_bucket.values():
            yield from changes

    def applied(self, path: str, bucket: dict[str, Any]) -> dict[str, Any]:
        """`bucket` (the content of the bucket file `path`) with the recent changes made."""
        for entry_id, key in self._by_bucket.get(path, {}).items():
            _move(bucket, entry_id, key)
        return bucket


def _is_recent_content(content: dict[str, Any]) -> bool:
    return all(isinstance(key, str) or key is None for key in content.values())


def _move(bucket: dict[str, Any], entry_id: str, key: str | None) -> None:
    """Point `entry_id` at partition `key` in an id bucket, or take it out (None)."""
    if key is None:
        bucket.pop(entry_id, None)
    else:
        bucket[entry_id] = key


class IdReader:
    """The id index as a command reads it, outside a change: each bucket as its file holds
    it with the recent file's changes applied (the recent file read once)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self._recent: RecentIds | None = None

    def bucket(self, entry_id: str) -> dict[str, str]:
        """Every indexed id sharing the first two characters of `entry_id`, with its partition."""
        if self._recent is None:
            self._recent = RecentIds.read(self.home)
        path = bucket_path(entry_id)
        bucket = files.read_json(self.home / path, {}, quick=True)
        if not isinstance(bucket, dict):
            raise UnreadableJournal(f"{self.home / path} is damaged; run `ally doctor --fix`.")
        return self._recent.applied(path, bucket)


def help_month(home: Path, month: str) -> HelpMonth:
    content = files.read_json(home / helps_path(month), {}, quick=True)
    return content if isinstance(content, dict) else {}


def months_between(start: date, end: date) -> Iterator[str]:
    """ "YYYY-MM" of every month from `start` to `end`, inclusive."""
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def helps_by_day(home: Path, start: date, end: date) -> dict[date, dict[str, list[str]]]:
    """For each day in [start, end] with help: each handle helped and the kinds of help."""
    result: dict[date, dict[str, list[str]]] = {}
    for month in months_between(start, end):
        for day, handles in help_month(home, month).items():
            when = date.fromisoformat(day)
            if start <= when <= end:
                result[when] = {
                    handle: [how.split("/")[0] for how in kinds]
                    for handle, kinds in handles.items()
                }
    return result


def levels_between(home: Path, start: date, end: date) -> dict[str, int]:
    """How many helps in [start, end] were given at each level (helps with no level left out),
    from the help index: a quarter is three small files."""
    counts: dict[str, int] = {}
    for month in months_between(start, end):
        for day, handles in help_month(home, month).items():
            if start <= date.fromisoformat(day) <= end:
                for kinds in handles.values():
                    for how in kinds:
                        _, _, level = how.partition("/")
                        if level:
                            counts[level] = counts.get(level, 0) + 1
    return counts


def help_months(home: Path) -> list[str]:
    """ "YYYY-MM" of every month with help, oldest first."""
    try:
        names = os.listdir(home / layout.INDEX / "helps")
    except FileNotFoundError:
        return []
    return sorted(
        name[:7] for name in names if layout.MONTH.match(name[:7]) and name[7:] == ".json"
    )


def week_tallies(home: Path, week_start: int) -> dict[date, int]:
    """Distinct allies helped in each week (starting on `week_start`) that had any help.

    Kept for all seven possible first days, so changing `week-start` needs no rebuild,
    and read as one small file: the streak never walks the journal's history.
    """
    content = files.read_json(home / WEEKS, {}, quick=True)
    weeks = content.get(str(week_start), {}) if isinstance(content, dict) else {}
    return {date.fromisoformat(start): count for start, count in weeks.items()}


# -- arithmetic -----------------------------------------------------------------------------


def shortest_prefix(entry_id: str, neighbours: list[str], minimum: int) -> str:
    """The shortest prefix of `entry_id` that none of its sorted `neighbours` share."""
    position = bisect.bisect_left(neighbours, entry_id)
    length = minimum
    for other in neighbours[max(0, position - 1) : position + 2]:
        if other == entry_id:
            continue
        common = next(
            (n for n, (a, b) in enumerate(zip(entry_id, other, strict=False)) if a != b),
            min(len(entry_id), len(other)),
        )
        length = max(length, common + 1)
    return entry_id[: min(length, len(entry_id))]


def _week_counts(
    days: Iterable[date], load_month: Callable[[str], HelpMonth]
) -> Iterator[tuple[int, date, int]]:
    """(first weekday, week start, distinct allies) for every week, of every start, holding one
    of `days`."""
    months: dict[str, HelpMonth] = {}
    seen: set[tuple[int, date]] = set()
    for day in days:
        for week_start in range(7):
            start = first_day_of_week(day, week_start)
            if (week_start, start) in seen:
                continue
            seen.add((week_start, start))
            handles: set[str] = set()
            for offset in range(7):
                current = (start + timedelta(days=offset)).isoformat()
                if current[:7] not in months:
                    months[current[:7]] = load_month(current[:7])
                handles.update(months[current[:7]].get(current, {}))
            yield week_start, start, len(handles)


def _sorted_tallies(tallies: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {key: dict(sorted(weeks.items())) for key, weeks in sorted(tallies.items())}
