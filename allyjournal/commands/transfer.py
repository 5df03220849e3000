"""`ally export` and `ally import`: the journal out to review tools, and other journals in."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.actions import importing, search
from allyjournal.commands.common import (
    FromOption,
    PeriodOption,
    ToOption,
    fail,
    journal,
    parse_when,
    today,
)
from allyjournal.core.dates import Period, parse_period
from allyjournal.core.text import normalize_tag
from allyjournal.core.vocabulary import ENTRY_KINDS, choose
from allyjournal.formats.reading import detect_format, reader


class ExportFormat(str, Enum):
    md = "md"
    csv = "csv"
    json = "json"
    html = "html"


class ImportFormat(str, Enum):
    json = "json"
    csv = "csv"
    jrnl = "jrnl"


def export(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    file_format: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="md, csv, json or html.")
    ] = ExportFormat.md,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of the screen.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    anonymize: Annotated[
        bool, typer.Option("--anonymize", help="Colleagues become 'Colleague A', 'Colleague B'…")
    ] = False,
    allyship: Annotated[
        bool, typer.Option("--allyship/--no-allyship", help="Include the help you gave allies.")
    ] = True,
    kind: Annotated[
        str | None, typer.Option("--kind", help="Only win, help or reflection entries.")
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Only entries with this tag (repeatable)."),
    ] = None,
    big: Annotated[bool, typer.Option("--big", help="Big wins only.")] = False,
) -> None:
    """Export accomplishments for a performance review (default: the last 12 months, Markdown).

    Examples:

      ally export --period 2026 --format md -o review-2026.md

      ally export --period "last quarter" --format html -o q3.html

      ally export --format csv --no-allyship > wins.csv

      ally export --format json -o backup.json   (everything, re-importable)

      ally export --anonymize --period 2026-H1  (to share outside the team)
    """
    from datetime import timedelta

    from allyjournal.actions import export as exporters

    journal_ = journal(ctx)
    if output is not None:
        if output.is_dir():
            fail(f"{output} is a folder; give -o a file name, e.g. -o {output / 'review.md'}.")
        if not output.parent.is_dir():
            fail(f"{output.parent} does not exist; create it first or choose another -o FILE.")
        if output.exists() and not force:
            fail(
                f"{output} already exists; add --force to overwrite it, or choose another -o FILE."
            )
    if period is not None:
        span = parse_period(period, today=today(), week_start=journal_.config().week_start_index)
    else:
        span = Period(today() - timedelta(days=364), today(), "last 12 months")
    if start is not None or end is not None:
        span = Period(
            parse_when(start) if start else span.start,
            parse_when(end) if end else span.end,
            "custom",
        )
    wanted = search.EntryFilter(start=span.start, end=span.end, big=big)
    if kind is not None:
        wanted.kinds = (choose(kind, ENTRY_KINDS, "kind"),)
    wanted.tags = [normalize_tag(t) for t in tag or []]
    chosen = list(search.find_entries(journal_, wanted))
    document = exporters.build(
        span, chosen, journal_.people(), allyship=allyship, anonymize=anonymize
    )
    text = reports.render_export(document, file_format.value)
    if output is None:
        typer.echo(text, nl=False)
        return
    exporters.save(output, text)
    typer.echo(
        f"Wrote {len(document.entries)} entries to {output} (readable by you only).", err=True
    )


def import_entries(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="The file to read.", exists=True, dir_okay=False)],
    file_format: Annotated[
        ImportFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json (ally's export), csv, or jrnl (`jrnl --export json`). [default: from the file]",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show what would be added; write nothing.")
    ] = False,
    skip_bad: Annotated[
        bool, typer.Option("--skip-bad", help="Skip rows that cannot be read, and list them.")
    ] = False,
) -> None:
    """Bring entries in: ally's own JSON or CSV export, any CSV with date and text columns, or
    a jrnl export. Importing the same file twice adds nothing the second time.

    A file with a bad row imports nothing and names the row, unless --skip-bad.

    Examples:

      ally import allyjournal-2026.json

      jrnl --export json > jrnl.json && ally import jrnl.json --format jrnl

      ally import wins.csv --dry-run
    """

    chosen = file_format.value if file_format else detect_format(file)
    parsed = reader(chosen)(file, skip_bad=skip_bad)
    result = importing.import_parsed(journal(ctx), parsed, source=file.name, dry_run=dry_run)
    for entry in result.preview:
        typer.echo(reports.entry_line(entry, entry.id[:7]).replace("\t", "  "))
    verb = "Would add" if dry_run else "Added"
    allies = f"{len(result.new_people)} new {'ally' if len(result.new_people) == 1 else 'allies'}"
    typer.echo(
        f"{verb} {result.added} entries and {allies} from {file.name}; "
        f"{result.already_there} already in the journal."
    )
    for problem in result.skipped:
        typer.echo(f"Skipped {problem}", err=True)
    if not dry_run and result.added:
        typer.echo("`ally undo` reverts this import.")
