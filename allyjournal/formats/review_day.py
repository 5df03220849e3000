"""The review-day documents as blocks (formats/outline.py): the promotion packet
(`ally export --packet`) and `ally together HANDLE`, so Markdown, text, HTML and Word each
only decide how a block looks, and a section is left out or worded in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from allyjournal.actions.export import count_of, shown_text
from allyjournal.core.dates import day_label, short_day, span_label
from allyjournal.formats.outline import Block, Span, made_on, win_item

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import date

    from allyjournal.actions.packet import Packet
    from allyjournal.actions.together import Together
    from allyjournal.core.models import Entry

PACKET_TITLE = "Promotion packet"


def _byline(owner: str | None, role: str | None, start: date, end: date) -> Block:
    by = ", ".join(part for part in (owner, role) if part)
    period = span_label(start, end)
    return Block("byline", (*((Span(by, "user"), Span(" · ")) if by else ()), Span(period)))


def _evidence(entry: Entry, year: int, name: Callable[[str], str]) -> Block:
    """One entry as evidence: a win as the export shows it, help with whom and what kind."""
    if entry.kind == "win":
        return win_item(entry, year, strong=entry.is_big)
    day = Span(f" ({short_day(entry.date, aligned=False, this_year=year)})", "date")
    impact = (Span(" — "), Span(entry.impact, "user")) if entry.impact else ()
    if entry.kind == "help":
        kind = entry.help_kind or "other"
        who = (Span(f"{kind.capitalize()} for "), Span(name(entry.ally or ""), "user"), Span(": "))
        return Block("item", (*who, Span(shown_text(entry), "user"), *impact, day))
    return Block("item", (Span("Learned: "), Span(shown_text(entry), "user"), *impact, day))


def packet_outline(packet: Packet) -> list[Block]:
    """The packet: the gaps first (what to work on while there is time), a line per criterion,
    then each criterion with its dated evidence, then what no criterion claims."""
    year = packet.generated.year
    ladder = packet.ladder
    title = (Span(PACKET_TITLE), *((Span(": "), Span(ladder.name, "user")) if ladder.name else ()))
    blocks = [
        Block("title", title),
        _byline(packet.owner, packet.role, packet.period.start, packet.period.end),
        Block(
            "para",
            (
                Span("Evidence from my journal under each criterion of "),
                Span(ladder.source, "user"),
                Span("; an entry can support more than one criterion."),
            ),
        ),
    ]
    since = day_label(packet.gap_since)
    if packet.gaps:
        blocks.append(Block("heading", (Span(f"Criteria with no evidence since {since}"),)))
        for item in packet.gaps:
            latest = item.latest
            when = f" — latest {day_label(latest)}" if latest else " — none in this period"
            blocks.append(Block("item", (Span(item.criterion.name, "user"), Span(when))))
    blocks.append(Block("heading", (Span("Summary"),)))
    for item in packet.evidence:
        latest = item.latest
        tail = f", latest {day_label(latest)}" if latest else ""
        blocks.append(
            Block(
                "item",
                (
                    Span(item.criterion.name, "user"),
                    Span(f": {count_of(len(item.entries), 'entry', 'entries')}{tail}"),
                ),
            )
        )
    for item in packet.evidence:
        blocks.append(Block("heading", (Span(item.criterion.name, "user"),)))
        if item.criterion.description:
            blocks.append(Block("para", (Span(item.criterion.description, "user"),)))
        if not item.entries:
            blocks.append(Block("para", (Span("No evidence in this period yet."),)))
        blocks += [_evidence(entry, year, packet.name) for entry in item.entries]
    if packet.unmapped:
        blocks.append(Block("heading", (Span("Not under any criterion"),)))
        blocks += [_evidence(entry, year, packet.name) for entry in packet.unmapped]
    return [*blocks, made_on(packet.generated)]


def together_outline(together: Together) -> list[Block]:
    """What you and one colleague did together, worded for a peer review."""
    person = together.person
    year = together.generated.year
    name = person.name or f"@{person.handle}"
    blocks = [
        Block("title", (Span("What we did together: "), Span(name, "user"))),
        _byline(together.owner, together.role, together.period.start, together.period.end),
    ]
    if together.empty:
        blocks.append(
            Block(
                "para",
                (
                    Span("Nothing with "),
                    Span(name, "user"),
                    Span(
                        " in this period. A win that mentions "
                        f"@{person.handle}, `ally helped {person.handle}` and "
                        f"`ally thanks {person.handle}` add to it."
                    ),
                ),
            )
        )
        return [*blocks, made_on(together.generated)]

    def dated(entry: Entry, *lead: Span) -> Block:
        day = short_day(entry.date, aligned=False, this_year=year)
        impact = (Span(" — "), Span(entry.impact, "user")) if entry.impact else ()
        return Block(
            "item", (Span(f"{day}: ", "date"), *lead, Span(shown_text(entry), "user"), *impact)
        )

    if together.wins:
        blocks.append(Block("heading", (Span("Wins we shared"),)))
        blocks += [win_item(entry, year, strong=entry.is_big) for entry in together.wins]
    if together.given:
        blocks.append(Block("heading", (Span("What I did for "), Span(name, "user"))))
        blocks += [dated(e, Span(f"{e.help_kind or 'other'}: ")) for e in together.given]
    if together.received:
        blocks.append(Block("heading", (Span("What "), Span(name, "user"), Span(" did for me"))))
        blocks += [dated(entry) for entry in together.received]
    if together.seen:
        blocks.append(
            Block("heading", (Span("What I saw "), Span(name, "user"), Span(" do for others")))
        )
        blocks += [dated(e, Span(f"for @{e.for_handle}: ", "user")) for e in together.seen]
    if together.chores:
        blocks.append(
            Block("heading", (Span("The team's housework "), Span(name, "user"), Span(" did")))
        )
        blocks += [dated(entry) for entry in together.chores]
    if together.goals:
        blocks.append(Block("heading", (Span("Goals we shared"),)))
        for goal in together.goals:
            state = goal.status
            mutual = "mutual, " if goal.mutual else ""
            blocks.append(Block("item", (Span(goal.text, "user"), Span(f" ({mutual}{state})"))))
    if together.promises:
        blocks.append(Block("heading", (Span("Promises I made "), Span(name, "user"))))
        for promise in together.promises:
            blocks.append(Block("item", (Span(promise.text, "user"), Span(f" ({promise.status})"))))
    return [*blocks, made_on(together.generated)]
