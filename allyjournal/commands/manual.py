"""`ally completion` and `ally man`: the shell's completion script and a manual page, each
installable in one step, both made from the command tree `--help` reads.

The manual page is written from the same Click objects (after `helptext.tidy`) as `--help`, so
it cannot drift from it; the command reference in docs/reference.md is generated from the same
walk (`command_paths`) by cog, and a test holds both to the CLI.
"""

import os
import re
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from allyjournal.commands.helptext import PROMPT

PROGRAM = "ally"
COMPLETE_VAR = "_ALLY_COMPLETE"


class Shell(str, Enum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def command_paths(ctx: Any) -> Iterator[tuple[list[str], Any]]:
    """Every command under the root of `ctx`, depth first in `--help`'s order, as its words
    after `ally` and its Click context (the root itself first, with no words)."""
    root = ctx.find_root()
    stack: list[tuple[list[str], Any]] = [([], root)]
    while stack:
        words, current = stack.pop()
        yield words, current
        group = current.command
        if not hasattr(group, "list_commands"):
            continue
        children = []
        for name in group.list_commands(current):
            command = group.get_command(current, name)
            if command is None or command.hidden:
                continue
            child = command.make_context(name, [], parent=current, resilient_parsing=True)
            children.append(([*words, name], child))
        stack.extend(reversed(children))


def completion(
    shell: Annotated[Shell, typer.Argument(help="bash, zsh or fish.", show_default=False)],
    install: Annotated[
        bool,
        typer.Option("--install", help="Write it where SHELL loads completions from."),
    ] = False,
) -> None:
    """Print the shell completion script for ally, or install it for SHELL in one step.

    Commands, options, choices and your allies' handles complete with Tab. With --install the
    script goes where the shell looks for it (bash: the bash-completion folder in your data
    directory; zsh: ~/.zfunc, added to fpath in ~/.zshrc once; fish: its completions folder);
    open a new shell to use it.

    Examples:

      ally completion bash --install

      ally completion zsh --install

      ally completion fish > ~/.config/fish/completions/ally.fish
    """
    from typer._completion_shared import get_completion_script

    script = get_completion_script(prog_name=PROGRAM, complete_var=COMPLETE_VAR, shell=shell.value)
    if not install:
        typer.echo(script)
        return
    target, setup = _completion_target(shell)
    _write(target, script + "\n")
    typer.echo(f"Installed {shell.value} completion for ally in {target}.")
    if setup is not None and _append_once(*setup):
        typer.echo(f"Added {setup[0].name}'s lines to load it: {setup[1].strip()}")
    typer.echo("Open a new shell to use it.")


def _completion_target(shell: Shell) -> tuple[Path, tuple[Path, str] | None]:
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    config = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    if shell is Shell.bash:  # bash-completion loads a command's file on its first Tab
        return data / "bash-completion" / "completions" / PROGRAM, None
    if shell is Shell.fish:
        return config / "fish" / "completions" / f"{PROGRAM}.fish", None
    zdot = Path(os.environ.get("ZDOTDIR") or home)
    lines = "fpath=(~/.zfunc $fpath); autoload -Uz compinit && compinit\n"
    return home / ".zfunc" / f"_{PROGRAM}", (zdot / ".zshrc", lines)


def _append_once(path: Path, line: str) -> bool:
    """Add `line` to the end of `path` unless the file already names its folder."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if ".zfunc" in existing:
        return False
    separator = "" if not existing or existing.endswith("\n") else "\n"
    with path.open("a", encoding="utf-8") as file:
        file.write(f"{separator}# ally completion\n{line}")
    return True


def _write(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.tmp")
    scratch.write_text(text, encoding="utf-8")
    scratch.replace(target)


def man(
    ctx: typer.Context,
    install: Annotated[
        bool,
        typer.Option("--install", help="Write it to your manual folder, for `man ally`."),
    ] = False,
) -> None:
    """Print ally's manual page (roff, every command and option), or install it.

    The page holds what `--help` says for ally and each of its commands. With --install it is
    written to man1 in your data directory (~/.local/share/man), where `man` looks when
    ~/.local/bin is on your PATH (otherwise add that folder to MANPATH).

    Examples:

      ally man --install

      ally man | man -l -
    """
    page = manual_page(ctx)
    if not install:
        typer.echo(page, nl=False)
        return
    home = Path.home()
    data = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    target = data / "man" / "man1" / f"{PROGRAM}.1"
    _write(target, page)
    typer.echo(f"Installed the manual page in {target}; read it with `man ally`.")


def manual_page(ctx: Any) -> str:
    """The roff source of ally(1): a section per command, from the help `--help` shows."""
    from allyjournal import __version__
    from allyjournal.commands import helptext

    pages = list(command_paths(ctx))
    root = pages[0][1]
    helptext.tidy(root.command, subcommands=False)  # as the root's --help does
    out = [
        f'.TH ALLY 1 "" "allyjournal {__version__}" "User Commands"',
        ".SH NAME",
        r"ally \- " + _roff(_first_line(root.command.help)),
        ".SH SYNOPSIS",
        r".B ally",
        r"[\fIOPTIONS\fR] \fICOMMAND\fR [\fIARGS\fR]...",
        ".SH DESCRIPTION",
        *_paragraphs(root.command.help),
        ".SH OPTIONS",
        *_options(root),
        ".SH COMMANDS",
    ]
    for words, current in pages[1:]:
        usage = " ".join(current.command.collect_usage_pieces(current))
        out.append(f'.SS "{_roff(" ".join([PROGRAM, *words, usage]))}"')
        out.extend(_paragraphs(current.command.help))
        out.extend(_options(current))
    out += [
        ".SH ENVIRONMENT",
        *_definitions(ENVIRONMENT),
        ".SH EXIT STATUS",
        *_definitions(EXIT_STATUS),
        ".SH SEE ALSO",
        _roff("git(1); the documentation in the docs/ folder of allyjournal's source."),
    ]
    return "\n".join(out) + "\n"


ENVIRONMENT = (
    ("ALLYJOURNAL_HOME", "The journal's folder (default: your user data directory)."),
    ("ALLYJOURNAL_PASSPHRASE_COMMAND", "A command that prints an encrypted journal's passphrase."),
    ("ALLYJOURNAL_KEY_DIR", "Where the key file of an encrypted journal is kept."),
    ("ALLYJOURNAL_LOCK_TIMEOUT", "Seconds a change waits for another one (default 10)."),
    ("ALLYJOURNAL_SYNC_TIMEOUT", "Seconds a sync waits for the remote (default 60)."),
    ("VISUAL, EDITOR", "The editor `ally edit` and a text of `-` open."),
    ("PAGER", "The pager long output goes through on a terminal."),
    ("NO_COLOR", "When set, no colour."),
)
EXIT_STATUS = (
    ("0", "Done."),
    ("1", "A file could not be read or written, or you said no; the message says what was kept."),
    ("2", "A value on the command line was refused; nothing was written."),
    ("3", "A journal file is not what allyjournal wrote; it was left untouched (`ally doctor`)."),
    ("4", "Another ally process held the journal for too long; try again."),
    ("130", "Interrupted."),
)


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n")[0].rstrip(".")


def _paragraphs(text: str | None) -> list[str]:
    out = []
    for paragraph in (text or "").split("\n\n"):
        if paragraph.startswith(PROMPT):  # examples keep their lines
            out += [".PP", ".nf", *(_roff(line) for line in paragraph.splitlines()), ".fi"]
        elif paragraph.strip():
            out += [".PP", _roff(paragraph)]
    return out


def _options(ctx: Any) -> list[str]:
    out = []
    for param in ctx.command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_text = record
        out += [".TP", rf"\fB{_roff(names)}\fR", _roff(help_text or "")]
    return out


def _definitions(rows: tuple[tuple[str, str], ...]) -> list[str]:
    out = []
    for term, meaning in rows:
        out += [".TP", rf"\fB{_roff(term)}\fR", _roff(meaning)]
    return out


LINE_START = re.compile(r"^([.'])", re.M)
NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _roff(text: str) -> str:
    """Text as roff shows it, never obeys it: backslashes and hyphens escaped, a line that
    starts with a control character (`.` or `'`) made literal, and any character beyond
    ASCII named by its code point (so every roff reads it, whatever its input encoding)."""
    text = text.replace("\\", r"\e").replace("-", r"\-")
    text = NON_ASCII.sub(lambda found: f"\\[u{ord(found[0]):04X}]", text)
    return LINE_START.sub(r"\\&\1", text)
