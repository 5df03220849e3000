"""`ally list`, `show`, `edit`, `delete` and `undo`: finding entries and correcting them."""

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from allyjournal import reports
from allyjournal.actions import entries, search
from allyjournal.actions.people import check_handle
from allyjournal.commands.common import (
    FromOption,
    FutureOption,
    NewOption,
    PeriodOption,
    ToOption,
    complete_handle,
    complete_help_kind,
    complete_id,
    complete_kind,
    complete_level,
    complete_tag,
    confirm,
    fail,
    journal,
    parse_week,
    parse_when,
    today,
)
from allyjournal.core import dates
from allyjournal.core.errors import BadInput, Cancelled
from allyjournal.core.text import normalize_tag

if TYPE_CHECKING:
    from allyjournal.core.dates import Period
    from allyjournal.core.models import Entry
    from allyjournal.formats.entry_form import EntryForm

UNDO_HINT = "`ally undo` reverts it."
DEFAULT_TERMINAL_LIMIT = 20


def list_entries(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    week: Annotated[
        str | None,
        typer.Option("--week", "-w", help="The week containing WHEN, or 'last week', 2026-W45."),
    ] = None,
    period: PeriodOption = None,
    kind: Annotated[
        str | None,
        typer.Option(
            "--kind",
            "-k",
            help="win, help, reflection, or a kind of help (conversation, intro…; see `ally "
            "kinds`). A unique prefix is enough.",
            autocompletion=complete_kind,
        ),
    ] = None,
    ally: Annotated[
        str | None,
        typer.Option(
            "--ally", "-a", help="Entries about this ally.", autocompletion=complete_handle
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", "-t", help="Has this tag (repeatable).", autocompletion=complete_tag),
    ] = None,
    big: Annotated[bool, typer.Option("--big", help="Big wins only.")] = False,
    grep: Annotated[
        str | None, typer.Option("--grep", "-g", help="Text contains this (any case).")
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "-n",
            "--limit",
            help="At most N entries; 0 for all. [default: 20 on a terminal, all when piped]",
            show_default=False,
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Entries as JSON, for scripts.")] = False,
    no_pager: Annotated[
        bool,
        typer.Option("--no-pager", help="Print everything even when it is longer than the screen."),
    ] = False,
) -> None:
    """List entries, newest first, grouped by day.

    On a terminal a long list goes through $PAGER (less by default; PAGER=cat or an empty
    PAGER turns it off). Piped, each entry is one tab-separated line.

    Examples:

      ally list --week "last week"

      ally list --kind help --ally maya

      ally list --tag ci --big --from 2026-01-01 -n 5

      ally list --grep "on-call" --json
    """

    wanted = search.EntryFilter(big=big, grep=grep)
    if start is not None:
        wanted.start = parse_when(start)
    if end is not None:
        wanted.end = parse_when(end)
    if week is not None or period is not None:
        span = _span(ctx, week, period)
        wanted.start = max(filter(None, (wanted.start, span.start)))
        wanted.end = min(filter(None, (wanted.end, span.end)))
    if kind is not None:
        wanted.choose_kind(kind)
    if ally is not None:
        wanted.ally = check_handle(ally)
    wanted.tags = [normalize_tag(t) for t in tag or []]
    if limit is not None and limit < 0:
        fail(f"-n must be 0 (all) or more, not {limit}.")
    if limit is None:
        limit = DEFAULT_TERMINAL_LIMIT if sys.stdout.isatty() and not as_json else 0
    search.check_filter(journal(ctx), wanted)
    found = list(search.find_entries(journal(ctx), wanted, limit + 1 if limit else None))
    more = bool(limit) and len(found) > limit
    found = found[:limit] if limit else found
    if as_json:
        typer.echo(reports.entries_json(found))
        return
    if not found and sys.stdout.isatty():
        if journal(ctx).is_empty():
            typer.echo(
                'Your journal is empty: log a win with `ally win "Shipped the fix"` or help '
                'with `ally helped maya "Asked how I can help"`.'
            )
        else:
            typer.echo("No entries match; `ally list` with fewer filters shows more.")
        return
    short = journal(ctx).short_ids(entry.id for entry in found)
    reports.show_entries(found, short, more=more, pager=not no_pager)


def _span(ctx: typer.Context, week: str | None, period: str | None) -> "Period":

    week_start = journal(ctx).config().week_start_index
    if period is not None:
        return dates.parse_period(period, today=today(), week_start=week_start)
    return parse_week(week, week_start)


def show(
    ctx: typer.Context,
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="An entry id or a unique prefix of it.", autocompletion=complete_id
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="The entry as JSON.")] = False,
) -> None:
    """Show one entry in full.

    Example: ally show 3f2a9c1
    """

    entry = journal(ctx).get(entry_id)
    reports.show_entry(entry, as_json=as_json)


