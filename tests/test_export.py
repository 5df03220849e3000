"""Exports for performance reviews: every format, safe with hostile text, faithful in JSON."""

from __future__ import annotations

import csv
import io
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allyjournal.core.text import json_safe

from helpers import Run

HOSTILE = "=cmd|' /C calc'!A0 <script>alert(1)</script> **bold** | pipe\nnew line 🚀 שלום \u202e"


@pytest.fixture
def year(ally: Run) -> None:
    ally("people", "add", "maya", "--name", "Maya Patel")
    ally("win", "Cut CI time #ci", "--big", "--impact", "30 hours/week", "--date", "2026-03-10")
    ally("win", "Fixed the runbook with @maya", "--date", "2026-03-12")
    ally("win", "Old news", "--date", "2025-06-01")
    ally(
        "helped",
        "maya",
        "Nominated Maya for the award",
        "--kind",
        "nomination",
        "--date",
        "2026-05-02",
    )
    ally(
        "helped",
        "sam",
        "Recommended Sam to lead Q3 launch",
        "--kind",
        "opportunity",
        "--date",
        "2026-07-02",
    )
    ally("win", HOSTILE, "--impact", "-2+3", "--date", "2026-08-01")
    ally("review", "2026-08-01", "--reflect", input="A good week for @maya's promotion case\n")


def test_markdown_has_summary_highlights_then_wins_then_allyship(ally: Run, year: None) -> None:
    result = ally("export", "--period", "2026", "--format", "md")
    assert result.exit_code == 0, result
    text = result.stdout
    assert "3 wins (1 big, 2 small)" in text
    assert "Helped 2 colleagues 2 times in all" in text
    assert text.index("## Highlights") < text.index("Cut CI time") < text.index("## Other wins")
    assert "## Other wins by quarter" in text  # a year is grouped by quarter
    assert "### Q1 2026" in text
    assert "Old news" not in text
    assert "Maya Patel: 1 time (nomination)" in text
    assert "### Recognition and nominations given" in text
    assert "### Opportunities and sponsorships given" in text


def test_markdown_cannot_be_broken_by_user_text(ally: Run, year: None) -> None:
    from markdown_it import MarkdownIt

    text = ally("export", "--period", "2026").stdout
    hostile_line = next(line for line in text.splitlines() if "cmd" in line)
    assert "\\<script>" in hostile_line
    assert "\\*\\*bold\\*\\*" in hostile_line
    rendered = MarkdownIt("commonmark").enable("table").render(text)
    assert "<script" not in rendered and "<strong>bold" not in rendered
    assert "<br />\nnew line" in rendered  # the line break stays inside its list item


def test_no_allyship_leaves_help_out(ally: Run, year: None) -> None:
    text = ally("export", "--period", "2026", "--no-allyship").stdout
    assert "Allyship" not in text
    assert "Nominated" not in text
    assert "helping" not in text


def test_default_range_is_the_last_12_months(ally: Run, year: None) -> None:
    text = ally("export").stdout
    assert "Cut CI time" in text
    assert "Old news" not in text  # June 2025 is more than a year before 23 Nov 2026


def test_csv_cells_cannot_run_as_formulas_and_round_trip(
    ally: Run, year: None, tmp_path: Path
) -> None:
    result = ally("export", "--period", "2026", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6  # five wins and helps, one reflection
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))
    hostile = next(row for row in rows if "cmd" in row["text"])
    assert hostile["text"].startswith("'=cmd")
    assert hostile["impact"] == "'-2+3"


