"""Sync: the journal's data files as a git repository, merged by meaning (merge.py).

    ally sync init [REMOTE]   make the journal a repository (or fill an empty one from REMOTE)
    ally sync                 commit what changed here, fetch, merge, push
    ally sync status          what is ahead, behind, uncommitted, and when it last synced

The merge is performed here, not by a git merge driver: it needs the whole journal at once
(an entry edited to another day leaves one file and enters another; a rename on one machine
rewrites what the other logged under the old handle; the indexes follow), a driver sees one
file at a time, and `git merge` would leave a half-merged working tree behind a kill. Instead
the three versions of each changed file come from `git cat-file`, the merged files are written
by one journal change (the same all-or-nothing transaction as `ally win`), and only then is
the merge commit made from them. A sync killed at any moment leaves either the old files or
the merged ones; in the second case the next sync commits them and merges again, finding
nothing left to do.

Only `sync` touches the network, and it never holds the writers' lock while it does: `ally
win` during a fetch or a push goes ahead and is committed by the next sync. Syncs take their
own lock (one at a time). Git sees only the data files (.gitignore below): indexes, the undo
log, backups and locks stay on each machine, and indexes are updated by the merge's change.
"""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allyjournal.core.config import SETTINGS
from allyjournal.core.errors import BadInput, JournalError, UnreadableJournal
from allyjournal.core.models import now_iso
from allyjournal.journal import door, files, layout, merge
from allyjournal.journal.git import (
    BRANCH,
    NETWORK_TIMEOUT,
    REMOTE,
    TRACKING,
    GitError,
    RefusedRemote,
    Rejected,
    Repository,
    Unreachable,
    last_line,
)
from allyjournal.journal.journal import Journal

# Only the data files are shared; everything else in the folder is this machine's.
GITIGNORE = layout.gitignore()  # the same text on every machine
STATE = "allyjournal-sync.json"  # in .git/: when this machine last synced (never shared)
SYNC_LOCK = "allyjournal-sync.lock"
# Lock files a killed git leaves; removed only while sync's own lock is held.
GIT_LOCKS = ("index.lock", "HEAD.lock", f"refs/heads/{BRANCH}.lock", f"{TRACKING}.lock")
ATTEMPTS = 3  # fetch-merge-push rounds before giving up on a remote that keeps moving


@dataclass
class SyncResult:
    remote: str | None
    committed: bool = False  # local changes were committed
    merged: merge.Merged | None = None
    pushed: bool = False
    notes: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # with --skip-bad: what was not taken


@dataclass(frozen=True)
class SyncStatus:
    remote: str | None
    synced_at: str | None
    uncommitted: int  # data files changed here since the last sync
    ahead: int  # commits here the remote had not seen at the last fetch
    behind: int  # commits there not merged here


# How a remote may be named: a path on a disk, or an address git reaches over ssh, https or
# its own protocol. Anything else (git's `ext::` runs a program, `fd::` reads a descriptor) is
# refused before git sees it, and so is a value git would read as one of its options.
TRANSPORTS = ("ssh://", "git+ssh://", "https://", "http://", "git://", "file://")


def check_remote(remote: str) -> None:
    """Refuse a REMOTE that is empty, looks like an option, or names another transport."""
    shown = remote if len(remote) <= 80 else remote[:77] + "..."
    why = None
    if not remote.strip():
        why = "it is empty"
    elif remote.startswith("-"):
        why = "it starts with '-', as an option would"
    elif any(ord(c) < 32 or ord(c) == 127 for c in remote):
        why = "it holds control characters"
    elif "::" in remote.split("/")[0] or (
        "://" in remote and not remote.lower().startswith(TRANSPORTS)
    ):
        why = "git would reach it by a transport sync does not use"
    if why:
        raise BadInput(
            f"Cannot sync with remote {shown!r}: {why}. Give a path to a bare repository "
            "(`git init --bare PATH` makes one), or an ssh or https address such as "
            "git@example.org:me/journal.git."
        )


def repository(home: Path) -> Repository:
    repo = Repository(home)
    if not repo.exists:
        raise BadInput(
            f"{home} is not set up for sync; run `ally sync init` (or `ally sync init REMOTE` "
            "to share it through a git remote)."
        )
    return repo


