"""Logging, finding and correcting entries: the journal's verbs, free of any terminal I/O."""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from allyjournal.actions import goals, people, promises
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry, Person, Promise, Source, new_id, now_iso
from allyjournal.core.text import blank, mentions_in, normalize_handle, normalize_tag, tags_in
from allyjournal.core.vocabulary import (
    ABOUT_SOMEONE,
    HELP_KINDS,
    LEVELS,
    RECOGNITION_KINDS,
    WORK_TYPES,
    choose,
    recognition_wish,
)
from allyjournal.store import Journal


class Logged(NamedTuple):
    """What a log command did, for the confirmation line."""

    entry: Entry
    short_id: str
    new_people: list[Person]


def check_text(text: str, example: str = 'ally win "Shipped v2"') -> str:
    if blank(text):
        raise BadInput(f"The entry text is empty: say what happened, e.g. {example}.")
    return text


REPEAT_MINUTES = 10


def _repeated(journal: Journal, entry: Entry) -> Entry | None:
    """The same entry logged a few minutes ago (an up-arrow and enter): same day, kind, ally
    and text. It is only pointed out: logging something twice can be meant."""
    from datetime import datetime, timedelta

    now = datetime.fromisoformat(entry.created_at)
    text = entry.text.strip()

    def same_text(record: dict[str, Any]) -> bool:
        """A day of a large journal holds hundreds of entries: only a record with the same
        text becomes an entry to compare."""
        return isinstance(record.get("text"), str) and record["text"].strip() == text

    for earlier in journal.entries(entry.date, entry.date, same_text):
        if (earlier.kind, earlier.ally, earlier.text.strip()) != (
            entry.kind,
            entry.ally,
            entry.text.strip(),
        ):
            continue
        try:
            if now - datetime.fromisoformat(earlier.created_at) <= timedelta(
                minutes=REPEAT_MINUTES
            ):
                return earlier
        except ValueError:
            continue
    return None


def _store(
    journal: Journal,
    entry: Entry,
    new_people: list[Person],
    summary: str,
    kept: list[tuple[Promise, Promise]] | None = None,
    sources: tuple[str, ...] = (),
) -> Logged:
    """Add one logged entry, and say so when the same one was logged a moment ago.
    `sources` are the suggestions (`ally suggest`) it logs, marked in the same change."""
    earlier = _repeated(journal, entry)
    marked = [Source(id=source, state="logged", entry=entry.id) for source in sources]
    journal.add([entry], new_people, summary, kept=kept, sources=marked)
    short_id = journal.short_ids([entry.id])[entry.id]
    if earlier is not None:
        what = {"win": "win", "thanks": f"thanks to @{entry.ally}"}.get(
            entry.kind, f"help for @{entry.ally}"
        )
        journal.notes.append(
            f"the same {what} was logged a moment ago ({journal.short_ids([earlier.id])[earlier.id]}); "
            f"`ally undo` removes this one ({short_id})."
        )
    return Logged(entry, short_id, new_people)


def _new_entry(**fields: object) -> Entry:
    stamp = now_iso()
    return Entry(id=new_id(), created_at=stamp, updated_at=stamp, **fields)  # type: ignore[arg-type]


def log_win(
    journal: Journal,
    text: str,
    *,
    when: date,
    big: bool = False,
    impact: str | None = None,
    tags: list[str] | None = None,
    allow_new: bool = False,
    sources: tuple[str, ...] = (),
    work_type: str | None = None,
) -> Logged:
    check_text(text)
    typed = choose(work_type, WORK_TYPES, "type of work") if work_type else None
    resolved = people.resolve(journal, mentions_in(text), allow_new=allow_new)
    entry = _new_entry(
        kind="win",
        date=when,
        text=text,
        size="big" if big else "small",
        impact=impact or None,
        tags=_tags(text, tags or []),
        mentions=tuple(resolved.handles),
        work_type=typed,
    )
    return _store(journal, entry, resolved.new_people, f"logged win {entry.id[:7]}", None, sources)


def log_learning(
    journal: Journal,
    text: str,
    *,
    when: date,
    impact: str | None = None,
    tags: list[str] | None = None,
    allow_new: bool = False,
) -> Logged:
    """What you did to educate yourself: an entry with no ally, never counted as help."""
    check_text(text, 'ally learned "Read a chapter on sponsorship"')
    resolved = people.resolve(journal, mentions_in(text), allow_new=allow_new)
    entry = _new_entry(
        kind="learning",
        date=when,
        text=text,
        impact=impact or None,
        tags=_tags(text, tags or []),
        mentions=tuple(resolved.handles),
    )
    return _store(journal, entry, resolved.new_people, f"logged learning {entry.id[:7]}")


