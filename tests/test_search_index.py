"""The search index (index/search.sqlite): a disposable cache that must never change an answer.

`list --grep/--tag/--ally` ask it for candidates; these tests compare its answers with what the
entries say, after changes made behind its back, and with the index damaged or tampered with.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import stat
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import Run, snapshot_bytes

WORDS = ["flaky", "Dashboard", "on-call", "ß", "straße", "100%", "a_b", 'say "hi"', "CI", "é"]
HANDLES = ["maya", "sam", "li"]
TAGS = ["ci", "infra", "a11y"]


def corpus(seed: int = 3, size: int = 120) -> list[dict[str, object]]:
    rng = random.Random(seed)
    entries = []
    for number in range(size):
        day = f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
        tags = rng.sample(TAGS, rng.randint(0, 2))
        entry: dict[str, object] = {
            "id": f"{rng.getrandbits(128):032x}",
            "date": day,
            "text": text + "".join(f" #{tag}" for tag in tags),
            "tags": tags,
            "impact": rng.choice([None, "saved time", "100% fewer pages"]),
            "created_at": f"{day}T{number % 24:02d}:00:00+00:00",
            "updated_at": f"{day}T{number % 24:02d}:00:00+00:00",
        }
        if number % 3:
            entry.update(kind="win", size="small")
        else:
            entry.update(kind="help", ally=rng.choice(HANDLES), help_kind="mentoring", level=None)
        entries.append(entry)
    return entries


def load(ally: Run, tmp_path: Path, entries: list[dict[str, object]]) -> None:
    people = [{"handle": handle} for handle in HANDLES]
    export = {"format": "allyjournal", "version": 1, "entries": entries, "people": people}
    path = tmp_path / "corpus.json"
    path.write_text(json.dumps(export))
    assert ally("import", str(path)).exit_code == 0


def ids(ally: Run, *args: str) -> list[str]:
    result = ally("list", "--json", "-n", "0", *args)
    assert result.exit_code == 0, result
    return [entry["id"] for entry in result.json()]


def expected(entries: list[dict[str, object]], keep: object) -> list[str]:
    """What the list should show: the matching entries, newest first."""
    chosen = [e for e in entries if keep(e)]  # type: ignore[operator]
    chosen.sort(key=lambda e: (e["date"], e["created_at"]), reverse=True)
    return [str(e["id"]) for e in chosen]


def haystack(entry: dict[str, object]) -> str:
    return f"{entry['text']}\n{entry['impact'] or ''}".casefold()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    needle=st.one_of(
        st.sampled_from(
            ["flaky", "FLAKY DASH", "call", "100%", "a_b", '"hi"', "ss", "STRASSE", " é"]
        ),
        # A blank --grep is refused in one line (tests/test_bad_options.py), not searched.
        st.text(alphabet='abcdefgiklnorsty _-%"ßé', min_size=1, max_size=6).filter(str.strip),
    )
)
def test_grep_finds_exactly_what_the_entries_hold(
    ally: Run, tmp_path: Path, home: Path, needle: str
) -> None:
    entries = corpus()
    if not (home / "allyjournal.json").exists():
        load(ally, tmp_path, entries)
    folded = needle.casefold()
    assert ids(ally, "--grep", needle) == expected(entries, lambda e: folded in haystack(e))


def test_tags_allies_and_dates_through_the_index(ally: Run, tmp_path: Path, home: Path) -> None:
    entries = corpus()
    load(ally, tmp_path, entries)
    assert ids(ally, "--tag", "a11y") == expected(entries, lambda e: "a11y" in e["tags"])
    assert ids(ally, "--tag", "ci", "--tag", "infra") == expected(
        entries,
        lambda e: {"ci", "infra"} <= set(e["tags"]),  # type: ignore[arg-type]
    )
    assert ids(ally, "--ally", "maya", "--from", "2026-03-01", "--to", "2026-06-30") == expected(
        entries,
        lambda e: e.get("ally") == "maya" and "2026-03-01" <= str(e["date"]) <= "2026-06-30",
    )
    assert (
        ids(ally, "--grep", "flaky", "-n", "3")
        == expected(entries, lambda e: "flaky" in haystack(e))[:3]
    )
    assert (home / "index" / "search.sqlite").exists()


def test_the_index_follows_every_change(ally: Run) -> None:
    ally("win", "Fixed the flaky deploy #ci", "--date", "2026-10-02")
    assert len(ids(ally, "--grep", "flaky")) == 1  # the index is built here
    ally("win", "Another flaky test #ci")
    ally("helped", "maya", "Reviewed her flaky-test talk")
    assert len(ids(ally, "--grep", "flaky")) == 3
    assert len(ids(ally, "--ally", "maya")) == 1
    first = ids(ally, "--grep", "deploy")[0]
    assert ally("edit", first, "--text", "Fixed the deploy #infra").exit_code == 0
    assert len(ids(ally, "--grep", "flaky")) == 2
    assert ids(ally, "--tag", "infra") == [first]
    assert ally("delete", first, "--yes").exit_code == 0
    assert "#infra" not in ally("tags").stdout  # gone from the index with its only entry
    assert ally("list", "--tag", "infra").exit_code == 2
    assert ally("undo").exit_code == 0
    assert ids(ally, "--tag", "infra") == [first]
    assert ally("people", "rename", "maya", "maya-s").exit_code == 0
    assert len(ids(ally, "--ally", "maya-s")) == 1


def test_a_damaged_index_is_rebuilt_and_never_changes_an_answer(ally: Run, home: Path) -> None:
    ally("win", "Fixed the flaky deploy #ci")
    ally("helped", "maya", "Paired on the flaky test")
    assert len(ids(ally, "--grep", "flaky")) == 2
    index = home / "index" / "search.sqlite"
    for path in index.parent.glob("search.sqlite*"):
        path.write_bytes(b"this is not a database" * 100)
    data = snapshot_bytes(home / "entries")
    assert len(ids(ally, "--grep", "flaky")) == 2
    assert snapshot_bytes(home / "entries") == data
    assert sqlite3.connect(index).execute("SELECT count(*) FROM entries").fetchone() == (2,)


def test_doctor_finds_an_index_that_disagrees_and_fix_rebuilds_it(ally: Run, home: Path) -> None:
    ally("win", "Fixed the flaky deploy #ci")
    ally("win", "Wrote the flaky-test guide")
    assert len(ids(ally, "--grep", "flaky")) == 2
    assert ally("doctor").exit_code == 0
    with sqlite3.connect(home / "index" / "search.sqlite") as db:  # tampered behind its back
        db.execute("DELETE FROM entries WHERE row = (SELECT min(row) FROM entries)")
    result = ally("doctor")
    assert result.exit_code != 0
    assert "search index disagrees with 1 partition" in result.stdout + result.stderr
    assert ally("doctor", "--fix").exit_code == 0
    assert ally("doctor").exit_code == 0
    assert len(ids(ally, "--grep", "flaky")) == 2


def test_the_index_is_owner_only(ally: Run, home: Path) -> None:
    ally("win", "Fixed the flaky deploy #ci")
    ids(ally, "--grep", "flaky")
    for path in (home / "index").glob("search.sqlite*"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_a_backup_does_not_make_the_index_read_everything_again(
    ally: Run, home: Path, tmp_path: Path
) -> None:
    """Hard links (automatic backups, undo records) change a file's ctime, not the file."""
    entries = corpus(size=60)
    load(ally, tmp_path, entries)
    first = ally("list", "--grep", "flaky")
    assert "indexed" in first.stderr  # the first search builds it, and says so
    linked = tmp_path / "linked"
    linked.mkdir()
    for day in (home / "entries").iterdir():  # what a hard-linked snapshot does to each file
        os.link(day, linked / day.name)
    again = ally("list", "--grep", "flaky")
    assert again.stdout == first.stdout
    assert "indexed" not in again.stderr


