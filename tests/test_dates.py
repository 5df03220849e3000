"""Dates and periods as people type them: table tests and properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allyjournal.core.dates import (
    Period,
    parse_period,
    parse_weekday,
    parse_when,
    week_containing,
    week_label,
)
from allyjournal.core.errors import DateError

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", "2026-11-23"),
        ("  Yesterday ", "2026-11-22"),
        ("tomorrow", "2026-11-24"),
        ("monday", "2026-11-23"),
        ("friday", "2026-11-20"),
        ("last friday", "2026-11-20"),
        ("last monday", "2026-11-16"),
        ("this friday", "2026-11-27"),
        ("on tue", "2026-11-17"),
        ("3 days ago", "2026-11-20"),
        ("2 weeks ago", "2026-11-09"),
        ("a week ago", "2026-11-16"),
        ("1 month ago", "2026-10-23"),
        ("2 years ago", "2024-11-23"),
        ("2026-11-03", "2026-11-03"),
        ("2026/11/03", "2026-11-03"),
        ("Nov 3", "2026-11-03"),
        ("November 3", "2026-11-03"),
        ("3 Nov", "2026-11-03"),
        ("3rd Nov", "2026-11-03"),
        ("3 Nov 2026", "2026-11-03"),
        ("Nov 3 2025", "2025-11-03"),
        ("Nov 3, 2025", "2025-11-03"),
        ("Dec 25", "2025-12-25"),  # no year and in the future: last year's
        ("sept 9", "2026-09-09"),
    ],
)
def test_parse_when(text: str, expected: str) -> None:
    assert parse_when(text, today=MONDAY) == date.fromisoformat(expected)


def test_month_ago_clamps_to_month_end() -> None:
    assert parse_when("1 month ago", today=date(2026, 3, 31)) == date(2026, 2, 28)


def test_leap_day() -> None:
    assert parse_when("Feb 29", today=date(2028, 3, 1)) == date(2028, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "3",
        "at",
        "someday",
        "next fortnight",
        "2026-02-30",
        "Nov 31",
        "13/13/2026",
        "32 Nov",
        "9999999999 days ago",
        "99999 years ago",
        "nov",
        "last",
        "0000-01-01",
    ],
)
def test_bad_dates_are_refused_naming_the_text(text: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_when(text, today=MONDAY)
    assert f"'{text.strip()[:57]}" in str(raised.value) or text.strip() == ""
    assert "try today" in str(raised.value)


def test_a_typo_gets_a_suggestion() -> None:
    with pytest.raises(DateError, match="did you mean 'yesterday'"):
        parse_when("yesterdya", today=MONDAY)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("this week", "2026-11-23", "2026-11-29"),
        ("last week", "2026-11-16", "2026-11-22"),
        ("2026-W45", "2026-11-02", "2026-11-08"),
        ("2026w45", "2026-11-02", "2026-11-08"),
        ("this month", "2026-11-01", "2026-11-30"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("November 2026", "2026-11-01", "2026-11-30"),
        ("Feb 2028", "2028-02-01", "2028-02-29"),
        ("2026-02", "2026-02-01", "2026-02-28"),
        ("this quarter", "2026-10-01", "2026-12-31"),
        ("last quarter", "2026-07-01", "2026-09-30"),
        ("2026-Q3", "2026-07-01", "2026-09-30"),
        ("this year", "2026-01-01", "2026-12-31"),
        ("last year", "2025-01-01", "2025-12-31"),
        ("2026-H1", "2026-01-01", "2026-06-30"),
        ("2026-h2", "2026-07-01", "2026-12-31"),
        ("2026", "2026-01-01", "2026-12-31"),
        ("last 90 days", "2026-08-26", "2026-11-23"),
        ("last 2 weeks", "2026-11-10", "2026-11-23"),
        ("past 3 months", "2026-08-24", "2026-11-23"),
        ("yesterday", "2026-11-22", "2026-11-22"),
    ],
)
def test_parse_period(text: str, start: str, end: str) -> None:
    period = parse_period(text, today=MONDAY)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)


def test_last_quarter_in_january_is_last_years_q4() -> None:
    period = parse_period("last quarter", today=date(2027, 1, 5))
    assert (period.start, period.end, period.label) == (
        date(2026, 10, 1),
        date(2026, 12, 31),
        "2026-Q4",
    )


def test_weeks_follow_the_configured_start() -> None:
    sunday_weeks = parse_period("this week", today=MONDAY, week_start=6)
    assert (sunday_weeks.start, sunday_weeks.end) == (date(2026, 11, 22), date(2026, 11, 28))


@pytest.mark.parametrize(
    "text", ["2026-Q5", "2026-W54", "last 0 days", "2026-13", "the other week", "Q3"]
)
def test_bad_periods_are_refused_naming_the_text(text: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_period(text, today=MONDAY)
    assert f"'{text}'" in str(raised.value)
    assert "last quarter" in str(raised.value)


@pytest.mark.parametrize(
    ("day", "week_start", "start", "end"),
    [
        (date(2026, 11, 23), 0, date(2026, 11, 23), date(2026, 11, 29)),  # Monday itself
        (date(2026, 11, 29), 0, date(2026, 11, 23), date(2026, 11, 29)),  # Sunday: same week
        (date(2026, 11, 29), 6, date(2026, 11, 29), date(2026, 12, 5)),  # Sunday starts one
        (date(2026, 11, 28), 6, date(2026, 11, 22), date(2026, 11, 28)),  # Saturday ends one
    ],
)
def test_week_containing(day: date, week_start: int, start: date, end: date) -> None:
    week = week_containing(day, week_start)
    assert (week.start, week.end) == (start, end)
    assert day in week
    assert week.days() == 7


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 11, 18), "Week 47 · Mon 16 – Sun 22 Nov 2026"),
        (date(2026, 12, 1), "Week 49 · Mon 30 Nov – Sun 6 Dec 2026"),
        (date(2026, 12, 30), "Week 53 · Mon 28 Dec 2026 – Sun 3 Jan 2027"),
    ],
)
def test_week_label(day: date, label: str) -> None:
    assert week_label(week_containing(day)) == label


def test_weekday_names() -> None:
    assert parse_weekday("Sunday") == 6
    assert parse_weekday("mon") == 0
    with pytest.raises(DateError, match="'funday'"):
        parse_weekday("funday")


@given(st.text())
def test_no_text_crashes_the_parsers(text: str) -> None:
    for parse in (parse_when, parse_period):
        try:
            result = parse(text, today=MONDAY)
        except DateError:
            continue
        assert isinstance(result, (date, Period))


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_formatted_dates_read_back(day: date) -> None:
    for text in (day.isoformat(), day.strftime("%d %b %Y"), day.strftime("%b %d %Y")):
        assert parse_when(text, today=MONDAY) == day


def test_every_date_shown_is_written_by_the_dates_module() -> None:
    """One way to write a date per context: no other module formats one itself (a backup's
    file name is a sortable stamp, not a date shown to a person)."""
    import re
    from pathlib import Path

    import allyjournal

    package = Path(allyjournal.__file__).parent
    writers = []
    for path in sorted(package.rglob("*.py")):
        if path.relative_to(package).as_posix() in ("core/dates.py", "journal/backups.py"):
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"strftime|:%[aAbBdYmHMyj]", line):
                writers.append(f"{path.relative_to(package)}:{number}: {line.strip()}")
    assert writers == []


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2026, 10, 1), date(2026, 11, 23), "1 Oct – 23 Nov 2026"),
        (date(2026, 11, 2), date(2026, 11, 8), "2 – 8 Nov 2026"),
        (date(2025, 12, 28), date(2026, 1, 3), "28 Dec 2025 – 3 Jan 2026"),
        (date(2026, 11, 23), date(2026, 11, 23), "23 Nov 2026"),
    ],
)
def test_span_label_names_month_and_year_once(start: date, end: date, label: str) -> None:
    from allyjournal.core.dates import span_label

    assert span_label(start, end) == label


def test_moment_label_is_local_time_and_keeps_what_it_cannot_read(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import time

    from allyjournal.core.dates import moment_label

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert moment_label("2026-11-23T14:05:00+00:00") == "Mon 23 Nov 2026, 23:05"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert moment_label("not a time") == "not a time"


# -- deadlines look ahead ------------------------------------------------------------------------

NOV_2 = date(2026, 11, 2)  # a Monday


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("friday", date(2026, 11, 6)),
        ("Fri", date(2026, 11, 6)),
        ("on friday", date(2026, 11, 6)),
        ("monday", NOV_2),  # today is one
        ("next friday", date(2026, 11, 13)),
        ("tomorrow", date(2026, 11, 3)),
        ("next week", date(2026, 11, 15)),
        ("in 2 weeks", date(2026, 11, 16)),
        ("in a month", date(2026, 12, 2)),
        ("in three days", date(2026, 11, 5)),
        ("end of week", date(2026, 11, 8)),
        ("end of month", date(2026, 11, 30)),
        ("by the end of the month", date(2026, 11, 30)),
        ("end of next month", date(2026, 12, 31)),
        ("end of quarter", date(2026, 12, 31)),
        ("end of year", date(2026, 12, 31)),
        ("next month", date(2026, 12, 31)),
        ("march", date(2027, 3, 31)),
        ("in march", date(2027, 3, 31)),
        ("end of march", date(2027, 3, 31)),
        ("by the end of december", date(2026, 12, 31)),
        ("november", date(2026, 11, 30)),
        ("Nov 3", date(2026, 11, 3)),
        ("Nov 1", date(2027, 11, 1)),
        ("2026-12-18", date(2026, 12, 18)),
    ],
)
def test_a_deadline_is_read_looking_ahead(typed: str, due: date) -> None:
    assert parse_when(typed, today=NOV_2, ahead=True) == due


def test_when_something_happened_is_still_read_looking_back() -> None:
    assert parse_when("friday", today=NOV_2) == date(2026, 10, 30)
    assert parse_when("Nov 3", today=NOV_2) == date(2025, 11, 3)
    with pytest.raises(DateError, match="try today, yesterday"):
        parse_when("next week", today=NOV_2)


def test_a_deadline_that_cannot_be_read_gives_deadline_examples() -> None:
    with pytest.raises(DateError, match="try friday, next week, in 2 weeks"):
        parse_when("whenever", today=NOV_2, ahead=True)


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    name=st.sampled_from(["monday", "tuesday", "wednesday", "thursday", "friday", "sat", "sun"]),
)
def test_a_named_day_is_within_the_coming_week_or_the_past_one(today: date, name: str) -> None:
    ahead = parse_when(name, today=today, ahead=True)
    back = parse_when(name, today=today)
    assert 0 <= (ahead - today).days <= 6
    assert 0 <= (today - back).days <= 6
    assert ahead.weekday() == back.weekday()


@given(
    today=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    month=st.sampled_from(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    ),
    day=st.integers(1, 28),
)
def test_a_month_and_day_without_a_year_is_the_next_one_ahead(
    today: date, month: str, day: int
) -> None:
    due = parse_when(f"{month} {day}", today=today, ahead=True)
    assert 0 <= (due - today).days <= 366
