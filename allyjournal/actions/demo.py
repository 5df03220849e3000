"""A believable sample journal, so a newcomer sees the point of the tool in one command."""

from __future__ import annotations

import random
from datetime import date, timedelta

from allyjournal.core.models import Entry, Person, new_id, now_iso
from allyjournal.core.text import mentions_in, tags_in
from allyjournal.store import Journal

PEOPLE = [
    Person("maya", "Maya Patel", "SRE", "peer", "Staff engineer by 2027", "fairness, craft"),
    Person("sam", "Sam Lee", "Backend engineer", "mentee", "Lead a launch end to end"),
    Person("ana", "Ana Souza", "Designer", "peer", "Speak at a conference"),
    Person("kofi", "Kofi Mensah", "Data engineer", "new joiner", ""),
    Person("li", "Li Wei", "Engineering manager", "skip-level peer", "Director track"),
    Person("jo", "Jo Park", "QA lead", "former teammate", ""),
]

HELPS = [
    ("conversation", "Asked {name} how I can support their goal: {goal}"),
    ("check-in", "Checked in with {name} after a rough on-call week"),
    ("intro", "Introduced {name} to the platform architect"),
    ("recognition", "Called out {name}'s migration work in the all-hands #recognition"),
    ("opportunity", "Recommended {name} to lead the Q1 reliability review"),
    ("sponsorship", "Put {name}'s name forward in the promotion calibration"),
    ("feedback", "Gave {name} detailed feedback on the design doc"),
    ("mentoring", "Paired with {name} on incident command"),
    ("advocacy", "Pushed for a fair on-call rota so {name} is not always paged"),
    ("nomination", "Nominated {name} for the engineering excellence award"),
]

SMALL_WINS = [
    "Fixed the flaky login test #quality",
    "Wrote the runbook for cache failover #oncall",
    "Reviewed 14 pull requests for the payments team",
    "Cleaned up 40 stale feature flags #cleanup",
    "Answered three onboarding questions in #help-backend with @kofi",
    "Automated the weekly metrics email #automation",
]
BIG_WINS = [
    ("Cut CI time from 40 to 12 minutes #ci", "saves ~30 eng-hours a week"),
    ("Led the database upgrade with zero downtime #infra", "unblocked the Q4 roadmap"),
    ("Closed the enterprise renewal's security review #sales", "kept a $1.2M contract"),
    ("Launched the self-serve onboarding flow #launch", "support tickets down 35%"),
]


def build_sample(journal: Journal, today: date, weeks: int = 16) -> None:
    """About four months of wins and help across six allies, ending today."""
    rng = random.Random(2026)
    entries: list[Entry] = []
    stamp = now_iso()

    def add(day: date, **fields: object) -> None:
        text = str(fields["text"])
        entries.append(
            Entry(
                id=new_id(),
                date=day,
                created_at=stamp,
                updated_at=stamp,
                tags=tuple(tags_in(text)),
                mentions=tuple(h for h in mentions_in(text) if h != fields.get("ally")),
                **fields,  # type: ignore[arg-type]
            )
        )

    start = today - timedelta(weeks=weeks)
    for week in range(weeks + 1):
        monday = start + timedelta(weeks=week) - timedelta(days=start.weekday())
        days = [monday + timedelta(days=n) for n in range(5) if monday + timedelta(days=n) <= today]
        if not days:
            continue
        this_week = week == weeks
        recent = week >= weeks - 6  # a streak worth keeping going into this week
        count = 2 if this_week else rng.choice([3, 4] if recent else [2, 3, 3, 4])
        allies = rng.sample(PEOPLE[:5], k=count)
        for person in allies:
            kind, template = rng.choice(HELPS)
            text = template.format(
                name=person.name.split()[0], goal=person.career_goals or "growth"
            )
            add(rng.choice(days), kind="help", text=text, ally=person.handle, help_kind=kind)
        for text in rng.sample(SMALL_WINS, k=rng.randint(1, 3)):
            add(rng.choice(days), kind="win", text=text, size="small")
        if rng.random() < 0.35 or this_week:
            text, impact = rng.choice(BIG_WINS)
            add(rng.choice(days), kind="win", text=text, size="big", impact=impact)
    journal.add(entries, PEOPLE, "built the demo journal")
