"""What a record from outside (an import, a backup) must look like before the journal takes
it: every field of the schema checked against its alphabet or vocabulary.

A file that another program wrote, or someone crafted, can carry anything: escape sequences in
an id, Rich markup in a kind, a lone surrogate in a text. The journal shows user text
literally, but ids, handles, kinds and tags are its own words, so they must be what it writes.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from allyjournal.core.models import (
    GOAL_HORIZONS,
    GOAL_STATUSES,
    PERSON_FIELDS,
    PROMISE_STATUSES,
    SOURCE_STATES,
    Entry,
    Goal,
    Person,
    Promise,
    Source,
    Topic,
)
from allyjournal.core.text import is_short_line, is_valid_handle
from allyjournal.core.vocabulary import (
    ABOUT_SOMEONE,
    CHANNEL_LIMIT,
    HELP_KINDS,
    LEVELS,
    RECOGNITION_STYLES,
    TOPIC_LIMIT,
    WORK_TYPES,
)

# \Z, not $: `$` also matches before a final line break, which an id or a tag must not end in.
ID_PATTERN = r"^[0-9a-z][0-9a-z_-]{3,63}\Z"
TAG_WORD = r"^[^\W_][\w-]{0,49}\Z"
# Compiled once: an import checks a million entries with them.
_ID, _TAG_WORD = re.compile(ID_PATTERN), re.compile(TAG_WORD)
# A source id: a commit's hash (SHA-1 or SHA-256), or a calendar event's hashed UID and day.
SOURCE_ID = re.compile(r"^(git-[0-9a-f]{40}|git-[0-9a-f]{64}|ics-[0-9a-f]{32})\Z")


def _text(value: str, field: str) -> None:
    if value.isascii():  # most text, and checked without making its bytes
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{field} is not valid UTF-8 text") from None


def _stamp(value: str, field: str) -> None:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{field} {value[:40]!r} is not an ISO 8601 time") from None


def check_entry(entry: Entry) -> Entry:
    """`entry` if every field is one the journal could have written; else ValueError naming
    the field."""
    if not _ID.match(entry.id):
        raise ValueError(f"id {entry.id[:40]!r} is not an id (4 to 64 of a-z, 0-9, '-', '_')")
    _text(entry.text, "text")
    if entry.impact is not None:
        _text(entry.impact, "impact")
    if not entry.text.strip():
        raise ValueError("text is empty")
    _stamp(entry.created_at, "created_at")
    if entry.updated_at != entry.created_at:  # an entry never edited: one time to read
        _stamp(entry.updated_at, "updated_at")
    if entry.kind == "win" and entry.size not in ("big", "small"):
        raise ValueError(f"size {entry.size!r} is not big or small")
    if entry.work_type is not None and entry.work_type not in WORK_TYPES:
        raise ValueError(
            f"work_type {entry.work_type[:40]!r} is not one of {', '.join(WORK_TYPES)}"
        )
    for tag in entry.tags:
        if not _TAG_WORD.match(tag) or tag != tag.lower():
            raise ValueError(f"tag {tag[:40]!r} is not a lowercase word")
    for handle in entry.mentions:
        if not is_valid_handle(handle):
            raise ValueError(f"mention {handle[:40]!r} is not a handle")
    if entry.kind in ABOUT_SOMEONE and not (entry.ally and is_valid_handle(entry.ally)):
        raise ValueError(f"ally {str(entry.ally)[:40]!r} is not a handle")
    if entry.kind in ("help", "thanks") and entry.help_kind not in HELP_KINDS:  # how
        raise ValueError(
            f"help_kind {str(entry.help_kind)[:40]!r} is not one of {', '.join(HELP_KINDS)}"
        )
    if entry.kind == "help":
        if entry.level is not None and entry.level not in LEVELS:
            raise ValueError(f"level {entry.level[:40]!r} is not one of {', '.join(LEVELS)}")
        if entry.goal is not None and not _ID.match(entry.goal):
            raise ValueError(f"goal {entry.goal[:40]!r} is not a goal id")
    if entry.for_handle is not None and not is_valid_handle(entry.for_handle):
        raise ValueError(f"for {entry.for_handle[:40]!r} is not a handle")
    return entry


def checked_record(record: Any) -> dict[str, Any]:
    """An entry record from outside, checked, in the form the journal stores. Through an
    Entry: checking a record in place measured no faster inside a million-entry import."""
    return check_entry(Entry.from_record(check_record(record))).to_record()


def check_goal(goal: Goal) -> Goal:
    """`goal` if every field is one the journal could have written; else ValueError."""
    if not _ID.match(goal.id):
        raise ValueError(f"goal id {goal.id[:40]!r} is not an id")
    _text(goal.text, "text")
    if not goal.text.strip():
        raise ValueError("goal text is empty")
    if not goal.people or not all(is_valid_handle(handle) for handle in goal.people):
        raise ValueError("goal people are not handles")
    if goal.horizon not in GOAL_HORIZONS:
        raise ValueError(f"horizon {goal.horizon[:40]!r} is not short or long")
    if goal.status not in GOAL_STATUSES:
        raise ValueError(f"status {goal.status[:40]!r} is not one of {', '.join(GOAL_STATUSES)}")
    _stamp(goal.created_at, "created_at")
    _stamp(goal.updated_at, "updated_at")
    return goal


def check_person(person: Person) -> Person:
    if not is_valid_handle(person.handle):
        raise ValueError(f"handle {person.handle[:40]!r} is not a handle")
    for field in PERSON_FIELDS:
        _text(getattr(person, field), field)
    if person.recognition not in ("", *RECOGNITION_STYLES):
        raise ValueError(f"recognition {person.recognition[:40]!r} is not public or private")
    _text(person.channel, "channel")
    if not is_short_line(person.channel, CHANNEL_LIMIT):
        raise ValueError(f"channel {person.channel[:40]!r} is not a short line of text")
    for team in person.teams:
        if not _TAG_WORD.match(team) or team != team.lower():
            raise ValueError(f"team {team[:40]!r} is not a lowercase word")
    if person.check_in:
        from allyjournal.core.dates import parse_cadence
        from allyjournal.core.errors import DateError

        try:
            parse_cadence(person.check_in)
        except DateError:
            raise ValueError(f"check_in {person.check_in[:40]!r} is not a cadence") from None
    return person


def check_promise(promise: Promise) -> Promise:
    """`promise` if every field is one the journal could have written; else ValueError."""
    if not _ID.match(promise.id):
        raise ValueError(f"promise id {promise.id[:40]!r} is not an id")
    if not is_valid_handle(promise.handle):
        raise ValueError(f"handle {promise.handle[:40]!r} is not a handle")
    _text(promise.text, "text")
    if not promise.text.strip():
        raise ValueError("promise text is empty")
    for name in ("goal", "kept_by"):
        value = getattr(promise, name)
        if value is not None and not _ID.match(value):
            raise ValueError(f"{name} {value[:40]!r} is not an id")
    if promise.status not in PROMISE_STATUSES:
        raise ValueError(
            f"status {promise.status[:40]!r} is not one of {', '.join(PROMISE_STATUSES)}"
        )
    _stamp(promise.created_at, "created_at")
    _stamp(promise.updated_at, "updated_at")
    return promise


def check_source(source: Source) -> Source:
    """`source` if every field is one `ally suggest` could have written; else ValueError."""
    if not SOURCE_ID.match(source.id):
        raise ValueError(f"source id {source.id[:40]!r} is not a commit or event id")
    if source.state not in SOURCE_STATES:
        raise ValueError(f"state {source.state[:40]!r} is not logged or skipped")
    if source.entry is not None and not _ID.match(source.entry):
        raise ValueError(f"entry {source.entry[:40]!r} is not an id")
    if (source.state == "logged") != (source.entry is not None):
        raise ValueError("a logged source names its entry, a skipped one none")
    _stamp(source.created_at, "created_at")
    _stamp(source.updated_at, "updated_at")
    return source


def check_topic(topic: Topic) -> Topic:
    """`topic` if every field is one `ally agenda --add` could have written; else ValueError."""
    if not _ID.match(topic.id):
        raise ValueError(f"topic id {topic.id[:40]!r} is not an id")
    if not is_valid_handle(topic.handle):
        raise ValueError(f"handle {topic.handle[:40]!r} is not a handle")
    _text(topic.text, "text")
    if not topic.text.strip() or not is_short_line(topic.text, TOPIC_LIMIT):
        raise ValueError(f"topic text {topic.text[:40]!r} is not one line of text")
    _stamp(topic.created_at, "created_at")
    _stamp(topic.updated_at, "updated_at")
    return topic


def check_record(record: Any) -> dict[str, Any]:
    """A record must be a JSON object before any field is read from it."""
    if not isinstance(record, dict):
        raise ValueError(f"expected an object, found {type(record).__name__}")
    return record
