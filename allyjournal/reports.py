"""The door into rendering: for each thing shown, picks plain text, Rich, Markdown or JSON.

Commands hand a computed result to a function here; the choice of rendering (a terminal gets
Rich, a pipe or `NO_COLOR` gets plain text) is made here once, and the renderers live in
`allyjournal.render` (plain, Rich) and `allyjournal.formats` (Markdown, JSON, CSV, HTML).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from allyjournal.core.models import Entry, Goal, Person
from allyjournal.core.text import one_line
from allyjournal.render import plain
from allyjournal.render.plain import (
    config_lines,
    entry_fields,
    entry_line,
    fields_text,
    kind_label,
    logged_message,
    person_fields,
    person_line,
)

if TYPE_CHECKING:
    from allyjournal.actions.agenda import Agenda
    from allyjournal.actions.export import Dump, Export
    from allyjournal.actions.fairness import Fairness
    from allyjournal.actions.goals import GoalRow
    from allyjournal.actions.nominate import Nominations
    from allyjournal.actions.packet import Packet
    from allyjournal.actions.promises import PromiseRow
    from allyjournal.actions.recognition import RecognitionRecord
    from allyjournal.actions.review import Review
    from allyjournal.actions.sync import Recoverable
    from allyjournal.actions.together import Together
    from allyjournal.core.config import Config
    from allyjournal.formats.outline import Block
    from allyjournal.journal.backups import Backup
    from allyjournal.journal.reading import TagUse
    from allyjournal.journal.undo import UndoRecord

__all__ = ["entry_line", "kind_label", "logged_message"]


def is_terminal() -> bool:
    """Draw with colour and boxes only for a person at a terminal that has not said NO_COLOR."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def show_entries(
    entries: Sequence[Entry], short_ids: dict[str, str], *, more: bool, pager: bool = True
) -> None:
    if not sys.stdout.isatty():
        for entry in entries:
            print(entry_line(entry, short_ids[entry.id]))
        return
    from allyjournal.render import terminal

    terminal.print_entries(entries, short_ids, more=more, pager=pager)


def entries_json(entries: list[Entry]) -> str:

    from allyjournal.formats import json

    return json.entries_json(entries)


def show_entry(entry: Entry, *, as_json: bool = False) -> None:
    if as_json:
        from allyjournal.formats import json

        print(json.entry_json(entry))
        return

    if not sys.stdout.isatty():
        print(fields_text(entry_fields(entry)))
        return
    from allyjournal.render import terminal

    terminal.print_fields(entry_fields(entry))


def show_people(people: Sequence[Person], last_helped: dict[str, date], today: date) -> None:
    if not sys.stdout.isatty():
        for person in people:
            print(person_line(person, last_helped.get(person.handle)))
        return
    from allyjournal.render import terminal

    terminal.print_people(people, last_helped, today)


def people_json(people: Sequence[Person], last_helped: dict[str, date]) -> None:
    """People in the export schema, each with the date you last helped them (or null)."""
    from allyjournal.formats import json

    print(json.people_json(people, last_helped))


def show_person(
    person: Person, recent: Sequence[Entry], short_ids: dict[str, str], goals: Sequence[Goal]
) -> None:
    if not sys.stdout.isatty():
        print(fields_text(person_fields(person, goals)))
        if recent:
            print("\nRecent entries:")
            for entry in recent:
                print(entry_line(entry, short_ids[entry.id]))
        return
    from allyjournal.render import terminal

    terminal.print_person(person, recent, short_ids, goals)


def show_tags(uses: Sequence[TagUse], *, as_json: bool) -> None:
    """Tags with their counts: a table at a terminal, tab-separated when piped, or JSON."""
    if as_json:
        from allyjournal.formats import json

        print(json.tags_json(uses))
        return
    if not uses:
        print('No tags yet: add #words to a win, e.g. ally win "Fixed the audit #a11y".')
        return
    print("\n".join(plain.tag_lines(uses, aligned=sys.stdout.isatty())))


def show_goals(rows: Sequence[GoalRow], *, as_json: bool = False) -> None:
    """Goals as JSON, as tab-separated lines when piped, or as a table at a terminal."""
    if as_json:
        from allyjournal.formats.json import goals_json

        print(goals_json(rows))
    elif not sys.stdout.isatty():
        _lines(plain.goal_line(row) for row in rows)
    else:
        from allyjournal.render.terminal import print_goals

        print_goals(rows)


def show_promises(rows: Sequence[PromiseRow], *, as_json: bool = False) -> None:
    """Promises as JSON, as tab-separated lines when piped, or as a table at a terminal."""
    if as_json:
        from allyjournal.formats.json import promises_json

        print(promises_json(rows))
    elif not sys.stdout.isatty():
        _lines(plain.promise_line(row) for row in rows)
    else:
        from allyjournal.render.terminal import print_promises

        print_promises(rows)


