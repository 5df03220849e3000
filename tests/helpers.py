"""Helpers the tests share (kept out of conftest.py, so plain `pytest` can import them)."""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from allyjournal.store import Journal

TODAY = "2026-11-23"


def installed_ally() -> str:
    """The `ally` program that end-to-end tests start as a process: the one named by
    $ALLYJOURNAL_TEST_ALLY (CI installs the built wheel in a fresh virtual environment and
    points this at it, so a module left out of the wheel fails there), else the one installed
    beside the Python running the tests."""
    import shutil
    import sys

    chosen = os.environ.get("ALLYJOURNAL_TEST_ALLY")
    if chosen:
        return chosen
    return shutil.which("ally", path=str(Path(sys.executable).parent)) or "ally"


def attack_rounds(sample: int, full: int = 50) -> int:
    """How many rounds a long attack test runs: a seeded `sample` in the everyday suite (and
    CI), all `full` with ALLYJOURNAL_FULL_ATTACKS=1 (`ALLYJOURNAL_FULL_ATTACKS=1 pytest -k
    kill_9`), as the closing notes report them."""
    return full if os.environ.get("ALLYJOURNAL_FULL_ATTACKS") == "1" else sample


def fault_steps(total: int, sample: int) -> list[int]:
    """Which of a run's `total` file operations a fault-at-every-step test fails, then one
    more (the run with no fault): every one with ALLYJOURNAL_FULL_ATTACKS=1; in the everyday
    suite the first and last four and a seeded sample of the rest, `sample` in all, so CI
    stays quick and still meets both ends of each run."""
    import random

    if os.environ.get("ALLYJOURNAL_FULL_ATTACKS") == "1" or total <= sample:
        return [*range(1, total + 1), total + 1]
    ends = {*range(1, 5), *range(total - 3, total + 1)}
    middle = [step for step in range(1, total + 1) if step not in ends]
    chosen = random.Random(total).sample(middle, max(0, sample - len(ends)))
    return [*sorted(ends | set(chosen)), total + 1]


def operations_counted(run: Callable[[], object], names: tuple[str, ...]) -> int:
    """How many of the `os` functions `names` one fault-free run calls."""
    with failing_at(0, KeyboardInterrupt, names) as count:
        run()
    return count.value


class Result:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)

    def __repr__(self) -> str:
        return f"Result({self.exit_code}, stdout={self.stdout!r}, stderr={self.stderr!r})"


Run = Callable[..., Result]


def snapshot_bytes(home: Path) -> dict[str, bytes]:
    """Every file of a journal, to assert that a failed command wrote nothing. The search
    index (index/search.sqlite*) is left out: it is a cache that any search may bring up to
    date, never the journal's content (test_search_index.py checks it)."""
    if not home.exists():
        return {}
    return {
        str(path.relative_to(home)): path.read_bytes()
        for path in sorted(home.rglob("*"))
        if path.is_file() and path.name != ".lock" and not path.name.startswith("search.sqlite")
    }


def visible_state(home: Path) -> Any:
    """What a user can see of the journal, read by a fresh process-like Journal (recovering
    first), without ids and timestamps, which a re-run of the command would not reproduce."""
    journal = Journal(home)
    entries = sorted(
        json.dumps(
            {k: v for k, v in e.to_record().items() if k not in ("id", "created_at", "updated_at")},
            sort_keys=True,
        )
        for e in journal.entries()
    )
    people = sorted(
        (p.handle, p.name, str(p.ally_since), p.check_in, p.teams, p.recognition, p.channel)
        for p in journal.people()
    )
    goals = sorted((g.text, g.people, g.status) for g in journal.goals())
    promises = sorted((p.handle, p.text, p.status) for p in journal.promises())
    topics = sorted((t.handle, t.text, str(t.done_on)) for t in journal.topics())
    sources = sorted((s.id, s.state) for s in journal.sources().values())
    config = tuple(journal.config())  # read as every command reads it (sealed or not)
    return entries, people, goals, promises, topics, sources, config


def undo_depth(home: Path) -> int:
    log = home / "undo" / "log.json"
    return len(json.loads(log.read_text())) if log.exists() else 0


