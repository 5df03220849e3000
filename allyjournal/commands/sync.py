"""`ally sync …`: share the journal between machines through git, merged by meaning."""

import json
from typing import Annotated

import typer

from allyjournal.actions import encryption
from allyjournal.actions import sync as actions
from allyjournal.commands.common import journal
from allyjournal.core.text import one_line
from allyjournal.store import Journal, SyncResult

app = typer.Typer(add_completion=False)


@app.callback(invoke_without_command=True)
def sync_default(
    ctx: typer.Context,
    skip_bad: Annotated[
        bool,
        typer.Option(
            "--skip-bad",
            help="Merge what the remote holds except the files and records that fail the "
            "checks (without it, one bad record refuses the whole sync); each one left out is "
            "reported, and what this machine had of it is kept.",
        ),
    ] = False,
) -> None:
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

      ally sync --skip-bad   (merge a damaged remote's valid rest)
    """
    if ctx.invoked_subcommand is None:
        report(actions.sync(journal(ctx), skip_bad=skip_bad))


@app.command("init")
def init(
    ctx: typer.Context,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="Encrypt the journal first (asks for a new passphrase, twice), so the "
            "remote only ever holds ciphertext.",
        ),
    ] = False,
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

      ally sync init --encrypt /mnt/usb/journal.git

      ally sync init   (a local repository only; a remote can come later)
    """
    home = journal(ctx).home
    if encrypt:
        run_encrypt(journal(ctx))
    done = actions.init(journal(ctx), remote)
    typer.echo(f"Set up sync in {home}" + (f" with {remote}." if remote else "."))
    if remote:
        report(done)
    else:
        typer.echo("Add a remote later with `ally sync init REMOTE`.")


@app.command("recover")
def recover(
    ctx: typer.Context,
    entry_id: Annotated[
        str | None,
        typer.Argument(metavar="[ID]", help="The entry to bring back; omit to list them."),
    ] = None,
) -> None:
    """Bring back an entry that a sync deleted here (deleted on another machine).

    A sync that removes an entry here because another machine deleted it keeps it in
    merged-away.json, with versions that lost to a later edit. Without ID, this lists them,
    newest first; with ID, the entry comes back as it was, with its id (`ally undo` reverts
    that, and the next sync shares it again).

    Examples:

      ally sync recover            (what syncs deleted or merged away)

      ally sync recover 3f9c1a2
    """
    from allyjournal import reports

    if entry_id is None:
        kept = actions.recoverable(journal(ctx))
        reports.show_recoverable(kept, journal(ctx).short_ids([item.entry.id for item in kept]))
        return
    entry = actions.recover(journal(ctx), entry_id)
    typer.echo(f"Brought back {entry.id[:7]} ({entry.date.isoformat()}); `ally undo` removes it.")


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
    if merged and (merged.updated or merged.settings):
        from allyjournal.actions.export import count_of
        from allyjournal.core.vocabulary import words_list

        things = [
            count_of(number, what, "people" if what == "person" else None)
            for what, number in merged.updated.items()
        ] + (["the settings"] if merged.settings else [])
        parts.append("updated " + words_list(tuple(things), "and"))
    if done.pushed:
        parts.append("pushed")
    where = f" with {done.remote}" if done.remote else ""
    typer.echo(f"Synced{where}: {', '.join(parts) if parts else 'nothing to do'}.")
    for line in (merged.report if merged else []) + done.notes:
        typer.echo(f"  {one_line(line)}")  # names and ids in it came from another machine
    for line in done.left_out:
        typer.echo(f"  left out {one_line(line)}")
    if done.left_out:
        typer.echo("  (the rest was merged; what this machine had of those is kept)")


def new_passphrase() -> str:
    """The new passphrase: from ALLYJOURNAL_PASSPHRASE_COMMAND, else typed twice, hidden."""
    from allyjournal.store import passphrase_from_command

    given = passphrase_from_command()
    if given is not None:
        return given
    text: str = typer.prompt(
        "New passphrase (it cannot be recovered: keep it safe)",
        hide_input=True,
        confirmation_prompt="The same passphrase again",
    )
    return text


def run_encrypt(open_journal: Journal) -> None:
    done = encryption.encrypt(open_journal, new_passphrase)
    where = "the OS keyring" if done.key_kept == "keyring" else done.key_kept
    typer.echo(f"Encrypted {open_journal.home} (AES-256-GCM). The key is kept in")
    typer.echo(f"  {where}")
    typer.echo("Without the passphrase or that key, nothing in it can be read, by anyone.")
    typer.echo("The journal as it was, unencrypted, is in this backup; remove it once sure:")
    typer.echo(f"  {encryption.backup_path(open_journal, done.backup)}")


def encrypt(ctx: typer.Context) -> None:
    """Encrypt every file of the journal that holds what you wrote, with a passphrase.

    Each file is sealed with AES-256-GCM; the key comes from your passphrase through scrypt
    and is kept in the OS keyring where one works, otherwise in a key file only you can
    read (outside the journal). ALLYJOURNAL_PASSPHRASE_COMMAND (a password manager) is used
    instead of asking when it is set. A backup is taken first.

    There is no way in without the passphrase or its key: if both are lost, so is the
    journal.

    Examples:

      ally encrypt

      ally sync init --encrypt /mnt/usb/journal.git   (encrypt, then sync)
    """
    run_encrypt(journal(ctx))
