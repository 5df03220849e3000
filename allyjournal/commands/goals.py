"""`ally goal …`: allies' goals, and goals you share with them."""

from datetime import date
from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.actions import goals
from allyjournal.commands.common import complete_handle, journal, parse_due, today

app = typer.Typer(add_completion=False, no_args_is_help=True)

GoalId = Annotated[str, typer.Argument(metavar="ID", help="A goal id or a unique prefix of it.")]
Handle = Annotated[
    str, typer.Argument(help="The ally whose goal it is.", autocompletion=complete_handle)
]
# Two flags, not Click's `--short/--long` pair, so that giving both is refused (commands/options)
# instead of the last one silently winning.
Short = Annotated[bool, typer.Option("--short", help="A short-term goal.")]
Long = Annotated[bool, typer.Option("--long", help="A long-term goal (a new goal's default).")]
Due = Annotated[
    str | None, typer.Option("--due", help="When it is due: 2027-06-30, 'end of march'…")
]
With = Annotated[
    list[str] | None,
    typer.Option(
        "--with", help="Another ally sharing the goal (repeatable).", autocompletion=complete_handle
    ),
]


def _due(text: str | None) -> date | None:
    """The day `--due` names; None when left out, or `''` on `goal edit` (it removes it).
    Empty where it means nothing is refused before this (commands/options)."""
    return parse_due(text, "--due") if text else None


@app.callback()
def goal_group() -> None:
    """Allies' goals, and goals you share with them: set, list, complete, drop.

    A goal belongs to one ally (their career goal, as they told you) or is shared by you and
    one or more allies (--mutual, or --with). Help can say which goal it served:
    `ally helped maya "…" --goal ID`.

    Examples:

      ally goal add maya "Staff engineer by 2027" --long

      ally goal add sam "Ship the billing rewrite" --short --with ana

      ally goal list maya

      ally goal done 3f2a9c1
    """


@app.command("add")
def add(
    ctx: typer.Context,
    handle: Handle,
    text: Annotated[list[str], typer.Argument(help="The goal, in their words.")],
    short: Short = False,
    long: Long = False,
    due: Due = None,
    with_handles: With = None,
    mutual: Annotated[
        bool, typer.Option("--mutual", help="A goal you share with them, not only theirs.")
    ] = False,
) -> None:
    """Set a goal for an ally, or one you share with them.

    Examples:

      ally goal add maya "Staff engineer by 2027"

      ally goal add sam "Run the Q1 launch together" --mutual --due 2027-03-31
    """
    goal = goals.add_goal(
        journal(ctx),
        handle,
        " ".join(text),
        horizon="short" if short else "long",
        due=_due(due),
        with_handles=with_handles,
        mutual=mutual,
    )
    short_id = goals.short_ids(journal(ctx).goals())[goal.id]
    people = ", ".join(f"@{h}" for h in goal.people)
    typer.echo(f"Set goal {short_id} with {people}. `ally undo` reverts it.")


@app.command("list")
def list_goals(
    ctx: typer.Context,
    handle: Annotated[
        str | None,
        typer.Argument(help="Only this ally's goals.", autocompletion=complete_handle),
    ] = None,
    everything: Annotated[bool, typer.Option("--all", help="Done and dropped goals too.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for scripts.")] = False,
) -> None:
    """List open goals, those due soonest first.

    Examples:

      ally goal list

      ally goal list maya --all --json
    """
    rows = goals.list_goals(journal(ctx), handle, include_closed=everything)
    reports.show_goals(rows, as_json=as_json)


@app.command("done")
def done(ctx: typer.Context, goal_id: GoalId) -> None:
    """Mark a goal reached.

    Example: ally goal done 3f2a9c1
    """
    goal = goals.close_goal(journal(ctx), goal_id, "done", today=today())
    typer.echo(f"Goal {goal.id[:7]} done. `ally undo` reverts it.")


@app.command("drop")
def drop(ctx: typer.Context, goal_id: GoalId) -> None:
    """Drop a goal that no longer matters (it stays in the history).

    Example: ally goal drop 3f2a9c1
    """
    goal = goals.close_goal(journal(ctx), goal_id, "dropped", today=today())
    typer.echo(f"Goal {goal.id[:7]} dropped. `ally undo` reverts it.")


@app.command("edit")
def edit(
    ctx: typer.Context,
    goal_id: GoalId,
    text: Annotated[str | None, typer.Option("--text", help="New text.")] = None,
    short: Short = False,
    long: Long = False,
    due: Annotated[str | None, typer.Option("--due", help="New due date ('' removes it).")] = None,
    with_handles: With = None,
    reopen: Annotated[bool, typer.Option("--reopen", help="Open a done or dropped goal.")] = False,
) -> None:
    """Change a goal: its text, horizon, due date or allies.

    Examples:

      ally goal edit 3f2a9c1 --due 2027-06-30

      ally goal edit 3f2a9c1 --with kofi --short
    """
    goal = goals.edit_goal(
        journal(ctx),
        goal_id,
        text=text,
        horizon="short" if short else "long" if long else None,
        due=_due(due),
        clear_due=due == "",
        with_handles=with_handles,
        reopen=reopen,
    )
    typer.echo(f"Updated goal {goal.id[:7]}. `ally undo` reverts it.")