def test_json_export_import_round_trip_is_identical(
    ally: Run, year: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "all.json"
    assert ally("export", "--from", "2000-01-01", "--format", "json", "-o", str(out)).exit_code == 0
    original = json.loads(out.read_text())
    assert original["format"] == "allyjournal" and original["version"] == 1
    monkeypatch.setenv("ALLYJOURNAL_HOME", str(tmp_path / "fresh"))
    assert ally("import", str(out)).exit_code == 0
    again = tmp_path / "again.json"
    assert (
        ally("export", "--from", "2000-01-01", "--format", "json", "-o", str(again)).exit_code == 0
    )
    copied = json.loads(again.read_text())
    assert copied["entries"] == original["entries"]
    assert copied["people"] == original["people"]
    # Written entry by entry, it is still laid out as one indented document would be.
    for path in (out, again):
        text = path.read_text()
        laid_out = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
        assert text == json_safe(laid_out) + "\n"


def test_a_json_export_of_an_empty_period_is_laid_out_as_a_document(ally: Run) -> None:
    result = ally("export", "--period", "2001", "--format", "json")
    assert json.loads(result.stdout)["entries"] == []
    assert result.stdout == json.dumps(json.loads(result.stdout), indent=2) + "\n"


def test_csv_export_import_round_trip_keeps_hostile_text(
    ally: Run, year: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "all.csv"
    ally("export", "--from", "2000-01-01", "--format", "csv", "-o", str(out))
    before = ally("list", "--json").json()
    monkeypatch.setenv("ALLYJOURNAL_HOME", str(tmp_path / "fresh"))
    assert ally("import", str(out)).exit_code == 0
    after = ally("list", "--json").json()
    assert [(e["id"], e["text"], e.get("impact"), e["tags"]) for e in after] == [
        (e["id"], e["text"], e.get("impact"), e["tags"]) for e in before
    ]


class TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_escapes_all_user_text(ally: Run, year: None) -> None:
    page = ally("export", "--period", "2026", "--format", "html").stdout
    parser = TextCollector()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "<script>alert(1)</script>" in "".join(parser.text)
    assert "@media print" in page
    assert "<bdi>Cut CI time</bdi>" in page  # right-to-left text cannot reorder a line
    assert "Cut CI time" in "".join(parser.text)


def test_anonymize_replaces_names_and_handles_everywhere(ally: Run, year: None) -> None:
    for file_format in ("md", "csv", "json", "html"):
        text = ally("export", "--period", "2026", "--format", file_format, "--anonymize").stdout
        assert "maya" not in text.lower(), file_format
        assert "sam" not in text.lower(), file_format
        assert "Colleague A" in text
        assert "Colleague B" in text


def test_output_file_is_private_and_never_overwritten_without_force(
    ally: Run, year: None, tmp_path: Path
) -> None:
    out = tmp_path / "review.md"
    assert ally("export", "-o", str(out)).exit_code == 0
    assert out.stat().st_mode & 0o077 == 0
    out.write_text("keep me")
    refused = ally("export", "-o", str(out))
    assert refused.exit_code == 2
    assert "--force" in refused.stderr
    assert out.read_text() == "keep me"
    assert ally("export", "-o", str(out), "--force").exit_code == 0
    assert "Accomplishments" in out.read_text()


def test_filters(ally: Run, year: None) -> None:
    data = json.loads(ally("export", "--period", "2026", "--format", "json", "--big").stdout)
    assert [e["text"] for e in data["entries"]] == ["Cut CI time #ci"]
    data = json.loads(
        ally("export", "--period", "2026", "--format", "json", "--kind", "help").stdout
    )
    assert {e["kind"] for e in data["entries"]} == {"help"}
    data = json.loads(ally("export", "--period", "2026", "--format", "json", "--tag", "ci").stdout)
    assert len(data["entries"]) == 1


def test_bad_period_exits_2(ally: Run) -> None:
    result = ally("export", "--period", "the good times")
    assert result.exit_code == 2
    assert "the good times" in result.stderr


@given(st.lists(st.text(min_size=1).filter(str.strip), min_size=1, max_size=4), st.text())
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_csv_round_trip_keeps_any_text(tmp_path: Path, texts: list[str], impact: str) -> None:
    from datetime import date

    from allyjournal.actions import export as exporters
    from allyjournal.core.dates import Period
    from allyjournal.core.models import Entry, new_id
    from allyjournal.formats.csv import export_csv, read_csv

    stamp = "2026-11-23T10:00:00+00:00"
    entries = [
        Entry(
            id=new_id(),
            kind="win",
            date=date(2026, 11, 1 + n),
            text=text,
            created_at=stamp,
            updated_at=stamp,
            size="small",
            impact=impact or None,
        )
        for n, text in enumerate(texts)
    ]
    asked = exporters.Asked(
        Period(date(2026, 1, 1), date(2026, 12, 31), "2026"), entries, [], date(2026, 11, 23)
    )
    dump = exporters.dump(asked, goals=[], promises=[])
    path = tmp_path / f"{new_id()}.csv"
    path.write_text("".join(export_csv(dump)), encoding="utf-8", newline="")
    parsed = read_csv(path)
    assert [(e.id, e.text, e.impact) for e in parsed.entries] == [
        (e.id, e.text, e.impact) for e in entries
    ]


@pytest.mark.parametrize("file_format", ["md", "text", "csv", "json", "html"])
def test_anonymize_covers_tags_emails_and_possessives_in_every_format(
    ally: Run, file_format: str
) -> None:
    ally("people", "add", "maya", "--name", "Maya Patel")
    ally(
        "helped",
        "maya",
        "Reviewed Maya's promo packet, wrote to maya.patel@example.com #maya-promo #maya",
        "--kind",
        "sponsorship",
    )
    result = ally("export", "--anonymize", "--format", file_format)
    assert result.exit_code == 0, result
    text = result.stdout.lower()
    assert "maya" not in text
    assert "example.com" not in text
    assert "@colleague" not in text
    assert "colleague a" in text or "colleague-a" in text
    if file_format in ("md", "text", "html"):
        assert "colleague a&#x27;s promo" in text or "colleague a's promo" in text


def test_csv_guards_formulas_after_spaces_and_semicolons(ally: Run, tmp_path: Path) -> None:
    texts = ["  =1+1", "a;=HYPERLINK(1)", "b; +2", "plain; text", "c;'=quoted"]
    for text in texts:
        ally("win", "--", text)
    csv_text = ally("export", "--format", "csv").stdout
    for cell in ("'  =1+1", "a;'=HYPERLINK(1)", "b;' +2", "plain; text"):
        assert cell in csv_text
    path = tmp_path / "back.csv"
    path.write_text(csv_text)
    other = tmp_path / "other"
    result = ally("--home", str(other), "import", str(path))
    assert result.exit_code == 0, result
    back = ally("--home", str(other), "list", "--json").json()
    assert sorted(entry["text"] for entry in back) == sorted(texts)


@given(st.text(st.sampled_from(list("ab1_-#& \t\n.éA9")), max_size=40))
@settings(max_examples=300, deadline=None)
def test_a_document_shows_a_text_as_the_tag_patterns_say(text: str) -> None:
    """Tags at the end move out to the heading, a tag inside a sentence loses its '#': the
    quick path (patterns tried only where a '#' stands) writes what the patterns themselves
    would, whatever the text."""
    from datetime import date

    from allyjournal.actions.export import _TAG, _TRAILING_TAGS, shown_text
    from allyjournal.core.models import Entry

    stamp = "2026-11-23T10:00:00+00:00"
    entry = Entry("0" * 32, "win", date(2026, 11, 23), text, stamp, stamp, size="small")
    expected = text
    if "#" in text:
        expected = _TAG.sub(r"\1", _TRAILING_TAGS.sub("", text).strip() or text)
    assert shown_text(entry) == expected


@given(
    parts=st.lists(
        st.text(st.sampled_from(list("ab-é\u00a0\u2003x")), min_size=1, max_size=7)
        | st.sampled_from(["", " ", "  ", "\t", "\u00a0", "\n"]),
        max_size=12,
    ),
    width=st.integers(min_value=4, max_value=16),  # narrow: words end right at the edge
    indents=st.sampled_from([("- ", "  "), ("", "")]),
)
@settings(max_examples=1000, deadline=None)
def test_plain_text_wraps_as_textwrap_does(
    parts: list[str], width: int, indents: tuple[str, str]
) -> None:
    """The quick wrap (the last space that fits) gives textwrap's lines for any text: words
    longer than the line, runs of spaces, tabs, no-break spaces and line breaks included."""
    import textwrap

    from allyjournal.formats.text import _wrapped

    text = " ".join(parts)
    first, rest = indents
    expected: list[str] = []
    for number, line in enumerate(text.split("\n")):
        expected += textwrap.wrap(
            line,
            width,
            initial_indent=first if number == 0 else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or ([rest.rstrip()] if number else [first.rstrip()])
    assert _wrapped(text, width, first, rest) == expected
