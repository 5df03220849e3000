"""HTML: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that reads
as a document and prints cleanly to PDF on A4 or Letter. Every piece of user text is escaped
and bidi-isolated; the charts hold only numbers and the document's own labels.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from allyjournal.core.dates import day_label, month_label, month_short, span_label
from allyjournal.core.text import visible
from allyjournal.formats.outline import TITLE, Block, Span, outline

if TYPE_CHECKING:
    from allyjournal.actions.export import Export
    from allyjournal.actions.fairness import Fairness

STYLE = """
:root { --ink: #1d1d1f; --muted: #5f6368; --met: #2e7d32; --short: #9aa7b4; --big: #1f5f9e;
  --small: #9cc3e6; --rule: #d0d4d9; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
  max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; margin: 0; }
.byline { color: var(--muted); margin: .2rem 0 1.5rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid var(--rule); padding-bottom: .2rem;
  margin: 1.8rem 0 .6rem; }
h3 { font-size: 1rem; margin: 1.1rem 0 .3rem; }
ul { margin: .2rem 0; padding-left: 1.3rem; } li { margin: .15rem 0; }
.date { color: var(--muted); font-size: .9em; white-space: nowrap; }
figure { margin: 1rem 0; } figcaption { color: var(--muted); font-size: .85em; }
svg { width: 100%; height: auto; display: block; }
svg text { font: 11px system-ui, sans-serif; fill: var(--muted); }
.footer { color: var(--muted); font-size: .85em; margin-top: 2.5rem; }
@page { margin: 16mm 15mm; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  li, p, figure, tr { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def esc(value: str | None) -> str:
    return html.escape(visible(value or ""), quote=True).replace("\n", "<br>")


def user(value: str | None) -> str:
    """User text, escaped and bidi-isolated: right-to-left text cannot reorder its line."""
    return f"<bdi>{esc(value)}</bdi>"


def _span(span: Span) -> str:
    if span.style == "user":
        return user(span.text)
    if span.style == "strong":
        return f"<strong>{user(span.text)}</strong>"
    if span.style == "date":
        return f'<span class="date">{esc(span.text)}</span>'
    return esc(span.text)


TAGS = {"title": "h1", "heading": "h2", "subheading": "h3", "para": "p"}
CLASSES = {"byline": "byline", "footer": "footer"}


def export_html(export: Export) -> Iterator[str]:
    """The export as a page, line by line (a year at a million entries is never one string)."""
    period = span_label(export.period.start, export.period.end)

    def chart(block: Block) -> str:
        return weeks_chart(export) if block.chart == "weeks" else months_chart(export)

    return html_lines(outline(export), f"{TITLE}, {period}", chart)


def blocks_html(
    blocks: Iterable[Block], title: str, chart: Callable[[Block], str] | None = None
) -> str:
    """A document's blocks (formats/outline.py) as one self-contained page titled `title`;
    `chart` draws a chart block."""
    return "".join(html_lines(blocks, title, chart))


def html_lines(
    blocks: Iterable[Block], title: str, chart: Callable[[Block], str] | None = None
) -> Iterator[str]:
    """`blocks_html`, one line (ending in a newline) at a time."""
    yield "<!DOCTYPE html>\n"
    yield '<html lang="en"><head><meta charset="utf-8">\n'
    yield '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    yield f"<title>{esc(title)}</title><style>{STYLE}</style></head><body>\n"
    in_list = False
    for block in blocks:
        if block.kind == "item" and not in_list:
            yield "<ul>\n"
        elif block.kind != "item" and in_list:
            yield "</ul>\n"
        in_list = block.kind == "item"
        yield _block(block, chart) + "\n"
    if in_list:
        yield "</ul>\n"
    yield "</body></html>\n"


def _block(block: Block, chart: Callable[[Block], str] | None) -> str:
    inner = "".join(_span(span) for span in block.spans)
    if block.kind == "item":
        return f"<li>{inner}</li>"
    if block.kind == "chart":
        return chart(block) if chart else ""
    if block.kind in CLASSES:
        return f'<p class="{CLASSES[block.kind]}">{inner}</p>'
    tag = TAGS[block.kind]
    return f"<{tag}>{inner}</{tag}>"


# -- charts: inline SVG, sized by a viewBox so they scale to the page -------------------------

WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 170, 28, 22, 10


def _frame(top: int, caption: str, bars: list[str], labels: list[str], legend: str) -> str:
    """Axes, a few gridlines and the bars, in one accessible figure."""
    plot = HEIGHT - BOTTOM - TOP
    grid = []
    step = max(1, -(-top // 4))
    for value in range(0, top + 1, step):
        y = TOP + plot - plot * value / top
        grid.append(
            f'<line x1="{LEFT}" x2="{WIDTH}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e6ea"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    return (
        f'<figure><svg viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{esc(caption)}"><title>{esc(caption)}</title>'
        + "".join(grid)
        + "".join(bars)
        + "".join(labels)
        + f"</svg><figcaption>{esc(caption)}{legend}</figcaption></figure>"
    )


def _x_labels(starts: list[str], slot: float) -> list[str]:
    """A label under the first bar of each month, where it has room (weeks share a month)."""
    labels, previous, last_x = [], "", -100.0
    for n, text in enumerate(starts):
        x = LEFT + slot * (n + 0.5)
        if text != previous and x - last_x >= 40:
            labels.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 6}" text-anchor="middle">{esc(text)}</text>'
            )
            last_x = x
        previous = text
    return labels


def _bar_width(slot: float) -> float:
    """Bars fill most of their slot, but a chart of two months does not draw two walls."""
    return min(slot * 0.7, 44.0)


def _bar_x(n: int, slot: float) -> float:
    return LEFT + slot * (n + 0.5) - _bar_width(slot) / 2


def weeks_chart(export: Export) -> str:
    """Allies helped in each week of the period, against the weekly goal."""
    given = export.allyship
    assert given is not None
    weeks = given.weeks
    top = max([given.goal + 1, *(w.allies for w in weeks)])
    plot = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / len(weeks)
    bars = []
    for n, week in enumerate(weeks):
        height = plot * week.allies / top
        colour = "var(--met)" if week.goal_met else "var(--short)"
        bars.append(
            f'<rect x="{_bar_x(n, slot):.1f}" y="{TOP + plot - height:.1f}" '
            f'width="{_bar_width(slot):.1f}" height="{height:.1f}" fill="{colour}">'
            f"<title>Week of {esc(day_label(week.start))}: {week.allies}</title></rect>"
        )
    goal_y = TOP + plot - plot * given.goal / top
    bars.append(
        f'<line x1="{LEFT}" x2="{WIDTH}" y1="{goal_y:.1f}" y2="{goal_y:.1f}" '
        'stroke="#c62828" stroke-dasharray="5 4" stroke-width="1.5"/>'
    )
    caption = (
        f"Allies helped each week; the dashed line is the goal of {given.goal}. "
        f"Met in {given.weeks_met} of {len(weeks)} weeks"
        + (f" since you started ({day_label(given.since)})." if given.since else ".")
    )
    labels = _x_labels([month_short(w.start) for w in weeks], slot)
    return _frame(top, caption, bars, labels, "")


def months_chart(export: Export) -> str:
    """Wins in each month of the period, big ones at the bottom of each bar."""
    months = export.months
    top = max(1, *(m.big + m.small for m in months))
    plot = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / len(months)
    bars = []
    for n, month in enumerate(months):
        x = _bar_x(n, slot)
        big = plot * month.big / top
        small = plot * month.small / top
        bars.append(
            f'<rect x="{x:.1f}" y="{TOP + plot - big:.1f}" width="{_bar_width(slot):.1f}" '
            f'height="{big:.1f}" fill="var(--big)"/>'
            f'<rect x="{x:.1f}" y="{TOP + plot - big - small:.1f}" width="{_bar_width(slot):.1f}" '
            f'height="{small:.1f}" fill="var(--small)"><title>{esc(month_label(month.month))}: '
            f"{month.big} big, {month.small} small</title></rect>"
        )
    labels = _x_labels([month_short(m.month) for m in months], slot)
    legend = (
        ' <span style="color:var(--big)">■</span> big'
        ' <span style="color:var(--small)">■</span> small'
    )
    return _frame(top, "Wins each month.", bars, labels, legend)


def fairness_html(report: Fairness) -> str:
    """The fairness report as a page: its blocks (formats/outline.py) and the bar chart."""
    from allyjournal.formats.outline import fairness_outline

    blocks = fairness_outline(report)
    return blocks_html(blocks, blocks[0].plain, lambda _block: fairness_chart(report))


def fairness_chart(report: Fairness) -> str:
    """One horizontal bar per person, longest on top, with a dashed line at the even share."""
    row_height, label_width, right = 22, 110, 40
    height = TOP + row_height * len(report.rows) + BOTTOM
    top = max([1.0, report.even_share, *(row.total for row in report.rows)])
    scale = (WIDTH - label_width - right) / top
    parts = []
    for n, row in enumerate(report.rows):
        y = TOP + n * row_height
        width = row.total * scale
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end">'
            f"@{esc(row.person.handle)}</text>"
            f'<rect x="{label_width}" y="{y + 4}" width="{width:.1f}" height="{row_height - 8}" '
            f'fill="var(--big)"><title>@{esc(row.person.handle)}: {row.total}</title></rect>'
            f'<text x="{label_width + width + 4:.1f}" y="{y + 15}">{row.total}</text>'
        )
    even_x = label_width + report.even_share * scale
    parts.append(
        f'<line x1="{even_x:.1f}" y1="{TOP}" x2="{even_x:.1f}" y2="{height - BOTTOM}" '
        'stroke="var(--met)" stroke-dasharray="4 3"/>'
        f'<text x="{even_x + 4:.1f}" y="{height - 6}">even share '
        f"{report.even_share:.1f}</text>"
    )
    caption = "Received per person; the dashed line is an even share."
    return (
        f'<figure><svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{esc(caption)}">'
        + "".join(parts)
        + f"</svg><figcaption>{esc(caption)}</figcaption></figure>"
    )