def _lines(lines: Iterable[str]) -> None:
    for line in lines:
        print(line)


def _form(output: str | None) -> str:
    """The form a report is shown in: the one asked for, else Rich at a terminal and plain
    text elsewhere. Each report imports only the renderer of its form (Rich costs most)."""
    return output or ("rich" if is_terminal() else "plain")


def show_agenda(agenda: Agenda, output: str | None = None) -> None:
    """The agenda as `output` (rich, plain, markdown, json), or as suits where it goes."""
    form = _form(output)
    if form == "json":
        from allyjournal.formats.json import agenda_json

        print(agenda_json(agenda))
    elif form == "markdown":
        from allyjournal.formats.markdown import agenda_markdown

        print(agenda_markdown(agenda), end="")
    elif form == "plain":
        print(plain.agenda_plain(agenda))
    else:
        from allyjournal.render.terminal import print_agenda

        print_agenda(agenda)


def show_fairness(report: Fairness, output: str | None = None) -> None:
    """The fairness report as `output` (rich, plain, markdown, json), or as suits."""
    form = _form(output)
    if form == "rich":
        from allyjournal.render.terminal import print_fairness

        print_fairness(report)
    else:  # the same text a file gets
        print(render_fairness(report, form), end="")


def render_fairness(report: Fairness, form: str) -> str:
    """The fairness report as the text of a file: json, markdown, html or plain."""
    if form == "json":
        from allyjournal.formats import json

        return json.fairness_json(report) + "\n"
    if form == "markdown":
        from allyjournal.formats import markdown

        return markdown.fairness_markdown(report)
    if form == "html":
        from allyjournal.formats import html

        return html.fairness_html(report)
    return plain.fairness_plain(report) + "\n"


def terminal_width(stream: Any = None) -> int | None:
    """The columns of the terminal `stream` (stdout by default) shows in; None for a pipe."""
    import shutil

    stream = sys.stdout if stream is None else stream
    return shutil.get_terminal_size().columns if stream.isatty() else None


def said(message: str, *, hang: int = 0, err: bool = False) -> None:
    """A message, or lines of one: at a terminal, each line wrapped between words at its width
    with its continuation indented by `hang` (core/text.fit, the one wrapping rule); to a
    pipe, as it is, a line per line. A file name or a value in it is shown, never obeyed:
    controls are made visible (core/text)."""
    from allyjournal.core.text import fit, visible

    stream = sys.stderr if err else sys.stdout
    print(fit(visible(message), terminal_width(stream), hang=hang), file=stream)


def show_document(text: str, file_format: str) -> None:
    """A drafted document (recognition, nominations) printed rather than saved: to a pipe,
    byte for byte as `-o` would write it; at a terminal, Markdown rendered for it (Rich) and
    text wrapped between words, so nothing is cut mid-word."""
    if not sys.stdout.isatty() or file_format not in ("md", "text"):
        print(text, end="")
    elif file_format == "md":
        from allyjournal.render.terminal import print_markdown

        print_markdown(text)
    else:
        said(text.rstrip("\n"))


def show_backups(found: Sequence[Backup]) -> None:
    """`ally backup --list`, oldest first: a backup's reason is words someone typed (or a
    folder's manifest), so it is shown, never obeyed."""
    if not found:
        print("No backups yet.")
    for item in found:
        kind = "auto  " if item.automatic else "manual"
        print(f"{one_line(item.name[:22])}  {kind}  {one_line(item.reason)}")


def show_undo_history(records: Sequence[UndoRecord]) -> None:
    """`ally undo --list`: the changes undo would revert, the next one first."""
    from allyjournal.core.dates import moment_label

    if not records:
        print("Nothing to undo.")
        return
    for number, record in enumerate(reversed(records), start=1):
        print(f"{number:>3}  {moment_label(record.at)}  {one_line(record.summary)}")


def show_undone(record: UndoRecord, left: Sequence[UndoRecord] | None) -> None:
    """What `ally undo` reverted, and what running it again would (`left`, None when the rest
    of the log cannot be read): it reaches back through changes that may have nothing to do
    with the one just undone."""
    from allyjournal.core.dates import moment_label

    said(f"Undone: {one_line(record.summary)} ({moment_label(record.at)}).")
    if left is None:
        said("The rest of the undo log is damaged; `ally doctor` says more.")
    elif left:
        nxt = left[-1]
        said(f"Next `ally undo` reverts: {one_line(nxt.summary)} ({moment_label(nxt.at)}).")
    else:
        said("Nothing more to undo.")


