"""The user's settings: what each key means, its default, and how a value is checked.

A value is checked the same way when it is typed (`ally config goal 4`), when it is read back
from config.json, and when it arrives from another machine by sync, so a hand-edited file with
`"goal": "three"` stops with one line that names the file, the key and what is allowed, never a
traceback deep inside a command.

Some settings travel and some do not. Preferences (the goal, the first day of the week…) are the
same person's on every machine and sync in config.json. A setting that runs a program or decides
what this machine keeps (`editor`, `backups`) is this machine's alone, in machine.json, which
sync never shares or reads: a remote that could set `editor` could run a program here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from allyjournal.core.errors import BadInput


class Setting(NamedTuple):
    key: str
    default: Any
    help: str
    parse: Callable[[str], Any]
    travels: bool = True  # shared by sync in config.json; False: machine.json, never shared


def _positive_int(limit: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if not 1 <= value <= limit:
            raise ValueError(f"a whole number from 1 to {limit}")
        return value

    return parse


def _weekday(text: str) -> str:
    from allyjournal.core.dates import WEEKDAY_NAMES, parse_weekday

    try:
        return WEEKDAY_NAMES[parse_weekday(text)]
    except BadInput:
        raise ValueError("a day of the week, such as monday or sunday") from None


def _words(example: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if not text.strip():
            raise ValueError(f"some text, e.g. {example}")
        return text.strip()

    return parse


def _calendar_file(text: str) -> str:
    """An absolute path ending in .ics, with no control characters: this machine's own
    setting (a path that arrived by sync could make every change write anywhere)."""
    from os.path import expanduser, isabs

    path = expanduser(text.strip())
    if not isabs(path) or not path.endswith(".ics") or any(ord(c) < 32 for c in path):
        raise ValueError("an absolute path to an .ics file, e.g. ~/allyjournal.ics")
    return path


def _questions(text: str) -> str:
    """'default' (core/vocabulary.REFLECTION_QUESTIONS), or questions separated by '|'."""
    if text.strip().lower() == "default":
        return "default"
    questions = [part.strip() for part in text.split("|")]
    if any(not q or len(q) > 200 for q in questions) or any(ord(c) < 32 for c in text):
        raise ValueError(
            "'default', or questions separated by |, e.g. 'What went well? | Whom did I help?'"
        )
    return " | ".join(questions)


def _emails(text: str) -> str:
    """E-mail addresses, separated by commas or spaces: which commits and invitations are
    yours (`ally suggest`). Only compared with, never passed to a program."""
    import re

    addresses = [part.lower() for part in re.split(r"[,\s]+", text.strip()) if part]
    if not addresses or len(addresses) > 20:
        raise ValueError("your e-mail addresses separated by commas, e.g. ada@example.com")
    for address in addresses:
        if not re.fullmatch(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]{1,190}", address):
            raise ValueError("your e-mail addresses separated by commas, e.g. ada@example.com")
    return ", ".join(dict.fromkeys(addresses))


def email_set(setting: str | None) -> frozenset[str]:
    """The addresses of an `emails` setting; empty when it is not set."""
    return frozenset(part.strip() for part in (setting or "").split(",") if part.strip())


def reflection_questions(setting: str | None) -> tuple[str, ...]:
    """The questions a `reflect-questions` setting asks; () when it is not set."""
    if not setting:
        return ()
    if setting == "default":
        from allyjournal.core.vocabulary import REFLECTION_QUESTIONS

        return REFLECTION_QUESTIONS
    return tuple(part.strip() for part in setting.split("|") if part.strip())


SETTINGS: dict[str, Setting] = {
    setting.key: setting
    for setting in (
        Setting("goal", 3, "allies to help each week", _positive_int(100)),
        Setting("week-start", "monday", "first day of the week", _weekday),
        Setting(
            "editor",
            None,
            "editor for long text (default: $VISUAL, $EDITOR)",
            _words("'vim', 'nano' or 'code --wait'"),
            travels=False,
        ),
        Setting("nudge-weeks", 4, "weeks without help before an ally is nudged", _positive_int(52)),
        Setting("backups", 10, "automatic backups to keep", _positive_int(1000), travels=False),
        Setting("name", None, "your name, at the top of exports", _words("'Ada Lovelace'")),
        Setting("role", None, "your role, beside your name in exports", _words("'Staff Engineer'")),
        Setting(
            "fairness-window",
            6,
            "fairness: how many of the latest of a kind to look at for a skew",
            _positive_int(100),
        ),
        Setting(
            "fairness-share",
            60,
            "fairness: percent of those to one person that is flagged",
            _positive_int(100),
        ),
        Setting(
            "leverage",
            None,
            "what your position gives you to bring, shown in agendas",
            _words("'senior engineer, hiring committee'"),
        ),
        Setting(
            "review-day",
            "friday",
            "the day of your weekly review, for `ally remind` and `ally calendar`",
            _weekday,
        ),
        Setting(
            "nominations-due",
            None,
            "days before each quarter ends that nominations close (`ally remind`, calendar)",
            _positive_int(90),
        ),
        Setting(
            "reflect-questions",
            None,
            "questions `ally review --reflect` asks one by one: default, or yours split by |",
            _questions,
        ),
        Setting(
            "emails",
            None,
            "your e-mail addresses: whose commits and meetings `ally suggest` offers",
            _emails,
        ),
        Setting(
            "calendar",
            None,
            "a calendar file `ally calendar` refreshes after every change",
            _calendar_file,
            travels=False,
        ),
    )
}


TRAVELLING = frozenset(key for key, setting in SETTINGS.items() if setting.travels)
MACHINE_ONLY = frozenset(SETTINGS) - TRAVELLING


def check_value(key: str, stored: Any) -> Any:
    """A stored value of setting `key`, checked; ValueError says what it must be instead."""
    setting = SETTINGS[key]
    try:
        if isinstance(stored, bool) or not isinstance(stored, (str, int)):
            raise ValueError
        return setting.parse(str(stored))
    except ValueError:
        try:
            setting.parse("")
        except ValueError as error:
            raise ValueError(str(error)) from None
        raise ValueError("a valid value") from None


def shared_settings(record: Any) -> tuple[dict[str, Any], list[str]]:
    """What another machine's config.json may set here: its travelling settings, checked
    (ValueError names the first bad one), and the keys it held that are ignored (settings
    that stay on each machine, and keys this version does not know)."""
    if not isinstance(record, dict):
        raise ValueError("it is not a table of settings")
    kept: dict[str, Any] = {}
    for key, stored in record.items():
        if key in TRAVELLING and stored is not None:
            try:
                check_value(key, stored)
            except ValueError as error:
                raise ValueError(f"setting '{key}' is {stored!r}, but it must be {error}") from None
            kept[key] = stored
    return kept, sorted(str(key) for key in record if key not in TRAVELLING)


def parse_setting(key: str, text: str) -> Any:
    """Check a value typed for `key`; raises BadInput naming the key, value and what works."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise BadInput(f"Unknown setting '{key}': choose one of {', '.join(SETTINGS)}.")
    try:
        return setting.parse(text)
    except ValueError as error:
        from allyjournal.core.text import one_line

        raise BadInput(f"Cannot set {key} to '{one_line(text)}': expected {error}.") from None


