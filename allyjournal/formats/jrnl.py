"""jrnl's JSON export (`jrnl --export json`), read as wins: starred entries are big wins,
`#tags` are kept and `@names` become people.

jrnl has no notion of help, so an entry "Coffee with @sam about her promotion" would be a
win. `--help-words 'coffee=conversation,mentor=mentoring'` says which words mark help: an
entry that @mentions someone and holds such a word (as a word or a #tag, any case) becomes
help for the first person it mentions, of that kind; the first word listed that it holds
decides. Ids stay content-derived, so an entry imported before as a win is not added twice."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from allyjournal.actions.importing import Parsed, bad_row, load_json, reason, stable_id
from allyjournal.core.checks import check_entry, check_record
from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry
from allyjournal.core.text import mentions_in, tags_in
from allyjournal.core.vocabulary import HELP_KINDS, choose


def parse_help_words(text: str | None) -> dict[str, str]:
    """`--help-words 'coffee=conversation,1:1=check-in'`: word -> kind of help, in order."""
    words: dict[str, str] = {}
    for pair in (text or "").split(","):
        if not pair.strip():
            continue
        word, sep, kind = pair.partition("=")
        if not sep or not word.strip() or not kind.strip():
            raise BadInput(
                f"--help-words '{pair.strip()}' is not WORD=KIND; e.g. --help-words "
                "'coffee=conversation,mentor=mentoring'."
            )
        words[word.strip().lstrip("#").casefold()] = choose(
            kind.strip(), HELP_KINDS, "kind of help"
        )
    return words


def _help_kind(text: str, tags: list[str], words: dict[str, str]) -> str | None:
    """The kind of help `text` shows by the first of `words` it holds, or None."""
    held = set(re.findall(r"[\w:'-]+", text.casefold())) | {tag.casefold() for tag in tags}
    return next((kind for word, kind in words.items() if word in held), None)


def is_export(data: Any) -> bool:
    return isinstance(data, dict) and isinstance(data.get("entries"), list)


def read_export(
    path: Path, *, skip_bad: bool = False, help_words: dict[str, str] | None = None
) -> Parsed:
    data = load_json(path)
    if not is_export(data):
        raise BadInput(
            f'{path} is not a jrnl JSON export (no "entries" list); make one with `jrnl --export json`.'
        )
    parsed = Parsed()
    for number, record in enumerate(data["entries"], start=1):
        try:
            check_record(record)
            title = str(record.get("title") or "").strip()
            body = str(record.get("body") or "").strip()
            text = f"{title}\n{body}".strip()
            if not text:
                raise ValueError("the entry has no text")
            day = date.fromisoformat(str(record["date"]))
            stamp = f"{day.isoformat()}T{record.get('time') or '00:00'}:00"
            tags = [
                str(tag).lstrip("#").lower()
                for tag in record.get("tags") or []
                if str(tag).startswith("#")
            ]
            all_tags = tuple(dict.fromkeys([*tags_in(text), *tags]))
            mentioned = mentions_in(text)
            kind = _help_kind(text, list(all_tags), help_words) if help_words else None
            entry = Entry(
                id=stable_id("jrnl", stamp, text),
                kind="win",
                date=day,
                text=text,
                created_at=stamp,
                updated_at=stamp,
                size="big" if record.get("starred") else "small",
                tags=all_tags,
                mentions=tuple(mentioned),
            )
            if kind and mentioned:  # help for the first person named, of the word's kind
                entry = replace(
                    entry,
                    kind="help",
                    size=None,
                    ally=mentioned[0],
                    help_kind=kind,
                    mentions=tuple(mentioned[1:]),
                )
            parsed.entries.append(check_entry(entry))
        except (KeyError, ValueError, TypeError, AttributeError) as error:
            bad_row(parsed, path, f"entries[{number}]: {reason(error)}", skip_bad)
    return parsed
