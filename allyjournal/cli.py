"""The command line: parse what was typed, call the domain, hand results to reports.

Domain errors become one line on stderr and an exit code here, and nowhere else. Heavy modules
(Rich, dateutil) are imported inside the commands that use them, so `ally win` starts fast.
The cli modules do not use `from __future__ import annotations`: Typer reads every command's
annotations, and evaluating them once at import costs far less than Typer evaluating strings.
"""

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from allyjournal.errors import BadInput, JournalError
from allyjournal.store import Journal, default_home

if TYPE_CHECKING:
    from allyjournal.dates import Period


class JournalGroup(TyperGroup):
    """Turns a domain error, raised anywhere below, into one line on stderr and its exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except JournalError as error:
            from allyjournal.reports import visible  # messages quote what the user typed

            typer.echo(f"ally: {visible(str(error))}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("ally: interrupted; nothing was written.", err=True)
            raise typer.Exit(130) from None


app = typer.Typer(
    cls=JournalGroup,
    name="ally",
    help=(
        "Log your wins and the allies you help; review each week; export for reviews.\n\n"
        'Examples:\n\n  ally win "Cut CI time from 40 to 12 minutes" --big --impact "30 eng-hours/week"'
        '\n\n  ally helped maya "Introduced her to the platform lead" --kind intro\n\n'
        "  ally review\n\n  ally export --period 2026 --format md -o review-2026.md"
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
people_app = typer.Typer(
    cls=JournalGroup,
    help="Your allies: list, add, show, edit, rename, archive.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(people_app, name="people")

WhenOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        "-d",
        help="When it happened: today, yesterday, 'last friday', '3 days ago', 2026-11-03, 'Nov 3'.",
        show_default=False,
    ),
]
NewOption = Annotated[
    bool,
    typer.Option("--new", help="Add unknown @handles as new allies even if one looks like a typo."),
]


def journal(ctx: typer.Context) -> Journal:
    obj: Journal = ctx.find_root().obj
    return obj


def complete_handle(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for handles: the allies in the journal `--home` points at."""
    try:
        home = ctx.find_root().params.get("home")
        people = Journal(Path(home) if home else default_home()).people(include_archived=False)
    except (JournalError, OSError):
        return []
    wanted = incomplete.lstrip("@").lower()
    return [person.handle for person in people if person.handle.startswith(wanted)]


def today() -> date:
    from allyjournal.dates import today as dates_today

    return dates_today()


def parse_when(text: str | None) -> date:
    if text is None:
        return today()
    from allyjournal.dates import parse_when as parse

    return parse(text, today=today())


def parse_week(text: str | None, week_start: int) -> "Period":
    """The week containing a WHEN ('last friday'), or a week named as a period ('last week')."""
    from allyjournal import dates
    from allyjournal.errors import DateError

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
        return sys.stdin.read().strip()
    from allyjournal.editor import edit_text

    return edit_text("", journal_.config().editor, hint=f"Describe the {what}.").strip()


@app.callback()
def main_callback(
    ctx: typer.Context,
    home: Annotated[
        Path | None,
        typer.Option(
            "--home",
            help="Journal directory (default: $ALLYJOURNAL_HOME, else your user data directory).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", help="Show the version and exit.", is_eager=True)
    ] = False,
) -> None:
    """Log your wins and the allies you help; review each week; export for performance reviews."""
    if version:
        from allyjournal import __version__

        typer.echo(f"allyjournal {__version__}")
        raise typer.Exit()
    ctx.obj = Journal(home.expanduser() if home else default_home())
    exposed = ctx.obj.privacy_problems()
    if exposed:
        typer.echo(
            f"ally: warning: {exposed[0]} can be read by other users; "
            f"`chmod -R go-rwx {ctx.obj.home}` or `ally doctor --fix` makes it private.",
            err=True,
        )
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


