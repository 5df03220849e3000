"""The command line's root: global options, commands loaded on demand, errors as one line.

`ally` has twenty-odd commands, and building all of them in Typer on every start would cost
more than the work of `ally win` itself. The root group follows Click's documented "lazy
group" pattern: `list_commands` names every command from a table, and `get_command` imports
and builds only the one asked for. Help, completion and tests go through the same path.

Every refusal reaches the user as one `ally: …` line on stderr: domain errors with their own
exit code, usage errors (Click's and Typer's) with 2, an interrupt with 130.
"""

import importlib
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

# Typer 0.28 carries its own copy of Click (pyproject.toml pins that series), and does not
# re-export Click's UsageError, which every mistyped command line raises.
from typer._click import exceptions as click_exceptions
from typer.core import TyperGroup

from allyjournal.core.errors import JournalError
from allyjournal.core.text import visible
from allyjournal.store import Journal, default_home, why

USAGE_EXIT = 2
# Commands that only read: on a journal folder that does not exist (a mistyped --home or
# $ALLYJOURNAL_HOME) they say so instead of showing an empty journal.
READS_ONLY = frozenset(
    {
        "list",
        "show",
        "review",
        "export",
        "tags",
        "doctor",
        "agenda",
        "recognition",
        "together",
        "nominate",
        "fairness",
        "remind",
        "calendar",
    }
)

# Command name -> "module:attribute". An attribute is a command function, or a Typer app for a
# group of subcommands (`ally people …`).
COMMANDS: dict[str, str] = {
    "win": "allyjournal.commands.log:win",
    "helped": "allyjournal.commands.log:helped",
    "thanks": "allyjournal.commands.log:thanks",
    "learned": "allyjournal.commands.log:learned",
    "chore": "allyjournal.commands.log:chore",
    "list": "allyjournal.commands.entries:list_entries",
    "show": "allyjournal.commands.entries:show",
    "edit": "allyjournal.commands.entries:edit",
    "delete": "allyjournal.commands.entries:delete",
    "undo": "allyjournal.commands.entries:undo",
    "people": "allyjournal.commands.people:app",
    "goal": "allyjournal.commands.goals:app",
    "promise": "allyjournal.commands.promises:app",
    "agenda": "allyjournal.commands.agenda:agenda",
    "remind": "allyjournal.commands.reminders:remind",
    "calendar": "allyjournal.commands.reminders:calendar",
    "suggest": "allyjournal.commands.suggest:suggest",
    "recognition": "allyjournal.commands.recognition:recognition",
    "together": "allyjournal.commands.recognition:together",
    "nominate": "allyjournal.commands.recognition:nominate",
    "fairness": "allyjournal.commands.recognition:fairness",
    "review": "allyjournal.commands.review:review",
    "status": "allyjournal.commands.status:status",
    "demo": "allyjournal.commands.review:demo",
    "export": "allyjournal.commands.transfer:export",
    "import": "allyjournal.commands.transfer:import_entries",
    "config": "allyjournal.commands.settings:config",
    "backup": "allyjournal.commands.safety:backup",
    "restore": "allyjournal.commands.safety:restore",
    "doctor": "allyjournal.commands.safety:doctor",
    "sync": "allyjournal.commands.sync:app",
    "encrypt": "allyjournal.commands.sync:encrypt",
    "tags": "allyjournal.commands.words:tags",
    "kinds": "allyjournal.commands.words:kinds",
    "help": "allyjournal.commands.words:help_command",
    "completion": "allyjournal.commands.manual:completion",
    "man": "allyjournal.commands.manual:man",
}


def build_command(name: str) -> Any:
    """Import the module that defines command `name` and build its Click command."""
    module_name, attribute = COMMANDS[name].split(":")
    target = getattr(importlib.import_module(module_name), attribute)
    if not isinstance(target, typer.Typer):
        single = typer.Typer(add_completion=False)  # completion is the root's to install
        single.command(name)(target)
        target = single
    command = typer.main.get_command(target)
    command.name = name
    from allyjournal.commands import helptext, options

    return options.guard(helptext.tidy(command))


