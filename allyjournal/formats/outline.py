"""The export as a sequence of blocks: headings, paragraphs, list items and chart slots.

Markdown, plain text and HTML all walk this one outline, so a section, a sentence or an empty
section left out is decided once, and each format only decides how a block looks. Each block is
made of spans that say whose words they are: the user's own text (escaped by every format),
or the document's own words (ours, safe as they are).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from allyjournal.actions.export import byline, group_heading, shown_text, summary_lines
from allyjournal.core.dates import day_label, short_day, span_label
from allyjournal.core.vocabulary import recognition_wish

if TYPE_CHECKING:
    from datetime import date

    from allyjournal.actions.export import Export
    from allyjournal.actions.fairness import Fairness
    from allyjournal.actions.nominate import Nominations
    from allyjournal.actions.recognition import RecognitionRecord
    from allyjournal.core.models import Entry

TITLE = "Accomplishments"


# Spans and blocks are named tuples rather than frozen dataclasses: a document of a year at a
# million entries makes four of them per entry, and a tuple is made five times faster.


class Span(NamedTuple):
    text: str
    style: str = "ours"  # ours | user | strong (user words, emphasised) | date | muted


class Block(NamedTuple):
    kind: str  # title | byline | heading | subheading | item | para | chart | footer
    spans: tuple[Span, ...] = ()
    chart: str = ""  # for kind == "chart": "weeks" or "months"

    @property
    def plain(self) -> str:
        return "".join(span.text for span in self.spans)


UNSUNG_HEADING = "Work that isn't in my job description, and what it made possible"


def win_item(entry: Entry, this_year: int, *, strong: bool = False) -> Block:
    text = Span(shown_text(entry), "strong" if strong else "user")
    day = Span(f" ({short_day(entry.date, aligned=False, this_year=this_year)})", "date")
    if entry.impact:
        return Block("item", (text, Span(" — "), Span(entry.impact, "user"), day))
    return Block("item", (text, day))


def _given(export: Export, entry: Entry) -> Block:
    day = short_day(entry.date, aligned=False, this_year=export.generated.year)
    return Block(
        "item",
        (
            Span(f"{day}, ", "date"),
            Span(export.name(entry.ally or ""), "user"),
            Span(": "),
            Span(shown_text(entry), "user"),
        ),
    )


def outline(export: Export) -> Iterator[Block]:
    """Every block of the document, in order, as the formats write them (a year at a million
    entries is never all in memory); empty sections are never started."""
    year = export.generated.year
    yield Block("title", (Span(TITLE),))
    who = byline(export)
    period = span_label(export.period.start, export.period.end)
    yield Block("byline", (*((Span(who, "user"), Span(" · ")) if who else ()), Span(period)))
    if export.empty:
        yield Block(
            "para",
            (Span("Nothing was logged in this period. `ally win` and `ally helped` add to it."),),
        )
        yield _footer(export)
        return
    yield Block("heading", (Span("Summary"),))
    yield from (Block("item", (Span(line),)) for line in summary_lines(export))
    if any(bar.big or bar.small for bar in export.months) and len(export.months) > 1:
        yield Block("chart", chart="months")
    if export.highlights:
        yield Block("heading", (Span("Highlights"),))
        yield from (win_item(entry, year, strong=True) for entry in export.highlights)
    if export.unsung:
        yield Block("heading", (Span(UNSUNG_HEADING),))
        yield from (win_item(entry, year) for entry in export.unsung)
    if export.groups:
        by = {"tag": "theme", "month": "month", "quarter": "quarter"}[export.grouping]
        title = "Other wins" if export.highlights else "Wins"
        yield Block("heading", (Span(f"{title} by {by}"),))
        for group in export.groups:
            yield Block("subheading", (Span(group_heading(export, group), "user"),))
            yield from (win_item(entry, year) for entry in group.wins)
    given = export.allyship
    if given:
        yield Block("heading", (Span("Allyship"),))
        if given.weeks:
            yield Block("chart", chart="weeks")
        yield Block("subheading", (Span("Colleagues helped"),))
        yield from (
            Block(
                "item",
                (
                    Span(row.name, "user"),
                    Span(
                        f": {row.count} time{'s' if row.count != 1 else ''} ({', '.join(row.kinds)})"
                    ),
                ),
            )
            for row in given.allies
        )
        yield Block("subheading", (Span("Help by kind"),))
        yield Block("para", (Span(", ".join(f"{k} {n}" for k, n in given.by_kind)),))
        if given.by_level:
            yield Block("subheading", (Span("Help by level"),))
            yield Block("para", (Span(", ".join(f"{k} {n}" for k, n in given.by_level)),))
        for heading, entries in (
            ("Recognition and nominations given", given.recognition),
            ("Opportunities and sponsorships given", given.opportunities),
        ):
            if entries:
                yield Block("subheading", (Span(heading),))
                yield from (_given(export, entry) for entry in entries)
    if export.learned:
        yield Block("heading", (Span("Learning"),))
        for entry in export.learned:
            day = short_day(entry.date, aligned=False, this_year=export.generated.year)
            impact = (Span(" — "), Span(entry.impact, "user")) if entry.impact else ()
            yield Block(
                "item", (Span(f"{day}: ", "date"), Span(shown_text(entry), "user"), *impact)
            )
    if export.reflections:
        yield Block("heading", (Span("Reflections"),))
        for entry in export.reflections:
            yield Block(
                "subheading", (Span(f"Week of {day_label(export.reflection_week(entry))}"),)
            )
            yield Block("para", (Span(entry.text, "user"),))
    yield _footer(export)


def recognition_outline(record: RecognitionRecord) -> list[Block]:
    """The recognition record as blocks: worded so its reader can paste it into their own
    review or their manager's tool."""
    from allyjournal.actions.recognition import HEADINGS

    person = record.person
    name = f"{person.name} (@{person.handle})" if person.name else f"@{person.handle}"
    period = span_label(record.period.start, record.period.end)
    by = ", ".join(part for part in (record.owner, record.role) if part)
    blocks = [
        Block("title", (Span("Recognition record for "), Span(name, "user"))),
        Block("byline", (*((Span(by, "user"), Span(" · ")) if by else ()), Span(period))),
    ]
    wish = recognition_wish(person.recognition, person.channel)
    if wish:
        blocks.append(
            Block(
                "para",
                (
                    Span(f"How {person.display_name} likes to be recognised: "),
                    Span(wish, "user"),
                    Span("."),
                ),
            )
        )
    if not record.sections:
        blocks.append(
            Block(
                "para",
                (
                    Span(
                        "Nothing recorded in this period. `ally helped "
                        f'{person.handle} "…" --kind recognition` (or credit, nomination, '
                        "sponsorship, advocacy, opportunity) adds to it."
                    ),
                ),
            )
        )
        return [*blocks, made_on(record.generated)]
    kept_by = Span(record.owner, "user") if record.owner else Span("The author")
    times = f"{record.count} time{'s' if record.count != 1 else ''}"
    blocks.append(
        Block(
            "para",
            (
                kept_by,
                Span(" recorded recognising or advocating for "),
                Span(person.name or f"@{person.handle}", "user"),
                Span(f" {times} in this period:"),
            ),
        )
    )
    for kind, entries in record.sections:
        blocks.append(Block("heading", (Span(HEADINGS[kind]),)))
        blocks += [win_item(entry, record.generated.year) for entry in entries]
    return [*blocks, made_on(record.generated)]


