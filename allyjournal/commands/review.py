"""`ally review` and `ally demo`: the end-of-week look back."""

import sys
from datetime import date
from typing import Annotated

import typer

from allyjournal.commands.common import journal, parse_week, today
from allyjournal.core.dates import day_label
from allyjournal.store import Journal


def show_review(journal_: Journal, when: str | None, goal: int | None, output: str | None) -> None:
    from allyjournal import reports
    from allyjournal.actions import review

    week = parse_week(when, journal_.config().week_start_index)
    reports.show_review(review.compute(journal_, week.start, today=today(), goal=goal), output)


def review(
    ctx: typer.Context,
    when: Annotated[
        str | None,
        typer.Argument(
            help="Any day of the week to review: 'last friday', 2026-11-03 … [default: today]"
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The review's numbers as JSON.")] = False,
    plain: Annotated[bool, typer.Option("--plain", help="No colour or box drawing.")] = False,
    markdown: Annotated[bool, typer.Option("--markdown", "--md", help="Markdown.")] = False,
    goal: Annotated[
        int | None,
        typer.Option(
            "--goal", min=1, help="Allies to help, this once (default: ally config goal)."
        ),
    ] = None,
    reflect: Annotated[
        bool,
        typer.Option(
            "--reflect",
            help="Write a reflection on the week: your editor, or the questions of "
            "`ally config reflect-questions` one by one.",
        ),
    ] = False,
) -> None:
    """The end-of-week review: did you help enough allies this week?

    Shows allies helped against your goal, who and how, the week's wins (big ones first), your
    streak of weeks that met the goal with a 12-week chart, and nudges drawn from the journal.

    Examples:

      ally review                  (this week)

      ally review "last week" --markdown

      ally review 2026-11-03 --json

      ally review --reflect        (write down what you learned this week)
    """
    # At most one of them (commands/options refuses two).
    output = "json" if as_json else "plain" if plain else "markdown" if markdown else None
    if reflect:
        _reflect(journal(ctx), when)
    show_review(journal(ctx), when, goal, output)


def _reflect(journal_: Journal, when: str | None) -> None:
    from allyjournal.actions import entries
    from allyjournal.commands.editor import choose_editor, edit_text
    from allyjournal.core.config import reflection_questions

    config = journal_.config()
    week = parse_week(when, config.week_start_index)
    if questions := reflection_questions(config.reflect_questions):
        _answer(journal_, questions, week.start)
        return
    hint = "What went well this week? What will you do differently for your allies?"
    if not sys.stdin.isatty():
        text = sys.stdin.read()
    elif choose_editor(config.editor):
        text = edit_text("", config.editor, hint=hint)
    else:
        text = typer.prompt(hint)
    logged = entries.log_reflection(journal_, text.strip(), week_start=week.start, today=today())
    typer.echo(f"Saved reflection {logged.short_id} for the week of {day_label(week.start)}.")


def demo(
    keep: Annotated[
        bool, typer.Option("--keep", help="Keep the sample journal and print where it is.")
    ] = False,
) -> None:
    """Show what allyjournal does, on a sample journal in a throwaway directory.

    Your own journal is never touched.

    Examples:

      ally demo

      ally demo --keep             (keep the sample to explore with --home)
    """
    import shutil
    import tempfile
    from pathlib import Path

    from allyjournal.actions.demo import build_sample

    folder = Path(tempfile.mkdtemp(prefix="allyjournal-demo-"))
    try:
        sample = Journal(folder)
        build_sample(sample, today())
        show_review(sample, None, None, None)
        typer.echo(
            "\nThis was a sample journal. Start yours with:\n"
            '  ally helped maya "Asked how I can help" --kind conversation\n'
            '  ally win "Shipped the thing" --big --impact "why it mattered"'
        )
        if keep:
            typer.echo(
                f"\nSample kept in {folder}; try:\n"
                f"  ally --home {folder} list\n"
                f"  ally --home {folder} export --packet --period 2026\n"
                f"  ally --home {folder} together sam\n"
                f"  ally --home {folder} fairness --housework"
            )
    finally:
        if not keep:
            shutil.rmtree(folder, ignore_errors=True)


def _answer(journal_: Journal, questions: tuple[str, ...], week_start: date) -> None:
    """The week's questions one at a time at a terminal (Enter skips one; Ctrl-C saves
    nothing); piped, one answer per line, in the questions' order."""
    from allyjournal.actions import entries
    from allyjournal.core.text import visible

    if sys.stdin.isatty():
        typer.echo("Answer each question, or press Enter to skip it.")
        answers = [
            typer.prompt(visible(question), default="", show_default=False)
            for question in questions
        ]
    else:
        given = sys.stdin.read().splitlines()
        answers = (given + [""] * len(questions))[: len(questions)]
    logged = entries.log_answers(
        journal_, list(zip(questions, answers, strict=True)), week_start=week_start, today=today()
    )
    typer.echo(f"Saved reflection {logged.short_id} for the week of {day_label(week_start)}.")
