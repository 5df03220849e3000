"""Dates and periods as people type them, and the weeks the review is built on.

dateutil (parser, relativedelta) does the calendar work, imported only when a typed date is
actually read, so `ally win` without `--date` never pays for it. Parsing is strict on purpose:
dateutil alone would read "3" or "at" as a date, and a journal must not guess.
"""

from __future__ import annotations

import functools
import os
import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, NamedTuple

from allyjournal.core.errors import DateError

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

WEEKDAY_NAMES: tuple[str, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
# Patterns stay strings, compiled by `re` on first use and cached there, so importing this
# module (every command does, for today()) costs nothing for the dates it does not parse.
MONTHS = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
WHEN_EXAMPLES = (
    "today, yesterday, last friday, 3 days ago, 2 weeks ago, 2026-11-03, Nov 3, 3 Nov 2026"
)
DUE_EXAMPLES = (
    "friday, next week, in 2 weeks, end of month, end of quarter, march, 2026-12-18, Dec 18"
)
PERIOD_EXAMPLES = (
    "this week, last week, 2026-W45, this month, last month, 2026-Q3, last quarter, "
    "2026-H1, 2026, last 90 days"
)
VOCABULARY = (
    "today",
    "yesterday",
    "tomorrow",
    *WEEKDAY_NAMES,
    *(f"last {name}" for name in WEEKDAY_NAMES),
    *(f"this {name}" for name in WEEKDAY_NAMES),
    "this week",
    "last week",
    "this month",
    "last month",
    "this quarter",
    "last quarter",
    "this year",
    "last year",
)
UNITS = {"day": "days", "week": "weeks", "month": "months", "year": "years"}
IN_N = r"^in\s+(\d{1,4}|an?|one|two|three|four|five|six)\s+(day|week|month|year)s?$"
END_OF = r"^(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+|next\s+)?(week|month|quarter|year)$"
NEXT_SPAN = r"^next\s+(week|month|quarter|year)$"
A_MONTH = rf"^(?:in\s+|by\s+|(?:by\s+)?(?:the\s+)?end\s+of\s+)?{MONTHS}$"
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
AGO = r"^(\d{1,5}|an?|one)\s+(day|week|month|year)s?\s+ago$"
LAST_N = r"^(?:last|past)\s+(\d{1,5})\s+(day|week|month|year)s?$"
NAMED_DAY = r"^(?:(last|this|next|on)\s+)?([a-z]+)$"
ISO_DAY = r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$"
MONTH_DAY = rf"^(?:{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?|\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS})(?:,?\s+(\d{{4}}))?$"
ISO_WEEK = r"^(\d{4})-?w(\d{1,2})$"
QUARTER = r"^(\d{4})-?q([1-4])$"
HALF = r"^(\d{4})-?h([12])$"
YEAR = r"^(\d{4})$"
YEAR_MONTH = r"^(\d{4})-(\d{1,2})$"
MONTH_YEAR = rf"^{MONTHS}\s+(\d{{4}})$"


class Period(NamedTuple):
    """A span of days, both ends included, with the label a person would use for it.

    A NamedTuple rather than a dataclass: every command imports this module, and a named
    tuple costs a tenth of a dataclass to define.
    """

    start: date
    end: date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> int:
        return (self.end - self.start).days + 1


def today() -> date:
    """Today, unless ALLYJOURNAL_TODAY fixes the clock (tests, demos, screenshots)."""
    fixed = os.environ.get("ALLYJOURNAL_TODAY")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            raise DateError(f"ALLYJOURNAL_TODAY='{fixed}' is not a date like 2026-11-23.") from None
    return date.today()


def _clean(text: str) -> str:
    return " ".join(text.strip().lower().split())


def _fail(kind: str, text: str, examples: str) -> DateError:
    import difflib

    shown = text if len(text) <= 60 else text[:57] + "..."
    close = difflib.get_close_matches(_clean(text), VOCABULARY, n=1, cutoff=0.75)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return DateError(f"Cannot read {kind} '{shown}'{hint}: try {examples}.")


def parse_weekday(text: str) -> int:
    """'monday', 'mon', 'Sunday' -> 0..6."""
    wanted = _clean(text)
    if len(wanted) >= 2:
        matches = [i for i, name in enumerate(WEEKDAY_NAMES) if name.startswith(wanted)]
        if len(matches) == 1:
            return matches[0]
    raise DateError(f"Cannot read day of the week '{text}': try monday, sunday or another day.")


def parse_when(text: str, *, today: date, ahead: bool = False, week_start: int = 0) -> date:
    """One day, from the ways people say it; raises DateError naming the text otherwise.

    The direction is the question's. By default the day is when something happened, so an
    ambiguous name looks back: `friday` is the latest Friday, `Nov 3` the latest Nov 3. With
    `ahead` it is when something is due, so the same names look forward (`friday` is the
    coming Friday, today if it is one; `Nov 3` the next one), and the phrases of deadlines
    are read too: `next week` and `end of month` (the last day of that span), `in 2 weeks`,
    `march` (the end of the coming March)."""
    cleaned = _clean(text)
    try:
        day = _parse_due(cleaned, today, week_start) if ahead else None
        if day is None:
            day = _parse_when(cleaned, today, ahead=ahead)
    except (ValueError, OverflowError):
        day = None
    if day is None:
        raise _fail("date", text, DUE_EXAMPLES if ahead else WHEN_EXAMPLES)
    return day


def _parse_due(text: str, today: date, week_start: int) -> date | None:
    """The phrases only a deadline uses; None for anything else."""
    if match := re.match(IN_N, text):
        count = _COUNTS.get(match[1]) or int(match[1])
        return today + _length(match[2], count)
    if match := re.match(END_OF, text):
        span = _span_of(match[1], today, week_start)
        if "next" in text.split():
            span = _span_of(match[1], span.end + timedelta(days=1), week_start)
        return span.end
    if match := re.match(NEXT_SPAN, text):
        this = _span_of(match[1], today, week_start)
        return _span_of(match[1], this.end + timedelta(days=1), week_start).end
    if match := re.match(A_MONTH, text):
        from dateutil import parser

        month = parser.parse(match[1], default=datetime(today.year, 1, 1)).month
        year = today.year if month >= today.month else today.year + 1
        return _months(date(year, month, 1), 1, "").end
    return None


def _span_of(unit: str, day: date, week_start: int) -> Period:
    """The week, month, quarter or year containing `day`."""
    if unit == "week":
        return week_containing(day, week_start)
    if unit == "month":
        return _months(date(day.year, day.month, 1), 1, "")
    if unit == "quarter":
        return _months(date(day.year, 3 * ((day.month - 1) // 3) + 1, 1), 3, "")
    return _months(date(day.year, 1, 1), 12, "")


def _parse_when(text: str, today: date, *, ahead: bool = False) -> date | None:
    simple = {"today": 0, "yesterday": 1, "tomorrow": -1}
    if text in simple:
        return today - timedelta(days=simple[text])
    if match := re.match(AGO, text):
        count = 1 if match[1] in ("a", "an", "one") else int(match[1])
        return today - _length(match[2], count)
    if match := re.match(NAMED_DAY, text):
        if ahead and match[1] in (None, "on"):
            named = _named_weekday(None, match[2], today)
            return None if named is None else named + timedelta(days=7 if named < today else 0)
        return _named_weekday(match[1], match[2], today)
    if match := re.match(ISO_DAY, text):
        return date(int(match[1]), int(match[2]), int(match[3]))
    if match := re.match(MONTH_DAY, text):
        from dateutil import parser

        has_year = match.group(match.re.groups) is not None
        day = parser.parse(text, default=parser.parse(f"{today.year}-01-01")).date()
        typed_day = re.search(r"(?<!\d)(\d{1,2})(?!\d)", text)
        if typed_day is None or int(typed_day[1]) != day.day:
            return None  # dateutil read the number as something else, e.g. "32 Nov" as 2032
        if not has_year and not ahead and day > today:
            day = day.replace(year=day.year - 1)  # a journal logs the past
        if not has_year and ahead and day < today:
            day = day.replace(year=day.year + 1)  # and a deadline is to come
        return day
    return None


def _named_weekday(qualifier: str | None, name: str, today: date) -> date | None:
    try:
        weekday = parse_weekday(name) if len(name) >= 3 else None
    except DateError:
        return None
    if weekday is None:
        return None
    if qualifier == "this":
        return today - timedelta(days=today.weekday()) + timedelta(days=weekday)
    if qualifier == "next":  # that day of next week, as "last friday" is of the one before
        return today - timedelta(days=today.weekday() - 7) + timedelta(days=weekday)
    back = (today.weekday() - weekday) % 7
    if qualifier == "last" and back == 0:
        back = 7
    return today - timedelta(days=back)


def first_day_of_week(day: date, week_start: int = 0) -> date:
    """The day the week holding `day` begins, weeks starting on `week_start` (0 = Monday …
    6 = Sunday): the one rule every week count (review, indexes, exports) uses."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def week_containing(day: date, week_start: int = 0) -> Period:
    """The seven days holding `day`, starting on `week_start` (0 = Monday … 6 = Sunday)."""
    start = first_day_of_week(day, week_start)
    # Numbered by the ISO week of the week's fourth day, so a Monday week gets its ISO number
    # and a Sunday week the number of the ISO week holding most of its days.
    number = (start + timedelta(days=3)).isocalendar()[1]
    return Period(start, start + timedelta(days=6), f"Week {number}")


def week_label(week: Period) -> str:
    """'Week 47 · Mon 16 – Sun 22 Nov 2026', naming month and year only where they change."""
    return f"{week.label} · {span_label(week.start, week.end, weekdays=True)}"


def parse_period(text: str, *, today: date, week_start: int = 0) -> Period:
    """A span of days: named periods, rolling windows, or any single WHEN."""
    cleaned = _clean(text)
    try:
        period = _parse_period(cleaned, today, week_start)
    except (ValueError, OverflowError):
        period = None
    if period is not None:
        return period
    try:
        day = parse_when(text, today=today)
    except DateError:
        raise _fail("period", text, PERIOD_EXAMPLES) from None
    return Period(day, day, day.isoformat())


def _parse_period(text: str, today: date, week_start: int) -> Period | None:
    from dateutil.relativedelta import relativedelta

    if text in ("this week", "last week"):
        week = week_containing(today - timedelta(days=7 if text == "last week" else 0), week_start)
        return Period(week.start, week.end, text)
    if match := re.match(ISO_WEEK, text):
        start = date.fromisocalendar(int(match[1]), int(match[2]), 1)
        return Period(start, start + timedelta(days=6), f"{match[1]}-W{int(match[2]):02d}")
    if text in ("this month", "last month"):
        first = today.replace(day=1) - relativedelta(months=1 if text == "last month" else 0)
        return _months(first, 1, f"{first:%B %Y}")
    if (match := re.match(YEAR_MONTH, text)) or (match := re.match(MONTH_YEAR, text)):
        if match.re.pattern == YEAR_MONTH:
            first = date(int(match[1]), int(match[2]), 1)
        else:
            from dateutil import parser

            first = parser.parse(f"1 {text}").date().replace(day=1)
        return _months(first, 1, f"{first:%B %Y}")
    if text in ("this quarter", "last quarter"):
        first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        first -= relativedelta(months=3 if text == "last quarter" else 0)
        return _months(first, 3, f"{first.year}-Q{(first.month - 1) // 3 + 1}")
    if match := re.match(QUARTER, text):
        first = date(int(match[1]), 3 * int(match[2]) - 2, 1)
        return _months(first, 3, f"{match[1]}-Q{match[2]}")
    if match := re.match(HALF, text):
        first = date(int(match[1]), 1 if match[2] == "1" else 7, 1)
        return _months(first, 6, f"{match[1]}-H{match[2]}")
    if text in ("this year", "last year") or re.match(YEAR, text):
        year = int(text) if text.isdigit() else today.year - (text == "last year")
        return Period(date(year, 1, 1), date(year, 12, 31), str(year))
    if match := re.match(LAST_N, text):
        count = int(match[1])
        if count < 1:
            return None
        start = today - _length(match[2], count) + timedelta(days=1)
        return Period(start, today, f"last {count} {UNITS[match[2]] if count > 1 else match[2]}")
    return None


def _length(unit: str, count: int) -> relativedelta:
    """`count` days, weeks, months or years, with calendar-aware month and year arithmetic."""
    from dateutil.relativedelta import relativedelta

    return relativedelta(
        days=count if unit == "day" else 0,
        weeks=count if unit == "week" else 0,
        months=count if unit == "month" else 0,
        years=count if unit == "year" else 0,
    )


def _months(first: date, count: int, label: str) -> Period:
    from dateutil.relativedelta import relativedelta

    return Period(first, first + relativedelta(months=count) - timedelta(days=1), label)


# -- cadences: how often you mean to check in ------------------------------------------------

CADENCE_EXAMPLES = "weekly, every 2 weeks, monthly, every 3 months, or none"
_EVERY = re.compile(r"^every\s+(\d{1,2})\s+(week|month)s?$")


class Cadence(NamedTuple):
    """Every `every` weeks or months."""

    every: int
    unit: str  # "week" or "month"

    @property
    def label(self) -> str:
        if self.every == 1:
            return "weekly" if self.unit == "week" else "monthly"
        return f"every {self.every} {self.unit}s"

    def next_after(self, day: date) -> date:
        """The day the next check-in is due after one on `day`."""
        if self.unit == "week":
            return day + timedelta(weeks=self.every)
        from dateutil.relativedelta import relativedelta

        return day + relativedelta(months=self.every)


def parse_cadence(text: str) -> Cadence | None:
    """'weekly', 'every 2 weeks', 'monthly', 'every 3 months'; None for 'none' or ''."""
    words = " ".join(text.lower().split())
    if words in ("", "none", "never", "off"):
        return None
    named = {
        "weekly": Cadence(1, "week"),
        "every week": Cadence(1, "week"),
        "biweekly": Cadence(2, "week"),
        "fortnightly": Cadence(2, "week"),
        "monthly": Cadence(1, "month"),
        "every month": Cadence(1, "month"),
        "quarterly": Cadence(3, "month"),
    }
    if words in named:
        return named[words]
    match = _EVERY.match(words)
    if match and 1 <= int(match[1]) <= (52 if match[2] == "week" else 12):
        return Cadence(int(match[1]), match[2])
    raise DateError(f"Cannot read check-in cadence '{text}': try {CADENCE_EXAMPLES}.")


# -- writing dates: one way per context -----------------------------------------------------
# Long, in sentences and headings: "Mon 23 Nov 2026" (a span: "1 Oct – 23 Nov 2026"; a moment:
# "Mon 23 Nov 2026, 14:05"). Short, in table columns and lists: "Mon 23 Nov". ISO
# ("2026-11-23") only in JSON, CSV and tab-separated output meant for scripts. Every command
# and format writes dates through these functions; tests/test_dates.py holds them to it.


def day_label(day: date) -> str:
    """A day in a sentence or heading: 'Mon 23 Nov 2026'."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def short_day(day: date, *, aligned: bool = True, this_year: int | None = None) -> str:
    """A day in a table column or a list: 'Mon 23 Nov', with the year only when it is not this
    year's; `aligned` pads the day of the month so a column of dates lines up. A caller that
    writes thousands of days passes `this_year` (today's year) once worked out: reading the
    clock's setting from the environment costs more than writing the day."""
    if this_year is None:
        this_year = _this_year(os.environ.get("ALLYJOURNAL_TODAY"), date.today())
    return _short_day(day, aligned, this_year)


@functools.lru_cache(maxsize=4096)
def _short_day(day: date, aligned: bool, this_year: int) -> str:
    """`short_day`, written once per day: an export of a year shows each day many times, and
    strftime is most of the cost."""
    number = f"{day.day:>2}" if aligned else str(day.day)
    if day.year == this_year:
        return f"{day:%a} {number} {day:%b}"
    return f"{day:%a} {number} {day:%b %Y}"


@functools.lru_cache(maxsize=4)
def _this_year(fixed: str | None, real: date) -> int:
    """Today's year for `short_day`, worked out once per clock (an export shows thousands of
    days); the arguments are what `today()` reads, so a changed clock is seen at once."""
    return today().year


def span_label(start: date, end: date, *, weekdays: bool = False) -> str:
    """A span of days in a heading: '1 Oct – 23 Nov 2026', '28 Dec 2025 – 3 Jan 2026', or one
    day as '23 Nov 2026'; month and year are written once when both ends share them.
    `weekdays` names the days too: 'Mon 16 – Sun 22 Nov 2026'."""

    def written(day: date, month: bool, year: bool) -> str:
        text = f"{day:%a} {day.day}" if weekdays else str(day.day)
        return text + (f" {day:%b}" if month else "") + (f" {day.year}" if year else "")

    if start == end and not weekdays:
        return written(end, True, True)
    new_year = start.year != end.year
    first = written(start, new_year or start.month != end.month, new_year)
    return f"{first} – {written(end, True, True)}"


def month_label(day: date) -> str:
    """A month as a heading: 'November 2026'."""
    return f"{day:%B %Y}"


def month_short(day: date) -> str:
    """A month under a chart's bar: 'Nov'."""
    return f"{day:%b}"


def quarter_label(day: date) -> str:
    """A quarter as a heading: 'Q4 2026'."""
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def moment_label(stamp: str) -> str:
    """A stored UTC timestamp in the reader's own time zone: 'Mon 23 Nov 2026, 14:05'. A stamp
    that cannot be read is shown as stored rather than hidden."""
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(stamp).astimezone()
    except ValueError:
        return stamp
    return f"{day_label(moment.date())}, {moment:%H:%M}"


def parse_clock(text: str) -> time:
    """A time of day typed as '16:00' or '9:30' (a timer's, an alarm's)."""
    try:
        hour, minute = text.split(":")
        if len(minute) != 2:
            raise ValueError
        return time(int(hour), int(minute))
    except ValueError:
        raise DateError(f"Cannot read time of day '{text}': try 16:00 or 9:30.") from None


def clock_label(moment: time) -> str:
    """A time of day, 24-hour: '16:00', '09:30' (a timer's, an alarm's)."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def ago(day: date, today: date) -> str:
    """'today', 'yesterday', '3 days ago', '1 week ago', '6 weeks ago'."""
    days = (today - day).days
    if days < 0:
        return f"in {-days} days"
    if days < 2:
        return ("today", "yesterday")[days]
    if days < 7:
        return f"{days} days ago"
    weeks = days // 7
    return f"{weeks} week{'s' if weeks > 1 else ''} ago"