def has_history(home: Path) -> bool:
    """Whether the journal's repository has a commit (which would hold its files as they
    were then, in clear if the journal was not encrypted yet)."""
    return Repository(home).rev("HEAD") is not None


def remote_url(repo: Repository) -> str | None:
    done = repo.run("remote", "get-url", REMOTE, check=False)
    return done.stdout.decode().strip() or None if done.returncode == 0 else None


def init(journal: Journal, remote: str | None, renamer: merge.Renamer) -> SyncResult:
    """Make the journal a repository; with REMOTE, share it (filling an empty journal)."""
    home = journal.home
    repo = Repository(home)
    if repo.exists:
        known = remote_url(repo)
        if known == remote and repo.rev("HEAD") is None:
            return sync(journal, renamer)  # a first sync that did not finish: go on with it
        if remote is None or known == remote:
            raise BadInput(f"{home} is already set up for sync; run `ally sync`.")
        if known is not None:
            raise BadInput(
                f"{home} already syncs with {known}; to change it, run "
                f"`git -C {home} remote set-url {REMOTE} {remote}`."
            )
    # A folder that a read command or a failed first sync left behind (its lock, .git) is
    # still empty; one with other files and no format marker is not a journal to share.
    leftovers = {layout.LOCK, ".git", ".gitignore"}
    others = [p for p in home.iterdir() if p.name not in leftovers] if home.exists() else []
    if others and not (home / layout.META).exists():
        raise BadInput(f"{home} holds files but no journal ({layout.META}); nothing was done.")
    if remote is not None:
        check_remote(remote)
    files.ensure_private_dir(home)
    created = not repo.exists
    if created:
        repo.run("init", "--quiet", f"--initial-branch={BRANCH}")
    if remote is not None:
        try:
            repo.run("remote", "add", "--", REMOTE, remote)
            return sync(journal, renamer)
        except JournalError:
            # Unreachable, not a journal, a wrong passphrase: nothing is left behind, not even
            # the repository this init made, so the next `ally sync init` starts afresh.
            if created:  # the journal's files are as they were, or merged and whole
                import shutil

                shutil.rmtree(home / ".git", ignore_errors=True)
                (home / ".gitignore").unlink(missing_ok=True)
            raise
    result = SyncResult(remote=None)
    with files.locked(home / ".git", SYNC_LOCK), journal.held():
        result.committed = _commit_local(repo, journal, result.notes)
    return result


def sync(journal: Journal, renamer: merge.Renamer, *, skip_bad: bool = False) -> SyncResult:
    """Commit, fetch, merge, push; the network is used only outside the writers' lock.
    A remote file or record that fails the door (door.py) refuses the whole sync, unless
    `skip_bad`, which merges the rest and reports what was left out."""
    repo = repository(journal.home)
    result = SyncResult(remote=remote_url(repo))
    with files.locked(repo.home / ".git", SYNC_LOCK):
        _clear_stale_git_locks(repo)
        with journal.held():
            result.committed = _commit_local(repo, journal, result.notes)
        if result.remote is None:
            result.notes.append("no remote: changes are committed here only")
            _save_state(repo, result.remote)
            return result
        for _ in range(ATTEMPTS):
            _fetch(repo, result.remote)
            theirs = repo.rev(TRACKING)
            with journal.held():
                result.committed = _commit_local(repo, journal, result.notes) or result.committed
                if theirs is not None:
                    _merge(repo, journal, theirs, renamer, result, skip_bad)
            head = repo.rev("HEAD")
            if head is None or head == theirs:
                break
            if theirs is not None and repo.is_ancestor(head, theirs):
                break
            try:
                _push(repo, result.remote)
            except Rejected:
                continue  # the remote moved on meanwhile: fetch and merge that too
            result.pushed = True
            break
        else:
            raise Rejected(
                f"{result.remote} kept changing while this sync ran; everything here is "
                "committed. Run `ally sync` again."
            )
        _save_state(repo, result.remote)
    return result


