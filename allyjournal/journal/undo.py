"""`ally undo`: every change can be reverted, newest first, as far back as UNDO_DEPTH.

When a change commits, the files of the user's it replaces (partitions, people) are kept in
undo/<change id>/ as they were (hard links: the change wrote new files, so the old bytes are
untouched), and undo/log.json records the change's summary and files. Undoing puts those files
back in one new change, whose index updates follow from the partitions as for any change. The
cost follows what the change touched, never the size of the journal, and so does the disk used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from allyjournal.core.errors import BadInput, UnreadableJournal
from allyjournal.core.models import now_iso
from allyjournal.journal import files, layout

if TYPE_CHECKING:
    from pathlib import Path

    from allyjournal.journal.staged import Staged

UNDO_DEPTH = 50


class UndoRecord(NamedTuple):
    id: str
    summary: str
    at: str
    files: tuple[tuple[str, bool], ...]  # (path, whether it existed before the change)


def _parse(record: Any) -> UndoRecord:
    paths = tuple((str(path), bool(existed)) for path, existed in record["files"])
    if not all(layout.is_truth(path) for path, _ in paths):
        raise ValueError("a path outside the journal's data files")
    return UndoRecord(str(record["id"]), str(record["summary"]), str(record["at"]), paths)


def read_log(change: Staged) -> list[UndoRecord]:
    """The undo log as a change sees it; a damaged one is set aside (kept beside it), not
    trusted and not allowed to stop the change."""
    try:
        raw = change.read(layout.UNDO_LOG, [])
        return [_parse(record) for record in raw]
    except (UnreadableJournal, KeyError, TypeError, ValueError, AttributeError):
        change.set_aside(layout.UNDO_LOG)
        change.notes.append(
            f"{change.home / layout.UNDO_LOG} was damaged; it was set aside and the undo "
            "history starts again from this change."
        )
        change.write(layout.UNDO_LOG, [])
        return []


def _raw_log(change: Staged) -> list[dict[str, Any]]:
    """The undo log's records as stored, when each has the shape of one; else as `read_log`
    deals with a damaged log (set aside, started again)."""
    try:
        raw = change.read(layout.UNDO_LOG, [])
    except UnreadableJournal:
        raw = None
    if isinstance(raw, list) and all(
        isinstance(record, dict)
        and isinstance(record.get("id"), str)
        and isinstance(record.get("files"), list)
        for record in raw
    ):
        return list(raw)
    return [_record(record) for record in read_log(change)]


def history(home: Path) -> list[UndoRecord]:
    """The undo log, newest last, read outside a change (for listing)."""
    try:
        return [_parse(record) for record in files.read_json(home / layout.UNDO_LOG, [])]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise UnreadableJournal(
            f"{home / layout.UNDO_LOG} is damaged; `ally doctor --fix` sets it aside."
        ) from None


def record_change(change: Staged, paths: list[str]) -> list[str]:
    """Add `change` to the undo log; returns the ids of records that fell off its end.

    The older records are carried over as they are, checked only for their shape: each is
    checked whole when it is undone, and an import's record can name thousands of files,
    which every `ally win` would otherwise check again."""
    raw = _raw_log(change)
    existed = [(path, (change.home / path).exists()) for path in paths]
    raw.append(_record(UndoRecord(change.id, change.summary, now_iso(), tuple(existed))))
    dropped = [str(record["id"]) for record in raw[:-UNDO_DEPTH]]
    change.write(layout.UNDO_LOG, raw[-UNDO_DEPTH:])
    if change.exists(layout.LEGACY_UNDO):  # the undo stack of an older version: replaced
        change.delete(layout.LEGACY_UNDO)
    return dropped


def _record(record: UndoRecord) -> dict[str, Any]:
    return {
        "id": record.id,
        "summary": record.summary,
        "at": record.at,
        "files": [list(item) for item in record.files],
    }


def revert_last(change: Staged) -> UndoRecord:
    """Within `change` (not itself undoable), put back the files of the newest change."""
    log = _raw_log(change)
    if not log:
        raise BadInput("Nothing to undo: no change has been recorded in this journal.")
    try:
        last = _parse(log[-1])
    except (KeyError, TypeError, ValueError, AttributeError):
        raise UnreadableJournal(
            f"The newest record of {change.home / layout.UNDO_LOG} is damaged (it names a file "
            "outside the journal's data, or is malformed); nothing was undone. "
            "`ally backup --list` shows earlier states."
        ) from None
    kept = change.home / layout.UNDO / last.id
    for number, (path, existed) in enumerate(last.files):
        if not existed:
            change.delete(path)
            continue
        try:
            content = files.read_json(kept / str(number))
        except UnreadableJournal:
            content = None
        if content is None:
            raise UnreadableJournal(
                f"Cannot undo '{last.summary}': its saved copy of {path} in {kept} is missing "
                "or damaged. Nothing was changed; `ally backup --list` shows older states."
            )
        change.write(path, content)
    change.write(layout.UNDO_LOG, log[:-1])
    return last
