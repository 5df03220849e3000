"""`ally status`: this week's allies against the goal, and the streak, as one line for a shell
prompt or a status bar. Computed from the weekly tallies index alone (one small file), so the
line costs the same on any journal; the review shares the streak arithmetic."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple, Protocol

from allyjournal.core.dates import week_containing
from allyjournal.core.errors import BadInput

if TYPE_CHECKING:
    from allyjournal.core.config import Config

PLACEHOLDERS = ("helped", "goal", "to_go", "streak", "met", "week", "week_start")


class Source(Protocol):
    """What the status reads: a `Journal`, or the light `Glance` of a shell prompt."""

    def config(self) -> Config: ...

    def week_tallies(self, week_start: int) -> dict[date, int]: ...


class Status(NamedTuple):
    """A NamedTuple, not a dataclass: the dataclasses module would double the cost of the line."""

    helped: int
    goal: int
    streak: int
    week: str  # "Week 48"
    week_start: date

    @property
    def to_go(self) -> int:
        return max(0, self.goal - self.helped)

    @property
    def met(self) -> bool:
        return self.helped >= self.goal


def compute(source: Source, today: date) -> Status:
    config = source.config()
    week = week_containing(today, config.week_start_index)
    tallies = source.week_tallies(config.week_start_index)
    return Status(
        helped=tallies.get(week.start, 0),
        goal=config.goal,
        streak=streak(tallies, week.start, config.goal, in_progress=True),
        week=week.label,
        week_start=week.start,
    )


def streak(tallies: dict[date, int], start: date, goal: int, *, in_progress: bool) -> int:
    """Consecutive weeks meeting the goal, ending with the week starting on `start`.

    A week still in progress that has not met the goal yet does not break the streak: it
    stands on the weeks before, until the week is over.
    """
    if in_progress and tallies.get(start, 0) < goal:
        start -= timedelta(weeks=1)
    count = 0
    while tallies.get(start, 0) >= goal:
        count += 1
        start -= timedelta(weeks=1)
    return count


def render(status: Status, template: str | None = None) -> str:
    """The line: "2 of 3 allies · 4-week streak" ("6 allies, goal of 3 met" past the goal, as
    the review says it) unless `template` says otherwise."""
    if template is None:
        line = f"{status.helped} of {status.goal} allies"
        if status.helped > status.goal:
            line = f"{status.helped} allies, goal of {status.goal} met"
        return f"{line} · {status.streak}-week streak" if status.streak else line
    values = {
        "helped": status.helped,
        "goal": status.goal,
        "to_go": status.to_go,
        "streak": status.streak,
        "met": "yes" if status.met else "no",
        "week": status.week,
        "week_start": status.week_start.isoformat(),
    }
    _check_template(template, values)
    return template.format_map(values)


def _check_template(template: str, values: Mapping[str, object]) -> None:
    """Only the placeholders, each with at most an alignment and a width of three digits: a
    format string reaches str.format, where `{helped:>999999999999}` asks for terabytes and
    `{helped[0]}` or `{goal.real}` reach into the values."""
    import re
    import string

    known = ", ".join("{" + name + "}" for name in PLACEHOLDERS)
    try:
        fields = list(string.Formatter().parse(template))
    except ValueError as error:
        raise BadInput(
            f"--format '{template}' cannot be filled in ({error}); use {known}."
        ) from None
    for _, name, spec, conversion in fields:
        if name is None:
            continue
        if name not in values or conversion:
            raise BadInput(
                f"--format '{template}' cannot be filled in: '{{{name}}}' is not one of {known}."
            )
        if spec and not re.fullmatch(r"(.?[<>^])?\d{0,3}", spec):
            raise BadInput(
                f"--format '{template}' cannot be filled in: '{{{name}:{spec}}}' asks for more "
                "than an alignment and "
                "a width up to 999, such as {helped:>2}."
            )
