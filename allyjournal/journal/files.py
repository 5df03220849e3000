"""Safe file primitives: synced writes, atomic replacement, the lock, owner-only permissions.

Journal files are only ever replaced (a new file renamed over the old one), never modified in
place, so a crash leaves the old file or the new one whole, and the old bytes stay reachable
from any hard link to them: that is what makes undo and backups cheap (see change.py).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from allyjournal.core.errors import BadInput, CannotWrite, JournalBusy, UnreadableJournal
from allyjournal.core.jsontext import exact_json

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
LOCK_NAME = ".lock"
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def ensure_private_dir(path: Path) -> None:
    """Create `path`, and any missing parents, readable by the owner only."""
    if path.is_dir():
        return
    ensure_private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=PRIVATE_DIR)


def fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable. Windows cannot open a folder; some file systems
    cannot sync one (EINVAL): both are no-ops. Any other failure is real and raised."""
    if os.name == "nt":  # pragma: no cover
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno != errno.EINVAL:
            raise
    finally:
        os.close(fd)


def write_new(path: Path | str, data: bytes | Iterable[bytes], *, durable: bool = True) -> None:
    """Create `path` (which must not exist) holding `data` (or its pieces, written as they
    come), flushed to the disk unless it is not `durable` (a derived index, which a power cut
    may leave empty and is then rebuilt). A failure part-way removes the file."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW, PRIVATE_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in [data] if isinstance(data, bytes) else data:
                handle.write(piece)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise


def fsync_file(path: Path | str) -> None:
    """Flush a file already written and closed (`write_new(..., durable=False)`) to the disk.

    A change stages hundreds of files: written first and flushed after, the file system
    commits its journal a few times instead of once between every two files (on ext4 each
    create waited for the flush before it, 0.3 ms a file)."""
    fd = os.open(path, os.O_RDONLY | NOFOLLOW)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def why(error: OSError) -> str:
    """An OSError in a user's words, with what to do about it."""
    number = error.errno
    if number == errno.ENOSPC or number == errno.EDQUOT:
        return "the disk is full; free some space and run the command again"
    if number == errno.EROFS:
        return "the file system is read-only; mount it writable or choose another --home"
    if number in (errno.EACCES, errno.EPERM):
        return "permission denied; check the journal folder's owner and mode"
    return error.strerror or str(error)


def cannot_write(path: Path | str, error: OSError, outcome: str) -> CannotWrite:
    return CannotWrite(f"Cannot write {path}: {why(error)}. {outcome}")


