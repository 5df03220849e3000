"""RFC 5545 calendars, through `icalendar`: `ally calendar` writes what falls due as one a
calendar app subscribes to, and `ally suggest --ics` reads the meetings of an exported one.

Each item is an all-day event whose UID stays the same while the thing it stands for does
(`actions/due.Due.uid`), so a refreshed file moves an event instead of adding a second; a
kept promise or a closed goal is simply absent and the app drops it. The weekly review is one
event that repeats on the review day. Text from the journal is shown, never obeyed: control
characters are made visible before the library escapes the rest.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from allyjournal.actions.due import Due
from allyjournal.actions.suggest import Meeting
from allyjournal.core.dates import WEEKDAY_NAMES, Period
from allyjournal.core.errors import BadInput
from allyjournal.core.text import one_line, visible

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


# -- reading a calendar export (`ally suggest --ics`) ----------------------------------------------

MAX_OCCURRENCES = 400  # of one repeating event within a period: a daily stand-up over a year


def meetings(data: bytes, period: Period, mine: frozenset[str]) -> list[Meeting]:
    """The meetings of an RFC 5545 file that fall in `period`: each occurrence of a repeating
    event (its RRULE, less its EXDATEs and the occurrences moved by a RECURRENCE-ID), leaving
    out cancelled ones and those one of `mine` (the user's addresses) declined. The file is
    outside input: one that does not parse is refused in one line."""
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
        events = list(calendar.walk("VEVENT"))
    except (ValueError, KeyError, TypeError, IndexError) as error:
        raise BadInput(
            f"it is not an RFC 5545 calendar ({one_line(str(error))[:80]}); export one "
            "from your calendar app as .ics"
        ) from None
    moved: dict[str, set[date]] = {}
    for event in events:
        if event.get("recurrence-id") is not None:
            moved.setdefault(str(event.get("uid", "")), set()).add(
                _day(event.decoded("recurrence-id"))
            )
    found: list[Meeting] = []
    for event in events:
        try:
            found += _occurrences(event, period, mine, moved)
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            continue  # one malformed event does not hide the rest
    return found


def _occurrences(
    event: Any, period: Period, mine: frozenset[str], moved: dict[str, set[date]]
) -> list[Meeting]:
    if str(event.get("status", "")).upper() == "CANCELLED" or event.get("dtstart") is None:
        return []
    people = _people(event)
    if any(email in mine and declined for email, _, declined in people):
        return []
    uid = str(event.get("uid", "")) or f"{event.get('summary', '')}{event.get('dtstart').to_ical()}"
    start = event.decoded("dtstart")
    days = [_day(start)]
    if event.get("rrule") is not None and event.get("recurrence-id") is None:
        days = _repeats(event, start, period)
        skipped = moved.get(uid, set()) | _exdates(event)
        days = [day for day in days if day not in skipped]
    emails = tuple(email for email, _, _ in people)
    names = tuple(name for _, name, _ in people if name)
    summary = str(event.get("summary", ""))[:500]
    return [
        Meeting(uid=uid, day=day, summary=summary, emails=emails, names=names)
        for day in days
        if day in period
    ]


def _repeats(event: Any, start: date | datetime, period: Period) -> list[date]:
    from dateutil.rrule import rrulestr

    rule = event.get("rrule")
    rules = rule if isinstance(rule, list) else [rule]
    first = start if isinstance(start, datetime) else datetime.combine(start, time())
    low = datetime.combine(period.start, time())
    high = datetime.combine(period.end, time.max)
    if first.tzinfo is not None:
        low, high = low.replace(tzinfo=first.tzinfo), high.replace(tzinfo=first.tzinfo)
    days: list[date] = []
    for one in rules:
        try:
            recurrence = rrulestr(one.to_ical().decode(), dtstart=first, forceset=True)
        except (ValueError, TypeError):
            recurrence = None  # an UNTIL this library cannot compare: the first occurrence only
        if recurrence is None:
            days.append(_day(first))
            continue
        for moment in recurrence.xafter(low, count=MAX_OCCURRENCES, inc=True):
            if moment > high:
                break
            days.append(moment.date())
    return sorted(set(days))


def _exdates(event: Any) -> set[date]:
    listed = event.get("exdate")
    if listed is None:
        return set()
    found: set[date] = set()
    for item in listed if isinstance(listed, list) else [listed]:
        found.update(_day(value.dt) for value in item.dts)
    return found


def _people(event: Any) -> list[tuple[str, str, bool]]:
    """(address, display name, declined) for each attendee and the organizer."""
    listed = event.get("attendee") or []
    addresses = [*(listed if isinstance(listed, list) else [listed])]
    if event.get("organizer") is not None:
        addresses.append(event.get("organizer"))
    people = []
    for address in addresses:
        value = str(address)
        email = value[7:] if value.lower().startswith("mailto:") else value
        params = getattr(address, "params", {})
        name = str(params.get("CN", "")).strip()[:100]
        declined = str(params.get("PARTSTAT", "")).upper() == "DECLINED"
        people.append((email.strip().lower()[:200], name, declined))
    return people


def _day(value: date | datetime) -> date:
    """An event's day where it happens: a time keeps its own zone's date."""
    return value.date() if isinstance(value, datetime) else value
