"""Which reader reads a file: named by `--format`, or told from the file itself."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from allyjournal.actions.importing import Parsed, load_json
from allyjournal.core.errors import BadInput


def reader(name: str) -> Callable[..., Parsed]:
    if name == "csv":
        from allyjournal.formats.csv import read_csv

        return read_csv
    if name == "jrnl":
        from allyjournal.formats import jrnl

        return jrnl.read_export
    from allyjournal.formats import json

    return json.read_export


def detect_format(path: Path) -> str:
    """json (ours), jrnl or csv, from the file name and, for JSON, its shape."""
    from allyjournal.formats import json

    if path.suffix.lower() == ".csv":
        return "csv"
    try:
        ours = json.looks_like_export(path)  # reads only the start of a large export
    except BadInput:
        ours = None  # not a JSON object: reading it whole says exactly what it is
    return "json" if ours else _whole(path)


def _whole(path: Path) -> str:
    from allyjournal.formats import jrnl, json

    data = load_json(path)
    if json.is_export(data):
        return "json"
    if jrnl.is_export(data):
        return "jrnl"
    raise BadInput(f"Cannot tell what {path} is; give --format json, csv or jrnl.")
