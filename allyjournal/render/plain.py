"""Plain text: what pipes, `NO_COLOR` and screen readers get, and the one-line confirmations
every command prints. No Rich here, so a command that prints a line never imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from allyjournal.core.dates import ago, day_label, moment_label, short_day, span_label
from allyjournal.core.models import PERSON_FIELDS, Entry, Goal, Person
from allyjournal.core.text import one_line, visible
from allyjournal.core.vocabulary import recognition_wish

if TYPE_CHECKING:
    from allyjournal.actions.agenda import Agenda
    from allyjournal.actions.entries import Logged
    from allyjournal.actions.fairness import Fairness
    from allyjournal.actions.goals import GoalRow
    from allyjournal.actions.promises import PromiseRow
    from allyjournal.actions.review import Review
    from allyjournal.actions.sync import Recoverable
    from allyjournal.core.config import Config
    from allyjournal.journal.reading import TagUse

NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def kind_label(entry: Entry) -> str:
    """What an entry is, in a few words: 'big win', 'intro @maya', 'reflection'."""
    if entry.kind == "win":
        win = "big win" if entry.is_big else "win"
        return f"{win} ({entry.work_type})" if entry.work_type else win
    if entry.kind == "help":
        return f"{entry.help_kind or 'help'} @{entry.ally}"
    if entry.kind == "thanks":
        return f"thanks @{entry.ally}" + (f" for @{entry.for_handle}" if entry.for_handle else "")
    if entry.kind == "chore":
        return f"chore by @{entry.ally}"
    return entry.kind


def logged_message(logged: Logged) -> list[str]:
    entry = logged.entry
    what = f"{'big win' if entry.is_big else entry.kind} {logged.short_id}"
    if entry.kind == "help":
        what = f"help {logged.short_id} for @{entry.ally} ({entry.help_kind})"
    elif entry.kind == "thanks":
        whom = f" for helping @{entry.for_handle}" if entry.for_handle else ""
        what = f"thanks {logged.short_id} to @{entry.ally}{whom} ({entry.help_kind})"
    elif entry.kind == "chore":
        what = f"chore {logged.short_id} by @{entry.ally}"
    lines = [f"Logged {what} on {day_label(entry.date)}."]
    for person in logged.new_people:
        if person.handle == entry.ally and entry.kind == "help":
            lines.append(
                f"New ally @{person.handle}: add details with "
                f"`ally people edit {person.handle} --name ...`."
            )
        else:  # only mentioned, thanked or counted: kept, never nagged about
            how = {"thanks": "thanked", "chore": "did a chore"}.get(entry.kind, "")
            how = how if person.handle == entry.ally else "mentioned"
            lines.append(
                f"New contact @{person.handle} ({how}, not helped); "
                f"`ally people add {person.handle}` makes them an ally."
            )
    return lines


def entry_line(entry: Entry, short_id: str) -> str:
    """One entry on one line, tab-separated, for pipes and grep."""
    parts = [short_id, entry.date.isoformat(), kind_label(entry), one_line(entry.text)]
    if entry.impact:
        parts.append(f"impact: {one_line(entry.impact)}")
    return "\t".join(parts)


def config_lines(config: Config, settings: dict[str, Any]) -> list[str]:
    lines = []
    for key, setting in settings.items():
        value = config.value(key)
        unset = "(from $VISUAL/$EDITOR)" if key == "editor" else "(not set)"
        shown = unset if value is None else value
        where = "" if setting.travels else " (this machine only; never synced)"
        lines.append(f"{key} = {shown}    # {setting.help}{where}")
    return lines


def recoverable_lines(kept: list[Recoverable], short: dict[str, str]) -> list[str]:
    """`ally sync recover`: one line per entry kept by a merge, its text shown, never obeyed."""
    lines = []
    for item in kept:
        entry = item.entry
        state = (
            "in the journal again"
            if item.deleted and item.in_journal
            else "deleted by a sync"
            if item.deleted
            else "an older version (the later edit is in the journal)"
        )
        text = one_line(entry.text)
        lines.append(
            f"{short.get(entry.id, entry.id[:7])}  {entry.date.isoformat()}  {entry.kind}  "
            f"{text}  [{state}; merged {item.merged_at[:10]}]"
        )
    return lines


# -- the weekly review ----------------------------------------------------------------------


def levels_text(review: Review) -> str:
    """'interpersonal 5 · institutional 2 (Q4 2026)': the quarter's help by level."""
    return " · ".join(f"{level} {count}" for level, count in review.levels) + f" ({review.quarter})"


