"""`ally import` (and, next to it, `ally export`): moving a journal in and out."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from allyjournal.cli import app, journal


class ImportFormat(str, Enum):
    json = "json"


@app.command("import")
def import_entries(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The file to read.", exists=True, dir_okay=False)],
    file_format: Annotated[
        ImportFormat, typer.Option("--format", "-f", help="What kind of file it is.")
    ] = ImportFormat.json,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")
    ] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Skip rows that cannot be read, and list them.")
    ] = False,
) -> None:
    """Bring entries in. Importing the same export twice adds nothing the second time.

    Examples:

      ally import allyjournal-2026.json

      ally import old.json --dry-run
    """
    from allyjournal import importers

    parsed = importers.read_json_export(file, skip_bad=skip_bad)
    result = importers.import_parsed(journal(ctx), parsed, source=file.name, dry_run=dry_run)
    verb = "Would add" if dry_run else "Added"
    typer.echo(
        f"{verb} {len(result.added)} entries and {len(result.new_people)} allies from {file.name}; "
        f"{result.already_there} already in the journal."
    )
    for problem in result.skipped:
        typer.echo(f"Skipped {problem}", err=True)
    if not dry_run and result.added:
        typer.echo("`ally undo` reverts this import.")
