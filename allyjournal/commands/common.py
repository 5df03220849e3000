"""What every command module shares: the journal of this invocation, typed dates, handles
completion, shared options, and text from the arguments, a pipe or the editor.

The command modules do not use `from __future__ import annotations`: Typer reads every
command's annotations, and evaluating them once at import costs far less than Typer
evaluating strings.
"""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from allyjournal.core import dates
from allyjournal.core.errors import BadInput, Cancelled, DateError, JournalError
from allyjournal.store import Journal, default_home

if TYPE_CHECKING:
    from allyjournal.core.dates import Period

WhenOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        help="When it happened: today, yesterday, 'last friday', '3 days ago', 2026-11-03, 'Nov 3'.",
        show_default=False,
    ),
]
FromOption = Annotated[str | None, typer.Option("--from", help="On or after WHEN.")]
ToOption = Annotated[str | None, typer.Option("--to", help="On or before WHEN.")]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        "-p",
        help="2026, 2026-H1, 2026-Q3, 'this month', 'last quarter', 'last 90 days'.",
    ),
]
FutureOption = Annotated[
    bool,
    typer.Option("--future", help="Allow a --date after today (a plan, logged ahead of time)."),
]
GoalOption = Annotated[
    str | None,
    typer.Option(
        "--goal", metavar="ID", help="The goal this help served (its id; `ally goal list`)."
    ),
]
NewOption = Annotated[
    bool,
    typer.Option("--new", help="Add unknown @handles as new allies even if one looks like a typo."),
]


def journal(ctx: typer.Context) -> Journal:
    """The journal `--home` (or $ALLYJOURNAL_HOME) chose, opened by the root command; for a
    command that only reads, refused when that folder does not exist (a mistyped path would
    otherwise show an empty journal)."""
    root = ctx.find_root()
    if missing := root.meta.get("missing_journal"):
        raise BadInput(missing)
    obj: Journal = root.obj
    return obj


def complete_handle(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for handles: the allies in the journal `--home` points at."""
    try:
        people = _completion_journal(ctx).people(include_archived=False)
    except (JournalError, OSError):
        return []
    wanted = incomplete.lstrip("@").lower()
    return [person.handle for person in people if person.handle.startswith(wanted)]


def _starting(options: "tuple[str, ...] | list[str]", incomplete: str) -> list[str]:
    return [option for option in options if option.startswith(incomplete.lower())]


def complete_kind(incomplete: str) -> list[str]:
    """Shell completion for `--kind` of list and export: kinds of entry and of help."""
    from allyjournal.core.vocabulary import ENTRY_KINDS, HELP_KINDS

    return _starting(ENTRY_KINDS + HELP_KINDS, incomplete)


def complete_help_kind(incomplete: str) -> list[str]:
    from allyjournal.core.vocabulary import HELP_KINDS

    return _starting(HELP_KINDS, incomplete)


def complete_level(incomplete: str) -> list[str]:
    from allyjournal.core.vocabulary import LEVELS

    return _starting(LEVELS, incomplete)


def _completion_journal(ctx: typer.Context) -> Journal:
    home = ctx.find_root().params.get("home")
    return Journal(Path(home) if home else default_home())


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for `--tag`: the journal's tags, most used first."""
    try:
        used = _completion_journal(ctx).tag_use()
    except (JournalError, OSError):
        return []
    wanted = incomplete.lstrip("#").lower()
    return [use.tag for use in used if use.tag.startswith(wanted)]


# `--tag` of the commands that log: after complete_tag, which it names.
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", help="Tag (repeatable).", autocompletion=complete_tag),
]


def complete_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for an entry id: the newest entries' short ids, with their text."""
    try:
        chosen = _completion_journal(ctx)
        from allyjournal.actions import search

        recent = list(search.find_entries(chosen, search.EntryFilter(), 30))
        short = chosen.short_ids(entry.id for entry in recent)
    except (JournalError, OSError):
        return []
    return [short[e.id] for e in recent if short[e.id].startswith(incomplete.lower())]


def today() -> date:
    from allyjournal.core.dates import today as dates_today

    return dates_today()


def parse_when(text: str | None, *, logging: bool = False, future: bool = False) -> date:
    """A typed WHEN. `logging` (a date an entry is logged on) refuses a day after today
    unless `future`: a journal records what happened, and 'tomorrow' is more often a slip."""
    if text is None:
        return today()
    from allyjournal.core.dates import parse_when as parse

    day = parse(text, today=today())
    if logging and not future and day > today():
        fail(
            f"--date '{text}' is {dates.day_label(day)}, after today; add --future to log it "
            "ahead of time, or give a past date."
        )
    return day


def parse_due(text: str, option: str, week_start: int = 0) -> date:
    """A typed deadline (`--by`, `--due`): read looking ahead (core/dates.py), and refused
    when it still lands before today, since a promise made overdue helps no one."""
    from allyjournal.core.dates import DUE_EXAMPLES
    from allyjournal.core.dates import parse_when as parse

    day = parse(text, today=today(), ahead=True, week_start=week_start)
    if day < today():
        fail(
            f"{option} '{text}' is {dates.day_label(day)}, before today: a deadline looks "
            f"ahead; try {DUE_EXAMPLES}."
        )
    return day


