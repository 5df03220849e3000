"""One wrapping rule at a terminal: messages, notes, errors, listings and drafted documents are
broken between words at the terminal's width (80 columns here), never inside a word, and a
pipe gets the same words on one line each, as scripts expect."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from helpers import installed_ally, run_in_terminal

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
LONG = (
    "Reviewed the design document for the storage migration and suggested a safer rollout "
    "with canaries, a feature flag and a written plan for going back"
)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "journal"
    environment = {
        **os.environ,
        "ALLYJOURNAL_HOME": str(home),
        "ALLYJOURNAL_TODAY": "2026-11-23",
        "NO_COLOR": "1",
    }
    for args in (
        ["helped", "lee", LONG, "--kind", "feedback", "--date", "2026-11-20"],
        ["helped", "lee", f"Nominated Lee: {LONG}", "--kind", "nomination", "--date", "2026-11-19"],
        ["thanks", "lee", f"Covered my shift. {LONG}", "--date", "2026-11-18"],
    ):
        subprocess.run([installed_ally(), *args], env=environment, check=True, capture_output=True)
    gone = {
        "id": "fade" * 8,
        "kind": "win",
        "date": "2026-11-12",
        "text": LONG,
        "created_at": "2026-11-12T09:00:00+00:00",
    }
    merged = home / "merged-away.json"
    merged.write_text(
        json.dumps([{"merged_at": "2026-11-22T10:00:00", "what": "removed entry", "record": gone}])
    )
    merged.chmod(0o600)
    (tmp_path / "wins.csv").write_text(f"date,text\n2026-11-03,{LONG}\n")
    return environment


def words(text: str) -> list[str]:
    return ANSI.sub("", text).split()


@pytest.mark.parametrize(
    "args",
    [
        ["config"],
        ["sync", "recover"],
        ["import", "{tmp}/wins.csv", "--dry-run"],
        ["nominate", "--format", "text"],
        ["recognition", "lee", "--format", "text"],
        ["show", "z" * 12 + " is not an id, and this argument is long enough to wrap"],
        [
            "export",
            "--format",
            "md",
            "-o",
            "{tmp}/" + "a-long-file-name-for-the-review" * 2 + ".md",
        ],
    ],
    ids=["config", "recover", "import-dry-run", "nominate", "recognition", "error", "wrote"],
)
def test_at_80_columns_lines_break_between_words_and_a_pipe_gets_the_same_words(
    env: dict[str, str], tmp_path: Path, args: list[str]
) -> None:
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    piped = subprocess.run([installed_ally(), *args], env=env, capture_output=True, text=True)
    for made in tmp_path.glob("*.md"):
        made.unlink()
    seen = ANSI.sub("", run_in_terminal(args, env, columns=80))
    lines = seen.splitlines()
    too_long = [line for line in lines if len(line) > 80 and " " in line.strip()]
    assert too_long == [], too_long
    assert words(seen) == words(piped.stdout + piped.stderr) or sorted(words(seen)) == sorted(
        words(piped.stdout + piped.stderr)
    ), seen
    flat = (piped.stdout + piped.stderr).splitlines()
    if any(len(line) > 80 for line in flat):  # text documents are wrapped at 80 already
        assert len(lines) > len(flat), seen


def test_markdown_printed_to_a_terminal_is_rendered_and_to_a_pipe_is_the_file(
    env: dict[str, str],
) -> None:
    piped = subprocess.run(
        [installed_ally(), "recognition", "lee"], env=env, capture_output=True, text=True
    )
    assert piped.stdout.startswith("# Recognition record for @lee")
    seen = ANSI.sub("", run_in_terminal(["recognition", "lee"], env, columns=80))
    assert "# Recognition" not in seen and "Recognition record for @lee" in seen
    assert all(len(line) <= 80 for line in seen.splitlines()), seen
    assert "rollout" in seen
