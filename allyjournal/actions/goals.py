"""Goals: what an ally is working toward, or what you work toward together.

Allyship that goes somewhere starts by asking an ally what they want and agreeing on
something to work toward, short- and long-term. A goal names its allies, a horizon, perhaps a
due date, and a status; help names the goal it served (`ally helped … --goal ID`), so the
agenda can say what you last did for each.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from allyjournal.actions import ids
from allyjournal.actions.ids import find_by_prefix
from allyjournal.actions.people import find
from allyjournal.core.errors import BadInput
from allyjournal.core.models import GOAL_HORIZONS, Goal, new_id
from allyjournal.core.text import blank, one_line
from allyjournal.store import Journal


@dataclass(frozen=True)
class GoalRow:
    """A goal as listed: with the short id it is typed by."""

    goal: Goal
    short_id: str


def check_goal_text(text: str) -> str:
    text = text.strip()
    if blank(text):
        raise BadInput('A goal needs its text, e.g. ally goal add maya "Staff engineer by 2027".')
    return text


def add_goal(
    journal: Journal,
    handle: str,
    text: str,
    *,
    horizon: str = "long",
    due: date | None = None,
    with_handles: list[str] | None = None,
    mutual: bool = False,
) -> Goal:
    """A new open goal for `handle` (and the allies it is shared with)."""
    everyone = journal.people()
    handles = [find(journal, handle, people=everyone).handle]
    for other in with_handles or []:
        found = find(journal, other, people=everyone).handle
        if found not in handles:
            handles.append(found)
    goal = Goal(
        id=new_id(),
        text=check_goal_text(text),
        people=tuple(handles),
        mutual=mutual or len(handles) > 1,
        horizon=horizon,
        due=due,
    )
    journal.save_goal(goal, f"set goal {goal.id[:7]} with @{handles[0]}")
    return goal


def find_goal(journal: Journal, prefix: str, goals: list[Goal] | None = None) -> Goal:
    """The goal whose id starts with `prefix`; NotFound or Ambiguous otherwise."""
    goals = journal.goals() if goals is None else goals
    return find_by_prefix(goals, prefix, "goal", "ally goal list --all")


def short_ids(goals: list[Goal]) -> dict[str, str]:
    return ids.short_ids([goal.id for goal in goals])


def list_goals(
    journal: Journal, handle: str | None = None, *, include_closed: bool = False
) -> list[GoalRow]:
    """Goals, open ones first: those due soonest, then the others as they were set."""
    goals = every_goal = journal.goals()
    if handle is not None:
        wanted = find(journal, handle).handle
        goals = [goal for goal in goals if wanted in goal.people]
    shown = [goal for goal in goals if include_closed or goal.is_open]
    shown.sort(key=lambda g: (not g.is_open, g.due or date.max))
    ids = short_ids(every_goal)
    return [GoalRow(goal, ids[goal.id]) for goal in shown]


def close_goal(journal: Journal, prefix: str, status: str, *, today: date) -> Goal:
    goal = find_goal(journal, prefix)
    if not goal.is_open:
        raise BadInput(
            f"Goal {goal.id[:7]} is already {goal.status}; `ally goal edit {goal.id[:7]} "
            "--reopen` opens it again."
        )
    closed = goal.edited(status=status, closed_on=today)
    verb = "completed" if status == "done" else "dropped"
    journal.save_goal(closed, f"{verb} goal {goal.id[:7]}: {one_line(goal.text)[:40]}", read=goal)
    return closed


def edit_goal(
    journal: Journal,
    prefix: str,
    *,
    text: str | None = None,
    horizon: str | None = None,
    due: date | None = None,
    clear_due: bool = False,
    with_handles: list[str] | None = None,
    reopen: bool = False,
) -> Goal:
    goal = find_goal(journal, prefix)
    changes: dict[str, object] = {}
    if text is not None:
        changes["text"] = check_goal_text(text)
    if horizon is not None:
        if horizon not in GOAL_HORIZONS:
            raise BadInput(f"Horizon '{horizon}' is not short or long.")
        changes["horizon"] = horizon
    if due is not None or clear_due:
        changes["due"] = due
    if with_handles:
        everyone = journal.people()
        handles = list(goal.people)
        for other in with_handles:
            found = find(journal, other, people=everyone).handle
            if found not in handles:
                handles.append(found)
        changes["people"] = tuple(handles)
        changes["mutual"] = True
    if reopen and not goal.is_open:
        changes["status"] = "open"
        changes["closed_on"] = None
    if not changes:
        raise BadInput("Nothing to change: give --text, --short/--long, --due, --with or --reopen.")
    edited = goal.edited(**changes)
    journal.save_goal(edited, f"edited goal {goal.id[:7]}", read=goal)
    return edited


def goal_for_help(journal: Journal, prefix: str, ally: str) -> str:
    """The full id of the goal a help for `ally` serves; refused if the goal is not theirs."""
    goal = find_goal(journal, prefix)
    if ally not in goal.people:
        owners = ", ".join(f"@{handle}" for handle in goal.people)
        raise BadInput(
            f"Goal {goal.id[:7]} ({one_line(goal.text)[:40]}) is with {owners}, not @{ally}; "
            f"`ally goal list {ally}` shows @{ally}'s goals."
        )
    return goal.id
