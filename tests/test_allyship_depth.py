"""Allyship with the depth the research asks for (issue 31): recognition the way its
recipient wants it, and the 1:1 queue. The clock is fixed at Mon 23 Nov 2026."""

from __future__ import annotations

from pathlib import Path

import pytest

from allyjournal.journal import door, layout

from helpers import Run, snapshot_bytes

# -- recognition the way they want it ------------------------------------------------------------


def test_a_recognition_preference_is_shown_wherever_you_recognise_them(ally: Run) -> None:
    set_ = ally("people", "add", "maya", "--name", "Maya", "--recognition", "Private")
    assert set_.exit_code == 0, set_
    assert ally("people", "edit", "maya", "--channel", " 1:1 ").exit_code == 0
    assert "recognition: in private, through 1:1" in ally("people", "show", "maya").stdout
    agenda = ally("agenda", "maya", "--plain").stdout
    assert "  - likes recognition in private, through 1:1" in agenda
    person = ally("agenda", "maya", "--json").json()["person"]
    assert (person["recognition"], person["channel"]) == ("private", "1:1")
    # About to praise them: the note comes with the confirmation, once.
    praised = ally("helped", "maya", "Credited her design at the all-hands", "--kind", "recog")
    assert praised.stderr == "ally: note: @maya likes recognition in private, through 1:1.\n"
    assert ally("helped", "maya", "Paired on the incident", "--kind", "mentoring").stderr == ""
    record = ally("recognition", "maya", "--format", "text").stdout
    assert "How Maya likes to be recognised: in private, through 1:1." in record
    ally("thanks", "maya", "Covered my on-call shift", "--date", "2026-11-20")
    drafts = ally("nominate", "--format", "text").stdout
    assert "Maya prefers recognition in private, through 1:1: ask them before you" in drafts
    # In public: said, with no warning.
    ally("people", "edit", "maya", "--recognition", "public", "--channel", "the team channel")
    drafts = ally("nominate", "--format", "md").stdout
    assert "Maya likes recognition in public, through the team channel." in drafts
    assert "ask them" not in drafts


def test_a_cleared_preference_is_gone_and_undo_brings_it_back(ally: Run, home: Path) -> None:
    ally("people", "add", "maya", "--recognition", "private", "--channel", "1:1")
    assert ally("people", "edit", "maya", "--recognition", "", "--channel", "").exit_code == 0
    assert "recognition" not in ally("people", "show", "maya").stdout
    assert '"channel"' not in (home / layout.PEOPLE).read_text()  # not left as it was
    assert ally("undo").exit_code == 0
    assert "recognition: in private, through 1:1" in ally("people", "show", "maya").stdout


@pytest.mark.parametrize(
    ("option", "value", "says"),
    [
        ("--recognition", "loud", "--recognition 'loud' is not public or private"),
        ("--recognition", "public!", "is not public or private"),
        ("--channel", "1:1\nrm -rf", "--channel takes one line of up to 80 characters"),
        ("--channel", "\x1b]0;pwned\x07", "--channel takes one line"),
        ("--channel", "x" * 81, "--channel takes one line"),
    ],
)
def test_a_bad_preference_is_one_line_and_writes_nothing(
    ally: Run, home: Path, option: str, value: str, says: str
) -> None:
    ally("people", "add", "maya")
    before = snapshot_bytes(home)
    refused = ally("people", "edit", "maya", option, value)
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ally: ") and says in lines[0], lines
    assert "\x1b" not in refused.stderr
    assert snapshot_bytes(home) == before


@pytest.mark.parametrize(
    "fields",
    [{"recognition": "loud"}, {"channel": "\x1b[2J"}, {"channel": "a\nb"}, {"channel": "x" * 81}],
)
def test_a_preference_from_outside_is_checked_at_the_door(fields: dict[str, str]) -> None:
    record = {"handle": "maya", "ally_since": "2026-11-01", **fields}
    examined = door.examine(layout.PEOPLE, {"people": {"1": record}})
    assert not examined.whole and examined.bad_keys == ["maya"]
    good = {"handle": "maya", "ally_since": "2026-11-01", "recognition": "public"}
    assert door.examine(layout.PEOPLE, {"people": {"1": good}}).whole


