"""What `ally suggest --git` costs on a repository of 50,000 commits.

    .venv/bin/python benchmarks/suggest.py            # 7 runs of each
    .venv/bin/python benchmarks/suggest.py --runs 3

The repository is generated once under benchmarks/.work/ with `git fast-import`: 50,000
commits over 1,000 days up to the benchmark's "today", four in five by the user, each changing
one file in one of 20 folders, with conventional-commit subjects. Every timing is a fresh
process, as a user runs it, interleaved with a baseline (`ally remind` on the same journal:
what any command costs) so a noisy machine shows in both; medians are printed:

1. the default period (the last 30 days, about 1,500 commits of which 1,200 are the user's),
   into a journal that has logged none of them;
2. the same after `--accept all` logged them (sources.json holds their ids): nothing to offer;
3. a whole year (`--period 2026`), to show the cost follows the period, not the history.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
ALLY = str(Path(sys.executable).parent / "ally")
TODAY = date(2026, 12, 7)
COMMITS, DAYS = 50_000, 1_000
ME, OTHER = "ada@example.com", "grace@example.com"
KINDS = ("feat", "fix", "docs", "refactor", "perf", "test")


def build_repository(path: Path) -> None:
    """50,000 commits through one `git fast-import` (a few seconds)."""
    if (path / ".git").is_dir():
        return
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "--quiet", "-b", "main", str(path)], check=True)
    start = datetime.combine(TODAY - timedelta(days=DAYS), datetime.min.time(), timezone.utc)
    step = DAYS * 86400 // COMMITS
    lines: list[bytes] = []
    for n in range(COMMITS):
        when = int((start + timedelta(seconds=n * step)).timestamp())
        email = OTHER if n % 5 == 4 else ME
        folder = f"area{n % 20}"
        message = f"{KINDS[n % len(KINDS)]}({folder}): change number {n}".encode()
        content = f"{n}\n".encode()
        lines += [
            b"commit refs/heads/main",
            f"mark :{n + 1}".encode(),
            f"author Someone <{email}> {when} +0000".encode(),
            f"committer Someone <{email}> {when} +0000".encode(),
            f"data {len(message)}".encode(),
            message,
            *([f"from :{n}".encode()] if n else []),
            f"M 644 inline {folder}/file{n % 7}.txt".encode(),
            f"data {len(content)}".encode(),
            content,
            b"",
        ]
    subprocess.run(
        ["git", "-C", str(path), "fast-import", "--quiet"], input=b"\n".join(lines), check=True
    )
    subprocess.run(["git", "-C", str(path), "checkout", "--quiet", "main"], check=True)
    subprocess.run(["git", "-C", str(path), "config", "user.email", ME], check=True)


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([ALLY, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def measure(label: str, args: list[str], env: dict[str, str], runs: int) -> None:
    timed(args, env)  # warm-up
    ours, base = [], []
    for _ in range(runs):
        ours.append(timed(args, env))
        base.append(timed(["remind"], env))
    print(
        f"{label:<44} {statistics.median(ours) * 1000:6.0f} ms"
        f"   (baseline ally remind {statistics.median(base) * 1000:4.0f} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    repo = WORK / "suggest-repo"
    build_repository(repo)
    home = WORK / "suggest-journal"
    shutil.rmtree(home, ignore_errors=True)
    env = {**os.environ, "ALLYJOURNAL_HOME": str(home), "ALLYJOURNAL_TODAY": TODAY.isoformat()}
    subprocess.run([ALLY, "win", "Started"], env=env, check=True, capture_output=True)
    print(f"repository: {COMMITS:,} commits over {DAYS} days ({repo})")
    measure(
        "suggest --git (last 30 days), none logged",
        ["suggest", "--git", str(repo), "--json"],
        env,
        runs,
    )
    subprocess.run(
        [ALLY, "suggest", "--git", str(repo), "--accept", "all"],
        env=env,
        check=True,
        capture_output=True,
    )
    measure(
        "suggest --git (last 30 days), all logged",
        ["suggest", "--git", str(repo), "--json"],
        env,
        runs,
    )
    year = ["suggest", "--git", str(repo), "--period", "2026", "--json"]
    measure("suggest --git --period 2026", year, env, runs)


if __name__ == "__main__":
    main()
