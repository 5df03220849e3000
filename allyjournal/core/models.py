"""Plain data: entries and people, as the journal keeps them.

Records on disk are the public JSON export schema (see PRODUCT.md), so an entry's `to_record`
is at once what the store keeps and what `ally export --format json` writes.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

from allyjournal.core.text import unique
from allyjournal.core.vocabulary import ENTRY_KINDS

ID_LENGTH = 32


def now_iso() -> str:
    """UTC timestamp, second precision, as the export schema writes it.

    A clock fixed by ALLYJOURNAL_TODAY fixes the day of this stamp too (the time of day stays
    real, so stamps still order): a promise or goal made "today" must have been made on that
    day, or the review of that week would treat it as made in the future and leave it out.
    """
    now = datetime.now(timezone.utc).replace(microsecond=0)
    if os.environ.get("ALLYJOURNAL_TODAY"):
        from allyjournal.core.dates import today

        now = datetime.combine(today(), now.timetz())
    return now.isoformat()


def stamp_form(value: str) -> str:
    """A time from outside (an export's `Z` or `+02:00`, jrnl's local time with no offset) in
    the one form the journal writes (`now_iso`): UTC, to the second, `+00:00`. A time with
    no offset is taken as UTC, so its day does not move."""
    if len(value) == 25 and value.endswith("+00:00"):
        return value  # already in the form: the common case, without parsing
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def new_id() -> str:
    """128 random bits as hex: unique across journals, so imports and merges never collide."""
    return os.urandom(ID_LENGTH // 2).hex()


@dataclass(slots=True, unsafe_hash=True)
class Entry:
    """One thing logged: a win, help given to an ally, or a weekly reflection.

    Never changed in place (`edited` and `dataclasses.replace` make a new one), but not
    declared frozen: a frozen dataclass sets each of its 15 fields through
    `object.__setattr__`, 1.4 us more per entry, a fifth of an export of a year at a million
    entries. Hashed by its fields all the same."""

    id: str
    kind: str
    date: date
    text: str
    created_at: str
    updated_at: str
    size: str | None = None  # wins: "big" or "small"
    impact: str | None = None
    tags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()  # @handles in a win's text
    ally: str | None = None  # helps: the handle helped
    help_kind: str | None = None
    level: str | None = None
    goal: str | None = None  # help: the id of the goal it served
    for_handle: str | None = None  # thanks: the person they helped, when it was not you
    work_type: str | None = None  # wins: promotable, glue or housework (vocabulary.WORK_TYPES)

    @property
    def is_big(self) -> bool:
        return self.size == "big"

    @property
    def people(self) -> tuple[str, ...]:
        """Every handle this entry is about: the ally helped (or thanked) first, then the one
        they helped, then mentions."""
        if not self.for_handle and not self.mentions:  # most entries: an ally or nobody
            return (self.ally,) if self.ally else ()
        return tuple(unique([self.ally or "", self.for_handle or "", *self.mentions]))

    def to_record(self) -> dict[str, Any]:
        """The entry as the journal stores it, and as the JSON export writes it."""
        record: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "text": self.text,
        }
        if self.kind == "win":
            record["size"] = self.size or "small"
            if self.work_type:
                record["work_type"] = self.work_type
        record["impact"] = self.impact
        record["tags"] = list(self.tags)
        if self.mentions:
            record["mentions"] = list(self.mentions)
        if self.kind == "help":
            record["ally"] = self.ally
            record["help_kind"] = self.help_kind
            record["level"] = self.level
            if self.goal:
                record["goal"] = self.goal
        if self.kind == "chore":
            record["ally"] = self.ally
        if self.kind == "thanks":
            record["ally"] = self.ally
            record["help_kind"] = self.help_kind
            if self.for_handle:
                record["for"] = self.for_handle
        record["created_at"] = self.created_at
        record["updated_at"] = self.updated_at
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Entry:
        """Rebuild an entry; raises KeyError/ValueError/TypeError on a malformed record.

        The hottest function of every read (an export of a year at a million entries makes a
        hundred thousand): fields go in by position and each day is parsed once."""
        kind = str(record["kind"])
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        get = record.get
        created = str(get("created_at") or now_iso())
        updated = get("updated_at")
        updated = created if not updated or updated == created else str(updated)
        impact, tags, mentions = get("impact"), get("tags"), get("mentions")
        ally, help_kind, level = get("ally"), get("help_kind"), get("level")
        goal = get("goal") if kind == "help" else None
        for_handle = get("for") if kind == "thanks" else None
        work_type = get("work_type") if kind == "win" else None
        return cls(
            str(record["id"]),
            kind,
            _day(record["date"]),
            str(record["text"]),
            created,
            updated,
            str(get("size") or "small") if kind == "win" else None,
            None if impact is None else str(impact),
            tuple(map(str, tags)) if tags else (),
            tuple(map(str, mentions)) if mentions else (),
            None if ally is None else str(ally),
            None if help_kind is None else str(help_kind),
            None if level is None else str(level),
            None if goal is None else str(goal),
            None if for_handle is None else str(for_handle),
            None if work_type is None else str(work_type),
        )

    def edited(self, **changes: Any) -> Entry:
        return replace(self, updated_at=now_iso(), **changes)


def record_people(record: dict[str, Any]) -> tuple[str, ...]:
    """`Entry.from_record(record).people` of a record in the stored form, without building
    the entry (an import reads a million of them)."""
    ally, for_handle, mentions = record.get("ally"), record.get("for"), record.get("mentions")
    if not for_handle and not mentions:
        return (ally,) if ally else ()
    return tuple(unique([ally or "", for_handle or "", *(mentions or ())]))


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


_DAYS: dict[str, date] = {}


def _day(text: Any) -> date:
    """An ISO day as a date, parsed once per process: a journal has a few thousand days and
    a read of a year meets each of them hundreds of times (one shared object each, too)."""
    day = _DAYS.get(text)
    if day is None:
        day = _DAYS[text] = date.fromisoformat(str(text))
    return day


PERSON_FIELDS: tuple[str, ...] = (
    "name",
    "role",
    "relationship",
    "career_goals",
    "shared_values",
    "notes",
)


@dataclass(frozen=True)
class Person:
    """Someone in the journal: an ally, whose career you want to help, or a contact, someone
    only mentioned. Only allies count toward the weekly goal and get nudges."""

    handle: str
    name: str = ""
    role: str = ""
    relationship: str = ""
    career_goals: str = ""
    shared_values: str = ""
    notes: str = ""
    archived: bool = False
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)
    # The day they became an ally (the first help, or `ally people add`); None for a contact.
    ally_since: date | None = None
    check_in: str = ""  # how often you mean to check in: "every 2 weeks" (dates.parse_cadence)
    teams: tuple[str, ...] = ()  # for the manager's opportunity report (`ally fairness`)
    # Handles they had before `ally people rename`, oldest first: a sync merge lets help that
    # another machine logged for an old handle follow the person to their new one.
    formerly: tuple[str, ...] = ()
    # How they like to be recognised (vocabulary.RECOGNITION_STYLES, "" unknown) and where.
    recognition: str = ""
    channel: str = ""

    @property
    def display_name(self) -> str:
        return self.name or f"@{self.handle}"

    @property
    def is_ally(self) -> bool:
        return self.ally_since is not None

    def ally_by(self, day: date) -> bool:
        """Whether they were an ally on `day`: a review of an old week nudges only about the
        allies of that week."""
        return self.ally_since is not None and self.ally_since <= day

    def to_record(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            **{name: getattr(self, name) for name in PERSON_FIELDS},
            "archived": self.archived,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "ally_since": self.ally_since.isoformat() if self.ally_since else None,
            "check_in": self.check_in or None,
            "teams": list(self.teams),
            **({"formerly": list(self.formerly)} if self.formerly else {}),
            **({"recognition": self.recognition} if self.recognition else {}),
            **({"channel": self.channel} if self.channel else {}),
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Person:
        created = str(record.get("created_at") or now_iso())
        if "ally_since" in record:
            since = record["ally_since"]
            ally_since = date.fromisoformat(str(since)) if since else None
        else:  # written before contacts existed, when everyone named was an ally
            ally_since = date.fromisoformat(created[:10])
        return cls(
            handle=str(record["handle"]),
            **{name: str(record.get(name) or "") for name in PERSON_FIELDS},
            archived=bool(record.get("archived", False)),
            created_at=created,
            updated_at=str(record.get("updated_at") or created),
            ally_since=ally_since,
            check_in=str(record.get("check_in") or ""),
            teams=tuple(str(team) for team in record.get("teams") or ()),
            formerly=tuple(str(handle) for handle in record.get("formerly") or ()),
            recognition=str(record.get("recognition") or ""),
            channel=str(record.get("channel") or ""),
        )

    def edited(self, **changes: Any) -> Person:
        return replace(self, updated_at=now_iso(), **changes)


GOAL_HORIZONS: tuple[str, ...] = ("short", "long")
GOAL_STATUSES: tuple[str, ...] = ("open", "done", "dropped")


@dataclass(frozen=True)
class Goal:
    """Something an ally is working toward: their own career goal, or a goal you share with
    one or more allies (`mutual`). Help can name the goal it served (`Entry.goal`)."""

    id: str
    text: str
    people: tuple[str, ...]  # the allies it concerns; for a career goal, the one it belongs to
    mutual: bool = False
    horizon: str = "long"
    due: date | None = None
    status: str = "open"
    closed_on: date | None = None  # when it was done or dropped
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "text": self.text,
            "people": list(self.people),
            "mutual": self.mutual,
            "horizon": self.horizon,
            "due": self.due.isoformat() if self.due else None,
            "status": self.status,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Goal:
        """Rebuild a goal; raises KeyError/ValueError/TypeError on a malformed record."""
        created = str(record.get("created_at") or now_iso())
        people = record.get("people") or ()
        if isinstance(people, str):
            raise ValueError("people is not a list")
        return cls(
            id=str(record["id"]),
            text=str(record["text"]),
            people=tuple(str(handle) for handle in people),
            mutual=bool(record.get("mutual", False)),
            horizon=str(record.get("horizon") or "long"),
            due=_optional_date(record.get("due")),
            status=str(record.get("status") or "open"),
            closed_on=_optional_date(record.get("closed_on")),
            created_at=created,
            updated_at=str(record.get("updated_at") or created),
        )

    def edited(self, **changes: Any) -> Goal:
        return replace(self, updated_at=now_iso(), **changes)


def _optional_date(value: Any) -> date | None:
    return date.fromisoformat(str(value)) if value else None


PROMISE_STATUSES: tuple[str, ...] = ("open", "kept", "dropped")


@dataclass(frozen=True)
class Promise:
    """Something you said you would do for an ally. Kept by the help that did it (`kept_by`,
    an entry id), or marked kept or dropped by hand."""

    id: str
    handle: str
    text: str
    by: date | None = None  # when you said you would have done it
    goal: str | None = None  # the goal it serves
    status: str = "open"
    kept_by: str | None = None
    closed_on: date | None = None
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    def overdue_on(self, day: date) -> int:
        """Days past its `by` date on `day` while open (0 when not overdue)."""
        if not self.is_open or self.by is None or self.by >= day:
            return 0
        return (day - self.by).days

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handle": self.handle,
            "text": self.text,
            "by": self.by.isoformat() if self.by else None,
            "goal": self.goal,
            "status": self.status,
            "kept_by": self.kept_by,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Promise:
        """Rebuild a promise; raises KeyError/ValueError/TypeError on a malformed record."""
        created = str(record.get("created_at") or now_iso())
        return cls(
            id=str(record["id"]),
            handle=str(record["handle"]),
            text=str(record["text"]),
            by=_optional_date(record.get("by")),
            goal=_optional_str(record.get("goal")),
            status=str(record.get("status") or "open"),
            kept_by=_optional_str(record.get("kept_by")),
            closed_on=_optional_date(record.get("closed_on")),
            created_at=created,
            updated_at=str(record.get("updated_at") or created),
        )

    def edited(self, **changes: Any) -> Promise:
        return replace(self, updated_at=now_iso(), **changes)


SOURCE_STATES: tuple[str, ...] = ("logged", "skipped")


@dataclass(frozen=True)
class Source:
    """A commit or a calendar event `ally suggest` offered, by its source id ("git-" and the
    commit's hash, "ics-" and a hash of the event's UID and day): logged as entry `entry`, or
    skipped. Either way it is never offered again, on this machine or, by sync, another."""

    id: str
    state: str
    entry: str | None = None
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "entry": self.entry,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Source:
        """Rebuild a source; raises KeyError/ValueError/TypeError on a malformed record."""
        created = str(record.get("created_at") or now_iso())
        return cls(
            id=str(record["id"]),
            state=str(record["state"]),
            entry=_optional_str(record.get("entry")),
            created_at=created,
            updated_at=str(record.get("updated_at") or created),
        )


@dataclass(frozen=True)
class Topic:
    """Something to raise the next time you meet an ally (`ally agenda maya --add`), kept in
    their agenda, first, until you tick it off (`done_on`)."""

    id: str
    handle: str
    text: str
    done_on: date | None = None
    created_at: str = field(default_factory=now_iso)
    updated_at: str = field(default_factory=now_iso)

    @property
    def is_open(self) -> bool:
        return self.done_on is None

    @property
    def created_on(self) -> date:
        """The day it was added (in UTC, as every created_at is)."""
        return date.fromisoformat(self.created_at[:10])

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "handle": self.handle,
            "text": self.text,
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Topic:
        """Rebuild a topic; raises KeyError/ValueError/TypeError on a malformed record."""
        created = str(record.get("created_at") or now_iso())
        done = record.get("done_on")
        return cls(
            id=str(record["id"]),
            handle=str(record["handle"]),
            text=str(record["text"]),
            done_on=date.fromisoformat(str(done)) if done else None,
            created_at=created,
            updated_at=str(record.get("updated_at") or created),
        )

    def edited(self, **changes: Any) -> Topic:
        return replace(self, updated_at=now_iso(), **changes)


@dataclass(frozen=True)
class Criterion:
    """One criterion of a career ladder (`ally export --packet --ladder FILE`, formats/ladder):
    its name, what it means, and the rules that say what in the journal counts toward it."""

    name: str
    description: str = ""
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()  # entry kinds and kinds of help
    types: tuple[str, ...] = ()  # work types of wins
    words: tuple[str, ...] = ()  # casefolded, matched in an entry's text or impact


@dataclass(frozen=True)
class Ladder:
    name: str | None
    criteria: tuple[Criterion, ...]
    source: str  # where it came from, for the document: a file name or "the default ladder"