def status(home: Path) -> SyncStatus:
    """What sync would do, from what this machine knows (no network)."""
    repo = repository(home)
    changed = repo.run("status", "--porcelain", "-z", "--untracked-files=all", ".").stdout
    uncommitted = len([item for item in changed.split(b"\0") if item[:3].strip()])
    ahead = behind = 0
    head, theirs = repo.rev("HEAD"), repo.rev(TRACKING)
    if head and theirs:
        counts = repo.text("rev-list", "--left-right", "--count", f"{head}...{theirs}").split()
        ahead, behind = int(counts[0]), int(counts[1])
    elif head:
        ahead = int(repo.text("rev-list", "--count", head))
    state = _read_state(repo)
    return SyncStatus(
        remote=remote_url(repo),
        synced_at=state.get("synced_at"),
        uncommitted=uncommitted,
        ahead=ahead,
        behind=behind,
    )


# -- the steps ----------------------------------------------------------------------------------


def _clear_stale_git_locks(repo: Repository) -> None:
    """A git killed with its sync leaves lock files that would stop every later git command.
    Only syncs run git here, and this one holds sync's lock, so none of them is live."""
    for name in GIT_LOCKS:
        path = repo.home / ".git" / name
        if path.exists():
            path.unlink()


def _commit_local(repo: Repository, journal: Journal, notes: list[str]) -> bool:
    """Commit what changed in the data files since the last commit (under the writers' lock,
    so no change is half-written); False when nothing had, or there is no journal yet.

    This machine's own settings never go into a commit (core/config.py): in the journal's
    first commit they are moved from config.json to machine.json; later, when a config.json
    from before machine.json still holds one, it may have come from another machine, so it
    is dropped, with a note saying how to set it again here."""
    ignore = repo.home / ".gitignore"
    if not ignore.exists() or ignore.read_bytes() != GITIGNORE.encode():
        files.write_atomic(ignore, GITIGNORE.encode())  # the same on every machine
    if not (repo.home / layout.META).exists():
        return False  # an empty journal: a first sync fills it from the remote
    first = repo.rev("HEAD") is None
    for key in journal.localise_settings(keep=first):
        if not first:
            notes.append(
                f"ignored setting '{key}' in {layout.CONFIG}: it stays on each machine and may "
                f"have come from another one; set it here with `ally config {key} VALUE`"
            )
    repo.run("add", "--all", ".")
    if repo.run("diff", "--cached", "--quiet", check=False).returncode == 0:
        return False
    # A remote of an encrypted journal learns no more than it must: no machine name.
    host = "" if files.encrypted() else f" on {socket.gethostname() or 'this machine'}"
    repo.run("commit", "--quiet", "--no-verify", "-m", f"ally: changes{host}")
    return True


def _fetch(repo: Repository, remote: str) -> None:
    done = repo.run("fetch", "--quiet", REMOTE, check=False, timeout=NETWORK_TIMEOUT)
    if done.returncode != 0:
        raise Unreachable(
            f"Could not reach {remote}: {last_line(done.stderr)}. Everything here is committed "
            "locally; run `ally sync` again when the remote can be reached."
        )


def _push(repo: Repository, remote: str) -> None:
    done = repo.run(
        "push", "--quiet", REMOTE, f"{BRANCH}:{BRANCH}", check=False, timeout=NETWORK_TIMEOUT
    )
    if done.returncode == 0:
        return
    said = done.stderr.decode("utf-8", "replace")
    if "rejected" in said or "fetch first" in said or "non-fast-forward" in said:
        raise Rejected(last_line(done.stderr))
    raise Unreachable(
        f"Could not push to {remote}: {last_line(done.stderr)}. Everything here is committed "
        "locally; run `ally sync` again to finish."
    )


