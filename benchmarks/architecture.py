"""The storage-layer measures of issue 28, rerunnable by anyone: import cycles (read by
tests/test_structure.py, which asserts there are none: one reading of the import graph), the
largest modules, and how many imports sit inside functions. It asserts nothing; it reports,
so a refactor can say "before: N, after: M" with a command anyone can rerun.

    python benchmarks/architecture.py            # the summary
    python benchmarks/architecture.py --top 20   # more of the largest modules
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_structure import MODULES, _cycles  # the one reading of the graph


def inner_imports(path: Path) -> int:
    """Imports inside functions: deferred for start-up, or hiding a dependency."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return sum(
        isinstance(inner, (ast.Import, ast.ImportFrom))
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        for inner in ast.walk(node)
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--top", type=int, default=8, help="how many of the largest modules")
    args = parser.parse_args()
    sizes = {name: path.read_text(encoding="utf-8").count("\n") for name, path in MODULES.items()}
    cycles = _cycles()
    print(f"modules: {len(sizes)}, lines: {sum(sizes.values())}")
    print(f"import cycles: {len(cycles)}")
    for group in sorted(sorted(group) for group in cycles):
        print("  " + " <-> ".join(group))
    print(f"imports inside functions: {sum(inner_imports(p) for p in MODULES.values())}")
    print("largest modules:")
    for name, lines in sorted(sizes.items(), key=lambda item: -item[1])[: args.top]:
        print(f"  {lines:5}  {name}")


if __name__ == "__main__":
    main()
