"""The smaller things a person notices in daily use: counts that agree with the document, a
reflection on the day it was written, help received apart from help witnessed, a colleague
found by name, and an undo that says what it would revert next."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import Run


@pytest.fixture
def mixed(ally: Run) -> None:
    """Two wins, a help, a thanks and a reflection, all in the week of Mon 23 Nov 2026."""
    for args in (
        ["win", "Shipped the fix"],
        ["win", "Led the launch", "--big"],
        ["helped", "maya", "Reviewed her design doc"],
        ["thanks", "sam", "Covered my on-call shift"],
    ):
        assert ally(*args).exit_code == 0
    assert ally("review", "--reflect", input="Ask before helping.").exit_code == 0


@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["--no-allyship"], "Wrote 2 entries"),
        ([], "Wrote 3 entries"),
        (["--reflections"], "Wrote 4 entries"),
        (["--format", "json"], "Wrote 5 entries"),
    ],
    ids=["wins-only", "wins-and-help", "with-reflections", "json-holds-all"],
)
def test_wrote_n_entries_counts_what_the_document_shows(
    ally: Run, tmp_path: Path, mixed: None, args: list[str], written: str
) -> None:
    done = ally("export", *args, "-o", str(tmp_path / "out"))
    assert done.exit_code == 0, done
    assert written in done.stderr


def test_a_reflection_is_dated_the_day_it_was_written_and_stays_in_its_week(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALLYJOURNAL_TODAY", "2026-11-27")  # a Friday
    assert ally("win", "Shipped the fix").exit_code == 0
    assert ally("review", "--reflect", input="Friday thoughts").exit_code == 0
    assert ally("review", "last week", "--reflect", input="Looking back").exit_code == 0
    dates = {e["text"]: e["date"] for e in ally("list", "--json", "--kind", "reflection").json()}
    assert dates == {"Friday thoughts": "2026-11-27", "Looking back": "2026-11-22"}
    assert [e["text"] for e in ally("review", "--json").json()["reflections"]] == [
        "Friday thoughts"
    ]
    target = tmp_path / "review.md"
    assert ally("export", "--reflections", "-o", str(target)).exit_code == 0
    document = target.read_text()
    assert "### Week of Mon 23 Nov 2026" in document
    assert "### Week of Mon 16 Nov 2026" in document
    assert "Week of Fri" not in document and "Week of Sun" not in document


def test_allyship_you_saw_is_not_help_you_received(ally: Run) -> None:
    assert ally("thanks", "kofi", "Covered my shift").exit_code == 0
    assert ally("thanks", "ana", "Credited his idea in the demo", "--for", "sam").exit_code == 0
    review = ally("review", "--plain").stdout
    received, _, seen = review.partition("Allyship you saw:")
    assert "Who helped you:" in received and "@kofi: Covered my shift" in received
    assert "Credited his idea" not in received
    assert "@ana, for @sam: Credited his idea in the demo" in seen
    as_json = ally("review", "--json").json()
    assert [e["ally"] for e in as_json["thanks"]] == ["kofi"]
    assert [e["ally"] for e in as_json["witnessed"]] == ["ana"]
    agenda = ally("agenda", "ana", "--plain").stdout
    assert "Help you received" not in agenda
    assert "Allyship you saw them show:" in agenda and "for @sam: Credited his idea" in agenda


def test_a_colleague_is_found_by_their_name_and_by_a_former_handle(ally: Run) -> None:
    assert ally("people", "add", "maya", "--name", "Maya Patel").exit_code == 0
    done = ally("helped", "Maya Patel", "Reviewed her doc")
    assert done.exit_code == 0, done
    assert "for @maya" in done.stdout
    assert ally("helped", "maya  PATEL", "Paired on the fix").exit_code == 0
    assert "Agenda for @maya" in ally("agenda", "Maya Patel").stdout
    assert ally("people", "rename", "maya", "mpatel").exit_code == 0
    assert ally("helped", "maya", "After the rename").exit_code == 0
    helped = {e["ally"] for e in ally("list", "--json", "--kind", "help").json()}
    assert helped == {"mpatel"}
    handles = [p["handle"] for p in ally("people", "list", "--json", "--all").json()]
    assert handles == ["mpatel"]


def test_a_name_two_people_share_is_refused_naming_both(ally: Run) -> None:
    ally("people", "add", "maya", "--name", "Maya Patel")
    ally("people", "add", "mayap", "--name", "Maya Patel")
    done = ally("helped", "Maya Patel", "Reviewed her doc")
    assert done.exit_code == 2
    assert "@maya, @mayap" in done.stderr and done.stderr.count("\n") == 1
    assert ally("list", "--json").json() == []


def test_undo_says_what_it_would_revert_next_and_lists_them(ally: Run) -> None:
    ally("win", "First win")
    ally("people", "add", "maya")
    ally("win", "Second win")
    listed = ally("undo", "--list").stdout.splitlines()
    assert len(listed) == 3
    assert listed[0].startswith("  1") and "logged win" in listed[0]
    assert "added ally @maya" in listed[1]
    done = ally("undo")
    assert done.stdout.splitlines()[0].startswith("Undone: logged win")
    assert done.stdout.splitlines()[1].startswith("Next `ally undo` reverts: added ally @maya")
    ally("undo")
    assert "Nothing more to undo." in ally("undo").stdout
    assert ally("undo", "--list").stdout == "Nothing to undo.\n"
