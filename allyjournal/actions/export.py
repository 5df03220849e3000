"""Exports for performance reviews: one computed `Export`, which each format in
`allyjournal.formats` renders (see `allyjournal.reports.render_export`).

The document argues a case rather than replaying a log: who you are, the period (never past
today), the numbers, the highlights (big wins, those with a noted impact first), the other
wins grouped by theme or by quarter, then the allyship across the period. Markdown, plain
text and HTML render this one result, so their numbers cannot disagree; CSV and JSON carry the
entries themselves.
"""

from __future__ import annotations

import functools
import re
import string
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from allyjournal.actions.review import WeekTally
from allyjournal.core.dates import (
    Period,
    day_label,
    month_label,
    quarter_label,
    week_containing,
)
from allyjournal.core.models import Entry, Goal, Person, Promise
from allyjournal.core.text import TAG_PATTERN
from allyjournal.core.vocabulary import (
    HELP_KINDS,
    LEVELS,
    OPPORTUNITY_KINDS,
    RECOGNITION_KINDS,
    UNSUNG_WORK,
)
from allyjournal.store import write_private_file

# How the wins after the highlights are grouped. "auto" groups by tag up to half a year and by
# quarter beyond it, where themes would scatter a year's work across dozens of headings.
AUTO_QUARTERS_AFTER_DAYS = 184
OTHER = "Other"


@dataclass(frozen=True)
class WinGroup:
    """Wins under one heading: a theme (tag), a month or a quarter; oldest first."""

    title: str
    wins: list[Entry]


@dataclass(frozen=True)
class AllyRow:
    name: str
    count: int
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class MonthBar:
    month: date  # its first day
    big: int
    small: int


@dataclass(frozen=True)
class Allyship:
    """The help given across the period, as the review counts it."""

    goal: int
    allies: list[AllyRow]  # most helped first
    times: int
    weeks: list[WeekTally]  # every week of the period (since the journal's first) that has
    # ended or met the goal
    best_streak: int
    by_kind: list[tuple[str, int]]  # in the vocabulary's order, only kinds that occur
    by_level: list[tuple[str, int]]
    recognition: list[Entry]  # recognitions and nominations given, oldest first
    opportunities: list[Entry]  # opportunities and sponsorships given, oldest first
    since: date | None = None  # the first week counted, when the journal began in the period

    @property
    def weeks_met(self) -> int:
        return sum(week.goal_met for week in self.weeks)


@dataclass(frozen=True)
class Export:
    """What a document export (Markdown, text, HTML) shows: computed in one pass over the
    period, holding only the entries the document prints (never the whole period's)."""

    period: Period  # clipped to today
    generated: date
    owner: str | None
    role: str | None
    count: int  # the entries the document covers, for "Wrote N entries"
    people: list[Person]
    grouping: str  # tag, month or quarter (never auto)
    highlights: list[Entry]
    groups: list[WinGroup]
    months: list[MonthBar]  # every month of the period, oldest first
    allyship: Allyship | None  # None when left out or nothing was given
    reflections: list[Entry]  # oldest first; only when asked for
    week_start: int = 0  # a reflection is headed by the week it is in
    learned: list[Entry] = field(default_factory=list)  # `ally learned`, oldest first
    # Small wins of glue or housework (`--type`), oldest first: a section of their own, so
    # the work no job description lists is not lost among the rest at review time.
    unsung: list[Entry] = field(default_factory=list)

    def reflection_week(self, entry: Entry) -> date:
        """The first day of the week a reflection is about (it is dated when written)."""
        return week_containing(entry.date, self.week_start).start

    @property
    def big_wins(self) -> int:
        return len(self.highlights)

    @property
    def small_wins(self) -> int:
        return sum(len(group.wins) for group in self.groups) + len(self.unsung)

    @property
    def unsung_wins(self) -> int:
        """Wins of glue or housework, big ones (among the highlights) included."""
        big = sum(entry.work_type in UNSUNG_WORK for entry in self.highlights)
        return big + len(self.unsung)

    @property
    def empty(self) -> bool:
        return not (
            self.highlights
            or self.groups
            or self.unsung
            or self.allyship
            or self.reflections
            or self.learned
        )

    def name(self, handle: str) -> str:
        """How a colleague is written in a document: their name, else the bare handle."""
        return self._names.get(handle) or handle

    @functools.cached_property
    def _names(self) -> dict[str, str]:
        """Names by handle, made once: a year's document names someone ten thousand times."""
        return {person.handle: person.name for person in self.people if person.name}