# -- the 1:1 queue -------------------------------------------------------------------------------


def _topics(ally: Run, handle: str = "maya", *home: str) -> list[str]:
    agenda = ally(*home, "agenda", handle, "--json")
    assert agenda.exit_code == 0, agenda
    return [f"{t['number']} {t['text']}" for t in agenda.json()["topics"]]


def test_what_to_raise_is_kept_first_until_ticked_off(ally: Run) -> None:
    ally("people", "add", "maya")
    ally("helped", "maya", "Reviewed her design doc", "--date", "2026-11-20")
    added = ally("agenda", "maya", "--add", "ask about the staff promo timeline")
    assert (
        added.stdout
        == 'Added "ask about the staff promo timeline" to raise with @maya next time.\n'
    )
    ally("agenda", "maya", "--add", "offer an intro to @sam", "--add", "thank her for the review")
    screen = ally("agenda", "maya", "--plain").stdout.splitlines()
    assert screen[:6] == [
        "Agenda for @maya",
        "",
        "To raise:",
        "  - [1] ask about the staff promo timeline (since Mon 23 Nov)",
        "  - [2] offer an intro to @sam (since Mon 23 Nov)",
        "  - [3] thank her for the review (since Mon 23 Nov)",
    ]
    assert "## To raise\n" in ally("agenda", "maya", "--md").stdout
    ticked = ally("agenda", "maya", "--done", "1", "--done", "3")
    assert ticked.stdout == "Ticked off 2 with @maya; 1 still to raise. `ally undo` reverts it.\n"
    assert _topics(ally) == ["1 offer an intro to @sam"]  # carried forward, renumbered
    assert ally("undo").exit_code == 0
    assert len(_topics(ally)) == 3
    # A rename takes the queue along.
    assert ally("people", "rename", "maya", "maya-p").exit_code == 0
    assert len(_topics(ally, "maya-p")) == 3


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--add", "   "], "--add '   ' is empty"),
        (["--add", "line one\nline two"], "--add takes one line of up to 300 characters"),
        (["--add", "\x1b[2Jgone"], "--add takes one line"),
        (["--add", "x" * 301], "--add takes one line"),
        (["--done", "2"], "--done 2: @maya's agenda lists one topic, 1;"),
        (["--done", "0"], "--done 0:"),
        (["--done", "one"], "'one' is not a valid int"),
        (["--add", "a", "--done", "1"], "Give --add or --done, not both"),
    ],
)
def test_a_bad_topic_is_one_line_and_writes_nothing(
    ally: Run, home: Path, args: list[str], says: str
) -> None:
    ally("people", "add", "maya")
    ally("agenda", "maya", "--add", "ask about the promo")
    before = snapshot_bytes(home)
    refused = ally("agenda", "maya", *args)
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ally: ") and says in lines[0], lines
    assert snapshot_bytes(home) == before


def test_topics_added_on_two_machines_are_all_kept(ally: Run, tmp_path: Path, remote: Path) -> None:
    work, personal = (("--home", str(tmp_path / name)) for name in ("work", "home"))
    ally(*work, "people", "add", "maya")
    assert ally(*work, "sync", "init", str(remote)).exit_code == 0
    assert ally(*personal, "sync", "init", str(remote)).exit_code == 0
    ally(*work, "agenda", "maya", "--add", "raised at work")
    ally(*personal, "agenda", "maya", "--add", "raised at home")
    for side in (work, personal, work):
        assert ally(*side, "sync").exit_code == 0
    assert sorted(_topics(ally, "maya", *work)) == sorted(_topics(ally, "maya", *personal))
    assert {t.split(" ", 1)[1] for t in _topics(ally, "maya", *work)} == {
        "raised at work",
        "raised at home",
    }
    # Ticked off at home: gone from the work agenda after a sync.
    ally(*personal, "agenda", "maya", "--done", "1", "--done", "2")
    for side in (personal, work):
        assert ally(*side, "sync").exit_code == 0
    assert _topics(ally, "maya", *work) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"text": "two\nlines"},
        {"text": "\x1b]8;;http://x\x07click"},
        {"handle": "../maya"},
        {"done_on": "yesterday"},
        {"id": "../../etc/passwd"},
    ],
)
def test_a_topic_from_outside_is_checked_at_the_door(fields: dict[str, str]) -> None:
    good = {
        "id": "a" * 32,
        "handle": "maya",
        "text": "ask about the promo",
        "done_on": None,
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-20T10:00:00+00:00",
    }
    assert door.examine(layout.TOPICS, {"topics": {"1": good}}).whole
    examined = door.examine(layout.TOPICS, {"topics": {"1": {**good, **fields}}})
    assert not examined.whole


