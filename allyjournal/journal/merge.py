"""The three-way merge of two machines' journals, by meaning: entries by id, people by handle,
goals and promises by id, settings by key. Never by lines, so never a conflict marker.

`merge` is given the journal's data files as they were at the common ancestor (base), here
(ours) and on the other machine (theirs), only for the files either side changed, and returns
the files to write here. The rules, which README.md states for users:

- added on either side: kept;
- changed on one side only: that change (a deletion is a change);
- changed on both: an entry is taken whole from the side with the later `updated_at`; a
  person, goal or promise is merged field by field, and a field both sides changed takes the
  later side's value. What lost is kept in merged-away.json, which syncs like the rest;
- deleted on one side and changed on the other: kept, with a line in the report;
- renamed on one side (`Person.formerly` names the old handle, `created_at` the person): what
  the other side logged for the old handle is rewritten to the new one, as the rename would
  have done had it run after it, without counting as an edit;
- settings both sides changed: the value of the side that synced its change later.

Every choice is symmetric (ties fall to the larger serialised record), so two machines that
merge the same histories at once reach the same journal, and a merge that is interrupted and
run again finds nothing left to do. Rewritten files keep the document numbers of the side
that changed them, so a file only one side changed comes out byte for byte as that side wrote
it. TinyDB's numbers are positions, not identities: they are renumbered where both changed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allyjournal.core.models import Entry
from allyjournal.journal import layout

Read = Callable[[str], Any]  # a data file's parsed content on one side; None when absent
Renamer = Callable[[str, str], Callable[[Entry], Entry | None]]
Record = dict[str, Any]

MERGED_AWAY = layout.MERGED_AWAY
REMOVED = "removed entry"  # merged-away.json: an entry a merge deleted here
TABLES = {
    layout.PEOPLE: ("people", "handle"),
    layout.GOALS: ("goals", "id"),
    layout.PROMISES: ("promises", "id"),
    layout.SOURCES: ("sources", "id"),
    layout.TOPICS: ("topics", "id"),
}
# The files whose records belong to one person by their "handle": a rename follows them.
OWNED_BY_HANDLE = (layout.PROMISES, layout.TOPICS)
WHAT = {
    layout.PEOPLE: "person",
    layout.GOALS: "goal",
    layout.PROMISES: "promise",
    layout.SOURCES: "suggestion",
    layout.TOPICS: "1:1 topic",
}


@dataclass
class Merged:
    """What a merge does here: files to write (None deletes) and what to tell the user."""

    writes: dict[str, Any] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    arrived: int = 0  # entries new here
    changed: int = 0  # entries changed here
    removed: int = 0  # entries removed here
    updated: dict[str, int] = field(default_factory=dict)  # people, goals, promises changed here
    settings: bool = False  # the settings that travel changed here


@dataclass(frozen=True)
class Sides:
    base: Read
    ours: Read
    theirs: Read
    ours_time: int  # when each machine last committed (settings both changed: the later wins)
    theirs_time: int


def _dump(record: Any) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _same(one: Record | None, other: Record | None) -> bool:
    """Equal but for `updated_at`: a rename applied from the other side is not an edit."""
    if one is None or other is None:
        return one is other
    return {k: v for k, v in one.items() if k != "updated_at"} == {
        k: v for k, v in other.items() if k != "updated_at"
    }


def _later(one: Record, other: Record) -> bool:
    """Whether `one` is the later version (by updated_at; a tie by content, both ways alike)."""
    first = (str(one.get("updated_at") or ""), _dump(one))
    second = (str(other.get("updated_at") or ""), _dump(other))
    return first > second


@dataclass
class _Outcome:
    merged: dict[str, Record]
    lost: list[Record]
    notes: list[str]


def _three_way(
    base: dict[str, Record],
    ours: dict[str, Record],
    theirs: dict[str, Record],
    *,
    fieldwise: bool,
    what: str,
    name: Callable[[str], str],
) -> _Outcome:
    outcome = _Outcome({}, [], [])
    for key in sorted(set(base) | set(ours) | set(theirs)):
        old, mine, other = base.get(key), ours.get(key), theirs.get(key)
        if _same(mine, other):
            result = mine if mine is None or other is None or _later(mine, other) else other
        elif _same(mine, old):
            result = other
        elif _same(other, old):
            result = mine
        elif mine is None or other is None:
            result = mine or other
            outcome.notes.append(
                f"kept {what} {name(key)}: deleted on one machine, changed on the other"
            )
        elif fieldwise and old is not None:
            result, lost = _fields(old, mine, other)
            if lost is not None:
                outcome.lost.append(lost)
                outcome.notes.append(
                    f"{what} {name(key)} changed on both machines: later values kept "
                    f"({MERGED_AWAY})"
                )
        else:
            result, lost = (mine, other) if _later(mine, other) else (other, mine)
            outcome.lost.append(lost)
            outcome.notes.append(
                f"{what} {name(key)} changed on both machines: later edit kept ({MERGED_AWAY})"
            )
        if result is not None:
            outcome.merged[key] = result
    return outcome


def _fields(old: Record, mine: Record, other: Record) -> tuple[Record, Record | None]:
    """Field by field; a field both changed takes the later record's value. Returns the merge
    and, when a field truly conflicted, the version that lost there."""
    later, earlier = (mine, other) if _later(mine, other) else (other, mine)
    merged: Record = {}
    conflicted = False
    for name in sorted(set(old) | set(mine) | set(other)):
        if name == "updated_at":
            continue
        a, b, was = mine.get(name), other.get(name), old.get(name)
        if a == b or b == was:
            value = a
        elif a == was:
            value = b
        else:
            value = later.get(name)
            conflicted = True
        if value is not None or name in mine or name in other:
            merged[name] = value
    merged["updated_at"] = max(str(mine.get("updated_at")), str(other.get("updated_at")))
    return merged, (earlier if conflicted else None)


# -- reading the files of one side ---------------------------------------------------------------


def _documents(content: Any, table: str) -> list[tuple[str, Record]]:
    """A TinyDB file's documents in file order, as (document number, record)."""
    documents = content.get(table) if isinstance(content, dict) else None
    if not isinstance(documents, dict):
        return []
    return [(str(number), dict(record)) for number, record in documents.items()]


