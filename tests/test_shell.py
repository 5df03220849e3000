"""`ally completion` and `ally man`: what a shell and `man` load, loaded by them.

The completion script is sourced into a real bash and asked to complete, as bash's Tab does;
the manual page is rendered by groff with every warning turned on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from allyjournal.commands.manual import _roff

from helpers import Run, installed_ally


def bash_completes(words: str, home: Path) -> list[str]:
    """What bash offers for the command line `words` (the last word being completed)."""
    program_path = installed_ally()
    script = subprocess.run(
        [program_path, "completion", "bash"], capture_output=True, text=True, check=True
    ).stdout
    program = f"""
{script}
COMP_WORDS=({words})
[[ "{words}" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_ally_completion ally
printf '%s\\n' "${{COMPREPLY[@]}}"
"""
    env = {**os.environ, "PATH": f"{Path(program_path).parent}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", program],
        capture_output=True,
        text=True,
        env=env,
        cwd=home,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_the_bash_script_loads_and_completes_commands_options_and_handles(
    home: Path, ally: Run
) -> None:
    assert ally("helped", "maya", "Paired on the release").exit_code == 0
    assert "completion" in bash_completes("ally com", home)
    assert bash_completes("ally rev", home) == ["review"]
    assert "--period" in bash_completes("ally export --pe", home)
    assert bash_completes("ally agenda ma", home) == ["maya"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_each_shell_gets_a_script_that_asks_ally(ally: Run, shell: str) -> None:
    result = ally("completion", shell)
    assert result.exit_code == 0, result.stderr
    assert "_ALLY_COMPLETE" in result.stdout


def test_an_unknown_shell_is_one_line_naming_the_choices(ally: Run) -> None:
    result = ally("completion", "tcsh")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "tcsh" in result.stderr and "bash" in result.stderr and "fish" in result.stderr


def test_install_puts_each_script_where_its_shell_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ally: Run
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "ZDOTDIR"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / ".zshrc").write_text("export EDITOR=vi")  # no final newline
    for shell in ("bash", "zsh", "fish", "zsh"):  # zsh twice: its setup is added once
        result = ally("completion", shell, "--install")
        assert result.exit_code == 0, result.stderr
    bash = tmp_path / ".local/share/bash-completion/completions/ally"
    assert "complete -o default -F _ally_completion ally" in bash.read_text()
    assert "_ALLY_COMPLETE=complete_zsh" in (tmp_path / ".zfunc/_ally").read_text()
    assert "_ALLY_COMPLETE" in (tmp_path / ".config/fish/completions/ally.fish").read_text()
    zshrc = (tmp_path / ".zshrc").read_text()
    assert zshrc.startswith("export EDITOR=vi\n# ally completion\n")
    assert zshrc.count("fpath=(~/.zfunc $fpath)") == 1


@pytest.mark.skipif(not shutil.which("groff"), reason="needs groff (.ci/run installs it)")
def test_the_manual_page_renders_without_a_warning_and_names_every_command(
    ally: Run, tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from allyjournal.cli import COMMANDS, app

    page = ally("man").stdout
    assert page.startswith(".TH ALLY 1 ")
    rendered = subprocess.run(
        ["groff", "-man", "-Tutf8", "-ww", "-rLL=80n"],
        input=page,
        capture_output=True,
        text=True,
    )
    assert rendered.returncode == 0
    assert rendered.stderr == ""
    text = rendered.stdout
    for name in COMMANDS:
        assert f"ally {name} " in text or f"ally {name}\n" in text, name
    for sub in ("people add", "sync init", "goal done", "promise done"):
        assert f"ally {sub} " in text
    # The options are the ones --help lists.
    helped = CliRunner().invoke(app, ["helped", "--help"]).stdout
    assert "--kind" in helped and "--kind" in text


def test_install_writes_the_page_where_man_looks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ally: Run
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    result = ally("man", "--install")
    assert result.exit_code == 0, result.stderr
    page = tmp_path / ".local/share/man/man1/ally.1"
    assert page.read_text() == ally("man").stdout


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (".TH EVIL 1", r"\&.TH EVIL 1"),
        ("'\\\" comment", "\\&'\\e\" comment"),
        ("Ready… · ✓", r"Ready\[u2026] \[u00B7] \[u2713]"),
        ("a\n.so /etc/passwd", "a\n\\&.so /etc/passwd"),
        ("--long-option", r"\-\-long\-option"),
    ],
)
def test_text_in_the_page_is_shown_never_obeyed(text: str, shown: str) -> None:
    assert _roff(text) == shown
