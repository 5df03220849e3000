"""One look for every command's `--help`, applied once where a command is built (cli.py).

Typer keeps the single line breaks of a docstring's later paragraphs, so a paragraph wrapped
at the source's 100 columns breaks mid-sentence on an 80-column terminal. Here prose is
joined into paragraphs the terminal wraps, while examples (lines starting with `ally`) keep
their own lines, each after a `$ ` prompt (Typer strips a common indent, so a prompt is what
sets them apart), with a trailing "(remark)" turned into a shell comment so the line can be
pasted as it is. Placeholders are written one way, as Click writes them in
usage lines: a capitalised word naming what to type (WHEN, HANDLE, N), never a type name
(`<str>`) or a parameter's Python name (`{handle}`).
"""

from __future__ import annotations

import re
from typing import Any

from typer._click import types

# A parameter's placeholder, by its Python name; any other is its name in capitals.
METAVARS = {
    "when": "WHEN",
    "start": "WHEN",
    "end": "WHEN",
    "week": "WHEN",
    "limit": "N",
    "goal": "N",
    "width": "N",
    "impact": "TEXT",
    "grep": "TEXT",
    "goals": "TEXT",
    "values": "TEXT",
    "notes": "TEXT",
    "relationship": "TEXT",
    "role": "TEXT",
    "ally": "HANDLE",
    "entry_id": "ID",
    "entry_ids": "ID",
    "template": "FORMAT",
    "output": "FILE",
    "old": "HANDLE",
    "new": "NEW-HANDLE",
    "home": "DIR",
    "file_format": "FORMAT",
}
PROMPT = "$ "
REMARK = re.compile(r"^(?P<command>.*?\S)\s{2,}\((?P<remark>[^()]*)\)$")


def reflow(text: str | None) -> str | None:
    """Prose paragraphs on one line each (the terminal wraps them); example lines kept."""
    if not text:
        return text
    import inspect

    paragraphs = []
    for paragraph in inspect.cleandoc(text).split("\n\n"):
        lines = [line.strip() for line in paragraph.splitlines() if line.strip()]
        label, _, rest = lines[0].partition(" ") if lines else ("", "", "")
        if label == "Example:" and _is_example(rest):  # "Example: ally undo", as the others
            paragraphs.append(label)
            lines[0] = rest
        if lines and all(_is_example(line) for line in lines):
            block = "\n".join(_example(line) for line in lines)
            if paragraphs and paragraphs[-1].startswith(PROMPT):  # one block of examples
                paragraphs[-1] += "\n" + block
            else:
                paragraphs.append(block)
        else:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def _example(line: str) -> str:
    if line.startswith(PROMPT):  # tidied already
        return line
    if found := REMARK.match(line):
        line = f"{found['command']}  # {found['remark']}"
    return PROMPT + line


def _is_example(line: str) -> bool:
    line = line.removeprefix(PROMPT)
    return line.split(" ")[0] in ("ally", "jrnl")


class _Untyped(types.ParamType):
    """An argument's type with no placeholder of its own: the argument's name says it."""

    def __init__(self, inner: types.ParamType) -> None:
        self.inner = inner
        self.name = inner.name

    def get_metavar(self, param: Any, ctx: Any = None) -> str:
        return ""

    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return self.inner.convert(value, param, ctx)

    def shell_complete(self, ctx: Any, param: Any, incomplete: str) -> Any:
        return self.inner.shell_complete(ctx, param, incomplete)


def tidy(command: Any, *, subcommands: bool = True) -> Any:
    """Reflow the help of `command` (and its subcommands) and name their placeholders."""
    command.help = reflow(command.help)
    if command.short_help:
        command.short_help = reflow(command.short_help)
    for param in command.params:
        if getattr(param, "is_flag", False):
            continue
        if param.param_type_name == "argument":
            if param.metavar is None:  # written as Click would: [TEXT]... for optional words
                name = METAVARS.get(param.name, param.name.upper())
                name = name if param.required else f"[{name}]"
                param.metavar = name if param.nargs == 1 else f"{name}..."
            if not isinstance(param.type, _Untyped):
                param.type = _Untyped(param.type)
        elif param.metavar is None:
            param.metavar = METAVARS.get(param.name, param.name.upper())
    for sub in getattr(command, "commands", {}).values() if subcommands else ():
        tidy(sub)
    return command