def _merge(
    repo: Repository,
    journal: Journal,
    theirs: str,
    renamer: merge.Renamer,
    result: SyncResult,
    skip_bad: bool,
) -> None:
    """Under the writers' lock, after `_commit_local`: bring `theirs` in."""
    head = repo.rev("HEAD")
    if head is not None and repo.is_ancestor(theirs, head):
        return  # nothing there that is not here
    base = repo.merge_base(head, theirs) if head else None
    paths = sorted(
        path
        for path in set(repo.changed(base, head, ["."]) if head else [])
        | set(repo.changed(base, theirs, ["."]))
        if layout.is_shared(path)
    )
    # Their files are read once: to check their marker, to merge, and to write as they are;
    # a path that is not a plain file of a sane size is never read (see _tree_problems).
    unusable = _tree_problems(repo, theirs, sorted({*paths, layout.META}))
    if unusable and (layout.META in unusable or not skip_bad):
        path, problem = next(iter(sorted(unusable.items())))
        raise RefusedRemote(
            f"Refused {path} in remote commit {theirs[:10]}: {problem}. Nothing was merged "
            "or changed here; fix the remote from the machine that wrote it"
            + (", or run `ally sync --skip-bad` to merge the rest." if path != layout.META else ".")
        )
    theirs_raw = repo.contents(theirs, sorted({*paths, layout.META} - set(unusable)))
    _check_theirs(theirs_raw[layout.META], journal)
    if layout.CONFIG in paths:
        _check_theirs_settings(theirs_raw[layout.CONFIG], theirs, result.notes)
    base_read = _reader(repo, base, repo.contents(base, paths))
    as_stored = _reader(repo, theirs, theirs_raw)  # before the door left anything out
    sides = merge.Sides(
        base=base_read,
        ours=_working(journal.home),
        theirs=_door(as_stored, base_read, paths, (theirs, theirs_raw, unusable), skip_bad, result),
        ours_time=repo.commit_time(head) if head else 0,
        theirs_time=repo.commit_time(theirs),
    )
    merged = merge.merge(paths, sides, renamer=renamer, now=now_iso())
    result.merged = merged
    if merged.writes:
        # A file that comes out as the other machine has it is written as its bytes: sealed
        # files would otherwise be sealed again (a new nonce), differ, and never settle.
        verbatim = {
            path: data
            for path, data in theirs_raw.items()
            if data is not None and path in merged.writes and merged.writes[path] == as_stored(path)
        }
        journal.write_merged(merged.writes, "merged from sync", verbatim)
    repo.run("add", "--all", ".")
    tree = repo.text("write-tree")
    if head is None or (base == head and tree == repo.text("rev-parse", f"{theirs}^{{tree}}")):
        repo.run("update-ref", f"refs/heads/{BRANCH}", theirs)
        return
    commit = repo.text(
        "commit-tree", tree, "-p", head, "-p", theirs, "-m", "ally: merged by meaning"
    )
    repo.run("update-ref", f"refs/heads/{BRANCH}", commit)


# No journal file comes near this (a day of a million-entry journal is a few hundred KB); a
# blob beyond it is refused before it is read, so a remote cannot make a sync fill the memory.
MAX_FILE = 64 << 20
_NOT_A_FILE = {b"120000": "a symbolic link", b"160000": "a submodule", b"040000": "a folder"}


def _tree_problems(repo: Repository, commit: str, paths: list[str]) -> dict[str, str]:
    """Their paths that are not a plain file of a sane size (a symlink, a submodule, a folder
    where a data file belongs, a huge blob), with what each is instead; one `git ls-tree`."""
    listed = repo.run("ls-tree", "-l", "-z", "--full-tree", commit, "--", *paths).stdout
    found: dict[str, str] = {}
    for item in listed.split(b"\0"):
        meta, _, name = item.partition(b"\t")
        fields = meta.split()
        if len(fields) != 4:
            continue
        mode, kind, _, size = fields
        path = name.decode("utf-8", "replace")
        if kind != b"blob" or mode not in (b"100644", b"100755"):
            found[path] = f"it is {_NOT_A_FILE.get(mode, 'not a plain file')}, not a file"
        elif int(size) > MAX_FILE:
            found[path] = f"it is {int(size):,} bytes, more than a journal file can be"
    return found


