"""Finding entries again: the filters of `ally list` and `ally export`, applied as the
journal is read month by month, so a search holds one month in memory at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from allyjournal.core.models import Entry
from allyjournal.core.vocabulary import ENTRY_KINDS, HELP_KINDS, choose
from allyjournal.store import Journal


@dataclass
class EntryFilter:
    """The `list` filters; every one given must match."""

    start: date | None = None
    end: date | None = None
    kinds: tuple[str, ...] = ()
    ally: str | None = None
    tags: list[str] = field(default_factory=list)
    big: bool = False
    grep: str | None = None
    help_kind: str | None = None

    def choose_kind(self, typed: str) -> None:
        """`--kind`: a kind of entry (win, help, reflection) or of help (conversation, intro…),
        or a unique prefix of one; an ambiguous prefix names its candidates."""
        chosen = choose(typed, ENTRY_KINDS + HELP_KINDS, "kind")
        self.kinds = (chosen,) if chosen in ENTRY_KINDS else ("help",)
        self.help_kind = None if chosen in ENTRY_KINDS else chosen

    @property
    def picky(self) -> bool:
        """Whether anything beyond the dates is asked (the journal itself keeps to dates)."""
        return bool(self.kinds or self.help_kind or self.ally or self.tags or self.big or self.grep)

    def matches(self, entry: Entry) -> bool:
        if self.kinds and entry.kind not in self.kinds:
            return False
        if self.help_kind and (entry.help_kind or "other") != self.help_kind:
            return False
        if self.ally and self.ally not in entry.people:
            return False
        if self.tags and not all(tag in entry.tags for tag in self.tags):
            return False
        if self.big and not entry.is_big:
            return False
        if self.grep:
            haystack = f"{entry.text}\n{entry.impact or ''}".casefold()
            return self.grep.casefold() in haystack
        return True

    def record_matches(self, record: dict[str, Any]) -> bool:
        """A quick look at a stored record, so most non-matches never become entries."""
        if self.kinds and record.get("kind") not in self.kinds:
            return False
        if self.help_kind and (record.get("help_kind") or "other") != self.help_kind:
            return False
        if self.big and record.get("size") != "big":
            return False
        if self.grep:
            text = f"{record.get('text') or ''}\n{record.get('impact') or ''}".casefold()
            return self.grep.casefold() in text
        return True


def check_filter(journal: Journal, wanted: EntryFilter) -> None:
    """A filter that names an ally or a tag the journal has never seen is a typo until shown
    otherwise: BadInput names it, with the close match, rather than "no entries match"."""
    from allyjournal.actions.people import close_match
    from allyjournal.core.errors import BadInput

    if wanted.ally and journal.person(wanted.ally) is None:
        close = close_match(wanted.ally, (p.handle for p in journal.people()))
        hint = f" (did you mean @{close}?)" if close else ""
        raise BadInput(f"No ally @{wanted.ally} in the journal{hint}; `ally people` lists them.")
    if wanted.tags:
        known = {use.tag for use in journal.tag_use()}
        for tag in wanted.tags:
            if tag not in known:
                close = close_match(tag, known)
                hint = f" (did you mean #{close}?)" if close else ""
                raise BadInput(f"No entry is tagged #{tag}{hint}; `ally tags` lists your tags.")


def find_entries(
    journal: Journal, wanted: EntryFilter, limit: int | None = None
) -> Iterator[Entry]:
    """Matching entries, newest first; stops reading the journal once `limit` are found.

    A search for text, a tag or an ally asks the search index for candidates, so it costs
    what it finds; anything else (or an index that cannot answer) reads month by month.
    """
    candidates = None
    if wanted.grep or wanted.tags or wanted.ally:
        from allyjournal.store import SearchQuery

        candidates = journal.search(
            SearchQuery(
                start=wanted.start.isoformat() if wanted.start else None,
                end=wanted.end.isoformat() if wanted.end else None,
                text=wanted.grep,
                tags=tuple(wanted.tags),
                handle=wanted.ally,
            )
        )
    picky = wanted.picky
    if candidates is None:
        where = wanted.record_matches if picky else None
        candidates = journal.entries(wanted.start, wanted.end, where)
    if not picky and limit is None:  # a period: every entry the journal gives is wanted
        yield from candidates
        return
    found = 0
    for entry in candidates:
        if limit is not None and found >= limit:
            return
        if wanted.matches(entry):
            found += 1
            yield entry
