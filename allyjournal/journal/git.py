"""The system `git`, as sync uses it: plumbing commands in the journal's folder, each failure
turned into one line a user can act on.

Git is the engine people already trust for an offline-first history shared between machines;
allyjournal only asks it to store snapshots of the journal's data files, to move them to and
from a remote, and to say what the common ancestor of two machines' histories is. It never
lets git merge text (see merge.py): `merge` is never run, so there are no conflict markers.

Every call runs with a fixed environment: no prompts for credentials (a sync that needs a
password fails with git's own line instead of hanging), the C locale (messages are matched),
an owner-only umask (objects hold the journal's text), and the journal's own author line, so
no global git configuration is needed or changed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

from allyjournal.core.errors import JournalError

BRANCH = "main"
REMOTE = "origin"
TRACKING = f"refs/remotes/{REMOTE}/{BRANCH}"
NETWORK_TIMEOUT = float(os.environ.get("ALLYJOURNAL_SYNC_TIMEOUT", "60"))


class GitError(JournalError):
    """Git could not do what sync asked; the message says what and what to do."""

    exit_code = 1


class Unreachable(GitError):
    """The remote could not be reached (offline, wrong address, refused credentials)."""


class RefusedRemote(GitError):
    """The remote holds a file this journal will not take in (sync.py says which, in which
    commit, and why); nothing was merged or changed here."""

    exit_code = 3


class Rejected(GitError):
    """The remote moved on while this sync ran: fetch and merge again."""


def available(command: str = "ally sync") -> str:
    """The git binary, or a one-line error naming what to install."""
    found = shutil.which("git")
    if found is None:
        raise GitError(
            f"{command} needs git, and there is no `git` on PATH; install git (any version "
            "from 2.28), then run the command again. Nothing was changed."
        )
    return found


def environment(**fixed: str) -> dict[str, str]:
    """This process's environment without git's own variables (GIT_DIR, GIT_CONFIG_… could
    point git at another repository or configuration; the ssh command is kept for remotes),
    never prompting, in the C locale (messages are matched), with `fixed` on top."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("GIT_") or key in ("GIT_SSH", "GIT_SSH_COMMAND")
    }
    env.update(GIT_TERMINAL_PROMPT="0", LC_ALL="C", **fixed)
    return env


class Repository:
    """The git repository in a journal's home folder."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.git = available()

    @property
    def exists(self) -> bool:
        return (self.home / ".git").is_dir()

    def _env(self) -> dict[str, str]:
        return environment(
            GIT_AUTHOR_NAME="allyjournal",
            GIT_AUTHOR_EMAIL="allyjournal@localhost",
            GIT_COMMITTER_NAME="allyjournal",
            GIT_COMMITTER_EMAIL="allyjournal@localhost",
        )

    def run(
        self,
        *args: str,
        input: bytes | None = None,
        timeout: float | None = 120,
        check: bool = True,
    ) -> subprocess.CompletedProcess[bytes]:
        """Run `git ARGS` in the journal; a failure raises GitError with git's last line."""
        command = [
            self.git,
            "-c",
            "core.hooksPath=/dev/null",  # nothing of the user's runs inside a sync
            "-c",
            "commit.gpgSign=false",
            "-c",
            "core.autocrlf=false",
            "-c",
            "gc.auto=0",  # no surprise repacking in the middle of a sync; `git gc` is yours
            *args,
        ]
        try:
            done = subprocess.run(
                command,
                cwd=self.home,
                input=input,
                capture_output=True,
                env=self._env(),
                timeout=timeout,
                umask=0o077,
            )
        except subprocess.TimeoutExpired:
            raise Unreachable(
                f"git {args[0]} took longer than {timeout:g}s and was stopped; your journal "
                "is unchanged and committed locally. Run `ally sync` again later."
            ) from None
        if check and done.returncode != 0:
            raise GitError(f"git {args[0]} failed: {last_line(done.stderr)}")
        return done

    def text(self, *args: str) -> str:
        return self.run(*args).stdout.decode("utf-8", "replace").strip()

    def rev(self, name: str) -> str | None:
        """The commit `name` points to, or None when it does not exist."""
        done = self.run("rev-parse", "--verify", "--quiet", f"{name}^{{commit}}", check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def is_ancestor(self, older: str, newer: str) -> bool:
        done = self.run("merge-base", "--is-ancestor", older, newer, check=False)
        return done.returncode == 0

    def merge_base(self, one: str, other: str) -> str | None:
        done = self.run("merge-base", one, other, check=False)
        return done.stdout.decode().strip() or None if done.returncode == 0 else None

    def changed(self, old: str | None, new: str, paths: Iterable[str]) -> list[str]:
        """Files among `paths` (pathspecs) that differ between two commits (old None: all)."""
        if old is None:
            listed = self.run("ls-tree", "-r", "--name-only", "-z", new, "--", *paths)
        else:
            listed = self.run("diff", "--name-only", "--no-renames", "-z", old, new, "--", *paths)
        return [name for name in listed.stdout.decode("utf-8").split("\0") if name]

    def contents(self, commit: str | None, paths: list[str]) -> dict[str, bytes | None]:
        """The bytes of `paths` in `commit` (None where a path is absent), read through one
        `git cat-file --batch` rather than a process per file."""
        if commit is None or not paths:
            return dict.fromkeys(paths)
        request = "".join(f"{commit}:{path}\n" for path in paths).encode("utf-8")
        output = self.run("cat-file", "--batch", input=request).stdout
        found: dict[str, bytes | None] = {}
        position = 0
        for path in paths:
            end = output.index(b"\n", position)
            header = output[position:end].split()
            position = end + 1
            if header[-1] == b"missing":
                found[path] = None
                continue
            size = int(header[2])
            found[path] = output[position : position + size]
            position += size + 1  # the blob, then a newline
        return found

    def commit_time(self, commit: str) -> int:
        return int(self.text("show", "-s", "--format=%ct", commit))


def last_line(stderr: bytes) -> str:
    """Git's most telling line: its last non-empty one, without the "fatal: " prefix."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines()]
    lines = [line for line in lines if line and not line.startswith("hint:")]
    if not lines:
        return "no message"
    line = lines[-1]
    for prefix in ("fatal: ", "error: "):
        line = line.removeprefix(prefix)
    return line
