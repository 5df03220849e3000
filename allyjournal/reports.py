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
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from allyjournal.models import Entry, Person

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from allyjournal.config import Config
    from allyjournal.entries import Logged
    from allyjournal.review import Review

CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def visible(text: str) -> str:
    """Show control and bidi-override characters as escapes instead of letting them act."""
    return re.sub(CONTROL, lambda match: match.group().encode("unicode_escape").decode(), text)


def one_line(text: str) -> str:
    return visible(text.replace("\r\n", "\n").replace("\n", " ⏎ "))


def console(*, stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def day_label(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


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


def kind_label(entry: Entry) -> str:
    if entry.kind == "win":
        return "big win" if entry.is_big else "win"
    if entry.kind == "help":
        return f"{entry.help_kind or 'help'} @{entry.ally}"
    return entry.kind


# -- plain lines (no Rich) ----------------------------------------------------------------


def logged_message(logged: Logged) -> list[str]:
    entry = logged.entry
    what = f"{'big win' if entry.is_big else entry.kind} {logged.short_id}"
    if entry.kind == "help":
        what = f"help {logged.short_id} for @{entry.ally} ({entry.help_kind})"
    lines = [f"Logged {what} on {day_label(entry.date)}."]
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


def entries_table(entries: Sequence[Entry], short_ids: dict[str, str]) -> Table:
    """Entries as rows: id, date, what, text (with the impact beneath)."""
    from rich.table import Table
    from rich.text import Text

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
    return table


def print_entries(entries: Sequence[Entry], short_ids: dict[str, str], *, more: bool) -> None:
    if not sys.stdout.isatty():
        for entry in entries:
            print(entry_line(entry, short_ids[entry.id]))
        return
    from rich.text import Text

    out = console()
    if not entries:
        out.print('No entries match. `ally win "..."` logs one.')
        return
    table = entries_table(entries, short_ids)
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
        handle = Text(f"@{person.handle}", style="dim" if person.archived else "cyan")
        if person.archived:
            handle.append(" (archived)")
        table.add_row(
            handle,
            Text(visible(person.name)),
            Text(visible(person.role)),
            Text(visible(person.relationship)),
            ago(last, today) if last else "never",
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
        out.print(entries_table(recent, short_ids))


def print_config(config: Config, settings: dict[str, Any]) -> None:
    for key, setting in settings.items():
        value = config.value(key)
        shown = "(from $VISUAL/$EDITOR)" if value is None else value
        print(f"{key} = {shown}    # {setting.help}")


# -- the weekly review --------------------------------------------------------------------

BARS = "▁▂▃▄▅▆▇█"


def review_record(review: Review) -> dict[str, Any]:
    """The review as JSON-ready data: the public `review --json` shape."""
    return {
        "week_start": review.week.start.isoformat(),
        "week_end": review.week.end.isoformat(),
        "label": review.label,
        "goal": review.goal,
        "allies_helped": review.allies_helped,
        "goal_met": review.goal_met,
        "to_go": review.to_go,
        "in_progress": review.in_progress,
        "streak": review.streak,
        "allies": [
            {
                "handle": row.handle,
                "name": row.name,
                "kinds": list(row.kinds),
                "count": row.count,
                "latest": row.latest.text,
                "latest_date": row.latest.date.isoformat(),
            }
            for row in review.allies
        ],
        "wins": [entry.to_record() for entry in review.wins],
        "helps": [entry.to_record() for entry in review.helps],
        "reflections": [entry.to_record() for entry in review.reflections],
        "history": [
            {"week_start": t.start.isoformat(), "allies": t.allies, "goal_met": t.goal_met}
            for t in review.history
        ],
        "nudges": [
            {"reason": n.reason, "handle": n.handle, "message": n.message} for n in review.nudges
        ],
    }


def review_json(review: Review) -> str:
    return json.dumps(review_record(review), ensure_ascii=False, indent=2)


def goal_status(review: Review) -> str:
    """ "2 of 3 — one to go" or "3 of 3 — goal met"."""
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    count = f"{review.allies_helped} of {review.goal}"
    if review.goal_met:
        return f"{count} — goal met"
    to_go = words.get(review.to_go, str(review.to_go))
    return f"{count} — {to_go} to go" if review.in_progress else f"{count} — goal missed"


def streak_text(review: Review) -> str:
    weeks = "week" if review.streak == 1 else "weeks"
    text = f"{review.streak} {weeks} meeting the goal"
    if review.in_progress and not review.goal_met and review.streak:
        text += " (this week still open)"
    return text


def _win_line(entry: Entry) -> str:
    line = one_line(entry.text)
    return f"{line} — {one_line(entry.impact)}" if entry.impact else line


def review_plain(review: Review) -> str:
    """No colour, no box drawing: for pipes, NO_COLOR and screen readers."""
    bar_width = 20
    filled = min(bar_width, round(bar_width * review.allies_helped / max(review.goal, 1)))
    lines = [
        review.label,
        "",
        f"Allies helped: [{'#' * filled}{'-' * (bar_width - filled)}] {goal_status(review)}",
        f"Streak: {streak_text(review)}",
        f"Last {len(review.history)} weeks: "
        + " ".join(str(t.allies) for t in review.history)
        + f"  (goal {review.goal})",
        "",
        "Who you helped:" if review.allies else "Who you helped: nobody yet",
    ]
    for row in review.allies:
        lines.append(
            f"  @{row.handle}  {', '.join(row.kinds)}  x{row.count}  latest: {one_line(row.latest.text)}"
        )
    lines += ["", "Wins:" if review.wins else "Wins: none logged"]
    lines += [f"  {'* BIG ' if e.is_big else '- '}{_win_line(e)}" for e in review.wins]
    for entry in review.reflections:
        lines += ["", "Reflection:", *(f"  {visible(line)}" for line in entry.text.splitlines())]
    if review.nudges:
        lines += ["", "Nudges:", *(f"  - {visible(n.message)}" for n in review.nudges)]
    return "\n".join(lines)


MARKDOWN_INLINE = r"([\\`*_\[\]<>|~&])"
MARKDOWN_BLOCK_START = r"^(\s*\d*)([#>+=-]|(?<=\d)[.)])"


def markdown_text(text: str) -> str:
    """User text inside Markdown: no markup, no HTML, no line breaks that end a list item.

    Only what Markdown would act on is escaped, so the text stays readable where it is
    pasted as plain text: inline syntax anywhere, block syntax at the very start (the rest of
    the text stays in one paragraph, its line breaks written as <br>).
    """
    escaped = re.sub(MARKDOWN_INLINE, r"\\\1", visible(text.replace("\r\n", "\n")))
    escaped = re.sub(MARKDOWN_BLOCK_START, r"\1\\\2", escaped)
    return escaped.replace("\n", "<br>")


def review_markdown(review: Review) -> str:
    lines = [
        f"# {review.label}",
        "",
        f"- **Allies helped:** {goal_status(review)}",
        f"- **Streak:** {streak_text(review)}",
        f"- **Last {len(review.history)} weeks:** "
        + " ".join(str(t.allies) for t in review.history),
        "",
        "## Who you helped",
        "",
    ]
    if review.allies:
        lines += ["| Ally | How | Times | Latest |", "| --- | --- | --- | --- |"]
        lines += [
            f"| @{markdown_text(r.handle)} | {', '.join(r.kinds)} | {r.count} | "
            f"{markdown_text(r.latest.text)} |"
            for r in review.allies
        ]
    else:
        lines.append("Nobody yet this week.")
    lines += ["", "## Wins", ""]
    lines += [
        f"- {'**Big:** ' if e.is_big else ''}{markdown_text(e.text)}"
        + (f" — _{markdown_text(e.impact)}_" if e.impact else "")
        for e in review.wins
    ] or ["No wins logged."]
    for entry in review.reflections:
        lines += ["", "## Reflection", "", markdown_text(entry.text)]
    if review.nudges:
        lines += ["", "## Nudges", "", *(f"- {markdown_text(n.message)}" for n in review.nudges)]
    return "\n".join(lines) + "\n"


def print_review(review: Review, *, out: Console | None = None) -> None:
    """The review for a terminal: one screen, the goal first."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    out = out or console()
    colour = "green" if review.goal_met else "yellow"
    summary = Table.grid(padding=(0, 2))
    summary.add_column(style="bold", no_wrap=True)
    summary.add_column()
    progress = Table.grid(padding=(0, 1))
    progress.add_row(
        ProgressBar(
            total=max(review.goal, 1),
            completed=min(review.allies_helped, review.goal),
            width=20,
            complete_style=colour,
            finished_style="green",
        ),
        Text(goal_status(review), style=f"bold {colour}"),
    )
    summary.add_row("Allies helped", progress)
    summary.add_row("Streak", Text(streak_text(review)))
    top = max([review.goal, *(t.allies for t in review.history)])
    chart = Text()
    for tally in review.history:
        level = round((len(BARS) - 1) * tally.allies / top) if tally.allies else 0
        chart.append(
            BARS[level] if tally.allies else "·", style="green" if tally.goal_met else "dim"
        )
        chart.append(" ")
    chart.append(f" {len(review.history)} weeks, goal {review.goal}", style="dim")
    summary.add_row("History", chart)
    parts: list[Any] = [summary]

    if review.allies:
        helped = Table(box=None, pad_edge=False, header_style="bold", expand=False)
        helped.add_column("Ally", no_wrap=True, style="cyan")
        helped.add_column("How")
        helped.add_column("times", justify="right")
        helped.add_column("Latest", ratio=1)
        for row in review.allies:
            helped.add_row(
                f"@{row.handle}",
                ", ".join(row.kinds),
                str(row.count),
                Text(one_line(row.latest.text)),
            )
        parts += [Text(), Text("Who you helped", style="bold"), helped]
    parts += [Text(), Text("Wins", style="bold")]
    if not review.wins:
        parts.append(Text("  none logged yet", style="dim"))
    parts.append(_bulleted((" ★" if e.is_big else " •", _win_text(e)) for e in review.wins))
    for entry in review.reflections:
        parts += [
            Text(),
            Text("Reflection", style="bold"),
            Text(visible(entry.text), style="italic"),
        ]
    if review.nudges:
        nudges = ((" →", Text(visible(n.message), style="yellow")) for n in review.nudges)
        parts += [Text(), Text("Nudges", style="bold"), _bulleted(nudges)]
    out.print(
        Panel(
            Group(*parts),
            title=Text(review.label, style="bold"),
            title_align="left",
            padding=(0, 1),
        )
    )


def _win_text(entry: Entry) -> Text:
    from rich.text import Text

    text = Text(one_line(entry.text), style="bold" if entry.is_big else "")
    if entry.impact:
        text.append(f" — {one_line(entry.impact)}", style="green")
    return text


def _bulleted(rows: Iterable[tuple[str, Text]]) -> Table:
    """Bullet and text in two columns, so a wrapped line hangs under its text."""
    from rich.table import Table

    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold magenta")
    table.add_column()
    for bullet, text in rows:
        table.add_row(bullet, text)
    return table
