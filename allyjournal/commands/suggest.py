"""`ally suggest`: wins from your commits and check-ins from your calendar, offered one at a
time; nothing is logged until you accept it (actions/suggest.py)."""

import sys
from datetime import timedelta
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from allyjournal.actions import suggest as suggestions
from allyjournal.commands.common import PeriodOption, fail, journal, outside_bytes, today
from allyjournal.core import dates
from allyjournal.core.errors import BadInput
from allyjournal.core.text import one_line
from allyjournal.store import Conflict, Journal

if TYPE_CHECKING:
    from allyjournal.actions.suggest import Candidate

DEFAULT_DAYS = 30  # the period looked at when none is given: the last month of work
MAX_CALENDAR = 20 * 1024 * 1024  # bytes of an .ics file read; a year of meetings is far less
CHOICES = ("a", "e", "s", "q")


class Everything(str, Enum):
    all = "all"


def suggest(
    ctx: typer.Context,
    git: Annotated[
        list[Path] | None,
        typer.Option("--git", metavar="PATH", help="A repository whose commits of yours to read."),
    ] = None,
    ics: Annotated[
        list[Path] | None,
        typer.Option(
            "--ics", metavar="FILE", help="A calendar export (.ics) to read meetings from."
        ),
    ] = None,
    period: PeriodOption = None,
    accept: Annotated[
        Everything | None,
        typer.Option("--accept", help="Log every suggestion without asking (for scripts)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="The suggestions as JSON; nothing is logged.")
    ] = False,
    again: Annotated[
        bool, typer.Option("--again", help="Offer again what you skipped before.")
    ] = False,
) -> None:
    """Suggest wins from your commits and check-ins from your calendar's meetings, one at a
    time: accept, edit (in your editor), skip or quit. A day's commits in a repository are
    one win, tagged by their conventional-commit scopes and folders, big when a merge or a
    tag is among them; a 1:1 or a coffee with someone in your journal is a check-in.

    What you log or skip is never offered again. Your commits are those of `ally config emails`,
    else the repository's user.email. By default, the last 30 days. Nothing is read from the
    network.

    Examples:

      ally suggest --git ~/code/app --git ~/code/docs

      ally suggest --ics ~/Downloads/calendar.ics --period 'last week'

      ally suggest --git . --accept all

      ally suggest --git . --json
    """
    journal_ = journal(ctx)
    if not git and not ics:
        fail(
            "Say where to look: --git PATH (a repository) or --ics FILE (a calendar export), "
            "e.g. ally suggest --git ~/code/app."
        )
    found = _candidates(journal_, git or [], ics or [], period, again)
    if as_json and accept is None:
        from allyjournal.formats.json import dumps

        typer.echo(dumps([candidate.to_record() for candidate in found]))
    elif accept is not None:
        _accept_all(journal_, found, as_json)
    elif sys.stdin.isatty() and sys.stdout.isatty():
        _choose(journal_, found)
    else:
        _list(found)


def _candidates(
    journal_: Journal, git: list[Path], ics: list[Path], period: str | None, again: bool
) -> "list[Candidate]":
    from allyjournal.core.config import email_set

    if period is None:
        span = dates.Period(today() - timedelta(days=DEFAULT_DAYS - 1), today(), "last 30 days")
    else:
        span = dates.parse_period(
            period, today=today(), week_start=journal_.config().week_start_index
        )
    mine = email_set(journal_.config().emails)
    left_out = suggestions.answered(journal_, again=again)
    people = journal_.people()
    found: list[Candidate] = []
    if git:
        from allyjournal.formats import gitlog

        known = frozenset(person.handle for person in people)
        for path in git:
            commits = gitlog.commits(path.expanduser(), span, mine)
            found += suggestions.from_commits(commits, left_out, known)
    if ics:
        from allyjournal.formats import ics as calendars

        for path in ics:
            try:
                meetings = calendars.meetings(
                    outside_bytes(path, MAX_CALENDAR, what="an .ics file (export your calendar)"),
                    span,
                    mine,
                )
            except BadInput as error:
                raise BadInput(f"--ics {one_line(str(path))}: {error}") from None
            found += suggestions.from_meetings(meetings, people, mine, left_out, today())
    return sorted(found, key=lambda candidate: candidate.day)


def _line(candidate: "Candidate") -> str:
    """A candidate on one line: its day, what it would log, its tags and where it came from."""
    what = f"check-in with @{candidate.ally}" if candidate.kind == "help" else "win"
    if candidate.kind == "win" and candidate.big:
        what = "big win"
    tags = "".join(f" #{tag}" for tag in candidate.tags)
    return one_line(
        f"{dates.day_label(candidate.day)}  {what}: {candidate.text}{tags}  ({candidate.origin})"
    )


def _list(found: "list[Candidate]") -> None:
    """Not at a terminal: the suggestions, and how to log them."""
    for candidate in found:
        typer.echo(_line(candidate))
    if found:
        count = len(found)
        typer.echo(
            f"{count} suggestion{'s' if count != 1 else ''}: run `ally suggest` at a terminal "
            "to choose, or add --accept all to log every one.",
            err=True,
        )


def _accept_all(journal_: Journal, found: "list[Candidate]", as_json: bool) -> None:
    records = []
    for candidate in found:
        try:
            logged = suggestions.accept(journal_, candidate)
        except Conflict:  # another `ally suggest` logged it first: logged once, as it should be
            typer.echo(
                f"ally: already logged by another ally process: {_line(candidate)}", err=True
            )
            continue
        if as_json:
            records.append({**candidate.to_record(), "entry": logged.entry.id})
        else:
            typer.echo(f"Logged {logged.short_id}: {_line(candidate)}")
    if as_json:
        from allyjournal.formats.json import dumps

        typer.echo(dumps(records))
    elif not found:
        typer.echo("Nothing new to suggest.")


def _choose(journal_: Journal, found: "list[Candidate]") -> None:
    """One suggestion at a time. Each accepted one is logged at once (its own change, which
    `ally undo` reverts); the skipped ones are remembered together at the end."""
    if not found:
        typer.echo("Nothing new to suggest.")
        return
    logged, skipped, elsewhere = 0, [], 0
    for number, candidate in enumerate(found, 1):
        answer = _decide(journal_, candidate, number, len(found))
        if answer == "q":
            break
        if answer == "s":
            skipped.append(candidate)
        elif answer == "m":
            elsewhere += 1
        else:
            logged += 1
    suggestions.skip(journal_, skipped)
    left = len(found) - logged - len(skipped) - elsewhere
    typer.echo(
        f"Logged {logged}, skipped {len(skipped)}"
        + (f"; {left} left for next time." if left else ".")
    )


def _decide(journal_: Journal, candidate: "Candidate", number: int, total: int) -> str:
    """Ask until the candidate is logged ("a"), skipped ("s"), or the user quits ("q"); "m"
    when another `ally suggest` logged it meanwhile."""
    typer.echo(f"\n{number}/{total}  {_line(candidate)}")
    while True:
        try:
            answer = str(typer.prompt("[a]ccept, [e]dit, [s]kip or [q]uit", default="a"))
        except typer.Abort:  # end of input: as quitting
            return "q"
        answer = answer.strip().lower()[:1]
        if answer not in CHOICES:
            typer.echo("Type a to log it, e to edit it first, s to skip it, or q to stop.")
            continue
        if answer in ("s", "q"):
            return answer
        text = None
        if answer == "e":
            text = _edited(journal_, candidate)
            if text is None:
                continue  # the editor failed: ask again
            if not text:
                typer.echo("Left empty: skipped.")
                return "s"
        try:
            logged = suggestions.accept(journal_, candidate, text)
        except BadInput as error:
            typer.echo(f"ally: {one_line(str(error))}", err=True)
            continue
        except Conflict:
            typer.echo("Already logged by another ally process meanwhile.")
            return "m"
        typer.echo(f"Logged {logged.short_id}.")
        return "a"


def _edited(journal_: Journal, candidate: "Candidate") -> str | None:
    """The text as the user left it in their editor; None when the editor failed."""
    from allyjournal.commands.editor import edit_text

    what = "check-in" if candidate.kind == "help" else "win"
    hint = f"Edit the {what}; save and close to log it, or leave it empty to skip it."
    try:
        return edit_text(candidate.text, journal_.config().editor, hint=hint)
    except BadInput as error:
        typer.echo(f"ally: {one_line(str(error))}", err=True)
        return None
