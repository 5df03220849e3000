"""Allies: adding, showing, editing, renaming and archiving; settings."""

from __future__ import annotations

from helpers import Run


def test_add_show_and_edit_an_ally(ally: Run) -> None:
    result = ally(
        "people", "add", "maya", "--name", "Maya Patel", "--role", "SRE", "--goals", "staff by 2027"
    )
    assert result.exit_code == 0, result
    assert ally("people", "edit", "maya", "--relationship", "peer").exit_code == 0
    shown = ally("people", "show", "maya").stdout
    assert "Maya Patel" in shown
    assert "staff by 2027" in shown
    assert "peer" in shown


def test_adding_an_existing_ally_is_refused(ally: Run) -> None:
    ally("people", "add", "maya")
    result = ally("people", "add", "Maya")
    assert result.exit_code == 2
    assert "already" in result.stderr


def test_people_list_piped_is_one_tab_separated_line_per_ally(ally: Run) -> None:
    ally("helped", "maya", "Chat", "--date", "2026-10-01")
    ally("people", "add", "sam", "--name", "Sam Lee")
    listed = ally("people").stdout.splitlines()
    assert listed == [
        "@maya\t\t\t\t2026-10-01\tactive",
        "@sam\tSam Lee\t\t\tnever\tactive",
    ]


def test_rename_moves_entries_and_mentions(ally: Run) -> None:
    ally("helped", "maya", "Chat")
    ally("people", "add", "sam")
    ally("win", "Paired with @maya, then @sam")
    result = ally("people", "rename", "maya", "maya.p")
    assert result.exit_code == 0, result
    assert "2 entries" in result.stdout
    entries = ally("list", "--json").json()
    assert {e.get("ally") for e in entries} == {None, "maya.p"}
    assert entries[0]["text"] == "Paired with @maya.p, then @sam"
    assert [e["text"] for e in ally("list", "--json", "--ally", "maya.p").json()] == [
        "Paired with @maya.p, then @sam",
        "Chat",
    ]


def test_rename_follows_the_one_helped_and_the_old_handle_still_finds_them(ally: Run) -> None:
    ally("helped", "maya", "Chat")
    ally("people", "add", "sam")
    assert ally("thanks", "sam", "Covered her on-call", "--for", "maya").exit_code == 0
    assert ally("people", "rename", "maya", "maya.p").exit_code == 0
    entries = ally("list", "--json").json()
    thanked = next(e for e in entries if e["text"] == "Covered her on-call")
    assert thanked["ally"] == "sam" and thanked.get("for") == "maya.p", thanked
    assert "@maya.p" in ally("people", "show", "maya").stdout


def test_archive_hides_an_ally_from_the_list(ally: Run) -> None:
    ally("people", "add", "maya")
    assert ally("people", "archive", "maya").exit_code == 0
    assert "@maya" not in ally("people").stdout
    assert "@maya" in ally("people", "list", "--archived").stdout
    ally("people", "archive", "maya", "--undo")
    assert "@maya" in ally("people").stdout


def test_unknown_ally_offers_a_close_match(ally: Run) -> None:
    ally("people", "add", "maya")
    result = ally("people", "show", "maja")
    assert result.exit_code == 2
    assert "did you mean @maya" in result.stderr


def test_config_sets_and_validates(ally: Run) -> None:
    assert ally("config", "goal").stdout.strip() == "3"
    assert ally("config", "goal", "4").exit_code == 0
    assert ally("config", "goal").stdout.strip() == "4"
    assert ally("config", "week-start", "sun").stdout.strip() == "week-start = sunday"
    bad = ally("config", "goal", "lots")
    assert bad.exit_code == 2
    assert "lots" in bad.stderr
    unknown = ally("config", "gaol", "3")
    assert unknown.exit_code == 2
    assert "goal" in unknown.stderr
    assert ally("config", "goal", "--unset").exit_code == 0
    assert ally("config", "goal").stdout.strip() == "3"
