"""`ally backup`, `ally restore` and `ally doctor`: the journal's safety net."""

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from allyjournal.commands.common import confirm, journal
from allyjournal.core.errors import Cancelled

if TYPE_CHECKING:
    from allyjournal.journal.doctor import Checkup


def backup(
    ctx: typer.Context,
    name: Annotated[str | None, typer.Argument(help="A word to recognise it by.")] = None,
    list_them: Annotated[bool, typer.Option("--list", "-l", help="List backups instead.")] = False,
) -> None:
    """Snapshot the journal now (kept until you delete it), or list the backups.

    Automatic backups are also taken before every edit, delete, import, restore and
    migration, and rotated (`ally config backups`). All live in the journal's backups/ folder.

    Examples:

      ally backup before-cleanup

      ally backup --list
    """
    from allyjournal.journal import backups

    if list_them:
        found = backups.list_backups(journal(ctx).home)
        if not found:
            typer.echo("No backups yet.")
        for item in found:
            kind = "auto  " if item.automatic else "manual"
            typer.echo(f"{item.name[:22]}  {kind}  {item.reason}")
        return
    created = journal(ctx).snapshot(name or "manual backup", automatic=False)
    typer.echo(f"Backed up to {backups.backups_dir(journal(ctx).home) / created}")


def restore(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="A backup's name or unique start (see backup --list).")
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Make the journal what a backup holds. The present state is backed up first.

    Example: ally restore 20261123T1015
    """
    from allyjournal.journal import backups

    found = backups.find(journal(ctx).home, name)
    if not yes:
        confirm(
            f"Replace the journal with backup {found.name} ({found.reason})?",
            action=f"restore {found.name}",
            declined="Nothing restored.",
        )
    before = journal(ctx).restore(found.name)
    typer.echo(f"Restored {found.name}. The journal as it was is in backup {before}.")


def doctor(
    ctx: typer.Context,
    fix: Annotated[bool, typer.Option("--fix", help="Mend what can be mended safely.")] = False,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Restore a backup without asking.")
    ] = False,
) -> None:
    """Check the journal: every file parses, schema, ids, allies, indexes, permissions.

    With --fix, rebuilds indexes, fixes permissions and adds missing allies; when a file is
    damaged it offers to restore the newest good backup (the damaged files are kept too).

    Examples:

      ally doctor

      ally doctor --fix
    """
    from allyjournal.journal import doctor as checks

    checkup = checks.examine(journal(ctx))
    typer.echo(f"Journal: {journal(ctx).home}")
    typer.echo(
        f"{checkup.entries} entries, {checkup.people} allies, {len(checkup.backups)} good backups."
    )
    for problem in checkup.problems:
        typer.echo(f"problem: {problem.path}: {problem.message}")
    if not checkup.problems:
        typer.echo("No problems found.")
        return
    if not fix:
        typer.echo("Run `ally doctor --fix` to mend what can be mended.")
        raise typer.Exit(1)
    if checkup.needs_restore:
        _offer_restore(ctx, checkup, yes=yes)
        return
    for done in checks.mend(journal(ctx), checkup):
        typer.echo(f"fixed: {done}")
    remaining = checks.examine(journal(ctx)).problems
    if remaining:
        typer.echo("Still wrong (needs a person's judgement):")
        for problem in remaining:
            typer.echo(f"  {problem.path}: {problem.message}")
        raise typer.Exit(1)


def _offer_restore(ctx: typer.Context, checkup: "Checkup", *, yes: bool) -> None:
    from allyjournal.journal import doctor as checks

    if not checkup.backups:
        raise Cancelled("No good backup to restore; the damaged files were left as they are.")
    newest = checkup.backups[0]
    question = f"Restore backup {newest.name} ({newest.reason}, {newest.created_at})?"
    if not yes and (not sys.stdin.isatty() or not typer.confirm(question)):
        raise Cancelled(
            f"Nothing restored. `ally doctor --fix --yes` restores {newest.name}; "
            "`ally backup --list` shows the others."
        )
    checks.restore_newest(journal(ctx), checkup)
    typer.echo(f"Restored {newest.name}; the damaged files are kept in a new backup.")
