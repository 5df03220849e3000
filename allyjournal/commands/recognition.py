"""`ally recognition HANDLE` and `ally nominate`: recognition written down where it counts."""

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.actions import recognition as records
from allyjournal.commands.common import (
    FromOption,
    PeriodOption,
    ToOption,
    check_output,
    chosen_period,
    complete_handle,
    deliver_bytes,
    fail,
    journal,
    page_of,
    today,
)


class RecordFormat(str, Enum):
    md = "md"
    text = "text"
    html = "html"
    json = "json"
    docx = "docx"


# The options a document about one person takes (`ally recognition`, `ally together`).
RecordFormatOption = Annotated[
    RecordFormat,
    typer.Option(
        "--format",
        "-f",
        help="md, text (for review forms), html (prints to PDF), docx (Word) or json.",
    ),
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to FILE instead of the screen.")
]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]


def recognition(
    ctx: typer.Context,
    handle: Annotated[
        str, typer.Argument(help="The ally whose record it is.", autocompletion=complete_handle)
    ],
    period: PeriodOption = None,
    start: FromOption = None,
    end: ToOption = None,
    file_format: RecordFormatOption = RecordFormat.md,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Everything you recorded recognising, nominating, sponsoring, advocating for or opening
    opportunities to an ally, with dates and impact, for their review or their manager's tool.

    The default period is the last 12 months. The file is readable by you only, as every
    export; it names the ally on purpose, so there is no --anonymize.

    Examples:

      ally recognition maya

      ally recognition maya --period 2026 --format html -o maya-2026.html

      ally recognition sam --period "last quarter" --format text

      ally recognition maya --format docx -o maya.docx
    """
    journal_ = journal(ctx)
    check_output(output, force=force, journal_=journal_, page=page_of(file_format.value))
    span = chosen_period(journal_, period, start, end)
    record = records.compute(journal_, handle, span, today=today())
    if file_format.value == "docx":
        deliver_bytes(reports.recognition_docx(record), output, f"{record.count} entries")
        return
    _hand_over(
        reports.render_recognition(record, file_format.value), file_format, output, record.count
    )


def together(
    ctx: typer.Context,
    handle: Annotated[str, typer.Argument(help="The colleague.", autocompletion=complete_handle)],
    period: PeriodOption = None,
    start: FromOption = None,
    end: ToOption = None,
    file_format: RecordFormatOption = RecordFormat.md,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    """Everything you and a colleague did together, for a peer review: wins that mention them,
    help you gave them, help they gave you or others, their chores, shared goals and promises.

    The default period is the last 12 months. Like every export, a file is readable by you
    only.

    Examples:

      ally together sam

      ally together sam --period 2026-H2 -f docx -o sam.docx

      ally together maya --period "last quarter" --format text
    """
    from allyjournal.actions import together as shared

    journal_ = journal(ctx)
    check_output(output, force=force, journal_=journal_, page=page_of(file_format.value))
    span = chosen_period(journal_, period, start, end)
    made = shared.compute(journal_, handle, span, today=today())
    if file_format.value == "docx":
        deliver_bytes(reports.document_docx(made), output, f"{made.count} entries")
        return
    _hand_over(reports.render_together(made, file_format.value), file_format, output, made.count)


def _hand_over(text: str, file_format: RecordFormat, output: Path | None, count: int) -> None:
    """A document about one person: shown at the terminal, or written to `output` for you
    only, saying how many entries it holds."""
    if output is None:
        reports.show_document(text, file_format.value)
        return
    from allyjournal.actions.export import save

    save(output, [text])
    reports.said(f"Wrote {count} entries to {output} (readable by you only).", err=True)


class DraftFormat(str, Enum):
    md = "md"
    text = "text"
    json = "json"


def nominate(
    ctx: typer.Context,
    handles: Annotated[
        list[str] | None,
        typer.Argument(
            help="Only these people (default: everyone)", autocompletion=complete_handle
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", help="2026-Q3, 'last quarter'… [default: this quarter]"),
    ] = None,
    file_format: Annotated[
        DraftFormat, typer.Option("--format", "-f", help="md, text or json.")
    ] = DraftFormat.md,
) -> None:
    """Draft "Allyship in Action" nominations from the help you recorded others giving.

    People are ranked by what you recorded them doing (`ally thanks`, for you or, with --for,
    for someone else); each gets a paragraph to edit and the dated evidence it is built from.
    Nothing in it is invented.

    Examples:

      ally nominate

      ally nominate kofi ana --period "last quarter" --format text
    """
    from allyjournal.actions import nominate as drafts

    journal_ = journal(ctx)
    span = chosen_period(journal_, period or "this quarter", None, None)
    nominations = drafts.compute(journal_, span, handles or [], today=today())
    reports.show_document(
        reports.render_nominations(nominations, file_format.value), file_format.value
    )


def fairness(
    ctx: typer.Context,
    team: Annotated[
        str | None, typer.Option("--team", help="Only the allies on this team.")
    ] = None,
    period: PeriodOption = None,
    start: FromOption = None,
    end: ToOption = None,
    kinds: Annotated[
        str | None,
        typer.Option(
            "--kinds",
            metavar="KINDS",
            help="Kinds of help to count, comma-separated. "
            "[default: opportunity,sponsorship,nomination,recognition]",
        ),
    ] = None,
    housework: Annotated[
        bool,
        typer.Option(
            "--housework",
            help="The housework ledger instead: who did the team's chores (`ally chore`), and "
            "who is next in the rotation.",
        ),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The numbers as JSON.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour or box drawing.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", "--md", help="Markdown.")] = False,
    html: Annotated[
        bool, typer.Option("--html", help="A page with the chart (with -o FILE).")
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of the screen.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
) -> None:
    """Who received the opportunities, sponsorships, nominations and recognition you gave.

    For a team's allies (or all of them) over a period (default: the last two quarters): each
    person's count and share against an even share, a bar, the trend by quarter, and flags
    such as "@li received 4 of the last 6 opportunities" (`ally config fairness-window` and
    `fairness-share` set when) or "@jo has had none". People who received nothing are listed.

    Examples:

      ally fairness --team platform

      ally fairness --period 2026 --kinds opportunity,sponsorship --markdown

      ally fairness --team platform --html -o fairness.html

      ally fairness --team platform --housework
    """
    from allyjournal.actions import fairness as reports_of

    journal_ = journal(ctx)
    if period is None and start is None and end is None:
        span = reports_of.default_period(today())
    else:
        span = chosen_period(journal_, period, start, end)
    if housework and kinds:
        fail("--kinds is for the opportunity report; --housework counts chores (`ally chore`).")
    if housework:
        report = reports_of.housework(journal_, span, team=team, today=today())
    else:
        report = reports_of.compute(
            journal_, span, team=team, kinds=reports_of.parse_kinds(kinds), today=today()
        )
    check_output(output, force=force, journal_=journal_, page="--html" if html else None)
    if html or output is not None:
        from allyjournal.actions.export import save

        kind = "json" if as_json else "markdown" if markdown else "html" if html else "plain"
        rendered = reports.render_fairness(report, kind)
        if output is None:
            typer.echo(rendered, nl=False)
            return
        save(output, rendered)
        reports.said(f"Wrote the fairness report to {output} (readable by you only).", err=True)
        return
    shown = "json" if as_json else "markdown" if markdown else "plain" if plain else None
    reports.show_fairness(report, shown)
