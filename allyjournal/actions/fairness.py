"""`ally fairness`: the manager's opportunity report. Managers can hand the new and
interesting work to the same person without noticing; this shows, for a team over a period,
who received opportunities, sponsorships, nominations and recognition from you, each person's
share against an even one, the trend by quarter, and plain-language flags. People on the team
who received nothing are listed too: they are the point.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from dateutil.relativedelta import relativedelta

from allyjournal.actions.people import check_team
from allyjournal.core.dates import Period, day_label, quarter_label
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Person
from allyjournal.core.vocabulary import HELP_KINDS, choose
from allyjournal.store import Journal

FAIR_KINDS = ("opportunity", "sponsorship", "nomination", "recognition")
MIN_WINDOW = 4  # fewer recent ones than this say nothing about a skew


class Given(NamedTuple):
    """One help given, as the help index knows it."""

    day: date
    handle: str
    kind: str


@dataclass(frozen=True)
class FairRow:
    person: Person
    counts: dict[str, int]  # by kind, in the report's kinds
    by_quarter: list[int]  # in the report's quarters

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Fairness:
    period: Period
    team: str | None
    kinds: tuple[str, ...]
    quarters: list[str]  # 'Q3 2026', oldest first
    rows: list[FairRow]  # most received first; those with none last
    flags: list[str]
    # The housework ledger (`--housework`): chores each person did, not help they received.
    housework: bool = False
    next_up: str | None = None  # who is next in the rotation: the fewest chores, longest ago

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)

    @property
    def even_share(self) -> float:
        """What each person would have with everything shared evenly."""
        return self.total / len(self.rows) if self.rows else 0.0


def default_period(today: date) -> Period:
    """The last two quarters: the one before this and this one, up to today."""
    this = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    return Period(this - relativedelta(months=3), today, "last two quarters")


def parse_kinds(typed: str | None) -> tuple[str, ...]:
    if not typed:
        return FAIR_KINDS
    kinds = [choose(word.strip(), HELP_KINDS, "kind of help") for word in typed.split(",")]
    return tuple(dict.fromkeys(kind for kind in kinds if kind))


def compute(
    journal: Journal,
    period: Period,
    *,
    team: str | None,
    kinds: tuple[str, ...],
    today: date,
) -> Fairness:
    config = journal.config()
    chosen = check_team(journal, team) if team else None
    people = [
        p
        for p in journal.people(include_archived=False)
        if p.is_ally and (chosen is None or chosen in p.teams)
    ]
    if not people:
        raise BadInput("There are no allies to compare yet; `ally people add HANDLE` adds one.")
    end = min(period.end, today)
    handles = {p.handle for p in people}
    # From the help index: who was helped how on each day, without reading an entry.
    given = [
        Given(day, handle, kind)
        for day, helped in sorted(journal.helps_by_day(period.start, end).items())
        for handle, how in sorted(helped.items())
        if handle in handles
        for kind in how
        if kind in kinds
    ]
    quarters = _quarters(period.start, end)
    rows = []
    for person in people:
        mine = [g for g in given if g.handle == person.handle]
        rows.append(
            FairRow(
                person,
                {kind: sum(g.kind == kind for g in mine) for kind in kinds},
                [sum(quarter_label(g.day) == q for g in mine) for q in quarters],
            )
        )
    rows.sort(key=lambda row: (-row.total, row.person.handle))
    flags = _skews(given, kinds, config.fairness_window, config.fairness_share, "received")
    since = day_label(period.start)
    flags += [f"@{row.person.handle} has had none since {since}." for row in rows if not row.total]
    return Fairness(Period(period.start, end, period.label), chosen, kinds, quarters, rows, flags)


def _quarters(start: date, end: date) -> list[str]:
    labels: list[str] = []
    day = date(start.year, 3 * ((start.month - 1) // 3) + 1, 1)
    while day <= end:
        labels.append(quarter_label(day))
        day += relativedelta(months=3)
    return labels


def _skews(
    given: list[Given], kinds: tuple[str, ...], window: int, share: int, verb: str
) -> list[str]:
    """'@li received 4 of the last 6 opportunities.' (or '@ana did 5 of the last 6 chores.')
    when one person has at least `share` percent of the latest `window` of a kind (and there
    are at least MIN_WINDOW of them)."""
    flags = []
    for kind in kinds:
        latest = [g for g in given if g.kind == kind][-window:]
        if len(latest) < MIN_WINDOW:
            continue
        counts: dict[str, int] = {}
        for one in latest:
            counts[one.handle] = counts.get(one.handle, 0) + 1
        top, count = max(counts.items(), key=lambda item: (item[1], item[0]))
        if count * 100 >= share * len(latest):
            plural = {"opportunity": "opportunities", "sponsorship": "sponsorships"}.get(
                kind, f"{kind}s"
            )
            flags.append(f"@{top} {verb} {count} of the last {len(latest)} {plural}.")
    return flags


def housework(journal: Journal, period: Period, *, team: str | None, today: date) -> Fairness:
    """Who did the team's chores (`ally chore`) over `period`, against an even share, with
    a flag when one person did most of the latest, and who is next in the rotation: the one
    with the fewest, the longest since their last (then by handle). The team is everyone on
    it, allies or not; without --team, your allies and anyone who did a chore."""
    config = journal.config()
    chosen = check_team(journal, team) if team else None
    end = min(period.end, today)
    chores = [e for e in journal.entries(period.start, end) if e.kind == "chore" and e.ally]
    doers = {str(e.ally) for e in chores}
    people = [
        p
        for p in journal.people(include_archived=False)
        if (chosen in p.teams if chosen else p.is_ally or p.handle in doers)
    ]
    if not people:
        raise BadInput(
            "Nobody to share the housework among yet; `ally people edit HANDLE --team T` puts "
            'people on a team, `ally chore HANDLE "Took the notes"` counts a chore.'
        )
    handles = {p.handle for p in people}
    given = sorted(
        (Given(e.date, str(e.ally), "chore") for e in chores if e.ally in handles),
        key=lambda g: (g.day, g.handle),
    )
    quarters = _quarters(period.start, end)
    rows = [
        FairRow(
            person,
            {"chore": sum(g.handle == person.handle for g in given)},
            [
                sum(g.handle == person.handle and quarter_label(g.day) == q for g in given)
                for q in quarters
            ],
        )
        for person in people
    ]
    rows.sort(key=lambda row: (-row.total, row.person.handle))
    last = {g.handle: g.day for g in given}  # oldest first, so each handle's latest wins
    nxt = min(rows, key=lambda r: (r.total, last.get(r.person.handle, date.min), r.person.handle))
    flags = _skews(given, ("chore",), config.fairness_window, config.fairness_share, "did")
    when = last.get(nxt.person.handle)
    since = f", the last on {day_label(when)}" if when else ""
    flags.append(f"Next in the rotation: @{nxt.person.handle} ({nxt.total} in this period{since}).")
    return Fairness(
        Period(period.start, end, period.label),
        chosen,
        ("chore",),
        quarters,
        rows,
        flags,
        housework=True,
        next_up=nxt.person.handle,
    )
