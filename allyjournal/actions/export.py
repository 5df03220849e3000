"""Exports for performance reviews: one computed `Export`, which each format in
`allyjournal.formats` renders (see `allyjournal.reports.render_export`).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path

from allyjournal.core.dates import Period
from allyjournal.core.models import Entry, Person
from allyjournal.core.text import TAG_PATTERN
from allyjournal.store import write_private_file


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


EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


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

    def scrub_tag(tag: str) -> str:
        """A tag that names someone ('maya', 'maya-promo') names their label instead."""
        if tag.lower() in lowered:
            return lowered[tag.lower()].lower().replace(" ", "-")
        parts = tag.split("-")
        return "-".join(
            lowered[p.lower()].lower().replace(" ", "-") if p.lower() in lowered else p
            for p in parts
        )

    def scrub(text: str | None) -> str | None:
        if text is None:
            return text
        text = re.sub(EMAIL, "[e-mail]", text)
        text = re.sub(TAG_PATTERN, lambda m: "#" + scrub_tag(m.group(1)), text)
        return pattern.sub(lambda m: lowered[m.group(1).lower()], text) if pattern else text

    entries = [
        replace(
            entry,
            text=scrub(entry.text) or "",
            impact=scrub(entry.impact),
            ally=labels.get(entry.ally or "", entry.ally),
            mentions=tuple(labels[h] for h in entry.mentions),
            tags=tuple(scrub_tag(tag) for tag in entry.tags),
        )
        for entry in export.entries
    ]
    people = [
        Person(handle=labels[p.handle], name=labels[p.handle], archived=p.archived)
        for p in export.people
    ]
    return replace(export, entries=entries, people=people)


def save(path: Path, text: str) -> None:
    """Write an export atomically, readable by its owner only (it names colleagues)."""
    write_private_file(path, text.encode("utf-8"))


# -- shared by every rendering ------------------------------------------------------------


def month_label(day: date) -> str:
    return f"{day:%B %Y}"


def by_month(entries: list[Entry]) -> dict[str, list[Entry]]:
    groups: dict[str, list[Entry]] = {}
    for entry in sorted(entries, key=lambda e: e.date):
        groups.setdefault(month_label(entry.date), []).append(entry)
    return groups


def summary_lines(export: Export) -> list[str]:
    lines = [
        f"{len(export.wins)} wins ({len(export.big_wins)} big, {len(export.small_wins)} small)",
    ]
    if export.allyship:
        lines.append(f"{len(export.helps)} times helping {len(export.allies)} allies")
    return lines