class AllyGroup(TyperGroup):
    """The root group: lazy commands, and every error turned into one line and an exit code."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        from allyjournal.commands import helptext

        helptext.tidy(self, subcommands=False)
        super().format_help(ctx, formatter)

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        if cmd_name not in self.commands:
            self.commands[cmd_name] = build_command(cmd_name)
        return self.commands[cmd_name]

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click_exceptions.UsageError as error:
            import difflib

            close = difflib.get_close_matches(args[0], COMMANDS, n=1) if args else []
            if close and "No such command" in error.message:
                error.message = f"No such command '{args[0]}'; did you mean '{close[0]}'?"
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            result = super().invoke(ctx)
            journal = ctx.obj if isinstance(ctx.obj, Journal) else None
            if journal is not None and journal.committed and (target := journal.config().calendar):
                from allyjournal.commands.reminders import refresh

                refresh(journal, target)  # `ally config calendar FILE`: kept up to date
            return result
        except JournalError as error:
            tell(f"ally: {visible(str(error))}")
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            journal = ctx.obj if isinstance(ctx.obj, Journal) else None
            if journal is not None and journal.committed:
                tell("ally: interrupted after the change was saved.")
            else:
                tell("ally: interrupted; nothing was changed.")
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `ally list | head`: the reader has what it wanted
            import os

            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no flush error
            raise typer.Exit(0) from None
        except OSError as error:  # outside a change: reading, or a file the user named
            where = f"{error.filename}: " if error.filename else ""
            tell(f"ally: {visible(where + why(error))}.")
            raise typer.Exit(1) from None
        finally:
            if isinstance(ctx.obj, Journal):
                for note in ctx.obj.notes:
                    tell(f"ally: note: {visible(note)}")

    def main(
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        """Run the command line; usage errors become one `ally:` line and exit status 2."""
        import os

        if any(name.endswith("_COMPLETE") for name in os.environ):
            # A shell asking for completions (`ally completion` wrote the script): Typer
            # registers its shells' completion classes only for its own install options.
            from typer._completion_classes import completion_init

            completion_init()
        try:
            result = super().main(
                args, prog_name, complete_var, False, windows_expand_args, **extra
            )
        except click_exceptions.UsageError as error:
            where = error.ctx.command_path if error.ctx else "ally"
            message = visible(error.format_message().replace("\n", " "))
            tell(f"ally: {message} (see `{where} --help`)")
            result = USAGE_EXIT
        except click_exceptions.ClickException as error:
            tell(f"ally: {visible(error.format_message())}")
            result = error.exit_code
        except typer.Abort:
            tell("ally: cancelled; nothing was written.")
            result = 1
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def tell(line: str) -> None:
    """One `ally:` line on stderr, through `reports.said`: at a terminal wrapped between words,
    its continuation indented under the message, so nothing is cut mid-word at 80 columns."""
    from allyjournal import reports

    reports.said(line, hang=6, err=True)


app = typer.Typer(
    cls=AllyGroup,
    name="ally",
    help=(
        "Log your wins and the allies you help; review each week; export for reviews.\n\n"
        'Examples:\n\n  ally win "Cut CI time from 40 to 12 minutes" --big --impact "30 h/week"'
        '\n\n  ally helped maya "Introduced her to the platform lead" --kind intro\n\n'
        "  ally review\n\n  ally export --period 2026 --format md -o review-2026.md"
    ),
    no_args_is_help=False,
    invoke_without_command=True,
    add_completion=False,  # `ally completion SHELL [--install]` instead of Typer's two options
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
        from allyjournal.store import SCHEMA_VERSION

        typer.echo(f"allyjournal {__version__} (journal schema {SCHEMA_VERSION})")
        raise typer.Exit()
    ctx.obj = Journal(home.expanduser() if home else default_home())
    if ctx.invoked_subcommand in READS_ONLY and not ctx.obj.home.exists():
        import os

        if home is not None or os.environ.get("ALLYJOURNAL_HOME"):
            # Said when the command asks for the journal, after its options are read, so
            # `--help` still works and a bad option is still named first.
            source = "--home" if home is not None else "$ALLYJOURNAL_HOME"
            ctx.meta["missing_journal"] = (
                f"No journal at {ctx.obj.home} ({source}): check the path for a typo, or log "
                "something to start a journal there."
            )
    exposed = ctx.obj.privacy_problems()
    if exposed:
        tell(
            f"ally: warning: {exposed[0]} can be read by other users; "
            f"`chmod -R go-rwx {ctx.obj.home}` or `ally doctor --fix` makes it private."
        )
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())


def main() -> None:
    """Console-script entry point (`ally`, `allyjournal`, `python -m allyjournal`)."""
    app()
