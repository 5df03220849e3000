"""Markdown: the review and the export, with user text escaped so it stays text."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from allyjournal.actions.export import by_month, summary_lines
from allyjournal.core.text import visible
from allyjournal.core.vocabulary import OPPORTUNITY_KINDS, RECOGNITION_KINDS
from allyjournal.render.plain import goal_status, streak_text

if TYPE_CHECKING:
    from allyjournal.actions.export import Export
    from allyjournal.actions.review import Review

MARKDOWN_INLINE = r"([\\`*_\[\]<>|~&])"
MARKDOWN_BLOCK_START = r"^(\s*\d*)([#>+=-]|(?<=\d)[.)])"


def markdown_text(text: str) -> str:
    """User text inside Markdown: no markup, no HTML, no line breaks that end a list item.

    Only what Markdown would act on is escaped, so the text stays readable where it is
    pasted as plain text: inline syntax anywhere, block syntax at the very start (the rest of
    the text stays in one paragraph, its line breaks written as <br>).
    """
    escaped = re.sub(MARKDOWN_INLINE, r"\\\1", visible(text.replace("\r\n", "\n")))
    escaped = re.sub(MARKDOWN_BLOCK_START, r"\1\\\2", escaped)
    return escaped.replace("\n", "<br>")


def review_markdown(review: Review) -> str:
    lines = [
        f"# {review.label}",
        "",
        f"- **Allies helped:** {goal_status(review)}",
        f"- **Streak:** {streak_text(review)}",
        f"- **Last {len(review.history)} weeks:** "
        + " ".join(str(t.allies) for t in review.history),
        "",
        "## Who you helped",
        "",
    ]
    if review.allies:
        lines += ["| Ally | How | Times | Latest |", "| --- | --- | --- | --- |"]
        lines += [
            f"| @{markdown_text(r.handle)} | {', '.join(r.kinds)} | {r.count} | "
            f"{markdown_text(r.latest.text)} |"
            for r in review.allies
        ]
    else:
        lines.append("Nobody yet this week.")
    lines += ["", "## Wins", ""]
    lines += [
        f"- {'**Big:** ' if e.is_big else ''}{markdown_text(e.text)}"
        + (f" — _{markdown_text(e.impact)}_" if e.impact else "")
        for e in review.wins
    ] or ["No wins logged."]
    for entry in review.reflections:
        lines += ["", "## Reflection", "", markdown_text(entry.text)]
    if review.nudges:
        lines += ["", "## Nudges", "", *(f"- {markdown_text(n.message)}" for n in review.nudges)]
    return "\n".join(lines) + "\n"


def export_markdown(export: Export) -> str:
    text = markdown_text
    out = [
        f"# Accomplishments: {export.period.start:%d %b %Y} – {export.period.end:%d %b %Y}",
        "",
        *(f"- {line}" for line in summary_lines(export)),
        "",
        "## Big wins",
        "",
    ]
    out += [
        f"- **{text(e.text)}** ({e.date:%d %b %Y})" + (f" — {text(e.impact)}" if e.impact else "")
        for e in sorted(export.big_wins, key=lambda e: e.date)
    ] or ["None in this period."]
    out += ["", "## Other wins"]
    for month, entries in by_month(export.small_wins).items():
        out += ["", f"### {month}", ""]
        out += [f"- {text(e.text)}" + (f" — {text(e.impact)}" if e.impact else "") for e in entries]
    if not export.small_wins:
        out += ["", "None in this period."]
    if export.allyship:
        out += ["", "## Allyship", "", f"Supported {len(export.allies)} colleagues:", ""]
        out += [
            f"- {text(export.name(h))}: {n} time{'s' if n > 1 else ''}"
            for h, n in export.allies.most_common()
        ]
        out += ["", "Help by kind:", ""]
        out += [f"- {kind}: {count}" for kind, count in export.help_kinds.most_common()]
        for title, kinds in (
            ("Recognition and nominations given", RECOGNITION_KINDS),
            ("Opportunities and sponsorship", OPPORTUNITY_KINDS),
        ):
            chosen = export.of_kind(*kinds)
            if chosen:
                out += ["", f"### {title}", ""]
                out += [
                    f"- {e.date:%d %b %Y}, {text(export.name(e.ally or ''))}: {text(e.text)}"
                    for e in sorted(chosen, key=lambda e: e.date)
                ]
    return "\n".join(out) + "\n"
