"""The `ally` program's entry point: `ally status` without Typer, everything else through cli.py.

A shell prompt runs `ally status` before every prompt, so it must cost little more than
starting Python. Typer and Click alone take longer than that, so a plain `ally status` (with
at most `--format`) is answered here from the light `Glance` of the journal. Whatever this
cannot answer exactly (another option, `--help`, a journal that needs recovery or migration, a
bad template) goes to the full command in cli.py, which says what is wrong as every command does.
"""

from __future__ import annotations

import gc
import sys

# The cyclic collector scans every live object each time enough new ones pile up; reading a
# year of a large journal makes hundreds of thousands of objects that form no cycle (records,
# entries, strings), so its full passes were a fifth of such a command. Reference counting
# still frees them; cycles are collected, only far less often. One `ally` is a short process.
GC_THRESHOLDS = (50_000, 20, 100)


def main() -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    arguments = sys.argv[1:]
    if arguments[:1] == ["status"] and _status(arguments[1:]):
        return
    from allyjournal.cli import main as full

    full()


def _status(arguments: list[str]) -> bool:
    """Print the status line and return True, or return False to take the full path."""
    template: str | None = None
    if arguments[:1] in (["--format"], ["-f"]) and len(arguments) == 2:
        template = arguments[1]
    elif len(arguments) == 1 and arguments[0].startswith("--format="):
        template = arguments[0].removeprefix("--format=")
    elif arguments:
        return False
    if template is not None and not template.strip():  # refused on the full path, in one line
        return False
    from allyjournal.actions import status
    from allyjournal.core.dates import today
    from allyjournal.core.errors import JournalError
    from allyjournal.store import Glance, default_home

    glance = Glance(default_home())
    try:
        if not glance.ready():
            return False
        line = status.render(status.compute(glance, today()), template)
    except JournalError:
        return False
    sys.stdout.write(line + "\n")
    return True
