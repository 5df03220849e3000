"""An entry as a form to correct in an editor: a header of `field: value` lines, a blank
line, then the text, as an email or a git commit message is laid out. `ally edit ID` with
no options opens it, as `jrnl --edit` opens entries with their dates.

Only the wording lives here; the values are checked by the same code as `ally edit`'s
options, so the form and the options cannot disagree about what is valid.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from allyjournal.core.errors import BadInput
from allyjournal.core.models import Entry
from allyjournal.core.text import blank, tags_in

# The fields each kind of entry shows, in order. A reflection has only its date.
FIELDS = {
    "win": ("date", "size", "type", "impact", "tags"),
    "help": ("date", "ally", "kind", "level", "impact", "tags"),
    "reflection": ("date",),
    "learning": ("date", "impact", "tags"),
    "chore": ("date", "ally", "tags"),
    "thanks": ("date", "ally", "kind", "impact", "tags"),
}
GUIDE = {
    "date": "a day: 2026-11-03, yesterday, 'last friday'",
    "size": "big or small",
    "type": "promotable, glue, housework, or empty",
    "ally": "the handle of the ally you helped (for thanks: who helped you)",
    "kind": "the kind of help (see `ally kinds`)",
    "level": "internal, interpersonal, institutional, systemic, or empty",
    "impact": "why it mattered, or empty",
    "tags": "comma-separated, besides the #tags in the text",
}


@dataclass
class EntryForm:
    """The fields as the user left them: text as typed, None for a field not in the form."""

    values: dict[str, str] = field(default_factory=dict)
    text: str = ""


def typed_tags(entry: Entry) -> list[str]:
    """The tags given with --tag, apart from those written as #tags in the text."""
    inline = set(tags_in(entry.text))
    return [tag for tag in entry.tags if tag not in inline]


def render(entry: Entry) -> str:
    values = {
        "date": entry.date.isoformat(),
        "size": entry.size or "small",
        "type": entry.work_type or "",
        "ally": entry.ally or "",
        "kind": entry.help_kind or "",
        "level": entry.level or "",
        "impact": entry.impact or "",
        "tags": ", ".join(typed_tags(entry)),
    }
    header = [f"{name}: {values[name]}".rstrip() for name in FIELDS[entry.kind]]
    return "\n".join(header) + "\n\n" + entry.text


def guide(kind: str) -> list[str]:
    """Lines for the form's comment block: what each field takes."""
    lines = ["Correct the fields and the text below the blank line, then save and close."]
    lines += [f"{name}: {GUIDE[name]}." for name in FIELDS[kind]]
    return lines


def parse(saved: str, kind: str) -> EntryForm:
    """Split what the editor saved into fields and text; BadInput names a line it cannot
    read, so the user can fix it."""
    head, gap, body = saved.partition("\n\n")
    if not gap:  # no blank line: all header, or all text if it reads as no header at all
        head, body = saved, ""
    allowed = FIELDS[kind]
    form = EntryForm(text=body.strip())
    for number, line in enumerate(head.splitlines(), start=1):
        name, colon, value = line.partition(":")
        name = name.strip().lower()
        if not colon or name not in allowed:
            raise BadInput(
                f"Line {number} of the form, '{line.strip()}', is not a field; a {kind} has "
                f"{', '.join(allowed)}, then a blank line and the text."
            )
        if name in form.values:
            raise BadInput(f"The form gives '{name}' twice (line {number}); keep one.")
        form.values[name] = value.strip()
    if blank(form.text):
        raise BadInput("The text below the blank line is empty; an entry needs its text.")
    return form