@dataclass
class Dump:
    """What CSV and JSON carry: every chosen entry in full, newest first. `entries` is read
    from the journal while the file is written, so a year at a million entries is never held
    in memory; `written` counts them as they pass."""

    period: Period  # clipped to today
    people: list[Person]
    goals: list[Goal]  # none when anonymized
    promises: list[Promise]
    entries: Iterator[Entry]
    written: int = 0

    def each(self) -> Iterator[Entry]:
        for entry in self.entries:
            self.written += 1
            yield entry


@dataclass(frozen=True)
class Asked:
    """What every export starts from: the period, its entries (already filtered to it, read
    as the export goes), the people, today, and whether help and real names are shown."""

    period: Period
    entries: Iterable[Entry]
    people: list[Person]
    today: date
    allyship: bool = True
    anonymize: bool = False
    since: date | None = None  # the journal's first entry: nothing is counted before it


def dump(asked: Asked, *, goals: list[Goal], promises: list[Promise]) -> Dump:
    """The full-fidelity export of the entries asked for (goals and promises left out when
    anonymized)."""
    period = clipped(asked.period, asked.today)
    picked, people = chosen(asked, period)
    if asked.anonymize:
        goals, promises = [], []
    return Dump(period, people, list(goals), list(promises), iter(picked))


def chosen(asked: Asked, period: Period) -> tuple[Iterable[Entry], list[Person]]:
    """The entries an export shows (help only with allyship, nothing after `period`, the
    clipped period) and the people, read as the export goes; anonymizing needs every handle
    before the first entry is written, so only then is the period held in memory."""
    shown: Iterable[Entry] = (
        e for e in asked.entries if (asked.allyship or e.kind != "help") and e.date <= period.end
    )
    if asked.anonymize:
        return _anonymized(list(shown), asked.people)
    return shown, asked.people


def build(
    asked: Asked,
    *,
    owner: str | None = None,
    role: str | None = None,
    grouping: str = "auto",
    reflections: bool = False,
    week_tallies: dict[date, int] | None = None,
    goal: int = 3,
    week_start: int = 0,
) -> Export:
    """The document export of the entries asked for.

    One pass: wins are kept (the document lists each), help is counted as it goes and only
    recognitions and opportunities are kept. `week_tallies` (allies helped per week, from the
    journal's week index) gives the weeks that met the goal without reading a single entry
    outside the period.
    """
    period = clipped(asked.period, asked.today)
    entries, people = chosen(asked, period)
    if asked.anonymize:
        owner = role = None
    if grouping == "auto":
        grouping = "quarter" if period.days() > AUTO_QUARTERS_AFTER_DAYS else "tag"
    count = 0
    wins: list[Entry] = []
    kept_reflections: list[Entry] = []
    learned: list[Entry] = []
    given = _Given()
    for entry in entries:  # counted as the document shows them: thanks are not in it
        kind = entry.kind
        if kind == "help":
            given.add(entry)
        elif kind == "win":
            wins.append(entry)
        elif kind == "reflection" and reflections:
            kept_reflections.append(entry)
        elif kind == "learning":
            learned.append(entry)
        else:
            continue
        count += 1
    wins.sort(key=_day)  # stable: a day's wins stay in the order they were read
    big = [e for e in wins if e.size == "big"]
    big.sort(key=lambda e: not e.impact)  # stable: those with an impact first, each by date
    kept_reflections.sort(key=_day)
    export = Export(
        period=period,
        generated=asked.today,
        owner=owner,
        role=role,
        count=count,
        people=people,
        grouping=grouping,
        highlights=big,
        groups=_grouped(
            [e for e in wins if e.size != "big" and e.work_type not in UNSUNG_WORK], grouping
        ),
        months=_months(period, wins, asked.since),
        allyship=None,
        reflections=kept_reflections,
        week_start=week_start,
        learned=sorted(learned, key=_day),
        unsung=[e for e in wins if e.size != "big" and e.work_type in UNSUNG_WORK],
    )
    if given.times:
        tallies = week_tallies if week_tallies is not None else given.tallies(week_start)
        export = replace(
            export,
            allyship=given.allyship(
                export, tallies, goal=goal, week_start=week_start, since=asked.since
            ),
        )
    return export


def _day(entry: Entry) -> date:
    return entry.date


