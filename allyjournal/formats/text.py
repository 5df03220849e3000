"""Plain text for review forms: the Markdown's sections with no markup, wrapped to a width.

Most performance-review tools take a plain text box; anything pasted there shows literally, so
this format has nothing that needs rendering: headings are underlined, list items start with a
dash, and every line fits the width (a word longer than the width is never broken).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from allyjournal.core.text import visible
from allyjournal.formats.outline import Block, outline

if TYPE_CHECKING:
    from allyjournal.actions.export import Export

NO_BREAK = "\u00a0"  # textwrap breaks only at ASCII whitespace
DEFAULT_WIDTH = 80
MIN_WIDTH = 40


def export_text(export: Export, width: int = DEFAULT_WIDTH) -> str:
    return blocks_text(outline(export), width)


def blocks_text(blocks: list[Block], width: int = DEFAULT_WIDTH) -> str:
    """A document's blocks (formats/outline.py) as plain text wrapped to `width`."""
    out: list[str] = []
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
        if out and not (block.kind == previous == "item"):
            out.append("")
        if block.kind == "item":
            out += _wrapped(text, width, "- ", "  ")
        else:
            out += _wrapped(text, width, "", "")
            if block.kind in ("title", "heading"):
                underline = "=" if block.kind == "title" else "-"
                out.append(underline * min(width, len(out[-1])))
        previous = block.kind
    return "\n".join(out).replace(NO_BREAK, " ") + "\n"


def _wrapped(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` wrapped to `width`, its own line breaks kept, continued under the first line."""
    lines: list[str] = []
    for number, line in enumerate(text.split("\n")):
        lines += textwrap.wrap(
            line,
            width,
            initial_indent=first if number == 0 else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or ([rest.rstrip()] if number else [first.rstrip()])
    return lines
