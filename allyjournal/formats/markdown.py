"""Markdown: the review and the export, with user text escaped so it stays text."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from allyjournal.core.text import visible
from allyjournal.formats.outline import Block, outline
from allyjournal.render.plain import (
    agenda_sections,
    fairness_heading,
    fairness_share,
    goal_status,
    levels_text,
    streak_text,
    thanks_line,
)

if TYPE_CHECKING:
    from allyjournal.actions.agenda import Agenda
    from allyjournal.actions.export import Export
    from allyjournal.actions.fairness import Fairness
    from allyjournal.actions.review import Review

URL = r"https?://\w(?:[^\s<>`]*[^\s<>`.,:;!?'\")\]])?"
ASCII_PUNCTUATION = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
ENTITY = r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
HTML_START = r"<[A-Za-z/!?]"
# What a line may start with that Markdown would read as a block: a heading, quote, list item,
# fence or thematic break; the match's last group is the character to escape.
BLOCK_START = (
    r"^(#{1,6})(?=\s|$)",
    r"^(>)",
    r"^([-+*])(?=\s|$)",
    r"^\d{1,9}([.)])(?=\s|$)",
    r"^([-*_=])(?:\s|\1)*$",  # a rule, or a heading's underline under the line before
    r"^(`{3,}|~{3,})",
)


# Anything in a text that can act inline, break a line, or needs visible(): absent, a text
# only needs its first character checked (the export writes thousands of texts).
# A class of characters alone is scanned twice as fast as one with "://" as an alternative, and
# an export of a year checks every text with it; the address is looked for on its own.
ACTIVE = r"[\\`*_~\[<&|\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_ACTIVE = re.compile(ACTIVE)
LINE_STARTS = frozenset("#>-+*_=`~0123456789")


def markdown_text(text: str, *, indent: str = "", cell: bool = False) -> str:
    """User text inside Markdown: it renders as exactly the words typed, and nothing more.

    Escaping is by context, so what is pasted as plain text stays readable: a character is
    escaped only where a CommonMark or GitHub renderer would act on it there (an emphasis
    marker only when a second one could close it, `_` never inside a word or a URL, `<` only
    before a tag, `&` only in an entity, block syntax only at the start of a line). Web
    addresses become autolinks showing the address itself; nothing else can become a link, an
    image or HTML. Paragraphs stay paragraphs and line breaks stay line breaks, continued with
    `indent` so a multi-line text stays inside its list item; `cell` keeps a table cell on one
    line with its pipes escaped.
    """
    if not _ACTIVE.search(text) and "://" not in text:  # most: only the line start can act
        quiet = text.strip()
        if quiet[:1] in LINE_STARTS:
            return _paragraph(quiet, cell=cell)
        return quiet
    lines = [
        visible(line).strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    paragraphs = [p for p in "\n".join(lines).split("\n\n") if p.strip()]
    if cell:
        return " ".join(_paragraph(p, cell=True) for p in paragraphs)
    return f"\n\n{indent}".join(_paragraph(p, indent=indent) for p in paragraphs)


def _paragraph(text: str, *, indent: str = "", cell: bool = False) -> str:
    lines = [line for line in text.split("\n") if line]
    joined = "\n".join(lines)
    urls = list(re.finditer(URL, joined))
    # Addresses are judged as what they become, `<…>`, with nothing inside that could pair.
    masked = re.sub(URL, lambda m: "<" + "a" * (len(m.group()) - 2) + ">", joined)
    escape = _to_escape(masked, pipes=cell or len(lines) > 1)
    offset = 0
    for line in lines:
        for pattern in BLOCK_START:
            if found := re.match(pattern, line):
                escape.add(offset + found.start(1))
                break
        offset += len(line) + 1
    # A marker run is escaped whole: escaping part of `__` would leave a new, shorter run.
    for position in sorted(escape):
        char = joined[position] if position < len(joined) else ""
        if char in "*_~`":
            end = position
            while end < len(joined) and joined[end] == char:
                escape.add(end)
                end += 1
    out: list[str] = []
    last = 0
    for match in [*urls, None]:
        stop = match.start() if match else len(joined)
        for i in range(last, stop):
            char = joined[i]
            # What will follow it in the Markdown: an address is written after a '<'.
            following = "<" if match and i + 1 == stop else joined[i + 1 : i + 2]
            if i in escape or (char == "\\" and (_punctuation(following) or following == "\n")):
                out.append("\\")
            out.append(char)
        if match:
            out.append(f"<{match.group()}>")
            last = match.end()
    escaped = "".join(out).split("\n")
    return " ".join(escaped) if cell else f"  \n{indent}".join(escaped)


def _to_escape(text: str, *, pipes: bool) -> set[int]:
    """Positions in a paragraph (web addresses masked) that Markdown would act on there."""
    escape = {
        position
        for marker in "*_~"
        for spaces in (COMMONMARK_SPACE, EXTENDED_SPACE)
        for position in _pairing(text, marker, spaces)
    }
    if text.count("`") >= 2:
        escape |= {i for i, char in enumerate(text) if char == "`"}
    closing = text.rfind("]")
    escape |= {i for i, char in enumerate(text) if char == "[" and i < closing}
    escape |= {m.start() for m in re.finditer(ENTITY, text)}
    escape |= {m.start() for m in re.finditer(HTML_START, text)}
    if pipes:
        escape |= {i for i, char in enumerate(text) if char == "|"}
    return escape


COMMONMARK_SPACE = " \t\n\x0c\r"  # and every Zs character: see _separator
EXTENDED_SPACE = " \t\n\x0b\x0c\r\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def _separator(char: str) -> bool:
    import unicodedata

    return unicodedata.category(char) == "Zs"


def _punctuation(char: str) -> bool:
    """Punctuation as CommonMark's flanking rules count it (ASCII, or Unicode P* and S*)."""
    if not char:
        return False
    if char in ASCII_PUNCTUATION:
        return True
    import unicodedata

    return unicodedata.category(char)[0] in "PS"