class _Given:
    """The help in an export's period, counted as it is read: a year at a million entries
    holds tens of thousands of helps, and the document prints only the recognitions and
    opportunities among them."""

    def __init__(self) -> None:
        self.times = 0
        self.per_ally: dict[str, int] = {}
        self.ally_kinds: dict[str, dict[str, None]] = {}  # first seen first
        self.kinds: Counter[str] = Counter()
        self.levels: Counter[str] = Counter()
        self.allies_by_day: dict[date, set[str]] = {}
        self.recognition: list[Entry] = []
        self.opportunities: list[Entry] = []

    def add(self, entry: Entry) -> None:
        self.times += 1
        handle = entry.ally or ""
        kind = entry.help_kind or "other"
        self.per_ally[handle] = self.per_ally.get(handle, 0) + 1
        self.ally_kinds.setdefault(handle, {})[kind] = None
        self.kinds[kind] += 1
        if entry.level:
            self.levels[entry.level] += 1
        self.allies_by_day.setdefault(entry.date, set()).add(handle)
        if kind in RECOGNITION_KINDS:
            self.recognition.append(entry)
        elif kind in OPPORTUNITY_KINDS:
            self.opportunities.append(entry)

    def tallies(self, week_start: int) -> dict[date, int]:
        """Allies helped per week, from the period's own help (when no week index is given)."""
        allies: dict[date, set[str]] = {}
        for day, handles in self.allies_by_day.items():
            allies.setdefault(week_containing(day, week_start).start, set()).update(handles)
        return {start: len(names) for start, names in allies.items()}

    def allyship(
        self,
        export: Export,
        tallies: dict[date, int],
        *,
        goal: int,
        week_start: int,
        since: date | None = None,
    ) -> Allyship:
        """The weeks are counted from the period's first, or from the journal's first week
        when it began later: weeks before anyone logged anything are not weeks missed."""
        weeks = []
        first = export.period.start if since is None else max(export.period.start, since)
        start = counted_from = week_containing(first, week_start).start
        later = counted_from > week_containing(export.period.start, week_start).start
        while start <= export.period.end:
            count = tallies.get(start, 0)
            ended = start + timedelta(days=6) < export.generated
            if ended or count >= goal:  # the week in progress counts once it has met the goal
                weeks.append(WeekTally(start, count, count >= goal))
            start += timedelta(weeks=1)
        best = run = 0
        for week in weeks:
            run = run + 1 if week.goal_met else 0
            best = max(best, run)
        allies = [
            AllyRow(export.name(handle), times, tuple(self.ally_kinds[handle]))
            for handle, times in self.per_ally.items()
        ]
        allies.sort(key=lambda row: (-row.count, row.name.casefold()))
        return Allyship(
            goal=goal,
            allies=allies,
            times=self.times,
            weeks=weeks,
            since=counted_from if later else None,
            best_streak=best,
            by_kind=[(kind, self.kinds[kind]) for kind in HELP_KINDS if self.kinds[kind]],
            by_level=[(level, self.levels[level]) for level in LEVELS if self.levels[level]],
            recognition=sorted(self.recognition, key=_day),
            opportunities=sorted(self.opportunities, key=_day),
        )


def clipped(period: Period, today: date) -> Period:
    """A period never runs past today: a Q4 export on 23 Nov says '1 Oct – 23 Nov'."""
    if period.end <= today:
        return period
    return Period(period.start, max(period.start, today), period.label)


def _grouped(wins: list[Entry], grouping: str) -> list[WinGroup]:
    groups: dict[str, list[Entry]] = {}
    if grouping == "tag":
        for entry in wins:
            groups.setdefault(entry.tags[0] if entry.tags else OTHER, []).append(entry)
        order = sorted(groups, key=lambda title: (title == OTHER, -len(groups[title]), title))
        return [WinGroup(title, groups[title]) for title in order]
    label = quarter_label if grouping == "quarter" else month_label
    labels: dict[tuple[int, int], str] = {}  # a label per month, not per win
    for entry in wins:
        day = entry.date
        month = (day.year, day.month)
        title = labels.get(month)
        if title is None:
            title = labels[month] = label(day)
        groups.setdefault(title, []).append(entry)
    return [WinGroup(title, group) for title, group in groups.items()]


def _months(period: Period, wins: list[Entry], since: date | None) -> list[MonthBar]:
    """A bar a month, from the period's first month or the journal's, whichever is later."""
    counts: Counter[tuple[int, int, bool]] = Counter(
        (e.date.year, e.date.month, e.size == "big") for e in wins
    )
    bars = []
    first = period.start if since is None or since > period.end else max(period.start, since)
    month = first.replace(day=1)
    while month <= period.end:
        bars.append(
            MonthBar(
                month,
                counts[month.year, month.month, True],
                counts[month.year, month.month, False],
            )
        )
        month = (month + timedelta(days=32)).replace(day=1)
    return bars


# -- what every document shows of an entry --------------------------------------------------

TRAILING_TAGS = r"(?:\s+" + TAG_PATTERN + r")+\s*$"
_TRAILING_TAGS, _TAG = re.compile(TRAILING_TAGS), re.compile(TAG_PATTERN)


def shown_text(entry: Entry) -> str:
    """An entry's text as a document shows it: tags at the end move out into the group
    heading, and a tag inside a sentence keeps its word but loses its '#'."""
    text = entry.text
    if "#" not in text:  # most texts: nothing to move or strip
        return text
    # The trailing-tags pattern tries every position of a text; only run it when the last
    # word could be a tag (an export of a year shows tens of thousands of texts).
    words = text.rsplit(None, 1)
    trailing = _TRAILING_TAGS.sub("", text) if words and words[-1][:1] == "#" else text
    return _untagged(trailing.strip() or text)


