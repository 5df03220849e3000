"""TEMPORARY minimal dates module; the full one replaces it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta

from allyjournal.errors import DateError

WEEKDAY_NAMES: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> int:
        return (self.end - self.start).days + 1


def today() -> date:
    fixed = os.environ.get("ALLYJOURNAL_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def parse_when(text: str, *, today: date) -> date:
    t = text.strip().lower()
    if t == "today":
        return today
    if t == "yesterday":
        return today - timedelta(days=1)
    if t.startswith("last "):
        wd = parse_weekday(t[5:])
        delta = (today.weekday() - wd) % 7 or 7
        return today - timedelta(days=delta)
    if t.endswith(" days ago"):
        try:
            return today - timedelta(days=int(t.split()[0]))
        except ValueError:
            pass
    try:
        return date.fromisoformat(t)
    except ValueError:
        raise DateError(f"Cannot read date '{text}'") from None


def parse_weekday(text: str) -> int:
    t = text.strip().lower()
    for i, name in enumerate(WEEKDAY_NAMES):
        if len(t) >= 3 and name.startswith(t):
            return i
    raise DateError(f"Cannot read weekday '{text}'")


def week_containing(day: date, week_start: int = 0) -> Period:
    start = day - timedelta(days=(day.weekday() - week_start) % 7)
    return Period(
        start, start + timedelta(days=6), f"Week {(start + timedelta(days=3)).isocalendar()[1]}"
    )


def week_label(week: Period) -> str:
    return f"{week.label} · {week.start:%a} {week.start.day} – {week.end:%a} {week.end.day} {week.end:%b %Y}"


def parse_period(text: str, *, today: date, week_start: int = 0) -> Period:
    t = text.strip().lower()
    if t == "this week":
        return week_containing(today, week_start)
    if t == "last week":
        return week_containing(today - timedelta(days=7), week_start)
    if len(t) == 4 and t.isdigit():
        return Period(date(int(t), 1, 1), date(int(t), 12, 31), t)
    if len(t) == 7 and t[4] == "-":
        y, m = int(t[:4]), int(t[5:])
        end = (date(y + m // 12, m % 12 + 1, 1)) - timedelta(days=1)
        return Period(date(y, m, 1), end, t)
    d = parse_when(text, today=today)
    return Period(d, d, d.isoformat())
