"""A command imports only what it uses: Rich when something is drawn, dateutil when a date
is read. (Speed itself is measured in benchmarks/, never asserted here.)"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
sys.argv = ["ally", *sys.argv[1:]]
from allyjournal.launch import main
try:
    main()
except SystemExit:
    pass
heavy = (
    "rich", "dateutil", "platformdirs", "allyjournal.actions.review", "allyjournal.actions.export",
    "typer", "tinydb", "sqlite3", "dataclasses", "orjson",
)
print(json.dumps(sorted(name for name in heavy if name in sys.modules)), file=sys.stderr)
"""


def imported(*args: str) -> list[str]:
    completed = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True)
    loaded: list[str] = json.loads(completed.stderr.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("win", "Shipped it"), []),
        (("helped", "maya", "Career chat", "--new"), []),
        (("list", "-n", "5"), []),  # piped: plain lines, no Rich
        (("review", "--plain"), ["allyjournal.actions.review"]),
        (("win", "Yesterday's", "--date", "yesterday"), []),  # a word needs no dateutil
        (("win", "Earlier", "--date", "3 days ago"), ["dateutil"]),
        (("list", "--grep", "chat"), ["sqlite3"]),  # the search index
        (("status",), []),  # a prompt's line: no Typer, TinyDB, dataclasses or orjson
        (("status", "--format", "{helped}/{goal}"), []),
    ],
)
def test_commands_import_only_what_they_use(args: tuple[str, ...], expected: list[str]) -> None:
    if args[0] == "status":
        imported("win", "A journal for the prompt to read")
    loaded = imported(*args)
    if args[0] != "status":  # every other command is a Typer command over the TinyDB journal
        common = ("typer", "tinydb", "dataclasses", "orjson")  # orjson: to write, or a large read
        loaded = [name for name in loaded if name not in common]
    assert loaded == expected
