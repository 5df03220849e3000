"""`ally agenda HANDLE`: what to read before meeting an ally."""

from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.actions import agenda as agendas
from allyjournal.commands.common import complete_handle, journal, today


def agenda(
    ctx: typer.Context,
    handle: Annotated[
        str, typer.Argument(help="The ally you are about to meet.", autocompletion=complete_handle)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="The agenda's facts as JSON.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour or box drawing.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", "--md", help="Markdown.")] = False,
) -> None:
    """One screen to read before a 1:1 or a coffee chat with an ally.

    Who they are, their goals and the ones you share with what you last did for each, your
    open promises, the last five things you did together, the check-in clock, and asks drawn
    from what the journal shows is missing, beside what you bring (`ally config leverage`).
    Every line comes from the journal.

    Examples:

      ally agenda maya

      ally agenda maya --markdown > 1-1-maya.md
    """
    output = "json" if as_json else "markdown" if markdown else "plain" if plain else None
    reports.show_agenda(agendas.compute(journal(ctx), handle, today=today()), output)
