"""Everyday use: finding things by the journal's own words, and being told the close match."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import Run, snapshot_bytes


@pytest.fixture
def month(ally: Run) -> None:
    ally("helped", "maya", "Career chat", "--kind", "conversation", "--date", "2026-11-02")
    ally("helped", "sam", "Weekly catch-up", "--kind", "check-in", "--date", "2026-11-03")
    ally("win", "Fixed the audit #a11y", "--date", "2026-11-10")
    ally("win", "Merged PR #4123 for the #a11y checklist #ci", "--date", "2026-11-20")


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--ally", "maja"], "ally: No ally @maja in the journal (did you mean @maya?)"),
        (["--tag", "a1y"], "ally: No entry is tagged #a1y (did you mean #a11y?)"),
        (
            ["--kind", "c"],
            "ally: 'c' is ambiguous for kind: it could be chore, conversation, check-in or credit.",
        ),
        (["--kind", "wn"], "ally: Unknown kind 'wn' (did you mean win?)"),
    ],
)
def test_a_filter_naming_what_the_journal_lacks_offers_the_close_match(
    ally: Run, month: None, home: Path, args: list[str], line: str
) -> None:
    before = snapshot_bytes(home)
    for command in (["list"], ["export"]) if "--ally" not in args else (["list"],):
        result = ally(*command, *args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith(line) and result.stderr.count("\n") == 1, result
    assert snapshot_bytes(home) == before


def test_kind_of_help_filters_list_by_any_unique_prefix(ally: Run, month: None) -> None:
    found = ally("list", "--kind", "conv").stdout.splitlines()
    assert len(found) == 1 and "Career chat" in found[0]
    assert "Weekly catch-up" in ally("list", "-k", "check").stdout


def test_tags_lists_counts_and_last_use_and_numbers_are_not_tags(ally: Run, month: None) -> None:
    assert ally("tags").stdout.splitlines() == ["#a11y\t2\t2026-11-20", "#ci\t1\t2026-11-20"]
    assert ally("tags", "--json").json() == [
        {"tag": "a11y", "uses": 2, "last_used": "2026-11-20"},
        {"tag": "ci", "uses": 1, "last_used": "2026-11-20"},
    ]
    entry = ally("list", "--grep", "PR #4123", "--json").json()[0]
    assert entry["tags"] == ["a11y", "ci"]  # "#4123" is a pull request, not a theme


def test_tags_on_an_empty_journal_say_how_to_make_one(ally: Run) -> None:
    result = ally("tags")
    assert result.exit_code == 0
    assert "No tags yet" in result.stdout and "#a11y" in result.stdout


def test_kinds_explains_every_kind_and_level_from_the_vocabulary(ally: Run) -> None:
    from allyjournal.core.vocabulary import HELP_KIND_MEANINGS, LEVEL_MEANINGS

    text = ally("kinds").stdout
    for word, meaning in {**HELP_KIND_MEANINGS, **LEVEL_MEANINGS}.items():
        assert any(line.split() == [word, *meaning.split()] for line in text.splitlines()), word
    assert "A unique prefix is enough" in text


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "Usage: ally [OPTIONS] COMMAND"),
        (["export"], "Export accomplishments"),
        (["people", "add"], "Add an ally"),
    ],
)
def test_help_command_shows_what_dash_dash_help_shows(
    ally: Run, args: list[str], expected: str
) -> None:
    result = ally("help", *args)
    assert result.exit_code == 0
    assert expected in " ".join(result.stdout.split())
    assert result.stdout == ally(*args, "--help").stdout


def test_help_of_an_unknown_command_offers_the_close_one(ally: Run) -> None:
    result = ally("help", "expotr")
    assert result.exit_code == 2
    assert result.stderr == "ally: No such command 'expotr'; did you mean 'export'?\n"


def test_handles_accept_letters_of_any_alphabet_normalised(ally: Run) -> None:
    assert ally("helped", "josé", "Paired on the parser").exit_code == 0
    assert ally("helped", "jose\u0301", "Again, typed with a combining accent").exit_code == 0
    assert ally("helped", "李娜", "Intro to the platform lead", "--kind", "intro").exit_code == 0
    people = [line.split("\t")[0] for line in ally("people").stdout.splitlines()]
    assert people.count("@josé") == 1 and "@李娜" in people
    refused = ally("helped", "jo sé", "x")
    assert refused.exit_code == 2
    assert "letters (any alphabet)" in refused.stderr


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("ally list --kind c", ["chore", "conversation", "check-in", "credit"]),
        ("ally helped maya x --level inte", ["internal", "interpersonal"]),
        ("ally helped maya x --kind men", ["mentoring"]),
        ("ally list --tag a", ["a11y"]),
        ("ally list --ally m", ["maya"]),
    ],
)
def test_completion_offers_kinds_levels_tags_handles(
    ally_process: Run, month: None, monkeypatch: pytest.MonkeyPatch, words: str, expected: list[str]
) -> None:
    monkeypatch.setenv("_ALLY_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split()) - 1))
    assert ally_process().stdout.split() == expected


def test_completion_offers_the_newest_entry_ids(
    ally: Run, ally_process: Run, month: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest = [line.split("\t")[0] for line in ally("list").stdout.splitlines()]
    monkeypatch.setenv("_ALLY_COMPLETE", "complete_bash")
    monkeypatch.setenv("COMP_WORDS", "ally show ")
    monkeypatch.setenv("COMP_CWORD", "2")
    assert ally_process().stdout.split() == newest


# -- the first run --------------------------------------------------------------------------


def test_an_empty_review_says_what_to_type(ally: Run) -> None:
    plain = ally("review").stdout
    assert "Your journal is empty." in plain
    assert 'ally helped maya "Asked how I can help"' in plain
    assert "No wins logged this week" not in plain


def test_an_empty_list_at_a_terminal_says_the_journal_is_empty(home: Path) -> None:
    import os

    from helpers import run_in_terminal

    env = {**os.environ, "NO_COLOR": "1"}
    assert "Your journal is empty: log a win with" in run_in_terminal(["list"], env)
    coloured = re.sub(r"\x1b\[[0-9;]*m", "", run_in_terminal(["review"], {**os.environ}))
    assert re.search(r"Who you helped\s+│\n│\s+nobody yet", coloured), coloured
    from typer.testing import CliRunner

    from allyjournal.cli import app

    CliRunner().invoke(app, ["win", "Shipped it"])
    assert "No entries match" in run_in_terminal(["list", "--big"], env)


def test_the_first_write_says_where_the_journal_lives_once(ally: Run, home: Path) -> None:
    first = ally("win", "Shipped the fix")
    assert first.stderr == f"ally: note: started your journal in {home}\n"
    assert ally("win", "Another").stderr == ""


@pytest.mark.parametrize("command", [["review"], ["list"], ["export"], ["tags"], ["show", "abcd"]])
def test_reading_a_journal_folder_that_does_not_exist_is_refused(
    ally: Run, tmp_path: Path, command: list[str]
) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    result = ally("--home", str(missing), *command)
    assert result.exit_code == 2
    assert result.stderr == (
        f"ally: No journal at {missing} (--home): check the path for a typo, or log something "
        "to start a journal there.\n"
    )
    assert not missing.exists()
    assert ally("--home", str(missing), *command, "--help").exit_code == 0


def test_past_the_goal_reads_as_goal_met(ally: Run) -> None:
    for handle in ("maya", "sam", "li", "jo"):
        ally("helped", handle, "Asked how I can help")
    assert "Allies helped: [####################] 4 — goal of 3 met" in ally("review").stdout


# -- small frictions --------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["win", "Plan"], ["helped", "maya", "Plan"]])
@pytest.mark.parametrize("when", ["tomorrow", "next tuesday", "2026-12-01"])
def test_a_future_date_needs_future(ally: Run, home: Path, command: list[str], when: str) -> None:
    before = snapshot_bytes(home)
    refused = ally(*command, "--date", when)
    assert refused.exit_code == 2
    assert "after today; add --future" in refused.stderr and refused.stderr.count("\n") == 1
    assert snapshot_bytes(home) == before
    assert ally(*command, "--date", when, "--future").exit_code == 0


def test_editing_to_a_future_date_needs_future(ally: Run) -> None:
    ally("win", "Shipped")
    short = ally("list").stdout.split("\t")[0]
    assert ally("edit", short, "--date", "tomorrow").exit_code == 2
    assert ally("edit", short, "--date", "tomorrow", "--future").exit_code == 0


def test_next_weekday_is_that_day_of_next_week() -> None:
    from datetime import date

    from allyjournal.core.dates import parse_when

    assert parse_when("next tuesday", today=date(2026, 11, 23)) == date(2026, 12, 1)
    assert parse_when("next monday", today=date(2026, 11, 23)) == date(2026, 11, 30)


def test_the_same_entry_again_within_minutes_is_pointed_out(ally: Run) -> None:
    first = ally("helped", "maya", "Career chat", "--kind", "conversation")
    second = ally("helped", "maya", "Career chat", "--kind", "conversation")
    assert second.exit_code == 0
    assert "the same help for @maya was logged a moment ago" in second.stderr
    assert "`ally undo` removes this one" in second.stderr
    assert "logged a moment ago" not in first.stderr
    assert "logged a moment ago" not in ally("helped", "maya", "Another chat").stderr


def test_empty_help_text_shows_a_helped_example(ally: Run) -> None:
    result = ally("helped", "maya", "")
    assert result.exit_code == 2
    assert 'e.g. ally helped maya "Asked how I can help"' in result.stderr


def test_people_piped_is_one_tab_separated_line_each_and_json_for_scripts(ally: Run) -> None:
    ally("helped", "maya", "Career chat", "--date", "2026-11-20")
    ally("people", "add", "sam", "--name", "Sam Lee", "--role", "SRE, platform team")
    assert ally("people").stdout.splitlines() == [
        "@maya\t\t\t\t2026-11-20\tactive",
        "@sam\tSam Lee\tSRE, platform team\t\tnever\tactive",
    ]
    people = ally("people", "--json").json()
    assert [(p["handle"], p["name"], p["last_helped"]) for p in people] == [
        ("maya", "", "2026-11-20"),
        ("sam", "Sam Lee", None),
    ]
    assert ally("people", "list", "--json").json() == people


def test_win_with_no_text_and_no_editor_asks_at_the_terminal(ally: Run, home: Path) -> None:
    import os

    from helpers import run_in_terminal

    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    screen = run_in_terminal(["win"], env, typed="Shipped the audit fix\n")
    assert "Describe the win:" in screen
    assert "Logged win" in screen
    assert [e["text"] for e in ally("list", "--json").json()] == ["Shipped the audit fix"]


def _journal_of(ally: Run, tmp_path: Path, count: int) -> None:
    """`count` wins, one a day back from the fixed today, imported at once."""
    import hashlib
    from datetime import date, timedelta

    entries = [
        {
            "id": hashlib.md5(str(n).encode()).hexdigest(),
            "kind": "win",
            "date": (date(2026, 11, 20) - timedelta(days=n)).isoformat(),
            "text": f"Win number {n + 1}",
        }
        for n in range(count)
    ]
    path = tmp_path / "wins.json"
    path.write_text(json.dumps({"format": "allyjournal", "version": 1, "entries": entries}))
    assert ally("import", str(path)).exit_code == 0


SHOWS_PAGER = "sh -c 'echo PAGED with LESS=$LESS; cat'"


def test_a_long_list_at_a_terminal_goes_through_the_pager_grouped_by_day(
    ally: Run, tmp_path: Path
) -> None:
    import os

    from helpers import run_in_terminal

    _journal_of(ally, tmp_path, 30)
    env = {k: v for k, v in os.environ.items() if k != "LESS"}
    coloured = run_in_terminal(["list", "-n", "0"], {**env, "PAGER": SHOWS_PAGER})
    screen = re.sub(r"\x1b\[[0-9;]*m", "", coloured)
    assert screen.startswith("PAGED with LESS=FRX\n"), screen[:200]
    assert "Fri 20 Nov 2026\n" in screen and "Thu 22 Oct 2026\n" in screen
    days = re.findall(r"^\w{3} \d+ \w{3} 2026$", screen, flags=re.MULTILINE)
    assert len(days) == 30
    assert re.search(r"^Fri 20 Nov 2026\n\S+ +win +Win number 1$", screen, flags=re.MULTILINE)
    # The user's own LESS is kept; --no-pager, a list that fits, and PAGER=cat print directly.
    mine = run_in_terminal(["list", "-n", "0"], {**env, "PAGER": SHOWS_PAGER, "LESS": "S"})
    assert mine.startswith("PAGED with LESS=S\n")
    direct = run_in_terminal(["list", "-n", "0", "--no-pager"], {**env, "PAGER": SHOWS_PAGER})
    assert "PAGED" not in direct and "Win number 30" in direct
    short = run_in_terminal(["list", "-n", "5"], {**env, "PAGER": SHOWS_PAGER})
    assert "PAGED" not in short and "Win number 5" in short
    assert "Win number 30" in run_in_terminal(["list", "-n", "0"], {**env, "PAGER": "cat"})


def test_a_piped_list_is_one_tab_separated_line_per_entry_and_never_paged(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal_of(ally, tmp_path, 30)
    monkeypatch.setenv("PAGER", "false")
    lines = ally("list").stdout.splitlines()
    assert len(lines) == 30
    assert lines[0].split("\t")[1:] == ["2026-11-20", "win", "Win number 1"]


FORM_EDITOR = """
import json, sys
from pathlib import Path
path = Path(sys.argv[1])
plan_file = Path(sys.argv[0]).with_name("plan.json")
plan = json.loads(plan_file.read_text())
seen = Path(sys.argv[0]).with_name("seen.txt")
seen.write_text(seen.read_text() + path.read_text() + "\\n=====\\n" if seen.exists() else path.read_text() + "\\n=====\\n")
path.write_text(plan.pop(0))
plan_file.write_text(json.dumps(plan))
"""


def _form_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *saves: str) -> Path:
    """An editor that saves each of `saves` in turn and keeps what it was shown."""
    import sys

    folder = tmp_path / "editor"
    folder.mkdir()
    (folder / "edit.py").write_text(FORM_EDITOR)
    (folder / "plan.json").write_text(json.dumps(list(saves)))
    monkeypatch.setenv("EDITOR", f"{sys.executable} {folder / 'edit.py'}")
    return folder / "seen.txt"


def test_edit_opens_the_whole_entry_and_saves_every_field(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ally("win", "Shiped the audit #security", "--tag", "q4", "--impact", "passed")
    entry_id = ally("list", "--json").json()[0]["id"]
    seen = _form_editor(
        tmp_path,
        monkeypatch,
        "date: last friday\nsize: big\ntype: glue\nimpact: passed with no findings\n"
        "tags: q4, compliance\n\nShipped the audit #security\nwith the whole team\n",
    )
    result = ally("edit", entry_id[:6])
    assert result.exit_code == 0, result
    assert result.stdout == f"Updated big win (glue) {entry_id[:7]}. `ally undo` reverts it.\n"
    shown = seen.read_text()
    assert shown.startswith(
        "date: 2026-11-23\nsize: small\ntype:\nimpact: passed\ntags: q4\n\n"
        "Shiped the audit #security\n#~ "
    )
    assert "#~ tags: comma-separated, besides the #tags in the text." in shown
    edited = ally("show", entry_id, "--json").json()
    assert edited["date"] == "2026-11-20" and edited["size"] == "big"
    assert edited["impact"] == "passed with no findings"
    assert edited["text"] == "Shipped the audit #security\nwith the whole team"
    assert sorted(edited["tags"]) == ["compliance", "q4", "security"]
    assert ally("undo").exit_code == 0
    assert ally("show", entry_id, "--json").json()["text"] == "Shiped the audit #security"


def test_edit_in_the_editor_changes_a_help_entry_kind_and_level(
    ally: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ally("helped", "maya", "Talked about her goals", "--kind", "conversation")
    entry_id = ally("list", "--json").json()[0]["id"]
    seen = _form_editor(
        tmp_path,
        monkeypatch,
        "date: 2026-11-23\nally: maya\nkind: ment\nlevel: interp\nimpact:\ntags:\n\n"
        "Talked about her goals",
    )
    assert ally("edit", entry_id).exit_code == 0
    assert seen.read_text().startswith(
        "date: 2026-11-23\nally: maya\nkind: conversation\nlevel:\nimpact:\ntags:\n\n"
    )
    edited = ally("show", entry_id, "--json").json()
    assert (edited["help_kind"], edited["level"]) == ("mentoring", "interpersonal")


@pytest.mark.parametrize(
    ("saved", "says"),
    [
        ("date: the day after never\nsize: small\n\nShipped", "Cannot read"),
        ("date: 2026-11-23\nsize: huge\n\nShipped", "size is 'big' or 'small', not 'huge'"),
        ("date: 2026-11-23\nmood: great\n\nShipped", "Line 2 of the form, 'mood: great'"),
        ("date: 2026-11-23\nsize: small\n\n", "text below the blank line is empty"),
        ("date: 2026-12-25\nsize: small\n\nShipped", "after today"),
    ],
)
def test_a_form_that_does_not_read_is_refused_and_nothing_is_written(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, saved: str, says: str
) -> None:
    ally("win", "Shipped")
    before = snapshot_bytes(home)
    _form_editor(tmp_path, monkeypatch, saved)
    result = ally("edit", ally("list", "--json").json()[0]["id"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("ally: "), result.stderr
    assert says in result.stderr
    assert snapshot_bytes(home) == before


def test_an_unchanged_form_changes_nothing(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ally("win", "Shipped")
    before = snapshot_bytes(home)
    _form_editor(tmp_path, monkeypatch, "date: 2026-11-23\nsize: small\n\nShipped\n")
    result = ally("edit", ally("list", "--json").json()[0]["id"])
    assert (result.exit_code, result.stdout) == (0, "No change.\n")
    assert snapshot_bytes(home) == before


def test_at_a_terminal_a_bad_form_reopens_with_the_reason_on_top(
    ally: Run, home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from helpers import run_in_terminal

    ally("win", "Shipped")
    seen = _form_editor(
        tmp_path,
        monkeypatch,
        "date: someday\nsize: small\n\nShipped",
        "date: yesterday\nsize: small\n\nShipped",
    )
    entry_id = ally("list", "--json").json()[0]["id"]
    screen = run_in_terminal(["edit", entry_id], {**os.environ}, typed="y\n")
    assert "Cannot read date 'someday'" in screen or "someday" in screen, screen
    assert "Open the editor again to fix it? [Y/n]" in screen
    assert "Updated win" in screen
    second = seen.read_text().split("=====")[1]
    assert second.lstrip().startswith("date: someday")
    assert "#~ Not saved: " in second and "someday" in second
    assert ally("show", entry_id, "--json").json()["date"] == "2026-11-22"


def test_kinds_at_a_narrow_terminal_wrap_under_their_meaning() -> None:
    import os

    from helpers import run_in_terminal

    screen = run_in_terminal(["kinds"], {**os.environ}, columns=60)
    lines = screen.splitlines()
    assert max(map(len, lines)) <= 60, screen
    intro = lines.index(next(line for line in lines if line.lstrip().startswith("intro ")))
    assert lines[intro + 1].startswith(" " * 16) and lines[intro + 1].strip(), screen


def test_a_long_message_wraps_between_words_at_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """At 80 columns an import's summary broke a file name in two; to a pipe it stays one
    line, as scripts read it."""
    import io
    import sys

    from allyjournal import reports

    message = (
        "Added 100000 entries, 200 goals, 500 promises and 50 new people from "
        "export-100000.json; 0 already in the journal."
    )
    reports.said(message)
    assert capsys.readouterr().out == message + "\n"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Terminal()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("COLUMNS", "80")
    reports.said(message)
    lines = screen.getvalue().splitlines()
    assert lines == [
        "Added 100000 entries, 200 goals, 500 promises and 50 new people from",
        "export-100000.json; 0 already in the journal.",
    ]
