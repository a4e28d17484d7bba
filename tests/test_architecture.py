"""The architecture of `thuocdo/` as a test: no import cycle between its modules.

Every module is parsed with `ast` (nothing is imported), its imports resolved to modules of
`thuocdo`, and the graph searched for strongly connected components; each one is reported
with a shortest cycle through it, e.g. `thuocdo.a.selectors -> thuocdo.a.services ->
thuocdo.a.selectors`.

What counts as an edge, and why:
- Every import statement, at module level or inside a function, method or class, except
  those under `if TYPE_CHECKING:` (they never run; the `else:` branch counts). Function-local
  imports count because they are the usual way to hide a cycle rather than remove it: the
  cycle of issue 17 (annual selectors -> annual services -> appeals -> annual selectors) ran
  through an import inside `period_lock`, and a test of module-level imports alone passed on
  it. A cycle is broken by layering (move the shared code down), not by a late import.
- `from a.b import c` is an edge to the module `a.b.c` when there is one, else to `a.b`.
- Importing `a.b.c` first runs `a/__init__.py` and `a/b/__init__.py`, so those packages are
  edges too, except the importer's own enclosing packages (Python has already started them
  before the importer runs). A package that re-exports its submodules is then part of any
  cycle that goes through one of them, as it would be at import time.
"""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path

import thuocdo

ROOT = Path(thuocdo.__file__).parent
Graph = dict[str, set[str]]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """Collects the import statements of a module, skipping `if TYPE_CHECKING:` bodies."""

    def __init__(self) -> None:
        self.found: list[ast.Import | ast.ImportFrom] = []

    def visit_Import(self, node: ast.Import) -> None:
        self.found.append(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.found.append(node)

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for statement in node.orelse:
                self.visit(statement)
        else:
            self.generic_visit(node)


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    collector = _Imports()
    collector.visit(tree)
    return collector.found


def _targets(name: str, path: Path, node: ast.Import | ast.ImportFrom, known: set[str]) -> set[str]:
    """The modules of `known` that one import statement of module `name` loads."""
    if isinstance(node, ast.Import):
        imported = {alias.name for alias in node.names}
    else:
        base = node.module or ""
        if node.level:
            package = name if path.name == "__init__.py" else name.rpartition(".")[0]
            for _ in range(node.level - 1):
                package = package.rpartition(".")[0]
            base = f"{package}.{base}" if base else package
        imported = set()
        for alias in node.names:
            sub = f"{base}.{alias.name}"
            imported.add(sub if sub in known else base)
    own_packages = {name.rsplit(".", n)[0] for n in range(1, name.count(".") + 1)}
    if path.name == "__init__.py":
        own_packages.add(name)
    found = set()
    for module in imported:
        parts = module.split(".")
        for depth in range(1, len(parts) + 1):
            prefix = ".".join(parts[:depth])
            if prefix in known and (prefix == module or prefix not in own_packages):
                found.add(prefix)
    found.discard(name)
    return found


def import_graph() -> Graph:
    """Module -> the modules of `thuocdo` it loads at import time."""
    modules = _modules()
    known = set(modules)
    graph: Graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        graph[name] = set()
        for node in _imports(tree):
            graph[name] |= _targets(name, path, node, known)
    return graph


def strongly_connected(graph: Graph) -> list[list[str]]:
    """Tarjan's algorithm, iterative: the components of more than one module, sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def shortest_cycle(graph: Graph, component: list[str]) -> list[str]:
    """A shortest cycle through the component's first module, staying inside it."""
    start, inside = component[0], set(component)
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for child in sorted(graph[node] & inside):
            if child == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if child not in came_from:
                came_from[child] = node
                queue.append(child)
    raise AssertionError(f"no cycle in component {component}")


def cycles_of(graph: Graph) -> list[str]:
    return [" -> ".join(shortest_cycle(graph, c)) for c in strongly_connected(graph)]


def test_no_import_cycle_between_modules_of_thuocdo() -> None:
    cycles = cycles_of(import_graph())
    assert not cycles, "import cycles in thuocdo/:\n" + "\n".join(cycles)


# -- the checker itself, on small graphs and sources ------------------------------------------


def test_a_cycle_is_named_from_its_first_module_and_back() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e2"}, "e2": set()}
    assert cycles_of(graph) == ["a -> b -> c -> a"]


def test_two_separate_cycles_are_both_reported() -> None:
    graph = {"a": {"b"}, "b": {"a"}, "x": {"y"}, "y": {"z"}, "z": {"x"}}
    assert cycles_of(graph) == ["a -> b -> a", "x -> y -> z -> x"]


def test_the_shortest_way_round_a_component_is_named() -> None:
    graph = {"a": {"b", "d"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles_of(graph) == ["a -> d -> a"]


def _imports_of(source: str, name: str = "thuocdo.x.mod", filename: str = "mod.py") -> set[str]:
    known = {
        "thuocdo",
        "thuocdo.x",
        "thuocdo.x.mod",
        "thuocdo.x.sibling",
        "thuocdo.y",
        "thuocdo.y.services",
        "thuocdo.y.services.step",
    }
    found: set[str] = set()
    for node in _imports(ast.parse(source)):
        found |= _targets(name, Path(filename), node, known)
    return found


def test_type_checking_imports_are_not_edges_but_function_local_ones_are() -> None:
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from thuocdo.y import services\n"
        "else:\n"
        "    import thuocdo.x.sibling\n"
    )
    assert _imports_of(source) == {"thuocdo.x.sibling"}
    source = "def f():\n    if True:\n        from thuocdo.y.services import step\n"
    assert _imports_of(source) == {"thuocdo.y", "thuocdo.y.services", "thuocdo.y.services.step"}


def test_a_submodule_import_loads_the_packages_above_it_but_not_the_importers_own() -> None:
    assert _imports_of("from thuocdo.y.services.step import f\n") == {
        "thuocdo.y",
        "thuocdo.y.services",
        "thuocdo.y.services.step",
    }
    assert _imports_of("from thuocdo.x import sibling\n") == {"thuocdo.x.sibling"}
    assert _imports_of("from . import sibling\nfrom .. import y\n") == {
        "thuocdo.x.sibling",
        "thuocdo.y",
    }
    # A name imported from the importer's own package is an edge to that package.
    assert _imports_of("from thuocdo.x import helper\n") == {"thuocdo.x"}


MAX_LINES = 600


def _too_long(root: Path, limit: int) -> list[str]:
    """Modules under `root` (migrations excluded) longer than `limit` lines, with their length."""
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            found.append(f"{path.relative_to(root.parent)}: {lines} dòng")
    return found


def test_no_module_of_thuocdo_is_over_600_lines() -> None:
    assert _too_long(ROOT, MAX_LINES) == []


def test_the_length_check_finds_a_long_module_and_skips_migrations(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "migrations").mkdir(parents=True)
    (package / "short.py").write_text("x = 1\n" * 3)
    (package / "long.py").write_text("x = 1\n" * 5)
    (package / "migrations" / "0001_long.py").write_text("x = 1\n" * 9)
    assert _too_long(package, 4) == ["pkg/long.py: 5 dòng"]
