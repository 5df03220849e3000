"""The end-of-week review: its numbers on hand-built weeks, and four outputs that agree."""

from __future__ import annotations

import re
from typing import Any

import pytest

from helpers import Run

# The fixed today is Monday 23 November 2026: this week is Mon 23 – Sun 29 November.


def review(ally: Run, *args: str) -> dict[str, Any]:
    result = ally("review", "--json", *args)
    assert result.exit_code == 0, result
    data: dict[str, Any] = result.json()
    return data


def helped(ally: Run, handle: str, when: str, kind: str = "check-in") -> None:
    result = ally(
        "helped", handle, f"Helped {handle}", "--kind", kind, "--date", when, "--new", "--future"
    )
    assert result.exit_code == 0, result


def test_json_has_the_public_fields(ally: Run) -> None:
    data = review(ally)
    for key in (
        "week_start",
        "week_end",
        "goal",
        "allies_helped",
        "goal_met",
        "streak",
        "wins",
        "helps",
    ):
        assert key in data
    assert data["week_start"] == "2026-11-23"
    assert data["week_end"] == "2026-11-29"
    assert data["goal"] == 3
    assert data["allies_helped"] == 0
    assert data["goal_met"] is False


def test_goal_met_counts_distinct_allies(ally: Run) -> None:
    helped(ally, "maya", "2026-11-16")
    helped(ally, "maya", "2026-11-17")
    helped(ally, "sam", "2026-11-18")
    data = review(ally, "last week")
    assert data["allies_helped"] == 2
    assert data["goal_met"] is False
    assert len(data["helps"]) == 3
    helped(ally, "ana", "2026-11-22")
    data = review(ally, "2026-11-19")
    assert data["allies_helped"] == 3
    assert data["goal_met"] is True


def test_goal_override_and_config(ally: Run) -> None:
    helped(ally, "maya", "2026-11-16")
    assert review(ally, "last week", "--goal", "1")["goal_met"] is True
    ally("config", "goal", "1")
    assert review(ally, "last week")["goal"] == 1


def test_streak_counts_consecutive_met_weeks_and_breaks(ally: Run) -> None:
    ally("config", "goal", "1")
    for day in ("2026-10-26", "2026-11-04", "2026-11-12", "2026-11-20"):
        helped(ally, "maya", day)
    # Weeks of 26 Oct, 2 Nov, 9 Nov, 16 Nov all met; this week is still open, not yet met.
    assert review(ally)["streak"] == 4
    assert review(ally, "2026-11-20")["streak"] == 4
    assert review(ally, "2026-11-12")["streak"] == 3
    helped(ally, "maya", "2026-11-23")
    assert review(ally)["streak"] == 5


def test_a_past_week_that_missed_the_goal_has_no_streak(ally: Run) -> None:
    ally("config", "goal", "1")
    helped(ally, "maya", "2026-11-04")
    assert review(ally, "2026-11-12")["streak"] == 0
    assert review(ally, "2026-11-04")["streak"] == 1


def test_long_streaks_reach_past_the_chart(ally: Run) -> None:
    ally("config", "goal", "1")
    for week in range(30):
        helped(ally, "maya", f"{week * 7} days ago")
    assert review(ally)["streak"] == 30


def test_week_start_sunday_moves_the_boundaries(ally: Run) -> None:
    ally("config", "week-start", "sunday")
    helped(ally, "maya", "2026-11-22")  # a Sunday
    helped(ally, "sam", "2026-11-28")  # a Saturday
    helped(ally, "ana", "2026-11-29")  # next Sunday: next week
    data = review(ally)
    assert (data["week_start"], data["week_end"]) == ("2026-11-22", "2026-11-28")
    assert data["allies_helped"] == 2


def test_entries_on_boundary_days_belong_to_their_week(ally: Run) -> None:
    helped(ally, "maya", "2026-11-16")  # Monday
    helped(ally, "sam", "2026-11-22")  # Sunday
    helped(ally, "ana", "2026-11-15")  # Sunday before
    assert review(ally, "last week")["allies_helped"] == 2


def test_wins_big_first_and_reflections(ally: Run) -> None:
    ally("win", "Small thing", "--date", "2026-11-24", "--future")
    ally("win", "Huge thing", "--big", "--impact", "lots", "--date", "2026-11-23")
    data = review(ally)
    assert [w["text"] for w in data["wins"]] == ["Huge thing", "Small thing"]
    assert ally("review", "--reflect", input="Good week for @maya\n").exit_code == 0
    assert review(ally)["reflections"][0]["text"] == "Good week for @maya"


