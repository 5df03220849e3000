"""The end-of-week review, computed once. Every output format renders this one result.

Only the reviewed week's entries are read from the partitions; the streak, the twelve-week
chart and the nudges come from the small per-day help index, so a review costs the same on a
ten-year journal as on a new one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from allyjournal.actions.people import last_helped
from allyjournal.actions.status import streak
from allyjournal.core.dates import (
    Period,
    day_label,
    parse_cadence,
    quarter_label,
    week_containing,
    week_label,
)
from allyjournal.core.models import Entry, Person
from allyjournal.core.vocabulary import (
    CAREER_KINDS,
    LEVELS,
    SPONSORSHIP_WINDOW,
    sponsorship_gap,
    words_list,
)
from allyjournal.store import Journal

CHART_WEEKS = 12


@dataclass(frozen=True)
class AllyHelped:
    handle: str
    name: str
    kinds: tuple[str, ...]
    count: int
    latest: Entry


@dataclass(frozen=True)
class WeekTally:
    start: date
    allies: int
    goal_met: bool


@dataclass(frozen=True)
class Nudge:
    reason: str  # "not-helped", "goals", "no-wins"
    handle: str | None
    message: str


@dataclass(frozen=True)
class Review:
    week: Period
    label: str
    goal: int
    allies_helped: int
    goal_met: bool
    in_progress: bool
    streak: int
    allies: list[AllyHelped]
    wins: list[Entry]
    helps: list[Entry]
    reflections: list[Entry]
    history: list[WeekTally]  # oldest first, ending with this week
    nudges: list[Nudge]
    # Helps at each level in the quarter up to the week's end, in the vocabulary's order;
    # empty when no help in it was given a level.
    levels: list[tuple[str, int]] = field(default_factory=list)
    quarter: str = ""
    thanks: list[Entry] = field(default_factory=list)  # help you received (never counted)
    # Allyship you saw someone show another (`ally thanks ana … --for sam`): not help to you.
    witnessed: list[Entry] = field(default_factory=list)
    learned: list[Entry] = field(default_factory=list)  # `ally learned`: work on yourself

    @property
    def to_go(self) -> int:
        return max(0, self.goal - self.allies_helped)


def compute(
    journal: Journal,
    day: date,
    *,
    today: date,
    goal: int | None = None,
) -> Review:
    """Everything the review shows for the week containing `day`."""
    config = journal.config()
    goal = goal or config.goal
    week = week_containing(day, config.week_start_index)
    entries = list(journal.entries(week.start, week.end))
    helps = [entry for entry in entries if entry.kind == "help"]
    wins = [entry for entry in entries if entry.kind == "win"]
    wins.sort(key=lambda entry: not entry.is_big)  # stable: big first, each newest first
    people = {person.handle: person for person in journal.people()}
    chart_start = week.start - timedelta(weeks=CHART_WEEKS - 1)
    # The help index read once for the year the nudges look back on; the chart's weeks are
    # its last twelve.
    year = journal.helps_by_day(week.end - SPONSORSHIP_WINDOW, week.end)
    by_day = {day: handles for day, handles in year.items() if day >= chart_start}
    tallies = journal.week_tallies(config.week_start_index)
    history = [
        WeekTally(start, tallies.get(start, 0), tallies.get(start, 0) >= goal)
        for start in (chart_start + timedelta(weeks=n) for n in range(CHART_WEEKS))
    ]
    allies_helped = len({entry.ally for entry in helps})
    in_progress = week.start <= today <= week.end
    return Review(
        week=week,
        label=week_label(week),
        goal=goal,
        allies_helped=allies_helped,
        goal_met=allies_helped >= goal,
        in_progress=in_progress,
        streak=streak(tallies, week.start, goal, in_progress=in_progress),
        allies=_allies(helps, people),
        wins=wins,
        helps=helps,
        reflections=[entry for entry in entries if entry.kind == "reflection"],
        learned=[entry for entry in entries if entry.kind == "learning"],
        history=history,
        nudges=_nudges(journal, people, wins, week, by_day, year, config.nudge_weeks, today),
        levels=_levels(journal, week.end),
        thanks=[entry for entry in entries if entry.kind == "thanks" and not entry.for_handle],
        witnessed=[entry for entry in entries if entry.kind == "thanks" and entry.for_handle],
        quarter=quarter_label(week.end),
    )


def _levels(journal: Journal, day: date) -> list[tuple[str, int]]:
    """How the quarter's help (up to `day`) spreads over the levels, from the help index."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    counts = journal.levels_between(first, day)
    return [(level, counts[level]) for level in LEVELS if counts.get(level)]


def _allies(helps: list[Entry], people: dict[str, Person]) -> list[AllyHelped]:
    grouped: dict[str, list[Entry]] = {}
    for entry in helps:  # newest first
        grouped.setdefault(entry.ally or "", []).append(entry)
    rows = [
        AllyHelped(
            handle=handle,
            name=people[handle].name if handle in people else "",
            kinds=tuple(dict.fromkeys(entry.help_kind or "other" for entry in group)),
            count=len(group),
            latest=group[0],
        )
        for handle, group in grouped.items()
    ]
    rows.sort(key=lambda row: (-row.count, row.handle))
    return rows


