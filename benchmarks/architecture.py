"""The storage-layer measures of issue 28, rerunnable by anyone: import cycles between the
package's modules (function-level imports included), the largest modules, and how many
imports sit inside functions. It asserts nothing; it reports, so a refactor can say "before:
N cycles, after: 0" with a command anyone can rerun.

    python benchmarks/architecture.py            # the summary
    python benchmarks/architecture.py --cycles   # and each cycle's modules
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "allyjournal"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(tree: ast.AST, name: str, is_package: bool) -> tuple[set[str], int]:
    """The package's modules `tree` imports, and how many imports are inside functions."""
    found: set[str] = set()
    inner = 0
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            inner += sum(isinstance(n, (ast.Import, ast.ImportFrom)) for n in ast.walk(node))
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("allyjournal")}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            if base.startswith("allyjournal"):
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in node.names}
    return found, inner


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", action="store_true", help="list each cycle's modules")
    parser.add_argument("--top", type=int, default=8, help="how many of the largest modules")
    args = parser.parse_args()
    sizes: dict[str, int] = {}
    graph: dict[str, set[str]] = {}
    inner_total = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        source = path.read_text(encoding="utf-8")
        sizes[name] = source.count("\n")
        found, inner = imports(ast.parse(source), name, path.name == "__init__.py")
        graph[name] = found
        inner_total += inner
    # Keep only edges to modules (an imported name that is not a module is dropped), and
    # never count a package importing its own submodule as a cycle through __init__.
    for name, targets in graph.items():
        graph[name] = {t for t in targets if t in sizes and t != name}
    found_cycles = cycles(graph)
    print(f"modules: {len(sizes)}, lines: {sum(sizes.values())}")
    print(f"import cycles: {len(found_cycles)}")
    if args.cycles:
        for group in found_cycles:
            print("  " + " <-> ".join(group))
    print(f"imports inside functions: {inner_total}")
    print("largest modules:")
    for name, lines in sorted(sizes.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {lines:5}  {name}")


if __name__ == "__main__":
    main()
