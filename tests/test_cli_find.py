"""Finding entries again (list and its filters, show) and fixing them (edit, delete, undo)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from helpers import Run, snapshot_bytes


def seed(ally: Run) -> None:
    ally("win", "Old win #infra", "--date", "2026-10-01")
    ally("win", "Big launch #launch", "--big", "--impact", "revenue", "--date", "2026-11-16")
    ally("helped", "maya", "Career chat", "--kind", "conversation", "--date", "2026-11-18")
    ally("helped", "sam", "Intro to @maya", "--kind", "intro", "--date", "2026-11-20")
    ally("win", "Fixed on-call runbook #infra", "--date", "2026-11-22")


def texts(ally: Run, *args: str) -> list[str]:
    result = ally("list", "--json", *args)
    assert result.exit_code == 0, result
    return [entry["text"] for entry in result.json()]


def test_list_is_newest_first(ally: Run) -> None:
    seed(ally)
    assert texts(ally) == [
        "Fixed on-call runbook #infra",
        "Intro to @maya",
        "Career chat",
        "Big launch #launch",
        "Old win #infra",
    ]


def test_a_short_span_and_a_long_one_find_the_same_days(ally: Run) -> None:
    """Up to 92 days, the days' files are opened by name; beyond, `entries/` is listed: both
    give every entry of the span, newest first, across a new year, and nothing outside it."""
    for day in ("2025-12-30", "2025-12-31", "2026-01-01", "2026-01-02", "2026-04-30"):
        ally("win", f"Win of {day}", "--date", day)
    short = texts(ally, "--from", "2025-12-31", "--to", "2026-01-01")
    assert short == ["Win of 2026-01-01", "Win of 2025-12-31"]
    long = texts(ally, "--from", "2025-12-31", "--to", "2026-04-30")
    assert long == ["Win of 2026-04-30", "Win of 2026-01-02", *short]
    assert texts(ally, "--from", "2026-02-01", "--to", "2026-02-28") == []


def test_list_filters(ally: Run) -> None:
    seed(ally)
    assert texts(ally, "--kind", "help") == ["Intro to @maya", "Career chat"]
    assert texts(ally, "--ally", "maya") == ["Intro to @maya", "Career chat"]
    assert texts(ally, "--tag", "infra") == ["Fixed on-call runbook #infra", "Old win #infra"]
    assert texts(ally, "--big") == ["Big launch #launch"]
    assert texts(ally, "--grep", "ON-CALL") == ["Fixed on-call runbook #infra"]
    assert texts(ally, "--from", "2026-11-17", "--to", "2026-11-20") == [
        "Intro to @maya",
        "Career chat",
    ]
    assert texts(ally, "--week", "2026-11-18") == [
        "Fixed on-call runbook #infra",
        "Intro to @maya",
        "Career chat",
        "Big launch #launch",
    ]
    assert texts(ally, "--week", "last week") == texts(ally, "--week", "2026-11-18")
    assert texts(ally, "--period", "2026-10") == ["Old win #infra"]
    assert texts(ally, "-n", "2") == ["Fixed on-call runbook #infra", "Intro to @maya"]


def test_list_plain_output_has_short_ids_and_no_escape_codes(ally: Run) -> None:
    seed(ally)
    result = ally("list")
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    assert all(re.match(r"^[0-9a-f]{7,}\t2026-", line) for line in lines)
    assert "\x1b" not in result.stdout


def test_list_shows_control_characters_literally(ally: Run) -> None:
    ally("win", "evil \x1b[31m red")
    result = ally("list")
    assert "\x1b" not in result.stdout
    assert "\\x1b[31m" in result.stdout


def test_list_rejects_bad_filters(ally: Run) -> None:
    for args in (
        ("--from", "nope"),
        ("--kind", "wins!"),
        ("--week", "2026"),
        ("-n", "-1"),
        ("--ally", "a b"),
    ):
        result = ally("list", *args)
        assert result.exit_code == 2, (args, result)
        assert result.stderr.startswith("ally: "), result


def short_id(ally: Run, text: str) -> str:
    for line in ally("list").stdout.splitlines():
        if text in line:
            return line.split("\t")[0]
    raise AssertionError(text)


def test_show_by_unique_prefix(ally: Run) -> None:
    seed(ally)
    prefix = short_id(ally, "Career chat")[:5]
    result = ally("show", prefix, "--json")
    assert result.exit_code == 0, result
    assert result.json()["text"] == "Career chat"


def test_show_unknown_or_too_short_id_exits_2(ally: Run) -> None:
    seed(ally)
    assert ally("show", "zzzzzzz").exit_code == 2
    result = ally("show", "ab")
    assert result.exit_code == 2
    assert "at least 4" in result.stderr


def test_edit_fixes_a_typo_and_rederives_tags(ally: Run) -> None:
    ally("win", "Shiped the #betta release", "--tag", "q4")
    entry_id = short_id(ally, "Shiped")
    result = ally("edit", entry_id, "--text", "Shipped the #beta release")
    assert result.exit_code == 0, result
    edited = ally("show", entry_id, "--json").json()
    assert edited["text"] == "Shipped the #beta release"
    assert edited["tags"] == ["beta", "q4"]
    assert edited["updated_at"] >= edited["created_at"]


def test_edit_moves_entry_to_another_date(ally: Run) -> None:
    seed(ally)
    entry_id = short_id(ally, "Old win")
    assert ally("edit", entry_id, "--date", "2025-01-05", "--big").exit_code == 0
    assert texts(ally, "--period", "2025") == ["Old win #infra"]
    assert texts(ally, "--big") == ["Big launch #launch", "Old win #infra"]


def test_edit_rejects_options_that_do_not_fit_the_entry(ally: Run, home: Path) -> None:
    seed(ally)
    entry_id = short_id(ally, "Career chat")
    before = snapshot_bytes(home)
    result = ally("edit", entry_id, "--big")
    assert result.exit_code == 2
    assert snapshot_bytes(home) == before


def test_delete_asks_and_refuses_without_a_terminal(ally: Run) -> None:
    seed(ally)
    entry_id = short_id(ally, "Career chat")
    result = ally("delete", entry_id)
    assert result.exit_code == 2
    assert "--yes" in result.stderr
    assert "Career chat" in texts(ally)


def test_delete_then_undo_restores_exactly(ally: Run) -> None:
    seed(ally)
    before = ally("list", "--json").stdout
    entry_id = short_id(ally, "Career chat")
    assert ally("delete", entry_id, "--yes").exit_code == 0
    assert "Career chat" not in texts(ally)
    assert ally("undo").exit_code == 0
    assert ally("list", "--json").stdout == before


def test_undo_removes_the_last_logged_entry(ally: Run) -> None:
    seed(ally)
    ally("helped", "newbie", "Welcome chat")
    assert ally("undo").exit_code == 0
    assert "Welcome chat" not in texts(ally)
    assert "newbie" not in ally("people", "list").stdout


def test_undo_with_nothing_to_undo_says_so(ally: Run) -> None:
    result = ally("undo")
    assert result.exit_code == 2
    assert "Nothing to undo" in result.stderr


def test_edit_without_options_opens_the_editor(
    ally: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import sys

    script = tmp_path / "fake_editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "old = open(path, encoding='utf-8').read()\n"
        "assert old.startswith('date: 2026-11-23\\nsize: small\\n'), old\n"
        "assert '\\n\\nShiped it\\n' in old, old\n"
        "new = old.replace('Shiped it', 'Shipped it #release')\n"
        "open(path, 'w', encoding='utf-8').write(new)\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    ally("win", "Shiped it")
    entry_id = short_id(ally, "Shiped")
    result = ally("edit", entry_id)
    assert result.exit_code == 0, result
    edited = ally("show", entry_id, "--json").json()
    assert edited["text"] == "Shipped it #release"
    assert edited["tags"] == ["release"]


def test_edit_with_no_editor_explains_how_to_set_one(ally: Run) -> None:
    ally("win", "Shiped it")
    result = ally("edit", short_id(ally, "Shiped"))
    assert result.exit_code == 2
    assert "ally config editor" in result.stderr