# -- credit, speak-up and learning ---------------------------------------------------------------


def test_credit_and_speak_up_are_help_and_learning_is_yours(ally: Run) -> None:
    ally("helped", "maya", "Said it was Maya's idea when it was repeated", "--kind", "cred")
    ally("helped", "sam", "Spoke up when Sam was talked over", "--kind", "speak-up")
    learned = ally("learned", "Read The Sponsor Effect #sponsorship", "--impact", "sponsor more")
    assert learned.exit_code == 0 and learned.stdout.startswith("Logged learning "), learned
    review = ally("review", "--json").json()
    assert review["allies_helped"] == 2  # learning has no ally and never counts
    assert [e["text"] for e in review["learned"]] == ["Read The Sponsor Effect #sponsorship"]
    assert "What you learned:\n  - Read The Sponsor Effect #sponsorship — sponsor more" in (
        ally("review", "--plain").stdout
    )
    assert [e["kind"] for e in ally("list", "--kind", "learning", "--json").json()] == ["learning"]
    assert "Credit for their ideas and work" in ally("recognition", "maya", "-f", "text").stdout
    document = ally("export", "--period", "2026-11", "-f", "md").stdout
    assert "## Learning\n\n- Mon 23 Nov: Read The Sponsor Effect — sponsor more" in (document)
    kinds = ally("kinds").stdout
    assert "credit" in kinds and "speak-up" in kinds and "learning" in kinds
    entry = ally("list", "--kind", "learning", "--json").json()[0]["id"][:7]
    refused = ally("edit", entry, "--ally", "maya")
    assert refused.exit_code == 2 and "is a learning" in refused.stderr


def test_a_schema_3_journal_is_upgraded_after_a_backup(ally: Run, home: Path) -> None:
    import json

    ally("win", "Before the upgrade", "--date", "2026-11-20")
    meta = json.loads((home / layout.META).read_text())
    (home / layout.META).write_text(json.dumps({**meta, "schema": 3}))
    assert ally("list", "--json").json()[0]["text"] == "Before the upgrade"
    assert json.loads((home / layout.META).read_text())["schema"] == layout.SCHEMA_VERSION == 4
    assert "before migrating from schema 3" in ally("backup", "--list").stdout


def test_a_remote_of_schema_3_is_refused_in_one_line(
    ally: Run, tmp_path: Path, remote: Path
) -> None:
    import json
    import subprocess

    old = tmp_path / "old"
    ally("--home", str(old), "win", "Logged on the old machine", "--date", "2026-11-20")
    assert ally("--home", str(old), "sync", "init", str(remote)).exit_code == 0
    meta = json.loads((old / layout.META).read_text())
    (old / layout.META).write_text(json.dumps({**meta, "schema": 3}))  # as 0.8.0 wrote it
    git = ["git", "-C", str(old)]
    subprocess.run([*git, "commit", "-qam", "schema 3"], check=True)
    subprocess.run([*git, "push", "-q", "origin", "HEAD"], check=True, capture_output=True)
    new = ("--home", str(tmp_path / "new"))
    ally(*new, "win", "Logged on the new machine")
    refused = ally(*new, "sync", "init", str(remote))
    assert refused.exit_code != 0
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and "install the same allyjournal version" in lines[0], lines


# -- the type of work ----------------------------------------------------------------------------


