"""`ally people …`: the allies you keep note of."""

from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.actions import people, search
from allyjournal.actions.people import last_helped
from allyjournal.commands.common import complete_handle, journal, today
from allyjournal.core.errors import BadInput

app = typer.Typer(invoke_without_command=True, add_completion=False)

Name = Annotated[str | None, typer.Option("--name", help="Full name ('' removes it).")]
Role = Annotated[str | None, typer.Option("--role", help="Role or team ('' removes it).")]
Relationship = Annotated[
    str | None,
    typer.Option("--relationship", help="How you know them: peer, report, mentee… ('' removes it)"),
]
Goals = Annotated[
    str | None,
    typer.Option("--goals", help="A career goal, as they told you (kept as an `ally goal`)."),
]
Values = Annotated[str | None, typer.Option("--values", help="Values you share ('' removes it).")]
Notes = Annotated[
    str | None, typer.Option("--notes", help="Anything else worth remembering ('' removes it).")
]
Team = Annotated[
    list[str] | None,
    typer.Option("--team", help="A team they are on, for `ally fairness` (repeatable)."),
]
LeaveTeam = Annotated[
    list[str] | None,
    typer.Option("--leave-team", metavar="TEAM", help="A team they are no longer on."),
]
CheckIn = Annotated[
    str | None,
    typer.Option(
        "--check-in",
        metavar="CADENCE",
        help="How often you mean to check in: weekly, 'every 2 weeks', monthly, none. "
        "Any help logged for them resets the clock; the review says when one is overdue.",
    ),
]
Recognition = Annotated[
    str | None,
    typer.Option(
        "--recognition",
        metavar="public|private",
        help="How they like to be recognised; shown when you recognise or nominate them "
        "('' removes it).",
    ),
]
Channel = Annotated[
    str | None,
    typer.Option(
        "--channel",
        help="Where they like to hear it: '1:1', 'the team channel' ('' removes it).",
    ),
]
Handle = Annotated[
    str, typer.Argument(help="The ally's handle, e.g. maya.", autocompletion=complete_handle)
]


def _details(
    name: str | None,
    role: str | None,
    relationship: str | None,
    goals: str | None,
    values: str | None,
    notes: str | None,
    check_in: str | None = None,
    recognition: str | None = None,
    channel: str | None = None,
) -> dict[str, str]:
    given = {
        "name": name,
        "role": role,
        "relationship": relationship,
        "career_goals": goals,
        "shared_values": values,
        "notes": notes,
        "check_in": check_in,
        "recognition": recognition,
        "channel": channel,
    }
    return {key: value for key, value in given.items() if value is not None}


@app.callback(invoke_without_command=True)
def people_default(
    ctx: typer.Context,
    everyone: Annotated[
        bool, typer.Option("--all", help="Also people you only mentioned, and archived allies.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for scripts.")] = False,
) -> None:
    """Your allies. With no subcommand, lists them.

    An ally is someone you helped or added with `ally people add`; they count toward your
    weekly goal and get nudges. Someone you only @mentioned is a contact: kept, linkable, never
    nagged about, and listed with --all. `ally people add HANDLE` makes a contact an ally.

    Examples:

      ally people add maya --name "Maya Patel" --role SRE --goals "staff by 2027"

      ally people show maya

      ally people rename maya maya.p
    """
    if ctx.invoked_subcommand is None:
        list_people(ctx, archived=False, everyone=everyone, as_json=as_json)


