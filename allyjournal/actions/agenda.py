"""`ally agenda HANDLE`: one screen to read before a 1:1 or a coffee chat with an ally.

Everything in it comes from the journal: what you meant to raise (`--add`, first, numbered
until ticked with `--done N`), who they are, their goals and the ones you share with what you
last did for each, your open promises, the last things you did together, the check-in clock,
and a few suggested asks built from gaps the journal shows. Nothing is invented; a section
with nothing to say is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from allyjournal.actions import goals as goal_actions
from allyjournal.actions import search
from allyjournal.actions.people import find
from allyjournal.actions.promises import PromiseRow, list_promises
from allyjournal.core.dates import day_label, parse_cadence
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry, Goal, Person, Topic, new_id
from allyjournal.core.text import blank, is_short_line, one_line
from allyjournal.core.vocabulary import (
    CAREER_KINDS,
    SPONSORSHIP_WINDOW,
    TOPIC_LIMIT,
    sponsorship_gap,
)
from allyjournal.store import Journal

RECENT = 5  # things you did together, shown
SCAN = 200  # entries about the ally read to find what you last did for each goal
STALE_GOAL = timedelta(weeks=4)  # a goal with no help this long gets an ask
QUARTER = timedelta(days=91)


@dataclass(frozen=True)
class GoalStatus:
    goal: Goal
    short_id: str
    last: Entry | None  # the latest help that served it, or career help for their own goal


@dataclass(frozen=True)
class Agenda:
    person: Person
    today: date
    topics: list[Topic]  # what you meant to raise, oldest first: numbered 1, 2… for --done
    goals: list[GoalStatus]
    promises: list[PromiseRow]
    recent: list[Entry]
    year: list[tuple[str, int]]  # kinds of help you gave them in the last 12 months, most first
    received: list[Entry]  # help they gave you (`ally thanks`), newest first
    witnessed: list[Entry]  # allyship you saw them show someone else (`--for`), newest first
    last_help: date | None
    cadence: str  # "" when none is set
    check_in_due: date | None
    suggestions: list[str]
    leverage: str | None

    @property
    def overdue_days(self) -> int:
        due = self.check_in_due
        return (self.today - due).days if due and due < self.today else 0


def compute(journal: Journal, handle: str, *, today: date) -> Agenda:
    person = find(journal, handle)
    about = list(
        search.find_entries(journal, search.EntryFilter(ally=person.handle, end=today), SCAN)
    )
    helps = [entry for entry in about if entry.kind == "help" and entry.ally == person.handle]
    every_goal = journal.goals()
    theirs = [goal for goal in every_goal if person.handle in goal.people and goal.is_open]
    short = goal_actions.short_ids(every_goal)
    statuses = [GoalStatus(goal, short[goal.id], _last_for(goal, helps)) for goal in theirs]
    last_help = helps[0].date if helps else None
    cadence = parse_cadence(person.check_in) if person.check_in else None
    start = last_help or person.ally_since
    due = cadence.next_after(start) if cadence and start else None
    promises = list_promises(journal, person.handle, include_closed=False, today=today)
    thanked = [e for e in about if e.kind == "thanks" and e.ally == person.handle]
    in_year = search.EntryFilter(ally=person.handle, start=today - SPONSORSHIP_WINDOW, end=today)
    kinds: dict[str, int] = {}
    for entry in search.find_entries(journal, in_year):
        if entry.kind == "help" and entry.ally == person.handle:
            kind = entry.help_kind or "other"
            kinds[kind] = kinds.get(kind, 0) + 1
    agenda = Agenda(
        person=person,
        today=today,
        topics=open_topics(journal, person.handle),
        goals=statuses,
        promises=promises,
        recent=[entry for entry in about if entry.kind != "thanks"][:RECENT],
        year=sorted(kinds.items(), key=lambda item: (-item[1], item[0])),
        received=[e for e in thanked if not e.for_handle][:RECENT],
        witnessed=[e for e in thanked if e.for_handle][:RECENT],
        last_help=last_help,
        cadence=cadence.label if cadence else "",
        check_in_due=due,
        suggestions=[],
        leverage=journal.config().leverage,
    )
    return _with_suggestions(agenda, helps)


def _last_for(goal: Goal, helps: list[Entry]) -> Entry | None:
    """The latest help that named the goal; for an ally's own goal, also career help."""
    for entry in helps:  # newest first
        if entry.goal == goal.id or (not goal.mutual and entry.help_kind in CAREER_KINDS):
            return entry
    return None


