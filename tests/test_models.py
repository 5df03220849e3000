"""Entries and the text parsers behind #tags and @handles: round trips and properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allyjournal.core.models import Entry, Person, new_id, record_people
from allyjournal.core.text import is_valid_handle, mentions_in, tags_in, visible
from allyjournal.core.vocabulary import HELP_KINDS, LEVELS

handles = st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}[a-z0-9_]", fullmatch=True)
texts = st.text(min_size=1)
optional_text = st.none() | st.text()


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    kind = draw(st.sampled_from(["win", "help", "reflection", "thanks"]))
    about = kind in ("help", "thanks")
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
        ally=draw(handles) if about else None,
        help_kind=draw(st.sampled_from(HELP_KINDS)) if about else None,
        level=draw(st.none() | st.sampled_from(LEVELS)) if kind == "help" else None,
        for_handle=draw(st.none() | handles) if kind == "thanks" else None,
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


@given(entries())
def test_the_people_of_a_stored_record_are_those_of_its_entry(entry: Entry) -> None:
    """An import counts the people of each record without making it an Entry."""
    assert record_people(entry.to_record()) == entry.people