def _entries(read: Read, partitions: list[str]) -> dict[str, Record]:
    return {
        str(record.get("id")): record
        for path in partitions
        for _, record in _documents(read(path), "entries")
    }


def _keyed(read: Read, path: str) -> dict[str, Record]:
    table, key = TABLES[path]
    return {str(record.get(key)): record for _, record in _documents(read(path), table)}


# -- renames ---------------------------------------------------------------------------------------


def _renames(base: dict[str, Record], side: dict[str, Record]) -> dict[str, str]:
    """Old handle -> new handle, for renames and merges `side` made since base: a person there
    whose `formerly` names a base handle of the same person (the same `created_at`) or of one
    merged into them (gone from `side`), and which the base did not know of yet. (A rename the
    base already holds is history: a new person may since have taken the old handle, and
    created_at, to the second, can be the same.)"""
    found: dict[str, str] = {}
    for handle, person in side.items():
        known = (base.get(handle) or {}).get("formerly") or []
        for old in person.get("formerly") or []:
            was = base.get(old)
            if old == handle or old in known or was is None:
                continue
            # The same person renamed, or another one merged in (its handle gone from side).
            if was.get("created_at") == person.get("created_at") or old not in side:
                found[old] = handle
    return found


def merged_person(into: Record, gone: Record) -> Record:
    """One person from two (`ally people merge`, and a sync applying it): `into` keeps its
    handle and details, takes `gone`'s where its own are blank, both teams, the earlier
    `ally_since`, and every handle either had, `gone`'s own last. `updated_at` is `into`'s."""
    merged = dict(into)
    for key, value in gone.items():
        kept = key in ("handle", "formerly", "created_at", "updated_at", "archived")
        if not kept and value and not merged.get(key):
            merged[key] = value
    teams = list(into.get("teams") or [])
    merged["teams"] = teams + [t for t in gone.get("teams") or [] if t not in teams]
    since = [d for d in (into.get("ally_since"), gone.get("ally_since")) if d]
    merged["ally_since"] = min(since) if since else None
    formerly = list(into.get("formerly") or [])
    for handle in [*(gone.get("formerly") or []), gone["handle"]]:
        if handle not in formerly and handle != into["handle"]:
            formerly.append(handle)
    merged["formerly"] = formerly
    return merged


