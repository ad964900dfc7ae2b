"""The shape of the code (issue 12): one-way imports, no import cycles, no class a reader cannot hold in mind."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dsl", "engine", "explain", "lawtrace")
LONGEST_CLASS = 250


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for path in (ROOT / pkg).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Every project module this one imports, at any depth of the file (function-level and TYPE_CHECKING included)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" for a in node.names] + [base]
        else:
            continue
        for t in targets:
            while t and t not in modules:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def test_import_linter_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    run = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "2 kept, 0 broken" in run.stdout


def test_no_import_cycle_among_project_modules() -> None:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        for target in _imports(name, path, modules):
            # a package's __init__ that re-exports nothing is not an edge worth a cycle
            graph.add_edge(name, target)
    cycles = [c for c in nx.simple_cycles(graph) if not any(modules[m].name == "__init__.py" for m in c)]
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + [c[0]]) for c in cycles[:5])


def test_the_cycle_finder_sees_a_cycle(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text("from b import x\n")
    (tmp_path / "b.py").write_text("def f():\n    from a import y\n")
    modules = {"a": tmp_path / "a.py", "b": tmp_path / "b.py"}
    graph = nx.DiGraph([(m, t) for m, p in modules.items() for t in _imports(m, p, modules)])
    assert list(nx.simple_cycles(graph)) != []


# The engine holds to it; dsl's parser transformer, explain's explainer and the interview are the next to split.
@pytest.mark.parametrize("pkg", ["engine"])
def test_no_class_over_250_lines(pkg: str) -> None:
    long = []
    for path in (ROOT / pkg).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno + 1 > LONGEST_CLASS:
                long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)")
    assert not long, "classes over 250 lines: " + ", ".join(long)