def goal_status(review: Review) -> str:
    """ "2 of 3 — one to go", "3 of 3 — goal met", or past the goal "5 — goal of 3 met"."""
    count = f"{review.allies_helped} of {review.goal}"
    if review.allies_helped > review.goal:
        return f"{review.allies_helped} — goal of {review.goal} met"
    if review.goal_met:
        return f"{count} — goal met"
    to_go = NUMBER_WORDS.get(review.to_go, str(review.to_go))
    return f"{count} — {to_go} to go" if review.in_progress else f"{count} — goal missed"


def streak_text(review: Review) -> str:
    weeks = "week" if review.streak == 1 else "weeks"
    text = f"{review.streak} {weeks} meeting the goal"
    if review.in_progress and not review.goal_met and review.streak:
        text += " (this week still open)"
    return text


def win_line(entry: Entry) -> str:
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
        *([f"Levels: {levels_text(review)}"] if review.levels else []),
        "",
        "Who you helped:" if review.allies else "Who you helped: nobody yet",
    ]
    for row in review.allies:
        lines.append(
            f"  @{row.handle}  {', '.join(row.kinds)}  x{row.count}  latest: {one_line(row.latest.text)}"
        )
    if review.thanks:
        lines += ["", "Who helped you:", *(f"  {thanks_line(e)}" for e in review.thanks)]
    if review.witnessed:
        lines += ["", "Allyship you saw:", *(f"  {thanks_line(e)}" for e in review.witnessed)]
    lines += ["", "Wins:" if review.wins else "Wins: none logged"]
    lines += [f"  {'* BIG ' if e.is_big else '- '}{win_line(e)}" for e in review.wins]
    if review.learned:
        lines += ["", "What you learned:", *(f"  - {win_line(e)}" for e in review.learned)]
    for entry in review.reflections:
        lines += ["", "Reflection:", *(f"  {visible(line)}" for line in entry.text.splitlines())]
    if review.nudges:
        lines += ["", "Nudges:", *(f"  - {visible(n.message)}" for n in review.nudges)]
    return "\n".join(lines)


def entry_fields(entry: Entry) -> list[tuple[str, str]]:
    """An entry's fields as (label, value) pairs, for `ally show`; empty ones left out."""
    rows: list[tuple[str, str | None]] = [
        ("id", entry.id),
        ("date", day_label(entry.date)),
        ("kind", kind_label(entry)),
        ("text", entry.text),
        ("impact", entry.impact),
        ("how", entry.help_kind if entry.kind == "thanks" else None),
        ("level", entry.level),
        ("goal", entry.goal),
        ("tags", " ".join(f"#{tag}" for tag in entry.tags) or None),
        ("mentions", " ".join(f"@{handle}" for handle in entry.mentions) or None),
        ("created", moment_label(entry.created_at)),
        (
            "updated",
            moment_label(entry.updated_at) if entry.updated_at != entry.created_at else None,
        ),
    ]
    return [(label, value) for label, value in rows if value]


def person_fields(person: Person, goals: Sequence[Goal] = ()) -> list[tuple[str, str]]:
    """A person's fields as (label, value) pairs, for `ally people show`, with their open
    goals."""
    rows = [("handle", f"@{person.handle}" + ("  (archived)" if person.archived else ""))]
    if person.ally_since:
        rows.append(("ally since", day_label(person.ally_since)))
    else:
        rows.append(("contact", f"only mentioned; `ally people add {person.handle}` makes an ally"))
    for field in PERSON_FIELDS:
        value = getattr(person, field)
        if value:
            rows.append((field.replace("_", " "), value))
    if person.check_in:
        rows.append(("check in", person.check_in))
    if person.teams:
        rows.append(("teams", ", ".join(person.teams)))
    wish = recognition_wish(person.recognition, person.channel)
    if wish:
        rows.append(("recognition", wish))
    for goal in goals:
        due = f", due {day_label(goal.due)}" if goal.due else ""
        rows.append(("goal", f"{goal.text} ({goal_label(goal)}{due}; {goal.id[:7]})"))
    return rows


def fields_text(rows: list[tuple[str, str]]) -> str:
    """'label: value' lines; a value's own line breaks are indented under it."""
    return "\n".join(
        f"{label}: {visible(value).replace(chr(10), chr(10) + '  ')}" for label, value in rows
    )


def goal_line(row: GoalRow) -> str:
    """One goal on one line, tab-separated, for pipes."""
    goal = row.goal
    return "\t".join(
        [
            row.short_id,
            ",".join(f"@{handle}" for handle in goal.people),
            goal.horizon,
            goal.due.isoformat() if goal.due else "",
            goal.status,
            one_line(goal.text),
        ]
    )


