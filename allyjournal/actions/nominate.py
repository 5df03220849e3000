"""`ally nominate`: drafts of "Allyship in Action" nominations, from the help you recorded
others giving (`ally thanks`), you or someone else. Every sentence is put together from
entries; nothing is praised that the journal does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from allyjournal.actions import search
from allyjournal.actions.people import find
from allyjournal.core.dates import Period
from allyjournal.core.models import Entry, Person
from allyjournal.store import Journal


@dataclass(frozen=True)
class Nominee:
    person: Person
    evidence: list[Entry]  # thanks entries, newest first

    @property
    def helped_others(self) -> list[str]:
        """The people they were seen helping (thanks --for), first seen first."""
        return list(dict.fromkeys(e.for_handle for e in reversed(self.evidence) if e.for_handle))


@dataclass(frozen=True)
class Nominations:
    period: Period
    generated: date
    nominees: list[Nominee]  # most evidence first


def compute(journal: Journal, period: Period, handles: list[str], *, today: date) -> Nominations:
    everyone = journal.people()
    chosen = [find(journal, handle, people=everyone).handle for handle in handles]
    end = min(period.end, today)
    wanted = search.EntryFilter(start=period.start, end=end, kinds=("thanks",))
    by_person: dict[str, list[Entry]] = {}
    for entry in search.find_entries(journal, wanted):
        if entry.ally and (not chosen or entry.ally in chosen):
            by_person.setdefault(entry.ally, []).append(entry)
    people = {person.handle: person for person in everyone}
    nominees = [
        Nominee(people.get(handle) or Person(handle), entries)
        for handle, entries in by_person.items()
    ]
    nominees.sort(
        key=lambda n: (-len(n.evidence), -n.evidence[0].date.toordinal(), n.person.handle)
    )
    return Nominations(Period(period.start, end, period.label), today, nominees)