def test_glue_and_housework_get_their_own_section_at_review_time(ally: Run, tmp_path: Path) -> None:
    ally("win", "Onboarded the two new hires", "--type", "glue", "--impact", "both shipped")
    ally("win", "Took the notes at the offsite", "--type", "house")
    ally("win", "Shipped billing v2", "--type", "promotable", "--big")
    ally("win", "Fixed the flaky test")
    assert [e.get("work_type") for e in ally("list", "--json").json()] == [
        None,
        "promotable",
        "housework",
        "glue",
    ]
    assert "\twin (glue)\t" in ally("list").stdout
    document = ally("export", "--period", "2026-11", "-f", "md").stdout
    assert "- 4 wins (1 big, 3 small; 2 glue or housework)" in document
    unsung = document.split("## Work that isn't in my job description, and what it made possible")
    assert len(unsung) == 2
    section = unsung[1].split("##")[0]
    assert "Onboarded the two new hires — both shipped" in section
    assert "Took the notes at the offsite" in section and "Fixed the flaky test" not in section
    assert document.count("Onboarded the two new hires") == 1  # not again among the others
    # Round trips: CSV and JSON carry it; edit changes and removes it.
    exported = tmp_path / "wins.csv"
    assert ally("export", "-f", "csv", "-o", str(exported)).exit_code == 0
    other = ("--home", str(tmp_path / "other"))
    assert ally(*other, "import", str(exported)).exit_code == 0
    assert sorted(str(e.get("work_type")) for e in ally(*other, "list", "--json").json()) == [
        "None",
        "glue",
        "housework",
        "promotable",
    ]
    glue = next(e for e in ally("list", "--json").json() if e.get("work_type") == "glue")
    assert ally("edit", glue["id"][:7], "--type", "").exit_code == 0
    assert "work_type" not in ally("show", glue["id"][:7], "--json").json()
    assert "promotable" in ally("kinds").stdout


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["win", "Did it", "--type", "loud"], "Unknown type of work 'loud'"),
        (["helped", "maya", "Chat", "--type", "glue"], "No such option: --type"),
    ],
)
def test_a_bad_type_of_work_is_one_line(ally: Run, home: Path, args: list[str], says: str) -> None:
    ally("people", "add", "maya")
    before = snapshot_bytes(home)
    refused = ally(*args)
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and says in lines[0], lines
    assert snapshot_bytes(home) == before


def test_a_type_of_work_from_outside_is_checked_at_the_door() -> None:
    day = {
        "id": "b" * 32,
        "kind": "win",
        "date": "2026-11-20",
        "text": "Onboarded them",
        "size": "small",
        "created_at": "2026-11-20T10:00:00+00:00",
        "updated_at": "2026-11-20T10:00:00+00:00",
    }
    path = "entries/2026-11-20.json"
    assert door.examine(path, {"entries": {"1": {**day, "work_type": "glue"}}}).whole
    assert not door.examine(path, {"entries": {"1": {**day, "work_type": "\x1b[31m"}}}).whole


# -- the housework ledger ------------------------------------------------------------------------


def _team(ally: Run) -> None:
    for handle in ("ana", "kofi", "li", "jo"):
        ally("people", "add", handle, "--team", "platform")


def test_the_housework_ledger_counts_chores_flags_and_proposes_who_is_next(ally: Run) -> None:
    _team(ally)
    logged = ally("chore", "ana", "Took the notes at planning", "--date", "2026-11-02")
    assert logged.stdout == f"Logged chore {logged.stdout.split()[2]} by @ana on Mon 2 Nov 2026.\n"
    for day in ("2026-11-09", "2026-11-12", "2026-11-16", "2026-11-19"):
        ally("chore", "ana", "Took the notes", "--date", day)
    ally("chore", "kofi", "Booked the offsite", "--date", "2026-11-05")
    ally("chore", "li", "Ordered the cake", "--date", "2026-10-20")
    report = ally("fairness", "--team", "platform", "--housework", "--json").json()
    assert [(p["handle"], p["total"]) for p in report["people"]] == [
        ("ana", 5),
        ("kofi", 1),
        ("li", 1),
        ("jo", 0),
    ]
    assert report["next_in_rotation"] == "jo"
    assert "@ana did 5 of the last 6 chores." in report["flags"]
    assert report["flags"][-1] == "Next in the rotation: @jo (0 in this period)."
    plain = ally("fairness", "--team", "platform", "--housework", "--plain").stdout
    assert plain.startswith("Who did the team's housework, ")
    assert "Counted: chore; 7 in all, 1.8 each if shared evenly." in plain
    # jo takes a turn: the one with one chore, longest ago, is next.
    ally("chore", "jo", "Ran the retro", "--date", "2026-11-20")
    after = ally("fairness", "--team", "platform", "--housework", "--json").json()
    assert after["next_in_rotation"] == "li"
    assert (
        after["flags"][-1]
        == "Next in the rotation: @li (1 in this period, the last on Tue 20 Oct 2026)."
    )
    # A chore is not help: no ally is made, nothing counts toward the goal.
    assert ally("review", "--json").json()["allies_helped"] == 0
    assert "\tchore by @ana\t" in ally("list").stdout
    assert "chore" in ally("kinds").stdout


