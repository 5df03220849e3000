"""`ally export --packet`: a promotion packet, the journal's evidence under a ladder's criteria.

Calibration asks "show me evidence for each criterion of the next level", in the past tense and
with dates; a brag document ordered by time makes the reader do that mapping. The packet does
it with rules the user wrote (formats/ladder.py): each win, help or learning entry goes under
every criterion it matches, entries no rule claims are listed apart (so nothing is hidden), and
criteria with no evidence since a date are called out first, where the user will see the gap
while there is still time to close it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date

from allyjournal.actions.export import Asked, chosen, clipped
from allyjournal.core.dates import Period
from allyjournal.core.models import Criterion, Entry, Ladder, Person

EVIDENCE = ("win", "help", "learning")  # what a packet argues from: your own work
GAP_DAYS = 90  # without --gap-since: a criterion with nothing in a quarter is a gap


@dataclass(frozen=True)
class Evidence:
    criterion: Criterion
    entries: list[Entry]  # oldest first

    @property
    def latest(self) -> date | None:
        return self.entries[-1].date if self.entries else None


@dataclass(frozen=True)
class Packet:
    period: Period  # clipped to today
    generated: date
    owner: str | None
    role: str | None
    ladder: Ladder
    evidence: list[Evidence]  # in the ladder's order
    unmapped: list[Entry]  # evidence no criterion claims, oldest first
    gap_since: date
    people: list[Person]

    @property
    def gaps(self) -> list[Evidence]:
        """Criteria with no evidence on or after `gap_since`."""
        return [e for e in self.evidence if e.latest is None or e.latest < self.gap_since]

    @property
    def count(self) -> int:
        """The entries the packet shows, each once however many criteria it is under."""
        ids = {entry.id for item in self.evidence for entry in item.entries}
        return len(ids | {entry.id for entry in self.unmapped})

    def name(self, handle: str) -> str:
        """How a colleague is written: their name, else the bare handle."""
        return self._names.get(handle) or handle

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        """Names by handle, made once rather than searched for each piece of evidence."""
        return {person.handle: person.name for person in self.people if person.name}


def matches(criterion: Criterion, entry: Entry) -> bool:
    """Whether an entry counts toward a criterion: any of its rules holds."""
    if criterion.tags and any(tag in entry.tags for tag in criterion.tags):
        return True
    if criterion.kinds and (
        entry.kind in criterion.kinds
        or (entry.kind == "help" and entry.help_kind in criterion.kinds)
    ):
        return True
    if criterion.types and entry.work_type in criterion.types:
        return True
    if criterion.words:
        haystack = f"{entry.text}\n{entry.impact or ''}".casefold()
        return any(word in haystack for word in criterion.words)
    return False


def build(
    asked: Asked,
    ladder: Ladder,
    *,
    owner: str | None,
    role: str | None,
    gap_since: date | None = None,
) -> Packet:
    """The packet of the entries asked for, under `ladder`; gaps are criteria with nothing
    since `gap_since` (default: GAP_DAYS before today, never before the period starts)."""
    from datetime import timedelta

    period = clipped(asked.period, asked.today)
    entries, people = chosen(asked, period)
    if asked.anonymize:
        owner = role = None
    found: list[list[Entry]] = [[] for _ in ladder.criteria]
    unmapped: list[Entry] = []
    for entry in sorted((e for e in entries if e.kind in EVIDENCE), key=lambda e: e.date):
        hits = [n for n, criterion in enumerate(ladder.criteria) if matches(criterion, entry)]
        for n in hits:
            found[n].append(entry)
        if not hits:
            unmapped.append(entry)
    since = gap_since or max(period.start, asked.today - timedelta(days=GAP_DAYS))
    return Packet(
        period=period,
        generated=asked.today,
        owner=owner,
        role=role,
        ladder=ladder,
        evidence=[Evidence(c, e) for c, e in zip(ladder.criteria, found, strict=True)],
        unmapped=unmapped,
        gap_since=since,
        people=people,
    )
