"""Whole-process timings of allyjournal on journals of 1k, 10k and 100k entries.

    .venv/bin/python benchmarks/run.py                 # 1k, 10k, 100k; 7 runs each
    .venv/bin/python benchmarks/run.py --quick         # 1k and 10k, 3 runs
    JRNL=/path/to/jrnl .venv/bin/python benchmarks/run.py   # also time jrnl at 1k and 10k

Journals are generated as the public JSON export and loaded with `ally import`, under
benchmarks/.work/ (git-ignored). Every timing is a fresh process, as a user runs it; medians
of several runs after a warm-up; ratios are against numbers measured in the same run: the
"floor" (a minimal Typer app inserting one TinyDB document) and the same command at 1k.
Peak memory is the child's maximum resident set size. Machines are noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from allyjournal.core.vocabulary import HELP_KINDS

HERE = Path(__file__).resolve().parent
WORK = HERE / ".work"
BIN = Path(sys.executable).parent
ALLY = str(BIN / "ally")
WORDS = [
    "shipped",
    "fixed",
    "reviewed",
    "migrated",
    "automated",
    "documented",
    "paired",
    "mentored",
    "launched",
    "cut",
    "reduced",
    "improved",
    "refactored",
    "onboarded",
    "debugged",
    "the",
    "a",
    "flaky",
    "slow",
    "critical",
    "new",
    "legacy",
    "pipeline",
    "service",
    "dashboard",
    "runbook",
    "api",
    "cache",
    "database",
    "release",
    "incident",
    "test",
    "suite",
]
KINDS = [kind for kind in HELP_KINDS if kind != "other"]
FLOOR_APP = """
import sys
import typer
from tinydb import TinyDB

app = typer.Typer()

@app.command()
def main(text: str) -> None:
    TinyDB(sys.argv[0] + ".json").insert({"text": text})

app()
"""


ALLIES = [f"ally{n:02d}" for n in range(20)]
TAGS = ["ci", "infra", "oncall", "launch", "docs", "hiring"]
YEARS = 10
GENERATOR = 2  # bump when the generated journals change, so old ones are rebuilt


def generate(size: int, today: date, seed: int = 7) -> Iterator[dict[str, object]]:
    """A realistic journal: ten years ending today, 20 allies, 3 to 10 entries on each day with
    entries, texts of 40 to 200 characters, 70% wins (a tenth big, with an impact) and 30% help.

    Ten years hold at most 36,500 such entries, so larger journals put more on each day
    (1,000,000 entries is about 274 a day): the days stay realistic in shape, the density grows.
    """
    rng = random.Random(seed)
    days_with_entries = min(YEARS * 365, max(1, round(size / 6.5)))
    days = sorted(rng.sample(range(YEARS * 365), days_with_entries))
    per_day = [size // days_with_entries] * days_with_entries
    for index in rng.sample(range(days_with_entries), size % days_with_entries):
        per_day[index] += 1
    if size <= days_with_entries * 10:  # spread 3-10 a day where the size allows it
        per_day = _spread(rng, size, days_with_entries)
    for offset, count in zip(days, per_day, strict=True):
        day = today - timedelta(days=offset)
        for _ in range(count):
            yield _entry(rng, day)


def _spread(rng: random.Random, size: int, days: int) -> list[int]:
    counts = [3] * days
    left = size - 3 * days
    while left > 0:
        index = rng.randrange(days)
        if counts[index] < 10:
            counts[index] += 1
            left -= 1
    return counts


def _entry(rng: random.Random, day: date) -> dict[str, object]:
    text = ""
    limit = rng.randint(40, 200)
    while len(text) < limit:
        text = f"{text} {rng.choice(WORDS)}".strip()
    text = text[:limit].strip()
    stamp = f"{day.isoformat()}T{rng.randrange(8, 19):02d}:{rng.randrange(60):02d}:00+00:00"
    tag = rng.choice(TAGS) if rng.random() < 0.3 else None
    entry: dict[str, object] = {
        "id": f"{rng.getrandbits(128):032x}",
        "date": day.isoformat(),
        "created_at": stamp,
        "updated_at": stamp,
        "impact": None,
        "tags": [tag] if tag else [],
        "text": f"{text} #{tag}" if tag else text,
    }
    if rng.random() < 0.7:
        big = rng.random() < 0.1
        entry.update(kind="win", size="big" if big else "small")
        if big:
            entry["impact"] = f"saved {rng.randint(2, 40)} hours a week"
    else:
        entry.update(kind="help", ally=rng.choice(ALLIES), help_kind=rng.choice(KINDS), level=None)
    return entry


def write_export(path: Path, size: int, today: date) -> None:
    """The generated journal as an `ally export --format json` file, written as it is made."""
    with path.open("w") as out:
        out.write('{"format": "allyjournal", "version": 1, ')
        out.write(f'"exported_at": "{today}T00:00:00+00:00", "people": ')
        people = [{"handle": handle, "name": f"Colleague {handle[4:]}"} for handle in ALLIES]
        out.write(json.dumps(people))
        out.write(', "entries": [')
        for number, entry in enumerate(generate(size, today)):
            out.write((", " if number else "") + json.dumps(entry))
        out.write("]}")


def run(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    completed = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed: {completed.stderr.decode()[-300:]}")
    return elapsed


def interleaved(
    commands: dict[str, tuple[list[str], dict[str, str]]], runs: int
) -> dict[str, float]:
    """Median seconds of each command, run in turn within every round.

    Running the floor and every journal size side by side in each round means a slow spell
    of a noisy machine slows them all alike, so the ratios hold even when the times drift.
    """
    for command, env in commands.values():
        run(command, env)  # warm-up: page cache, bytecode
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, (command, env) in commands.items():
            samples[name].append(run(command, env))
    return {name: statistics.median(times) for name, times in samples.items()}


def peak_memory_mb(command: list[str], env: dict[str, str]) -> float:
    """Maximum resident set size of one run, measured from a fresh wrapper process."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, *command], env=env, capture_output=True, text=True, check=True
    )
    kilobytes = int(out.stdout.strip())
    return kilobytes / 1024 if sys.platform != "darwin" else kilobytes / 1024 / 1024


