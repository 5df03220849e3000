"""What falls due, and when: the one list `ally remind` and `ally calendar` are made from.

A check-in falls due a cadence after the last help logged for the ally (any kind), or after
they became an ally; a promise on its `--by` day; a goal on its due day; the weekly review on
the `review-day` setting; the quarter's nominations `nominations-due` days before it ends.
Every item has a `uid` that does not change while the thing it stands for stays the same, so
a calendar that subscribes to the file moves an event rather than adding a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from allyjournal.actions.people import last_helped
from allyjournal.core.dates import WEEKDAY_NAMES, day_label, parse_cadence, quarter_label
from allyjournal.store import Journal

DUE_KINDS = ("promise", "check-in", "goal", "review", "nominations")
NOMINATIONS_NOTICE = 7  # days before nominations close that `ally remind` starts to say so


@dataclass(frozen=True)
class Due:
    """One thing due on `day`; `overdue` counts the days past it on the day it was computed."""

    kind: str  # one of DUE_KINDS
    uid: str  # stable while the thing stays the same: "promise-<id>", "check-in-<handle>"
    day: date
    title: str  # one line: what is due, in words, with the ally's @handle
    overdue: int
    detail: str = ""  # a sentence more for a calendar event: when the ally was last helped

    def reminder(self, today: date) -> str:
        """The line `ally remind` prints on `today`."""
        if self.kind == "review":
            return f"{self.title}: today (`ally review`)."
        if self.kind == "nominations":
            left = (self.day - today).days
            when = (
                "today"
                if left == 0
                else f"{day_label(self.day)}, in {left} day{'s' if left != 1 else ''}"
            )
            return f"{self.title} {when}. {self.detail}"
        if self.overdue > 0:
            days = f"{self.overdue} day{'s' if self.overdue != 1 else ''}"
            return f"{self.title}: {days} overdue (due {day_label(self.day)})."
        return f"{self.title}: due today."


def compute(journal: Journal, *, today: date) -> list[Due]:
    """Everything open that has a day: promises, check-ins, goals, the next review and the
    next nominations deadline, soonest first."""
    config = journal.config()
    items = _promises(journal, today) + _check_ins(journal, today) + _goals(journal, today)
    items.append(_review(WEEKDAY_NAMES.index(config.review_day), today))
    if config.nominations_due:
        items.append(_nominations(config.nominations_due, today))
    items.sort(key=lambda item: (item.day, DUE_KINDS.index(item.kind), item.uid))
    return items


def reminders(items: list[Due], *, today: date) -> list[Due]:
    """What `ally remind` tells of on `today`: what is due or overdue, the review on its
    day, and nominations from a week before they close."""
    wanted = []
    for item in items:
        if item.kind == "nominations":
            if item.day - timedelta(days=NOMINATIONS_NOTICE) <= today <= item.day:
                wanted.append(item)
        elif item.day <= today:
            wanted.append(item)
    return wanted


def _overdue(day: date, today: date) -> int:
    return max(0, (today - day).days)


def _promises(journal: Journal, today: date) -> list[Due]:
    return [
        Due(
            "promise",
            f"promise-{promise.id}",
            promise.by,
            f'Promise to @{promise.handle}: "{promise.text}"',
            _overdue(promise.by, today),
        )
        for promise in journal.promises()
        if promise.is_open and promise.by is not None
    ]


def _goals(journal: Journal, today: date) -> list[Due]:
    items = []
    for goal in journal.goals():
        if not goal.is_open or goal.due is None:
            continue
        whose = "Shared goal" if goal.mutual else "Goal"
        allies = ", ".join(f"@{handle}" for handle in goal.people)
        items.append(
            Due(
                "goal",
                f"goal-{goal.id}",
                goal.due,
                f'{whose} with {allies}: "{goal.text}"'
                if goal.mutual
                else f'{whose} of {allies}: "{goal.text}"',
                _overdue(goal.due, today),
            )
        )
    return items


def _check_ins(journal: Journal, today: date) -> list[Due]:
    allies = {
        person.handle: person
        for person in journal.people(include_archived=False)
        if person.is_ally and person.check_in
    }
    last = last_helped(journal, set(allies), until=today) if allies else {}
    items = []
    for handle, person in allies.items():
        cadence = parse_cadence(person.check_in)
        start = last.get(handle) or person.ally_since
        if cadence is None or start is None:
            continue
        due = cadence.next_after(start)
        since = f"Last help {day_label(start)}." if handle in last else "No help logged yet."
        items.append(
            Due(
                "check-in",
                f"check-in-{handle}",
                due,
                f"Check in with @{handle} ({cadence.label})",
                _overdue(due, today),
                detail=since,
            )
        )
    return items


def _review(weekday: int, today: date) -> Due:
    day = today + timedelta(days=(weekday - today.weekday()) % 7)
    return Due("review", "review", day, "The week's review", 0)


def _nominations(days_before: int, today: date) -> Due:
    """The next nominations deadline on or after `today`: `days_before` the end of a quarter."""
    quarter = (today.month - 1) // 3
    for step in range(3):
        first_month = (quarter + step) % 4 * 3 + 1
        year = today.year + (quarter + step) // 4
        following = date(year + 1, 1, 1) if first_month == 10 else date(year, first_month + 3, 1)
        deadline = following - timedelta(days=1 + days_before)
        if deadline >= today:
            label = quarter_label(date(year, first_month, 1))
            return Due(
                "nominations",
                f"nominations-{year}-q{first_month // 3 + 1}",
                deadline,
                f"Nominations for {label} close",
                0,
                detail="Draft them with `ally nominate --period "
                + f"{year}-Q{first_month // 3 + 1}`.",
            )
    raise AssertionError("a deadline within three quarters")  # days_before is at most 90
