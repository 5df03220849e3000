"""Every path of a journal directory, named once. Paths inside the journal are written
relative to its home ("entries/2026-11.json"), as the transaction and backups record them.

    allyjournal.json       format marker and schema version; checked by every command
    config.json            settings that travel with the journal (core/config.py)
    machine.json           this machine's own settings (editor, backups); never synced
    people.json            TinyDB, table "people": allies and contacts
    goals.json             TinyDB, table "goals": allies' goals and goals shared with them
    promises.json          TinyDB, table "promises": what you said you would do for an ally
    merged-away.json       versions a sync merge did not keep (merge.py); only with sync
    sources.json           TinyDB, table "sources": the commits and calendar events `ally suggest`
                           offered, logged or skipped, so none is offered twice
    topics.json            TinyDB, table "topics": what to raise at the next 1:1 with an ally
    entries/YYYY-MM-DD.json  TinyDB, table "entries": one partition per day of entry dates
    index/                 derived indexes (indexes.py): ids, help per day, allies per week
    undo/                  the undo log and the files as they were before each change (undo.py)
    backups/               snapshots (backups.py)
    .staging/, commit.json a change being committed (change.py)
    .lock                  the writers' lock
    .calendar.lock         held while the `calendar` setting's file is rewritten

Partitions keep the cost of `win`, `helped` and `review` independent of the journal's age and
size: a change touches one day and a few small index files, never the whole history. (Schema 1
kept one partition per month, "YYYY-MM"; a month of a million-entry journal is 2.5 MB, which
`win` rewrote each time. Schema 2 splits them into days, and the code reads both keys so a
journal stays readable while it is being upgraded.)
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

SCHEMA_VERSION = 4
META = "allyjournal.json"
CONFIG = "config.json"
MACHINE = "machine.json"  # settings that stay on this machine: sync neither shares nor reads it
PEOPLE = "people.json"
GOALS = "goals.json"
PROMISES = "promises.json"
MERGED_AWAY = "merged-away.json"  # versions a sync merge did not keep (merge.py)
SOURCES = "sources.json"  # what `ally suggest` offered (actions/suggest.py)
TOPICS = "topics.json"  # what to raise at your next 1:1 with an ally (`ally agenda --add`)
ENTRIES = "entries"
INDEX = "index"
UNDO = "undo"
UNDO_LOG = "undo/log.json"
BACKUPS = "backups"
STAGING = ".staging"
COMMIT = "commit.json"
LOCK = ".lock"
CALENDAR_LOCK = ".calendar.lock"  # one `calendar` setting refresh at a time (after changes)
LEGACY_SINGLE_FILE = "journal.json"  # schema 0: the stock single-file TinyDB layout
LEGACY_UNDO = "undo.json"  # the undo stack before undo/ existed; replaced on the next change
LEGACY_PENDING = "pending.json"  # the interrupted-change marker before commit.json

MONTH = re.compile(r"^\d{4}-\d{2}$")  # a schema 1 partition key
KEY = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")  # a partition key: a day, or a schema 1 month
PARTITION = re.compile(r"^entries/(\d{4}-\d{2}(?:-\d{2})?)\.json$")
TABLES = {
    PEOPLE: "people",
    GOALS: "goals",
    PROMISES: "promises",
    SOURCES: "sources",
    TOPICS: "topics",
}
DAY_FILE = r"entries/\d{4}-\d{2}(-\d{2})?\.json"  # a partition, as a pattern for a path

# Which files are the user's, by what is done with them. Each set is written here once;
# backups, restore, undo, encryption, sync and its .gitignore take theirs from here.
#
# What the user wrote (besides the day files): a backup carries them, an undo record may
# name them, everything else in the folder can be recomputed or is this machine's own.
RECORD_FILES = (META, PEOPLE, GOALS, PROMISES, SOURCES, TOPICS, MERGED_AWAY, LEGACY_SINGLE_FILE)
# What a sync shares with the other machines (besides the day files): the records and the
# settings that travel. machine.json, indexes, undo and backups stay here.
SHARED_FILES = (META, CONFIG, PEOPLE, GOALS, PROMISES, MERGED_AWAY, SOURCES, TOPICS)
# What `ally encrypt` seals (besides the day files and the indexes): everything that holds
# words, the settings included. The format marker stays in clear: it says how to open the rest.
SEALED_FILES = (CONFIG, MACHINE, PEOPLE, GOALS, PROMISES, SOURCES, TOPICS, MERGED_AWAY)


def _one_of(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("^(" + "|".join([*map(re.escape, names), DAY_FILE]) + ")$")


TRUTH = _one_of(RECORD_FILES)
SHARED = _one_of(SHARED_FILES)
# Every file a change may write or a commit record may name: nothing outside the journal, no
# "..", no absolute path, whatever a damaged or crafted record says.
JOURNAL_FILE = re.compile(
    r"^(allyjournal\.json|config\.json|machine\.json|people\.json|goals\.json|promises\.json|sources\.json|topics\.json|merged-away\.json|entries/\d{4}-\d{2}(-\d{2})?\.json"
    r"|index/(ids/([0-9a-z_]{2}|recent)\.json|helps/\d{4}(-\d{2})?\.json|weeks\.json)"
    r"|undo/log\.json|undo\.json|pending\.json|journal\.json)$"
)


def partition(key: str) -> str:
    """The partition holding entries dated `key` ("YYYY-MM-DD"; "YYYY-MM" in schema 1)."""
    return f"{ENTRIES}/{key}.json"


def key_of(day: date) -> str:
    """The partition key of the entries dated `day`."""
    return day.isoformat()


def partition_key(path: str) -> str | None:
    """The key a partition path holds, or None for any other path."""
    match = PARTITION.match(path)
    return match[1] if match else None


def holds_date(key: str, day: str) -> bool:
    """Whether partition `key` is where an entry dated `day` ("YYYY-MM-DD") belongs."""
    return day[: len(key)] == key


def overlaps(key: str, low: str, high: str) -> bool:
    """Whether partition `key` may hold dates within [low, high] (ISO dates)."""
    return low[: len(key)] <= key <= high[: len(key)]


def table_of(path: str) -> str:
    """The TinyDB table name inside a data file."""
    return TABLES.get(path, "entries")


def is_truth(path: str) -> bool:
    """True for the files a backup or restore must carry (what the user wrote)."""
    return bool(TRUTH.match(path))


def is_shared(path: str) -> bool:
    """True for the files a sync shares: what the user wrote and the settings that travel."""
    return bool(SHARED.match(path))


def gitignore() -> str:
    """Sync's .gitignore: everything but the shared files, so git never sees the rest. The
    text is compared byte for byte on every sync, so its form must not change."""
    kept = "".join(f"!/{name}\n" for name in SHARED_FILES)
    return (
        "# allyjournal sync: only the journal's data files are shared. Indexes, the undo log,\n"
        "# backups, locks and files set aside as damaged stay on this machine.\n"
        "/*\n!/.gitignore\n" + kept + "!/entries/\n/entries/*\n"
        "!/entries/[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9].json\n"
        "!/entries/[0-9][0-9][0-9][0-9]-[0-9][0-9].json\n"
    )


def is_journal_path(path: str) -> bool:
    """True for a relative path naming one of the journal's own files."""
    return bool(JOURNAL_FILE.match(path))


def default_home() -> Path:
    """The journal directory: $ALLYJOURNAL_HOME, else the platform's user data folder."""
    explicit = os.environ.get("ALLYJOURNAL_HOME")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("allyjournal", appauthor=False))