def build_journal(size: int, today: date, env: dict[str, str]) -> Path:
    home = WORK / f"journal-{size}"
    marker = WORK / f"journal-{size}.built"  # outside the journal, which must stay owner-only
    if marker.exists() and marker.read_text() == f"{size}:{GENERATOR}":
        return home
    shutil.rmtree(home, ignore_errors=True)
    export = WORK / f"export-{size}.json"
    write_export(export, size, today)
    started = time.perf_counter()
    subprocess.run(
        [ALLY, "--home", str(home), "import", str(export)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"  built {size:,}-entry journal via `ally import` in {time.perf_counter() - started:.1f}s",
        file=sys.stderr,
    )
    marker.write_text(f"{size}:{GENERATOR}")
    return home


def jrnl_journal(size: int, today: date) -> dict[str, str]:
    """A jrnl journal of `size` entries and a config pointing at it; returns its environment."""
    folder = WORK / f"jrnl-{size}"
    config = folder / "config" / "jrnl"
    config.mkdir(parents=True, exist_ok=True)
    journal = folder / "journal.txt"
    if not journal.exists():
        rng = random.Random(size)
        days = sorted(today - timedelta(days=rng.randrange(3650)) for _ in range(size))
        with journal.open("w") as out:
            for day in days:  # a title mentioning an ally, and a two-line body with a tag
                title = " ".join(rng.choice(WORDS) for _ in range(8)).capitalize()
                body = " ".join(rng.choice(WORDS) for _ in range(30))
                more = " ".join(rng.choice(WORDS) for _ in range(20))
                tag = rng.choice(["ci", "infra", "oncall"])
                out.write(
                    f"[{day} 09:00] {title} with @ally{rng.randrange(40)}. {body} #{tag}\n{more}\n\n"
                )
    (config / "jrnl.yaml").write_text(
        "colors: {body: none, date: none, tags: none, title: none}\ndefault_hour: 9\ndefault_minute: 0\n"
        "editor: ''\nencrypt: false\nhighlight: false\nindent_character: '|'\n"
        f"journals:\n  default:\n    journal: {journal}\nlinewrap: 79\ntagsymbols: '#@'\n"
        "template: false\ntimeformat: '%Y-%m-%d %H:%M'\nversion: v4.6\n"
    )
    return {**os.environ, "XDG_CONFIG_HOME": str(folder / "config"), "XDG_DATA_HOME": str(folder)}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="journal sizes, comma-separated"
    )
    parser.add_argument(
        "--runs", type=int, default=7, help="timed runs per command (after a warm-up)"
    )
    parser.add_argument("--quick", action="store_true", help="1k and 10k, 3 runs")
    options = parser.parse_args()
    sizes = [1000, 10000] if options.quick else [int(s) for s in options.sizes.split(",")]
    runs = 3 if options.quick else options.runs
    WORK.mkdir(exist_ok=True)
    today = date.today()
    year = f"{today.year - 1}"
    # Users' Pythons cache bytecode; a sandbox that turns that off would time the compiler.
    base_env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ALLYJOURNAL") and k != "PYTHONDONTWRITEBYTECODE"
    }

    floor_script = WORK / "floor_app.py"
    floor_script.write_text(FLOOR_APP)
    floor_command = ([sys.executable, str(floor_script), "hello"], base_env)
    commands = {
        "win": ["win", "Benchmarked the journal #perf"],
        "helped": ["helped", "ally07", "Asked how I can help", "--kind", "conversation"],
        "review": ["review", "--json"],
        "list -n 10": ["list", "-n", "10"],
        "list --grep": ["list", "--grep", "flaky dashboard"],
        f"export --period {year}": ["export", "--period", year, "--format", "json"],
    }
    homes = {
        size: {**base_env, "ALLYJOURNAL_HOME": str(build_journal(size, today, base_env))}
        for size in sizes
    }
    results: dict[tuple[str, int], float] = {}
    floors: dict[str, float] = {}
    memory: dict[tuple[str, int], float] = {}
    for name, arguments in commands.items():
        batch = {"floor": floor_command}
        batch.update({str(size): ([ALLY, *arguments], homes[size]) for size in sizes})
        medians = interleaved(batch, runs)
        floors[name] = medians["floor"]
        for size in sizes:
            results[name, size] = medians[str(size)]
            memory[name, size] = peak_memory_mb([ALLY, *arguments], homes[size])
        line = ", ".join(f"{size:,}: {results[name, size] * 1000:.0f} ms" for size in sizes)
        print(f"  {name:<22} floor {floors[name] * 1000:.0f} ms, {line}", file=sys.stderr)

    jrnl = os.environ.get("JRNL") or shutil.which("jrnl")
    jrnl_results: dict[tuple[str, int], float] = {}
    if jrnl:
        for size in [s for s in sizes if s <= 10000]:
            env = jrnl_journal(size, today)
            medians = interleaved(
                {"add": ([jrnl, "Benchmarked jrnl"], env), "list -n 10": ([jrnl, "-n", "10"], env)},
                min(runs, 3),
            )
            for name, seconds in medians.items():
                jrnl_results[name, size] = seconds

    print_table(sizes, floors, results, memory, jrnl_results)


