"""`ally remind --install`: the crontab line and the systemd user units that run `ally remind`
on the review day.

Both are text a scheduler later runs as a command, so every value written into them is a
value, never a command: a path with a newline or another control character is refused (it
would start a second line, a second command), cron's `%` (a newline to cron) is escaped, and
systemd's specifiers (`%`) and variables (`$`) are doubled inside a quoted argument.
"""

from __future__ import annotations

import shlex
from datetime import time

from allyjournal.core.dates import WEEKDAY_NAMES, clock_label
from allyjournal.core.errors import BadInput

CRON_MARK = "# allyjournal remind"
UNIT = "allyjournal-remind"
CRON_DAYS = {name: str((index + 1) % 7) for index, name in enumerate(WEEKDAY_NAMES)}


def _checked(value: str) -> str:
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise BadInput(
            f"Cannot write a timer for {value!r}: it holds a control character; "
            "move the journal or the ally program to a path without one."
        )
    return value


def crontab_line(command: list[str], home: str, weekday: str, at: time) -> str:
    """One crontab line: `ally remind --notify` at `at` on `weekday`, with the journal's home."""
    words = [shlex.quote(_checked(word)) for word in [*command, "remind", "--notify"]]
    environment = f"ALLYJOURNAL_HOME={shlex.quote(_checked(home))}"
    line = f"{at.minute} {at.hour} * * {CRON_DAYS[weekday]} {environment} {' '.join(words)}"
    return line.replace("%", "\\%") + f" {CRON_MARK}"


def _systemd_quoted(value: str) -> str:
    escaped = _checked(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("%", "%%").replace("$", "$$") + '"'


def systemd_units(command: list[str], home: str, weekday: str, at: time) -> dict[str, str]:
    """The service and its timer, by file name: the timer fires at `at` on `weekday`, and
    catches up after a machine that was off (`Persistent=true`)."""
    run = " ".join(_systemd_quoted(word) for word in [*command, "remind", "--notify"])
    service = (
        "[Unit]\n"
        "Description=allyjournal: what is due, and the week's review\n\n"
        "[Service]\n"
        "Type=oneshot\n"
        f"Environment={_systemd_quoted('ALLYJOURNAL_HOME=' + home)}\n"
        f"ExecStart={run}\n"
    )
    timer = (
        "[Unit]\n"
        f"Description=allyjournal: remind me on {weekday.capitalize()}s at {clock_label(at)}\n\n"
        "[Timer]\n"
        f"OnCalendar={weekday[:3].capitalize()} *-*-* {clock_label(at)}:00\n"
        "Persistent=true\n\n"
        "[Install]\n"
        "WantedBy=timers.target\n"
    )
    return {f"{UNIT}.service": service, f"{UNIT}.timer": timer}


def replace_cron_line(current: str, line: str) -> str:
    """`current` crontab with our line (marked) in place of any earlier one of ours."""
    kept = [row for row in current.splitlines() if not row.rstrip().endswith(CRON_MARK)]
    return "\n".join([*kept, line]) + "\n"
