"""Exports for performance reviews: one computed `Export`, rendered by one function per format.

Every format is safe to open in the program it is meant for: CSV cells cannot become
spreadsheet formulas, HTML escapes all user text, Markdown escapes its own syntax and HTML.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import string
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone

from allyjournal.dates import Period
from allyjournal.models import Entry, Person
from allyjournal.reports import markdown_text, visible

CSV_COLUMNS = (
    "id", "date", "kind", "size", "text", "impact", "tags", "mentions",
    "ally", "help_kind", "level", "created_at", "updated_at",
)  # fmt: skip
# OWASP CSV injection: a cell starting with one of these may run as a formula. The quote itself
# is in the list so that a text starting with a quote survives the round trip through import.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
CAREER_MOVES = ("opportunity", "sponsorship", "nomination")


@dataclass(frozen=True)
class Export:
    """What an export holds and the numbers every format shows."""

    period: Period
    entries: list[Entry]  # newest first
    people: list[Person]
    allyship: bool
    generated_at: str = field(
        default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0).isoformat()
    )

    @property
    def wins(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == "win"]

    @property
    def big_wins(self) -> list[Entry]:
        return [entry for entry in self.wins if entry.is_big]

    @property
    def small_wins(self) -> list[Entry]:
        return [entry for entry in self.wins if not entry.is_big]

    @property
    def helps(self) -> list[Entry]:
        return [entry for entry in self.entries if entry.kind == "help"] if self.allyship else []

    @property
    def allies(self) -> Counter[str]:
        return Counter(entry.ally or "" for entry in self.helps)

    @property
    def help_kinds(self) -> Counter[str]:
        return Counter(entry.help_kind or "other" for entry in self.helps)

    def of_kind(self, *kinds: str) -> list[Entry]:
        return [entry for entry in self.helps if entry.help_kind in kinds]

    def name(self, handle: str) -> str:
        person = next((p for p in self.people if p.handle == handle), Person(handle))
        return person.display_name


def build(
    period: Period,
    entries: Iterable[Entry],
    people: list[Person],
    *,
    allyship: bool,
    anonymize: bool,
) -> Export:
    chosen = [e for e in entries if allyship or e.kind != "help"]
    export = Export(period, chosen, people, allyship)
    return _anonymized(export) if anonymize else export


def _label(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return f"Colleague {letters}"


def _anonymized(export: Export) -> Export:
    """Every colleague becomes "Colleague A", "Colleague B"… in fields and in free text."""
    handles = sorted(
        {h for e in export.entries for h in e.people} | {p.handle for p in export.people}
    )
    labels = {handle: _label(n) for n, handle in enumerate(handles)}
    names: dict[str, str] = {}
    for person in export.people:
        label = labels[person.handle]
        if person.name:
            names[person.name] = label
            first = person.name.split()[0]
            if len(first) >= 3:
                names.setdefault(first, label)
    for handle, label in labels.items():
        names.setdefault(handle, label)
    words = sorted(names, key=len, reverse=True)
    pattern = (
        re.compile(
            r"@?(?<![\w.-])(" + "|".join(map(re.escape, words)) + r")(?![\w-]|\.\w)", re.IGNORECASE
        )
        if words
        else None
    )
    lowered = {word.lower(): label for word, label in names.items()}

    def scrub(text: str | None) -> str | None:
        if text is None or pattern is None:
            return text
        return pattern.sub(lambda m: lowered[m.group(1).lower()], text)

    entries = [
        replace(
            entry,
            text=scrub(entry.text) or "",
            impact=scrub(entry.impact),
            ally=labels.get(entry.ally or "", entry.ally),
            mentions=tuple(labels[h] for h in entry.mentions),
        )
        for entry in export.entries
    ]
    people = [Person(handle=labels[p.handle], archived=p.archived) for p in export.people]
    return replace(export, entries=entries, people=people)


# -- formats ------------------------------------------------------------------------------


def to_json(export: Export) -> str:
    """The public, full-fidelity schema; `ally import` reads it back losslessly."""
    document = {
        "format": "allyjournal",
        "version": 1,
        "exported_at": export.generated_at,
        "period": {"start": export.period.start.isoformat(), "end": export.period.end.isoformat()},
        "entries": [entry.to_record() for entry in export.entries],
        "people": [person.to_record() for person in export.people],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def csv_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def to_csv(export: Export) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for entry in export.entries:
        record = entry.to_record()
        record["tags"] = " ".join(entry.tags)
        record["mentions"] = " ".join(entry.mentions)
        writer.writerow(csv_cell(str(record.get(column) or "")) for column in CSV_COLUMNS)
    return buffer.getvalue()


def _month(day: date) -> str:
    return f"{day:%B %Y}"


def _grouped(entries: list[Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: e.date):
        groups.setdefault(_month(entry.date), []).append(entry)
    return groups


def summary_lines(export: Export) -> list[str]:
    lines = [
        f"{len(export.wins)} wins ({len(export.big_wins)} big, {len(export.small_wins)} small)",
    ]
    if export.allyship:
        lines.append(f"{len(export.helps)} times helping {len(export.allies)} allies")
    return lines


def to_markdown(export: Export) -> str:
    text = markdown_text
    out = [
        f"# Accomplishments: {export.period.start:%d %b %Y} – {export.period.end:%d %b %Y}",
        "",
        *(f"- {line}" for line in summary_lines(export)),
        "",
        "## Big wins",
        "",
    ]
    out += [
        f"- **{text(e.text)}** ({e.date:%d %b %Y})" + (f" — {text(e.impact)}" if e.impact else "")
        for e in sorted(export.big_wins, key=lambda e: e.date)
    ] or ["None in this period."]
    out += ["", "## Other wins"]
    for month, entries in _grouped(export.small_wins).items():
        out += ["", f"### {month}", ""]
        out += [f"- {text(e.text)}" + (f" — {text(e.impact)}" if e.impact else "") for e in entries]
    if not export.small_wins:
        out += ["", "None in this period."]
    if export.allyship:
        out += ["", "## Allyship", "", f"Supported {len(export.allies)} colleagues:", ""]
        out += [
            f"- {text(export.name(h))}: {n} time{'s' if n > 1 else ''}"
            for h, n in export.allies.most_common()
        ]
        out += ["", "Help by kind:", ""]
        out += [f"- {kind}: {count}" for kind, count in export.help_kinds.most_common()]
        for title, kinds in (
            ("Recognition and nominations given", ("recognition", "nomination")),
            ("Opportunities and sponsorship", ("opportunity", "sponsorship")),
        ):
            chosen = export.of_kind(*kinds)
            if chosen:
                out += ["", f"### {title}", ""]
                out += [
                    f"- {e.date:%d %b %Y}, {text(export.name(e.ally or ''))}: {text(e.text)}"
                    for e in sorted(chosen, key=lambda e: e.date)
                ]
    return "\n".join(out) + "\n"


HTML_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; color: #1d1d1f; }
h1 { font-size: 1.6rem; } h2 { border-bottom: 1px solid #ccc; margin-top: 2rem; }
.impact { color: #2a6b2a; } .date { color: #666; font-size: .9em; }
table { border-collapse: collapse; } td, th { padding: .2rem .8rem .2rem 0; text-align: left; }
@media print { body { margin: 0; max-width: none; font-size: 11pt; } h2 { break-after: avoid; }
  li, tr { break-inside: avoid; } a { color: inherit; text-decoration: none; } }
"""


