"""`ally tags`, `ally kinds` and `ally help`: the journal's own words, explained and counted."""

from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.commands.common import fail, journal


def tags(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for scripts.")] = False,
) -> None:
    """List your tags, most used first, with how often and when you last used each.

    A tag is a word after `#` in a win or a help (`#a11y`, `#on-call`), or one added with
    `--tag`; a number alone (`PR #4123`) is not a tag.

    Examples:

      ally tags

      ally tags --json
    """
    reports.show_tags(journal(ctx).tag_use(), as_json=as_json)


def kinds() -> None:
    """Explain the kinds of entry, the kinds of help and the levels, in the journal's terms.

    Any unique prefix works wherever a kind or level is asked for (`--kind conv`,
    `--level inst`).

    Examples:

      ally kinds

      ally helped maya "Put her name forward for the launch" --kind sponsorship
    """
    reports.show_kinds()


def help_command(
    ctx: typer.Context,
    command: Annotated[
        list[str] | None,
        typer.Argument(metavar="[COMMAND]...", help="The command to explain, e.g. people add."),
    ] = None,
) -> None:
    """Show the help of ally or of one command (the same as `ally COMMAND --help`).

    Examples:

      ally help

      ally help export

      ally help people add
    """
    root = ctx.find_root()
    current_ctx = root
    for name in command or []:
        group = current_ctx.command
        found = group.get_command(current_ctx, name) if hasattr(group, "get_command") else None
        if found is None:
            import difflib

            options = (
                list(group.list_commands(current_ctx)) if hasattr(group, "list_commands") else []
            )
            close = difflib.get_close_matches(name, options, n=1)
            hint = (
                f"did you mean '{close[0]}'?" if close else f"choose one of {', '.join(options)}."
            )
            fail(f"No such command '{name}'; {hint}")
        current_ctx = found.make_context(name, [], parent=current_ctx, resilient_parsing=True)
    typer.echo(current_ctx.get_help())