def log_help(
    journal: Journal,
    handle: str,
    text: str,
    *,
    when: date,
    help_kind: str = "other",
    level: str | None = None,
    tags: list[str] | None = None,
    goal: str | None = None,
    keeps: str | None = None,
    allow_new: bool = False,
    sources: tuple[str, ...] = (),
) -> Logged:
    check_text(text, 'ally helped maya "Asked how I can help"')
    kind = choose(help_kind, HELP_KINDS, "kind of help")
    chosen_level = choose(level, LEVELS, "level") if level else None
    resolved = people.resolve(journal, [handle, *mentions_in(text)], allow_new=allow_new)
    goal_id = goals.goal_for_help(journal, goal, resolved.handles[0]) if goal else None
    promise = promises.kept_by_help(journal, keeps, resolved.handles[0]) if keeps else None
    entry = _new_entry(
        kind="help",
        date=when,
        text=text,
        tags=_tags(text, tags or []),
        mentions=tuple(resolved.handles[1:]),
        ally=resolved.handles[0],
        help_kind=kind,
        level=chosen_level,
        goal=goal_id,
    )
    kept = (
        [(promise, promise.edited(status="kept", kept_by=entry.id, closed_on=when))]
        if promise
        else []
    )
    summary = f"logged help {entry.id[:7]} for @{entry.ally}"
    logged = _store(journal, entry, resolved.new_people, summary, kept, sources)
    person = journal.person(resolved.handles[0]) if kind in RECOGNITION_KINDS else None
    wish = recognition_wish(person.recognition, person.channel) if person else ""
    if wish:  # the moment to hear it: before the praise goes out
        journal.notes.append(f"@{resolved.handles[0]} likes recognition {wish}.")
    return logged


def log_thanks(
    journal: Journal,
    handle: str,
    text: str,
    *,
    when: date,
    help_kind: str = "other",
    for_handle: str | None = None,
    tags: list[str] | None = None,
    allow_new: bool = False,
) -> Logged:
    """Help someone gave you (or, with `for_handle`, allyship you saw them show someone else).
    It never counts toward your weekly goal and never makes anyone an ally."""
    check_text(text, 'ally thanks kofi "Covered my on-call shift"')
    kind = choose(help_kind, HELP_KINDS, "kind of help")
    typed = [handle, *([for_handle] if for_handle else []), *mentions_in(text)]
    resolved = people.resolve(journal, typed, allow_new=allow_new)
    thanked = resolved.handles[0]
    beneficiary = people.check_handle(for_handle) if for_handle else None
    if beneficiary == thanked:
        raise BadInput(f"--for @{beneficiary} is the person thanked; leave --for out.")
    entry = _new_entry(
        kind="thanks",
        date=when,
        text=text,
        tags=_tags(text, tags or []),
        mentions=tuple(h for h in resolved.handles[1:] if h != beneficiary),
        ally=thanked,
        help_kind=kind,
        for_handle=beneficiary,
    )
    return _store(journal, entry, resolved.new_people, f"thanked @{thanked} ({entry.id[:7]})")


def log_chore(
    journal: Journal,
    handle: str,
    text: str,
    *,
    when: date,
    tags: list[str] | None = None,
    allow_new: bool = False,
) -> Logged:
    """A piece of the team's housework @handle did, for the manager's ledger (`ally fairness
    --housework`). It never counts as help and never makes anyone an ally."""
    check_text(text, 'ally chore kofi "Took the notes at the planning meeting"')
    resolved = people.resolve(journal, [handle, *mentions_in(text)], allow_new=allow_new)
    entry = _new_entry(
        kind="chore",
        date=when,
        text=text,
        tags=_tags(text, tags or []),
        mentions=tuple(resolved.handles[1:]),
        ally=resolved.handles[0],
    )
    return _store(journal, entry, resolved.new_people, f"chore by @{entry.ally} ({entry.id[:7]})")


def log_reflection(journal: Journal, text: str, *, week_start: date, today: date) -> Logged:
    """A reflection on the week starting `week_start`, dated the day it was written, or the
    week's last day for a week already over (so it stays in that week's review)."""
    from datetime import timedelta

    check_text(text)
    day = min(today, week_start + timedelta(days=6))
    entry = _new_entry(kind="reflection", date=day, text=text, tags=tuple(tags_in(text)))
    journal.add([entry], [], f"reflected on the week of {week_start.isoformat()}")
    return Logged(entry, journal.short_ids([entry.id])[entry.id], [])