def show_kinds() -> None:
    print(plain.kinds_text(terminal_width()))


def show_config(config: Config, settings: dict[str, Any]) -> None:
    said("\n".join(config_lines(config, settings)), hang=4)


def show_recoverable(kept: Sequence[Recoverable], short: dict[str, str]) -> None:
    """`ally sync recover`: what merges deleted or merged away."""
    if not kept:
        print("No entry was deleted or merged away by a sync.")
        return
    said("\n".join(plain.recoverable_lines(list(kept), short)), hang=9)


def show_review(review: Review, output: str | None = None) -> None:
    """The review as `output` (rich, plain, markdown, json), or as suits where it goes."""
    form = _form(output)
    if form == "json":
        from allyjournal.formats.json import review_json

        print(review_json(review))
    elif form == "markdown":
        from allyjournal.formats.markdown import review_markdown

        print(review_markdown(review), end="")
    elif form == "plain":
        print(plain.review_plain(review))
    else:
        from allyjournal.render.terminal import print_review

        print_review(review)


def render_recognition(record: RecognitionRecord, file_format: str) -> str:
    """A recognition record as md, text, html or json text."""
    if file_format == "json":
        from allyjournal.formats.json import recognition_json

        return recognition_json(record) + "\n"
    from allyjournal.formats.outline import recognition_outline

    return _blocks(recognition_outline(record), file_format)


def recognition_docx(record: RecognitionRecord) -> bytes:
    """A recognition record as a Word file."""
    from allyjournal.formats.docx import blocks_docx
    from allyjournal.formats.outline import recognition_outline

    blocks = recognition_outline(record)
    return blocks_docx(blocks, title=blocks[0].plain, author=record.owner, made=record.generated)


def render_packet(packet: Packet, file_format: str) -> str:
    """A promotion packet as md, text, html or json text."""
    if file_format == "json":
        from allyjournal.formats.json import packet_json

        return packet_json(packet) + "\n"
    from allyjournal.formats.review_day import packet_outline

    return _blocks(packet_outline(packet), file_format)


def render_together(together: Together, file_format: str) -> str:
    """`ally together` as md, text, html or json text."""
    if file_format == "json":
        from allyjournal.formats.json import together_json

        return together_json(together) + "\n"
    from allyjournal.formats.review_day import together_outline

    return _blocks(together_outline(together), file_format)


def document_docx(document: Packet | Together) -> bytes:
    """A packet or `ally together` as a Word file."""
    from allyjournal.actions.packet import Packet
    from allyjournal.formats.docx import blocks_docx
    from allyjournal.formats.review_day import packet_outline, together_outline

    if isinstance(document, Packet):
        blocks = packet_outline(document)
    else:
        blocks = together_outline(document)
    return blocks_docx(
        blocks, title=blocks[0].plain, author=document.owner, made=document.generated
    )


def export_docx(export: Export) -> bytes:
    """A document export as a Word file, its charts as tables."""
    from allyjournal.formats.docx import export_docx as docx_of

    return docx_of(export)


def render_nominations(nominations: Nominations, file_format: str) -> str:
    """Nomination drafts as md, text or json text."""
    if file_format == "json":
        from allyjournal.formats.json import nominations_json

        return nominations_json(nominations) + "\n"
    from allyjournal.formats.outline import nominations_outline

    return _blocks(nominations_outline(nominations), file_format)


def _blocks(blocks: list[Block], file_format: str) -> str:
    """A document's blocks (formats/outline.py) as text, HTML or Markdown."""
    if file_format == "text":
        from allyjournal.formats import text

        return text.blocks_text(blocks)
    if file_format == "html":
        from allyjournal.formats import html

        return html.blocks_html(blocks, blocks[0].plain)
    from allyjournal.formats import markdown

    return markdown.blocks_markdown(blocks)


def render_export(export: Export, file_format: str, *, width: int = 80) -> Iterator[str]:
    """A document export (md, text or html), in pieces to write as they come (`width` wraps
    the plain text)."""
    if file_format == "text":
        from allyjournal.formats import text

        return text.export_text(export, width)
    if file_format == "html":
        from allyjournal.formats import html

        return html.export_html(export)
    from allyjournal.formats import markdown

    return markdown.export_markdown(export)


def render_dump(dump: Dump, file_format: str) -> Iterator[str]:
    """A data export (csv or json: every entry, re-importable), in pieces to write as the
    journal is read."""
    if file_format == "csv":
        from allyjournal.formats import csv

        return csv.export_csv(dump)
    from allyjournal.formats import json

    return json.export_json(dump)
