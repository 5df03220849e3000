"""Crashes: a kill -9 at any moment never leaves an unreadable journal or loses an entry.

A child process logs wins in a loop and prints each id once `add` has returned (the moment
`ally win` would tell the user). The parent kills it at a random moment, then checks that the
journal reads, that every acknowledged entry is there, and that the indexes agree.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from allyjournal.store import Journal

CHILD = """
import sys
from datetime import date
from pathlib import Path
from allyjournal.actions import entries
from allyjournal.store import Journal

journal = Journal(Path(sys.argv[1]))
for number in range(10_000):
    kind = number % 3
    if kind == 2:
        logged = entries.log_help(journal, f"ally{number % 5}", f"help {number}",
                                  when=date(2026, 1 + number % 12, 1 + number % 28), allow_new=True)
    else:
        logged = entries.log_win(journal, f"win {number} #crash", when=date(2026, 11, 23))
    print(logged.entry.id, flush=True)
"""


def test_kill_9_at_random_moments_never_loses_an_acknowledged_entry(tmp_path: Path) -> None:
    home = tmp_path / "journal"
    rng = random.Random(1234)
    acknowledged: set[str] = set()
    for _round in range(15):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(home)],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
        time.sleep(rng.uniform(0.3, 0.9))
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate()
        acknowledged.update(line for line in output.split() if len(line) == 32)

        journal = Journal(home)
        stored = {entry.id for entry in journal.entries()}  # reads, recovering if needed
        assert acknowledged <= stored
        assert not journal.stale_indexes()
        assert not (home / "pending.json").exists()
    assert len(acknowledged) >= 5  # the children did get work done between kills