def edit(
    ctx: typer.Context,
    entry_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="An entry id or a unique prefix of it.", autocompletion=complete_id
        ),
    ],
    text: Annotated[
        str | None,
        typer.Option(
            "--text", help="New text. With no option at all, the whole entry opens in your editor."
        ),
    ] = None,
    when: Annotated[str | None, typer.Option("--date", "-d", help="New date (WHEN).")] = None,
    future: FutureOption = False,
    big: Annotated[
        bool | None,
        typer.Option("--big/--small", help="Make a win big or small.", show_default=False),
    ] = None,
    impact: Annotated[
        str | None, typer.Option("--impact", "-i", help="New impact ('' removes it).")
    ] = None,
    tag: Annotated[
        list[str] | None, typer.Option("--tag", "-t", help="Replace the typed tags (repeatable).")
    ] = None,
    ally: Annotated[str | None, typer.Option("--ally", help="Help given to another ally.")] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", "-k", help="New kind of help.", autocompletion=complete_help_kind),
    ] = None,
    level: Annotated[
        str | None,
        typer.Option(
            "--level", "-l", help="New level ('' removes it).", autocompletion=complete_level
        ),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option("--goal", help="The goal a help served ('' unlinks it)."),
    ] = None,
    work_type: Annotated[
        str | None,
        typer.Option(
            "--type",
            metavar="TYPE",
            help="A win's type of work: promotable, glue, housework ('' removes it).",
        ),
    ] = None,
    new: NewOption = False,
) -> None:
    """Correct an entry. `ally undo` reverts the edit.

    Examples:

      ally edit 3f2a9c1 --text "Cut CI time from 40 to 12 minutes"

      ally edit 3f2a9c1 --date yesterday --big

      ally edit 3f2a9c1          (the whole entry in your editor)
    """

    options = (text, when, big, impact, tag, ally, kind, level, goal, work_type)
    if all(option is None for option in options):
        edited = _edit_in_editor(ctx, entry_id, future=future, new=new)
        if edited is not None:
            typer.echo(f"Updated {reports.kind_label(edited)} {edited.id[:7]}. {UNDO_HINT}")
        return
    updated = entries.edit_entry(
        journal(ctx),
        entry_id,
        text=text,
        when=parse_when(when, logging=True, future=future) if when is not None else None,
        big=big,
        impact=impact,
        tags=tag,
        ally=ally,
        help_kind=kind,
        level=level,
        goal=goal,
        allow_new=new,
        work_type=work_type,
    )
    typer.echo(f"Updated {reports.kind_label(updated)} {updated.id[:7]}. {UNDO_HINT}")


