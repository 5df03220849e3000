"""Long text belongs in an editor: open the user's, as git commit does, and read the result."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from allyjournal.core.errors import BadInput

COMMENT = "#~ "


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
            raise BadInput(f"Editor '{editor}' exited with status {status}; nothing was saved.")
        text = path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
    return "\n".join(line for line in text.splitlines() if not line.startswith(COMMENT)).strip()
