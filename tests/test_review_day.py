"""Review-day documents (issue 31, item 6): the promotion packet under a ladder, `ally
together`, and Word files read back (and, where LibreOffice is installed, converted to PDF and
read as a person would see the pages). The clock is fixed at Mon 23 Nov 2026."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from helpers import Run, installed_ally, run_in_terminal, snapshot_bytes

LADDER = """\
# Staff engineer
<!-- our company's ladder, trimmed -->
## Technical leadership
Sets technical direction across teams.
tags: architecture
words: design doc
## Growing others
kinds: mentoring, sponsorship
## Glue
types: glue
## Public speaking
words: conference talk
"""


@pytest.fixture
def logged(ally: Run) -> Run:
    ally("people", "add", "sam", "--name", "Sam Lee")
    ally("win", "Wrote the design doc for rate limiting #architecture", "--date", "2026-11-02")
    ally("win", "Shipped the new search", "--big", "--impact", "use up 3x", "--date", "2026-11-10")
    ally("win", "Ran the onboarding for two new hires", "--type", "glue", "--date", "2026-11-12")
    ally("win", "Paired with @sam on the flaky test", "--date", "2026-11-16")
    ally(
        "helped",
        "sam",
        "Taught Sam the deploy pipeline",
        "--kind",
        "mentoring",
        "--date",
        "2026-11-03",
    )
    ally(
        "helped",
        "sam",
        "Put Sam forward for the working group",
        "--kind",
        "sponsorship",
        "--date",
        "2026-11-18",
    )
    ally("thanks", "sam", "Covered my on-call shift", "--date", "2026-11-19")
    ally("chore", "sam", "Took the notes at planning", "--date", "2026-11-20")
    ally("learned", "Read a book on inclusive hiring", "--date", "2026-11-05")
    ally(
        "helped",
        "maya",
        "Chatted about her goals",
        "--kind",
        "conversation",
        "--date",
        "2026-11-06",
    )
    return ally


def _ladder(tmp_path: Path, text: str = LADDER) -> str:
    path = tmp_path / "staff.md"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_packet_groups_evidence_under_the_ladder_and_calls_out_gaps(
    logged: Run, tmp_path: Path
) -> None:
    ladder = _ladder(tmp_path)
    shown = logged("export", "--packet", "--ladder", ladder, "--period", "2026", "-f", "text")
    assert shown.exit_code == 0, shown
    text = shown.stdout
    assert text.startswith("Promotion packet: Staff engineer\n")
    assert "criterion of staff.md;" in text  # the file's name, not where it lives
    gaps = text.split("Criteria with no evidence since Tue 25 Aug 2026")[1].split("Summary")[0]
    assert "- Public speaking — none in this period" in gaps
    assert "Technical leadership" not in gaps
    assert "- Technical leadership: 1 entry, latest Mon 2 Nov 2026" in text
    assert "- Growing others: 2 entries, latest Wed 18 Nov 2026" in text
    leadership = text.split("\nTechnical leadership\n")[1].split("\nGrowing others\n")[0]
    assert "Sets technical direction across teams." in leadership
    assert "Wrote the design doc for rate limiting (Mon 2 Nov)" in leadership
    growing = text.split("\nGrowing others\n")[1].split("\nGlue\n")[0]
    assert "Mentoring for Sam Lee: Taught Sam the deploy pipeline (Tue 3 Nov)" in growing
    # What no criterion claims is shown, never dropped; thanks and chores are not evidence.
    unmapped = text.split("Not under any criterion")[1]
    assert "Shipped the new search — use up 3x" in unmapped
    assert "Learned: Read a book on inclusive hiring" in unmapped
    assert "Covered my on-call shift" not in text and "Took the notes" not in text
    # A later --gap-since makes a criterion with older evidence a gap too.
    later = logged("export", "--packet", "--ladder", ladder, "--gap-since", "2026-11-10", "--json")
    assert later.exit_code == 2  # --json is not an export option: --format json is
    data = logged(
        "export", "--packet", "--ladder", ladder, "--gap-since", "2026-11-10", "-f", "json"
    ).json()
    gaps_now = {c["name"]: (c["gap"], c["latest"], c["count"]) for c in data["criteria"]}
    assert gaps_now == {
        "Technical leadership": (True, "2026-11-02", 1),
        "Growing others": (False, "2026-11-18", 2),
        "Glue": (False, "2026-11-12", 1),
        "Public speaking": (True, None, 0),
    }
    assert data["gap_since"] == "2026-11-10"
    assert data["ladder"] == {"name": "Staff engineer", "source": "staff.md"}
    assert {e["text"] for e in data["unmapped"]} >= {"Shipped the new search"}


def test_without_a_ladder_the_packet_uses_the_journals_own_kinds(logged: Run) -> None:
    text = logged("export", "--packet", "--period", "2026", "-f", "md").stdout
    assert text.startswith("# Promotion packet\n")
    for criterion in (
        "Delivery and impact",
        "Holding the team together",
        "Growing others",
        "Sponsorship and opening doors",
        "Learning",
    ):
        assert f"## {criterion}" in text
    assert "the default ladder" in text
    anonymous = logged("export", "--packet", "--anonymize", "-f", "text").stdout
    assert "Sam" not in anonymous and "Colleague A" in anonymous


@pytest.mark.parametrize(
    ("ladder", "says"),
    [
        ("## Leadership\nkinds: mentorship\n", "staff.md, line 2: Unknown kind 'mentorship'"),
        ("## Leadership\nSets direction.\n", "staff.md, line 1: 'Leadership' has no tags:"),
        ("Some words\n## Leadership\nkinds: win\n", "staff.md, line 1: text before the first"),
        ("# A\n# B\n## C\nkinds: win\n", "staff.md, line 2: '# B': start a criterion with"),
        ("## Lead\x1b]0;pwned\x07\nkinds: win\n", "staff.md, line 1: has a control character"),
        ("## Lead\ntypes: chores\n", "staff.md, line 2: Unknown type 'chores'"),
        ("## Lead\ntags: #\n", "staff.md, line 2: '#' is not a tag"),
        ("## Lead\ntags:\n", "staff.md, line 2: tags: has no values; e.g. tags: architecture"),
        ("", "staff.md: no criteria; start each with a line '## Name'"),
        ("## " + "x" * 121 + "\nkinds: win\n", "a name is one line of 1 to 120 characters"),
        ("".join(f"## C{n}\nkinds: win\n" for n in range(61)), "more than 60 criteria"),
    ],
)
def test_a_bad_ladder_is_one_line_and_nothing_is_written(
    logged: Run, home: Path, tmp_path: Path, ladder: str, says: str
) -> None:
    before = snapshot_bytes(home)
    out = tmp_path / "packet.md"
    result = logged("export", "--packet", "--ladder", _ladder(tmp_path, ladder), "-o", str(out))
    assert result.exit_code == 2, result
    assert result.stderr.startswith("ally: ") and result.stderr.count("\n") == 1, result.stderr
    assert says in result.stderr
    assert "\x1b" not in result.stderr
    assert not out.exists() and snapshot_bytes(home) == before


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda p: None, "no such file; give a ladder file"),
        (lambda p: p.mkdir(), "that is a folder; give a ladder file"),
        (lambda p: p.write_bytes(b"## A\nkinds: win\n\xff\xfe"), "is not UTF-8 text"),
        (lambda p: p.write_bytes(b"## A\nkinds: win\n" + b"x" * 300_000), "over 256 KB"),
    ],
)
def test_a_ladder_file_that_cannot_be_read_is_one_line(
    logged: Run, tmp_path: Path, make: object, says: str
) -> None:
    path = tmp_path / "ladder.md"
    make(path)  # type: ignore[operator]
    result = logged("export", "--packet", "--ladder", str(path))
    assert result.exit_code == 2 and says in result.stderr, result
    assert result.stderr.count("\n") == 1


def test_packet_options_are_refused_where_they_mean_nothing(logged: Run, tmp_path: Path) -> None:
    assert "add --packet" in logged("export", "--ladder", _ladder(tmp_path)).stderr
    assert "add --packet" in logged("export", "--gap-since", "monday").stderr
    csv = logged("export", "--packet", "-f", "csv")
    assert csv.exit_code == 2 and "--packet is a document" in csv.stderr
    bad_day = logged("export", "--packet", "--gap-since", "the day after never")
    assert bad_day.exit_code == 2 and bad_day.stderr.startswith("ally: ")


def test_together_gathers_everything_with_one_colleague(logged: Run) -> None:
    shown = logged("together", "sam", "--format", "text")
    assert shown.exit_code == 0, shown
    text = shown.stdout
    assert text.startswith("What we did together: Sam Lee\n")
    wins = text.split("Wins we shared")[1].split("What I did for Sam Lee")[0]
    assert "Paired with @sam on the flaky test" in wins and "new search" not in wins
    given = text.split("What I did for Sam Lee")[1].split("What Sam Lee did for me")[0]
    assert "Tue 3 Nov: mentoring: Taught Sam the deploy pipeline" in given
    assert "Wed 18 Nov: sponsorship: Put Sam forward" in given
    assert "Thu 19 Nov: Covered my on-call shift" in text.split("did for me")[1]
    assert "Took the notes at planning" in text.split("The team's housework Sam Lee did")[1]
    assert "maya" not in text.lower() and "Chatted" not in text
    data = logged("together", "sam", "--format", "json").json()
    assert (len(data["wins"]), len(data["given"]), len(data["received"])) == (1, 2, 1)
    assert data["count"] == 5
    narrow = logged("together", "sam", "--from", "2026-11-17", "--format", "json").json()
    assert [e["text"] for e in narrow["given"]] == ["Put Sam forward for the working group"]
    nobody = logged("together", "maya", "--period", "2026-10")
    assert "Nothing with maya in this period." in nobody.stdout.replace("@", "")
    unknown = logged("together", "nobody")
    assert unknown.exit_code == 2 and unknown.stderr.startswith("ally: ")


def _docx_text(path: Path) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    """(style, text) of each paragraph, and each table's rows of cells, as Word reads them."""
    document = Document(str(path))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return paragraphs, tables


