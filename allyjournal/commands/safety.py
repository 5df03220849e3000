"""`ally backup`, `ally restore` and `ally doctor`: the journal's safety net."""

from typing import Annotated

import typer

from allyjournal.commands.common import confirm, journal
from allyjournal.core.text import one_line
from allyjournal.store import backups_dir, find_backup, list_backups


def backup(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A word to recognise it by.")] = None,
    list_them: Annotated[bool, typer.Option("--list", "-l", help="List backups instead.")] = False,
) -> None:
    """Snapshot the journal now (kept until you delete it), or list the backups.

    Automatic backups are also taken before a migration to a newer layout, and rotated
    (`ally config backups`); an import or a restore needs none, `ally undo` takes it back.
    All live in the journal's backups/ folder.

    Examples:

      ally backup before-cleanup

      ally backup --list
    """

    if list_them:
        from allyjournal import reports

        reports.show_backups(list_backups(journal(ctx).home))
        return
    created = journal(ctx).snapshot(name or "manual backup", automatic=False)
    typer.echo(f"Backed up to {one_line(str(backups_dir(journal(ctx).home) / created))}")


def restore(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="A backup's name or unique start (see backup --list).")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Make the journal what a backup holds; `ally undo` puts back the journal as it was.

    Example: ally restore 20261123T1015
    """

    found = find_backup(journal(ctx).home, name)
    if not yes:
        confirm(
            f"Replace the journal with backup {found.name} ({found.reason})?",
            action=f"restore {found.name}",
            declined="Nothing restored.",
        )
    journal(ctx).restore(found.name)
    typer.echo(f"Restored {one_line(found.name)}.")  # a backup's name alone is up to 60 columns
    typer.echo("`ally undo` puts back the journal as it was.")


def doctor(
    ctx: typer.Context,
    fix: Annotated[bool, typer.Option("--fix", help="Mend what can be mended safely.")] = False,
) -> None:
    """Check the journal: every file parses, schema, ids, allies, indexes, permissions.

    With --fix: rebuilds the indexes, sets a damaged undo log or settings file aside, adds
    records for people that entries name, fixes permissions, and puts back a damaged data
    file from the newest backup that holds it whole (the damaged file is kept beside it).
    It never rolls the whole journal back.

    Examples:

      ally doctor

      ally doctor --fix
    """
    from allyjournal.journal import doctor as checks

    checkup = checks.examine(journal(ctx))
    typer.echo(f"Journal: {journal(ctx).home}")
    typer.echo(f"{checkup.entries} entries, {checkup.people} people.")
    for problem in checkup.problems:
        typer.echo(f"problem: {problem.path}: {problem.message}")
    if not checkup.problems:
        typer.echo("No problems found.")
        return
    if not fix:
        typer.echo("Run `ally doctor --fix` to mend what can be mended.")
        raise typer.Exit(1)
    done, left = checks.mend(journal(ctx), checkup)
    for line in done:
        typer.echo(f"fixed: {line}")
    remaining = [*left, *(p for p in checks.examine(journal(ctx)).problems if p not in left)]
    if remaining:
        typer.echo("Still wrong (needs a person's judgement):")
        for problem in remaining:
            typer.echo(f"  {problem.path}: {problem.message}")
        raise typer.Exit(1)
