"""What sync's door costs: ally's own time in `ally sync`, beyond git's, and the share of it the
checks of a remote's records take.

    .venv/bin/python benchmarks/sync_door.py            # 100,000-entry journal, 7 runs
    .venv/bin/python benchmarks/sync_door.py --runs 3

Two measurements, each a fresh process per run (as a user runs it), medians printed:

1. `ally sync` right after one `ally win` on a 100,000-entry journal that syncs with a bare
   remote on the same disk: the whole process, and within it the time spent waiting for git
   (every `git` child sync starts, summed through `Repository.run`), so what remains is ally's.
2. A sync that merges 1,000 entries logged on the other machine: the whole process, and the
   time inside the door (`door.examine`: the shape and record checks of every file the remote
   changed; parsing the files is not counted, as the merge needs them parsed anyway), as a
   share of it.

The split is taken with a small wrapper (`python -c`, below) that times those two functions
with `time.perf_counter` around the real CLI; nothing in allyjournal knows it is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from run import ALLY, WORK, build_journal, clone

WRAPPER = """
import json, sys, time
from allyjournal.journal import door, git, sync
spent = {"git": 0.0, "door": 0.0}
def timed(name, function):
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            spent[name] += time.perf_counter() - start
    return wrapper
git.Repository.run = timed("git", git.Repository.run)
door.examine = timed("door", door.examine)
start = time.perf_counter()
from allyjournal.cli import main
sys.argv = ["ally", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
spent["total"] = time.perf_counter() - start
print(json.dumps(spent), file=sys.stderr)
"""


def ally(env: dict[str, str], *args: str) -> None:
    subprocess.run([ALLY, *args], env=env, check=True, stdout=subprocess.DEVNULL)


def measured(env: dict[str, str], *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stderr.strip().splitlines()[-1]))


def synced(size: int, env: dict[str, str]) -> tuple[Path, Path]:
    """A clone of the `size`-entry journal, synced with a new bare remote."""
    home = clone(build_journal(size, date(2026, 11, 23), env), f"door-{size}")
    remote = WORK / f"door-{size}.git"
    shutil.rmtree(remote, ignore_errors=True)
    subprocess.run(["git", "init", "-q", "--bare", str(remote)], check=True)
    ally({**env, "ALLYJOURNAL_HOME": str(home)}, "sync", "init", str(remote))
    return home, remote


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", type=int, default=100_000)
    runs = parser.parse_args().runs
    size = parser.parse_args().size
    env = {**os.environ, "ALLYJOURNAL_TODAY": "2026-11-23"}
    WORK.mkdir(exist_ok=True)

    home, remote = synced(size, env)
    here = {**env, "ALLYJOURNAL_HOME": str(home)}
    after_a_win = []
    for number in range(runs + 1):
        ally(here, "win", f"Benchmark win {number}")
        after_a_win.append(measured(here, "sync"))
    after_a_win = after_a_win[1:]  # the first is a warm-up
    total = statistics.median(r["total"] for r in after_a_win)
    own = statistics.median(r["total"] - r["git"] for r in after_a_win)
    print(f"sync after one win, {size:,} entries: {total:.3f} s in all, ally's own {own:.3f} s")

    merges = []
    for number in range(runs + 1):
        there = WORK / "door-other"
        shutil.rmtree(there, ignore_errors=True)
        other = {**env, "ALLYJOURNAL_HOME": str(there)}
        ally(other, "sync", "init", str(remote))
        export = WORK / "door-thousand.json"
        entries = [
            {
                "id": f"bench{number:02d}{n:05d}",
                "kind": "win",
                "date": f"2026-{1 + n % 11:02d}-{1 + n % 28:02d}",
                "text": f"Merged win {n} of round {number}",
                "size": "small",
                "created_at": "2026-11-23T09:00:00+00:00",
                "updated_at": "2026-11-23T09:00:00+00:00",
            }
            for n in range(1000)
        ]
        export.write_text(json.dumps({"format": "allyjournal", "version": 1, "entries": entries}))
        ally(other, "import", str(export))
        ally(other, "sync")
        merges.append(measured(here, "sync"))
    merges = merges[1:]
    total = statistics.median(r["total"] for r in merges)
    door = statistics.median(r["door"] for r in merges)
    share = statistics.median(r["door"] / r["total"] for r in merges)
    print(
        f"sync merging 1,000 entries into {size:,}: {total:.3f} s in all, "
        f"the door {door:.3f} s ({share:.1%})"
    )


if __name__ == "__main__":
    main()
