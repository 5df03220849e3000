"""Plain text for review forms: the Markdown's sections with no markup, wrapped to a width.

Most performance-review tools take a plain text box; anything pasted there shows literally, so
this format has nothing that needs rendering: headings are underlined, list items start with a
dash, and every line fits the width (a word longer than the width is never broken).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from allyjournal.core.text import visible
from allyjournal.formats.outline import Block, outline

if TYPE_CHECKING:
    from allyjournal.actions.export import Export

NO_BREAK = "\u00a0"  # textwrap breaks only at ASCII whitespace
DEFAULT_WIDTH = 80
MIN_WIDTH = 40


def export_text(export: Export, width: int = DEFAULT_WIDTH) -> Iterator[str]:
    """The export as plain text, line by line (a year at a million entries is never one
    string in memory)."""
    return text_lines(outline(export), width)


def blocks_text(blocks: Iterable[Block], width: int = DEFAULT_WIDTH) -> str:
    """A document's blocks (formats/outline.py) as plain text wrapped to `width`."""
    return "".join(text_lines(blocks, width))


def text_lines(blocks: Iterable[Block], width: int = DEFAULT_WIDTH) -> Iterator[str]:
    """`blocks_text`, one line (ending in a newline) at a time."""
    previous = ""
    for block in blocks:
        if block.kind == "chart":
            continue
        # A date is never broken across lines: its spaces stay unbreakable while wrapping.
        text = visible(
            "".join(
                span.text.replace(" ", NO_BREAK) if span.style == "date" else span.text
                for span in block.spans
            ).replace("\r\n", "\n")
        )
        if previous and not (block.kind == previous == "item"):
            yield "\n"
        if block.kind == "item":
            lines = _wrapped(text, width, "- ", "  ")
        else:
            lines = _wrapped(text, width, "", "")
            if block.kind in ("title", "heading"):
                underline = "=" if block.kind == "title" else "-"
                lines.append(underline * min(width, len(lines[-1])))
        for line in lines:
            yield line.replace(NO_BREAK, " ") + "\n"
        previous = block.kind


def _wrapped(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` wrapped to `width`, its own line breaks kept, continued under the first line."""
    lines: list[str] = []
    for number, line in enumerate(text.split("\n")):
        indent = first if number == 0 else rest
        if _PLAIN.fullmatch(line):
            lines += _words_wrapped(line, width, indent, rest)
            continue
        lines += textwrap.wrap(
            line,
            width,
            initial_indent=indent,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or ([rest.rstrip()] if number else [first.rstrip()])
    return lines


# A line of words with one space between them, no other ASCII whitespace and no word made of
# whitespace alone (a no-break space inside a word is part of it): textwrap's answer for it
# is found by looking for the last space that fits, without its chunking and munging (a
# year's text export wraps tens of thousands of lines). tests/test_export.py holds the two to
# the same result.
_IN_WORD = r"[^\t\n\x0b\x0c\r ]"  # textwrap splits only at these
_PLAIN = re.compile(rf"{_IN_WORD}*\S(?: \S{_IN_WORD}*)*")


def _words_wrapped(line: str, width: int, indent: str, rest: str) -> list[str]:
    lines: list[str] = []
    while len(indent) + len(line) > width:
        room = width - len(indent)
        cut = line.rfind(" ", 0, room + 1)
        if cut <= 0:  # the first word alone is too long: it takes a line of its own
            cut = line.find(" ")
            if cut == -1:
                break
        lines.append(indent + line[:cut])
        line, indent = line[cut + 1 :], rest
    lines.append(indent + line)
    return lines