def _renamed_person(person: Record, new: str) -> Record:
    formerly = list(person.get("formerly") or [])
    if person["handle"] not in formerly:
        formerly.append(person["handle"])
    return {**person, "handle": new, "formerly": formerly}


def _apply_renames(
    renames: dict[str, str],
    entries: dict[str, Record],
    people: dict[str, Record],
    goals: dict[str, Record],
    owned: tuple[dict[str, Record], ...],
    renamer: Renamer,
) -> int:
    """Rewrite one side's records as if `renames` had run there (updated_at untouched); returns
    how many entries changed."""
    touched = 0
    for old, new in renames.items():
        rewrite = renamer(old, new)
        for entry_id, record in list(entries.items()):
            changed = rewrite(Entry.from_record(record))
            if changed is not None:
                entries[entry_id] = {
                    **changed.to_record(),
                    "updated_at": record.get("updated_at"),
                }
                touched += 1
        if old in people and new not in people:
            people[new] = _renamed_person(people.pop(old), new)
        elif old in people:  # merged into someone this side knows too
            people[new] = merged_person(people[new], people.pop(old))
        for goal in goals.values():
            handles = goal.get("people") or []
            if old in handles:
                goal["people"] = list(dict.fromkeys(new if h == old else h for h in handles))
        for records in owned:  # promises and 1:1 topics
            for record in records.values():
                if record.get("handle") == old:
                    record["handle"] = new
    return touched


def _follow_renames(
    entries: tuple[dict[str, Record], ...],
    collections: dict[str, tuple[dict[str, Record], ...]],
    renamer: Renamer,
    report: list[str],
) -> bool:
    """Rewrite each side (base, ours, theirs) as if the other side's new renames had run there
    too; returns whether there were any. Two different renames of one handle are both kept."""
    people = collections[layout.PEOPLE]
    ours_renames = _renames(people[0], people[1])
    theirs_renames = _renames(people[0], people[2])
    fixes: list[tuple[int, dict[str, str]]] = []  # a side's losing rename, turned into the winner
    for old in sorted(set(ours_renames) & set(theirs_renames)):
        mine, other = ours_renames[old], theirs_renames[old]
        if mine != other:
            # The later rename wins on both machines (the same choice on each); the other
            # handle stays among the person's former ones, and no entry counts as an edit.
            later = _later(people[1][mine], people[2][other])
            winner, loser = (mine, other) if later else (other, mine)
            report.append(
                f"@{old} was renamed to @{mine} here and to @{other} on the other machine: "
                f"@{winner}, the later, is kept (`ally people rename {winner} {loser}` if you "
                "prefer the other)"
            )
            fixes.append((2 if later else 1, {loser: winner}))
            del (theirs_renames if later else ours_renames)[old]
    goals = collections[layout.GOALS]

    def owned(index: int) -> tuple[dict[str, Record], ...]:
        return tuple(collections[path][index] for path in OWNED_BY_HANDLE)

    for renames, targets in ((ours_renames, (0, 2)), (theirs_renames, (0, 1))):
        for index in targets if renames else ():
            args = (entries[index], people[index], goals[index], owned(index))
            # A handle the other side renamed since is followed to its new name there.
            own = (ours_renames, theirs_renames)[index - 1] if index else {}
            chained = {old: own.get(new, new) for old, new in renames.items()}
            touched = _apply_renames(chained, *args, renamer)
            if index != 0 and touched:
                where = "there" if index == 2 else "here"
                report += [
                    f"@{old} is @{new} now: entries logged {where} under @{old} follow"
                    for old, new in renames.items()
                ]
    for index, renames in fixes:
        _apply_renames(renames, entries[index], people[index], goals[index], owned(index), renamer)
    return bool(ours_renames or theirs_renames or fixes)


