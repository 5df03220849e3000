"""`ally win`, `ally helped` and `ally thanks`: logging, the commands people type most."""

from typing import Annotated

import typer

from allyjournal import reports
from allyjournal.actions import entries
from allyjournal.commands.common import (
    FutureOption,
    GoalOption,
    NewOption,
    TagOption,
    WhenOption,
    complete_handle,
    complete_help_kind,
    complete_level,
    journal,
    parse_when,
    read_text,
)
from allyjournal.core.vocabulary import HELP_KINDS, LEVELS, WORK_TYPES


def win(
    ctx: typer.Context,
    text: Annotated[
        list[str] | None, typer.Argument(help="What you did; #tags and @handles count.")
    ] = None,
    big: Annotated[bool, typer.Option("--big", help="A big win (default: small).")] = False,
    impact: Annotated[str | None, typer.Option("--impact", "-i", help="Why it mattered.")] = None,
    work_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help=f"{', '.join(WORK_TYPES)}: glue and housework get a section of their own in "
            "exports (`ally kinds` explains each).",
        ),
    ] = None,
    tag: TagOption = None,
    when: WhenOption = None,
    future: FutureOption = False,
    new: NewOption = False,
) -> None:
    """Log a win, big or small.

    Examples:

      ally win "Cut CI time from 40 to 12 min" --big --impact "saves 30 h/week"

      ally win "Paired with @sam on the flaky test #quality" --date yesterday

      ally win "Onboarded the new hires" --type glue -i "both shipped in week 1"

    With no TEXT, opens your editor (or reads standard input when piped).
    """

    day = parse_when(when, logging=True, future=future)
    body = read_text(text, journal(ctx), what="win")
    logged = entries.log_win(
        journal(ctx),
        body,
        when=day,
        big=big,
        impact=impact,
        tags=tag,
        allow_new=new,
        work_type=work_type,
    )
    for line in reports.logged_message(logged):
        typer.echo(line)


def learned(
    ctx: typer.Context,
    text: Annotated[
        list[str] | None,
        typer.Argument(help="What you read, watched, attended or unlearned; #tags count."),
    ] = None,
    impact: Annotated[
        str | None, typer.Option("--impact", "-i", help="What you will do differently.")
    ] = None,
    tag: TagOption = None,
    when: WhenOption = None,
    future: FutureOption = False,
    new: NewOption = False,
) -> None:
    """Log what you did to educate yourself about allyship: a book, a talk, a training, a
    listening session. It has no ally and never counts toward the weekly goal; the review
    lists the week's, and the levels are work on yourself (internal).

    Examples:

      ally learned "Read 'The Sponsor Effect', chapter 3 #sponsorship"

      ally learned "ERG listening session" --impact "ask before I amplify"

    With no TEXT, opens your editor (or reads standard input when piped).
    """

    day = parse_when(when, logging=True, future=future)
    body = read_text(text, journal(ctx), what="learning")
    logged = entries.log_learning(
        journal(ctx), body, when=day, impact=impact, tags=tag, allow_new=new
    )
    for line in reports.logged_message(logged):
        typer.echo(line)


def chore(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(help="Who did it, e.g. kofi or @kofi.", autocompletion=complete_handle),
    ],
    text: Annotated[list[str] | None, typer.Argument(help="The task they did.")] = None,
    tag: TagOption = None,
    when: WhenOption = None,
    future: FutureOption = False,
    new: NewOption = False,
) -> None:
    """Count a piece of the team's housework someone did: the notes, the scheduling, the
    onboarding buddy, the party. For a manager's ledger: `ally fairness --housework` shows
    who does it against an even share and who is next in the rotation. It is not help you
    gave and never makes anyone an ally.

    Examples:

      ally chore kofi "Took the notes at the planning meeting"

      ally chore ana "Organised the team offsite" --date "last friday"
    """

    day = parse_when(when, logging=True, future=future)
    body = read_text(text, journal(ctx), what="chore")
    logged = entries.log_chore(journal(ctx), handle, body, when=day, tags=tag, allow_new=new)
    for line in reports.logged_message(logged):
        typer.echo(line)


def helped(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(
            help="The ally you helped, e.g. maya or @maya.", autocompletion=complete_handle
        ),
    ],
    text: Annotated[list[str] | None, typer.Argument(help="What you did for them.")] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help=f"{', '.join(HELP_KINDS)} (a unique start is enough; `ally kinds` explains each).",
            autocompletion=complete_help_kind,
        ),
    ] = "other",
    level: Annotated[
        str | None,
        typer.Option("--level", "-l", help=f"{', '.join(LEVELS)}.", autocompletion=complete_level),
    ] = None,
    tag: TagOption = None,
    goal: GoalOption = None,
    keeps: Annotated[
        str | None,
        typer.Option("--keeps", metavar="ID", help="The promise this help keeps (its id)."),
    ] = None,
    when: WhenOption = None,
    future: FutureOption = False,
    new: NewOption = False,
) -> None:
    """Log help you gave an ally.

    Examples:

      ally helped maya "Asked how I can support her promotion" --kind conversation

      ally helped sam "Put Sam forward to lead the Q1 launch" --kind opportunity

      ally helped ana "Fixed the rota" --kind advocacy --level institutional
    """

    day = parse_when(when, logging=True, future=future)
    body = read_text(text, journal(ctx), what=f"help you gave @{handle.lstrip('@')}")
    logged = entries.log_help(
        journal(ctx),
        handle,
        body,
        when=day,
        help_kind=kind,
        level=level,
        tags=tag,
        goal=goal,
        keeps=keeps,
        allow_new=new,
    )
    for line in reports.logged_message(logged):
        typer.echo(line)


def thanks(
    ctx: typer.Context,
    handle: Annotated[
        str,
        typer.Argument(
            help="Who helped you (or whom you saw help).", autocompletion=complete_handle
        ),
    ],
    text: Annotated[list[str] | None, typer.Argument(help="What they did.")] = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            "-k",
            help="The kind of help, as for `ally helped` (see `ally kinds`).",
            autocompletion=complete_help_kind,
        ),
    ] = "other",
    for_handle: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="HANDLE",
            help="Allyship you saw them show someone else: the person they helped.",
            autocompletion=complete_handle,
        ),
    ] = None,
    tag: TagOption = None,
    when: WhenOption = None,
    future: FutureOption = False,
    new: NewOption = False,
) -> None:
    """Record help you received, or allyship you saw someone show another person.

    It never counts toward your weekly goal; the review shows it under "Who helped you", the
    agenda before you meet them, and `ally list --kind thanks` finds it.

    Examples:

      ally thanks kofi "Covered my on-call shift during the move" --kind other

      ally thanks li "Put my name forward for the staff role" --kind sponsorship

      ally thanks ana "Credited Sam's idea in the design review" --for sam
    """

    day = parse_when(when, logging=True, future=future)
    body = read_text(text, journal(ctx), what=f"what @{handle.lstrip('@')} did")
    logged = entries.log_thanks(
        journal(ctx),
        handle,
        body,
        when=day,
        help_kind=kind,
        for_handle=for_handle,
        tags=tag,
        allow_new=new,
    )
    for line in reports.logged_message(logged):
        typer.echo(line)
