"""Importing: our own exports, plain CSV, and jrnl's JSON export; bad rows import nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import Run, snapshot_bytes

FIXTURES = Path(__file__).parent / "fixtures"


def texts(ally: Run) -> list[str]:
    return [entry["text"] for entry in ally("list", "--json").json()]


def test_jrnl_export_moves_in_with_one_command(ally: Run) -> None:
    result = ally("import", str(FIXTURES / "jrnl-export.json"))
    assert result.exit_code == 0, result
    assert "Added 4 entries" in result.stdout
    entries = ally("list", "--json").json()
    assert [e["date"] for e in entries] == ["2026-09-20", "2026-07-01", "2026-05-14", "2026-03-02"]
    assert {e["kind"] for e in entries} == {"win"}
    billing = entries[-1]
    assert (
        billing["text"]
        == "Shipped the billing migration with @maya.\nZero downtime, #launch #infra"
    )
    assert billing["tags"] == ["launch", "infra"]
    assert billing["mentions"] == ["maya"]
    starred = entries[1]
    assert starred["size"] == "big"
    assert "Résumé review for @ana; مرحبا" in entries[0]["text"]
    people = ally("people", "--all").stdout
    assert "@maya" in people and "@sam.lee" in people and "@ana" in people


def test_importing_twice_adds_nothing(ally: Run) -> None:
    ally("import", str(FIXTURES / "jrnl-export.json"))
    again = ally("import", str(FIXTURES / "jrnl-export.json"), "--format", "jrnl")
    assert "Added 0 entries" in again.stdout
    assert "4 already" in again.stdout
    assert len(texts(ally)) == 4


def test_plain_csv_with_date_and_text(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "wins.csv"
    path.write_text(
        "Date,Text,Impact\n2026-01-05,Launched the beta #launch,users up\nNov 3 2026,Helped @kim ship,\n",
        encoding="utf-8",
    )
    result = ally("import", str(path))
    assert result.exit_code == 0, result
    entries = ally("list", "--json").json()
    assert [(e["date"], e["text"]) for e in entries] == [
        ("2026-11-03", "Helped @kim ship"),
        ("2026-01-05", "Launched the beta #launch"),
    ]
    assert entries[1]["impact"] == "users up"
    assert entries[1]["tags"] == ["launch"]


def test_a_bad_row_imports_nothing_and_is_named(ally: Run, home: Path, tmp_path: Path) -> None:
    ally("win", "Already here")
    path = tmp_path / "wins.csv"
    path.write_text(
        "date,text\n2026-01-05,Good row\n2026-13-45,Bad date\n2026-02-01,Another\n",
        encoding="utf-8",
    )
    before = snapshot_bytes(home)
    result = ally("import", str(path))
    assert result.exit_code == 2
    assert "line 3" in result.stderr and "'date'" in result.stderr and "2026-13-45" in result.stderr
    assert snapshot_bytes(home) == before


def test_skip_bad_reports_what_was_skipped(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "wins.csv"
    path.write_text(
        "date,text\n2026-01-05,Good row\n2026-13-45,Bad date\n2026-02-01,\n", encoding="utf-8"
    )
    result = ally("import", str(path), "--skip-bad")
    assert result.exit_code == 0, result
    assert "Skipped line 3" in result.stderr
    assert "Skipped line 4, field 'text'" in result.stderr
    assert texts(ally) == ["Good row"]


def test_dry_run_shows_and_writes_nothing(ally: Run, home: Path) -> None:
    result = ally("import", str(FIXTURES / "jrnl-export.json"), "--dry-run")
    assert result.exit_code == 0
    assert "Would add 4 entries" in result.stdout
    assert "Shipped the billing migration" in result.stdout
    assert not any(home.iterdir())  # nothing written in the journal folder


def test_json_with_a_bad_entry_names_it(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text(
        json.dumps(
            {
                "format": "allyjournal",
                "version": 1,
                "entries": [{"id": "x" * 32, "kind": "win", "date": "2026-02-30", "text": "t"}],
            }
        )
    )
    result = ally("import", str(path))
    assert result.exit_code == 2
    assert "entries[1]" in result.stderr


def test_unrecognised_file_exits_2(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "notes.json"
    path.write_text("[1, 2, 3]")
    result = ally("import", str(path))
    assert result.exit_code == 2
    assert "--format" in result.stderr


def record(number: int, day: str) -> dict[str, object]:
    """A win as the public export writes it, with id `number`."""
    return {"id": f"{number:032x}", "kind": "win", "date": day, "text": f"win {number}"}


def import_file(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"entries": entries, "people": [], "format": "allyjournal"}))
    return path


def imported_once(ally: Run, path: Path, *, added: int, known: int, total: int) -> None:
    """Import `path`: what it says it added and skipped, and each id once in the journal."""
    result = ally("import", str(path))
    assert result.exit_code == 0, result
    assert f"Added {added} entries" in result.stdout
    assert f"{known} already in the journal" in result.stdout
    listed = ally("list", "--json").json()
    assert len(listed) == total and len({entry["id"] for entry in listed}) == total
    assert "No problems found" in ally("doctor").stdout


@pytest.mark.parametrize("spill_every", [50_000, 2])
def test_a_large_import_spills_and_still_adds_each_entry_once(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill_every: int
) -> None:
    """The path of a million-entry import (scratch files, days staged one by one), on a few
    entries: ids already in the journal, and ids twice in the file, are added once."""
    from allyjournal.journal import journal as journal_module

    monkeypatch.setattr(journal_module, "SPILL_EVERY", spill_every)
    ally("win", "Already here", "--date", "2026-03-04")
    existing = ally("list", "--json").json()[0]

    entries = [record(n, f"2026-{n % 3 + 1:02d}-{n % 5 + 1:02d}") for n in range(1, 9)]
    entries += [record(3, "2026-07-07"), existing]  # a repeat on another day, a known one
    path = import_file(tmp_path / "large.json", entries)
    imported_once(ally, path, added=8, known=2, total=9)
    assert "Added 0 entries" in ally("import", str(path)).stdout
    assert ally("undo").exit_code == 0  # the second import added nothing: undo the first
    assert ally("list", "--json").json() == [existing]


@pytest.mark.parametrize("spill_every", [50_000, 2])
def test_an_import_into_an_empty_journal_still_adds_a_repeated_id_once(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill_every: int
) -> None:
    """Into a journal without entries the id look-up is skipped unless a filter says the id
    may have been seen in this import; a repeat, on another day or the same, is still one."""
    from allyjournal.journal import journal as journal_module

    monkeypatch.setattr(journal_module, "SPILL_EVERY", spill_every)

    entries = [record(n, f"2026-{n % 3 + 1:02d}-{n % 5 + 1:02d}") for n in range(1, 9)]
    entries += [record(3, "2026-07-07"), record(5, "2026-03-01"), record(6, "2026-01-02")]
    imported_once(ally, import_file(tmp_path / "fresh.json", entries), added=8, known=3, total=8)


def test_the_seen_ids_filter_never_forgets_an_id() -> None:
    from allyjournal.journal.journal import _SeenIds

    seen = _SeenIds()
    ids = [f"{n * 7919:032x}" for n in range(20_000)]
    assert sum(seen.add(entry_id) for entry_id in ids) < 200  # new ids: few false alarms
    assert all(seen.add(entry_id) for entry_id in ids)  # given before: always "maybe"
    others = [f"{n * 7919 + 1:032x}" for n in range(20_000)]
    assert sum(seen.add(entry_id) for entry_id in others) < 200


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


@given(
    elements=st.lists(JSON_VALUES, max_size=6),
    spaces=st.lists(st.sampled_from(["", " ", "\n  ", "\t", "\r\n"]), min_size=4, max_size=4),
    chunk=st.integers(min_value=1, max_value=9),
)
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_the_streamed_reader_reads_what_json_reads(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    elements: list[Any],
    spaces: list[str],
    chunk: int,
) -> None:
    """Whatever the whitespace between elements and wherever a chunk of the file ends, the
    streamed array's elements and the other values are json's own."""
    from allyjournal.formats import jsonstream

    monkeypatch.setattr(jsonstream, "CHUNK", chunk)
    a, b, c, d = spaces
    body = f",{b}".join(json.dumps(e) for e in elements)
    text = f'{{{a}"format":{a}"x",{c}"entries":{d}[{b}{body}{c}],{a}"people":{d}[1]{b}}}'
    path = tmp_path / f"stream-{abs(hash(text))}.json"
    path.write_text(text, encoding="utf-8")
    read = list(jsonstream.StreamedObject(path, "entries").items())
    expected = json.loads(text)
    assert [value for _, value, element in read if element] == expected["entries"]
    assert [(key, value) for key, value, element in read if not element] == [
        ("format", "x"),
        ("people", [1]),
    ]


def test_jrnl_entries_become_help_by_the_words_the_user_names(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "jrnl.json"
    path.write_text(
        json.dumps(
            {
                "entries": [
                    {
                        "date": "2026-11-04",
                        "time": "08:30",
                        "title": "Coffee with @sam",
                        "body": "",
                    },
                    {"date": "2026-11-05", "title": "Shipped the fix", "body": "@kofi reviewed it"},
                    {
                        "date": "2026-11-06",
                        "title": "Paired with @ana and @li",
                        "tags": ["#Mentor"],
                    },
                    {"date": "2026-11-07", "title": "Coffee alone, thinking"},
                ]
            }
        )
    )
    words = "COFFEE=conversation,mentor=mentoring"
    assert ally("import", str(path), "--help-words", words).exit_code == 0
    found = {e["text"].split()[0]: e for e in ally("list", "--json").json()}
    assert (found["Coffee"]["kind"], found["Coffee"]["help_kind"], found["Coffee"]["ally"]) == (
        "help",
        "conversation",
        "sam",
    )
    assert found["Paired"]["ally"] == "ana" and found["Paired"]["mentions"] == ["li"]
    assert found["Shipped"]["kind"] == "win"  # no word of help in it
    assert [e["kind"] for e in ally("list", "--json", "--grep", "alone").json()] == ["win"]
    assert ally("review", "2026-11-04", "--json").json()["allies_helped"] == 2
    again = ally("import", str(path), "--help-words", words)
    assert "Added 0 entries" in again.stdout


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--help-words", "coffee"], "is not WORD=KIND"),
        (["--help-words", "coffee=chat"], "Unknown kind of help 'chat'"),
        (["--format", "csv", "--help-words", "coffee=conversation"], "for jrnl exports"),
    ],
    ids=["no-kind", "unknown-kind", "not-jrnl"],
)
def test_a_bad_help_words_map_is_one_line_and_writes_nothing(
    ally: Run, home: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    path = tmp_path / "jrnl.json"
    path.write_text('{"entries": [{"date": "2026-11-04", "title": "Coffee with @sam"}]}')
    ally("win", "Before")
    before = snapshot_bytes(home)
    done = ally("import", str(path), *args)
    assert done.exit_code == 2 and said in done.stderr and done.stderr.count("\n") == 1
    assert snapshot_bytes(home) == before
