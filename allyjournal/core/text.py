"""User text: how handles, tags and mentions are read from it, and how it is shown safely.

Patterns are compiled on first use (`re` caches them), keeping start-up cheap.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# A handle is how you type a person: short, lowercase, no spaces, in any alphabet (josé, 李娜,
# مريم), normalised to NFC so the same name typed two ways is one handle. `@` mentions in
# text must not catch e-mail addresses, hence the look-behind.
HANDLE_PATTERN = r"^[^\W_][\w.-]{0,38}$"
HANDLE_RULE = (
    "use letters (any alphabet), digits, '.', '_' or '-', starting with a letter or digit, "
    "e.g. maya, sam.lee or josé"
)
MENTION_PATTERN = r"(?<![\w@])@([^\W_][\w.-]{0,38})"
# A tag has a letter in it: "PR #4123" and "#1" are numbers, not themes.
TAG_PATTERN = r"(?<![\w#&])#(?!\d+(?![\w-]))([^\W_][\w-]{0,49})"
# C0 and C1 controls, DEL, and the bidi overrides that can reorder what a line shows.
CONTROL = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"


def normalize_handle(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text.strip().lstrip("@").rstrip(".-").lower())


def is_valid_handle(handle: str) -> bool:
    return bool(_HANDLE.fullmatch(handle))


_HANDLE = re.compile(HANDLE_PATTERN)


def mentions_in(text: str) -> list[str]:
    """The `@handles` a text mentions, normalised, in order of first appearance."""
    return unique(normalize_handle(match) for match in re.findall(MENTION_PATTERN, text))


def tags_in(text: str) -> list[str]:
    return unique(match.lower() for match in re.findall(TAG_PATTERN, text))


def normalize_tag(tag: str) -> str:
    return tag.strip().lstrip("#").lower()


def unique(items: Iterable[str]) -> list[str]:
    """The non-empty items, first occurrence kept, in order."""
    return list(dict.fromkeys(item for item in items if item))


def visible(text: str) -> str:
    """Show control and bidi-override characters as escapes instead of letting them act."""
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


_CONTROL = re.compile(CONTROL)  # compiled once: every line drawn goes through `visible`


def blank(text: str) -> bool:
    """True when `text` would show nothing: only spaces, line breaks and control characters.
    What a person types (arguments, options, the editor) must say something; records from
    outside are held to `core/checks` instead, which never refuses what an older ally wrote."""
    return not _CONTROL.sub("", text).strip()


def is_short_line(text: str, limit: int) -> bool:
    """Whether `text` is at most `limit` characters of one line with no control characters:
    the rule for a short field typed once and shown in many places (a channel, a 1:1 topic),
    the same at the command line and at the door."""
    return len(text) <= limit and text.isprintable()


def one_line(text: str) -> str:
    """User text on one line: line breaks shown as ⏎, controls made visible."""
    return visible(text.replace("\r\n", "\n").replace("\n", " ⏎ "))


# What JSON leaves raw and a terminal obeys: C1 controls (U+009B is a one-byte CSI), DEL and
# the bidi overrides. C0 controls are escaped by every JSON encoder already.
_JSON_UNSAFE = re.compile(r"[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_safe(text: str) -> str:
    """JSON text with those characters written as \\uXXXX escapes: the same value to any JSON
    reader, and nothing a terminal acts on when the JSON is printed to one."""
    if not _JSON_UNSAFE.search(text):
        return text
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def fit(message: str, width: int | None, *, hang: int = 0) -> str:
    """The one wrapping rule for what is printed to a terminal: each line broken between words
    to `width` columns, never inside a word (a long file name or id stays whole, on a line of
    its own if need be), later parts of a line indented by `hang` so they read as its
    continuation. `width` None (a pipe, a file) leaves the lines as they are, for scripts."""
    if width is None:
        return message
    import textwrap

    wrapper = textwrap.TextWrapper(
        max(width, 20),
        subsequent_indent=" " * hang,
        break_long_words=False,
        break_on_hyphens=False,
        drop_whitespace=True,
    )
    return "\n".join(wrapper.fill(line) or line for line in message.splitlines())