def commands(home: Path) -> dict[str, tuple[str, ...]]:
    journal = Journal(home)
    first = next(entry.id for entry in journal.entries() if entry.text == "Career chat")
    backup = next(path.name for path in (home / "backups").iterdir())
    goal = journal.goals()[0].id[:8]
    promise = journal.promises()[0].id[:8]
    return {
        "win": ("win", "A win under fire #faults", "--date", "2026-11-21"),
        "helped": ("helped", "maya", "Help under fire", "--kind", "intro"),
        "edit": ("edit", first[:8], "--text", "Moved to October", "--date", "2026-10-02"),
        "delete": ("delete", first[:8], "--yes"),
        "import": ("import", str(home.parent / "import.json")),
        "rename": ("people", "rename", "maya", "maya.p"),
        "add-person": ("people", "add", "zoe", "--name", "Zoe"),
        "undo": ("undo",),
        "restore": ("restore", backup, "--yes"),
        "config": ("config", "goal", "5"),
        "goal": ("goal", "add", "maya", "Staff engineer by 2027", "--with", "sam"),
        "promise": ("promise", "maya", "Introduce her to the VP", "--by", "2026-11-30"),
        "check-in": ("people", "edit", "maya", "--check-in", "every 2 weeks"),
        "team": ("people", "edit", "sam", "--team", "platform"),
        "thanks": ("thanks", "sam", "Covered my shift", "--for", "maya"),
        "goal-done": ("goal", "done", goal),
        "keeps": ("helped", "maya", "Introduced her to Lee", "--keeps", promise),
        "promise-edit": ("promise", "edit", promise, "--by", "2026-12-04", "--text", "The CTO"),
        "recover": ("sync", "recover", "fade"),
        "people-merge": ("people", "merge", "sam", "maya"),
        "typed-win": ("win", "Onboarded the new hires", "--type", "glue"),
        "learned": ("learned", "Read a chapter on sponsorship"),
        "chore": ("chore", "sam", "Took the notes at planning"),
        "recognition-wish": ("people", "edit", "maya", "--recognition", "private"),
        "topic": ("agenda", "maya", "--add", "Ask about the promo timeline"),
    }


def markdown_reading(markdown: str) -> tuple[str, list[str]]:
    """What a CommonMark reader (with GitHub's tables and strikethrough) shows of `markdown`:
    its text, paragraphs apart by a blank line and line breaks as line breaks, and every piece
    of markup it found besides paragraphs and autolinks (an address shown as itself; the
    reader may normalise the address it links to)."""
    from markdown_it import MarkdownIt

    reader = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    paragraphs: list[str] = []
    markup: list[str] = []
    for token in reader.parse(markdown):
        if token.type == "inline":
            text = []
            children = token.children or []
            for child in children:
                if child.type == "text":
                    text.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    text.append("\n")
                elif child.type == "link_open" and child.markup == "autolink":
                    if not str(child.attrs.get("href", "")).startswith(("http://", "https://")):
                        markup.append(f"link to {child.attrs.get('href')}")
                elif child.type != "link_close":
                    markup.append(child.type)
            paragraphs.append("".join(text))
        elif token.type not in ("paragraph_open", "paragraph_close"):
            markup.append(token.type)
    return "\n\n".join(paragraphs), markup


def run_in_terminal(
    args: list[str], env: dict[str, str], columns: int = 80, typed: str | None = None
) -> str:
    """Run the installed `ally` with a pseudo-terminal as its standard output (as a person at a
    terminal sees it) and return what it printed, escape codes and all."""
    import pty
    import subprocess

    executable = installed_ally()
    leader, follower = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        [executable, *args],
        stdin=follower if typed is not None else subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.STDOUT,
        env={**env, "COLUMNS": str(columns)},
    )
    os.close(follower)
    if typed is not None:
        os.write(leader, typed.encode())
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


FILE_OPERATIONS = ("open", "fsync", "replace", "link", "unlink", "mkdir", "rename")


class Counter:
    """A count that a forked child shares with its parent (an import's helper counts on from
    where the importing process was), in a page of anonymous shared memory."""

    def __init__(self) -> None:
        self._memory = mmap.mmap(-1, 8)

    @property
    def value(self) -> int:
        return int.from_bytes(self._memory[:8], "little")

    def step(self) -> int:
        value = self.value + 1
        self._memory[:8] = value.to_bytes(8, "little")
        return value


@contextmanager
def failing_at(
    number: int, fault: Callable[[], BaseException], names: tuple[str, ...] = FILE_OPERATIONS
) -> Iterator[Counter]:
    """Make the `number`th call of the `os` functions `names` (in this process and any it
    forks, counted together) raise `fault()`, as SQLite's harness injects faults; yields the
    counter, to tell whether the run reached the `number`th call."""
    count = Counter()
    originals = {name: getattr(os, name) for name in names}

    def wrap(name: str) -> Callable[..., Any]:
        def operation(*args: Any, **kwargs: Any) -> Any:
            if count.step() == number:
                raise fault()
            return originals[name](*args, **kwargs)

        return operation

    for name in names:
        setattr(os, name, wrap(name))
    try:
        yield count
    finally:
        for name, original in originals.items():
            setattr(os, name, original)