@app.command()
def win(
    ctx: typer.Context,
    text: Annotated[
        list[str] | None, typer.Argument(help="What you did; #tags and @handles count.")
    ] = None,
    big: Annotated[bool, typer.Option("--big", help="A big win (default: small).")] = False,
    impact: Annotated[str | None, typer.Option("--impact", "-i", help="Why it mattered.")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")] = None,
    when: WhenOption = None,
    new: NewOption = False,
) -> None:
    """Log a win, big or small.

    Examples:

      ally win "Cut CI time from 40 to 12 minutes" --big --impact "saves ~30 eng-hours/week"

      ally win "Paired with @sam on the flaky test #quality" --date yesterday

    With no TEXT, opens your editor (or reads standard input when piped).
    """
    from allyjournal import entries, reports

    day = parse_when(when)
    body = read_text(text, journal(ctx), what="win")
    logged = entries.log_win(
        journal(ctx), body, when=day, big=big, impact=impact, tags=tag, allow_new=new
    )
    for line in reports.logged_message(logged):
        typer.echo(line)


@app.command()
def helped(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(
            help="The ally you helped, e.g. maya or @maya.", autocompletion=complete_handle
        ),
    ],
    text: Annotated[list[str] | None, typer.Argument(help="What you did for them.")] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="conversation, check-in, intro, advocacy, recognition, opportunity, "
            "sponsorship, feedback, mentoring, nomination, other.",
        ),
    ] = "other",
    level: Annotated[
        str | None,
        typer.Option("--level", "-l", help="internal, interpersonal, institutional, systemic."),
    ] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")] = None,
    when: WhenOption = None,
    new: NewOption = False,
) -> None:
    """Log help you gave an ally.

    Examples:

      ally helped maya "Asked how I can support her promotion case" --kind conversation

      ally helped sam "Recommended Sam to lead the Q1 launch" --kind opportunity --level institutional
    """
    from allyjournal import entries, reports

    day = parse_when(when)
    body = read_text(text, journal(ctx), what=f"help you gave @{handle.lstrip('@')}")
    logged = entries.log_help(
        journal(ctx),
        handle,
        body,
        when=day,
        help_kind=kind,
        level=level,
        tags=tag,
        allow_new=new,
    )
    for line in reports.logged_message(logged):
        typer.echo(line)


# Where each command is defined: `main` imports only the module of the command being run.
COMMAND_MODULES = {
    **dict.fromkeys(("list", "show", "edit", "delete", "undo", "config"), "cli_entries"),
    "people": "cli_people",
    **dict.fromkeys(("review", "demo"), "cli_review"),
    **dict.fromkeys(("backup", "restore", "doctor"), "cli_safety"),
    **dict.fromkeys(("export", "import"), "cli_transfer"),
}


def load_commands(*names: str) -> None:
    """Register the commands named (all of them when none are), importing their modules."""
    import importlib

    wanted = [COMMAND_MODULES[name] for name in names if name in COMMAND_MODULES]
    for module in dict.fromkeys(wanted if names else COMMAND_MODULES.values()):
        importlib.import_module(f"allyjournal.{module}")


def invoked_command(arguments: list[str]) -> str | None:
    """The subcommand named on the command line, skipping the global options before it."""
    position = 0
    while position < len(arguments):
        argument = arguments[position]
        if argument == "--home":
            position += 2
        elif argument.startswith("-"):
            position += 1
        else:
            return argument
    return None


def only_invoked_command(arguments: list[str]) -> None:
    """Keep just the command being run, so Typer does not build the other twenty.

    Typer turns every registered function into a Click command before dispatching, reading
    each signature and its annotations; for one `ally win` that is most of the start-up time
    beyond importing Typer itself. Help, completion and unknown names keep the full set.
    """
    name = invoked_command(arguments)
    commands = {
        (info.name or info.callback.__name__.replace("_", "-")): info
        for info in app.registered_commands
        if info.callback is not None
    }
    groups = {info.name: info for info in app.registered_groups}
    if name in commands:
        app.registered_commands, app.registered_groups = [commands[name]], []
    elif name in groups:
        app.registered_commands, app.registered_groups = [], [groups[name]]


def main() -> None:
    """Console-script entry point."""
    import os

    name = invoked_command(sys.argv[1:])
    completing = any(key.endswith("_COMPLETE") for key in os.environ)
    if completing or name is None or name not in {*COMMAND_MODULES, "win", "helped"}:
        load_commands()  # help, completion and "no such command" need them all
    else:
        load_commands(name)
        only_invoked_command(sys.argv[1:])
    app()