def _age_entries_folder(home: Path, seconds: int = 3600) -> None:
    """Make entries/ look untouched for a while, as between a user's commands."""
    folder = home / "entries"
    then = folder.stat().st_mtime_ns - seconds * 1_000_000_000
    os.utime(folder, ns=(then, then))


def test_a_settled_journal_is_searched_without_a_walk_and_a_change_ends_that(
    ally: Run, home: Path
) -> None:
    ally("win", "Fixed the flaky deploy #ci", "--date", "2026-10-02")
    _age_entries_folder(home)
    assert len(ids(ally, "--grep", "flaky")) == 1
    with sqlite3.connect(home / "index" / "search.sqlite") as db:
        stamp = db.execute("SELECT identity FROM partitions WHERE key = '~entries'").fetchone()
    assert stamp == (str((home / "entries").stat().st_mtime_ns),)
    ally("win", "Another flaky test #ci")  # moves the folder's time: the next search walks
    assert len(ids(ally, "--grep", "flaky")) == 2


def test_a_change_in_the_same_clock_tick_as_a_search_is_not_missed(ally: Run, home: Path) -> None:
    """The folder's time is only trusted when it is older than the walk (racily clean)."""
    ally("win", "Fixed the flaky deploy #ci")
    folder = home / "entries"
    tick = folder.stat().st_mtime_ns
    assert len(ids(ally, "--grep", "flaky")) == 1
    ally("win", "Another flaky test #ci")
    os.utime(folder, ns=(tick, tick))  # as if the change landed in the search's clock tick
    assert len(ids(ally, "--grep", "flaky")) == 2


def test_a_partition_edited_in_place_by_hand_is_reported_by_doctor(ally: Run, home: Path) -> None:
    ally("win", "Fixed the flaky deploy #ci", "--date", "2026-10-02")
    _age_entries_folder(home)
    assert len(ids(ally, "--grep", "flaky")) == 1
    day = home / "entries" / "2026-10-02.json"
    folder_times = (home / "entries").stat()
    with day.open("r+", encoding="utf-8") as handle:  # an in-place edit keeps the inode
        text = handle.read().replace("flaky", "tidy!")
        handle.seek(0)
        handle.write(text)
    os.utime(home / "entries", ns=(folder_times.st_atime_ns, folder_times.st_mtime_ns))
    result = ally("doctor")
    assert result.exit_code != 0
    assert "search index disagrees with 1 partition" in result.stdout + result.stderr
    assert ally("doctor", "--fix").exit_code == 0
    assert ids(ally, "--grep", "flaky") == []  # the edit is what searches see now
    assert len(ids(ally, "--grep", "tidy!")) == 1


def test_a_wildcard_beside_an_accent_is_searched_for_not_crashed_on(
    ally_process: Run, home: Path
) -> None:
    """SQLite 3.40's trigram index crashes the process on some LIKE patterns that mix a
    wildcard with a multi-byte character. Run in processes of their own, so that a crash
    fails this test rather than the suite."""
    needles = ["aé_sssb", "aé%sssb", "c_éc_ccbé", "és__sbtb", "dé_éttaté"]
    for needle in needles:
        assert ally_process("win", f"Matched {needle} exactly").exit_code == 0
    assert ally_process("win", "Matched aéxsssb, a near miss").exit_code == 0
    for needle in needles:
        result = ally_process("list", "--grep", needle, "--json")
        assert result.exit_code == 0, (needle, result)
        assert [entry["text"] for entry in result.json()] == [f"Matched {needle} exactly"]
