"""`ally suggest`: candidate wins from commits, candidate check-ins from a calendar's meetings.

A brag document fails when capture is a chore, so the journal offers what already happened
elsewhere: a day's commits in a repository become one candidate win, a 1:1 or a coffee with
someone in the journal a candidate check-in. Nothing is logged until the user accepts it.

Each commit and each meeting has a source id (`Source`); what the user logs or skips is
remembered in sources.json, in the same change as the entry it logs, so nothing is offered
twice, not even by two `ally suggest` at once or on two machines that sync. The readers
(formats/gitlog.py, formats/ics.py) turn outside files into `Commit` and `Meeting`; all their
text is outside input and goes through `_outside_text` before it can become an entry.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from allyjournal.actions import entries
from allyjournal.core.models import Person, Source
from allyjournal.core.text import CONTROL, MENTION_PATTERN, normalize_handle, normalize_tag
from allyjournal.store import Journal

MAX_TEXT = 300  # characters of a proposed entry's text: a summary, not a changelog
SUBJECTS = 3  # commit subjects a day's candidate quotes; the rest are counted
# Conventional commits: "feat(api)!: add pagination" (type, scope, breaking mark, subject).
CONVENTIONAL = re.compile(r"^([a-z]+)(?:\(([^()]{1,40})\))?(!)?: +(.+)$", re.IGNORECASE)
# Folders that say where code lives, not what it is about: never a tag.
GENERIC_FOLDERS = frozenset({"src", "lib", "app", "pkg", "internal", "cmd", "source"})
# Words in an event's title that make it a one-to-one conversation however many are invited.
ONE_TO_ONE = re.compile(r"1[:\-/ ]?on[:\-/ ]?1|\b1:1\b|\b1-1\b|coffee|catch[ -]?up|check[ -]?in|chat|lunch|mentor", re.IGNORECASE)  # fmt: skip
SMALL_MEETING = 2  # other attendees a meeting may have and still be a check-in


@dataclass(frozen=True)
class Commit:
    """One commit of the user's, as formats/gitlog.py read it."""

    sha: str
    repo: str  # the repository's folder name, for the text and a tag
    day: date  # the author date, in the author's own time zone
    subject: str
    merge: bool = False  # more than one parent: a branch of work landing
    tagged: bool = False  # a tag points at it: a release
    paths: tuple[str, ...] = ()


@dataclass(frozen=True)
class Meeting:
    """One occurrence of a calendar event, as formats/ics.py read it."""

    uid: str
    day: date
    summary: str
    emails: tuple[str, ...] = ()  # attendees' and the organizer's, lowercase
    names: tuple[str, ...] = ()  # their display names (CN)


@dataclass(frozen=True)
class Candidate:
    """A win or a check-in offered, never stored until accepted."""

    kind: str  # "win" or "help"
    day: date
    text: str
    sources: tuple[str, ...]  # the source ids it logs
    origin: str  # where it came from, for the person choosing: "allyjournal: 3 commits"
    tags: tuple[str, ...] = ()
    big: bool = False
    ally: str | None = None  # a check-in: the person met

    def to_record(self) -> dict[str, object]:
        """The candidate as `ally suggest --json` writes it."""
        return {
            "kind": self.kind,
            "date": self.day.isoformat(),
            "text": self.text,
            "tags": list(self.tags),
            "size": ("big" if self.big else "small") if self.kind == "win" else None,
            "ally": self.ally,
            "help_kind": "check-in" if self.kind == "help" else None,
            "origin": self.origin,
            "sources": list(self.sources),
        }


def commit_source(sha: str) -> str:
    return f"git-{sha}"


def meeting_source(meeting: Meeting, handle: str) -> str:
    """A meeting's id for one person met: its UID may be any text, so it is hashed."""
    key = f"{meeting.uid}\0{meeting.day.isoformat()}\0{handle}".encode()
    return "ics-" + hashlib.sha256(key).hexdigest()[:32]


def answered(journal: Journal, *, again: bool = False) -> set[str]:
    """Source ids not to offer: those logged, and (unless `again`) those skipped."""
    return {
        source.id for source in journal.sources().values() if source.state == "logged" or not again
    }


# -- commits --------------------------------------------------------------------------------------


def from_commits(
    commits: Iterable[Commit], left_out: set[str], known: frozenset[str] = frozenset()
) -> list[Candidate]:
    """One candidate per repository and day, from the commits not in `left_out`; `known`
    are the journal's handles, which stay mentions in the text."""
    days: dict[tuple[str, date], list[Commit]] = {}
    for commit in commits:
        if commit_source(commit.sha) not in left_out:
            days.setdefault((commit.repo, commit.day), []).append(commit)
    found = [_day_of_work(repo, day, group, known) for (repo, day), group in days.items()]
    return sorted(found, key=lambda candidate: (candidate.day, candidate.origin))


def _day_of_work(repo: str, day: date, commits: list[Commit], known: frozenset[str]) -> Candidate:
    work = [commit for commit in commits if not commit.merge] or commits
    subjects: list[str] = []
    scopes: list[str] = []
    breaking = False
    for commit in work:
        subject, scope, bang = _conventional(_outside_text(commit.subject, known))
        breaking = breaking or bang
        if subject and subject not in subjects:
            subjects.append(subject)
        if scope:
            scopes.append(scope)
    text = "; ".join(subjects[:SUBJECTS]) or f"Work in {repo}"
    if len(subjects) > SUBJECTS:
        text += f" (and {len(subjects) - SUBJECTS} more)"
    folders = [_folder(path) for commit in work for path in commit.paths]
    tags = _tag_words([*scopes, repo, *_most_common([f for f in folders if f], 2)])
    count = len(commits)
    origin = f"{repo}: {count} commit{'s' if count != 1 else ''}"
    return Candidate(
        kind="win",
        day=day,
        text=text[:MAX_TEXT],
        sources=tuple(commit_source(commit.sha) for commit in commits),
        origin=origin,
        tags=tags,
        big=breaking or any(commit.merge or commit.tagged for commit in commits),
    )


