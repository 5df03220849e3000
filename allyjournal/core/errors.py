"""The domain's exceptions. Each carries the one line a user needs; the CLI adds the exit code."""

from __future__ import annotations


class JournalError(Exception):
    """Anything the journal refuses to do, with a message fit to show a user."""

    exit_code = 1


class BadInput(JournalError):
    """A value typed on the command line that we cannot understand. Nothing was written."""

    exit_code = 2


class DateError(BadInput):
    """A date or period we cannot read."""


class NotFound(BadInput):
    """An id or handle that matches nothing in the journal."""


class Ambiguous(BadInput):
    """A short id or handle that matches more than one thing."""


class UnreadableJournal(JournalError):
    """A journal file that is not what we wrote: we stop rather than overwrite it."""

    exit_code = 3


class JournalBusy(JournalError):
    """Another ally process holds the journal lock for too long."""

    exit_code = 4


class Cancelled(JournalError):
    """The user said no at a confirmation prompt."""

    exit_code = 1


class CannotWrite(JournalError):
    """The file system refused a write (full, read-only, permissions). The message says
    whether the change was left out entirely or will be completed by the next command."""

    exit_code = 1