def _edit_in_editor(
    ctx: typer.Context, entry_id: str, *, future: bool, new: bool
) -> "Entry | None":
    """The whole entry as a form in the editor. A form that does not read is reopened with
    the reason on top when a person is at the terminal, else refused; either way nothing is
    written until a form reads. None when nothing changed."""
    from allyjournal.commands.editor import edit_text
    from allyjournal.formats import entry_form

    current = journal(ctx).get(entry_id)
    form = entry_form.render(current)
    problem: str | None = None
    while True:
        hint = entry_form.guide(current.kind)
        if problem:
            hint = [f"Not saved: {problem}", *hint]
        saved = edit_text(form, journal(ctx).config().editor, hint=hint)
        try:
            changes = _form_changes(current, entry_form.parse(saved, current.kind), future)
            if not changes:
                typer.echo("No change.")
                return None
            return entries.edit_entry(journal(ctx), current.id, allow_new=new, **changes)
        except BadInput as error:
            if not (sys.stdin.isatty() and sys.stdout.isatty()):
                raise
            reports.said(f"ally: {error}", hang=6, err=True)
            if not typer.confirm("Open the editor again to fix it?", default=True):
                raise Cancelled("Nothing changed; the form was not saved.") from None
            form, problem = saved, str(error)


def _form_changes(current: "Entry", form: "EntryForm", future: bool) -> dict[str, Any]:
    """The `edit_entry` arguments for the fields the user changed, read as the options are."""
    from allyjournal.formats.entry_form import typed_tags

    values = form.values
    changes: dict[str, Any] = {}
    if form.text != current.text:
        changes["text"] = form.text
    if values.get("date", current.date.isoformat()) != current.date.isoformat():
        changes["when"] = parse_when(values["date"], logging=True, future=future)
    if "size" in values and values["size"] != (current.size or "small"):
        if values["size"].lower() not in ("big", "small"):
            fail(f"size is 'big' or 'small', not '{values['size']}'.")
        changes["big"] = values["size"].lower() == "big"
    for name, argument, now in (
        ("impact", "impact", current.impact),
        ("ally", "ally", current.ally),
        ("kind", "help_kind", current.help_kind),
        ("level", "level", current.level),
        ("type", "work_type", current.work_type),
    ):
        if name in values and values[name] != (now or ""):
            changes[argument] = values[name]
    if "tags" in values:
        tags = [normalize_tag(t) for t in values["tags"].split(",") if normalize_tag(t)]
        if tags != typed_tags(current):
            changes["tags"] = tags
    return changes


def delete(
    ctx: typer.Context,
    entry_ids: Annotated[
        list[str],
        typer.Argument(
            metavar="ID...", help="Entry ids or unique prefixes.", autocompletion=complete_id
        ),
    ],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete entries (after asking); `ally undo` brings them back.

    Example: ally delete 3f2a9c1
    """

    doomed = [journal(ctx).get(entry_id) for entry_id in entry_ids]
    doomed = list({entry.id: entry for entry in doomed}.values())
    if not yes:
        for entry in doomed:
            typer.echo(reports.entry_line(entry, entry.id[:7]).replace("\t", "  "))
        count = f"{len(doomed)} {'entry' if len(doomed) == 1 else 'entries'}"
        confirm(f"Delete {count}?", action=f"delete {count}", declined="Nothing deleted.")
    entries.delete_entries(journal(ctx), doomed)
    typer.echo(
        f"Deleted {len(doomed)} {'entry' if len(doomed) == 1 else 'entries'}. `ally undo` restores."
    )


def undo(
    ctx: typer.Context,
    list_them: Annotated[
        bool, typer.Option("--list", "-l", help="List what undo would revert, newest first.")
    ] = False,
) -> None:
    """Revert the most recent change (a log, edit, delete, import, rename…).

    Run it again to go further back; each time it says what the next one would revert, and
    --list shows them all first.

    Examples:

      ally undo

      ally undo --list             (what it would revert, newest first)
    """
    from allyjournal import reports

    if list_them:
        reports.show_undo_history(journal(ctx).undo_history())
        return
    from allyjournal.core.errors import UnreadableJournal

    record = journal(ctx).undo()
    try:
        left: list[Any] | None = journal(ctx).undo_history()
    except UnreadableJournal:  # the undo is done; only the look further back failed
        left = None
    reports.show_undone(record, left)