@app.command("list")
def list_people(
    ctx: typer.Context,
    archived: Annotated[
        bool, typer.Option("--archived", "-a", help="Include archived allies.")
    ] = False,
    everyone: Annotated[
        bool, typer.Option("--all", help="Also people you only mentioned, and archived allies.")
    ] = False,
    team: Annotated[
        str | None, typer.Option("--team", help="Only the people on this team.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="As JSON, for scripts.")] = False,
) -> None:
    """List your allies and when you last helped each: a table at a terminal, one
    tab-separated line each when piped, or JSON.

    Examples:

      ally people list --archived --json

      ally people list --all    (contacts too: people you only mentioned)

      ally people list --team platform
    """

    shown = [
        person
        for person in journal(ctx).people(include_archived=archived or everyone)
        if everyone or person.is_ally
    ]
    if team is not None:
        shown = [p for p in shown if people.team_name(team) in p.teams]
        if not shown:
            people.check_team(journal(ctx), team)
    helped = last_helped(journal(ctx))
    if as_json:
        reports.people_json(shown, helped)
        return
    reports.show_people(shown, helped, today())


ADD_HELP = """Add an ally, or make a contact (someone you only mentioned) an ally.

    Example: ally people add maya --name "Maya Patel" --role SRE --relationship peer
    """
EDIT_HELP = """Change an ally's details (only the options given).

    Examples:

      ally people edit maya --goals "lead the platform team"

      ally people edit maya --check-in "every 2 weeks"

      ally people edit maya --recognition private --channel 1:1
    """


def save_details(
    ctx: typer.Context,
    handle: Handle,
    name: Name = None,
    role: Role = None,
    relationship: Relationship = None,
    goals: Goals = None,
    values: Values = None,
    notes: Notes = None,
    check_in: CheckIn = None,
    recognition: Recognition = None,
    channel: Channel = None,
    team: Team = None,
    leave_team: LeaveTeam = None,
) -> None:
    """`ally people add` and `ally people edit`: one set of options, two verbs."""

    details = _details(
        name, role, relationship, goals, values, notes, check_in, recognition, channel
    )
    if ctx.info_name == "add":
        if leave_team:
            raise BadInput("--leave-team is for `ally people edit`; a new ally is on no team.")
        person = people.add(journal(ctx), handle, details, today=today(), teams=team)
        typer.echo(f"Added @{person.handle}.")
        return
    if not details and not team and not leave_team:
        raise BadInput(
            "Nothing to change: give --name, --role, --relationship, --goals, --values, --notes, "
            "--check-in, --recognition, --channel, --team or --leave-team."
        )
    person = people.edit(journal(ctx), handle, details, join=team, leave=leave_team)
    typer.echo(f"Updated @{person.handle}.")


app.command("add", help=ADD_HELP)(save_details)
app.command("edit", help=EDIT_HELP)(save_details)


@app.command("show")
def show_person(ctx: typer.Context, handle: Handle) -> None:
    """Show an ally's details and your recent entries about them.

    Example: ally people show maya
    """

    person = people.find(journal(ctx), handle)
    recent = list(search.find_entries(journal(ctx), search.EntryFilter(ally=person.handle), 10))
    short = journal(ctx).short_ids(entry.id for entry in recent)
    goals = [g for g in journal(ctx).goals() if person.handle in g.people and g.is_open]
    reports.show_person(person, recent, short, goals)


@app.command()
def rename(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(help="Current handle.")],
    new: Annotated[str, typer.Argument(help="New handle.")],
) -> None:
    """Change an ally's handle everywhere, including @mentions in your entries.

    Example: ally people rename maya maya.p
    """

    person, touched = people.rename(journal(ctx), old, new)
    typer.echo(f"Renamed to @{person.handle}; {touched} entries updated.")


@app.command()
def merge(
    ctx: typer.Context,
    gone: Annotated[str, typer.Argument(metavar="FROM", help="The handle that goes away.")],
    into: Annotated[str, typer.Argument(metavar="INTO", help="The handle that stays.")],
) -> None:
    """Make two people one: FROM's entries, goals and promises become INTO's.

    For the same person logged under two handles (a typo, or a rename made differently on
    two machines). INTO keeps its details and takes FROM's where its own are blank; FROM's
    handle still finds them, and a sync takes help the other machine logged for FROM along.
    One change: `ally undo` makes them two again.

    Example: ally people merge mayap maya
    """

    from allyjournal.actions.export import count_of

    went, stays, touched = people.merge(journal(ctx), gone, into)
    reports.said(
        f"Merged @{went.handle} into @{stays.handle}; "
        f"{count_of(touched, 'entry', 'entries')} updated. `ally undo` reverts it."
    )


@app.command()
def archive(
    ctx: typer.Context,
    handle: Handle,
    undo: Annotated[bool, typer.Option("--undo", help="Bring an archived ally back.")] = False,
) -> None:
    """Archive an ally (hidden from lists and nudges; their entries stay).

    Examples:

      ally people archive jo

      ally people archive jo --undo
    """

    person = people.set_archived(journal(ctx), handle, archived=not undo)
    typer.echo(f"{'Archived' if person.archived else 'Restored'} @{person.handle}.")
