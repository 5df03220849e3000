"""Allies: how a typed handle becomes a person, and the near-miss check that avoids duplicates."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import NamedTuple

from allyjournal.core.dates import parse_cadence
from allyjournal.core.errors import Ambiguous, BadInput, NotFound
from allyjournal.core.models import PERSON_FIELDS, Entry, Goal, Person, new_id
from allyjournal.core.text import (
    HANDLE_RULE,
    is_short_line,
    is_valid_handle,
    normalize_handle,
    unique,
)
from allyjournal.core.vocabulary import CHANNEL_LIMIT, RECOGNITION_STYLES
from allyjournal.store import Journal


def check_handle(text: str) -> str:
    """A normalised handle, or BadInput saying what a handle may look like."""
    handle = normalize_handle(text)
    if not is_valid_handle(handle):
        raise BadInput(f"'{text}' is not a handle: {HANDLE_RULE}.")
    return handle


def handle_or_name(text: str, everyone: Iterable[Person]) -> str:
    """The handle `text` is, or the handle of the one person whose name it is: `ally helped
    'Maya Patel'` means @maya. A name two people share is refused, naming both."""
    handle = normalize_handle(text)
    if is_valid_handle(handle):
        return handle
    wanted = " ".join(text.split()).casefold()
    named = [p.handle for p in everyone if p.name and " ".join(p.name.split()).casefold() == wanted]
    if len(named) == 1:
        return named[0]
    if named:
        raise Ambiguous(
            f"'{text}' is the name of {', '.join(f'@{h}' for h in named)}; give the handle."
        )
    return check_handle(text)


def close_match(handle: str, known: Iterable[str]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(handle, list(known), n=1, cutoff=0.75)
    return matches[0] if matches else None


class ResolvedHandles(NamedTuple):
    handles: list[str]
    new_people: list[Person]


def resolve(journal: Journal, typed: Iterable[str], *, allow_new: bool) -> ResolvedHandles:
    """Link typed handles to people; unknown ones become new people unless one is a near miss.

    A near miss (`maja` when `maya` exists) is far more often a typo than a new colleague, so it
    stops the command rather than silently creating a duplicate ally.
    """
    typed = list(typed)
    everyone = journal.people() if typed else []
    known = {person.handle for person in everyone}
    handles: list[str] = []
    new_people: list[Person] = []
    formerly = {old: person.handle for person in everyone for old in person.formerly}
    for text in typed:
        handle = handle_or_name(text, everyone)
        if handle not in known and not allow_new:  # a handle they had before a rename
            handle = formerly.get(handle, handle)
        if handle in handles:
            continue
        handles.append(handle)
        if handle in known:
            continue
        suggestion = close_match(handle, known)
        if suggestion and not allow_new:
            raise BadInput(
                f"No ally @{handle}; did you mean @{suggestion}? "
                f"(To add @{handle} as a new ally, repeat with --new.)"
            )
        new_people.append(Person(handle=handle))
    return ResolvedHandles(handles, new_people)


def find(journal: Journal, text: str, *, people: list[Person] | None = None) -> Person:
    everyone = journal.people() if people is None else people
    handle = handle_or_name(text, everyone)
    for person in everyone:
        if person.handle == handle:
            return person
    for person in everyone:  # a handle they had before a rename or a merge
        if handle in person.formerly:
            return person
    suggestion = close_match(handle, [person.handle for person in everyone])
    hint = f"did you mean @{suggestion}?" if suggestion else "`ally people` lists your allies."
    raise NotFound(f"No ally @{handle}; {hint}")


def add(
    journal: Journal,
    handle_text: str,
    details: dict[str, str],
    *,
    today: date,
    teams: list[str] | None = None,
) -> Person:
    """A new ally, or a contact (someone only mentioned) made an ally from today. Career goals
    typed with --goals become a goal (`ally goal list`)."""
    handle = check_handle(handle_text)
    details = dict(details)
    goals = _career_goal(handle, details.pop("career_goals", None))
    cadence = _special(details)
    existing = journal.person(handle)
    if existing is not None and not existing.is_ally:
        promoted = existing.edited(ally_since=today, **cadence, **_clean(details))
        promoted = with_teams(promoted, teams or [], [])
        journal.save_person(promoted, f"made @{handle} an ally", goals)
        return promoted
    person = Person(handle=handle, ally_since=today).edited(**cadence, **_clean(details))
    person = with_teams(person, teams or [], [])
    journal.add_person(person, f"added ally @{handle}", goals)
    return person


def edit(
    journal: Journal,
    handle_text: str,
    details: dict[str, str],
    *,
    join: list[str] | None = None,
    leave: list[str] | None = None,
) -> Person:
    person = find(journal, handle_text)
    details = dict(details)
    goals = _career_goal(person.handle, details.pop("career_goals", None))
    cadence = _special(details)
    updated = with_teams(person.edited(**cadence, **_clean(details)), join or [], leave or [])
    journal.save_person(updated, f"edited ally @{person.handle}", goals)
    return updated


TEAM_RULE = "a word of letters, digits, '-' or '_' (platform, data-eng)"


def team_name(text: str) -> str:
    """A team as typed (any case, with or without '#'), checked and lowercased."""
    import re

    name = text.strip().lstrip("#").lower()
    if not re.fullmatch(r"[^\W_][\w-]{0,49}", name):
        raise BadInput(f"Team '{text}' is not {TEAM_RULE}.")
    return name


def check_team(journal: Journal, typed: str) -> str:
    """A team someone is on; BadInput naming the teams that exist otherwise."""
    name = team_name(typed)
    teams = sorted({team for person in journal.people() for team in person.teams})
    if name not in teams:
        close = close_match(name, teams)
        hint = f"did you mean '{close}'? " if close else ""
        known = ", ".join(teams) if teams else "none yet; `ally people edit HANDLE --team NAME`"
        raise BadInput(f"No team '{name}'; {hint}teams: {known}.")
    return name


def with_teams(person: Person, join: list[str], leave: list[str]) -> Person:
    """`person` on the teams in `join` too, and off those in `leave` (refused if not on it)."""
    teams = list(person.teams)
    for typed in leave:
        name = team_name(typed)
        if name not in teams:
            on = ", ".join(teams) or "no team"
            raise BadInput(f"@{person.handle} is not on team '{name}' (on: {on}).")
        teams.remove(name)
    for typed in join:
        name = team_name(typed)
        if name not in teams:
            teams.append(name)
    return person.edited(teams=tuple(teams)) if teams != list(person.teams) else person


def _special(details: dict[str, str]) -> dict[str, str]:
    """Take the fields with rules of their own out of `details`, checked: the check-in
    cadence, how they like to be recognised, and where."""
    checked = _cadence(details.pop("check_in", None))
    style = details.pop("recognition", None)
    if style is not None:
        wanted = style.strip().lower()
        if wanted not in ("", *RECOGNITION_STYLES):
            raise BadInput(
                f"--recognition '{style}' is not public or private ('' removes it), e.g. "
                "ally people edit maya --recognition private --channel 1:1."
            )
        checked["recognition"] = wanted
    channel = details.pop("channel", None)
    if channel is not None:
        channel = channel.strip()
        if not is_short_line(channel, CHANNEL_LIMIT):
            raise BadInput(
                f"--channel takes one line of up to {CHANNEL_LIMIT} characters: where they "
                "like to hear it, e.g. '1:1', 'the team channel' ('' removes it)."
            )
        checked["channel"] = channel
    return checked


def _cadence(text: str | None) -> dict[str, str]:
    """`--check-in TEXT` as the person's check_in field ('none' clears it)."""
    if text is None:
        return {}
    cadence = parse_cadence(text)
    return {"check_in": cadence.label if cadence else ""}


