"""The door for files from outside (journal/door.py), fed anything JSON can hold.

Whatever a remote's file holds, looking at it never raises: it is either whole (and then every
record in it is one every command can read) or it comes back with its problems named and the
bad records left out. The end-to-end refusals are in test_remote_doors.py.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from allyjournal.core.checks import checked_record
from allyjournal.journal import door

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "id": st.sampled_from(["abcd1234", "ABCD", "../x", "\x1b[31m", ""]) | JSON,
        "kind": st.sampled_from(["win", "help", "thanks", "reflection", "hack"]) | JSON,
        "date": st.sampled_from(["2026-11-23", "2026-11-20", "2026-02-30", "../../x"]) | JSON,
        "text": st.text(max_size=20) | JSON,
        "size": st.sampled_from(["big", "small", "huge"]),
        "ally": st.sampled_from(["maya", "[red]", ""]) | JSON,
        "help_kind": st.sampled_from(["advice", "intro", "nope"]),
        "tags": st.lists(st.text(max_size=6), max_size=3) | JSON,
        "created_at": st.sampled_from(["2026-11-23T09:00:00+00:00", "yesterday"]),
    },
)
DAY = "entries/2026-11-23.json"


def day_file(records: list[Any]) -> dict[str, Any]:
    return {"entries": {str(n): record for n, record in enumerate(records, 1)}}


@settings(max_examples=300, deadline=None)
@given(content=JSON)
def test_any_json_is_looked_at_without_an_error(content: Any) -> None:
    for path in (DAY, "people.json", "goals.json", "promises.json", "merged-away.json"):
        found = door.examine(path, content)
        assert found.whole or found.problems


@settings(max_examples=400, deadline=None)
@given(records=st.lists(FIELDS | JSON, max_size=5))
def test_what_the_door_keeps_of_a_day_every_command_can_read(records: list[Any]) -> None:
    found = door.examine(DAY, day_file(records))
    kept = found.content["entries"].values() if found.content is not None else []
    for record in kept:
        checked = checked_record(record)
        assert checked["date"] == "2026-11-23"
    assert len(found.keys) == len(set(found.keys)) == len(list(kept))
    assert found.whole == (len(found.problems) == 0)


@settings(max_examples=100, deadline=None)
@given(records=st.lists(FIELDS, min_size=1, max_size=4))
def test_a_record_the_journal_already_holds_unchanged_is_not_judged_again(
    records: list[Any],
) -> None:
    content = day_file(records)
    looked = door.examine(DAY, content, known=content)
    assert looked.whole or any("twice" in problem for problem in looked.problems)