def log_answers(
    journal: Journal, answers: list[tuple[str, str]], *, week_start: date, today: date
) -> Logged:
    """The week's reflection as answers to its questions: one reflection entry with a line
    per question answered ("Where did I speak up? In the planning meeting."), in the
    questions' order, dated as `log_reflection` dates one. A question left blank is skipped;
    none answered is refused."""
    lines = [
        f"{question} {' '.join(answer.split())}"
        for question, answer in answers
        if not blank(answer)
    ]
    if not lines:
        raise BadInput("Every question was left blank: nothing was saved.")
    return log_reflection(journal, "\n".join(lines), week_start=week_start, today=today)


def _tags(text: str, extra: list[str]) -> tuple[str, ...]:
    explicit = [normalize_tag(tag) for tag in extra]
    for tag in explicit:
        if not tag or any(character.isspace() for character in tag):
            raise BadInput(f"'{tag}' is not a tag: use one word, e.g. --tag ci or --tag q4-goals.")
    return tuple(dict.fromkeys([*tags_in(text), *explicit]))


def edit_entry(
    journal: Journal,
    prefix: str,
    *,
    text: str | None = None,
    when: date | None = None,
    big: bool | None = None,
    impact: str | None = None,
    tags: list[str] | None = None,
    ally: str | None = None,
    help_kind: str | None = None,
    level: str | None = None,
    goal: str | None = None,
    allow_new: bool = False,
    work_type: str | None = None,
) -> Entry:
    """Apply the given changes; tags and mentions typed in the text follow the new text."""
    old = journal.get(prefix)
    changes: dict[str, object] = {}
    new_people: list[Person] = []
    if text is not None:
        check_text(text)
        resolved = people.resolve(journal, mentions_in(text), allow_new=allow_new)
        new_people += resolved.new_people
        typed_tags = [tag for tag in old.tags if tag not in tags_in(old.text)]
        changes["text"] = text
        helped = normalize_handle(ally) if ally else old.ally
        changes["mentions"] = tuple(h for h in resolved.handles if h != helped)
        changes["tags"] = _tags(text, typed_tags if tags is None else tags)
    elif tags is not None:
        changes["tags"] = _tags(old.text, tags)
    if when is not None:
        changes["date"] = when
    if impact is not None:
        changes["impact"] = impact or None
    if big is not None:
        _require(old, "win", "--big/--small")
        changes["size"] = "big" if big else "small"
    if work_type is not None:
        _require(old, "win", "--type")
        changes["work_type"] = choose(work_type, WORK_TYPES, "type of work") if work_type else None
    if ally is not None:
        _require(old, ABOUT_SOMEONE, "--ally")
        resolved = people.resolve(journal, [ally], allow_new=allow_new)
        new_people += resolved.new_people
        changes["ally"] = resolved.handles[0]
    if help_kind is not None:
        _require(old, ("help", "thanks"), "--kind")
        changes["help_kind"] = choose(help_kind, HELP_KINDS, "kind of help")
    if level is not None:
        _require(old, "help", "--level")
        changes["level"] = choose(level, LEVELS, "level") if level else None
    if goal is not None:
        _require(old, "help", "--goal")
        helped = str(changes.get("ally") or old.ally)
        changes["goal"] = goals.goal_for_help(journal, goal, helped) if goal else None
    elif "ally" in changes and old.goal:  # keep the goal only if the new ally shares it
        shared = any(g.id == old.goal and changes["ally"] in g.people for g in journal.goals())
        changes["goal"] = old.goal if shared else None
    if not changes:
        raise BadInput("Nothing to change: give --text, --date, --impact or another option.")
    new = old.edited(**changes)
    journal.replace(old, new, f"edited {old.kind} {old.id[:7]}", new_people)
    return new


def _require(entry: Entry, kind: str | tuple[str, ...], option: str) -> None:
    kinds = (kind,) if isinstance(kind, str) else kind
    if entry.kind not in kinds:
        raise BadInput(
            f"{option} applies to {' and '.join(kinds)} entries; {entry.id[:7]} is a {entry.kind}."
        )


def delete_entries(journal: Journal, entries: list[Entry]) -> None:
    ids = ", ".join(entry.id[:7] for entry in entries)
    journal.delete(entries, f"deleted {ids}")