def _check_theirs(marker: bytes | None, journal: Journal) -> None:
    """Refuse a remote whose format marker (`marker`) is not an allyjournal journal's, or of
    another schema, or encrypted otherwise than this journal; open an encrypted remote's key
    for an empty one."""
    try:
        meta = json.loads(marker) if marker is not None else None
    except ValueError:
        meta = None
    if not isinstance(meta, dict) or meta.get("format") != "allyjournal":
        raise GitError(
            f"The remote's {BRANCH} branch is not an allyjournal journal (no readable "
            f"{layout.META}); nothing was merged or changed. Sync with a journal's remote."
        )
    if meta.get("schema") != layout.SCHEMA_VERSION:
        raise GitError(
            f"The remote journal is schema {meta.get('schema')}, this allyjournal writes "
            f"schema {layout.SCHEMA_VERSION}: install the same allyjournal version on both "
            "machines, then sync. Nothing was merged."
        )
    theirs_key = meta.get("encryption")
    mine = files.read_json(journal.home / layout.META)
    my_key = mine.get("encryption") if isinstance(mine, dict) else None
    if mine is None and isinstance(theirs_key, dict):  # a new machine: open it with the key
        from allyjournal.journal import keys

        journal.cipher = keys.load(theirs_key, journal.home)
        files.use_cipher(journal.cipher)
        return
    if mine is None or theirs_key == my_key:
        return
    if theirs_key and my_key:
        what = "the remote journal is encrypted with another key than this one"
    elif theirs_key:
        what = "the remote journal is encrypted and this one is not"
    else:
        what = "this journal is encrypted and the remote one is not"
    raise GitError(
        f"Cannot merge: {what}. Sync an encrypted journal only with a remote made from it "
        "(`ally sync init --encrypt NEW-REMOTE`), or fill an empty journal from it. "
        "Nothing was merged."
    )


def _check_theirs_settings(raw: bytes | None, theirs: str, notes: list[str]) -> None:
    """Refuse a remote config.json that would set a bad value here; note the keys that are
    not taken from it (another machine's `editor` is never obeyed here)."""
    from allyjournal.core.config import shared_settings

    if raw is None:
        return
    where = f"{layout.CONFIG} in remote commit {theirs[:10]}"
    if files.encrypted() and not raw.startswith(files.SEALED):
        raise RefusedRemote(
            f"Refused {where}: it is in clear, and this journal is encrypted. Nothing was "
            "merged or changed here; fix the remote from the machine that wrote it."
        )
    try:
        _, ignored = shared_settings(json.loads(files.unsealed(raw, where)))
    except (ValueError, RecursionError) as error:
        why = str(error) if isinstance(error, ValueError) and "setting" in str(error) else None
        raise RefusedRemote(
            f"Refused {where}: {why or 'it is not a table of settings'}. Nothing was merged "
            "or changed here; fix it on the machine that wrote it (`ally config`), then sync."
        ) from None
    for key in ignored:
        notes.append(
            f"ignored setting '{key}' from the remote ({where}): "
            + ("it stays on each machine" if key in SETTINGS else "this version does not know it")
        )


def _door(
    theirs: merge.Read,
    base: merge.Read,
    paths: list[str],
    commit_and_raw: tuple[str, dict[str, bytes | None], dict[str, str]],
    skip_bad: bool,
    result: SyncResult,
) -> merge.Read:
    """Their side of the merge, every changed file examined first (door.py). A problem
    refuses the sync, naming the commit, the file and the record; with `skip_bad` the bad
    records are left out, a record the base held keeps the base's version (so leaving it
    out never reads as a deletion), and an unusable file counts as unchanged there. In an
    encrypted journal every file must be sealed: a file in clear is one anyone could have
    written without the key."""
    commit, raw, unusable = commit_and_raw
    encrypted = files.encrypted()
    clean: dict[str, Any] = {}
    owners: dict[str, str] = {}  # entry id -> the first of their files that holds it
    restore: set[str] = set()  # keys left out, whose base version is put back
    for path in paths:
        if not layout.is_truth(path) or path == layout.META:
            continue
        data = raw.get(path)
        if path in unusable:
            found = door.Examined(None, [unusable[path]])
        elif encrypted and data is not None and not data.startswith(files.SEALED):
            found = door.Examined(None, ["it is in clear, and this journal is encrypted"])
        else:
            try:
                found = door.examine(path, theirs(path), base(path))
            except UnreadableJournal:
                found = door.Examined(None, ["it is not valid JSON (or not sealed with this key)"])
        for key in found.keys if layout.partition_key(path) else []:
            if owners.setdefault(key, path) != path:
                found.problems.append(f"entry {key} is also in {owners[key]}")
                found.bad_keys.append(key)
        for problem in found.problems:
            where = f"{path} in remote commit {commit[:10]}"
            if not skip_bad:
                more = len(found.problems) - 1
                raise RefusedRemote(
                    f"Refused {where}: {problem}"
                    + (f" (and {more} more)" if more else "")
                    + ". Nothing was merged or changed here; fix the remote from the machine "
                    "that wrote it, or run `ally sync --skip-bad` to merge the rest."
                )
            result.left_out.append(f"{where}: {problem}")
        if found.whole:
            continue
        content = found.content if found.content is not None else base(path)
        clean[path] = _without(path, content, set(found.bad_keys))
        restore.update(found.bad_keys)
    for key in restore:
        for path in paths:
            if layout.is_truth(path) and path not in (layout.META, layout.MERGED_AWAY):
                _put_back(path, key, base, clean, theirs)

    def read(path: str) -> Any:
        return clean[path] if path in clean else theirs(path)

    return read


