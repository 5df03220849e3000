"""`ally together HANDLE`: everything you and one colleague did together, for a peer review.

A peer asked to review you (or you them) needs "what did we work on, and how did we help each
other", with dates. The journal already knows: wins that mention them, help you gave them,
help they gave you or others (`ally thanks`), their chores you logged, goals you share and
promises you made them. This gathers it for one period, each part oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from allyjournal.actions import search
from allyjournal.actions.export import clipped
from allyjournal.actions.people import find
from allyjournal.core.dates import Period
from allyjournal.core.models import Entry, Goal, Person, Promise
from allyjournal.store import Journal


@dataclass(frozen=True)
class Together:
    person: Person
    period: Period  # clipped to today
    generated: date
    owner: str | None
    role: str | None
    wins: list[Entry] = field(default_factory=list)  # your wins that mention them
    given: list[Entry] = field(default_factory=list)  # help you gave them
    received: list[Entry] = field(default_factory=list)  # thanks: help they gave you
    seen: list[Entry] = field(default_factory=list)  # thanks: help they gave someone else
    chores: list[Entry] = field(default_factory=list)  # the team's housework they did
    goals: list[Goal] = field(default_factory=list)  # goals that name them, open or closed
    promises: list[Promise] = field(default_factory=list)  # promises to them in the period

    @property
    def count(self) -> int:
        return (
            len(self.wins)
            + len(self.given)
            + len(self.received)
            + len(self.seen)
            + len(self.chores)
        )

    @property
    def empty(self) -> bool:
        return not (self.count or self.goals or self.promises)


def compute(journal: Journal, handle: str, period: Period, *, today: date) -> Together:
    person = find(journal, handle)
    span = clipped(period, today)
    wanted = search.EntryFilter(start=span.start, end=span.end, ally=person.handle)
    found = sorted(search.find_entries(journal, wanted), key=lambda entry: entry.date)
    config = journal.config()
    mine = person.handle

    def kept(entry: Entry, kind: str) -> bool:
        return entry.kind == kind and mine in entry.people

    return Together(
        person=person,
        period=span,
        generated=today,
        owner=config.name,
        role=config.role,
        wins=[e for e in found if kept(e, "win")],
        given=[e for e in found if kept(e, "help") and e.ally == mine],
        received=[e for e in found if kept(e, "thanks") and e.ally == mine and not e.for_handle],
        seen=[e for e in found if kept(e, "thanks") and e.ally == mine and e.for_handle],
        chores=[e for e in found if kept(e, "chore") and e.ally == mine],
        goals=[
            goal
            for goal in journal.goals()
            if mine in goal.people and _during(goal.created_at, goal.closed_on, span)
        ],
        promises=[
            promise
            for promise in journal.promises()
            if promise.handle == mine and _during(promise.created_at, promise.closed_on, span)
        ],
    )


def _during(created_at: str, closed: date | None, span: Period) -> bool:
    """Whether a goal or promise was alive at some point of the period (`created_at` is the
    stored moment it was made)."""
    return created_at[:10] <= span.end.isoformat() and (closed is None or closed >= span.start)
