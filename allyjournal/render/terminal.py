"""Rich, for a terminal: tables, the review panel, colour. The only module that imports Rich;
`allyjournal.reports` imports it only to draw, so a command that prints plain lines never
pays for Rich.

User text always reaches Rich as `Text`, never as markup, and control characters are made
visible first, so nothing a user typed can style or drive the terminal.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shlex
import shutil
import signal
import subprocess
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from allyjournal.core.dates import ago, day_label, short_day
from allyjournal.core.models import Entry, Goal, Person
from allyjournal.core.text import one_line, visible
from allyjournal.render.plain import (
    agenda_sections,
    fairness_heading,
    fairness_share,
    goal_label,
    goal_status,
    kind_label,
    levels_text,
    person_fields,
    person_status,
    promise_when,
    streak_text,
    thanks_line,
)

if TYPE_CHECKING:
    from allyjournal.actions.agenda import Agenda
    from allyjournal.actions.fairness import Fairness
    from allyjournal.actions.goals import GoalRow
    from allyjournal.actions.promises import PromiseRow
    from allyjournal.actions.review import Review

BARS = "▁▂▃▄▅▆▇█"


def console(*, stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, emoji=False)


def print_markdown(text: str) -> None:
    """A Markdown document we wrote (its outside text escaped as Markdown) rendered for the
    terminal: headings, lists and emphasis drawn, paragraphs wrapped between words."""
    from rich.markdown import Markdown

    console().print(Markdown(text, hyperlinks=False))


def entries_table(entries: Sequence[Entry], short_ids: dict[str, str]) -> Table:
    """Entries as rows: id, date, what, text (with the impact beneath)."""
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
            short_day(entry.date),
            Text(visible(kind_label(entry)), style=style),
            text,
        )
    return table


def entries_by_day(entries: Sequence[Entry], short_ids: dict[str, str]) -> Group:
    """Entries under a heading for each day, newest first, as `git log` and Watson's report
    group them. The columns are as wide on every day, so the list reads as one table."""
    id_width = max((len(short_ids[e.id]) for e in entries), default=2)
    what_width = min(24, max((len(kind_label(e)) for e in entries), default=4))
    parts: list[Any] = []
    for day, group in itertools.groupby(entries, key=lambda entry: entry.date):
        if parts:
            parts.append(Text())
        parts.append(Text(day_label(day), style="bold"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="yellow", no_wrap=True, width=id_width)
        table.add_column(no_wrap=True, width=what_width)
        table.add_column(ratio=1)
        for entry in group:
            text = Text(visible(entry.text))
            if entry.impact:
                text.append("\n↳ " + visible(entry.impact), style="green")
            style = "bold magenta" if entry.is_big else "cyan" if entry.kind == "help" else ""
            table.add_row(short_ids[entry.id], Text(visible(kind_label(entry)), style=style), text)
        parts.append(table)
    return Group(*parts)


def print_entries(
    entries: Sequence[Entry], short_ids: dict[str, str], *, more: bool, pager: bool
) -> None:
    """The list grouped by day, through the pager when it is longer than the screen."""
    out = console()
    parts: list[Any] = [entries_by_day(entries, short_ids)]
    if more:
        parts += [Text(), Text("More entries match; -n 0 shows them all.", style="dim")]
    show_long(out, Group(*parts), pager=pager)


def show_long(out: Console, renderable: Any, *, pager: bool) -> None:
    """Print, or hand to the pager when the output would scroll past the screen."""
    command = pager_command() if pager else None
    if command is None:
        out.print(renderable)
        return
    with out.capture() as captured:
        out.print(renderable)
    text = captured.get()
    if text.count("\n") < out.height:
        out.file.write(text)
        return
    run_pager(command, text)


def pager_command() -> list[str] | None:
    """`$PAGER` as git reads it: unset means `less`, empty or `cat` means none. `less` gets
    `LESS=FRX` unless the user set LESS: quit if one screen, keep colour, leave the text."""
    chosen = os.environ.get("PAGER")
    if chosen is None:
        chosen = "less"
    words = shlex.split(chosen)
    if not words or words == ["cat"] or shutil.which(words[0]) is None:
        return None
    return words


def run_pager(command: list[str], text: str) -> None:
    env = {**os.environ}
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    # Ctrl-C belongs to the pager while it runs (as in git): it must not end us mid-write.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # the reader quit before the end
            process.stdin.write(text.encode("utf-8", "replace"))
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        process.wait()
    finally:
        signal.signal(signal.SIGINT, previous)


def print_fields(rows: list[tuple[str, str]]) -> None:
    """Label and value in two columns, the value wrapping under itself."""
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True)
    table.add_column()
    for label, value in rows:
        table.add_row(label, Text(visible(value)))
    console().print(table)


def print_people(people: Sequence[Person], last_helped: dict[str, date], today: date) -> None:
    out = console()
    if not people:
        out.print("No allies yet. `ally people add HANDLE --name ...` or `ally helped HANDLE ...`.")
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("handle", "name", "role", "relationship", "last helped"):
        table.add_column(column, no_wrap=column in ("handle", "last helped"))
    for person in people:
        last = last_helped.get(person.handle)
        handle = Text(
            f"@{person.handle}", style="cyan" if person.is_ally and not person.archived else "dim"
        )
        if person.archived or not person.is_ally:
            handle.append(f" ({person_status(person)})")
        table.add_row(
            handle,
            Text(visible(person.name)),
            Text(visible(person.role)),
            Text(visible(person.relationship)),
            ago(last, today) if last else "never",
        )
    out.print(table)


def print_goals(rows: Sequence[GoalRow]) -> None:
    out = console()
    if not rows:
        out.print('No goals yet. `ally goal add maya "Staff engineer by 2027"` sets one.')
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", style="yellow", no_wrap=True)
    table.add_column("with", style="cyan")
    table.add_column("goal", ratio=1)
    table.add_column("due", no_wrap=True)
    for row in rows:
        goal = row.goal
        text = Text(visible(goal.text), style="" if goal.is_open else "dim")
        text.append(
            f"\n{goal_label(goal)}" + ("" if goal.is_open else f", {goal.status}"), style="dim"
        )
        table.add_row(
            row.short_id,
            " ".join(f"@{handle}" for handle in goal.people),
            text,
            short_day(goal.due, aligned=False) if goal.due else "",
        )
    out.print(table)


def print_promises(rows: Sequence[PromiseRow]) -> None:
    out = console()
    if not rows:
        out.print('No open promises. `ally promise maya "Introduce her to the VP"` makes one.')
        return
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column("id", style="yellow", no_wrap=True)
    table.add_column("to", style="cyan", no_wrap=True)
    table.add_column("promise", ratio=1)
    table.add_column("when")
    for row in rows:
        table.add_row(
            row.short_id,
            f"@{row.promise.handle}",
            Text(visible(row.promise.text), style="" if row.promise.is_open else "dim"),
            Text(promise_when(row), style="bold red" if row.overdue else "dim"),
        )
    out.print(table)


def print_agenda(agenda: Agenda, *, out: Console | None = None) -> None:
    """The agenda for a terminal: a heading per section, each line hanging under its bullet."""
    title, sections = agenda_sections(agenda)
    parts: list[Any] = []
    for heading, items in sections:
        if parts:
            parts.append(Text())
        parts.append(Text(heading, style="bold"))
        parts.append(_bulleted((" •", Text(visible(item))) for item in items))
    out = out or console()
    out.print(Panel(Group(*parts), title=Text(visible(title), style="bold"), title_align="left"))


def print_fairness(report: Fairness, *, out: Console | None = None) -> None:
    """The report at a terminal: a bar per person against the even share, the trend, flags."""
    out = out or console()
    top = max((row.total for row in report.rows), default=0) or 1
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("ally", "", "total", "share", *report.quarters):
        table.add_column(column, no_wrap=True, justify="right" if column == "total" else "left")
    for row in report.rows:
        bar = Text("█" * round(20 * row.total / top), style="green" if row.total else "dim")
        if not row.total:
            bar = Text("·", style="dim")
        table.add_row(
            Text(f"@{row.person.handle}", style="cyan"),
            bar,
            str(row.total),
            fairness_share(report, row.total),
            *(str(n) for n in row.by_quarter),
        )
    parts: list[Any] = [
        Text(f"{', '.join(report.kinds)}: {report.total} in all", style="dim"),
        Text(),
        table,
    ]
    if report.flags:
        flags = ((" !", Text(visible(flag), style="yellow")) for flag in report.flags)
        parts += [Text(), Text("Flags", style="bold"), _bulleted(flags)]
    title = Text(fairness_heading(report), style="bold")
    out.print(Panel(Group(*parts), title=title, title_align="left"))


def print_person(
    person: Person, recent: Sequence[Entry], short_ids: dict[str, str], goals: Sequence[Goal]
) -> None:
    print_fields(person_fields(person, goals))
    if recent:
        out = console()
        out.print()
        out.print(Text("Recent entries", style="bold"))
        out.print(entries_table(recent, short_ids))


def print_review(review: Review, *, out: Console | None = None) -> None:
    """The review for a terminal: one screen, the goal first."""
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
    if review.levels:
        summary.add_row("Levels", Text(levels_text(review)))
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
    else:
        parts += [Text(), Text("Who you helped", style="bold"), Text("  nobody yet", style="dim")]
    if review.thanks:
        received = ((" ♥", Text(visible(thanks_line(e)))) for e in review.thanks)
        parts += [Text(), Text("Who helped you", style="bold"), _bulleted(received)]
    if review.witnessed:
        seen = ((" ·", Text(visible(thanks_line(e)))) for e in review.witnessed)
        parts += [Text(), Text("Allyship you saw", style="bold"), _bulleted(seen)]
    parts += [Text(), Text("Wins", style="bold")]
    if not review.wins:
        parts.append(Text("  none logged yet", style="dim"))
    parts.append(_bulleted((" ★" if e.is_big else " •", _win_text(e)) for e in review.wins))
    if review.learned:
        learned = ((" ◦", _win_text(e)) for e in review.learned)
        parts += [Text(), Text("What you learned", style="bold"), _bulleted(learned)]
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
    text = Text(one_line(entry.text), style="bold" if entry.is_big else "")
    if entry.impact:
        text.append(f" — {one_line(entry.impact)}", style="green")
    return text


def _bulleted(rows: Iterable[tuple[str, Text]]) -> Table:
    """Bullet and text in two columns, so a wrapped line hangs under its text."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True, style="bold magenta")
    table.add_column()
    for bullet, text in rows:
        table.add_row(bullet, text)
    return table
