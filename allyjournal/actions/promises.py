"""Promises: what you said you would do for an ally, and whether you did.

Allyship is trusted when what you say turns into what you do. A promise names the ally, what
you will do, perhaps a date and the goal it serves. The help that does it keeps it
(`ally helped maya "…" --keeps ID`), so the journal can show promises kept, and the review
leads with the ones overdue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from allyjournal.actions import ids
from allyjournal.actions.goals import goal_for_help
from allyjournal.actions.people import find
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Promise, new_id
from allyjournal.core.text import blank, one_line
from allyjournal.store import Journal


@dataclass(frozen=True)
class PromiseRow:
    """A promise as listed: with its short id and how many days it is overdue."""

    promise: Promise
    short_id: str
    overdue: int


def make_promise(
    journal: Journal, handle: str, text: str, *, by: date | None, goal: str | None
) -> Promise:
    person = find(journal, handle)
    text = text.strip()
    if blank(text):
        raise BadInput(
            'A promise needs its text, e.g. ally promise maya "Introduce her to the VP" --by friday.'
        )
    goal_id = goal_for_help(journal, goal, person.handle) if goal else None
    promise = Promise(id=new_id(), handle=person.handle, text=text, by=by, goal=goal_id)
    journal.save_promise(promise, f"promised @{person.handle}: {one_line(text)[:40]}")
    return promise


def find_promise(journal: Journal, prefix: str) -> Promise:
    return ids.find_by_prefix(journal.promises(), prefix, "promise", "ally promise list --all")


def short_ids(promises: list[Promise]) -> dict[str, str]:
    return ids.short_ids([promise.id for promise in promises])


def list_promises(
    journal: Journal, handle: str | None, *, include_closed: bool, today: date
) -> list[PromiseRow]:
    """Open promises, the overdue ones first (most overdue first), then by their date; with
    `include_closed`, the kept and dropped ones after them."""
    promises = journal.promises()
    shown = promises
    if handle is not None:
        wanted = find(journal, handle).handle
        shown = [p for p in shown if p.handle == wanted]
    shown = [p for p in shown if include_closed or p.is_open]
    shown.sort(key=lambda p: (not p.is_open, -p.overdue_on(today), p.by or date.max))
    short = short_ids(promises)
    return [PromiseRow(p, short[p.id], p.overdue_on(today)) for p in shown]


def close_promise(journal: Journal, prefix: str, status: str, *, today: date) -> Promise:
    promise = find_promise(journal, prefix)
    _check_open(promise)
    closed = promise.edited(status=status, closed_on=today)
    summary = f"{status} promise {promise.id[:7]} to @{promise.handle}"
    journal.save_promise(closed, summary, read=promise)
    return closed


def edit_promise(
    journal: Journal,
    prefix: str,
    *,
    text: str | None = None,
    by: date | None = None,
    clear_by: bool = False,
) -> Promise:
    """Change what an open promise says or when it is due (one change, undoable)."""
    promise = find_promise(journal, prefix)
    _check_open(promise)
    changes: dict[str, object] = {}
    if text is not None:
        if blank(text):
            raise BadInput("A promise needs its text; give --text with some words.")
        changes["text"] = text.strip()
    if by is not None or clear_by:
        changes["by"] = by
    if not changes:
        raise BadInput(
            "Nothing to change: give --text, --by or --no-by, e.g. "
            f"ally promise edit {promise.id[:7]} --by 'next week'."
        )
    edited = promise.edited(**changes)
    journal.save_promise(
        edited, f"edited promise {promise.id[:7]} to @{promise.handle}", read=promise
    )
    return edited


def kept_by_help(journal: Journal, prefix: str, ally: str) -> Promise:
    """The open promise to `ally` that a help about to be logged keeps (not yet stored)."""
    promise = find_promise(journal, prefix)
    _check_open(promise)
    if promise.handle != ally:
        raise BadInput(
            f"Promise {promise.id[:7]} ({one_line(promise.text)[:40]}) is to @{promise.handle}, "
            f"not @{ally}; `ally promise list {ally}` shows yours to @{ally}."
        )
    return promise


def _check_open(promise: Promise) -> None:
    if not promise.is_open:
        raise BadInput(f"Promise {promise.id[:7]} is already {promise.status}.")
