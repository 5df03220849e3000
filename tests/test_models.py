"""Entries and the text parsers behind #tags and @handles: round trips and properties."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allyjournal.core.checks import check_entry, check_record, checked_record
from allyjournal.core.models import Entry, Person, new_id, record_people
from allyjournal.core.text import is_valid_handle, mentions_in, tags_in, visible
from allyjournal.core.vocabulary import HELP_KINDS, LEVELS

handles = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}[a-z0-9_]", fullmatch=True)
texts = st.text(min_size=1)
optional_text = st.none() | st.text()


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    kind = draw(st.sampled_from(["win", "help", "reflection"]))
    return Entry(
        id=new_id(),
        kind=kind,
        date=draw(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))),
        text=draw(texts),
        created_at="2026-11-23T10:00:00+00:00",
        updated_at="2026-11-23T11:00:00+00:00",
        size=draw(st.sampled_from(["big", "small"])) if kind == "win" else None,
        impact=draw(optional_text),
        tags=tuple(draw(st.lists(st.text(min_size=1), max_size=3))),
        mentions=tuple(draw(st.lists(handles, max_size=3))),
        ally=draw(handles) if kind == "help" else None,
        help_kind=draw(st.sampled_from(HELP_KINDS)) if kind == "help" else None,
        level=draw(st.none() | st.sampled_from(LEVELS)) if kind == "help" else None,
    )


@given(entries())
def test_entry_record_round_trip_is_lossless(entry: Entry) -> None:
    assert Entry.from_record(entry.to_record()) == entry


@given(handles, st.text(max_size=20), st.text(max_size=20))
def test_person_record_round_trip(handle: str, name: str, notes: str) -> None:
    person = Person(handle=handle, name=name, notes=notes, archived=True)
    assert Person.from_record(person.to_record()) == person


@given(st.text())
def test_parsers_never_crash_and_return_valid_handles(text: str) -> None:
    for handle in mentions_in(text):
        assert is_valid_handle(handle)
    assert all(tag == tag.lower() for tag in tags_in(text))


@pytest.mark.parametrize(
    ("text", "mentions", "tags"),
    [
        ("Paired with @Maya on #CI", ["maya"], ["ci"]),
        ("mail sam@example.com about it", [], []),
        ("Thanks @sam.lee.", ["sam.lee"], []),
        ("#1 priority and issue#4 and &#38;", [], []),  # a number alone is not a tag
        ("PR #4123 for #2026-goals", [], ["2026-goals"]),
        ("@ana @ana @bo #x #x", ["ana", "bo"], ["x"]),
    ],
)
def test_mentions_and_tags_in_text(text: str, mentions: list[str], tags: list[str]) -> None:
    assert mentions_in(text) == mentions
    assert tags_in(text) == tags


@given(st.text())
def test_visible_leaves_no_control_characters(text: str) -> None:
    shown = visible(text)
    assert not any(ord(c) < 32 and c not in "\t\n" for c in shown)
    assert "\x1b" not in shown


# Values a crafted or foreign record may hold where the stored form has another: any field
# may get one of the common ones, and each field also the near misses of its own check.
odd_values = [None, "", " ", 0, 1.5, True, [], {}, "x\n", "maya", "2026-11-02", "\ud800"]
near_misses: dict[str, list[object]] = {
    "id": ["abc", "ABCD1234", "abcd1234\n", "-abcd", "a" * 65],
    "date": ["2026-11-2", "20261102", "2026-W45-1", "2026-02-30", " 2026-11-02"],
    "text": ["\t\n", "\u2003", "fine"],
    "tags": [["X"], ["x\n"], [5], ["ok", "no way"], "release", ["_x"], ("a",)],
    "mentions": [["Maya"], ["maya", 5], "maya", ["@maya"]],
    "size": ["huge", "Big"],
    "ally": ["Maya", "../x", "maya\n"],
    "help_kind": ["Intro", "mentoring\n", "talk"],
    "level": ["Institutional", "team"],
    "goal": ["abcd1234\n", "AB", 5, "abcd"],
    "for": ["Sam", "sam\n", "sam"],
    "created_at": ["2026-11-23T10:00:00", "yesterday", "2026-11-23 10:00"],
    "updated_at": ["2026-11-23T10:00:00+00:00", "later", "2026-11-23"],
    "impact": ["ok", "\ud800x"],
}


@st.composite
def foreign_records(draw: st.DrawFn) -> dict[str, object]:
    """Records in the stored form of every kind (optional keys included), often changed a
    little: a value swapped for an odd one, a key dropped or added, the keys reordered."""
    kind = draw(st.sampled_from(["win", "help", "reflection", "thanks"]))
    about = kind in ("help", "thanks")
    entry = Entry(
        id=draw(st.sampled_from([new_id(), "abcd", "a-b_c9"])),
        kind=kind,
        date=draw(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))),
        text=draw(texts),
        created_at="2026-11-23T10:00:00+00:00",
        updated_at=draw(st.sampled_from(["2026-11-23T10:00:00+00:00", "2026-11-24T08:00:00"])),
        size=draw(st.sampled_from(["big", "small"])) if kind == "win" else None,
        impact=draw(optional_text),
        tags=tuple(draw(st.lists(st.from_regex(r"[a-z0-9][a-z0-9-]{0,5}", fullmatch=True)))),
        mentions=tuple(draw(st.lists(handles, max_size=2))),
        ally=draw(handles) if about else None,
        help_kind=draw(st.sampled_from(HELP_KINDS)) if about else None,
        level=draw(st.none() | st.sampled_from(LEVELS)) if kind == "help" else None,
        goal=draw(st.none() | st.just(new_id())) if kind == "help" else None,
        for_handle=draw(st.none() | handles) if kind == "thanks" else None,
    )
    record: dict[str, object] = entry.to_record()
    for _ in range(draw(st.sampled_from([1, 1, 1, 0, 2]))):
        change = draw(st.sampled_from(["value", "value", "value", "drop", "add", "reorder"]))
        keys = list(record)
        if change == "value":
            key = draw(st.sampled_from(keys))
            record[key] = draw(st.sampled_from(odd_values + near_misses.get(key, [])))
        elif change == "drop":
            record.pop(draw(st.sampled_from([k for k in keys if k != "created_at"])))
        elif change == "add":
            extra = ["size", "level", "goal", "for", "ally", "help_kind", "mentions", "other"]
            key = draw(st.sampled_from(extra))
            record[key] = draw(st.sampled_from(odd_values + near_misses.get(key, [])))
        else:
            record = dict(draw(st.permutations(list(record.items()))))
    return record


def through_entry(record: object) -> dict[str, object]:
    """The long way, which `checked_record` must agree with."""
    return check_entry(Entry.from_record(check_record(record))).to_record()


def outcome(check: Callable[[object], dict[str, object]], record: object) -> tuple[object, ...]:
    try:
        return ("stored", list(check(record).items()))
    except (KeyError, ValueError, TypeError, AttributeError) as error:
        return ("refused", type(error), str(error))


@settings(max_examples=1500)
@given(foreign_records())
def test_a_record_is_checked_and_stored_exactly_as_through_an_entry(
    record: dict[str, object],
) -> None:
    """`checked_record` skips the Entry for a record already in the stored form: it must store
    the same keys in the same order, and refuse the same records with the same words."""
    expected = outcome(through_entry, record)
    assert outcome(checked_record, record) == expected
    if expected[0] == "stored":
        stored = checked_record(record)
        assert record_people(stored) == Entry.from_record(stored).people
        if expected[1] == list(record.items()):  # already in the stored form
            assert stored is record  # so it took the quick path


def test_every_near_miss_of_every_field_is_refused_or_stored_as_through_an_entry() -> None:
    """Each field of a full record of each kind, given each odd value and each near miss of
    its own check (the property test above draws combinations; this covers every single)."""
    for kind in ("win", "help", "reflection", "thanks"):
        about = kind in ("help", "thanks")
        full = Entry(
            id=new_id(),
            kind=kind,
            date=date(2026, 11, 2),
            text="Paired on the release",
            created_at="2026-11-23T10:00:00+00:00",
            updated_at="2026-11-24T08:00:00+00:00",
            size="big" if kind == "win" else None,
            impact="A day saved",
            tags=("release",),
            mentions=("sam",),
            ally="maya" if about else None,
            help_kind="intro" if about else None,
            level="institutional" if kind == "help" else None,
            goal=new_id() if kind == "help" else None,
            for_handle="sam" if kind == "thanks" else None,
        ).to_record()
        assert checked_record(dict(full)) == full
        for key in full:
            for value in odd_values + near_misses.get(key, []):
                record = {**full, key: value}
                expected = outcome(through_entry, record)
                assert outcome(checked_record, record) == expected, (kind, key, value)