def test_word_files_for_the_export_packet_together_and_recognition(
    logged: Run, tmp_path: Path
) -> None:
    logged("config", "name", "Ada Lovelace")
    logged("win", "Fixed the October outage", "--date", "2026-10-14")  # two months: a chart
    ladder = _ladder(tmp_path)
    made = {
        "export": ("export", "--period", "2026"),
        "packet": ("export", "--packet", "--ladder", ladder, "--period", "2026"),
        "together": ("together", "sam"),
        "recognition": ("recognition", "sam"),
    }
    for name, args in made.items():
        out = tmp_path / f"{name}.docx"
        result = logged(*args, "--format", "docx", "-o", str(out))
        assert result.exit_code == 0, result
        assert "(readable by you only)" in result.stderr
        assert out.stat().st_mode & 0o077 == 0
    paragraphs, tables = _docx_text(tmp_path / "export.docx")
    assert paragraphs[0] == ("Title", "Accomplishments")
    assert ("Heading 1", "Highlights") in paragraphs
    assert ("List Bullet", "Shipped the new search — use up 3x (Tue 10 Nov)") in paragraphs
    months = next(t for t in tables if t[0][0] == "Month")
    assert (
        months[0] == ["Month", "Big wins", "Small wins"] and ["November 2026", "1", "3"] in months
    )
    weeks = next(t for t in tables if t[0][0] == "Week of")
    assert weeks[0][2] == "Goal of 3 met"
    assert Document(str(tmp_path / "export.docx")).core_properties.author == "Ada Lovelace"
    packet, _ = _docx_text(tmp_path / "packet.docx")
    assert packet[0] == ("Title", "Promotion packet: Staff engineer")
    assert ("Heading 1", "Growing others") in packet
    together, _ = _docx_text(tmp_path / "together.docx")
    assert ("Heading 1", "What I did for Sam Lee") in together
    recognition, _ = _docx_text(tmp_path / "recognition.docx")
    assert recognition[0][1] == "Recognition record for Sam Lee (@sam)"
    assert ("Heading 1", "Sponsorship") in recognition


