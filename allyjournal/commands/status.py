"""`ally status`: one line for a shell prompt or a status bar."""

from typing import Annotated

import typer

from allyjournal.actions import status as status_line
from allyjournal.commands.common import journal, today


def status(
    ctx: typer.Context,
    template: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="The line, with {helped} {goal} {to_go} {streak} {met} {week} {week_start}.",
        ),
    ] = None,
) -> None:
    """One line for a shell prompt or a status bar: allies helped this week against your goal,
    and your streak of weeks that met it ("2 of 3 allies · 4-week streak").

    It reads one small index file, so it is fast enough to run at every prompt.

    Examples:

      ally status

      ally status --format "{helped}/{goal}"

      ally status -f "{to_go} to go"
    """
    typer.echo(status_line.render(status_line.compute(journal(ctx), today()), template))