# -- writing ---------------------------------------------------------------------------------------


def _table_content(
    table: str,
    records: list[Record],
    lead: list[tuple[str, Record]],
    key: str,
) -> dict[str, Any] | None:
    """A TinyDB file holding `records`: those the lead side had keep its numbers and order,
    the rest follow in a stable order. None when there are no records."""
    wanted = {str(record.get(key)): record for record in records}
    documents: dict[str, Record] = {}
    numbers = [int(number) for number, _ in lead if number.isdigit()]
    for number, record in lead:
        identity = str(record.get(key))
        if identity in wanted:
            documents[number] = wanted.pop(identity)
    following = max(numbers, default=0) + 1
    for record in sorted(wanted.values(), key=lambda r: (str(r.get("created_at")), _dump(r))):
        documents[str(following)] = record
        following += 1
    return {table: documents} if documents else None


def merge(paths: list[str], sides: Sides, *, renamer: Renamer, now: str) -> Merged:
    """Merge the data files in `paths` (those either side changed since base)."""
    result = Merged()
    partitions = sorted(p for p in paths if layout.partition_key(p) is not None)
    base_e, ours_e, theirs_e = (
        _entries(read, partitions) for read in (sides.base, sides.ours, sides.theirs)
    )
    collections: dict[str, tuple[dict[str, Record], ...]] = {
        path: tuple(_keyed(read, path) for read in (sides.base, sides.ours, sides.theirs))
        for path in TABLES
    }
    here = {path: json.loads(_dump(collections[path][1])) for path in TABLES}  # before renames
    renamed = _follow_renames((base_e, ours_e, theirs_e), collections, renamer, result.report)
    lost: list[tuple[str, Record]] = []
    entries = _three_way(base_e, ours_e, theirs_e, fieldwise=False, what="entry", name=_short)
    result.report += entries.notes
    lost += [("entry", record) for record in entries.lost]
    by_partition: dict[str, list[Record]] = {}
    for record in entries.merged.values():
        by_partition.setdefault(layout.partition(str(record.get("date"))), []).append(record)
    for entry_id in sorted(set(ours_e) | set(entries.merged)):
        before, after = ours_e.get(entry_id), entries.merged.get(entry_id)
        if before is None and after is not None:
            result.arrived += 1
        elif before is not None and after is None:
            # Deleted on the other machine: gone from here too, but kept in merged-away.json
            # (it syncs, so every machine keeps it), whence `ally sync recover` brings it back.
            result.removed += 1
            lost.append((REMOVED, before))
            result.report.append(
                f"entry {_short(entry_id)} was deleted on another machine "
                f"(`ally sync recover {_short(entry_id)}` brings it back)"
            )
        elif before != after:
            result.changed += 1
    for path in sorted(set(partitions) | set(by_partition)):
        mine, other = sides.ours(path), sides.theirs(path)
        lead_content = other if _unchanged_here(path, sides) else mine
        content = _table_content(
            "entries", by_partition.get(path, []), _documents(lead_content, "entries"), "id"
        )
        if content != mine:
            result.writes[path] = content
    for path, (table, key) in TABLES.items():
        if path not in paths and not renamed:
            continue
        base_r, ours_r, theirs_r = collections[path]
        merged = _three_way(
            base_r,
            ours_r,
            theirs_r,
            fieldwise=True,
            what=WHAT[path],
            name=_person_name if path == layout.PEOPLE else _short,
        )
        result.report += merged.notes
        lost += [(WHAT[path], record) for record in merged.lost]
        before = here[path]
        changed = sum(
            not _same(before.get(key), merged.merged.get(key))
            for key in set(before) | set(merged.merged)
        )
        if changed:
            result.updated[WHAT[path]] = changed
        mine = sides.ours(path)
        lead_content = sides.theirs(path) if _unchanged_here(path, sides) else mine
        content = _table_content(
            table, list(merged.merged.values()), _documents(lead_content, table), key
        )
        if content is None and mine is not None:
            content = {table: {}}  # an emptied table keeps its file, as TinyDB leaves it
        if content != mine:
            result.writes[path] = content
    if layout.META in paths:
        marker = _marker(sides)
        if marker != sides.ours(layout.META):
            result.writes[layout.META] = marker
    if layout.CONFIG in paths:
        settings = _settings(sides)
        if settings != sides.ours(layout.CONFIG):
            result.writes[layout.CONFIG] = settings
            result.settings = True
    away = _merged_away(sides, lost, now)
    if away != sides.ours(MERGED_AWAY):
        result.writes[MERGED_AWAY] = away
    return result


