"""Long text belongs in an editor: open the user's, as git commit does, and read the result."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from allyjournal.core.errors import BadInput

COMMENT = "#~ "


def _saved(path: Path, editor: str) -> str:
    """What the editor left in `path`, or one clear refusal: an editor can delete its file,
    put a folder in its place, or save in another encoding, and none of that is text."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(
            f"Editor '{editor}' removed the file it was editing; nothing was saved."
        ) from None
    except IsADirectoryError:
        raise BadInput(f"Editor '{editor}' left a folder, not a file; nothing was saved.") from None
    except UnicodeDecodeError as error:
        raise BadInput(
            f"Editor '{editor}' saved bytes that are not UTF-8 (byte {error.start}); "
            "nothing was saved. Save the file as UTF-8 and try again."
        ) from None
    except OSError as error:
        raise BadInput(f"Cannot read what editor '{editor}' saved: {error.strerror}.") from None


def choose_editor(configured: str | None) -> str | None:
    return configured or os.environ.get("VISUAL") or os.environ.get("EDITOR") or None


def edit_text(initial: str, configured: str | None, *, hint: str | list[str]) -> str:
    """Open `initial` in the editor and return what the user saved, hint lines removed.

    The temporary file is private to the user and removed afterwards: what people write
    about colleagues should not linger in /tmp.
    """
    editor = choose_editor(configured)
    if editor is None:
        raise BadInput(
            "No text given and no editor set: type the text after the command, pipe it in, "
            "or set one with `ally config editor nano` (or $EDITOR)."
        )
    fd, name = tempfile.mkstemp(prefix="ally-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            ignored = f"Lines starting with '{COMMENT.strip()}' are ignored."
            lines = [f"{hint} {ignored}"] if isinstance(hint, str) else [*hint, ignored]
            handle.write(initial + "\n" + "".join(f"{COMMENT}{line}\n" for line in lines))
        try:
            status = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as error:
            raise BadInput(f"Cannot start editor '{editor}': {error.strerror}.") from None
        if status != 0:
            raise BadInput(
                f"Editor '{editor}' exited with status {status}; nothing was saved."
            ) from None
        text = _saved(path, editor)
    finally:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
    return "\n".join(line for line in text.splitlines() if not line.startswith(COMMENT)).strip()
