"""One rule for options, applied to every command where it is built (`cli.build_command`).

Click reads each option on its own, so some mistakes pass it silently: `--impact ''` stores
nothing as if it were something, and `--json --markdown` picks whichever the code tests
first. Here the parsed command line is checked as a whole before a command runs, so a new
command or option gets the same refusals without writing them again:

- an option given an empty or blank value is refused, unless its help says what `''` does
  ("('' removes it)"): the help is the contract a user reads, so it is also the one checked;
- two options of one exclusive set (the output formats, a goal's horizon) are refused.

Each refusal is a Click usage error, so it reaches the user as one `ally:` line, exit 2,
before anything is read or written.
"""

from __future__ import annotations

import functools
from typing import Any

from typer._click.core import ParameterSource
from typer._click.exceptions import UsageError

from allyjournal.core.text import blank, visible

# Options of which a command line may give at most one, whichever command has them.
EXCLUSIVE: tuple[tuple[str, ...], ...] = (
    ("--json", "--plain", "--markdown", "--html"),
    ("--short", "--long"),
)
# An option whose help contains this says what an empty value does, and so accepts one.
EMPTY_MEANS = "(''"


def guard(command: Any) -> Any:
    """Wrap `command` (and every subcommand of a group) so its options are checked first."""
    for sub in getattr(command, "commands", {}).values():
        guard(sub)
    if command.callback is not None and not getattr(command.callback, "guarded", False):
        command.callback = _checked(command.callback)
    return command


def _checked(callback: Any) -> Any:
    @functools.wraps(callback)
    def run(*args: Any, **kwargs: Any) -> Any:
        from typer._click.globals import get_current_context

        check(get_current_context())
        return callback(*args, **kwargs)

    run.guarded = True  # type: ignore[attr-defined]
    return run


def check(ctx: Any) -> None:
    """Refuse the command line in `ctx` if an option is empty or two exclude each other."""
    given = {}
    for param in ctx.command.params:
        if param.param_type_name != "option" or param.name not in ctx.params:
            continue
        if ctx.get_parameter_source(param.name) is not ParameterSource.COMMANDLINE:
            continue
        value = ctx.params[param.name]
        name = _long_name(param)
        if param.is_flag:
            if value is True:
                given[name] = param
            continue
        values = value if isinstance(value, (tuple, list)) else [value]
        empty = [v for v in values if isinstance(v, str) and blank(v)]
        if empty and EMPTY_MEANS not in (param.help or ""):
            raise UsageError(f"{name} '{visible(empty[0])}' is empty; {_wanted(param)}", ctx)
    for group in EXCLUSIVE:
        chosen = [name for name in group if name in given]
        if len(chosen) > 1:
            raise UsageError(f"{' and '.join(chosen)} cannot be combined: choose one.", ctx)


def _long_name(param: Any) -> str:
    names: list[str] = param.opts
    return next((opt for opt in names if opt.startswith("--")), names[0])


def _wanted(param: Any) -> str:
    """What would work instead: the option's own help, or leaving it out."""
    help_text = (param.help or "").split(" [default")[0].strip().rstrip(".")
    name = _long_name(param)
    if help_text:
        end = "" if help_text.endswith(("…", "?", "!")) else "."
        return (
            f"leave it out, or give {name} {param.metavar or param.name.upper()}: {help_text}{end}"
        )
    return f"leave it out, or give {name} a value."
