"""The journal's words, defined once: kinds of entries, kinds and levels of help.

Every `--help` text, the review's nudges, the export's sections, `ally kinds` and the README
take their lists from here (tests/test_docs.py checks the README against it).
"""

from __future__ import annotations

from datetime import timedelta

from allyjournal.core.errors import Ambiguous, BadInput

ENTRY_KIND_MEANINGS: dict[str, str] = {
    "win": "something that went well: big (--big) or small, with its impact",
    "help": "something you did for an ally's career (`ally helped`)",
    "reflection": "your note on a week (`ally review --reflect`)",
    "thanks": "help someone gave you, or allyship you saw them show (`ally thanks`)",
    "learning": "what you did to educate yourself, with no ally (`ally learned`)",
    "chore": "office housework someone did for the team: notes, scheduling (`ally chore`)",
}
# Entries about one person, named in their `ally` field: help given them, thanks to them,
# and a chore they did (the manager's housework ledger, `ally fairness --housework`).
ABOUT_SOMEONE: tuple[str, ...] = ("help", "thanks", "chore")
ENTRY_KINDS: tuple[str, ...] = tuple(ENTRY_KIND_MEANINGS)

# Each kind of help, with what it means in the journal's own terms.
HELP_KIND_MEANINGS: dict[str, str] = {
    "conversation": "asked how you can help, or talked about their career",
    "check-in": "a regular catch-up to see how they are doing",
    "intro": "opened your network: introduced them to someone useful",
    "advocacy": "spoke up for them, or pushed for a fairer policy",
    "recognition": "called out their work where others could see it",
    "opportunity": "gave or recommended them a stretch assignment",
    "sponsorship": "used your seniority or position to vouch for them",
    "feedback": "gave them specific, useful feedback",
    "mentoring": "taught, paired or coached them",
    "nomination": "nominated them for an award, role or programme",
    "credit": "gave them credit: named or amplified their idea or work",
    "speak-up": "confronted bias or unequal treatment of them where it happened",
    "other": "anything else you did for them",
}
HELP_KINDS: tuple[str, ...] = tuple(HELP_KIND_MEANINGS)

LEVEL_MEANINGS: dict[str, str] = {
    "internal": "work on yourself: learning, unlearning, noticing",
    "interpersonal": "between you and one person",
    "institutional": "inside your organisation: a process, a team, a policy",
    "systemic": "beyond one organisation: an industry, a community",
}
LEVELS: tuple[str, ...] = tuple(LEVEL_MEANINGS)

# What a win was, for whoever decides promotions: research on office housework finds the
# work that holds a team together asked of some people more and rewarded less, and a brag
# document with no place for it loses it at review time (`ally win … --type glue`).
WORK_TYPE_MEANINGS: dict[str, str] = {
    "promotable": "the work your role is judged and promoted on",
    "glue": "work that holds the team together: onboarding, unblocking, reviews, process",
    "housework": "office housework: notes, scheduling, organising, the party",
}
WORK_TYPES: tuple[str, ...] = tuple(WORK_TYPE_MEANINGS)
UNSUNG_WORK: tuple[str, ...] = ("glue", "housework")  # the export's section of its own

# Help that moves a career forward, as opposed to keeping in touch: the review nudges an ally
# with recorded career goals who has had none of these for a while.
CAREER_KINDS: tuple[str, ...] = ("intro", "opportunity", "sponsorship", "nomination")
# Help that documents someone's work where it counts at review time.
RECOGNITION_KINDS: tuple[str, ...] = ("recognition", "nomination", "credit")
OPPORTUNITY_KINDS: tuple[str, ...] = ("opportunity", "sponsorship")
# How someone wants to be recognised (`ally people edit maya --recognition private`): praise
# that embarrasses its recipient is not the recognition they asked for.
RECOGNITION_STYLES: tuple[str, ...] = ("public", "private")
CHANNEL_LIMIT = 80  # characters of `--channel`: "1:1", "the team channel", "to my manager"
TOPIC_LIMIT = 300  # characters of a thing to raise at a 1:1 (`ally agenda maya --add`)


def recognition_wish(style: str, channel: str) -> str:
    """'in private, through 1:1' (either part may be missing; '' when neither is known):
    one wording for people show, the agenda, the recognition record and nominations."""
    parts = [f"in {style}" if style else "", f"through {channel}" if channel else ""]
    return ", ".join(part for part in parts if part)


def words_list(words: tuple[str, ...], conjunction: str = "or") -> str:
    """'intro, opportunity, sponsorship or nomination'."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def choose(value: str, allowed: tuple[str, ...], what: str) -> str:
    """`value` if it is one of `allowed` or a unique prefix of one; else a BadInput that lists
    the candidates (ambiguous prefix) or the choices with a close match."""
    wanted = value.strip().lower()
    if wanted in allowed:
        return wanted
    starts = [option for option in allowed if option.startswith(wanted)] if wanted else []
    if len(starts) == 1:
        return starts[0]
    if len(starts) > 1:
        raise Ambiguous(
            f"'{value}' is ambiguous for {what}: it could be {words_list(tuple(starts))}."
        )
    import difflib

    close = difflib.get_close_matches(wanted, allowed, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    raise BadInput(f"Unknown {what} '{value}'{hint}: choose one of {', '.join(allowed)}.")


# Help that develops someone, against help that moves them up (CAREER_KINDS): research on
# allyship finds people "over-mentored and under-sponsored"; this many developmental helps
# in a year with no career move is worth asking about (the agenda and the review).
DEVELOPING: tuple[str, ...] = ("mentoring", "feedback")
UNDER_SPONSORED = 3
SPONSORSHIP_WINDOW = timedelta(days=365)  # the year the rule looks back on


def sponsorship_gap(kinds: dict[str, int]) -> str | None:
    """'3 mentoring and 1 feedback' when a year's help (`kinds`: kind -> times) developed
    someone often and moved them up never; else None. One rule for the agenda and review."""
    developing = {kind: kinds[kind] for kind in DEVELOPING if kinds.get(kind)}
    if sum(developing.values()) < UNDER_SPONSORED or any(kinds.get(k) for k in CAREER_KINDS):
        return None
    return words_list(tuple(f"{n} {kind}" for kind, n in developing.items()), "and")


# `ally review --reflect` with `ally config reflect-questions default`: one question for each
# practice the journal is built on (asking, speaking up, recognising, opening your network,
# learning), asked one at a time.
REFLECTION_QUESTIONS: tuple[str, ...] = (
    "Whom did I ask how I can help?",
    "Where did I speak up?",
    "Whose work did I recognise?",
    "Whom did I open my network to?",
    "What did I learn?",
)
