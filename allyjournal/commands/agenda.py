"""`ally agenda HANDLE`: what to read before meeting an ally, and what to raise there."""

from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.actions import agenda as agendas
from allyjournal.commands.common import complete_handle, journal, today
from allyjournal.core.errors import BadInput


def agenda(
    ctx: typer.Context,
    handle: Annotated[
        str, typer.Argument(help="The ally you are about to meet.", autocompletion=complete_handle)
    ],
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            metavar="TEXT",
            help="Something to raise next time; kept first in the agenda until ticked off "
            "(repeatable).",
        ),
    ] = None,
    done: Annotated[
        list[int] | None,
        typer.Option(
            "--done",
            metavar="N",
            help="Tick off topic N, as the agenda numbers them (repeatable).",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The agenda's facts as JSON.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour or box drawing.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", "--md", help="Markdown.")] = False,
) -> None:
    """One screen to read before a 1:1 or a coffee chat with an ally.

    First what you meant to raise (--add, numbered until you tick it off with --done N); then
    who they are, their goals and the ones you share with what you last did for each, your
    open promises, the last five things you did together, the check-in clock, and asks drawn
    from what the journal shows is missing, beside what you bring (`ally config leverage`).
    Every line comes from the journal.

    Examples:

      ally agenda maya

      ally agenda maya --add "ask about the staff promo timeline"

      ally agenda maya --done 1 --done 2

      ally agenda maya --markdown > 1-1-maya.md
    """
    journal_ = journal(ctx)
    if add and done:
        raise BadInput("Give --add or --done, not both: one change at a time.")
    if add:
        person, topics = agendas.add_topics(journal_, handle, add)
        count = f"{len(topics)} topics" if len(topics) > 1 else f'"{topics[0].text}"'
        reports.said(f"Added {count} to raise with @{person.handle} next time.")
        return
    if done:
        person, ticked, left = agendas.tick_topics(journal_, handle, done, today=today())
        reports.said(
            f"Ticked off {len(ticked)} with @{person.handle}; {left} still to raise."
            " `ally undo` reverts it."
        )
        return
    output = "json" if as_json else "markdown" if markdown else "plain" if plain else None
    reports.show_agenda(agendas.compute(journal_, handle, today=today()), output)
