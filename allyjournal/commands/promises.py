"""`ally promise …`: what you said you would do for an ally."""

from datetime import date
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from allyjournal import reports
from allyjournal.actions import promises
from allyjournal.commands.common import complete_handle, journal, parse_due, today
from allyjournal.core import dates


class PromiseGroup(TyperGroup):
    """`ally promise maya "…"` makes a promise; `ally promise list|done|drop` manage them. A
    first word that is not a subcommand is the ally of a new promise."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["make", *args]
        return super().resolve_command(ctx, args)


app = typer.Typer(cls=PromiseGroup, add_completion=False, no_args_is_help=True)

PromiseId = Annotated[
    str, typer.Argument(metavar="ID", help="A promise id or a unique prefix of it.")
]


@app.callback()
def promise_group() -> None:
    """Promise an ally something, and keep it: the review leads with promises overdue.

    `ally helped maya "…" --keeps ID` keeps a promise with the help that did it.

    Examples:

      ally promise maya "Introduce her to the VP of platform" --by friday

      ally promise list

      ally promise edit 3f2a9c1 --by "next week"

      ally helped maya "Introduced Maya to Lee" --kind intro --keeps 3f2a9c1

      ally promise done 3f2a9c1
    """


@app.command("make", hidden=True)
def make(
    ctx: typer.Context,
    handle: Annotated[
        str, typer.Argument(help="The ally you promised.", autocompletion=complete_handle)
    ],
    text: Annotated[list[str], typer.Argument(help="What you said you would do.")],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="WHEN",
            help="When you said you would: friday (the coming one), next week, in 2 weeks, "
            "end of month, march, 2026-12-18.",
        ),
    ] = None,
    goal: Annotated[str | None, typer.Option("--goal", help="The goal it serves (its id).")] = None,
) -> None:
    """Promise an ally something.

    Example: ally promise maya "Introduce her to the VP" --by friday
    """
    week_start = journal(ctx).config().week_start_index
    due: date | None = parse_due(by, "--by", week_start) if by is not None else None
    promise = promises.make_promise(journal(ctx), handle, " ".join(text), by=due, goal=goal)
    short = promises.short_ids(journal(ctx).promises())[promise.id]
    when = f" by {dates.day_label(due)}" if due else ""
    typer.echo(
        f"Promised @{promise.handle}{when} ({short}). Keep it with "
        f'`ally helped {promise.handle} "…" --keeps {short}`.'
    )


@app.command("list")
def list_promises(
    ctx: typer.Context,
    handle: Annotated[
        str | None,
        typer.Argument(help="Only promises to this ally.", autocompletion=complete_handle),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Kept and dropped ones too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for scripts.")] = False,
) -> None:
    """List open promises, the overdue ones first.

    Examples:

      ally promise list

      ally promise list maya --all --json
    """
    rows = promises.list_promises(journal(ctx), handle, include_closed=everything, today=today())
    reports.show_promises(rows, as_json=as_json)


@app.command("edit")
def edit(
    ctx: typer.Context,
    promise_id: PromiseId,
    text: Annotated[str | None, typer.Option("--text", help="What you will do, reworded.")] = None,
    by: Annotated[
        str | None,
        typer.Option("--by", metavar="WHEN", help="A new date: friday, next week, 2026-12-18."),
    ] = None,
    no_by: Annotated[bool, typer.Option("--no-by", help="No date any more.")] = False,
) -> None:
    """Change an open promise: its text or its date.

    Examples:

      ally promise edit 3f2a9c1 --by "next week"

      ally promise edit 3f2a9c1 --text "Introduce her to the VP and the CTO"
    """
    week_start = journal(ctx).config().week_start_index
    due = parse_due(by, "--by", week_start) if by is not None else None
    promise = promises.edit_promise(journal(ctx), promise_id, text=text, by=due, clear_by=no_by)
    when = f", by {dates.day_label(promise.by)}" if promise.by else ""
    typer.echo(f"Promise {promise.id[:7]} to @{promise.handle}{when}. `ally undo` reverts it.")


@app.command("done")
def done(ctx: typer.Context, promise_id: PromiseId) -> None:
    """Mark a promise kept (without a help entry to show for it).

    Example: ally promise done 3f2a9c1
    """
    promise = promises.close_promise(journal(ctx), promise_id, "kept", today=today())
    typer.echo(f"Promise {promise.id[:7]} to @{promise.handle} kept. `ally undo` reverts it.")


@app.command("drop")
def drop(ctx: typer.Context, promise_id: PromiseId) -> None:
    """Drop a promise you will not keep (it stays in the history).

    Example: ally promise drop 3f2a9c1
    """
    promise = promises.close_promise(journal(ctx), promise_id, "dropped", today=today())
    typer.echo(f"Promise {promise.id[:7]} to @{promise.handle} dropped. `ally undo` reverts it.")