def test_nudges(ally: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLYJOURNAL_TODAY", "2026-09-14")  # her goal, set ten weeks ago
    ally("people", "add", "maya", "--goals", "staff engineer")
    monkeypatch.setenv("ALLYJOURNAL_TODAY", "2026-11-23")
    helped(ally, "sam", "2026-09-01")
    reasons = {(n["reason"], n["handle"]) for n in review(ally)["nudges"]}
    assert ("not-helped", "sam") in reasons
    assert ("not-helped", "maya") in reasons
    assert ("goals", "maya") in reasons
    assert ("no-wins", None) in reasons
    helped(ally, "maya", "2026-11-23", kind="opportunity")
    reasons = {(n["reason"], n["handle"]) for n in review(ally)["nudges"]}
    assert ("goals", "maya") not in reasons
    assert ("not-helped", "maya") not in reasons


def test_history_has_twelve_weeks_ending_this_week(ally: Run) -> None:
    helped(ally, "maya", "2026-11-02")
    history = review(ally)["history"]
    assert len(history) == 12
    assert history[-1]["week_start"] == "2026-11-23"
    assert history[-4] == {"week_start": "2026-11-02", "allies": 1, "goal_met": False}


@pytest.fixture
def busy_week(ally: Run) -> None:
    helped(ally, "maya", "2026-11-16", kind="conversation")
    helped(ally, "sam", "2026-11-17", kind="intro")
    ally("win", "Cut CI time #ci", "--big", "--impact", "30 hours/week", "--date", "2026-11-18")
    ally("win", "Fixed [bold]markup[/bold] \x1b[31m", "--date", "2026-11-19")


def test_four_outputs_agree(ally: Run, busy_week: None) -> None:
    data = review(ally, "last week")
    plain = ally("review", "last week", "--plain").stdout
    markdown = ally("review", "last week", "--markdown").stdout
    assert f"{data['allies_helped']} of {data['goal']}" in plain
    assert f"{data['allies_helped']} of {data['goal']}" in markdown
    assert "one to go" not in plain  # a past week is over: missed, not "to go"
    for row in data["allies"]:
        assert f"@{row['handle']}" in plain
        assert f"@{row['handle']}" in markdown
    assert " ".join(str(w["allies"]) for w in data["history"]) in plain


def test_plain_has_no_escape_codes_or_box_drawing(ally: Run, busy_week: None) -> None:
    plain = ally("review", "last week", "--plain").stdout
    assert "\x1b" not in plain
    assert not re.search(r"[\u2500-\u257f\u2580-\u259f]", plain)
    assert "[bold]markup[/bold]" in plain
    assert "\\x1b[31m" in plain


def test_markdown_escapes_user_text(ally: Run, busy_week: None) -> None:
    from markdown_it import MarkdownIt

    markdown = ally("review", "last week", "--markdown").stdout
    rendered = MarkdownIt("commonmark").enable("table").render(markdown)
    assert "[bold]markup[/bold]" in rendered  # shown as typed, not a link or markup
    assert "Cut CI time #ci" in markdown


def test_rich_review_at_80_columns_matches_expected(busy_week: None, ally: Run) -> None:
    from io import StringIO

    from rich.console import Console

    from allyjournal.actions import review
    from allyjournal.core.dates import today
    from allyjournal.render import terminal
    from allyjournal.store import Journal, default_home

    result = review.compute(Journal(default_home()), today().replace(day=18), today=today())
    buffer = StringIO()
    terminal.print_review(result, out=Console(file=buffer, width=80, color_system=None))
    expected = (
        __import__("pathlib").Path(__file__).parent / "expected" / "review-80.txt"
    ).read_text()
    assert buffer.getvalue() == expected


def test_bad_when_exits_2(ally: Run) -> None:
    result = ally("review", "next fortnight-ish")
    assert result.exit_code == 2
    assert "next fortnight-ish" in result.stderr


def test_demo_shows_a_review_and_leaves_no_journal(ally: Run, home: Any) -> None:
    result = ally("demo")
    assert result.exit_code == 0, result
    assert "Allies helped" in result.stdout
    assert not any(home.iterdir())  # nothing written in the journal folder


def test_the_kept_demo_tells_each_thing_once_and_its_review_adds_up(ally: Run) -> None:
    import re
    from collections import Counter

    result = ally("demo", "--keep")
    folder = re.search(r"Sample kept in (\S+);", result.stdout)
    assert folder, result.stdout
    entries = ally("--home", folder[1], "list", "--json").json()
    texts = Counter(entry["text"] for entry in entries)
    assert [text for text, count in texts.items() if count > 1] == []
    this_week = {e["ally"] for e in entries if e["kind"] == "help" and e["date"] >= "2026-11-23"}
    shown = re.search(r"Allies helped: \S+ (\d+) of 3", result.stdout)
    assert shown and int(shown[1]) == len(this_week), result.stdout
    helped_ever = {e["ally"] for e in entries if e["kind"] == "help"}
    people = ally("--home", folder[1], "people", "--json").json()
    never = sorted({p["handle"] for p in people} - helped_ever)
    assert never == ["jo"]
    assert "You have not logged any help for @jo yet." in result.stdout
    import shutil

    shutil.rmtree(folder[1])


def test_a_goal_set_this_week_is_not_called_neglected(
    ally: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    ally("people", "add", "maya", "--goals", "staff engineer")  # today
    helped(ally, "maya", "2026-11-23", kind="conversation")
    assert not [n for n in review(ally)["nudges"] if n["reason"] == "goals"]
    monkeypatch.setenv("ALLYJOURNAL_TODAY", "2026-12-28")  # five weeks on, and nothing done
    helped(ally, "maya", "2026-12-28", kind="conversation")
    (goal,) = [n for n in review(ally)["nudges"] if n["reason"] == "goals"]
    assert goal["message"].endswith("since it was set, 5 weeks ago (Mon 23 Nov 2026).")
