"""`ally suggest --git`: the user's own commits in a repository, read through `git log`.

A repository is outside input. Its configuration can name programs git would run while
reading history (`gpg.program` through `log.showSignature`, diff drivers, an fsmonitor), so
every one of those is switched off on the command line, and git's own environment variables
are dropped (journal/git.py). Its messages can hold anything: a record that does not parse
as the format asked for (a hash of 40 or 64 hex digits, an address, an ISO date) is left out,
and subjects are outside text (actions/suggest.py cleans them).

Only the period's commits are read (`--since`: git stops walking at the first older
commit), so the cost follows the weeks asked for, not the repository's age.
"""

from __future__ import annotations

import re
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

from allyjournal.actions.suggest import Commit
from allyjournal.core.dates import Period
from allyjournal.core.errors import BadInput
from allyjournal.core.text import one_line
from allyjournal.journal.git import available, environment, last_line

FIELD, RECORD = "\x1f", "\x1e"
FORMAT = "%x1e%H%x1f%P%x1f%ae%x1f%aI%x1f%D%x1f%s"  # hash, parents, author, date, refs, subject
SHA = re.compile(r"^([0-9a-f]{40}|[0-9a-f]{64})\Z")
TIMEOUT = 60.0
# Whatever the repository's configuration says, nothing runs and nothing is rewritten.
SAFE = (
    *("-c", "log.showSignature=false"),
    *("-c", "core.fsmonitor=false"),
    *("-c", "core.quotePath=true"),
    *("-c", "diff.external="),
    *("-c", "log.mailmap=false"),
)


def commits(path: Path, period: Period, emails: frozenset[str]) -> list[Commit]:
    """The commits in the repository at `path` authored in `period` by one of `emails`
    (lowercase), or when none are given by the repository's own `user.email`; oldest first."""
    git = available("ally suggest --git")
    if not path.is_dir():
        raise BadInput(f"--git {one_line(str(path))}: there is no folder there; give a repository.")
    since = datetime.combine(period.start, datetime.min.time()) - timedelta(days=1)
    until = datetime.combine(period.end, datetime.max.time()) + timedelta(days=1)
    output = _git(
        git,
        path,
        "log",
        "--exclude=refs/stash",
        "--all",
        f"--since={since.isoformat(timespec='seconds')}",
        f"--until={until.isoformat(timespec='seconds')}",
        "--no-show-signature",
        "--no-textconv",
        "--no-ext-diff",
        "--no-renames",
        "--encoding=UTF-8",
        "--name-only",
        f"--format={FORMAT}",
    )
    mine = emails or _configured_email(git, path)  # after the log: it says if it is one
    repo = path.resolve().name
    found = []
    for chunk in output.split(RECORD)[1:]:
        read = _commit(chunk, repo)
        if read is not None and read[0] in mine and read[2].day in period:
            found.append((read[1], read[2]))
    found.sort(key=lambda pair: pair[0])  # by when it was written, not as git walked
    return [commit for _, commit in found]


def _commit(chunk: str, repo: str) -> tuple[str, datetime, Commit] | None:
    """One record of the log: (author address, author time, commit), or None when it is
    not one."""
    header, _, names = chunk.partition("\n")
    fields = header.split(FIELD, 5)
    if len(fields) != 6 or not SHA.match(fields[0]):
        return None
    sha, parents, email, when, refs, subject = fields
    try:
        moment = datetime.fromisoformat(when)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    commit = Commit(
        sha=sha,
        repo=repo,
        day=moment.date(),
        subject=subject[:500],
        merge=len(parents.split()) > 1,
        tagged="tag: " in refs,
        paths=tuple(name for name in names.splitlines() if name.strip())[:200],
    )
    return email.strip().lower(), moment, commit


def _configured_email(git: str, path: Path) -> frozenset[str]:
    done = _run(git, path, "config", "--get", "user.email")
    email = done.stdout.decode("utf-8", "replace").strip().lower()
    if done.returncode != 0 or not email:
        raise BadInput(
            f"--git {one_line(str(path))}: which commits are yours? The repository has no "
            "user.email; set yours with `ally config emails you@example.com`."
        )
    return frozenset({email})


def _git(git: str, path: Path, *args: str) -> str:
    done = _run(git, path, *args)
    if done.returncode != 0:
        raise BadInput(
            f"--git {one_line(str(path))}: git {args[0]} failed: "
            f"{one_line(last_line(done.stderr))}."
        )
    return done.stdout.decode("utf-8", "replace")


def _run(git: str, path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            [git, *SAFE, "-C", str(path), "--no-pager", *args],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            env=environment(),
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise BadInput(
            f"--git {one_line(str(path))}: git took longer than {TIMEOUT:g}s; nothing was read."
        ) from None
