"""CSV as people write it: a spreadsheet's own headers (`--map`), semicolons, any case, every
bad row named in one pass, future rows only with --future, and a long text round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run, snapshot_bytes


def texts(ally: Run) -> list[str]:
    return sorted(entry["text"] for entry in ally("list", "--json").json())


def test_a_spreadsheets_headers_are_read_through_map(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "wins.csv"
    path.write_text(
        "When,Accomplishment,Why it mattered\n2026-11-02,  Cut CI to 12 minutes  ,30 h a week\n"
    )
    refused = ally("import", str(path))
    assert refused.exit_code == 2 and "--map" in refused.stderr, refused.stderr
    result = ally(
        "import", str(path), "--map", "When=date, Accomplishment=text,Why it mattered=impact"
    )
    assert result.exit_code == 0, result.stderr
    (entry,) = ally("list", "--json").json()
    assert (entry["text"], entry["impact"]) == ("Cut CI to 12 minutes", "30 h a week")


@pytest.mark.parametrize(
    "value, says",
    [
        ("Accomplishment", "HEADER=COLUMN"),
        ("Accomplishment=story", "HEADER=COLUMN"),
        ("=text", "HEADER=COLUMN"),
        ("Nothing=text", "'nothing'"),
    ],
)
def test_a_bad_map_is_one_line_and_writes_nothing(
    ally: Run, home: Path, tmp_path: Path, value: str, says: str
) -> None:
    ally("win", "Already here")
    path = tmp_path / "wins.csv"
    path.write_text("Date,Accomplishment\n2026-11-02,Shipped\n")
    before = snapshot_bytes(home)
    result = ally("import", str(path), "--map", value)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ally: ") and says in lines[0], result.stderr
    assert snapshot_bytes(home) == before


def test_semicolons_any_case_and_semicolon_tags(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "wins.csv"
    path.write_text(
        "Date;Text;Kind;Size\n2026-11-02;Shipped the beta, at last;WIN;BIG\n"
        "2026-11-03;Paired with Lee;Win;small\n"
    )
    result = ally("import", str(path))
    assert result.exit_code == 0, result.stderr
    entries = {e["text"]: e for e in ally("list", "--json").json()}
    assert entries["Shipped the beta, at last"]["size"] == "big"
    tagged = tmp_path / "tagged.csv"
    tagged.write_text("date,text,tags\n2026-11-04,Ran the retro,#pairing;mentoring\n")
    assert ally("import", str(tagged)).exit_code == 0
    entries = {e["text"]: e for e in ally("list", "--json").json()}
    assert entries["Ran the retro"]["tags"] == ["pairing", "mentoring"]


def test_every_bad_row_is_named_in_one_line_with_did_you_mean(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    ally("win", "Already here")
    path = tmp_path / "wins.csv"
    path.write_text(
        "date,text,kind\n2026-11-02,Good,win\n2026-13-45,Bad date,win\n"
        "2026-11-03,Bad kind,wni\n2026-11-04,,win\n"
    )
    before = snapshot_bytes(home)
    result = ally("import", str(path))
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "3 rows cannot be read" in lines[0], result.stderr
    for named in ("line 3, field 'date'", "line 4, field 'kind'", "did you mean 'win'", "line 5"):
        assert named in lines[0], lines[0]
    assert snapshot_bytes(home) == before
    skipped = ally("import", str(path), "--skip-bad")
    assert skipped.exit_code == 0 and skipped.stderr.count("Skipped line") == 3
    assert texts(ally) == ["Already here", "Good"]


def test_skip_bad_names_the_field_the_check_refused(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "wins.csv"
    path.write_text("date,text,tags\n2026-11-02,Fine,ok b@d\n")
    result = ally("import", str(path), "--skip-bad")
    assert "field 'tags'" in result.stderr, result.stderr  # it said 'id'
    assert "b@d" in result.stderr


def test_rows_after_today_need_future(ally: Run, tmp_path: Path) -> None:
    path = tmp_path / "wins.csv"
    path.write_text("date,text\n2026-11-02,Done\n2027-01-10,Planned talk\n")
    refused = ally("import", str(path))
    assert refused.exit_code == 2 and "--future" in refused.stderr, refused.stderr
    assert ally("import", str(path), "--future").exit_code == 0
    assert texts(ally) == ["Done", "Planned talk"]


def test_a_megabyte_of_text_survives_the_csv_round_trip(ally: Run, tmp_path: Path) -> None:
    long = "word " * 200_000  # a million characters: over the csv module's default cell limit
    path = tmp_path / "long.csv"
    path.write_text(f"date,text\n2026-11-02,{long.strip()}\n")
    result = ally("import", str(path))
    assert result.exit_code == 0, result.stderr[:300]
    out = tmp_path / "export.csv"
    assert ally("export", "--format", "csv", "-o", str(out)).exit_code == 0
    again = ally("import", str(out))
    assert again.exit_code == 0 and "1 already in the journal" in again.stdout, again.stderr[:300]


@pytest.mark.parametrize("file_format", ["json", "csv"])
def test_ten_thousand_people_and_mentions_come_back_from_an_export(
    ally: Run, tmp_path: Path, file_format: str
) -> None:
    """At the sizes the journal accepts, its own exports import back as they were."""
    import json

    handles = [f"p{number}" for number in range(10_000)]
    crowd = " ".join(f"@{handle}" for handle in handles)
    entries = [
        {
            "id": f"{number:032x}",
            "date": "2026-11-02",
            "kind": "win",
            "size": "small",
            "text": text,
            "mentions": handles if number == 0 else [],
            "created_at": "2026-11-02T09:00:00+00:00",
        }
        for number, text in enumerate([f"Thanked everyone: {crowd}", "Wrote it all down " * 60_000])
    ]
    seed = tmp_path / "seed.json"
    people = [{"handle": handle} for handle in handles]
    seed.write_text(
        json.dumps({"format": "allyjournal", "version": 1, "entries": entries, "people": people})
    )
    assert ally("import", str(seed)).exit_code == 0
    exported = tmp_path / f"out.{file_format}"
    done = ally("export", "--format", file_format, "--from", "2026-01-01", "-o", str(exported))
    assert done.exit_code == 0, done

    other = tmp_path / "other"
    assert ally("--home", str(other), "import", str(exported)).exit_code == 0, exported
    here = {e["id"]: e for e in ally("list", "--json", "-n", "0").json()}
    there = {e["id"]: e for e in ally("--home", str(other), "list", "--json", "-n", "0").json()}
    assert there == here
    assert len(here["0" * 32]["mentions"]) == 10_000
    assert len(here[f"{1:032x}"]["text"]) > 1_000_000
    if file_format == "json":
        assert len(ally("--home", str(other), "people", "list", "--json", "--all").json()) == 10_000


def test_every_route_in_stores_one_form_of_time(ally: Run, tmp_path: Path) -> None:
    """A typed entry, a CSV row, a jrnl entry and a JSON export's `Z` and `+02:00` times are
    all stored as the journal writes its own: UTC, to the second, `+00:00`."""
    import json
    import re

    (tmp_path / "w.csv").write_text("date,text\n2026-11-03,From a spreadsheet\n")
    (tmp_path / "j.json").write_text(
        json.dumps(
            {
                "format": "allyjournal",
                "version": 1,
                "entries": [
                    {
                        "id": f"{n:032x}",
                        "date": "2026-11-02",
                        "kind": "win",
                        "size": "small",
                        "text": f"From an export {n}",
                        "created_at": stamp,
                        "updated_at": stamp,
                    }
                    for n, stamp in enumerate(
                        ["2026-11-02T09:00:00Z", "2026-11-02T11:00:00.123456+02:00"]
                    )
                ],
            }
        )
    )
    (tmp_path / "jrnl.json").write_text(
        json.dumps(
            {"entries": [{"date": "2026-11-04", "time": "08:30", "title": "From jrnl", "body": ""}]}
        )
    )
    ally("win", "Typed")
    for name in ("w.csv", "j.json", "jrnl.json"):
        assert ally("import", str(tmp_path / name)).exit_code == 0, name
    entries = ally("list", "--json").json()
    assert len(entries) == 5
    one_form = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$")
    for entry in entries:
        assert one_form.match(entry["created_at"]), entry
        assert one_form.match(entry["updated_at"]), entry
    stamps = {e["text"]: e["created_at"] for e in entries}
    assert stamps["From an export 0"] == "2026-11-02T09:00:00+00:00"
    assert stamps["From an export 1"] == "2026-11-02T09:00:00+00:00"  # the same moment
    assert stamps["From jrnl"] == "2026-11-04T08:30:00+00:00"
    # Importing the same files again adds nothing: ids are kept whatever the time's form.
    for name in ("w.csv", "j.json", "jrnl.json"):
        assert "Added 0 entries" in ally("import", str(tmp_path / name)).stdout
