"""The journal's JSON writer: orjson where it agrees with the standard library byte for byte,
the standard library (and its refusals) everywhere else; and how a damaged file is read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allyjournal.core.errors import BadInput, UnreadableJournal
from allyjournal.core.text import json_safe
from allyjournal.formats import json as json_format
from allyjournal.journal import files

from helpers import Run

# What journal files hold: text of any Unicode (control characters included), whole numbers,
# booleans, null, lists and objects with text keys. No floats: the journal stores none.
text = st.text(st.characters(codec="utf-8"), max_size=40)
scalars = st.none() | st.booleans() | st.integers(-(2**63), 2**64 - 1) | text
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(text, inner, max_size=5),
    max_leaves=30,
)


def stdlib_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@settings(max_examples=400)
@given(values)
def test_a_file_is_written_byte_for_byte_as_the_standard_library_writes_it(value: Any) -> None:
    written = files.dump_json(value)
    assert written == stdlib_bytes(value)
    assert json.loads(written) == value


@settings(max_examples=300)
@given(values)
def test_json_for_people_is_indented_as_the_standard_library_indents_it(value: Any) -> None:
    # The standard library's text, with what a terminal would obey written as \u escapes.
    assert json_format.dumps(value) == json_safe(json.dumps(value, ensure_ascii=False, indent=2))


def test_what_orjson_refuses_is_written_as_the_standard_library_writes_it() -> None:
    beyond_64_bits = {"n": 2**70, "m": -(2**70)}
    assert files.dump_json(beyond_64_bits) == stdlib_bytes(beyond_64_bits)
    number_keys = {1: "one", "2": [True, None]}
    assert files.dump_json(number_keys) == b'{"1":"one","2":[true,null]}'
    for value in (beyond_64_bits, number_keys, {"text": "half a pair \udc80"}):
        assert json_format.dumps(value) == json_safe(
            json.dumps(value, ensure_ascii=False, indent=2)
        )


def test_what_the_standard_library_cannot_write_is_still_refused() -> None:
    @dataclass
    class Thing:
        name: str

    for value in ({"thing": Thing("x")}, {"day": date(2026, 11, 23)}):
        with pytest.raises(TypeError):
            files.dump_json(value)
        with pytest.raises(TypeError):
            json_format.dumps(value)
    with pytest.raises(BadInput, match="not valid UTF-8"):
        files.dump_json({"text": "half a pair \udc80"})


@pytest.mark.parametrize("raw", [b"", b"{", b'{"a": 1,}', b"\xff\xfe{", b"[" * 100_000])
def test_a_damaged_file_is_named_and_left_alone(tmp_path: Path, raw: bytes) -> None:
    damaged = tmp_path / "2026-11-23.json"
    damaged.write_bytes(raw)
    with pytest.raises(UnreadableJournal, match=r"2026-11-23\.json is damaged"):
        files.read_json(damaged)
    assert damaged.read_bytes() == raw


def test_a_change_writes_back_a_hand_edited_number_exactly(
    ally: Run, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Commands that only show entries may parse with orjson (which reads a number beyond 64
    bits as a float); a change reads with the standard library, so what it writes back of a
    field it does not know is what was there."""
    monkeypatch.setattr(files, "QUICK_FROM", 0)  # orjson for every quick read, however small
    assert ally("win", "First", "--date", "2026-11-20").exit_code == 0
    day = home / "entries" / "2026-11-20.json"
    content = json.loads(day.read_bytes())
    content["entries"]["1"]["counter"] = 2**70
    day.write_bytes(files.dump_json(content))
    assert "First" in ally("list").stdout  # shown, through the quick reader
    assert ally("win", "Second", "--date", "2026-11-20").exit_code == 0  # rewrites the day
    kept = json.loads(day.read_bytes())["entries"]["1"]
    assert kept["counter"] == 2**70 and isinstance(kept["counter"], int)
