"""`ally remind` and `ally calendar`: what is due, where you will see it outside `ally`."""

import shutil
import subprocess
import sys
from datetime import time
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from allyjournal import reports
from allyjournal.actions import due as dues
from allyjournal.commands.common import (
    PeriodOption,
    check_output,
    chosen_period,
    fail,
    journal,
    today,
)
from allyjournal.core.dates import parse_clock
from allyjournal.core.text import visible
from allyjournal.store import Journal, write_private_file

if TYPE_CHECKING:
    from allyjournal.core.dates import Period


class Scheduler(str, Enum):
    cron = "cron"
    systemd = "systemd"


def remind(
    ctx: typer.Context,
    notify: Annotated[
        bool, typer.Option("--notify", help="Also show a desktop notification (notify-send).")
    ] = False,
    install: Annotated[
        Scheduler | None,
        typer.Option(
            "--install", help="Print the crontab line or systemd timer that runs `ally remind`."
        ),
    ] = None,
    write: Annotated[
        bool,
        typer.Option("--write", help="With --install: install it (crontab, or the unit files)."),
    ] = False,
    at: Annotated[
        str, typer.Option("--at", metavar="HH:MM", help="With --install: the time of day.")
    ] = "16:00",
) -> None:
    """What is due today: one line per overdue promise, check-in or goal, the week's review
    on your review day, and nominations in the week before they close. Silent, with exit
    status 0, when nothing is due: made for cron, a systemd timer or a login shell.

    Examples:

      ally remind

      ally remind --notify

      ally remind --install systemd --write

      ally remind --install cron --at 09:30
    """
    journal_ = journal(ctx)
    if install is None:
        if write:
            fail("--write installs a timer: add --install cron or --install systemd.")
        _remind(journal_, notify)
        return
    _install(journal_, install, parse_clock(at), write)


def _remind(journal_: Journal, notify: bool) -> None:
    day = today()
    due = dues.reminders(dues.compute(journal_, today=day), today=day)
    lines = [item.reminder(day) for item in due]
    for line in lines:
        reports.said(line, hang=2)
    if notify and lines:
        sender = shutil.which("notify-send")
        if sender is None:
            journal_.notes.append("notify-send is not installed; no notification.")
            return
        # The notification server may read its body as markup: it is escaped, and `--`
        # keeps a line that starts with a dash from being taken as an option.
        body = "\n".join(visible(line) for line in lines)
        body = body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        subprocess.run(
            [sender, "--app-name=allyjournal", "--", "allyjournal: due today", body],
            check=False,
            timeout=10,
        )


def _ally_command() -> list[str]:
    """How a scheduler runs this `ally`: the program on the PATH, else this Python."""
    found = shutil.which("ally")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "allyjournal"]


def _install(journal_: Journal, scheduler: Scheduler, at: time, write: bool) -> None:
    from allyjournal.formats import timers

    home = str(journal_.home.resolve())
    weekday = journal_.config().review_day
    if scheduler is Scheduler.cron:
        line = timers.crontab_line(_ally_command(), home, weekday, at)
        if not write:
            print(line)
            return
        if shutil.which("crontab") is None:
            fail("crontab is not installed here; try --install systemd.")
        listed = subprocess.run(["crontab", "-l"], capture_output=True, text=True, check=False)
        current = listed.stdout if listed.returncode == 0 else ""
        subprocess.run(
            ["crontab", "-"], input=timers.replace_cron_line(current, line), text=True, check=True
        )
        reports.said(f"Installed in your crontab: {line}", err=True)
        return
    units = timers.systemd_units(_ally_command(), home, weekday, at)
    if not write:
        for name, text in units.items():
            print(f"# {name}\n{text}")
        return
    import os

    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    folder = config / "systemd" / "user"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in units.items():
        write_private_file(folder / name, text.encode("utf-8"))
    reports.said(
        f"Wrote {timers.UNIT}.service and {timers.UNIT}.timer to {folder}; start it with "
        f"`systemctl --user daemon-reload && systemctl --user enable --now {timers.UNIT}.timer`.",
        err=True,
    )


def calendar(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write to FILE (e.g. allyjournal.ics), not stdout."),
    ] = None,
    period: PeriodOption = None,
    alarm: Annotated[
        str | None,
        typer.Option("--alarm", metavar="HH:MM", help="An alarm at this time on each event's day."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE.")] = False,
) -> None:
    """A calendar of what is due, for any calendar app to subscribe to: check-ins as they fall
    due by cadence, promises by their --by day, goals by their due day, the weekly review on
    your review day, and each quarter's nominations deadline (`ally config nominations-due`).

    Each event keeps its UID, so a refreshed file moves events rather than adding copies; a
    kept promise disappears. `ally config calendar ~/allyjournal.ics` refreshes that file
    after every change.

    Examples:

      ally calendar -o ~/allyjournal.ics --force

      ally calendar --period 'this quarter' --alarm 09:00 > due.ics
    """
    journal_ = journal(ctx)
    check_output(output, force=force, journal_=journal_)
    chosen = chosen_period(journal_, period, None, None) if period else None
    text = calendar_bytes(journal_, period=chosen, alarm=parse_clock(alarm) if alarm else None)
    if output is None:
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
        return
    write_private_file(output, text)
    reports.said(f"Wrote the calendar to {output} (readable by you only).", err=True)


def calendar_bytes(
    journal_: Journal, *, period: "Period | None" = None, alarm: time | None = None
) -> bytes:
    """The calendar of what is due as of today (formats/ics)."""
    from allyjournal.formats.ics import calendar_ics

    day = today()
    return calendar_ics(dues.compute(journal_, today=day), today=day, period=period, alarm=alarm)


def refresh(journal_: Journal, target: str) -> None:
    """After a change: rewrite `target` (the `calendar` setting), in a child process, so the
    change's command returns at once (the calendar library alone takes longer to load than
    `ally win` takes). The child holds the calendar lock and reads the journal under it, so
    two refreshes in a row end with the newer state. A child cannot report a failure, and
    nothing it could say is worth blocking a command for: `ally calendar -o FILE` shows why."""
    import os

    if os.fork() != 0:
        return
    try:  # the child: never returns into the command line, never flushes its buffers
        os.setsid()
        devnull = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(devnull, stream)
        with journal_.calendar_lock():
            write_private_file(Path(target), calendar_bytes(journal_))
    finally:
        os._exit(0)