def _unchanged_here(path: str, sides: Sides) -> bool:
    """Whether this machine left `path` as it was at the common ancestor."""
    return bool(sides.ours(path) == sides.base(path))


def _person_name(handle: str) -> str:
    return f"@{handle}"


def _short(identity: str) -> str:
    return identity[:7]


def _marker(sides: Sides) -> Any:
    """The format marker: as for any file, a side that changed it wins; two journals started
    apart and synced together keep the older one's (the earlier `created_at`), on both."""
    old, mine, other = (read(layout.META) for read in (sides.base, sides.ours, sides.theirs))
    if mine == other or other == old or other is None:
        return mine
    if mine == old or mine is None:
        return other
    return min(mine, other, key=lambda marker: (str(marker.get("created_at")), _dump(marker)))


def _settings(sides: Sides) -> dict[str, Any] | None:
    """Settings by key; a key both sides changed takes the value of the later side. Only
    the settings that travel are merged: another machine's `editor` is never taken."""
    from allyjournal.core.config import TRAVELLING

    def shared(read: Read, mine: bool) -> dict[str, Any]:
        record = read(layout.CONFIG)
        if not isinstance(record, dict):
            return {}
        return {key: value for key, value in record.items() if mine or key in TRAVELLING}

    old, mine, other = (
        shared(sides.base, False),
        shared(sides.ours, True),
        shared(sides.theirs, False),
    )
    merged: dict[str, Any] = {}
    for key in sorted(set(old) | set(mine) | set(other)):
        a, b, was = mine.get(key, _ABSENT), other.get(key, _ABSENT), old.get(key, _ABSENT)
        if a == b or b == was:
            value = a
        elif a == was:
            value = b
        else:
            later = (sides.ours_time, _dump(a)) > (sides.theirs_time, _dump(b))
            value = a if later else b
        if value is not _ABSENT:
            merged[key] = value
    return merged if merged or sides.ours(layout.CONFIG) is not None else None


_ABSENT: Any = object()


def _merged_away(sides: Sides, lost: list[tuple[str, Record]], now: str) -> list[Record] | None:
    """Versions that lost a merge, newest last: both machines' lists, then this merge's."""
    earliest: dict[str, Record] = {}  # one item per lost version, at its first merge
    items = [item for read in (sides.ours, sides.theirs) for item in read(MERGED_AWAY) or []]
    items += [{"merged_at": now, "what": what, "record": record} for what, record in lost]
    for item in items:
        if not isinstance(item, dict):
            continue
        identity = _dump({**item, "merged_at": ""})
        if identity not in earliest or str(item.get("merged_at")) < str(
            earliest[identity].get("merged_at")
        ):
            earliest[identity] = item
    kept = sorted(earliest.values(), key=lambda item: (str(item.get("merged_at")), _dump(item)))
    return kept or sides.ours(MERGED_AWAY)
