"""`ally recognition HANDLE`: everything you recorded recognising, nominating, sponsoring,
advocating for or opening opportunities to one ally, to hand them (or their manager) at review
time. Recognition "documented where it counts" is recognition that is written down with dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from allyjournal.actions import search
from allyjournal.actions.people import find
from allyjournal.core.dates import Period
from allyjournal.core.models import Entry, Person
from allyjournal.store import Journal

# The kinds of help that recognise someone's work or move their career, in the record's order.
HEADINGS = {
    "recognition": "Recognition",
    "credit": "Credit for their ideas and work",
    "nomination": "Nominations",
    "sponsorship": "Sponsorship",
    "advocacy": "Advocacy",
    "opportunity": "Opportunities",
}
RECOGNISING = tuple(HEADINGS)  # the kinds of help the record gathers, in its order


@dataclass(frozen=True)
class RecognitionRecord:
    person: Person
    period: Period  # clipped to today
    generated: date
    owner: str | None  # `ally config name`, and role, of whoever kept the journal
    role: str | None
    sections: list[tuple[str, list[Entry]]]  # (kind, entries oldest first), non-empty only

    @property
    def count(self) -> int:
        return sum(len(entries) for _, entries in self.sections)


def compute(journal: Journal, handle: str, period: Period, *, today: date) -> RecognitionRecord:
    person = find(journal, handle)
    end = min(period.end, today)
    wanted = search.EntryFilter(start=period.start, end=end, ally=person.handle, kinds=("help",))
    found = [
        entry
        for entry in search.find_entries(journal, wanted)
        if entry.ally == person.handle and entry.help_kind in RECOGNISING
    ]
    found.sort(key=lambda entry: entry.date)
    config = journal.config()
    sections = [
        (kind, [entry for entry in found if entry.help_kind == kind]) for kind in RECOGNISING
    ]
    return RecognitionRecord(
        person=person,
        period=Period(period.start, end, period.label),
        generated=today,
        owner=config.name,
        role=config.role,
        sections=[(kind, entries) for kind, entries in sections if entries],
    )
