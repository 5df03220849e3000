"""Allies as relationships: who is an ally (and who only a contact), and the review's nudges
about them. The clock is fixed at Mon 23 Nov 2026 (helpers.TODAY)."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import Run


def nudges(ally: Run, *args: str) -> list[str]:
    result = ally("review", *args, "--json")
    assert result.exit_code == 0, result
    return [nudge["message"] for nudge in result.json()["nudges"]]


def people(ally: Run, *args: str) -> dict[str, dict[str, object]]:
    return {p["handle"]: p for p in ally("people", *args, "--json").json()}


def test_someone_only_mentioned_is_a_contact_and_never_nagged_about(ally: Run) -> None:
    logged = ally("win", "Demoed the dashboard to @vp-eng and @cto")
    assert logged.exit_code == 0, logged
    assert people(ally) == {}
    everyone = people(ally, "--all")
    assert sorted(everyone) == ["cto", "vp-eng"]
    assert everyone["cto"]["ally_since"] is None
    assert not any("@cto" in message for message in nudges(ally))
    piped = ally("people", "list", "--all").stdout.splitlines()
    assert [line.split("\t")[-1] for line in piped] == ["contact", "contact"]
    assert "contact" in ally("people", "show", "cto").stdout


def test_help_makes_a_contact_an_ally_from_the_day_of_the_help(ally: Run) -> None:
    ally("win", "Paired with @kofi on the migration", "--date", "2026-11-02")
    ally("helped", "kofi", "Introduced Kofi to the data team", "--date", "2026-11-10")
    assert people(ally)["kofi"]["ally_since"] == "2026-11-10"
    # Help logged later for an earlier day moves the start back, never forward.
    ally("helped", "kofi", "Reviewed the plan", "--date", "2026-11-05", "--kind", "feedback")
    assert people(ally)["kofi"]["ally_since"] == "2026-11-05"
    ally("helped", "kofi", "Checked in", "--kind", "check-in")
    assert people(ally)["kofi"]["ally_since"] == "2026-11-05"
    assert ally("undo").exit_code == 0 and ally("undo").exit_code == 0
    assert people(ally)["kofi"]["ally_since"] == "2026-11-10"


def test_people_add_makes_a_contact_an_ally_and_keeps_their_entries(ally: Run) -> None:
    ally("win", "Demoed it to @cto")
    added = ally("people", "add", "cto", "--name", "Ada Lovelace")
    assert added.exit_code == 0, added
    person = people(ally)["cto"]
    assert (person["ally_since"], person["name"]) == ("2026-11-23", "Ada Lovelace")
    assert "You have not logged any help for @cto yet." in nudges(ally)
    assert ally("list", "--ally", "cto", "--json").json()[0]["text"] == "Demoed it to @cto"
    refused = ally("people", "add", "cto")
    assert refused.exit_code == 2 and "already an ally" in refused.stderr


def test_a_review_of_a_past_week_nudges_only_about_that_weeks_allies(ally: Run) -> None:
    ally("helped", "maya", "Asked about her goals", "--date", "2026-10-06")
    ally("people", "add", "sam")  # an ally from today, 23 Nov
    past = nudges(ally, "2026-10-14")
    assert not any("@sam" in message for message in past), past
    assert "You have not logged any help for @sam yet." in nudges(ally)


def test_a_schema_2_journal_tells_its_allies_from_its_contacts(ally: Run, home: Path) -> None:
    """Before schema 3 everyone named was an ally. The upgrade keeps as allies the people you
    helped (from the first help) and those you typed details for; the rest become contacts."""
    ally("helped", "maya", "Asked about her goals", "--date", "2026-10-06")
    ally("win", "Demo for @cto and @li")
    ally("people", "edit", "li", "--role", "EM")
    records = json.loads((home / "people.json").read_text())
    for record in records["people"].values():
        del record["ally_since"]
        record["created_at"] = "2026-11-01T09:00:00+00:00"
    (home / "people.json").write_text(json.dumps(records))
    meta = json.loads((home / "allyjournal.json").read_text())
    (home / "allyjournal.json").write_text(json.dumps({**meta, "schema": 2}))

    everyone = people(ally, "--all")
    assert json.loads((home / "allyjournal.json").read_text())["schema"] == 3
    assert {h: p["ally_since"] for h, p in everyone.items()} == {
        "cto": None,
        "li": "2026-11-01",
        "maya": "2026-10-06",
    }
    assert list(home.glob("backups/*/people.json")), "no backup before the upgrade"
    assert not any("@cto" in message for message in nudges(ally))
    assert "No problems found" in ally("doctor").stdout
