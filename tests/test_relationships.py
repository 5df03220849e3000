"""Allies as relationships: who is an ally (and who only a contact), and the review's nudges
about them. The clock is fixed at Mon 23 Nov 2026 (helpers.TODAY)."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allyjournal.journal.layout import SCHEMA_VERSION

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
    assert "New contact @cto (mentioned, not helped); `ally people add cto` makes them" in (
        logged.stdout
    )
    assert "New ally" not in logged.stdout
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
        if record["handle"] == "maya":
            record["career_goals"] = "Staff engineer by 2027"
    (home / "people.json").write_text(json.dumps(records))
    meta = json.loads((home / "allyjournal.json").read_text())
    (home / "allyjournal.json").write_text(json.dumps({**meta, "schema": 2}))

    everyone = people(ally, "--all")
    assert json.loads((home / "allyjournal.json").read_text())["schema"] == SCHEMA_VERSION
    assert {h: p["ally_since"] for h, p in everyone.items()} == {
        "cto": None,
        "li": "2026-11-01",
        "maya": "2026-10-06",
    }
    assert list(home.glob("backups/*/people.json")), "no backup before the upgrade"
    (goal,) = goals(ally)
    assert (goal["text"], goal["people"], goal["mutual"]) == (
        "Staff engineer by 2027",
        ["maya"],
        False,
    )
    assert "career_goals" not in people(ally)["maya"] or not people(ally)["maya"]["career_goals"]
    assert not any("@cto" in message for message in nudges(ally))
    assert "No problems found" in ally("doctor").stdout


def goals(ally: Run, *args: str) -> list[dict[str, object]]:
    result = ally("goal", "list", *args, "--json")
    assert result.exit_code == 0, result
    return list(result.json())


def test_a_goal_from_set_to_done_with_the_help_that_served_it(ally: Run) -> None:
    ally("people", "add", "maya")
    ally("people", "add", "sam")
    set_ = ally("goal", "add", "maya", "Staff engineer by 2027")
    assert set_.exit_code == 0, set_
    assert set_.stdout.startswith("Set goal ") and "with @maya" in set_.stdout
    ally("goal", "add", "sam", "Ship billing", "--short", "--due", "2027-03-31", "--with", "maya")
    listed = goals(ally)
    assert [g["text"] for g in listed] == ["Ship billing", "Staff engineer by 2027"]  # due first
    shared, career = listed
    assert (shared["people"], shared["mutual"], shared["horizon"]) == (
        ["sam", "maya"],
        True,
        "short",
    )
    assert (career["people"], career["mutual"], career["horizon"]) == (["maya"], False, "long")
    assert [g["text"] for g in goals(ally, "sam")] == ["Ship billing"]

    short = str(career["short_id"])
    served = ally("helped", "maya", "Reviewed her promo doc", "--kind", "feedback", "--goal", short)
    assert served.exit_code == 0, served
    assert ally("list", "--json", "-n", "1").json()[0]["goal"] == career["id"]
    assert ally("goal", "done", short).exit_code == 0
    assert [g["text"] for g in goals(ally)] == ["Ship billing"]
    done = next(g for g in goals(ally, "--all") if g["id"] == career["id"])
    assert (done["status"], done["closed_on"]) == ("done", "2026-11-23")
    assert ally("undo").exit_code == 0
    assert len(goals(ally)) == 2
    assert ally("goal", "drop", short).exit_code == 0
    reopened = ally("goal", "edit", short, "--reopen", "--due", "2027-01-15")
    assert reopened.exit_code == 0, reopened
    again = next(g for g in goals(ally) if g["id"] == career["id"])
    assert (again["status"], again["due"]) == ("open", "2027-01-15")


def test_renaming_an_ally_renames_them_in_their_goals(ally: Run) -> None:
    ally("people", "add", "maya")
    ally("goal", "add", "maya", "Staff engineer")
    assert ally("people", "rename", "maya", "maya.p").exit_code == 0
    assert goals(ally)[0]["people"] == ["maya.p"]


def test_bad_goal_input_says_one_line_and_writes_nothing(ally: Run, home: Path) -> None:
    from helpers import snapshot_bytes

    ally("people", "add", "maya")
    ally("people", "add", "sam")
    ally("goal", "add", "maya", "Staff engineer")
    short = str(goals(ally)[0]["short_id"])
    before = snapshot_bytes(home)
    for args, says in [
        (["goal", "add", "mayy", "Lead"], "did you mean @maya?"),
        (["goal", "add", "maya", "Lead", "--due", "someday"], "someday"),
        (["goal", "add", "maya", " "], "needs its text"),
        (["goal", "done", "zzzz9"], "No goal zzzz9"),
        (["goal", "done", "ab"], "too short"),
        (["goal", "edit", short], "Nothing to change"),
        (["helped", "sam", "Helped", "--goal", short], "is with @maya, not @sam"),
        (["helped", "maya", "Helped", "--goal", "ffff0"], "No goal ffff0"),
    ]:
        result = ally(*args)
        assert result.exit_code == 2, (args, result)
        assert result.stderr.count("\n") == 1 and says in result.stderr, (args, result.stderr)
        assert snapshot_bytes(home) == before, args


PROMISE = {
    "id": "d" * 32,
    "handle": "sam",
    "text": "Pair on the flaky test",
    "by": "2026-12-01",
    "goal": None,
    "status": "kept",
    "kept_by": "e" * 32,
    "closed_on": "2026-11-20",
    "created_at": "2026-11-01T09:00:00+00:00",
    "updated_at": "2026-11-20T09:00:00+00:00",
}
GOAL_RECORDS = st.lists(
    st.fixed_dictionaries(
        {
            "id": st.text(alphabet="0123456789abcdef", min_size=32, max_size=32),
            "text": st.text(min_size=1, max_size=40).filter(lambda t: t.strip()),
            "people": st.lists(
                st.sampled_from(["maya", "sam", "李娜"]), min_size=1, max_size=3, unique=True
            ),
            "mutual": st.booleans(),
            "horizon": st.sampled_from(["short", "long"]),
            "due": st.one_of(st.none(), st.dates().map(lambda d: d.isoformat())),
            "status": st.sampled_from(["open", "done", "dropped"]),
            "created_at": st.just("2026-11-01T09:00:00+00:00"),
            "updated_at": st.just("2026-11-02T09:00:00+00:00"),
        }
    ),
    max_size=5,
    unique_by=lambda record: record["id"],
)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(records=GOAL_RECORDS)
def test_goals_come_back_from_a_json_export_exactly_and_once(
    ally: Run, tmp_path_factory: pytest.TempPathFactory, records: list[dict[str, object]]
) -> None:
    import os

    folder = tmp_path_factory.mktemp("round")
    people = [{"handle": h, "ally_since": "2026-11-01"} for h in ["maya", "sam", "李娜"]]
    source = folder / "in.json"
    source.write_text(
        json.dumps(
            {
                "format": "allyjournal",
                "version": 1,
                "entries": [],
                "people": people,
                "goals": [{**r, "closed_on": None} for r in records],
                "promises": [PROMISE],
            }
        ),
        encoding="utf-8",
    )
    first, second = folder / "a", folder / "b"
    for home in (first, second):
        home.mkdir(mode=0o700)
    os.environ["ALLYJOURNAL_HOME"] = str(first)
    assert ally("import", str(source)).exit_code == 0
    exported = folder / "out.json"
    assert ally("export", "--format", "json", "-o", str(exported)).exit_code == 0
    os.environ["ALLYJOURNAL_HOME"] = str(second)
    assert ally("import", str(exported)).exit_code == 0
    again = ally("import", str(exported))
    assert "goals" not in again.stdout  # nothing new the second time
    back = {g["id"]: {k: v for k, v in g.items() if k != "short_id"} for g in goals(ally, "--all")}
    (promise,) = promises(ally, "--all")
    assert {k: v for k, v in promise.items() if k not in ("short_id", "overdue_days")} == PROMISE
    assert back == {r["id"]: {**r, "closed_on": None} for r in records}


@pytest.mark.parametrize(
    ("name", "commands"),
    [
        ("goals.json", [["goal", "list"], ["goal", "add", "maya", "Lead"]]),
        ("promises.json", [["promise", "list"], ["promise", "maya", "Intro"], ["review"]]),
    ],
)
def test_a_damaged_goals_or_promises_file_is_named_never_overwritten(
    ally: Run, home: Path, name: str, commands: list[list[str]]
) -> None:
    ally("people", "add", "maya")
    ally("goal", "add", "maya", "Staff engineer")
    ally("promise", "maya", "Intro to the VP")
    (home / name).write_text('{"x": {"1": {"id": ')
    damaged = (home / name).read_bytes()
    for args in commands:
        result = ally(*args)
        assert result.exit_code != 0 and name in result.stderr, result
        assert result.stderr.count("\n") == 1
    assert (home / name).read_bytes() == damaged
    assert name in ally("doctor").stdout


def test_career_goals_typed_with_people_add_become_a_goal(ally: Run) -> None:
    ally("people", "add", "maya", "--goals", "Staff engineer by 2027")
    ally("people", "edit", "maya", "--goals", "Speak at a conference")
    assert [g["text"] for g in goals(ally)] == ["Staff engineer by 2027", "Speak at a conference"]
    shown = ally("people", "show", "maya").stdout
    assert "goal: Staff engineer by 2027 (theirs, long-term;" in shown
    assert ally("undo").exit_code == 0
    assert [g["text"] for g in goals(ally)] == ["Staff engineer by 2027"]


def check_in_nudges(ally: Run, *args: str) -> list[str]:
    return [m for m in nudges(ally, *args) if m.startswith("Check in with")]


def test_an_overdue_check_in_is_nudged_longest_overdue_first(ally: Run) -> None:
    ally("helped", "maya", "Coffee chat", "--date", "2026-11-02")
    ally("helped", "sam", "1:1", "--date", "2026-10-20")
    assert ally("people", "edit", "maya", "--check-in", "every 2 weeks").exit_code == 0
    assert ally("people", "edit", "sam", "--check-in", "Monthly").exit_code == 0
    assert people(ally)["sam"]["check_in"] == "monthly"
    assert check_in_nudges(ally) == [
        "Check in with @maya (every 2 weeks): last help Mon 2 Nov 2026, 7 days overdue.",
        "Check in with @sam (monthly): last help Tue 20 Oct 2026, 3 days overdue.",
    ]
    # Any help resets the clock; `none` stops the reminders.
    ally("helped", "maya", "Reviewed her doc", "--kind", "feedback")
    assert [m[:19] for m in check_in_nudges(ally)] == ["Check in with @sam "]
    ally("people", "edit", "sam", "--check-in", "none")
    assert check_in_nudges(ally) == []
    assert "check_in" not in people(ally)["sam"] or people(ally)["sam"]["check_in"] is None


def test_a_monthly_check_in_counts_calendar_months_across_month_ends(ally: Run) -> None:
    ally("helped", "li", "Checked in", "--kind", "check-in", "--date", "2026-08-31")
    ally("people", "edit", "li", "--check-in", "monthly")
    # due 30 Sep (no 31st); the week of Mon 5 Oct, reviewed as of its Sunday, 11 Oct
    assert check_in_nudges(ally, "2026-10-07") == [
        "Check in with @li (monthly): last help Mon 31 Aug 2026, 11 days overdue."
    ]
    assert check_in_nudges(ally, "2026-09-28") == [  # that week ends Sun 4 Oct
        "Check in with @li (monthly): last help Mon 31 Aug 2026, 4 days overdue."
    ]
    assert check_in_nudges(ally, "2026-09-23") == []  # ends 27 Sep: not due yet


def test_a_cadence_that_cannot_be_read_writes_nothing(ally: Run, home: Path) -> None:
    from helpers import snapshot_bytes

    ally("people", "add", "maya")
    before = snapshot_bytes(home)
    result = ally("people", "edit", "maya", "--check-in", "every blue moon")
    assert result.exit_code == 2
    assert result.stderr == (
        "ally: Cannot read check-in cadence 'every blue moon': try weekly, every 2 weeks, "
        "monthly, every 3 months, or none.\n"
    )
    assert snapshot_bytes(home) == before


def promises(ally: Run, *args: str) -> list[dict[str, object]]:
    result = ally("promise", "list", *args, "--json")
    assert result.exit_code == 0, result
    return list(result.json())


def test_a_promise_kept_by_the_help_that_did_it(ally: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    ally("people", "add", "maya")
    monkeypatch.setenv("ALLYJOURNAL_TODAY", "2026-11-09")  # promised two weeks ago
    made = ally("promise", "maya", "Introduce her to the VP", "--by", "2026-11-20")
    assert made.exit_code == 0, made
    assert made.stdout.startswith("Promised @maya by Fri 20 Nov 2026 (")
    ally("promise", "maya", "Review her talk")
    ally("promise", "maya", "Share the budget doc", "--by", "2026-11-10")
    monkeypatch.setenv("ALLYJOURNAL_TODAY", "2026-11-23")
    listed = promises(ally)
    assert [(p["text"], p["overdue_days"]) for p in listed] == [
        ("Share the budget doc", 13),
        ("Introduce her to the VP", 3),
        ("Review her talk", 0),
    ]
    assert [m for m in nudges(ally) if m.startswith("You promised")] == [
        'You promised @maya "Share the budget doc" by Tue 10 Nov 2026: 13 days overdue.',
        'You promised @maya "Introduce her to the VP" by Fri 20 Nov 2026: 3 days overdue.',
    ]
    assert nudges(ally)[0].startswith("You promised")  # promises lead the nudges
    vp = str(listed[1]["short_id"])
    kept = ally("helped", "maya", "Introduced Maya to Lee", "--kind", "intro", "--keeps", vp)
    assert kept.exit_code == 0, kept
    entry_id = ally("list", "--json", "-n", "1").json()[0]["id"]
    done = next(p for p in promises(ally, "--all") if p["text"] == "Introduce her to the VP")
    assert (done["status"], done["kept_by"], done["closed_on"]) == ("kept", entry_id, "2026-11-23")
    assert len(promises(ally)) == 2
    assert ally("undo").exit_code == 0  # the help and the keeping go together
    assert len(promises(ally)) == 3 and len(ally("list", "--json").json()) == 0
    assert ally("promise", "done", vp).exit_code == 0
    assert ally("promise", "drop", str(listed[0]["short_id"])).exit_code == 0
    assert [p["text"] for p in promises(ally)] == ["Review her talk"]
    assert not any(m.startswith("You promised") for m in nudges(ally))


def test_bad_promise_input_says_one_line_and_writes_nothing(ally: Run, home: Path) -> None:
    from helpers import snapshot_bytes

    ally("people", "add", "maya")
    ally("people", "add", "sam")
    ally("promise", "maya", "Introduce her to the VP")
    ally("promise", "sam", "Pair on the test")
    short = str(promises(ally, "maya")[0]["short_id"])
    ally("promise", "done", str(promises(ally, "sam")[0]["short_id"]))
    kept = str(promises(ally, "sam", "--all")[0]["short_id"])
    before = snapshot_bytes(home)
    for args, says in [
        (["promise", "mayy", "Intro"], "did you mean @maya?"),
        (["promise", "maya", "Intro", "--by", "someday"], "someday"),
        (["promise", "maya", "Intro", "--goal", "ffff0"], "No goal ffff0"),
        (["promise", "done", "zzzz9"], "No promise zzzz9"),
        (["helped", "sam", "Helped", "--keeps", short], "is to @maya, not @sam"),
        (["helped", "sam", "Helped", "--keeps", kept], "already kept"),
    ]:
        result = ally(*args)
        assert result.exit_code == 2, (args, result)
        assert result.stderr.count("\n") == 1 and says in result.stderr, (args, result.stderr)
        assert snapshot_bytes(home) == before, args


@contextlib.contextmanager
def at_day(day: str) -> Iterator[None]:
    """The fixed clock set to another day for a few commands."""
    was = os.environ["ALLYJOURNAL_TODAY"]
    os.environ["ALLYJOURNAL_TODAY"] = day
    try:
        yield
    finally:
        os.environ["ALLYJOURNAL_TODAY"] = was


def build_agenda_journal(ally: Run) -> None:
    """A hand-built relationship with Maya: what the agenda must show, line by line."""
    ally("people", "add", "maya", "--name", "Maya Patel", "--role", "SRE")
    ally("people", "edit", "maya", "--relationship", "peer", "--check-in", "every 2 weeks")
    ally("config", "leverage", "senior engineer, hiring committee")
    ally("goal", "add", "maya", "Staff engineer by 2027")
    ally("goal", "add", "maya", "Run the Q1 game day", "--mutual", "--short", "--due", "2027-01-15")
    game_day = next(g for g in goals(ally) if g["mutual"])["short_id"]
    ally(
        "helped", "maya", "Asked what she wants next", "-k", "conversation", "--date", "2026-10-05"
    )
    ally(
        "helped",
        "maya",
        "Drafted the game day plan",
        "-k",
        "other",
        "--date",
        "2026-10-12",
        "--goal",
        str(game_day),
    )
    ally("win", "Shipped the runbook with @maya #oncall", "--date", "2026-10-20")
    ally("helped", "maya", "Reviewed her design doc", "-k", "feedback", "--date", "2026-11-02")
    with at_day("2026-11-02"):  # promised three weeks ago; overdue now
        ally("promise", "maya", "Introduce her to the VP of platform", "--by", "2026-11-20")
    ally("thanks", "maya", "Covered my on-call shift", "--date", "2026-11-12")


def test_the_agenda_at_80_columns_is_the_expected_screen(ally: Run) -> None:
    from io import StringIO

    from rich.console import Console

    from allyjournal.actions import agenda
    from allyjournal.commands.common import today
    from allyjournal.render import terminal
    from allyjournal.store import Journal, default_home

    build_agenda_journal(ally)
    computed = agenda.compute(Journal(default_home()), "maya", today=today())
    buffer = StringIO()
    terminal.print_agenda(computed, out=Console(file=buffer, width=80, color_system=None))
    expected = (Path(__file__).parent / "expected" / "agenda-80.txt").read_text()
    assert buffer.getvalue() == expected
    assert max(len(line) for line in buffer.getvalue().splitlines()) <= 80


def test_the_agenda_in_every_form_says_the_same_things(ally: Run) -> None:
    build_agenda_journal(ally)
    facts = ally("agenda", "maya", "--json").json()
    assert [g["text"] for g in facts["goals"]] == ["Staff engineer by 2027", "Run the Q1 game day"]
    assert facts["goals"][1]["last_help"]["text"] == "Drafted the game day plan"
    assert facts["check_in_overdue_days"] == 7 and facts["check_in_due"] == "2026-11-16"
    assert [p["text"] for p in facts["promises"]] == ["Introduce her to the VP of platform"]
    assert facts["recent"][0]["text"] == "Reviewed her design doc"
    assert len(facts["recent"]) == 4
    plain = ally("agenda", "maya").stdout  # piped: plain text
    markdown = ally("agenda", "maya", "--markdown").stdout
    for suggestion in facts["suggestions"]:
        assert suggestion in plain and suggestion.replace('"', '"') in markdown
    assert markdown.startswith("# Agenda for @maya (Maya Patel)\n")
    assert "## Ask about" in markdown and "What you bring: senior engineer" in plain


def test_the_agenda_of_someone_unknown_is_refused_in_one_line(ally: Run) -> None:
    ally("people", "add", "maya")
    result = ally("agenda", "mayy")
    assert (result.exit_code, result.stderr) == (2, "ally: No ally @mayy; did you mean @maya?\n")


def test_the_review_shows_how_the_quarters_help_spreads_over_the_levels(ally: Run) -> None:
    assert "Levels" not in ally("review").stdout  # none logged: nothing shown
    ally("helped", "maya", "Paired", "-k", "mentoring", "-l", "interp", "--date", "2026-10-05")
    ally("helped", "sam", "Fixed the rota", "-k", "advocacy", "-l", "inst", "--date", "2026-11-02")
    ally("helped", "sam", "Spoke up", "-k", "advocacy", "-l", "inst")
    ally("helped", "li", "No level", "-k", "feedback")
    ally("helped", "li", "Last quarter", "-k", "advocacy", "-l", "systemic", "--date", "2026-09-30")
    review = ally("review", "--json").json()
    assert review["levels"] == {"quarter": "Q4 2026", "interpersonal": 1, "institutional": 2}
    assert "Levels: interpersonal 1 · institutional 2 (Q4 2026)" in ally("review").stdout
    assert (
        "- **Levels:** interpersonal 1 · institutional 2 (Q4 2026)"
        in ally("review", "--markdown").stdout
    )
    earlier = ally("review", "2026-10-07", "--json").json()["levels"]  # up to that week
    assert earlier == {"quarter": "Q4 2026", "interpersonal": 1}
    last = ally("list", "--json", "-n", "1", "--ally", "sam").json()[0]["id"]
    ally("edit", last, "--level", "systemic")
    assert ally("review", "--json").json()["levels"]["systemic"] == 1
    assert "No problems found" in ally("doctor").stdout


def test_help_you_received_is_recorded_apart_and_never_counted(ally: Run) -> None:
    logged = ally("thanks", "kofi", "Covered my on-call shift", "--kind", "other")
    assert logged.exit_code == 0, logged
    assert logged.stdout.startswith("Logged thanks ") and "to @kofi (other)" in logged.stdout
    seen = ally("thanks", "ana", "Credited Sam's idea in the review", "-k", "recog", "--for", "sam")
    assert "to @ana for helping @sam (recognition)" in seen.stdout
    review = ally("review", "--json").json()
    assert review["allies_helped"] == 0 and review["helps"] == []
    assert [t["text"] for t in review["thanks"]] == ["Covered my on-call shift"]
    assert [t["text"] for t in review["witnessed"]] == ["Credited Sam's idea in the review"]
    assert people(ally) == {}  # thanking someone makes no one an ally
    assert ally("status").stdout.startswith("0 of 3")
    shown = ally("review").stdout
    assert "Who helped you:\n" in shown and "  @kofi: Covered my on-call shift\n" in shown
    assert "  @ana, for @sam: Credited Sam's idea in the review\n" in shown
    found = ally("list", "--kind", "thanks", "--json").json()
    assert {e["ally"] for e in found} == {"kofi", "ana"}
    assert next(e for e in found if e["ally"] == "ana")["for"] == "sam"
    assert len(ally("list", "--ally", "sam", "--json").json()) == 1  # the one they helped too


def test_thanks_come_back_from_json_and_csv_exports(ally: Run, tmp_path: Path) -> None:
    import os

    ally("thanks", "ana", "Credited Sam's idea", "-k", "recognition", "--for", "sam")
    ally("helped", "sam", "Paired on the test", "-k", "mentoring")
    before = sorted(ally("list", "--json").json(), key=lambda e: e["id"])
    for file_format in ("json", "csv"):
        out = tmp_path / f"all.{file_format}"
        assert ally("export", "--format", file_format, "-o", str(out)).exit_code == 0
        home = tmp_path / f"from-{file_format}"
        home.mkdir(mode=0o700)
        os.environ["ALLYJOURNAL_HOME"] = str(home)
        assert ally("import", str(out)).exit_code == 0
        after = sorted(ally("list", "--json").json(), key=lambda e: e["id"])
        assert after == before, file_format


def test_bad_thanks_say_one_line_and_write_nothing(ally: Run, home: Path) -> None:
    from helpers import snapshot_bytes

    ally("thanks", "kofi", "Covered my shift")
    before = snapshot_bytes(home)
    for args, says in [
        (["thanks", "kofi", "Again", "--for", "kofi"], "is the person thanked"),
        (["thanks", "kofi", "Again", "--kind", "hugs"], "hugs"),
        (["thanks", "kofi", " "], 'ally thanks kofi "Covered my on-call shift"'),
        (["thanks", "kofy", "Again"], "did you mean @kofi?"),
    ]:
        result = ally(*args)
        assert result.exit_code == 2, (args, result)
        assert result.stderr.count("\n") == 1 and says in result.stderr, (args, result.stderr)
        assert snapshot_bytes(home) == before, args


def test_a_recognition_record_lists_what_you_did_for_them_with_dates(
    ally: Run, tmp_path: Path
) -> None:
    import stat

    ally("people", "add", "maya", "--name", "Maya Patel")
    ally("config", "name", "Ada Lovelace")
    ally(
        "helped",
        "maya",
        "Called out her migration work",
        "-k",
        "recognition",
        "--date",
        "2026-10-02",
    )
    ally(
        "helped",
        "maya",
        "Put her name forward for staff",
        "-k",
        "sponsorship",
        "--date",
        "2026-11-10",
    )
    ally("helped", "maya", "Paired on incident command", "-k", "mentoring")  # not recognition
    ally("helped", "sam", "Called out Sam too", "-k", "recognition")  # another ally
    ally("helped", "maya", "Long ago", "-k", "recognition", "--date", "2025-06-01")  # outside
    record = ally("recognition", "maya").stdout
    assert record.startswith("# Recognition record for Maya Patel (@maya)\n")
    assert "Ada Lovelace recorded recognising or advocating for Maya Patel 2 times" in record
    assert "## Recognition\n\n- Called out her migration work (Fri 2 Oct)\n" in record
    assert "## Sponsorship\n\n- Put her name forward for staff (Tue 10 Nov)\n" in record
    for absent in ("Paired", "Sam too", "Long ago", "## Nominations"):
        assert absent not in record
    facts = ally("recognition", "maya", "--period", "2026", "--format", "json").json()
    assert facts["count"] == 2 and list(facts["sections"]) == ["recognition", "sponsorship"]
    out = tmp_path / "maya.html"
    assert ally("recognition", "maya", "-f", "html", "-o", str(out)).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "<h1>Recognition record for <bdi>Maya Patel (@maya)</bdi></h1>" in out.read_text()
    again = ally("recognition", "maya", "-f", "html", "-o", str(out))
    assert again.exit_code == 2 and "already exists; add --force" in again.stderr
    empty = ally("recognition", "maya", "--period", "2024")
    assert empty.exit_code == 0 and "Nothing recorded in this period." in empty.stdout
    unknown = ally("recognition", "mayy")
    assert (unknown.exit_code, unknown.stderr) == (2, "ally: No ally @mayy; did you mean @maya?\n")


def test_nominations_are_drafted_only_from_recorded_help(ally: Run) -> None:
    ally("people", "add", "kofi", "--name", "Kofi Mensah")
    ally("thanks", "kofi", "Covered my on-call shift", "--date", "2026-10-12")
    ally("thanks", "kofi", "Reviewed my promo doc", "-k", "feedback")
    ally("thanks", "ana", "Credited Sam's idea", "-k", "recognition", "--for", "sam")
    ally("thanks", "li", "Long ago", "--date", "2026-06-01")  # last quarter: not in this one
    ally("helped", "kofi", "Something I did for Kofi")  # help given is not evidence
    drafts = ally("nominate").stdout
    assert drafts.index("## Kofi Mensah") < drafts.index("## @ana")  # most evidence first
    assert (
        "I nominate Kofi Mensah for Allyship in Action: in this period I recorded them helping "
        "2 times. Most recently: Reviewed my promo doc." in drafts
    )
    assert "- Mon 12 Oct, other: Covered my on-call shift\n" in drafts
    assert "including helping @sam" in drafts and "(for @sam)" in drafts
    assert "Long ago" not in drafts and "Something I did" not in drafts
    only = ally("nominate", "ana", "--format", "json").json()
    assert [n["person"]["handle"] for n in only["nominees"]] == ["ana"]
    assert only["nominees"][0]["helped_others"] == ["sam"]
    empty = ally("nominate", "--period", "2025")
    assert empty.exit_code == 0 and "No help from others recorded in this period." in empty.stdout
    unknown = ally("nominate", "kofy")
    assert unknown.exit_code == 2 and "did you mean @kofi?" in unknown.stderr


def test_people_join_and_leave_teams(ally: Run, home: Path) -> None:
    from helpers import snapshot_bytes

    ally("people", "add", "li", "--team", "Platform", "--team", "data-eng")
    ally("people", "add", "jo")
    assert ally("people", "edit", "jo", "--team", "platform").exit_code == 0
    assert people(ally)["li"]["teams"] == ["platform", "data-eng"]
    on_platform = ally("people", "list", "--team", "platform", "--json").json()
    assert [p["handle"] for p in on_platform] == ["jo", "li"]
    assert "teams: platform, data-eng" in ally("people", "show", "li").stdout
    assert ally("people", "edit", "li", "--leave-team", "data-eng").exit_code == 0
    assert people(ally)["li"]["teams"] == ["platform"]
    assert ally("undo").exit_code == 0
    assert people(ally)["li"]["teams"] == ["platform", "data-eng"]
    before = snapshot_bytes(home)
    for args, says in [
        (["people", "list", "--team", "platfrom"], "No team 'platfrom'; did you mean 'platform'?"),
        (["people", "edit", "jo", "--leave-team", "data-eng"], "not on team 'data-eng'"),
        (["people", "edit", "jo", "--team", "two words"], "is not a word of letters"),
    ]:
        result = ally(*args)
        assert result.exit_code == 2 and says in result.stderr, (args, result.stderr)
        assert snapshot_bytes(home) == before, args


def fairness(ally: Run, *args: str) -> dict[str, object]:
    result = ally("fairness", *args, "--json")
    assert result.exit_code == 0, result
    return dict(result.json())


def test_fairness_shows_each_share_the_trend_and_who_had_none(ally: Run) -> None:
    for handle in ("li", "jo", "sam", "ana"):
        ally("people", "add", handle, "--team", "platform")
    ally("people", "add", "kofi", "--team", "data")  # another team: not counted
    for day in ("2026-07-10", "2026-08-10", "2026-09-10", "2026-10-05", "2026-11-02"):
        ally("helped", "li", f"Lead {day}", "-k", "opportunity", "--date", day)
    ally("helped", "sam", "Lead the review", "-k", "opportunity", "--date", "2026-11-10")
    ally("helped", "ana", "Called out her work", "-k", "recognition", "--date", "2026-10-15")
    ally("helped", "ana", "Paired", "-k", "mentoring")  # not a kind counted by default
    ally("helped", "kofi", "Lead data", "-k", "opportunity")
    ally("helped", "jo", "Old", "-k", "opportunity", "--date", "2026-05-01")  # before Q3
    report = fairness(ally, "--team", "platform")
    assert report["quarters"] == ["Q3 2026", "Q4 2026"] and report["total"] == 7
    rows = {p["handle"]: p for p in report["people"]}
    assert list(rows) == ["li", "ana", "sam", "jo"]
    assert rows["li"]["by_quarter"] == {"Q3 2026": 3, "Q4 2026": 2}
    assert rows["jo"]["total"] == 0 and report["even_share"] == 1.75
    assert report["flags"] == [
        "@li received 5 of the last 6 opportunities.",
        "@jo has had none since Wed 1 Jul 2026.",
    ]
    screen = ally("fairness", "--team", "platform", "--plain").stdout
    assert "@li   ####################   5  71% (even: 25%)" in screen
    # An even team raises no flag; the threshold is a setting.
    even = fairness(ally, "--team", "platform", "--kinds", "recognition,mentoring")
    assert [p["total"] for p in even["people"]] == [2, 0, 0, 0]
    ally("config", "fairness-share", "90")
    assert fairness(ally, "--team", "platform")["flags"] == [
        "@jo has had none since Wed 1 Jul 2026."
    ]
    assert fairness(ally, "--period", "2026")["total"] == 9  # all allies, the whole year


def test_fairness_refuses_what_it_cannot_compare_in_one_line(ally: Run) -> None:
    empty = ally("fairness")
    assert empty.exit_code == 2 and "no allies to compare" in empty.stderr
    ally("people", "add", "li", "--team", "platform")
    for args, says in [
        (["fairness", "--team", "platfrom"], "No team 'platfrom'; did you mean 'platform'?"),
        (["fairness", "--kinds", "hugs"], "hugs"),
        (["fairness", "--period", "someday"], "someday"),
    ]:
        result = ally(*args)
        assert result.exit_code == 2, (args, result)
        assert result.stderr.count("\n") == 1 and says in result.stderr, (args, result.stderr)


def test_the_fairness_page_draws_a_bar_per_person_and_the_even_share(
    ally: Run, tmp_path: Path
) -> None:
    import stat

    for handle in ("li", "jo"):
        ally("people", "add", handle, "--team", "platform")
    ally("helped", "li", "Lead <the> launch", "-k", "opportunity")
    page = tmp_path / "fairness.html"
    written = ally("fairness", "--team", "platform", "--html", "-o", str(page))
    assert written.exit_code == 0, written
    assert stat.S_IMODE(page.stat().st_mode) == 0o600
    html = page.read_text()
    assert html.count("<rect ") == 2 and "even share 0.5" in html
    assert "<title>@li: 1</title>" in html and "@jo has had none since" in html
    assert "<script" not in html


def test_an_evenly_shared_team_raises_no_flag(ally: Run) -> None:
    for handle in ("li", "jo"):
        ally("people", "add", handle, "--team", "platform")
    for n, day in enumerate(("2026-10-01", "2026-10-08", "2026-10-15", "2026-10-22")):
        ally("helped", "li", f"Lead {n}", "-k", "opportunity", "--date", day)
        ally("helped", "jo", f"Lead {n}", "-k", "opportunity", "--date", day)
    report = fairness(ally, "--team", "platform")
    assert [p["total"] for p in report["people"]] == [4, 4] and report["flags"] == []


def test_fairness_counts_people_on_two_teams_in_both_and_keeps_to_the_period(ally: Run) -> None:
    ally("people", "add", "li", "--team", "platform", "--team", "data")
    ally("people", "add", "jo", "--team", "data")
    ally("helped", "li", "First day", "-k", "opportunity", "--date", "2026-10-01")
    ally("helped", "li", "Last day", "-k", "opportunity", "--date", "2026-10-31")
    ally("helped", "li", "Day before", "-k", "opportunity", "--date", "2026-09-30")
    ally("helped", "li", "Day after", "-k", "opportunity", "--date", "2026-11-01")
    for team in ("platform", "data"):
        report = fairness(ally, "--team", team, "--period", "2026-10")
        li = next(p for p in report["people"] if p["handle"] == "li")
        assert li["total"] == 2, team  # both ends of October, not the days around it
    assert [p["handle"] for p in fairness(ally, "--team", "data")["people"]] == ["li", "jo"]


def test_the_fairness_screen_at_80_columns(ally: Run) -> None:
    from io import StringIO

    from rich.console import Console

    from allyjournal.actions import fairness as reports_of
    from allyjournal.commands.common import today
    from allyjournal.render import terminal
    from allyjournal.store import Journal, default_home

    for handle in ("li", "jo", "sam"):
        ally("people", "add", handle, "--team", "platform")
    for day in ("2026-07-10", "2026-08-10", "2026-10-05", "2026-11-02"):
        ally("helped", "li", f"Lead {day}", "-k", "opportunity", "--date", day)
    ally("helped", "sam", "Named in the all-hands", "-k", "recognition", "--date", "2026-10-15")
    report = reports_of.compute(
        Journal(default_home()),
        reports_of.default_period(today()),
        team="platform",
        kinds=reports_of.FAIR_KINDS,
        today=today(),
    )
    buffer = StringIO()
    console = Console(file=buffer, width=80, color_system=None)
    terminal.print_fairness(report, out=console)
    expected = (Path(__file__).parent / "expected" / "fairness-80.txt").read_text()
    assert buffer.getvalue() == expected


def test_every_sentence_of_a_nomination_comes_from_the_journal(ally: Run) -> None:
    """The draft's own words are a fixed frame; every other word is an entry's text."""
    import re

    ally("thanks", "kofi", "Zanzibar quokka rehearsal", "--date", "2026-10-12")
    ally("thanks", "kofi", "Xylophone pangolin review", "-k", "feedback")
    draft = ally("nominate", "--format", "text").stdout
    frame = (
        r"I nominate @kofi for Allyship in Action: in this period I recorded them helping "
        r"2 times\. Most recently: (?P<recent>.+?)\. "
    )
    found = re.search(frame, " ".join(draft.split()))
    assert found and found["recent"] == "Xylophone pangolin review"
    evidence = re.findall(r"^- \w{3} \d+ \w{3}, \w+: (.+)$", draft, flags=re.MULTILINE)
    assert evidence == ["Xylophone pangolin review", "Zanzibar quokka rehearsal"]


def test_a_deadline_named_by_its_day_is_the_coming_one(ally: Run) -> None:
    ally("people", "add", "maya")

    made = ally("promise", "maya", "Introduce her to the VP", "--by", "friday")  # on a Monday

    assert made.exit_code == 0, made.stderr
    assert "by Fri 27 Nov 2026" in made.stdout
    assert promises(ally)[0]["overdue_days"] == 0
    goal = ally("goal", "add", "maya", "Ship the guild charter", "--due", "end of quarter")
    assert goal.exit_code == 0, goal.stderr
    assert goals(ally)[0]["due"] == "2026-12-31"
    assert ally("promise", "maya", "Share the rubric", "--by", "in 2 weeks").exit_code == 0
    assert {p["by"] for p in promises(ally)} == {"2026-11-27", "2026-12-07"}


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["promise", "maya", "Intro", "--by", "last friday"],
            "before today: a deadline looks ahead",
        ),
        (["promise", "maya", "Intro", "--by", "2026-11-20"], "Fri 20 Nov 2026, before today"),
        (["goal", "add", "maya", "Lead", "--due", "3 days ago"], "--due '3 days ago'"),
        (["promise", "maya", "Intro", "--by", "whenever"], "try friday, next week, in 2 weeks"),
    ],
)
def test_a_deadline_in_the_past_is_refused_in_one_line(
    ally: Run, home: Path, args: list[str], says: str
) -> None:
    from helpers import snapshot_bytes

    ally("people", "add", "maya")
    before = snapshot_bytes(home)
    result = ally(*args)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1
    assert says in result.stderr
    assert snapshot_bytes(home) == before


def test_a_promise_can_be_moved_and_reworded(ally: Run) -> None:
    ally("people", "add", "maya")
    ally("promise", "maya", "Introduce her to the VP", "--by", "friday")
    short = str(promises(ally)[0]["short_id"])

    moved = ally(
        "promise", "edit", short, "--by", "next week", "--text", "Introduce her to the CTO"
    )

    assert moved.exit_code == 0, moved.stderr
    assert "by Sun 6 Dec 2026" in moved.stdout
    (promise,) = promises(ally)
    assert (promise["text"], promise["by"]) == ("Introduce her to the CTO", "2026-12-06")
    assert ally("promise", "edit", short, "--no-by").exit_code == 0
    assert promises(ally)[0]["by"] is None
    assert ally("promise", "edit", short).exit_code == 2  # nothing to change
    assert ally("undo").exit_code == 0
    assert promises(ally)[0]["by"] == "2026-12-06"


def test_an_ally_mentored_often_and_never_sponsored_is_asked_about(ally: Run) -> None:
    """Over-mentored and under-sponsored: developmental help without a career move in a year
    is named in the agenda, with the counts, and a sponsorship clears it."""
    for day in ("2026-03-02", "2026-05-04", "2026-07-06"):
        ally("helped", "maya", "Mentored her on system design", "-k", "mentoring", "--date", day)
    ally("helped", "maya", "Reviewed her design doc", "-k", "feedback", "--date", "2026-10-05")
    ally("helped", "maya", "Old intro", "-k", "intro", "--date", "2025-06-01")  # over a year ago
    facts = ally("agenda", "maya", "--json").json()
    assert facts["year"] == {"mentoring": 3, "feedback": 1}
    shown = ally("agenda", "maya", "--plain").stdout
    assert "from you in 12 months: 3 mentoring, 1 feedback" in shown
    ask = "@maya has had 3 mentoring and 1 feedback from you in 12 months, and no intro"
    assert ask in shown and "mentored, not yet sponsored" in shown
    nudges = {n["reason"]: n for n in ally("review", "--json").json()["nudges"]}
    assert nudges["sponsorship"]["handle"] == "maya"
    assert "3 mentoring and 1 feedback from you in 12 months" in nudges["sponsorship"]["message"]
    ally("helped", "maya", "Put her name forward for the staff role", "-k", "sponsorship")
    assert "not yet sponsored" not in ally("agenda", "maya", "--plain").stdout
    assert "sponsorship" not in {n["reason"] for n in ally("review", "--json").json()["nudges"]}
