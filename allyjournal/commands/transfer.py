"""`ally export` and `ally import`: the journal out to review tools, and other journals in."""

import sys
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from allyjournal import reports
from allyjournal.actions import importing, search
from allyjournal.commands.common import (
    FromOption,
    PeriodOption,
    ToOption,
    check_output,
    chosen_period,
    complete_kind,
    complete_tag,
    deliver_bytes,
    fail,
    journal,
    outside_bytes,
    page_of,
    parse_when,
    today,
)
from allyjournal.core.errors import BadInput
from allyjournal.core.text import normalize_tag, one_line, visible
from allyjournal.formats.reading import detect_format, reader

if TYPE_CHECKING:
    from allyjournal.core.models import Ladder


class ExportFormat(str, Enum):
    md = "md"
    text = "text"
    html = "html"
    csv = "csv"
    json = "json"
    docx = "docx"


class Grouping(str, Enum):
    auto = "auto"
    tag = "tag"
    month = "month"
    quarter = "quarter"


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
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="md (pastes clean), text (for review forms), html (prints to PDF), docx "
            "(Word, with -o FILE), csv or json (everything, re-importable).",
        ),
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
        str | None,
        typer.Option(
            "--kind",
            help="Only win, help or reflection entries, or one kind of help.",
            autocompletion=complete_kind,
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option(
            "--tag",
            "-t",
            help="Only entries with this tag (repeatable).",
            autocompletion=complete_tag,
        ),
    ] = None,
    big: Annotated[bool, typer.Option("--big", help="Big wins only.")] = False,
    group: Annotated[
        Grouping,
        typer.Option(
            "--group",
            "-g",
            help="Group the wins after the highlights by tag (theme), month or quarter. "
            "[default: auto: by tag up to half a year, by quarter beyond]",
            show_default=False,
        ),
    ] = Grouping.auto,
    reflections: Annotated[
        bool, typer.Option("--reflections", help="Add your weekly reflections at the end.")
    ] = False,
    width: Annotated[
        int, typer.Option("--width", "-w", help="Wrap --format text to this many columns.")
    ] = 80,
    packet: Annotated[
        bool,
        typer.Option(
            "--packet",
            help="A promotion packet instead: wins and help under the criteria of a career "
            "ladder, the criteria with no recent evidence called out first.",
        ),
    ] = False,
    ladder: Annotated[
        Path | None,
        typer.Option(
            "--ladder",
            metavar="FILE",
            help="With --packet: your ladder's criteria (docs: 'Promotion packet'). "
            "[default: a ladder from the journal's own kinds]",
            show_default=False,
        ),
    ] = None,
    gap_since: Annotated[
        str | None,
        typer.Option(
            "--gap-since",
            metavar="WHEN",
            help="With --packet: call out criteria with no evidence since WHEN. "
            "[default: 90 days ago]",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Export accomplishments for a performance review (default: the last 12 months, Markdown).

    The document opens with your name and role (`ally config name`, `ally config role`), the
    period up to today and the numbers; then highlights (big wins), the other wins grouped by
    theme or quarter, and the allyship across the period. Empty sections are left out.

    Examples:

      ally export --period "this quarter" -o q4.md

      ally export --period "last quarter" --format text --width 72 | pbcopy

      ally export --period 2026 --format html -o review-2026.html

      ally export --period 2026 --format docx -o review-2026.docx

      ally export --format csv --no-allyship > wins.csv

      ally export --format json -o backup.json   (everything, re-importable)

      ally export --anonymize --period 2026-H1  (to share outside the team)

      ally export --packet --ladder staff.md -f docx -o packet.docx
    """

    from allyjournal.actions import export as exporters
    from allyjournal.formats.text import MIN_WIDTH

    journal_ = journal(ctx)
    if width < MIN_WIDTH:
        fail(f"--width {width} is too narrow; give {MIN_WIDTH} columns or more (default 80).")
    check_output(output, force=force, journal_=journal_, page=page_of(file_format.value))
    span = chosen_period(journal_, period, start, end)
    wanted = search.EntryFilter(start=span.start, end=span.end, big=big)
    if kind is not None:
        wanted.choose_kind(kind)
    wanted.tags = [normalize_tag(t) for t in tag or []]
    search.check_filter(journal_, wanted)
    if not packet and (ladder is not None or gap_since is not None):
        fail("--ladder and --gap-since are for a promotion packet; add --packet.")
    if packet and file_format.value == "csv":
        fail("--packet is a document: give --format md, text, html, docx or json.")
    chosen_ladder = _ladder(ladder) if packet else None
    asked = exporters.Asked(
        span,
        search.find_entries(journal_, wanted),
        journal_.people(),
        today(),
        allyship=allyship,
        anonymize=anonymize,
        since=journal_.first_day(),
    )
    config = journal_.config()
    if chosen_ladder is not None:
        from allyjournal.actions import packet as packets

        since = parse_when(gap_since) if gap_since is not None else None
        made = packets.build(
            asked, chosen_ladder, owner=config.name, role=config.role, gap_since=since
        )
        written = exporters.count_of(made.count, "entry", "entries")
        if file_format.value == "docx":
            deliver_bytes(reports.document_docx(made), output, written)
        else:
            _deliver(
                iter([reports.render_packet(made, file_format.value)]), output, lambda: made.count
            )
        return
    if file_format.value in ("csv", "json"):
        dump = exporters.dump(asked, goals=journal_.goals(), promises=journal_.promises())
        _deliver(reports.render_dump(dump, file_format.value), output, lambda: dump.written)
        return
    document = exporters.build(
        asked,
        owner=config.name,
        role=config.role,
        grouping=group.value,
        reflections=reflections,
        week_tallies=journal_.week_tallies(config.week_start_index) if allyship else None,
        goal=config.goal,
        week_start=config.week_start_index,
    )
    if file_format.value == "docx":
        data = reports.export_docx(document)
        deliver_bytes(data, output, exporters.count_of(document.count, "entry", "entries"))
        return
    pieces = reports.render_export(document, file_format.value, width=width)
    _deliver(pieces, output, lambda: document.count)


def _ladder(path: Path | None) -> "Ladder":
    """The ladder a packet uses: the file given (outside input, read under a limit, one line
    naming the first problem), else the default ladder."""
    from allyjournal.formats import ladder as ladders

    if path is None:
        return ladders.default_ladder()
    shown = one_line(str(path))
    try:
        data = outside_bytes(
            path, ladders.MAX_BYTES, what="a ladder file (docs: 'Promotion packet')"
        )
    except BadInput as error:
        raise BadInput(f"--ladder {shown}: {error}") from None
    return ladders.read(data, one_line(path.name))


def _deliver(pieces: Iterator[str], output: Path | None, count: Callable[[], int]) -> None:
    """An export written as it is rendered: to the screen, or atomically to `output`, saying
    how many entries it holds (`count`, known once it is written)."""
    from allyjournal.actions import export as exporters

    if output is None:
        # At a terminal a document is shown, never obeyed: CSV keeps text as stored (so it
        # imports back), and a cell's control characters would act on the screen.
        shown = visible if sys.stdout.isatty() else None
        for batch in exporters.batches(pieces):
            typer.echo(shown(batch.replace("\r\n", "\n")) if shown else batch, nl=False)
        return
    exporters.save(output, pieces)
    written = exporters.count_of(count(), "entry", "entries")
    reports.said(f"Wrote {written} to {output} (readable by you only).", err=True)


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
    columns: Annotated[
        str | None,
        typer.Option(
            "--map",
            metavar="HEADER=COLUMN,…",
            help="CSV: read your headers as ally's columns, e.g. 'Accomplishment=text,Why it "
            "mattered=impact'.",
        ),
    ] = None,
    future: Annotated[
        bool, typer.Option("--future", help="CSV: import rows dated after today too.")
    ] = False,
    help_words: Annotated[
        str | None,
        typer.Option(
            "--help-words",
            metavar="WORD=KIND,…",
            help="jrnl: an entry that @mentions someone and holds WORD is help of KIND for "
            "them, e.g. 'coffee=conversation,mentor=mentoring'.",
        ),
    ] = None,
) -> None:
    """Bring entries in: ally's own JSON or CSV export, any CSV with date and text columns, or
    a jrnl export. Importing the same file twice adds nothing the second time.

    A file with bad rows imports nothing and names them (all of them, in one pass), unless
    --skip-bad. A CSV may be comma, semicolon or tab separated; kinds, sizes and levels are
    read in any case.

    Examples:

      ally import allyjournal-2026.json

      jrnl --export json > jrnl.json && ally import jrnl.json --format jrnl

      ally import wins.csv --dry-run

      ally import sheet.csv --map 'Accomplishment=text,Why it mattered=impact'

      ally import jrnl.json --help-words 'coffee=conversation' --dry-run
    """

    chosen = file_format.value if file_format else detect_format(file)
    # Each format's own options, for its reader; given for another format, they are refused.
    options: dict[str, Any] = {}
    if chosen == "jrnl":
        from allyjournal.formats.jrnl import parse_help_words

        options["help_words"] = parse_help_words(help_words)
    elif help_words is not None:
        raise BadInput(f"--help-words is for jrnl exports; {file.name} is read as {chosen}.")
    if chosen == "csv":
        from allyjournal.formats.csv import parse_map

        options.update(columns=parse_map(columns), future=future)
    elif columns is not None or future:
        raise BadInput(f"--map and --future are for CSV files; {file.name} is read as {chosen}.")
    parsed = reader(chosen)(file, skip_bad=skip_bad, **options)
    result = importing.import_parsed(journal(ctx), parsed, source=file.name, dry_run=dry_run)
    for entry in result.preview:
        reports.said(reports.entry_line(entry, entry.id[:7]).replace("\t", "  "), hang=9)
    verb = "Would add" if dry_run else "Added"
    allies = f"{len(result.new_people)} new {'person' if len(result.new_people) == 1 else 'people'}"
    from allyjournal.actions.export import count_of

    goals = f", {count_of(result.new_goals, 'goal')}" if result.new_goals else ""
    goals += f", {count_of(result.new_promises, 'promise')}" if result.new_promises else ""
    reports.said(
        f"{verb} {count_of(result.added, 'entry', 'entries')}{goals} and {allies} from {file.name}; "
        f"{result.already_there} already in the journal."
    )
    for problem in result.skipped:
        reports.said(f"Skipped {one_line(problem)}", hang=8, err=True)
    if not dry_run and result.added:
        typer.echo("`ally undo` reverts this import.")