def parse_week(text: str | None, week_start: int) -> "Period":
    """The week containing a WHEN ('last friday'), or a week named as a period ('last week')."""

    if text is None:
        return dates.week_containing(today(), week_start)
    try:
        return dates.week_containing(dates.parse_when(text, today=today()), week_start)
    except DateError:
        try:
            span = dates.parse_period(text, today=today(), week_start=week_start)
        except DateError:
            span = None
        if span is None or span.days() > 7:
            raise DateError(
                f"Cannot read week '{text}': try 'last week', 2026-W45, or a day such as "
                "'last friday' or 2026-11-03."
            ) from None
        return span


def fail(message: str) -> NoReturn:
    raise BadInput(message)


def read_text(words: list[str] | None, journal_: Journal, *, what: str) -> str:
    """The words typed, else standard input when piped, else the user's editor."""
    if words:
        return " ".join(words)
    if not sys.stdin.isatty():
        try:
            return sys.stdin.read().strip()
        except UnicodeDecodeError:
            fail("The text piped in is not UTF-8; convert it (iconv -t UTF-8) and try again.")
    from allyjournal.commands.editor import choose_editor, edit_text

    configured = journal_.config().editor
    if choose_editor(configured) is None:  # no editor: ask on the terminal, as --reflect does
        return str(typer.prompt(f"Describe the {what}")).strip()
    return edit_text("", configured, hint=f"Describe the {what}.").strip()


def confirm(question: str, *, action: str, declined: str) -> None:
    """Ask before something destructive. With no terminal to ask at, refuse the same way in
    every command (exit 2, as for any missing option); a "no" is a cancellation (exit 1)."""

    if not sys.stdin.isatty():
        raise BadInput(f"Refusing to {action} without confirmation: add --yes.")
    from allyjournal.core.text import visible

    if not typer.confirm(visible(question)):  # it quotes records: shown, never obeyed
        raise Cancelled(declined)


def check_output(
    output: Path | None, *, force: bool, journal_: Journal, page: str | None = None
) -> None:
    """`-o FILE` for a document: a file in a folder that exists, outside the journal (an
    export among its day files would read as a damaged day), not overwritten by accident.
    Without `-o`, a `page` (HTML, or "--format docx") is refused at a terminal, where it would
    be a screen of markup or bytes: a pipe or `-o` is where it goes."""
    if output is None:
        if page is not None and sys.stdout.isatty():
            if page == "--format docx":
                fail(
                    "--format docx is a Word file, not text for the terminal: add -o FILE "
                    "(e.g. -o review.docx), or redirect it (> review.docx)."
                )
            fail(
                f"{page} is a page for a browser, not the terminal: add -o FILE "
                f"(e.g. -o report.html), or pipe it (| cat > report.html)."
            )
        return
    if output.is_dir():
        fail(f"{output} is a folder; give -o a file name, e.g. -o {output / 'review.md'}.")
    if not output.parent.is_dir():
        fail(f"{output.parent} does not exist; create it first or choose another -o FILE.")
    refuse_inside(output, journal_)
    if output.exists() and not force:
        fail(f"{output} already exists; add --force to overwrite it, or choose another -o FILE.")


def refuse_inside(path: Path, journal_: Journal) -> None:
    """A file we are asked to write goes beside the journal, never among its own files (an
    export among its day files would read as a damaged day)."""
    home = journal_.home.resolve()
    target = path.parent.resolve() / path.name
    if target == home or home in target.parents:
        fail(f"{path} is inside the journal ({journal_.home}); choose a file outside it.")


def chosen_period(
    journal_: Journal, period: str | None, start: str | None, end: str | None
) -> "Period":
    """A document's period: --period, narrowed or replaced by --from/--to; by default the
    last 12 months."""
    from datetime import timedelta

    from allyjournal.core.dates import Period

    if period is not None:
        week_start = journal_.config().week_start_index
        span = dates.parse_period(period, today=today(), week_start=week_start)
    else:
        span = Period(today() - timedelta(days=364), today(), "last 12 months")
    if start is not None or end is not None:
        span = Period(
            parse_when(start) if start else span.start,
            parse_when(end) if end else span.end,
            "custom",
        )
        if span.start > span.end:
            fail(
                f"--from {span.start.isoformat()} is after --to {span.end.isoformat()}; "
                "the period starts with --from."
            )
    return span


def page_of(file_format: str) -> str | None:
    """The formats refused at a terminal without -o (see check_output): a page and a file."""
    return f"--format {file_format}" if file_format in ("html", "docx") else None


def deliver_bytes(data: bytes, output: Path | None, written: str) -> None:
    """A binary document (a Word file) to `output`, atomically and readable by its owner only,
    saying what it holds (`written`, e.g. "12 entries"); or, without -o, to the pipe
    check_output has made sure stdout is."""
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    from allyjournal import reports
    from allyjournal.store import write_private_file

    write_private_file(output, [data])
    reports.said(f"Wrote {written} to {output} (readable by you only).", err=True)


def outside_bytes(path: Path, limit: int, *, what: str) -> bytes:
    """The bytes of a file the user names (a calendar export, a ladder), read whole under
    `limit` bytes, or a BadInput saying why not; `what` is what it should be ("an .ics file")."""
    try:
        path = path.expanduser()
        if path.stat().st_size > limit:
            size = f"{limit >> 20} MB" if limit >= 1 << 20 else f"{limit >> 10} KB"
            raise BadInput(f"the file is over {size}; give {what}.")
        return path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"no such file; give {what}.") from None
    except IsADirectoryError:
        raise BadInput(f"that is a folder; give {what}.") from None
    except OSError as error:
        raise BadInput(f"cannot read it ({error.strerror}).") from None
