"""Short ids for the journal's small records (goals, promises), by the rule entries follow:
any unique prefix of four or more characters is typed, the shortest unique one of seven or
more is shown."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from allyjournal.core.errors import Ambiguous, BadInput, NotFound
from allyjournal.journal.indexes import shortest_prefix

MIN_PREFIX = 4


class HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=HasId)


def short_ids(ids: Sequence[str], minimum: int = 7) -> dict[str, str]:
    """The shortest prefix (at least `minimum`) telling each id from the others."""
    ordered = sorted(ids)
    return {
        item: shortest_prefix(item, ordered[max(0, n - 1) : n + 2], minimum)
        for n, item in enumerate(ordered)
    }


def find_by_prefix(items: Sequence[T], prefix: str, what: str, listing: str) -> T:
    """The item whose id starts with `prefix`; NotFound or Ambiguous (exit 2) otherwise."""
    typed = prefix.strip().lower()
    if len(typed) < MIN_PREFIX:
        raise BadInput(
            f"{what.capitalize()} id '{prefix}' is too short: type at least {MIN_PREFIX} characters."
        )
    matches = [item for item in items if item.id.startswith(typed)]
    if not matches:
        raise NotFound(f"No {what} {prefix}; `{listing}` shows every {what}'s id.")
    if len(matches) > 1:
        raise Ambiguous(
            f"{what.capitalize()} id '{prefix}' matches {len(matches)} {what}s; type more of it."
        )
    return matches[0]
