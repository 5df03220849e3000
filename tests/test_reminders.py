"""`ally remind` and `ally calendar`: what is due, outside the terminal.

The clock is Monday 23 November 2026. Things fall due by being set up on an earlier day
(ALLYJOURNAL_TODAY moved back), as a user would have set them up weeks ago.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from icalendar import Calendar

from allyjournal.core.config import MACHINE_ONLY
from allyjournal.store import Journal

from helpers import Run


def _on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    monkeypatch.setenv("ALLYJOURNAL_TODAY", day)


@pytest.fixture
def busy(ally: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """An ally checked in with every 2 weeks, last helped on 2 Nov (due 16 Nov: 7 days
    overdue), a promise due 20 Nov, a promise due 4 Dec and a goal due today."""
    _on(monkeypatch, "2026-11-02")
    assert ally("people", "add", "maya", "--check-in", "every 2 weeks").exit_code == 0
    assert ally("helped", "maya", "Reviewed her design doc").exit_code == 0
    assert ally("promise", "maya", "Introduce her to Lee", "--by", "2026-11-20").exit_code == 0
    assert ally("promise", "maya", "Read her RFC", "--by", "2026-12-04").exit_code == 0
    assert ally("goal", "add", "maya", "Lead a project", "--due", "2026-11-23").exit_code == 0
    _on(monkeypatch, "2026-11-23")


def _events(text: str) -> dict[str, object]:
    calendar = Calendar.from_ical(text)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_remind_is_silent_with_nothing_due(ally: Run) -> None:
    result = ally("remind")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    ally("people", "add", "sam", "--check-in", "monthly")  # due in a month: not yet
    result = ally("remind")
    assert (result.exit_code, result.stdout) == (0, "")


def test_remind_names_each_due_thing_once(ally: Run, busy: None) -> None:
    result = ally("remind")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Check in with @maya (every 2 weeks): 7 days overdue (due Mon 16 Nov 2026).",
        'Promise to @maya: "Introduce her to Lee": 3 days overdue (due Fri 20 Nov 2026).',
        'Goal of @maya: "Lead a project": due today.',
    ]


def test_remind_on_the_review_day_and_before_nominations_close(ally: Run) -> None:
    assert ally("config", "review-day", "monday").exit_code == 0
    assert ally("remind").stdout == "The week's review: today (`ally review`).\n"
    # Q4 ends 31 Dec; 35 days before is 26 Nov, three days away: within the week's notice.
    assert ally("config", "nominations-due", "35").exit_code == 0
    lines = ally("remind").stdout.splitlines()
    assert lines[-1] == (
        "Nominations for Q4 2026 close Thu 26 Nov 2026, in 3 days. "
        "Draft them with `ally nominate --period 2026-Q4`."
    )
    assert ally("config", "nominations-due", "14").exit_code == 0  # 17 Dec: not yet
    assert "Nominations" not in ally("remind").stdout


def test_a_kept_promise_is_no_longer_due(ally: Run, busy: None, home: Path) -> None:
    promise = next(p for p in Journal(home).promises() if p.text == "Introduce her to Lee")
    before = _events(ally("calendar").stdout)
    assert f"promise-{promise.id}@allyjournal" in before
    assert ally("promise", "done", promise.id[:7]).exit_code == 0
    assert "Introduce her" not in ally("remind").stdout
    after = _events(ally("calendar").stdout)
    assert f"promise-{promise.id}@allyjournal" not in after
    assert set(after) == set(before) - {f"promise-{promise.id}@allyjournal"}


def test_calendar_events_read_back_with_stable_uids(ally: Run, busy: None, home: Path) -> None:
    first = ally("calendar", "--alarm", "9:00")
    assert first.exit_code == 0
    events = _events(first.stdout)
    goal = Journal(home).goals()[0]
    assert sorted(events) == sorted(
        [
            "check-in-maya@allyjournal",
            f"goal-{goal.id}@allyjournal",
            "review@allyjournal",
            *(f"promise-{p.id}@allyjournal" for p in Journal(home).promises()),
        ]
    )
    check_in = events["check-in-maya@allyjournal"]
    assert str(check_in["SUMMARY"]) == "Check in with @maya (every 2 weeks)"
    # Overdue: on today, where it is still to be done, saying since when.
    assert check_in.decoded("DTSTART").isoformat() == "2026-11-23"
    assert "Overdue since 2026-11-16" in str(check_in["DESCRIPTION"])
    review = events["review@allyjournal"]
    assert review.decoded("DTSTART").isoformat() == "2026-11-27"  # the Friday
    assert review["RRULE"]["BYDAY"] == ["FR"]
    alarm = check_in.walk("VALARM")[0]
    assert str(alarm.decoded("TRIGGER")) == "9:00:00"
    # A new help moves the check-in (same UID, a new day) rather than adding one.
    assert ally("helped", "maya", "Coffee chat").exit_code == 0
    moved = _events(ally("calendar").stdout)
    assert set(moved) == set(events)
    assert moved["check-in-maya@allyjournal"].decoded("DTSTART").isoformat() == "2026-12-07"


def test_calendar_period_limits_events_and_the_review(ally: Run, busy: None) -> None:
    events = _events(ally("calendar", "--period", "this month").stdout)
    assert not any(
        uid.startswith("promise-") and "Read her RFC" in str(e["SUMMARY"])
        for uid, e in events.items()
    )
    review = events["review@allyjournal"]
    assert review["RRULE"]["UNTIL"][0].isoformat() == "2026-11-30"


def test_calendar_file_is_private_and_not_overwritten(
    ally: Run, busy: None, tmp_path: Path
) -> None:
    target = tmp_path / "due.ics"
    assert ally("calendar", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = ally("calendar", "-o", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr
    assert ally("calendar", "-o", str(target), "--force").exit_code == 0


def _soon(target: Path, wanted: str) -> str:
    """The calendar file once a refresh wrote `wanted` into it (a child process writes it,
    after the command has returned)."""
    import time

    for _ in range(200):
        text = target.read_text() if target.exists() else ""
        if wanted in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"{target} never held {wanted!r}")


def test_the_calendar_setting_refreshes_after_every_change(ally: Run, tmp_path: Path) -> None:
    target = tmp_path / "sub.ics"
    assert ally("config", "calendar", str(target)).exit_code == 0
    _soon(target, "review@allyjournal")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert ally("people", "add", "sam", "--check-in", "weekly").exit_code == 0
    _soon(target, "check-in-sam@allyjournal")
    assert "calendar" in MACHINE_ONLY  # a path that came by sync could write anywhere


def test_refreshes_in_a_row_end_with_the_newest_state(ally_process: Run, tmp_path: Path) -> None:
    target = tmp_path / "sub.ics"
    assert ally_process("config", "calendar", str(target)).exit_code == 0
    for handle in ("ana", "ben", "cho", "dee"):
        assert ally_process("people", "add", handle, "--check-in", "weekly").exit_code == 0
    text = _soon(target, "check-in-dee@allyjournal")
    for handle in ("ana", "ben", "cho"):
        assert f"check-in-{handle}@allyjournal" in text


def test_the_calendar_setting_refuses_a_file_inside_the_journal(ally: Run, home: Path) -> None:
    result = ally("config", "calendar", str(home / "due.ics"))
    assert result.exit_code == 2 and "inside the journal" in result.stderr
    assert "calendar = " not in ally("config").stdout.replace("calendar = (not set)", "")


@pytest.mark.parametrize("value", ["relative.ics", "/tmp/notes.txt", "/tmp/a\nb.ics", ""])
def test_the_calendar_setting_refuses_what_is_not_a_calendar_path(ally: Run, value: str) -> None:
    result = ally("config", "calendar", value)
    assert result.exit_code == 2
    assert result.stderr.startswith("ally: ") and len(result.stderr.splitlines()) == 1


def test_outside_text_is_shown_never_obeyed(ally: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    _on(monkeypatch, "2026-11-02")
    hostile = "Fix \x1b]52;c;aGk=\x07 it\r\nBEGIN:VEVENT"
    assert ally("people", "add", "maya").exit_code == 0
    assert ally("promise", "maya", hostile, "--by", "2026-11-20").exit_code == 0
    _on(monkeypatch, "2026-11-23")
    shown = ally("remind").stdout
    assert "\x1b" not in shown and "\x07" not in shown and "\r" not in shown
    text = ally("calendar").stdout
    assert (
        "\x1b" not in text and text.splitlines().count("BEGIN:VEVENT") == 2
    )  # the promise, the review


def test_notify_sends_escaped_text_as_a_value(
    ally: Run, busy: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "argv"
    fake = bin_dir / "notify-send"
    fake.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\0" "$a"; done > {log}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert ally("promise", "maya", "<b>Lunch</b> & learn", "--by", "today").exit_code == 0
    assert ally("remind", "--notify").exit_code == 0
    argv = log.read_text().split("\0")[:-1]
    assert argv[:3] == ["--app-name=allyjournal", "--", "allyjournal: due today"]
    assert "&lt;b&gt;Lunch&lt;/b&gt; &amp; learn" in argv[3] and "<b>" not in argv[3]


def test_notify_without_notify_send_still_prints(
    ally: Run, busy: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    result = ally("remind", "--notify")
    assert result.exit_code == 0 and "overdue" in result.stdout
    assert "notify-send is not installed" in result.stderr


def test_install_cron_prints_one_marked_line(ally: Run, home: Path) -> None:
    assert ally("config", "review-day", "thursday").exit_code == 0
    line = ally("remind", "--install", "cron", "--at", "9:30").stdout.strip()
    assert line.startswith(f"30 9 * * 4 ALLYJOURNAL_HOME={home.resolve()} ")
    assert line.endswith(" remind --notify # allyjournal remind")


def test_install_cron_write_replaces_only_its_own_line(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    table = tmp_path / "crontab.txt"
    table.write_text("0 1 * * * backup-my-photos\n5 5 * * 5 old # allyjournal remind\n")
    fake = bin_dir / "crontab"
    fake.write_text(f'#!/bin/sh\nif [ "$1" = "-l" ]; then cat {table}; else cat > {table}; fi\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    assert ally("remind", "--install", "cron", "--write").exit_code == 0
    rows = table.read_text().splitlines()
    assert rows[0] == "0 1 * * * backup-my-photos"
    assert len(rows) == 2 and rows[1].startswith("0 16 * * 5 ")


def test_install_systemd_units(ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printed = ally("remind", "--install", "systemd").stdout
    assert "OnCalendar=Fri *-*-* 16:00:00" in printed and "Persistent=true" in printed
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    result = ally("remind", "--install", "systemd", "--write", "--at", "08:05")
    assert result.exit_code == 0 and "systemctl --user" in result.stderr
    folder = tmp_path / "config" / "systemd" / "user"
    timer = (folder / "allyjournal-remind.timer").read_text()
    service = (folder / "allyjournal-remind.service").read_text()
    assert "OnCalendar=Fri *-*-* 08:05:00" in timer
    assert '"remind" "--notify"' in service and "Type=oneshot" in service


def test_a_home_that_would_break_a_timer_is_refused(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import time

    from allyjournal.formats.timers import crontab_line, systemd_units

    cron = crontab_line(["/opt/ally"], "/home/a%b $HOME", "friday", time(16))
    assert "a\\%b" in cron and "'/home/a\\%b $HOME'" in cron
    units = systemd_units(["/opt/ally"], "/home/a%b $HOME", "friday", time(16))
    assert 'Environment="ALLYJOURNAL_HOME=/home/a%%b $$HOME"' in units["allyjournal-remind.service"]
    strange = tmp_path / "journal\nrm -rf ~"
    strange.mkdir()
    monkeypatch.setenv("ALLYJOURNAL_HOME", str(strange))
    for scheduler in ("cron", "systemd"):
        result = ally("remind", "--install", scheduler)
        assert result.exit_code == 2 and "control character" in result.stderr
        assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        ("remind", "--write"),
        ("remind", "--install", "cron", "--at", "4pm"),
        ("remind", "--install", "at"),
        ("calendar", "--alarm", "25:00"),
    ],
)
def test_bad_remind_and_calendar_options(ally: Run, args: tuple[str, ...]) -> None:
    result = ally(*args)
    assert result.exit_code == 2 and result.stderr.startswith("ally: ")
    assert len(result.stderr.strip().splitlines()) == 1
