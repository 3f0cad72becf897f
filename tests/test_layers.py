"""The layers, read from the source with ``ast``: front-ends → kg.api/kg.types → kg → ingest, no cycles.

Every ``import`` counts, also those inside functions, except where a rule is about import time
(the cycle test reads module-level imports only, and skips ``if TYPE_CHECKING:`` blocks).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "kg", "budgetkg_cli", "search_app", "ontology")
FRONT_ENDS = ("budgetkg_cli", "search_app")
KG_FOR_FRONT_ENDS = ("kg.api", "kg.types")
RDF_LIBRARIES = ("rdflib", "pyoxigraph", "oxrdflib")


@dataclass(frozen=True)
class Import:
    module: str  # the importing module
    target: str  # the module imported (``from p import m`` with m a module: ``p.m``)
    line: int
    top_level: bool  # runs when the module is imported (not in a function, not under TYPE_CHECKING)

    def __str__(self) -> str:
        return f"{self.module} (line {self.line}) imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every first-party module: ``{dotted name: file}``."""
    return {module_name(p): p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))}


MODULES = modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _base(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a ``from … import`` names (relative levels resolved)."""
    if not node.level:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    package = package[:len(package) - node.level + 1]
    return ".".join([*package, *([node.module] if node.module else [])])


def imports_of(module: str, path: Path) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST, top_level: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(Import(module, a.name, node.lineno, top_level) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, path, node)
            for a in node.names:
                sub = f"{base}.{a.name}"
                found.append(Import(module, sub if sub in MODULES else base, node.lineno, top_level))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for child in ast.iter_child_nodes(node):
                visit(child, False)
        elif isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                visit(child, False)
            for child in node.orelse:
                visit(child, top_level)
        else:
            for child in ast.iter_child_nodes(node):
                visit(child, top_level)

    visit(ast.parse(path.read_text(encoding="utf-8"), str(path)), True)
    return found


ALL_IMPORTS = [i for name, path in MODULES.items() for i in imports_of(name, path)]


def _in(target: str, packages) -> bool:
    return any(target == p or target.startswith(p + ".") for p in packages)


def _of(packages) -> list[Import]:
    return [i for i in ALL_IMPORTS if _in(i.module, packages)]


def test_the_walk_sees_every_package_and_imports_inside_functions():
    assert {m.split(".")[0] for m in MODULES} == set(PACKAGES)
    assert "budgetkg_cli.main" in MODULES and "search_app.views.charts" in MODULES
    assert any(i.module == "kg.api" and i.target == "ingest.pipeline" and not i.top_level for i in ALL_IMPORTS)


def test_front_ends_see_only_kg_api_and_kg_types():
    bad = [i for i in _of(FRONT_ENDS) if (_in(i.target, ["kg"]) and i.target not in KG_FOR_FRONT_ENDS)
           or _in(i.target, ["ingest"])]
    assert not bad, "\n".join(map(str, bad))


def test_front_ends_use_kg_through_its_facade():
    used = {i.target for i in _of(FRONT_ENDS) if _in(i.target, ["kg"])}
    assert used == set(KG_FOR_FRONT_ENDS)


def test_ingest_knows_no_rdf_and_nothing_above_it():
    bad = [i for i in _of(["ingest"]) if _in(i.target, ["kg", *RDF_LIBRARIES, *FRONT_ENDS])]
    assert not bad, "\n".join(map(str, bad))


def test_kg_imports_no_front_end():
    bad = [i for i in _of(["kg"]) if _in(i.target, FRONT_ENDS)]
    assert not bad, "\n".join(map(str, bad))


def import_graph() -> dict[str, set[str]]:
    """First-party module → the first-party modules it imports when it is imported."""
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for i in ALL_IMPORTS:
        if i.top_level and i.target in MODULES and i.target != i.module:
            graph[i.module].add(i.target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle (``a → b → … → a``) through each strongly connected group of modules (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = set()
            while True:
                w = stack.pop()
                group.add(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return [_path_in(graph, g) for g in groups]


def _path_in(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """A cycle inside ``group``: from its first module back to it (breadth first, shortest)."""
    start = min(group)
    paths = {start: [start]}
    todo = [start]
    while todo:
        v = todo.pop(0)
        for w in sorted(graph[v] & group):
            if w == start:
                return paths[v] + [start]
            if w not in paths:
                paths[w] = paths[v] + [w]
                todo.append(w)
    raise AssertionError(f"no cycle in {group}")


def test_no_module_level_import_cycle():
    found = cycles(import_graph())
    assert not found, "import cycles:\n" + "\n".join(" → ".join(c) for c in found)


def test_the_cycle_finder_prints_the_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c", "a"]]