def _pairing(text: str, marker: str, spaces: str) -> set[int]:
    """Positions of `marker` runs that could open or close emphasis (or strikethrough), when
    one could open and a later one close; empty when no pair is possible, so a lone
    `~30 hours` or `2*3` is left alone. Readers disagree on which characters are spaces
    (CommonMark's list, or a longer one), so each is asked and either one's answer counts."""

    def space(char: str) -> bool:
        return char in spaces or (spaces is COMMONMARK_SPACE and _separator(char))

    runs = []
    for match in re.finditer(re.escape(marker) + "+", text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        left = not space(after) and (
            not _punctuation(after) or space(before) or _punctuation(before)
        )
        right = not space(before) and (
            not _punctuation(before) or space(after) or _punctuation(after)
        )
        if marker == "_":
            opens = left and (not right or _punctuation(before))
            closes = right and (not left or _punctuation(after))
        else:
            opens, closes = left, right
        runs.append((match.start(), match.end(), opens, closes))
    first_opener = next((start for start, _, opens, _ in runs if opens), None)
    if first_opener is None or not any(c and s > first_opener for s, _, _, c in runs):
        return set()
    return {i for start, end, opens, closes in runs if opens or closes for i in range(start, end)}


def review_markdown(review: Review) -> str:
    lines = [
        f"# {review.label}",
        "",
        f"- **Allies helped:** {goal_status(review)}",
        f"- **Streak:** {streak_text(review)}",
        f"- **Last {len(review.history)} weeks:** "
        + " ".join(str(t.allies) for t in review.history),
        *([f"- **Levels:** {levels_text(review)}"] if review.levels else []),
        "",
        "## Who you helped",
        "",
    ]
    if review.allies:
        lines += ["| Ally | How | Times | Latest |", "| --- | --- | --- | --- |"]
        lines += [
            f"| @{markdown_text(r.handle, cell=True)} | {', '.join(r.kinds)} | {r.count} | "
            f"{markdown_text(r.latest.text, cell=True)} |"
            for r in review.allies
        ]
    else:
        lines.append("Nobody yet this week.")
    if review.thanks:
        lines += ["", "## Who helped you", ""]
        lines += [f"- {markdown_text(thanks_line(e), indent='  ')}" for e in review.thanks]
    if review.witnessed:
        lines += ["", "## Allyship you saw", ""]
        lines += [f"- {markdown_text(thanks_line(e), indent='  ')}" for e in review.witnessed]
    lines += ["", "## Wins", ""]
    lines += [
        f"- {'**Big:** ' if e.is_big else ''}{markdown_text(e.text, indent='  ')}"
        + (f" — {markdown_text(e.impact, indent='  ')}" if e.impact else "")
        for e in review.wins
    ] or ["No wins logged."]
    if review.learned:
        lines += ["", "## What you learned", ""]
        lines += [
            f"- {markdown_text(e.text, indent='  ')}"
            + (f" — {markdown_text(e.impact, indent='  ')}" if e.impact else "")
            for e in review.learned
        ]
    for entry in review.reflections:
        lines += ["", "## Reflection", "", markdown_text(entry.text)]
    if review.nudges:
        lines += ["", "## Nudges", "", *(f"- {markdown_text(n.message)}" for n in review.nudges)]
    return "\n".join(lines) + "\n"


def agenda_markdown(agenda: Agenda) -> str:
    title, sections = agenda_sections(agenda)
    lines = [f"# {markdown_text(title)}"]
    for heading, items in sections:
        lines += ["", f"## {heading}", ""]
        lines += [f"- {markdown_text(item, indent='  ')}" for item in items]
    return "\n".join(lines) + "\n"


def fairness_markdown(report: Fairness) -> str:
    kinds = " | ".join(report.kinds)
    quarters = " | ".join(report.quarters)
    columns = 3 + len(report.kinds) + len(report.quarters)
    lines = [
        f"# {fairness_heading(report)}",
        "",
        f"{report.total} in all; {report.even_share:.1f} each if shared evenly.",
        "",
        f"| Ally | Total | Share | {kinds} | {quarters} |",
        "|" + " --- |" * columns,
    ]
    for row in report.rows:
        counts = " | ".join(str(row.counts[kind]) for kind in report.kinds)
        trend = " | ".join(str(n) for n in row.by_quarter)
        handle = markdown_text(f"@{row.person.handle}", cell=True)
        share = fairness_share(report, row.total)
        lines.append(f"| {handle} | {row.total} | {share} | {counts} | {trend} |")
    if report.flags:
        lines += ["", "## Flags", "", *(f"- {markdown_text(flag)}" for flag in report.flags)]
    return "\n".join(lines) + "\n"


def export_markdown(export: Export) -> Iterator[str]:
    """The export as Markdown that pastes clean into a document, an issue or a review tool,
    line by line (a year at a million entries is never one string in memory)."""
    return markdown_lines(outline(export))


def blocks_markdown(blocks: Iterable[Block]) -> str:
    """A document's blocks (formats/outline.py) as Markdown; charts are left to HTML."""
    return "".join(markdown_lines(blocks))


def markdown_lines(blocks: Iterable[Block]) -> Iterator[str]:
    """`blocks_markdown`, one line (ending in a newline) at a time."""
    previous = ""
    prefix = {"title": "# ", "heading": "## ", "subheading": "### ", "item": "- "}
    for block in blocks:
        kind = block.kind
        if kind == "chart":
            continue
        indent = "  " if kind == "item" else ""
        # The user's own words, highlights included, are escaped: bold around arbitrary text
        # could pair with a marker inside it, and the highlights stand in a section of their
        # own. The document's words and dates are written as they are.
        text = "".join(
            [
                span.text if span.style in OURS else markdown_text(span.text, indent=indent)
                for span in block.spans
            ]
        )
        if previous and not (kind == previous == "item"):
            yield "\n"
        yield prefix.get(kind, "") + text + "\n"
        previous = kind


OURS = frozenset(("ours", "date"))  # span styles whose text is the document's, not the user's