def _conventional(subject: str) -> tuple[str, str | None, bool]:
    """A subject without its conventional-commit prefix, its scope, and whether it is marked
    as breaking: "feat(api)!: add paging" is ("Add paging", "api", True)."""
    match = CONVENTIONAL.match(subject)
    if match is None:
        return subject, None, False
    rest = match[4].strip()
    return rest[:1].upper() + rest[1:], match[2], bool(match[3])


def _folder(path: str) -> str | None:
    """The folder a changed path says the work was about: its first that is not generic."""
    for part in path.split("/")[:-1]:
        if part.lower() not in GENERIC_FOLDERS and not part.startswith("."):
            return part
    return None


def _most_common(items: list[str], count: int) -> list[str]:
    from collections import Counter

    return [item for item, _ in Counter(items).most_common(count)]


def _tag_words(words: Iterable[str]) -> tuple[str, ...]:
    """The words that make good tags (one word of letters, digits and '-'), at most four."""
    from allyjournal.core.checks import TAG_WORD

    tags = [normalize_tag(word).replace("_", "-").replace(".", "-") for word in words]
    return tuple(dict.fromkeys(tag for tag in tags if re.match(TAG_WORD, tag)))[:4]


# -- meetings -------------------------------------------------------------------------------------


def from_meetings(
    meetings: Iterable[Meeting],
    people: list[Person],
    mine: frozenset[str],
    left_out: set[str],
    today: date,
) -> list[Candidate]:
    """A candidate check-in for each person in the journal met in a small meeting (or one
    whose title says it is a 1:1, a coffee, a catch-up) that took place by `today`.
    `mine` are the user's own e-mail addresses, never taken for someone else."""
    found: list[Candidate] = []
    known = frozenset(person.handle for person in people)
    for meeting in meetings:
        others = [email for email in meeting.emails if email not in mine]
        if meeting.day > today:
            continue
        if len(others) > SMALL_MEETING and not ONE_TO_ONE.search(meeting.summary):
            continue
        summary = _outside_text(meeting.summary, known) or "Meeting"
        for handle in _met(meeting, others, people):
            source = meeting_source(meeting, handle)
            if source in left_out:
                continue
            found.append(
                Candidate(
                    kind="help",
                    day=meeting.day,
                    text=summary[:MAX_TEXT],
                    sources=(source,),
                    origin=f"calendar: {summary[:60]}",
                    ally=handle,
                )
            )
    return sorted(found, key=lambda candidate: (candidate.day, candidate.ally or ""))


def _met(meeting: Meeting, others: list[str], people: list[Person]) -> list[str]:
    """The handles of the people in the journal a meeting was with: an attendee whose
    address is theirs by its name part (maya@… is @maya), whose display name is their name,
    or whose name or handle the title says ("Coffee with Maya")."""
    local = {normalize_handle(email.split("@", 1)[0]) for email in others}
    names = {" ".join(name.split()).casefold() for name in meeting.names}
    title = meeting.summary.casefold()
    met: list[str] = []
    for person in people:
        if person.archived:
            continue
        name = " ".join(person.name.split()).casefold()
        first = name.split(" ")[0] if name else ""
        said = [person.handle, *([name, first] if name else [])]
        if (
            person.handle in local
            or (name and name in names)
            or any(word and re.search(rf"(?<!\w){re.escape(word)}(?!\w)", title) for word in said)
        ):
            met.append(person.handle)
    return met


# -- outside text ---------------------------------------------------------------------------------


def _outside_text(text: str, known: Iterable[str]) -> str:
    """Text from a commit or a calendar, fit to be an entry's: control characters dropped,
    spaces collapsed, and an `@word` that is not one of `known` handles written with a
    full-width ＠, so `bump @babel/core` does not add a person called babel."""
    flat = " ".join(re.sub(CONTROL, " ", text).split())
    handles = set(known)

    def mention(match: re.Match[str]) -> str:
        word = match[1]
        return match[0] if normalize_handle(word) in handles else f"＠{word}"

    return re.sub(MENTION_PATTERN, mention, flat)


# -- answers --------------------------------------------------------------------------------------


def accept(journal: Journal, candidate: Candidate, text: str | None = None) -> entries.Logged:
    """Log a candidate (with `text`, when the user edited it), marking its sources."""
    wording = candidate.text if text is None else text
    if candidate.kind == "help" and candidate.ally is not None:
        return entries.log_help(
            journal,
            candidate.ally,
            wording,
            when=candidate.day,
            help_kind="check-in",
            tags=list(candidate.tags),
            sources=candidate.sources,
        )
    return entries.log_win(
        journal,
        wording,
        when=candidate.day,
        big=candidate.big,
        tags=list(candidate.tags),
        sources=candidate.sources,
    )


def skip(journal: Journal, candidates: list[Candidate]) -> None:
    """Remember candidates the user passed over, so they are not offered again."""
    marked = [
        Source(id=source, state="skipped")
        for candidate in candidates
        for source in candidate.sources
    ]
    if marked:
        count = len(candidates)
        journal.mark_sources(marked, f"skipped {count} suggestion{'s' if count != 1 else ''}")