def to_html(export: Export) -> str:
    """One self-contained page (inline CSS, no scripts) that prints cleanly to PDF."""

    def esc(value: str | None) -> str:
        return html.escape(visible(value or ""), quote=True).replace("\n", "<br>")

    def user(value: str | None) -> str:
        """User text, escaped and bidi-isolated: right-to-left text cannot reorder its line."""
        return f"<bdi>{esc(value)}</bdi>"

    def items(entries: list[Entry], show: Callable[[Entry], str]) -> str:
        return (
            "<ul>" + "".join(f"<li>{show(e)}</li>" for e in entries) + "</ul>"
            if entries
            else "<p>None in this period.</p>"
        )

    def win(entry: Entry) -> str:
        impact = f' — <span class="impact">{user(entry.impact)}</span>' if entry.impact else ""
        return f'{user(entry.text)}{impact} <span class="date">{entry.date:%d %b %Y}</span>'

    title = f"Accomplishments: {export.period.start:%d %b %Y} – {export.period.end:%d %b %Y}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{HTML_STYLE}</style></head><body>",
        f"<h1>{esc(title)}</h1>",
        "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in summary_lines(export)) + "</ul>",
        "<h2>Big wins</h2>",
        items(sorted(export.big_wins, key=lambda e: e.date), win),
        "<h2>Other wins</h2>",
    ]
    for month, entries in _grouped(export.small_wins).items():
        parts += [f"<h3>{esc(month)}</h3>", items(entries, win)]
    if export.allyship:
        rows = "".join(
            f"<tr><td>{user(export.name(h))}</td><td>{n}</td></tr>"
            for h, n in export.allies.most_common()
        )
        kinds = "".join(
            f"<tr><td>{esc(k)}</td><td>{n}</td></tr>" for k, n in export.help_kinds.most_common()
        )
        parts += [
            "<h2>Allyship</h2>",
            f"<table><tr><th>Colleague</th><th>Times helped</th></tr>{rows}</table>",
            f"<h3>Help by kind</h3><table>{kinds}</table>",
            "<h3>Recognition, nominations and opportunities given</h3>",
            items(
                sorted(
                    export.of_kind("recognition", "nomination", *CAREER_MOVES), key=lambda e: e.date
                ),
                lambda e: (
                    f"{user(export.name(e.ally or ''))}: {user(e.text)} "
                    f'<span class="date">{e.date:%d %b %Y}</span>'
                ),
            ),
        ]
    parts += [
        f'<p class="date">Generated by allyjournal, {esc(export.generated_at)}</p>',
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


FORMATS: dict[str, Callable[[Export], str]] = {
    "md": to_markdown,
    "csv": to_csv,
    "json": to_json,
    "html": to_html,
}


def render(export: Export, file_format: str) -> str:
    return FORMATS[file_format](export)
