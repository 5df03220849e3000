"""A month of daily use replayed on the fixed clock, on two machines that sync, in clear and
encrypted: the journal begins on Mon 2 Nov 2026 and is read back on Mon 30 Nov. Each check
at the end is one a person would notice if it were wrong (and each was wrong once)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import Result, Run

PASSPHRASE = "correct horse battery staple"
Machine = Callable[..., Result]


@pytest.fixture(params=["in-clear", "encrypted"])
def month(
    request: pytest.FixtureRequest,
    ally: Run,
    tmp_path: Path,
    remote: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[Machine, Machine]:
    encrypted = request.param == "encrypted"
    if encrypted:
        monkeypatch.setenv("ALLYJOURNAL_PASSPHRASE_COMMAND", f"echo {PASSPHRASE}")

    def machine(name: str) -> Machine:
        def run(*args: str, input: str | None = None) -> Result:
            done = ally("--home", str(tmp_path / name), *args, input=input)
            assert done.exit_code == 0, (name, args, done)
            return done

        return run

    work, home = machine("work"), machine("home")

    def on(day: str) -> None:
        monkeypatch.setenv("ALLYJOURNAL_TODAY", day)

    on("2026-11-02")  # Monday: the journal begins
    work("config", "name", "Ada Lovelace")
    work("people", "add", "maya", "--name", "Maya Patel", "--check-in", "weekly")
    work("goal", "add", "maya", "Staff engineer by 2027")
    work("helped", "maya", "Asked how I can help with her promotion", "--kind", "conversation")
    work("win", "Shipped the billing fix", "--big", "--impact", "no more double charges")
    work("sync", "init", *(["--encrypt"] if encrypted else []), str(remote))
    home("sync", "init", str(remote))

    on("2026-11-03")
    home("thanks", "kofi", "Covered my on-call shift")
    home("thanks", "ana", "Credited Sam's idea in the demo", "--for", "sam")
    home("promise", "make", "maya", "Introduce her to the VP", "--by", "friday")
    home("sync")
    work("sync")

    on("2026-11-04")
    promise = json.loads(work("promise", "list", "--json").stdout)[0]["id"]
    work("helped", "Maya Patel", "Introduced her to the VP", "--kind", "intro", "--keeps", promise)
    work("helped", "sam", "Reviewed his design doc", "--kind", "feedback")
    work("people", "rename", "maya", "maya-p")
    home("people", "rename", "maya", "mpatel")  # the same person, renamed otherwise there
    work("sync")
    home("sync")
    work("sync")

    on("2026-11-06")  # Friday
    work("helped", "li", "Paired on the flaky test", "--kind", "mentoring")
    work("review", "--reflect", input="Ask before helping; follow up in writing.")
    work("sync")
    home("sync")

    for day, machine_, who in (
        ("2026-11-10", home, "sam"),
        ("2026-11-12", work, "li"),
        ("2026-11-17", home, "kofi"),
        ("2026-11-18", work, "sam"),
        ("2026-11-19", work, "li"),
        ("2026-11-24", home, "ana"),
        ("2026-11-25", work, "sam"),
        ("2026-11-26", work, "kofi"),
    ):
        on(day)
        machine_("helped", who, f"Helped {who} on {day}", "--kind", "feedback")
        machine_("win", f"A win on {day}")
        machine_("sync")
    work("sync")
    home("sync")
    on("2026-11-30")  # Monday: the month read back
    return work, home


def test_a_month_on_two_machines_reads_back_as_it_was_lived(
    month: tuple[Machine, Machine], tmp_path: Path
) -> None:
    work, home = month
    for machine in (work, home):
        assert "nothing to do" in machine("sync").stdout  # settled: both say the same
    assert work("list", "--json").json() == home("list", "--json").json()

    # One person after two renames of her, the later one; her old handle still finds her.
    people = {p["handle"] for p in work("people", "list", "--json", "--all").json()}
    assert "maya" not in people and len(people & {"maya-p", "mpatel"}) == 1
    assert "Maya Patel" in work("agenda", "maya").stdout

    # The promise made on Tuesday "by friday" was due that Friday, and kept on Wednesday.
    kept = work("promise", "list", "--all", "--json").json()[0]
    assert kept["by"] == "2026-11-06" and kept["status"] == "kept"

    # The first week: who helped me is help to me; what I saw Ana do for Sam is apart.
    first = work("review", "2026-11-02", "--json").json()
    assert [t["ally"] for t in first["thanks"]] == ["kofi"]
    assert [t["ally"] for t in first["witnessed"]] == ["ana"]
    assert first["allies_helped"] == 3 and first["goal_met"]
    assert [r["date"] for r in first["reflections"]] == ["2026-11-06"]  # Friday, as written

    # The settings travel, and the review of an encrypted journal with settings still reads.
    assert home("config", "name").stdout.strip() == "Ada Lovelace"
    last = home("review", "last week", "--json").json()
    assert last["week_start"] == "2026-11-23" and last["allies_helped"] == 3
    assert home("status").stdout.startswith("0 of 3")  # a new week, nothing yet

    # The export counts the weeks since the journal began, not a year of weeks before it.
    target = tmp_path / "november.md"
    done = work("export", "--period", "this month", "-o", str(target))
    document = target.read_text()
    assert "since you started (Mon 2 Nov 2026)" in document
    assert "in 3 of 4 weeks since you started (Mon 2 Nov 2026)" in document
    assert "Wrote 21 entries" in done.stderr  # 9 wins and 12 helps; thanks and reflection aside

    # No nudge that is not true: the goal set on 2 Nov is four weeks old, not twelve.
    nudges = " ".join(n["message"] for n in work("review", "--json").json()["nudges"])
    assert "12 weeks" not in nudges
