"""`ally review --reflect` with reflection questions: asked one by one, answers kept per
question in the week's reflection, shown in the review and exported with the week."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from allyjournal.core.vocabulary import REFLECTION_QUESTIONS

from helpers import Run, run_in_terminal, snapshot_bytes


def _reflections(ally: Run) -> list[str]:
    return [e["text"] for e in ally("list", "--json", "--kind", "reflection").json()]


def test_piped_answers_follow_the_questions_and_blank_ones_are_skipped(ally: Run) -> None:
    assert ally("config", "reflect-questions", "default").exit_code == 0
    answers = "Asked @maya about her promo packet\n\nNamed @sam's fix in the demo\n"
    done = ally("review", "--reflect", input=answers)
    assert done.exit_code == 0, done
    assert "Saved reflection" in done.stdout
    assert _reflections(ally) == [
        "Whom did I ask how I can help? Asked @maya about her promo packet\n"
        "Whose work did I recognise? Named @sam's fix in the demo"
    ]
    review = ally("review", "--plain").stdout
    assert "  Whom did I ask how I can help? Asked @maya about her promo packet\n" in review
    assert "  Whose work did I recognise? Named @sam's fix in the demo\n" in review
    assert "Where did I speak up?" not in review


def test_your_own_questions(ally: Run, tmp_path: Path) -> None:
    assert ally("config", "reflect-questions", "What went well? |What next?").exit_code == 0
    assert ally("config").stdout.count("What went well? | What next?") == 1
    assert ally("review", "--reflect", input="The launch\nRest\n").exit_code == 0
    assert _reflections(ally) == ["What went well? The launch\nWhat next? Rest"]
    out = tmp_path / "week.md"
    assert ally("export", "--reflections", "--period", "this month", "-o", str(out)).exit_code == 0
    assert "What went well? The launch" in out.read_text()


def test_every_question_blank_writes_nothing(ally: Run, home: Path) -> None:
    assert ally("config", "reflect-questions", "default").exit_code == 0
    before = snapshot_bytes(home)
    done = ally("review", "--reflect", input="\n  \n")
    assert done.exit_code == 2
    assert done.stderr == "ally: Every question was left blank: nothing was saved.\n"
    assert snapshot_bytes(home) == before


@pytest.mark.parametrize("value", ["", "|", "a || b", "x" * 201, "Why?\x1b[2J"])
def test_questions_that_cannot_be_asked_are_refused(ally: Run, value: str) -> None:
    done = ally("config", "reflect-questions", value)
    assert done.exit_code == 2
    assert done.stderr.startswith("ally: ") and len(done.stderr.splitlines()) == 1
    assert "\x1b" not in done.stderr


def test_without_questions_reflect_is_one_text_as_before(ally: Run) -> None:
    assert ally("review", "--reflect", input="Ask before helping.").exit_code == 0
    assert _reflections(ally) == ["Ask before helping."]


def test_the_questions_at_a_terminal_one_by_one() -> None:
    env = dict(os.environ)
    from typer.testing import CliRunner

    from allyjournal.cli import app

    assert CliRunner().invoke(app, ["config", "reflect-questions", "default"]).exit_code == 0
    typed = "Asked Maya\n\nRecognised Sam\n\nA lot\n"
    seen = run_in_terminal(["review", "--reflect", "--plain"], env, typed=typed)
    assert "Answer each question, or press Enter to skip it." in seen
    for question in REFLECTION_QUESTIONS:
        assert question in seen
    assert "Saved reflection" in seen
    assert "  Whose work did I recognise? Recognised Sam\n" in seen
    assert "  What did I learn? A lot\n" in seen