def _promises_due(journal: Journal, week: Period, as_of: date) -> list[Nudge]:
    """Promises made by the end of the week and overdue on `as_of`, the longest overdue
    first: what you said you would do leads the nudges."""
    overdue = [
        promise
        for promise in journal.promises()
        if promise.created_at[:10] <= week.end.isoformat() and promise.overdue_on(as_of)
    ]
    overdue.sort(key=lambda promise: -promise.overdue_on(as_of))
    return [
        Nudge(
            "promise",
            promise.handle,
            f'You promised @{promise.handle} "{promise.text}" by {day_label(promise.by)}: '
            f"{days} day{'s' if days != 1 else ''} overdue.",
        )
        for promise in overdue
        if promise.by and (days := promise.overdue_on(as_of))
    ]


def _check_ins_due(active: dict[str, Person], last: dict[str, date], as_of: date) -> list[Nudge]:
    """Allies whose check-in is overdue on `as_of`, the longest overdue first. The clock starts
    at the last help logged for them (any kind), or when they became an ally."""
    due: list[tuple[date, str, str]] = []
    for handle, person in active.items():
        cadence = parse_cadence(person.check_in) if person.check_in else None
        start = last.get(handle) or person.ally_since
        if cadence is None or start is None:
            continue
        deadline = cadence.next_after(start)
        if deadline < as_of:
            days = (as_of - deadline).days
            since = f"last help {day_label(start)}" if handle in last else "no help logged yet"
            due.append(
                (
                    deadline,
                    handle,
                    f"Check in with @{handle} ({cadence.label}): {since}, "
                    f"{days} day{'s' if days != 1 else ''} overdue.",
                )
            )
    return [Nudge("check-in", handle, message) for _, handle, message in sorted(due)]


def _sponsorship_gaps(year: dict[date, dict[str, list[str]]], active: set[str]) -> list[Nudge]:
    """Allies mentored or given feedback often in the `year` of help and never introduced,
    offered an opportunity, sponsored or nominated."""
    kinds: dict[str, dict[str, int]] = {}
    for handles in year.values():
        for handle, given in handles.items():
            if handle in active:
                counts = kinds.setdefault(handle, {})
                for kind in given:
                    counts[kind] = counts.get(kind, 0) + 1
    nudges = []
    for handle in sorted(kinds):
        if gap := sponsorship_gap(kinds[handle]):
            message = (
                f"@{handle} has had {gap} from you in 12 months, and no intro, opportunity, "
                "sponsorship or nomination: mentored, not yet sponsored."
            )
            nudges.append(Nudge("sponsorship", handle, message))
    return nudges


def _nudges(
    journal: Journal,
    people: dict[str, Person],
    wins: list[Entry],
    week: Period,
    recent: dict[date, dict[str, list[str]]],
    year: dict[date, dict[str, list[str]]],
    nudge_weeks: int,
    as_of: date,
) -> list[Nudge]:
    nudges: list[Nudge] = []
    # Allies of that week only: not people merely mentioned, nor allies made since.
    active = {
        handle: person
        for handle, person in people.items()
        if not person.archived and person.ally_by(week.end)
    }
    last = last_helped(journal, set(active), until=week.end)
    nudges += _promises_due(journal, week, min(as_of, week.end))
    nudges += _check_ins_due(active, last, min(as_of, week.end))
    overdue = week.end - timedelta(weeks=nudge_weeks)
    for handle in sorted(active, key=lambda h: last.get(h, date.min)):
        if active[handle].check_in:
            continue  # their own cadence says when help is due (above)
        when = last.get(handle)
        if when is None:
            nudges.append(
                Nudge("not-helped", handle, f"You have not logged any help for @{handle} yet.")
            )
        elif when <= overdue:
            weeks = (week.end - when).days // 7
            nudges.append(
                Nudge(
                    "not-helped",
                    handle,
                    f"You last helped @{handle} {weeks} week{'s' if weeks != 1 else ''} ago "
                    f"({day_label(when)}).",
                ),
            )
    nudges += _sponsorship_gaps(year, set(active))
    for goal in journal.goals():
        allies = [handle for handle in goal.people if handle in active]
        if not goal.is_open or not allies or goal.created_at[:10] > week.end.isoformat():
            continue  # closed, about no ally of that week, or set after it
        try:
            set_on = date.fromisoformat(goal.created_at[:10])
        except ValueError:
            set_on = week.end - timedelta(weeks=CHART_WEEKS)
        age = (week.end - set_on).days // 7
        if age < nudge_weeks:
            continue  # too new to say it has been neglected
        acted = any(
            kind in CAREER_KINDS
            for kinds in recent.values()
            for handle in allies
            for kind in kinds.get(handle, [])
        )
        if not acted:
            whose = (
                f"Your shared goal with {', '.join('@' + h for h in allies)}"
                if goal.mutual
                else f"@{allies[0]}'s goal"
            )
            nudges.append(
                Nudge(
                    "goals",
                    allies[0],
                    f'{whose} "{goal.text}" has seen no {words_list(CAREER_KINDS)} '
                    + (
                        f"in {CHART_WEEKS} weeks."
                        if age >= CHART_WEEKS
                        else f"since it was set, {age} weeks ago ({day_label(set_on)})."
                    ),
                )
            )
    if not people and not wins and journal.is_empty():
        nudges.append(
            Nudge(
                "start",
                None,
                'Your journal is empty. Log help with `ally helped maya "Asked how I can help"` '
                'and a win with `ally win "Shipped the fix"`; `ally demo` shows a sample week.',
            )
        )
    elif not wins:
        nudges.append(Nudge("no-wins", None, "No wins logged this week. Small ones count too."))
    return nudges