def promise_line(row: PromiseRow) -> str:
    """One promise on one line, tab-separated, for pipes."""
    promise = row.promise
    return "\t".join(
        [
            row.short_id,
            f"@{promise.handle}",
            promise.by.isoformat() if promise.by else "",
            promise.status if not row.overdue else f"overdue {row.overdue}d",
            one_line(promise.text),
        ]
    )


def promise_when(row: PromiseRow) -> str:
    """'by Fri 20 Nov, 3 days overdue', 'kept Mon 23 Nov', or ''."""
    promise = row.promise
    if not promise.is_open:
        closed = short_day(promise.closed_on, aligned=False) if promise.closed_on else ""
        return f"{promise.status} {closed}".strip()
    if promise.by is None:
        return ""
    by = f"by {short_day(promise.by, aligned=False)}"
    return (
        f"{by}, {row.overdue} day{'s' if row.overdue != 1 else ''} overdue" if row.overdue else by
    )


def agenda_sections(agenda: Agenda) -> tuple[str, list[tuple[str, list[str]]]]:
    """The agenda's title and its sections as (heading, lines), empty ones left out: one
    wording that plain text, Markdown and the terminal each lay out."""
    person = agenda.person
    title = f"Agenda for @{person.handle}" + (f" ({person.name})" if person.name else "")
    wish = recognition_wish(person.recognition, person.channel)
    who = [
        line
        for line in (
            ", ".join(v for v in (person.role, person.relationship) if v),
            f"shared values: {person.shared_values}" if person.shared_values else "",
            f"notes: {person.notes}" if person.notes else "",
            f"likes recognition {wish}" if wish else "",
        )
        if line
    ]
    if agenda.last_help:
        clock = f"last help {day_label(agenda.last_help)} ({ago(agenda.last_help, agenda.today)})"
    else:
        clock = "no help logged yet"
    if agenda.cadence:
        clock += f"; check in {agenda.cadence}"
        if agenda.overdue_days:
            clock += f", {agenda.overdue_days} days overdue"
        elif agenda.check_in_due:
            clock += f", next by {day_label(agenda.check_in_due)}"
    who.append(clock)
    if agenda.year:
        who.append("from you in 12 months: " + ", ".join(f"{n} {k}" for k, n in agenda.year))
    goals = []
    for status in agenda.goals:
        due = f", due {day_label(status.goal.due)}" if status.goal.due else ""
        last = (
            f"last: {one_line(status.last.text)} ({short_day(status.last.date, aligned=False)})"
            if status.last
            else "nothing done for it yet"
        )
        goals.append(f"{status.goal.text} ({goal_label(status.goal)}{due}) — {last}")
    promises = [
        f"{row.promise.text}" + (f" ({promise_when(row)})" if promise_when(row) else "")
        for row in agenda.promises
    ]
    recent = [
        f"{short_day(entry.date, aligned=False)}: {kind_label(entry)} — {one_line(entry.text)}"
        for entry in agenda.recent
    ]
    received = [
        f"{short_day(entry.date, aligned=False)}: {one_line(entry.text)}"
        for entry in agenda.received
    ]
    witnessed = [
        f"{short_day(entry.date, aligned=False)}, for @{entry.for_handle}: {one_line(entry.text)}"
        for entry in agenda.witnessed
    ]
    asks = list(agenda.suggestions)
    if agenda.leverage and asks:
        asks.append(f"What you bring: {agenda.leverage}.")
    topics = [
        f"[{number}] {one_line(topic.text)} (since {short_day(topic.created_on, aligned=False)})"
        for number, topic in enumerate(agenda.topics, 1)
    ]
    sections = [
        ("To raise", topics),
        ("Who", who),
        ("Goals", goals),
        ("Open promises", promises),
        ("Last things you did together", recent),
        ("Help you received", received),
        ("Allyship you saw them show", witnessed),
        ("Ask about", asks),
    ]
    return title, [(heading, lines) for heading, lines in sections if lines]


def agenda_plain(agenda: Agenda) -> str:
    title, sections = agenda_sections(agenda)
    lines = [visible(title)]
    for heading, items in sections:
        lines += ["", f"{heading}:", *(f"  - {visible(item)}" for item in items)]
    return "\n".join(lines)


def fairness_heading(report: Fairness) -> str:
    team = f" · team {report.team}" if report.team else ""
    what = "Who did the team's housework" if report.housework else "Who received what"
    return f"{what}, {span_label(report.period.start, report.period.end)}{team}"