class Config(NamedTuple):
    """Validated settings; build one with `Config.from_record`, which fills in the defaults.

    A NamedTuple rather than a dataclass: `ally status` reads the settings for a shell prompt,
    and the dataclasses module alone costs a third of Python's start-up.
    """

    goal: int
    week_start: str
    editor: str | None
    nudge_weeks: int
    backups: int
    name: str | None
    role: str | None
    fairness_window: int
    fairness_share: int
    leverage: str | None
    review_day: str
    nominations_due: int | None
    reflect_questions: str | None
    emails: str | None
    calendar: str | None

    @property
    def week_start_index(self) -> int:
        from allyjournal.core.dates import WEEKDAY_NAMES

        return WEEKDAY_NAMES.index(self.week_start)

    @classmethod
    def defaults(cls) -> Config:
        return cls.from_record({}, source="defaults")

    @classmethod
    def from_record(cls, record: Any, *, source: str) -> Config:
        """Settings from a stored record (`source` names its file in errors)."""
        if not isinstance(record, dict):
            raise BadInput(
                f"{source} is not a table of settings; `ally doctor --fix` sets it aside."
            )
        values: dict[str, Any] = {}
        for key, setting in SETTINGS.items():
            stored = record.get(key)
            if stored is None:
                values[key] = setting.default
                continue
            try:
                values[key] = check_value(key, stored)
            except ValueError as error:
                raise BadInput(
                    f"{source}: setting '{key}' is {stored!r}, but it must be {error}; "
                    f"fix it with `ally config {key} VALUE` or `ally config {key} --unset`."
                ) from None
        return cls(**{key.replace("-", "_"): value for key, value in values.items()})

    def value(self, key: str) -> Any:
        return getattr(self, key.replace("-", "_"))