def _career_goal(handle: str, text: str | None) -> list[Goal]:
    """`--goals TEXT`: the ally's career goal, kept as a goal of theirs."""
    if not text or not text.strip():
        return []
    return [Goal(id=new_id(), text=text.strip(), people=(handle,))]


def set_archived(journal: Journal, handle_text: str, archived: bool) -> Person:
    person = find(journal, handle_text)
    updated = person.edited(archived=archived)
    journal.save_person(updated, f"{'archived' if archived else 'restored'} ally @{person.handle}")
    return updated


def rename(journal: Journal, old_text: str, new_text: str) -> tuple[Person, int]:
    person = find(journal, old_text)
    new = check_handle(new_text)
    if journal.person(new) is not None:
        raise BadInput(f"@{new} is already an ally; choose another handle.")
    touched = journal.rename_person(
        person.handle, new, f"renamed @{person.handle} to @{new}", renamer(person.handle, new)
    )
    return person.edited(handle=new), touched


def merge(journal: Journal, gone_text: str, into_text: str) -> tuple[Person, Person, int]:
    """Make two people one: @gone's entries, goals and promises become @into's, blank details
    of @into are filled from @gone's, and @gone's handle is kept among @into's former ones (so
    it still finds them, and a sync takes the other machine's help for @gone along). One
    change, which `ally undo` reverts."""
    everyone = journal.people()
    gone, into = (
        find(journal, gone_text, people=everyone),
        find(journal, into_text, people=everyone),
    )
    if gone.handle == into.handle:
        raise BadInput(f"@{gone.handle} cannot be merged into itself; name two people.")
    touched = journal.rename_person(
        gone.handle,
        into.handle,
        f"merged @{gone.handle} into @{into.handle}",
        renamer(gone.handle, into.handle),
        merge=True,
    )
    return gone, into, touched


