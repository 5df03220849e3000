"""The package's shape, checked: layers import downward only, no import cycle (imports inside
functions and under TYPE_CHECKING included, where cycles hide), and renderers named so the
type checker follows them. A test over the source, so a broken rule fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import allyjournal

ROOT = Path(allyjournal.__file__).parent
# The package's layers, lowest first; a module may import its own layer or lower ones.
LAYERS = {"core": 0, "journal": 1, "actions": 2, "formats": 3, "render": 3, "commands": 4}
DOORS = {"allyjournal.store": 1, "allyjournal.reports": 3, "allyjournal.cli": 5}


def _modules() -> dict[str, Path]:
    found = {}
    for path in ROOT.rglob("*.py"):
        name = ".".join(("allyjournal", *path.relative_to(ROOT).with_suffix("").parts))
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(path: Path) -> set[str]:
    """Every allyjournal module `path` imports, anywhere in it (functions included)."""
    named: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            named.add(node.module)
            named.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
    return {name for name in named if name in MODULES}


GRAPH = {name: _imports(path) - {name} for name, path in MODULES.items()}


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in LAYERS:
        return LAYERS[parts[1]]
    return DOORS.get(module)


def _cycles() -> set[frozenset[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in GRAPH[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                found.add(frozenset(group))

    for node in GRAPH:
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_was_read() -> None:
    assert len(MODULES) > 60
    assert "allyjournal.journal.files" in GRAPH["allyjournal.journal.change"]


def test_layers_import_downward_only() -> None:
    upward = [
        f"{module} imports {target}"
        for module, targets in GRAPH.items()
        for target in targets
        if (mine := _layer(module)) is not None
        and (theirs := _layer(target)) is not None
        and theirs > mine
    ]
    assert upward == []


def test_no_import_cycle_even_behind_a_function_or_type_checking() -> None:
    """A change hands itself to undo and the indexes as a `journal/staged.Staged`, and the
    reader gives migrations its folder: no two modules import each other."""
    assert _cycles() == set()


def test_renderers_are_imported_by_name_not_looked_up_by_string() -> None:
    """`getattr(importlib.import_module(...), "print_review")` hides a call from mypy, ruff
    and an editor. Two doors load by name, each with the names spelled for the type checker:
    cli.py's table of lazily built commands, and store.py's PEP 562 names (imported under
    TYPE_CHECKING beside the table)."""
    looked_up = []
    for module, path in MODULES.items():
        if module in ("allyjournal.cli", "allyjournal.store"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "import_module"
            ):
                looked_up.append(f"{module}:{node.lineno}")
    assert looked_up == []