def _with_suggestions(agenda: Agenda, helps: list[Entry]) -> Agenda:
    """Asks drawn from what the journal shows is missing, most pressing first."""
    handle = agenda.person.handle
    asks: list[str] = []
    if agenda.overdue_days:
        asks.append(f"Check in: {agenda.overdue_days} days overdue ({agenda.cadence}).")
    for row in agenda.promises:
        if row.overdue:
            asks.append(f'Say where your promise stands: "{row.promise.text}".')
    for status in agenda.goals:
        last = status.last.date if status.last else None
        if last is None or agenda.today - last > STALE_GOAL:
            since = f"since {day_label(last)}" if last else "yet"
            asks.append(f'Ask how you can help with "{status.goal.text}" (nothing {since}).')
    given = sponsorship_gap(dict(agenda.year))
    moves = [e for e in helps if e.help_kind in ("opportunity", "sponsorship", "nomination")]
    if given:
        asks.append(
            f"@{handle} has had {given} from you in 12 months, and no intro, opportunity, "
            "sponsorship or nomination: mentored, not yet sponsored. Who could you put "
            f"@{handle} in front of?"
        )
    elif not moves or agenda.today - moves[0].date > QUARTER:
        asks.append(
            f"Is there an opportunity you could open for @{handle}, or a name to put forward?"
        )
    return Agenda(**{**agenda.__dict__, "suggestions": asks})


# -- the 1:1 queue -------------------------------------------------------------------------------


def open_topics(journal: Journal, handle: str) -> list[Topic]:
    """What is still to raise with @handle, oldest first: the numbers `--done` takes."""
    return [topic for topic in journal.topics() if topic.handle == handle and topic.is_open]


def add_topics(journal: Journal, handle: str, texts: list[str]) -> tuple[Person, list[Topic]]:
    """Keep `texts` to raise at the next 1:1 with @handle, in one change."""
    person = find(journal, handle)
    topics = [Topic(id=new_id(), handle=person.handle, text=_topic_text(t)) for t in texts]
    first = one_line(topics[0].text)[:40]
    more = f" and {len(topics) - 1} more" if len(topics) > 1 else ""  # the undo list's line
    summary = f"added to the 1:1 with @{person.handle}: {first}{more}"
    journal.save_topics([(topic, None) for topic in topics], summary)
    return person, topics


def tick_topics(
    journal: Journal, handle: str, numbers: list[int], *, today: date
) -> tuple[Person, list[Topic], int]:
    """Tick off the topics numbered `numbers` in @handle's agenda, in one change; refused
    whole if a number is not in it, or another process changed one meanwhile. Returns the
    person, the topics ticked off, and how many are still to raise."""
    person = find(journal, handle)
    listed = open_topics(journal, person.handle)
    wrong = [n for n in numbers if not 1 <= n <= len(listed)]
    if wrong:
        shown = (
            f"topics 1 to {len(listed)}"
            if len(listed) > 1
            else "one topic, 1"
            if listed
            else "no topics to raise"
        )
        raise BadInput(
            f"--done {wrong[0]}: @{person.handle}'s agenda lists {shown}; "
            f"`ally agenda {person.handle}` shows them."
        )
    chosen = [listed[n - 1] for n in dict.fromkeys(numbers)]
    journal.save_topics(
        [(topic.edited(done_on=today), topic) for topic in chosen],
        f"ticked off {_topics(len(chosen))} with @{person.handle}",
    )
    return person, chosen, len(listed) - len(chosen)


def _topic_text(text: str) -> str:
    if blank(text):
        raise BadInput('--add needs what to raise, e.g. --add "ask about the promo timeline".')
    cleaned = text.strip()
    if not is_short_line(cleaned, TOPIC_LIMIT):
        raise BadInput(
            f"--add takes one line of up to {TOPIC_LIMIT} characters: something to raise, "
            'e.g. --add "ask about the promo timeline".'
        )
    return cleaned


def _topics(count: int) -> str:
    return "1 topic" if count == 1 else f"{count} topics"
