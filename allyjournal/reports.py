"""What people see: entries, allies and settings drawn for a terminal, or plain for pipes.

Rich is imported only inside the functions that draw, so a command that prints one plain
line (`ally win`) never pays for it. User text always reaches Rich as `Text`, never as markup,
and control characters are made visible first, so nothing a user typed can style or drive the
terminal.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from allyjournal.models import Entry, Person

if TYPE_CHECKING:
    from rich.console import Console

    from allyjournal.config import Config
    from allyjournal.entries import Logged

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """Show control and bidi-override characters as escapes instead of letting them act."""
    return CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


def one_line(text: str) -> str:
    return visible(text.replace("\r\n", "\n").replace("\n", " ⏎ "))


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def kind_label(entry: Entry) -> str:
    if entry.kind == "win":
        return "big win" if entry.is_big else "win"
    if entry.kind == "help":
        return f"{entry.help_kind or 'help'} @{entry.ally}"
    return entry.kind


# -- plain lines (no Rich) ----------------------------------------------------------------


def logged_message(logged: Logged) -> list[str]:
    entry = logged.entry
    what = "big win" if entry.is_big else "win" if entry.kind == "win" else entry.kind
    if entry.kind == "help":
        what = f"help ({entry.help_kind}) for @{entry.ally}"
    lines = [f"Logged {what} {logged.short_id} on {day_label(entry.date)}."]
    lines += [
        f"New ally @{person.handle}: add details with `ally people edit {person.handle} --name ...`."
        for person in logged.new_people
    ]
    return lines


def entry_line(entry: Entry, short_id: str) -> str:
    """One entry on one line, tab-separated, for pipes and grep."""
    parts = [short_id, entry.date.isoformat(), kind_label(entry), one_line(entry.text)]
    if entry.impact:
        parts.append(f"impact: {one_line(entry.impact)}")
    return "\t".join(parts)


def entry_json(entry: Entry) -> str:
    return json.dumps(entry.to_record(), ensure_ascii=False, indent=2)


def entries_json(entries: Sequence[Entry]) -> str:
    return json.dumps([entry.to_record() for entry in entries], ensure_ascii=False, indent=2)


# -- drawn with Rich ----------------------------------------------------------------------


def print_entries(entries: Sequence[Entry], short_ids: dict[str, str], *, more: bool) -> None:
    if not sys.stdout.isatty():
        for entry in entries:
            print(entry_line(entry, short_ids[entry.id]))
        return
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not entries:
        out.print("No entries match. `ally win \"...\"` logs one.")
        return
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    table.add_column("id", style="yellow", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("what", no_wrap=True, max_width=24)
    table.add_column("text", ratio=1)
    for entry in entries:
        text = Text(visible(entry.text))
        if entry.impact:
            text.append("\n↳ " + visible(entry.impact), style="green")
        style = "bold magenta" if entry.is_big else "cyan" if entry.kind == "help" else ""
        table.add_row(
            short_ids[entry.id],
            f"{entry.date:%a %d %b %y}",
            Text(visible(kind_label(entry)), style=style),
            text,
        )
    out.print(table)
    if more:
        out.print(Text("More entries match; -n 0 shows them all.", style="dim"))


def print_entry(entry: Entry) -> None:
    from rich.table import Table
    from rich.text import Text

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    rows: list[tuple[str, str | None]] = [
        ("id", entry.id),
        ("date", day_label(entry.date)),
        ("kind", kind_label(entry)),
        ("text", entry.text),
        ("impact", entry.impact),
        ("level", entry.level),
        ("tags", " ".join(f"#{tag}" for tag in entry.tags) or None),
        ("mentions", " ".join(f"@{handle}" for handle in entry.mentions) or None),
        ("created", entry.created_at),
        ("updated", entry.updated_at if entry.updated_at != entry.created_at else None),
    ]
    for label, value in rows:
        if value:
            table.add_row(label, Text(visible(value)))
    console().print(table)


def print_people(people: Sequence[Person], last_helped: dict[str, date], today: date) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    if not people:
        out.print("No allies yet. `ally people add HANDLE --name ...` or `ally helped HANDLE ...`.")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("handle", "name", "role", "relationship", "last helped"):
        table.add_column(column, no_wrap=column in ("handle", "last helped"))
    for person in people:
        last = last_helped.get(person.handle)
        ago = f"{(today - last).days // 7} weeks ago" if last else "never"
        if last and (today - last).days < 7:
            ago = "this week" if (today - last).days < today.isoweekday() else "last week"
        handle = Text(f"@{person.handle}", style="dim" if person.archived else "cyan")
        if person.archived:
            handle.append(" (archived)")
        table.add_row(
            handle,
            Text(visible(person.name)),
            Text(visible(person.role)),
            Text(visible(person.relationship)),
            ago,
        )
    out.print(table)


def print_person(person: Person, recent: Sequence[Entry], short_ids: dict[str, str]) -> None:
    from rich.table import Table
    from rich.text import Text

    out = console()
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column()
    grid.add_row("handle", Text(f"@{person.handle}" + ("  (archived)" if person.archived else "")))
    for field in ("name", "role", "relationship", "career_goals", "shared_values", "notes"):
        value = getattr(person, field)
        if value:
            grid.add_row(field.replace("_", " "), Text(visible(value)))
    out.print(grid)
    if recent:
        out.print()
        out.print(Text("Recent entries", style="bold"))
        for entry in recent:
            out.print(Text(entry_line(entry, short_ids[entry.id]).replace("\t", "  ")))


def print_config(config: Config, settings: dict[str, Any]) -> None:
    for key, setting in settings.items():
        value = config.value(key)
        shown = "(from $VISUAL/$EDITOR)" if value is None else value
        print(f"{key} = {shown}    # {setting.help}")
