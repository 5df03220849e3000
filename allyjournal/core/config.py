"""The user's settings: what each key means, its default, and how a typed value is checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from allyjournal.core.errors import BadInput


@dataclass(frozen=True)
class Setting:
    key: str
    default: Any
    help: str
    parse: Callable[[str], Any]


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

    return WEEKDAY_NAMES[parse_weekday(text)]


def _editor(text: str) -> str:
    if not text.strip():
        raise ValueError("a command such as 'vim', 'nano' or 'code --wait'")
    return text.strip()


SETTINGS: dict[str, Setting] = {
    setting.key: setting
    for setting in (
        Setting("goal", 3, "allies to help each week", _positive_int(100)),
        Setting("week-start", "monday", "first day of the week", _weekday),
        Setting("editor", None, "editor for long text (default: $VISUAL, $EDITOR)", _editor),
        Setting("nudge-weeks", 4, "weeks without help before an ally is nudged", _positive_int(52)),
        Setting("backups", 10, "automatic backups to keep", _positive_int(1000)),
    )
}


def parse_setting(key: str, text: str) -> Any:
    """Check a value typed for `key`; raises BadInput naming the key, value and what works."""
    setting = SETTINGS.get(key)
    if setting is None:
        raise BadInput(f"Unknown setting '{key}': choose one of {', '.join(SETTINGS)}.")
    try:
        return setting.parse(text)
    except ValueError as error:
        raise BadInput(f"Cannot set {key} to '{text}': expected {error}.") from None
    except BadInput as error:
        raise BadInput(f"Cannot set {key} to '{text}': {error}") from None


@dataclass(frozen=True)
class Config:
    goal: int = 3
    week_start: str = "monday"
    editor: str | None = None
    nudge_weeks: int = 4
    backups: int = 10

    @property
    def week_start_index(self) -> int:
        from allyjournal.core.dates import WEEKDAY_NAMES

        return WEEKDAY_NAMES.index(self.week_start)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Config:
        values = {key: record.get(key, setting.default) for key, setting in SETTINGS.items()}
        return cls(**{key.replace("-", "_"): value for key, value in values.items()})

    def value(self, key: str) -> Any:
        return getattr(self, key.replace("-", "_"))
