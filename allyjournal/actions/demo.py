"""A believable sample journal, so a newcomer sees the point of the tool in one command."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta

from allyjournal.core.models import Entry, Goal, Person, Topic, new_id, now_iso
from allyjournal.core.text import mentions_in, tags_in
from allyjournal.store import Journal

PEOPLE = [
    Person(
        "maya",
        "Maya Patel",
        "SRE",
        "peer",
        "Staff engineer by 2027",
        "fairness, craft",
        recognition="private",
        channel="1:1",
    ),
    Person("sam", "Sam Lee", "Backend engineer", "mentee", "Lead a launch end to end"),
    Person("ana", "Ana Souza", "Designer", "peer", "Speak at a conference"),
    Person("kofi", "Kofi Mensah", "Data engineer", "new joiner", ""),
    Person("li", "Li Wei", "Engineering manager", "skip-level peer", "Director track"),
    Person("jo", "Jo Park", "QA lead", "former teammate", ""),
]

# Three ways of telling each kind of help, so no two entries read the same.
HELPS = {
    "conversation": [
        "Asked {name} how I can support their goal: {goal}",
        "Talked with {name} about what they want from next quarter",
        "Had a coffee chat with {name} about the team's direction",
    ],
    "check-in": [
        "Checked in with {name} after a rough on-call week",
        "Checked in with {name} on how the reorg is landing",
        "Followed up with {name} after the tense planning meeting",
    ],
    "intro": [
        "Introduced {name} to the platform architect",
        "Connected {name} with the data team about the pipeline rewrite",
        "Introduced {name} to a mentor in the design guild",
    ],
    "recognition": [
        "Called out {name}'s migration work in the all-hands #recognition",
        "Thanked {name} publicly for the incident write-up #recognition",
        "Shared {name}'s dashboard in the leadership update #recognition",
    ],
    "credit": [
        "Credited {name} for the load-test idea in the launch review",
        "Said it was {name}'s idea when it came up again in planning",
        "Named {name} as the author of the fix in the incident review",
    ],
    "speak-up": [
        "Spoke up when {name} was talked over in the design review",
        "Asked that {name}'s point be heard before the vote",
        "Called out the joke at {name}'s expense in standup",
    ],
    "opportunity": [
        "Recommended {name} to lead the Q1 reliability review",
        "Passed {name} the conference talk slot I could not take",
        "Suggested {name} for the architecture working group",
    ],
    "sponsorship": [
        "Put {name}'s name forward in the promotion calibration",
        "Made the case for {name} to own the new billing service",
        "Vouched for {name} with the director for the staff role",
    ],
    "feedback": [
        "Gave {name} detailed feedback on the design doc",
        "Reviewed {name}'s promotion packet and suggested stronger examples",
        "Gave {name} feedback on their first incident command",
    ],
    "mentoring": [
        "Paired with {name} on incident command",
        "Walked {name} through the deploy pipeline",
        "Helped {name} plan their first project kickoff",
    ],
    "advocacy": [
        "Pushed for a fair on-call rota so {name} is not always paged",
        "Argued for {name}'s team to get the headcount it was promised",
        "Raised that {name} was left off the launch email",
    ],
    "nomination": [
        "Nominated {name} for the engineering excellence award",
        "Nominated {name} for the leadership programme",
        "Put {name} up for the quarterly peer award",
    ],
}

# What you did to educate yourself (`ally learned`), weeks before today: no ally, never counted.
LEARNING = [
    (0, "Read 'The Sponsor Effect', chapter 3 #sponsorship", "sponsor, not only mentor"),
    (3, "Went to the ERG listening session on promotions", "ask before I amplify someone"),
]

# Wins that are glue or housework, so the export shows the section of its own.
WORK_TYPE_OF = {
    "Answered three onboarding questions in #help-backend with @kofi": "glue",
    "Ran the sprint retro and shared the notes #process": "housework",
    "Drafted the on-call handbook #oncall": "glue",
    "Documented the release checklist #process": "glue",
}
# The team's housework, for `ally fairness --housework`: @ana takes the notes too often.
CHORES = [
    (1, "ana", "Took the notes at sprint planning"),
    (2, "ana", "Took the notes at the architecture review"),
    (3, "kofi", "Booked the room for the offsite"),
    (4, "ana", "Took the notes at the quarterly planning"),
    (5, "ana", "Organised the farewell lunch"),
    (6, "sam", "Onboarding buddy for the new hire"),
    (8, "ana", "Took the notes at the incident review"),
]

SMALL_WINS = [
    "Fixed the flaky login test #quality",
    "Wrote the runbook for cache failover #oncall",
    "Reviewed 14 pull requests for the payments team",
    "Cleaned up 40 stale feature flags #cleanup",
    "Answered three onboarding questions in #help-backend with @kofi",
    "Automated the weekly metrics email #automation",
    "Cut the docker image from 1.2 GB to 300 MB #ci",
    "Added alerts for the queue backlog #oncall",
    "Wrote the design doc for rate limiting #design",
    "Paired with @sam on the flaky checkout test #quality",
    "Closed 12 old bugs in the backlog #cleanup",
    "Documented the release checklist #process",
    "Upgraded the logging library across six services #infra",
    "Ran the sprint retro and shared the notes #process",
    "Made the dashboard load in under a second #performance",
    "Fixed the timezone bug in invoices #quality",
    "Set up the staging database snapshot job #infra",
    "Gave the lunch-and-learn on tracing #teaching",
    "Wrote tests for the refund flow #quality",
    "Removed the last Python 2 script #cleanup",
    "Reviewed the accessibility audit with @ana #a11y",
    "Sped up the nightly export by 40% #performance",
    "Triaged the support queue for the week #oncall",
    "Drafted the on-call handbook #oncall",
    "Shipped dark mode for the admin panel #ui",
    "Moved the cron jobs to the scheduler #infra",
]
BIG_WINS = [
    ("Cut CI time from 40 to 12 minutes #ci", "saves ~30 eng-hours a week"),
    ("Led the database upgrade with zero downtime #infra", "unblocked the Q4 roadmap"),
    ("Closed the enterprise renewal's security review #sales", "kept a $1.2M contract"),
    ("Launched the self-serve onboarding flow #launch", "support tickets down 35%"),
    ("Shipped the new search #launch", "search use up 3x in the first week"),
    ("Ran the incident review that fixed paging #oncall", "pages down from 40 to 9 a month"),
    ("Finished the GDPR data export #compliance", "passed the audit with no findings"),
    ("Migrated billing to the new provider #infra", "saves $80k a year"),
]


def build_sample(journal: Journal, today: date, weeks: int = 12) -> None:
    """About three months of wins and help across six allies, ending today."""
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

    # Each text is told once: the pools are shuffled and drawn from without putting back, and
    # a way of telling a kind of help is used for one ally at most.
    small_wins = rng.sample(SMALL_WINS, k=len(SMALL_WINS))
    big_wins = rng.sample(BIG_WINS, k=len(BIG_WINS))
    told: set[str] = set()  # texts written
    used_templates: set[str] = set()
    start = today - timedelta(weeks=weeks)
    for week in range(weeks + 1):
        monday = start + timedelta(weeks=week) - timedelta(days=start.weekday())
        days = [monday + timedelta(days=n) for n in range(5) if monday + timedelta(days=n) <= today]
        if not days:
            continue
        this_week = week == weeks
        recent = week >= weeks - 6  # a streak worth keeping going into this week
        count = 2 if this_week else rng.choice([3, 4] if recent else [2, 3, 3, 4])
        allies = rng.sample(PEOPLE[:5], k=count)  # @jo is never helped: the review nudges
        kinds = rng.sample(sorted(HELPS), k=len(HELPS))
        for person in allies:
            name = person.name.split()[0]
            told_as = {
                t: t.format(name=name, goal=person.career_goals or "growth")
                for t in (t for kind in kinds for t in HELPS[kind])
            }
            # a kind not given this week, told a new way if possible, never twice to one ally
            fresh = [t for t in told_as if t not in used_templates and told_as[t] not in told]
            template = (fresh or [t for t in told_as if told_as[t] not in told])[0]
            kind = next(kind for kind in kinds if template in HELPS[kind])
            kinds.remove(kind)
            used_templates.add(template)
            told.add(told_as[template])
            add(
                rng.choice(days),
                kind="help",
                text=told_as[template],
                ally=person.handle,
                help_kind=kind,
            )
        for _ in range(rng.randint(1, 2)):
            if small_wins:
                text = small_wins.pop()
                kind_of_work = WORK_TYPE_OF.get(text)
                add(rng.choice(days), kind="win", text=text, size="small", work_type=kind_of_work)
        if big_wins and (rng.random() < 0.35 or this_week):
            text, impact = big_wins.pop()
            add(rng.choice(days), kind="win", text=text, size="big", impact=impact)
    for weeks_ago, text, impact in LEARNING:
        day = today - timedelta(weeks=weeks_ago, days=today.weekday() % 5)
        add(day, kind="learning", text=text, impact=impact)
    for days_ago, handle, text in CHORES:
        add(today - timedelta(days=days_ago * 3), kind="chore", text=text, ally=handle)
    team = ("platform",)
    allies = [replace(person, ally_since=start, career_goals="", teams=team) for person in PEOPLE]
    goals = [  # the career goals they told you, as goals
        Goal(new_id(), person.career_goals, (person.handle,))
        for person in PEOPLE
        if person.career_goals
    ]
    journal.add(entries, allies, "built the demo journal", goals)
    raise_with_maya = ["Ask about the staff promo timeline", "Offer to review her design doc"]
    topics = [Topic(new_id(), "maya", text) for text in raise_with_maya]
    journal.save_topics([(topic, None) for topic in topics], "the demo's 1:1 topics")