def test_a_chore_by_someone_new_makes_a_contact_not_an_ally(ally: Run) -> None:
    logged = ally("chore", "sam", "Took the notes")
    assert logged.exit_code == 0, logged
    assert "New contact @sam (did a chore, not helped)" in logged.stdout
    people = {p["handle"]: p for p in ally("people", "--all", "--json").json()}
    assert people["sam"]["ally_since"] is None


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["chore", "ana", "   "], "The entry text is empty"),
        (["chore", "../x", "Notes"], "handle"),
        (["fairness", "--housework", "--kinds", "opportunity"], "--kinds is for the opportunity"),
        (["fairness", "--housework", "--team", "nope"], "nope"),
    ],
)
def test_bad_housework_input_is_one_line(ally: Run, home: Path, args: list[str], says: str) -> None:
    _team(ally)
    before = snapshot_bytes(home)
    refused = ally(*args)
    assert refused.exit_code == 2, refused
    lines = refused.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ally: ") and says in lines[0], lines
    assert snapshot_bytes(home) == before


def test_chores_come_back_from_csv_and_follow_a_rename(ally: Run, tmp_path: Path) -> None:
    _team(ally)
    ally("chore", "ana", "Took the notes", "--date", "2026-11-20")
    exported = tmp_path / "all.csv"
    assert ally("export", "-f", "csv", "-o", str(exported)).exit_code == 0
    other = ("--home", str(tmp_path / "other"))
    assert ally(*other, "import", str(exported)).exit_code == 0
    assert [(e["kind"], e["ally"]) for e in ally(*other, "list", "--json").json()] == [
        ("chore", "ana")
    ]
    ally("people", "rename", "ana", "ana-s")
    report = ally("fairness", "--team", "platform", "--housework", "--json").json()
    assert ("ana-s", 1) in [(p["handle"], p["total"]) for p in report["people"]]


def test_topics_added_and_ticked_at_once_are_each_kept_once(ally: Run, home: Path) -> None:
    """Real processes: four --add at once keep four topics; two --done 1 at once tick off
    one topic, and the loser is refused in one line (the topic changed meanwhile)."""
    import os
    import subprocess

    from helpers import installed_ally

    ally("people", "add", "maya")
    env = {**os.environ, "ALLYJOURNAL_LOCK_TIMEOUT": "60"}

    def at_once(*commands: list[str]) -> list[tuple[int, str]]:
        children = [
            subprocess.Popen(
                [installed_ally(), *c],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for c in commands
        ]
        return [(c.wait(timeout=120), c.communicate()[1]) for c in children]

    added = at_once(*[["agenda", "maya", "--add", f"topic {n}"] for n in range(4)])
    assert [code for code, _ in added] == [0, 0, 0, 0], added
    assert sorted(t.split(" ", 1)[1] for t in _topics(ally)) == [f"topic {n}" for n in range(4)]
    ticked = at_once(["agenda", "maya", "--done", "1"], ["agenda", "maya", "--done", "1"])
    for code, err in ticked:
        assert code == 0 or (len(err.strip().splitlines()) == 1 and err.startswith("ally: ")), err
    assert len(_topics(ally)) == 4 - sum(code == 0 for code, _ in ticked)
    assert len(_topics(ally)) in (2, 3)