def _identity(path: str) -> tuple[str, str]:
    """The TinyDB table of a data file and the field that names its records."""
    return merge.TABLES.get(path, (layout.table_of(path), "id"))


def _without(path: str, content: Any, keys: set[str]) -> Any:
    """`content` without the records named by `keys`."""
    if not keys or not isinstance(content, dict):
        return content
    table, field_name = _identity(path)
    documents = content.get(table)
    if not isinstance(documents, dict):
        return content
    kept = {n: r for n, r in documents.items() if r.get(field_name) not in keys}
    return {**content, table: kept}


def _put_back(
    path: str, key: str, base: merge.Read, clean: dict[str, Any], theirs: merge.Read
) -> None:
    """Put the base's record `key` of `path` (if it held one) into their cleaned `path`."""
    table, field_name = _identity(path)
    held = base(path)
    documents = held.get(table) if isinstance(held, dict) else None
    if not isinstance(documents, dict):
        return
    for record in documents.values():
        if isinstance(record, dict) and record.get(field_name) == key:
            current = clean[path] if path in clean else theirs(path)
            if not isinstance(current, dict) or not isinstance(current.get(table), dict):
                current = {table: {}}
            rows = dict(current[table])
            rows = {n: r for n, r in rows.items() if r.get(field_name) != key}
            rows[str(max((int(n) for n in rows), default=0) + 1)] = record
            clean[path] = {**current, table: rows}
            return


def _reader(repo: Repository, commit: str | None, raw: dict[str, bytes | None]) -> merge.Read:
    """A side of the merge from its files' bytes in `commit` (`raw`, read beforehand); a file
    not among them is read when first asked for."""
    parsed: dict[str, Any] = {}

    def read(path: str) -> Any:
        if path not in parsed:
            data = raw.get(path)
            if data is None and path not in raw and commit is not None:
                data = repo.contents(commit, [path])[path]
            try:
                where = f"{path} in commit {(commit or '?')[:10]}"
                opened = files.unsealed(data, where, name=Path(path).name) if data else None
                parsed[path] = json.loads(opened) if opened else None
            except (ValueError, RecursionError):
                raise UnreadableJournal(
                    f"{path} in commit {commit[:10] if commit else '?'} is not valid JSON; "
                    "nothing was merged. Repair it on the machine that wrote it "
                    "(`ally doctor`), then sync."
                ) from None
        return parsed[path]

    return read


def _working(home: Path) -> merge.Read:
    parsed: dict[str, Any] = {}

    def read(path: str) -> Any:
        if path not in parsed:
            parsed[path] = files.read_json(home / path)
        return parsed[path]

    return read


def _read_state(repo: Repository) -> dict[str, Any]:
    try:
        state = files.read_json(repo.home / ".git" / STATE, {})
    except UnreadableJournal:
        return {}
    return state if isinstance(state, dict) else {}


def _save_state(repo: Repository, remote: str | None) -> None:
    files.write_json(repo.home / ".git" / STATE, {"synced_at": now_iso(), "remote": remote})
