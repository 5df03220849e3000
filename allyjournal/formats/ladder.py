"""A career ladder file (`ally export --packet --ladder FILE`): the criteria a promotion is
judged on, written by the user in any text editor, and what in the journal counts toward each.

The format is a small piece of Markdown, so a ladder pasted from a wiki needs little change:

    # Staff engineer                    the ladder's name (optional, first)
    ## Technical leadership             a criterion
    Sets direction across teams.        what it means (optional, any number of lines)
    tags: architecture, design          entries with any of these tags
    kinds: mentoring, sponsorship       entries of these kinds (win, help, learning) or kinds
                                        of help (mentoring, intro…), as `ally list --kind`
    types: glue, housework              wins of these types (`ally win --type`)
    words: designed, led the            entries whose text or impact has one of these words

Blank lines and lines starting with `<!--` are ignored. A criterion with no rule would never
match, so it is refused, as is anything else the reader cannot place: the file is outside
input, read whole under a size limit, and one line names the first problem and its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from allyjournal.core.errors import BadInput
from allyjournal.core.models import Criterion, Ladder
from allyjournal.core.text import is_short_line, normalize_tag, one_line
from allyjournal.core.vocabulary import ENTRY_KINDS, HELP_KINDS, WORK_TYPES, choose

MAX_BYTES = 256 * 1024  # a ladder is a page or two; more is not a ladder
MAX_CRITERIA = 60
NAME_LIMIT = 120  # characters of a criterion's or the ladder's name
RULES = ("tags", "kinds", "types", "words")


@dataclass
class _Draft:
    name: str
    line: int
    description: list[str] = field(default_factory=list)
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)


# The ladder a packet uses without --ladder: the journal's own vocabulary, in the order a
# reviewer reads a case (delivery first, then the work that lifts others).
DEFAULT = """\
## Delivery and impact
What you shipped and what it changed.
kinds: win
## Holding the team together
Glue work and office housework: onboarding, unblocking, process, notes.
types: glue, housework
## Growing others
Mentoring, feedback and the conversations that help someone grow.
kinds: mentoring, feedback, conversation, check-in
## Sponsorship and opening doors
Using your position to move someone's career: sponsorship, opportunities, intros.
kinds: sponsorship, opportunity, intro, nomination, advocacy
## Recognition and inclusion
Credit given where it was due, recognition, and speaking up against bias.
kinds: recognition, credit, speak-up
## Learning
What you did to educate yourself.
kinds: learning
"""


def default_ladder() -> Ladder:
    return parse(DEFAULT, "the default ladder")


def parse(text: str, source: str) -> Ladder:
    """A ladder from the text of a file; `source` names it in the one line a problem gets."""
    title: str | None = None
    drafts: list[_Draft] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("<!--"):
            continue
        where = f"{source}, line {number}"
        if not line.isprintable():
            raise BadInput(f"{where}: has a control character; a ladder is plain text.")
        if line.startswith("## "):
            drafts.append(_Draft(_name(line[3:], where), number))
            if len(drafts) > MAX_CRITERIA:
                raise BadInput(f"{where}: more than {MAX_CRITERIA} criteria; split the ladder.")
        elif line.startswith("# ") and not drafts and title is None:
            title = _name(line[2:], where)
        elif line.startswith("#"):
            raise BadInput(
                f"{where}: {one_line(line[:40])!r}: start a criterion with '## ', and give the "
                "ladder's name with '# ' once, first."
            )
        elif not drafts:
            raise BadInput(f"{where}: text before the first '## criterion' line.")
        else:
            _rule_or_description(drafts[-1], line, where)
    if not drafts:
        raise BadInput(f"{source}: no criteria; start each with a line '## Name'.")
    return Ladder(title, tuple(_criterion(draft, source) for draft in drafts), source)


def _name(text: str, where: str) -> str:
    name = text.strip()
    if not name or not is_short_line(name, NAME_LIMIT):
        raise BadInput(f"{where}: a name is one line of 1 to {NAME_LIMIT} characters.")
    return name


_RULE = re.compile(r"^([A-Za-z]+)\s*:\s*(.*)$")


def _rule_or_description(draft: _Draft, line: str, where: str) -> None:
    found = _RULE.match(line)
    if found is None or found.group(1).lower() not in RULES:
        if len(draft.description) < 20:
            draft.description.append(line)
        return
    rule = found.group(1).lower()
    values = tuple(v.strip() for v in found.group(2).split(",") if v.strip())
    if not values:
        raise BadInput(f"{where}: {rule}: has no values; e.g. {rule}: {_EXAMPLES[rule]}.")
    draft.rules[rule] = draft.rules.get(rule, ()) + tuple(
        _value(rule, value, where) for value in values
    )


_EXAMPLES = {
    "tags": "architecture, design",
    "kinds": "mentoring, sponsorship",
    "types": "glue, housework",
    "words": "designed, led",
}


def _value(rule: str, value: str, where: str) -> str:
    try:
        if rule == "tags":
            tag = normalize_tag(value)
            if not re.fullmatch(r"[^\W_][\w-]{0,49}", tag):
                raise BadInput(f"{value!r} is not a tag (letters, digits, '-')")
            return tag
        if rule == "kinds":
            return choose(value, ENTRY_KINDS + HELP_KINDS, "kind")
        if rule == "types":
            return choose(value, WORK_TYPES, "type")
        if len(value) > NAME_LIMIT:
            raise BadInput(f"a word of {len(value)} characters is too long to match")
        return value.casefold()
    except BadInput as error:
        raise BadInput(f"{where}: {str(error).rstrip('.')}.") from None


def _criterion(draft: _Draft, source: str) -> Criterion:
    if not draft.rules:
        raise BadInput(
            f"{source}, line {draft.line}: {draft.name!r} has no tags:, kinds:, types: or "
            "words: line, so nothing would count toward it."
        )
    return Criterion(
        name=draft.name,
        description=" ".join(draft.description),
        tags=draft.rules.get("tags", ()),
        kinds=draft.rules.get("kinds", ()),
        types=draft.rules.get("types", ()),
        words=draft.rules.get("words", ()),
    )


def read(data: bytes, source: str) -> Ladder:
    """A ladder from a file's bytes: UTF-8 text under MAX_BYTES, or one line saying why not."""
    if len(data) > MAX_BYTES:
        raise BadInput(f"{source}: over {MAX_BYTES // 1024} KB; a ladder is a page or two.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadInput(f"{source}: is not UTF-8 text; save the ladder as plain text.") from None
    return parse(text, source)