def test_a_word_file_shows_hostile_text_and_stays_a_word_file(ally: Run, tmp_path: Path) -> None:
    hostile = "Fixed it \x1b]0;pwned\x07 \x1b[31mred\x1b[0m \u202etxt.exe \x7f <w:p>&amp;"
    assert ally("win", hostile, "--date", "2026-11-10").exit_code == 0
    out = tmp_path / "e.docx"
    assert ally("export", "--format", "docx", "-o", str(out)).exit_code == 0
    paragraphs, _ = _docx_text(out)
    shown = next(text for _, text in paragraphs if "Fixed it" in text)
    assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
    assert "\\x1b]0;pwned\\x07" in shown and "<w:p>&amp;" in shown


def test_a_word_file_is_refused_at_a_terminal_and_goes_to_a_pipe(ally: Run, tmp_path: Path) -> None:
    from allyjournal.formats.docx import safe

    assert safe("a\ud800b\ufffe") == "a\ufffdb\ufffd"
    ally("win", "Shipped it", "--date", "2026-11-10")
    existing = tmp_path / "e.docx"
    existing.write_bytes(b"mine")
    kept = ally("export", "--format", "docx", "-o", str(existing))
    assert kept.exit_code == 2 and "--force" in kept.stderr and existing.read_bytes() == b"mine"
    home = os.environ["ALLYJOURNAL_HOME"]
    piped = subprocess.run(
        [installed_ally(), "export", "--format", "docx"],
        capture_output=True,
        env={**os.environ, "ALLYJOURNAL_HOME": home},
        check=False,
    )
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout[:2] == b"PK"  # a zip: the Word file itself, byte for byte
    (tmp_path / "piped.docx").write_bytes(piped.stdout)
    assert any("Shipped it" in text for _, text in _docx_text(tmp_path / "piped.docx")[0])
    seen = run_in_terminal(["export", "--format", "docx"], {**os.environ, "ALLYJOURNAL_HOME": home})
    assert seen.startswith("ally: --format docx is a Word file, not text for the terminal: add -o")
    assert "PK" not in seen


def test_a_word_file_opens_in_libreoffice_and_reads_as_pages(logged: Run, tmp_path: Path) -> None:
    """The export converted to PDF by LibreOffice, as a reviewer's tool would open it, and
    read back: its title, the evidence and the chart's table are on the pages."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftotext = shutil.which("pdftotext")
    if not soffice or not pdftotext:
        if os.environ.get("ALLYJOURNAL_REQUIRE_BROWSER"):
            pytest.fail("LibreOffice and poppler-utils are required here (.ci/run installs them)")
        pytest.skip("needs LibreOffice (apt-get install libreoffice-writer-nogui)")
    logged("win", "Fixed the October outage", "--date", "2026-10-14")
    out = tmp_path / "export.docx"
    assert logged("export", "--period", "2026", "--format", "docx", "-o", str(out)).exit_code == 0
    profile = tmp_path / "profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text = subprocess.run(
        [pdftotext, "-layout", str(tmp_path / "export.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Accomplishments" in text and "Highlights" in text
    assert "Shipped the new search" in text
    assert "November 2026" in text and "Small wins" in text  # the chart, as a table