def print_table(
    sizes: list[int],
    floors: dict[str, float],
    results: dict[tuple[str, int], float],
    memory: dict[tuple[str, int], float],
    jrnl: dict[tuple[str, int], float],
) -> None:
    names = list(floors)
    floor = statistics.median(floors.values())
    print(
        f"\nFloor (minimal Typer app inserting one TinyDB document): {floor * 1000:.0f} ms (median of batches)\n"
    )
    header = " | ".join(f"{s:,} entries" for s in sizes)
    print(
        f"| command | {header} | ÷ floor at {sizes[min(1, len(sizes) - 1)]:,} | {sizes[-1]:,} ÷ {sizes[0]:,} | peak MB |"
    )
    print("|---" * (len(sizes) + 4) + "|")
    middle = sizes[min(1, len(sizes) - 1)]
    for name in names:
        times = " | ".join(f"{results[name, s] * 1000:.0f} ms" for s in sizes)
        print(
            f"| `ally {name}` | {times} | {results[name, middle] / floors[name]:.2f} | "
            f"{results[name, sizes[-1]] / results[name, sizes[0]]:.2f} | {max(memory[name, s] for s in sizes):.0f} |"
        )
    for (name, size), seconds in sorted(jrnl.items()):
        print(f"| `jrnl {name}` at {size:,} | {seconds * 1000:.0f} ms |")

    print("\nTargets:")
    checks: list[tuple[str, bool]] = []
    if 10000 in sizes:
        ratio = results["win", 10000] / floors["win"]
        checks.append((f"win at 10k within 1.25× of the floor: {ratio:.2f}×", ratio <= 1.25))
        if ("add", 10000) in jrnl:
            speedup = jrnl["add", 10000] / results["win", 10000]
            checks.append(
                (f"win at 10k at least 30× faster than jrnl's add: {speedup:.0f}×", speedup >= 30)
            )
    if 100000 in sizes and 1000 in sizes:
        for name in ("win", "helped", "review"):
            ratio = results[name, 100000] / results[name, 1000]
            checks.append((f"{name} at 100k within 1.2× of 1k: {ratio:.2f}×", ratio <= 1.2))
    largest = sizes[-1]
    for name in names:
        if name.startswith(("list --grep", "export")):
            seconds = results[name, largest]
            checks.append((f"{name} at {largest:,} under 1 s: {seconds:.2f} s", seconds < 1))
    peak = max(memory.values())
    checks.append(
        (f"peak memory of any command at {largest:,} under 80 MB: {peak:.0f} MB", peak < 80)
    )
    for text, passed in checks:
        print(f"- {'PASS' if passed else 'FAIL'}: {text}")


if __name__ == "__main__":
    main()