def nominations_outline(nominations: Nominations) -> list[Block]:
    """Nomination drafts as blocks: for each person, a paragraph to edit and the dated
    evidence it is built from."""
    period = span_label(nominations.period.start, nominations.period.end)
    blocks = [
        Block("title", (Span("Allyship in Action nominations"),)),
        Block("byline", (Span(f"Drafts from your journal · {period}"),)),
    ]
    if not nominations.nominees:
        blocks.append(
            Block(
                "para",
                (
                    Span(
                        "No help from others recorded in this period. `ally thanks kofi "
                        '"Covered my on-call shift"` records what someone did for you, and '
                        '`ally thanks ana "…" --for sam` allyship you saw them show.'
                    ),
                ),
            )
        )
        return [*blocks, made_on(nominations.generated)]
    for nominee in nominations.nominees:
        person = nominee.person
        name = person.name or f"@{person.handle}"
        times = len(nominee.evidence)
        others = nominee.helped_others
        spans = [
            Span("I nominate "),
            Span(name, "user"),
            Span(" for Allyship in Action: in this period I recorded them helping "),
            Span(f"{times} time{'s' if times != 1 else ''}"),
        ]
        if others:
            spans.append(Span(", including helping " + ", ".join(f"@{h}" for h in others)))
        spans.append(Span(". Most recently: "))
        spans.append(Span(nominee.evidence[0].text, "user"))
        spans.append(Span("."))
        blocks.append(Block("heading", (Span(name, "user"),)))
        wish = recognition_wish(person.recognition, person.channel)
        if person.recognition == "private":  # a nomination is public: ask first
            blocks.append(
                Block(
                    "para",
                    (
                        Span(f"{name} prefers recognition "),
                        Span(wish, "user"),
                        Span(": ask them before you submit this."),
                    ),
                )
            )
        elif wish:
            blocks.append(
                Block("para", (Span(f"{name} likes recognition "), Span(wish, "user"), Span(".")))
            )
        blocks.append(Block("para", tuple(spans)))
        for entry in nominee.evidence:
            whom = [Span(" (for "), Span(f"@{entry.for_handle}", "user"), Span(")")]
            blocks.append(
                Block(
                    "item",
                    (
                        Span(f"{short_day(entry.date, aligned=False)}, ", "date"),
                        Span(f"{entry.help_kind or 'help'}: "),
                        Span(entry.text, "user"),
                        *(whom if entry.for_handle else ()),
                    ),
                )
            )
    return [*blocks, made_on(nominations.generated)]


def fairness_outline(report: Fairness) -> list[Block]:
    """The fairness report as blocks for a page: the heading, the chart's place, the counts by
    person and quarter, and the flags."""
    from allyjournal.render.plain import fairness_heading, fairness_share

    blocks = [
        Block("title", (Span(fairness_heading(report)),)),
        Block(
            "byline",
            (
                Span(
                    f"{', '.join(report.kinds)}: {report.total} in all, "
                    f"{report.even_share:.1f} each if shared evenly"
                ),
            ),
        ),
        Block("chart", chart="fairness"),
        Block("heading", (Span("By person and quarter"),)),
    ]
    for row in report.rows:
        trend = ", ".join(f"{q}: {n}" for q, n in zip(report.quarters, row.by_quarter, strict=True))
        kinds = ", ".join(f"{kind} {row.counts[kind]}" for kind in report.kinds)
        blocks.append(
            Block(
                "item",
                (
                    Span(f"@{row.person.handle}", "user"),
                    Span(f": {row.total}, {fairness_share(report, row.total)} ({kinds}; {trend})"),
                ),
            )
        )
    if report.flags:
        blocks.append(Block("heading", (Span("Flags"),)))
        blocks += [Block("item", (Span(flag, "user"),)) for flag in report.flags]
    return blocks


def made_on(day: date) -> Block:
    return Block("footer", (Span(f"Generated by allyjournal on {day_label(day)}."),))


def _footer(export: Export) -> Block:
    return Block("footer", (Span(f"Generated by allyjournal on {day_label(export.generated)}."),))