def fairness_share(report: Fairness, total: int) -> str:
    """'40% (even: 25%)'."""
    if not report.total:
        return "—"
    even = 100 / len(report.rows)
    return f"{round(100 * total / report.total)}% (even: {round(even)}%)"


def fairness_plain(report: Fairness) -> str:
    """The report for pipes, NO_COLOR and screen readers: one line per person, a bar of #."""
    top = max((row.total for row in report.rows), default=0) or 1
    width = max(len(row.person.handle) for row in report.rows) + 1
    lines = [
        fairness_heading(report),
        f"Counted: {', '.join(report.kinds)}; {report.total} in all, "
        f"{report.even_share:.1f} each if shared evenly.",
        "",
    ]
    for row in report.rows:
        bar = "#" * round(20 * row.total / top)
        kinds = ", ".join(f"{kind} {row.counts[kind]}" for kind in report.kinds)
        trend = " · ".join(f"{q} {n}" for q, n in zip(report.quarters, row.by_quarter, strict=True))
        lines.append(
            f"@{row.person.handle:<{width}} {bar:<20} {row.total:>3}  "
            f"{fairness_share(report, row.total)}  ({kinds}; {trend})"
        )
    if report.flags:
        lines += ["", "Flags:", *(f"  - {flag}" for flag in report.flags)]
    return "\n".join(lines)


def goal_label(goal: Goal) -> str:
    """Whose goal and its horizon, in words: 'their long-term goal', 'shared, short-term'."""
    horizon = f"{goal.horizon}-term"
    return f"shared, {horizon}" if goal.mutual else f"theirs, {horizon}"


def thanks_line(entry: Entry) -> str:
    """'@kofi: Covered my on-call shift', or '@ana, for @sam: Credited his idea'."""
    whom = f", for @{entry.for_handle}" if entry.for_handle else ""
    return f"@{entry.ally}{whom}: {one_line(entry.text)}"


def person_status(person: Person) -> str:
    return "archived" if person.archived else "active" if person.is_ally else "contact"


def person_line(person: Person, last_helped: date | None) -> str:
    """One ally on one line, tab-separated, for pipes."""
    return "\t".join(
        [
            f"@{person.handle}",
            one_line(person.name),
            one_line(person.role),
            one_line(person.relationship),
            last_helped.isoformat() if last_helped else "never",
            person_status(person),
        ]
    )


def tag_lines(uses: Sequence[TagUse], *, aligned: bool) -> list[str]:
    """One tag per line: '#a11y  12  Mon 23 Nov' in columns at a terminal; tab-separated with
    an ISO date when piped, for scripts."""
    if not aligned:
        return [f"#{u.tag}\t{u.uses}\t{u.last_used.isoformat()}" for u in uses]
    width = max(len(u.tag) for u in uses) + 1
    count = max(len(str(u.uses)) for u in uses)
    return [
        f"{'#' + visible(u.tag):<{width}}  {u.uses:>{count}}  last {short_day(u.last_used, aligned=False)}"
        for u in uses
    ]


def kinds_text(width: int | None = None) -> str:
    """What each kind of entry, kind of help and level means, from the vocabulary; at a
    terminal `width` wide, a long meaning wraps under itself."""
    import textwrap

    from allyjournal.core.vocabulary import (
        ENTRY_KIND_MEANINGS,
        HELP_KIND_MEANINGS,
        LEVEL_MEANINGS,
        WORK_TYPE_MEANINGS,
    )

    sections = [
        ("Kinds of entry (ally list --kind KIND)", ENTRY_KIND_MEANINGS),
        ("Types of work (ally win TEXT --type TYPE)", WORK_TYPE_MEANINGS),
        ("Kinds of help (ally helped HANDLE TEXT --kind KIND)", HELP_KIND_MEANINGS),
        ("Levels of help (ally helped HANDLE TEXT --level LEVEL)", LEVEL_MEANINGS),
    ]
    lines: list[str] = []
    for title, meanings in sections:
        column = max(map(len, meanings))
        hang = " " * (column + 4)
        lines.append(title)
        for word, meaning in meanings.items():
            line = f"  {word:<{column}}  {meaning}"
            if width and len(line) > width:
                line = textwrap.fill(line, width, subsequent_indent=hang, break_on_hyphens=False)
            lines.append(line)
        lines.append("")
    lines.append("A unique prefix is enough: --kind conv, --level inst.")
    return "\n".join(lines)
