"""`ally sync …`: share the journal between machines through git, merged by meaning."""

import json
from typing import Annotated

import typer

from allyjournal.actions import sync as actions
from allyjournal.commands.common import journal
from allyjournal.store import SyncResult

app = typer.Typer(add_completion=False)


@app.callback(invoke_without_command=True)
def sync_default(ctx: typer.Context) -> None:
    """Commit what changed here, fetch the other machines' changes, merge, and push.

    The journal is a git repository of its data files (indexes, undo log and backups stay
    on each machine). Entries merge by id, people by handle, settings by key: nothing is
    lost and there are never conflict markers. An entry both machines changed keeps the
    later edit; the other version is kept in merged-away.json. Only this command uses the
    network, and `ally win` never waits for it.

    Examples:

      ally sync init /mnt/usb/journal.git

      ally sync

      ally sync status
    """
    if ctx.invoked_subcommand is None:
        report(actions.sync(journal(ctx)))


@app.command("init")
def init(
    ctx: typer.Context,
    remote: Annotated[
        str | None,
        typer.Argument(
            metavar="[REMOTE]",
            help="Where to share it: a path to a bare repository, or an ssh or https address.",
        ),
    ] = None,
) -> None:
    """Make this journal a git repository, and share it through REMOTE.

    With REMOTE on a new machine (an empty journal), the journal is filled from it. With
    a journal on both sides, the first sync merges the two. A remote on a disk is a bare
    repository: make it once with `git init --bare PATH`.

    Examples:

      ally sync init /mnt/usb/journal.git

      ally sync init git@example.org:me/journal.git   (an ssh remote)

      ally sync init   (a local repository only; a remote can come later)
    """
    home = journal(ctx).home
    done = actions.init(journal(ctx), remote)
    typer.echo(f"Set up sync in {home}" + (f" with {remote}." if remote else "."))
    if remote:
        report(done)
    else:
        typer.echo("Add a remote later with `ally sync init REMOTE`.")


@app.command("status")
def status(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for scripts.")] = False,
) -> None:
    """What a sync would do: changes here, commits ahead and behind, when it last ran.

    Ahead and behind are as of the last sync's fetch: this command does not use the network.

    Examples:

      ally sync status

      ally sync status --json
    """
    found = actions.status(journal(ctx))
    if as_json:
        typer.echo(json.dumps(found.__dict__, indent=2))
        return
    typer.echo(f"Remote:       {found.remote or 'none (ally sync init REMOTE)'}")
    typer.echo(f"Last synced:  {found.synced_at or 'never'}")
    typer.echo(f"Changed here: {found.uncommitted} data file(s) since the last sync")
    typer.echo(f"Commits:      {found.ahead} ahead, {found.behind} behind (at the last fetch)")


def report(done: SyncResult) -> None:
    """What a sync did, in a few lines; one line per thing the user should know of."""
    merged = done.merged
    parts = []
    if done.committed:
        parts.append("committed your changes")
    if merged and (merged.arrived or merged.changed or merged.removed):
        parts.append(
            f"merged {merged.arrived} new, {merged.changed} changed and "
            f"{merged.removed} removed entries"
        )
    if done.pushed:
        parts.append("pushed")
    where = f" with {done.remote}" if done.remote else ""
    typer.echo(f"Synced{where}: {', '.join(parts) if parts else 'nothing to do'}.")
    for line in (merged.report if merged else []) + done.notes:
        typer.echo(f"  {line}")
