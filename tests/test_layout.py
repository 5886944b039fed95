"""The folders are the flow: ingest -> index -> search -> the shell, each importing only what
comes before it, and no cycle among the modules' own imports."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "searcher"
#: The stages in order; a module may import its own stage's and earlier ones'.
STAGES = ("ingest", "index", "search")
#: Top-level modules every stage may use: they import nothing of searcher.
SHARED = ("searcher.errors", "searcher.printable", "searcher.shipped")


def _imports() -> dict[str, tuple[set[str], set[str]]]:
    """Module -> (searcher modules it imports at its top, all it imports anywhere)."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        module = ".".join(parts)
        package = parts if path.name == "__init__.py" else parts[:-1]
        tree = ast.parse(path.read_text("utf-8"))
        top, anywhere = set(), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                base = package[:len(package) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                if not target.startswith("searcher"):
                    continue
                # "from . import bm25" imports the module searcher.search.bm25
                targets = {f"{target}.{a.name}" if _is_module(f"{target}.{a.name}") else target
                           for a in node.names}
                anywhere |= targets
                if node in tree.body:
                    top |= targets
        found[module] = (top, anywhere)
    return found


def _is_module(name: str) -> bool:
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in STAGES else None


def test_no_stage_imports_a_later_one_or_the_shell():
    wrong = []
    for module, (_, anywhere) in _imports().items():
        mine = _stage(module)
        if mine is None:
            continue
        for target in anywhere:
            theirs = _stage(target)
            later = theirs is not None and STAGES.index(theirs) > STAGES.index(mine)
            shell = theirs is None and target not in SHARED and target != "searcher.data"
            if later or shell:
                wrong.append(f"{module} imports {target}")
    assert wrong == []


def test_no_import_cycles():
    imports = _imports()
    graph = {m: {t for t in top if t in imports and t != m} for m, (top, _) in imports.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in graph[module]:
            if state.get(target) == 1:
                here = [*path, module]
                cycles.append(" -> ".join([*here[here.index(target):], target]))
            elif target not in state:
                visit(target, [*path, module])
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module, [])
    assert cycles == []