def _untagged(text: str) -> str:
    """`text` with the '#' of each tag in it removed: the tag pattern is tried only where a
    '#' stands, not at every position."""
    kept: list[str] = []
    start = 0
    at = text.find("#")
    while at != -1:
        if _TAG.match(text, at):
            kept.append(text[start:at])
            start = at + 1
        at = text.find("#", at + 1)
    return "".join([*kept, text[start:]]) if kept else text


def summary_lines(export: Export) -> list[str]:
    """The numbers at the top of every document, as sentences."""
    lines = []
    wins = export.big_wins + export.small_wins
    if wins:
        unsung = f"; {export.unsung_wins} glue or housework" if export.unsung_wins else ""
        lines.append(
            f"{count_of(wins, 'win')} ({export.big_wins} big, {export.small_wins} small{unsung})"
        )
    given = export.allyship
    if given:
        lines.append(
            f"Helped {count_of(len(given.allies), 'colleague')} {count_of(given.times, 'time')} in all"
        )
        if given.weeks:
            streak = given.best_streak
            lines.append(
                f"Met the goal of {count_of(given.goal, 'ally', 'allies')} a week in "
                f"{given.weeks_met} of {count_of(len(given.weeks), 'week')}"
                + (f" since you started ({day_label(given.since)})" if given.since else "")
                + (f" (best streak: {count_of(streak, 'week')} in a row)" if streak > 1 else "")
            )
        recognised = len(given.recognition)
        opened = len(given.opportunities)
        if recognised or opened:
            lines.append(
                f"Gave {count_of(recognised, 'recognition or nomination', 'recognitions or nominations')}"
                f" and {count_of(opened, 'opportunity or sponsorship', 'opportunities or sponsorships')}"
            )
    if export.learned:
        lines.append(f"Logged {count_of(len(export.learned), 'thing', 'things')} learned")
    return lines


def count_of(number: int, one: str, many: str | None = None) -> str:
    """'1 win', '3 wins', '2 allies': a number with its noun, as every export sentence says it."""
    return f"{number} {one if number == 1 else many or one + 's'}"


def byline(export: Export) -> str | None:
    """'Ada Lovelace, Staff Engineer', from `ally config name` and `ally config role`."""
    return ", ".join(part for part in (export.owner, export.role) if part) or None


def group_heading(export: Export, group: WinGroup) -> str:
    return f"#{group.title}" if export.grouping == "tag" and group.title != OTHER else group.title


# -- anonymizing ------------------------------------------------------------------------------


def _label(number: int) -> str:
    letters = ""
    number += 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return f"Colleague {letters}"


EMAIL = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"


def _anonymized(entries: list[Entry], people: list[Person]) -> tuple[list[Entry], list[Person]]:
    """Every colleague becomes "Colleague A", "Colleague B"… in fields and in free text: a
    handle (with or without its '@'), a full or first name, a possessive ("Maya's"), an e-mail
    address, and a tag that names them."""
    handles = sorted({h for e in entries for h in e.people} | {p.handle for p in people})
    labels = {handle: _label(n) for n, handle in enumerate(handles)}
    names: dict[str, str] = {}
    for person in people:
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
        parts = [tag] if tag.lower() in lowered else tag.split("-")
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

    scrubbed = [
        replace(
            entry,
            text=scrub(entry.text) or "",
            impact=scrub(entry.impact),
            ally=labels.get(entry.ally or "", entry.ally),
            mentions=tuple(labels[h] for h in entry.mentions),
            tags=tuple(scrub_tag(tag) for tag in entry.tags),
        )
        for entry in entries
    ]
    hidden = [
        Person(handle=labels[p.handle], name=labels[p.handle], archived=p.archived) for p in people
    ]
    known = {p.handle for p in hidden}
    hidden += [Person(handle=label, name=label) for label in labels.values() if label not in known]
    return scrubbed, hidden


def batches(pieces: Iterable[str], size: int = 1 << 16) -> Iterator[str]:
    """Pieces of a document joined into writes of about `size` characters: a line at a time
    is too many writes, the whole document too much memory."""
    held: list[str] = []
    length = 0
    for piece in pieces:
        held.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(held)
            held.clear()
            length = 0
    if held:
        yield "".join(held)


def save(path: Path, pieces: Iterable[str]) -> None:
    """Write an export atomically as it is rendered, readable by its owner only (it names
    colleagues); a failure part-way leaves no file."""
    write_private_file(path, (batch.encode("utf-8") for batch in batches(pieces)))