def write_atomic(
    path: Path, data: bytes | Iterable[bytes], replaced: Callable[[], None] | None = None
) -> None:
    """Replace `path` with `data` (or its pieces) so that readers and crashes see the old or
    the new file;
    the rename is made durable before returning. `replaced` is called the moment the new file
    is in place (a commit record: what fails after that no longer undoes it)."""
    ensure_private_dir(path.parent)
    temporary = path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp"
    write_new(temporary, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if replaced is not None:
        replaced()
    fsync_dir(path.parent)


def dump_json(value: Any) -> bytes:
    """Serialise the way every journal file is written: compact UTF-8.

    Text that cannot be UTF-8 (a lone surrogate, from bytes that were not UTF-8 in the
    command line or a pipe) is refused here, before anything is written.
    """
    data = exact_json(value)  # orjson, where it writes the standard library's bytes
    if data is not None:
        return data
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        raise BadInput(
            "The text holds bytes that are not valid UTF-8 (typed or piped in another "
            "encoding?); convert it to UTF-8 and try again. Nothing was written."
        ) from None


# The open journal's cipher when it is encrypted (crypto.py), set once per command by the
# reader that checks the format marker; None for a plain journal.
_cipher: Any = None
_clear_ok = False  # True only while `ally encrypt` seals a journal written in clear
SEALED = b"ALLYENC1"  # how a sealed file starts (crypto.py)


def use_cipher(cipher: Any) -> None:
    global _cipher
    _cipher = cipher


@contextlib.contextmanager
def sealing_clear_files() -> Iterator[None]:
    """While the journal is being encrypted, the files it reads are still in clear."""
    global _clear_ok
    _clear_ok = True
    try:
        yield
    finally:
        _clear_ok = False


def encrypted() -> bool:
    """Whether the open journal is encrypted (its files must all be sealed)."""
    return _cipher is not None


def sealed(data: bytes) -> bytes:
    """A data file's bytes as stored: sealed when the journal is encrypted."""
    return data if _cipher is None else bytes(_cipher.seal(data))


# The files an encrypted journal keeps in clear: the format marker (it says the journal is
# encrypted), the record of a change being committed and a backup's manifest (names of files
# and digests, no text), and sync's note of when it last ran (in .git/).
CLEAR_FILES = frozenset({"allyjournal.json", "commit.json", "backup.json", "allyjournal-sync.json"})


def unsealed(raw: bytes, where: object, *, name: str | None = None) -> bytes:
    """A stored file's plain bytes; a sealed file without the key stops here, and so does a
    file in clear where an encrypted journal keeps only sealed ones: anyone who can write the
    folder could have put it there without the key. `name` is the file's name when `where`
    is not its path."""
    if not raw.startswith(SEALED):
        clear = (name or Path(str(where)).name) in CLEAR_FILES
        if _cipher is not None and raw and not _clear_ok and not clear:
            raise UnreadableJournal(
                f"{where} is in clear, and this journal is encrypted: it was not written with "
                "its key, so it was not read (and was left untouched). Run `ally doctor`."
            )
        return raw
    if _cipher is None:
        raise UnreadableJournal(
            f"{where} is encrypted, and this journal's format marker does not say so (or its "
            "key is not loaded); it was left untouched. Run `ally doctor`."
        )
    return bytes(_cipher.open(raw, where))


def write_json(path: Path, value: Any) -> None:
    write_atomic(path, dump_json(value))


# Below this size the standard library parses a file in half a millisecond, and importing
# orjson would cost `ally status` (which imports little else) seven.
QUICK_FROM = 64 << 10


def read_json(path: Path, default: Any = None, *, quick: bool = False) -> Any:
    """Read a journal file; a missing file is `default`, a damaged one stops everything.

    `quick` parses a file of QUICK_FROM bytes or more with orjson, twice as fast, for what the
    journal can rebuild or does not write back: an index (ids, days and counts derived from
    the entries, which `ally doctor` checks and rebuilds) and entries read to be shown. orjson
    reads a number beyond 64 bits as a float; no file of this version holds one, so only
    damage could differ, and a data file that a change reads to write back is read by the
    standard library, exactly (no cheap check tells such a number is there)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return default
    except OSError as error:
        raise UnreadableJournal(
            f"Cannot read {path}: {error.strerror}. Check its permissions, then run `ally doctor`."
        ) from error
    raw = unsealed(raw, path)
    try:
        if quick and len(raw) >= QUICK_FROM:
            import orjson

            with contextlib.suppress(orjson.JSONDecodeError):  # the standard library says why
                return orjson.loads(raw)
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise damaged(path, "empty" if not raw else "not valid JSON") from error


def damaged(path: Path | str, reason: object) -> UnreadableJournal:
    """The refusal for a journal file that is not what this version wrote."""
    return UnreadableJournal(
        f"{path} is damaged ({reason}); it was left untouched. Run `ally doctor` to check it "
        "and mend it."
    )


def is_private(path: Path) -> bool:
    """True when neither group nor others can read `path`."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return True
    return not mode & (stat.S_IRWXG | stat.S_IRWXO)


def make_private(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.chmod(path, PRIVATE_DIR if path.is_dir() else PRIVATE_FILE)


def _lock_timeout() -> float:
    try:
        return float(os.environ.get("ALLYJOURNAL_LOCK_TIMEOUT", "10"))
    except ValueError:
        return 10.0


@contextlib.contextmanager
def locked(home: Path, name: str = LOCK_NAME) -> Iterator[None]:
    """Hold the journal's exclusive lock, for a whole read-modify-write (or, named, another
    lock in the same way: sync's, which must not keep writers waiting on the network).

    The operating system releases the lock when a process dies, so a crash never leaves a
    stale lock behind; only a process that is still running can hold it.
    """
    ensure_private_dir(home)
    path = home / name
    try:
        # Never follow a link planted in place of the lock file.
        fd = os.open(path, os.O_RDWR | os.O_CREAT | NOFOLLOW, PRIVATE_FILE)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise UnreadableJournal(
                f"{path} is not a plain file (a link or a folder?); move it away, then run "
                "the command again. Nothing was changed."
            ) from None
        raise cannot_write(path, error, "Nothing was changed.") from None
    try:
        _acquire(fd, path)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


# What a lock attempt fails with when another process holds it (flock, or Windows' locking).
HELD = frozenset({errno.EAGAIN, errno.EWOULDBLOCK, errno.EACCES, errno.EDEADLK})


def _acquire(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        def attempt() -> None:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]

    else:

        def attempt() -> None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    timeout = _lock_timeout()
    deadline = time.monotonic() + timeout
    while True:
        try:
            attempt()
            return
        except OSError as error:
            if error.errno not in HELD:  # not another process: a file system without locks
                raise CannotWrite(
                    f"Cannot lock {path}: the file system it is on does not support locks "
                    f"({why(error)}). allyjournal needs them so that two commands never write "
                    "at once: keep the journal on a local disk (or mount this one with "
                    "locking on). Nothing was changed."
                ) from None
            if time.monotonic() >= deadline:
                raise JournalBusy(
                    f"The journal is busy: another ally process has held {path} for "
                    f"{timeout:g}s. Wait for it to finish, or find and stop it "
                    f"(`fuser {path}` lists it); the lock frees itself when it exits."
                ) from None
            time.sleep(0.02)
