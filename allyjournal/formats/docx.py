"""Word documents (`--format docx`): the export, the promotion packet, `ally together` and the
recognition record, for HR tools and shared drives that take Word files.

Written with python-docx, which owns the file format (zip parts, relationships, styles);
this module only walks a document's blocks (formats/outline.py) and decides how each looks,
as markdown.py and html.py do. A chart slot becomes a table: a Word file is opened in many
editors and viewers, and a table is read (and copied into a review form) by all of them.

User text is shown, never obeyed: controls become visible escapes (core/text.visible), and
what XML cannot hold at all (lone surrogates, U+FFFE) becomes U+FFFD, so a hostile entry can
neither break the file nor act in the program that opens it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING

from allyjournal.core.dates import day_label, month_label
from allyjournal.core.text import visible

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph

    from allyjournal.actions.export import Export
    from allyjournal.formats.outline import Block

# A table for a chart slot: the header row, then the rows.
Table = tuple[tuple[str, ...], list[tuple[str, ...]]]

# What XML 1.0 cannot carry even escaped (visible() has already turned C0/C1 controls into
# text): surrogates and the two non-characters U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")
GREY = (0x55, 0x55, 0x55)


def safe(text: str) -> str:
    """Text as a Word run can hold it, controls shown as escapes."""
    return _NOT_XML.sub("\ufffd", visible(text))


def blocks_docx(
    blocks: Iterable[Block],
    *,
    title: str,
    author: str | None,
    made: date,
    chart: Callable[[Block], Table | None] | None = None,
) -> bytes:
    """A document's blocks as the bytes of a .docx file. `chart` gives the table a chart slot
    becomes (None leaves it out); the file's properties name its title and author, made on
    `made`, and nothing else (python-docx's template would say it wrote the file)."""
    from docx import Document as new_document

    document = new_document()
    properties = document.core_properties
    properties.title = safe(title)
    properties.author = safe(author or "")
    properties.last_modified_by = safe(author or "")
    properties.comments = ""
    properties.keywords = ""
    moment = datetime(made.year, made.month, made.day, tzinfo=timezone.utc)
    properties.created = properties.modified = moment
    for block in blocks:
        _add(document, block, chart)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


HEADING_LEVELS = {"title": 0, "heading": 1, "subheading": 2}


def _add(document: Document, block: Block, chart: Callable[[Block], Table | None] | None) -> None:
    if block.kind == "chart":
        table = chart(block) if chart else None
        if table is not None:
            _table(document, *table)
        return
    if block.kind in HEADING_LEVELS:
        document.add_heading(safe(block.plain), HEADING_LEVELS[block.kind])
        return
    style = "List Bullet" if block.kind == "item" else None
    paragraph = document.add_paragraph(style=style)
    _runs(paragraph, block)
    if block.kind in ("byline", "footer"):
        for run in paragraph.runs:
            run.italic = True


def _runs(paragraph: Paragraph, block: Block) -> None:
    from docx.shared import RGBColor

    for span in block.spans:
        run = paragraph.add_run(safe(span.text))
        if span.style == "strong":
            run.bold = True
        elif span.style in ("date", "muted"):
            run.font.color.rgb = RGBColor(*GREY)


def _table(document: Document, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Light Grid Accent 1"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = safe(text)
    for row in rows:
        for cell, text in zip(table.add_row().cells, row, strict=True):
            cell.text = safe(text)
    document.add_paragraph()


def export_docx(export: Export) -> bytes:
    """The export (formats/outline.py) as a Word file, its charts as tables."""
    from allyjournal.core.dates import span_label
    from allyjournal.formats.outline import TITLE, outline

    def chart(block: Block) -> Table | None:
        return weeks_table(export) if block.chart == "weeks" else months_table(export)

    period = span_label(export.period.start, export.period.end)
    return blocks_docx(
        outline(export),
        title=f"{TITLE}, {period}",
        author=export.owner,
        made=export.generated,
        chart=chart,
    )


def months_table(export: Export) -> Table:
    """Wins each month: the numbers the HTML's bar chart draws."""
    rows: list[tuple[str, ...]] = [
        (month_label(m.month), str(m.big), str(m.small)) for m in export.months
    ]
    return ("Month", "Big wins", "Small wins"), rows


def weeks_table(export: Export) -> Table | None:
    """Allies helped each week against the goal: the numbers the HTML's weekly chart draws."""
    given = export.allyship
    if given is None:
        return None
    rows: list[tuple[str, ...]] = [
        (day_label(week.start), str(week.allies), "yes" if week.goal_met else "no")
        for week in given.weeks
    ]
    return ("Week of", "Allies helped", f"Goal of {given.goal} met"), rows