def renamer(old: str, new: str) -> Callable[[Entry], Entry | None]:
    """How an entry reads after @old becomes @new (a rename, or a merge into someone who
    exists): in its fields, the one helped included, and in its text; a handle is named once."""
    mention = re.compile(rf"(?<![\w@])@{re.escape(old)}(?![\w-]|\.\w)", re.IGNORECASE)

    def rewrite(entry: Entry) -> Entry | None:
        if old not in entry.people:
            return None
        ally = new if entry.ally == old else entry.ally
        helped = new if entry.for_handle == old else entry.for_handle
        mentions = unique(new if handle == old else handle for handle in entry.mentions)
        return entry.edited(
            ally=ally,
            for_handle=None if helped == ally else helped,
            mentions=tuple(handle for handle in mentions if handle not in (ally, helped)),
            text=mention.sub(f"@{new}", entry.text),
        )

    return rewrite


def _clean(details: dict[str, str]) -> dict[str, str]:
    unknown = set(details) - set(PERSON_FIELDS)
    if unknown:
        raise BadInput(f"Unknown person field(s): {', '.join(sorted(unknown))}.")
    return {key: value for key, value in details.items() if value is not None}


def last_helped(
    journal: Journal, handles: set[str] | None = None, *, until: date = date.max
) -> dict[str, date]:
    """Each ally's most recent help on or before `until`, from the per-day help index.

    Months are read newest first and reading stops once every wanted handle is found.
    """
    found: dict[str, date] = {}
    latest = until.isoformat()[:7]
    for month in reversed([month for month in journal.help_months() if month <= latest]):
        if handles is not None and len(found) == len(handles):
            break
        first = date(int(month[:4]), int(month[5:]), 1)
        days = journal.helps_by_day(first, min(until, _month_end(first)))
        for day in sorted(days, reverse=True):
            for handle in days[day]:
                if handles is None or handle in handles:
                    found.setdefault(handle, day)
    return found


def _month_end(first: date) -> date:
    following = (
        date(first.year + 1, 1, 1) if first.month == 12 else first.replace(month=first.month + 1)
    )
    return following - timedelta(days=1)
