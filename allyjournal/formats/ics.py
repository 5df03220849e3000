"""`ally calendar`: what falls due as an RFC 5545 calendar a calendar app subscribes to.

Each item is an all-day event whose UID stays the same while the thing it stands for does
(`actions/due.Due.uid`), so a refreshed file moves an event instead of adding a second; a
kept promise or a closed goal is simply absent and the app drops it. The weekly review is one
event that repeats on the review day. Text from the journal is shown, never obeyed: control
characters are made visible before the library escapes the rest.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from allyjournal.actions.due import Due
from allyjournal.core.dates import WEEKDAY_NAMES, Period
from allyjournal.core.text import visible

PRODUCT_ID = "-//allyjournal//ally calendar//EN"
DOMAIN = "allyjournal"


def calendar_ics(
    items: list[Due],
    *,
    today: date,
    period: Period | None = None,
    alarm: time | None = None,
) -> bytes:
    """The calendar of `items`: those in `period` when one is given (the weekly review then
    repeats only inside it); an overdue item on `today`, where it is still to be done; an
    alarm at `alarm` on each event's day when one is asked for."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "allyjournal")
    stamp = datetime.combine(today, time(0, 0), tzinfo=timezone.utc)
    for item in items:
        day = max(item.day, today)  # the review is always the next one, on or after today
        if period is not None and day not in period:
            continue
        event = Event()
        event.add("uid", f"{item.uid}@{DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", visible(_summary(item)))
        if description := _description(item):
            event.add("description", visible(description))
        event.add("categories", [item.kind])
        event.add("transp", "TRANSPARENT")  # a reminder, not time taken
        if item.kind == "review":
            weekday = WEEKDAY_NAMES[item.day.weekday()][:2].upper()
            rule: dict[str, object] = {"freq": "weekly", "byday": weekday}
            if period is not None:
                rule["until"] = period.end
            event.add("rrule", rule)
        if alarm is not None:
            bell = Alarm()
            bell.add("action", "DISPLAY")
            bell.add("description", visible(_summary(item)))
            bell.add("trigger", timedelta(hours=alarm.hour, minutes=alarm.minute))
            event.add_component(bell)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _summary(item: Due) -> str:
    if item.kind == "review":
        return "Weekly review (ally review)"
    return item.title


def _description(item: Due) -> str:
    overdue = f"Overdue since {item.day.isoformat()}." if item.overdue else ""
    return " ".join(part for part in (overdue, item.detail) if part)
