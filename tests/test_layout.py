"""The shape of the code: no import circle, small modules and functions, private names kept in.

Read from the source with :mod:`ast`, so these hold for every module, imported by a
test or not. An import inside a function counts (it runs sooner or later); one
under ``if TYPE_CHECKING:`` does not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "respell"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 80

# Private names still imported across modules (none now): a new one is a public name to make.
KNOWN_PRIVATE_IMPORTS: set[str] = set()


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
# compiled modules (the C distance) are modules too, though there is no source to read
COMPILED = {
    f"{module_name(p.parent / '__init__.py')}.{p.name.split('.')[0]}"
    for p in PACKAGE.rglob("*.c")
}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def runtime_imports(tree: ast.AST):
    """Every Import and ImportFrom node, except those under ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            yield from (n for child in node.orelse for n in runtime_imports(child))
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        yield from runtime_imports(node)


def _source_of(name: str, path: Path) -> str:
    """The absolute module a relative ``from`` in module ``name`` (at ``path``) starts at."""
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imported(name: str, path: Path, node: ast.ImportFrom | ast.Import) -> list[tuple[str, str]]:
    """(module, name or '') pairs one import statement brings in."""
    if isinstance(node, ast.Import):
        return [(alias.name, "") for alias in node.names]
    base = node.module or ""
    if node.level:
        package = _source_of(name, path).split(".")
        package = package[: len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    return [(base, alias.name) for alias in node.names]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, path in MODULES.items():
        edges = graph.setdefault(name, set())
        for node in runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
            for module, member in imported(name, path, node):
                full = f"{module}.{member}" if member else module
                if full in MODULES or full in COMPILED:
                    edges.add(full)
                elif module in MODULES:
                    edges.add(module)
        edges.discard(name)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_circle_finder_finds_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert circles(graph) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle():
    graph = import_graph()
    assert "respell.result" in graph["respell.correct"]  # the graph is really read
    assert circles(graph) == []


def test_data_modules_do_not_import_the_engine():
    graph = import_graph()
    engine = {"respell.correct", "respell.match", "respell.decide", "respell.index"}
    for name in ("respell.result", "respell.display", "respell.report", "respell.review"):
        assert not graph[name] & engine, name
    for name in (n for n in graph if n.startswith("respell.formats")):
        assert not graph[name] & engine, name


@pytest.mark.parametrize("name", sorted(MODULES))
def test_module_and_functions_are_small(name):
    path = MODULES[name]
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{name}: split it along its seams"
    long = [
        (node.name, node.end_lineno - node.lineno + 1)
        for node in ast.walk(ast.parse(text))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def _respell_modules_named(tree: ast.AST) -> dict[str, str]:
    """Local name -> respell module, for ``import respell.x as y`` and ``from respell import x``."""
    out = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("respell"):
                    out[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
            node.module.startswith("respell")
        ):
            for alias in node.names:
                if f"{node.module}.{alias.name}" in MODULES:
                    out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return out


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_uses(tree: ast.AST, name: str, path: Path) -> set[str]:
    """Private names of another module that a module (``name`` at ``path``; "" outside the
    package) imports or reads: ``from m import _x`` and ``m._x`` (a private module,
    ``from . import _memo``, is the package's own)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            for module, member in imported(name, path, node):
                full = f"{module}.{member}"
                if _private(member) and full not in MODULES and full not in COMPILED:
                    out.add(full)
    modules = _respell_modules_named(tree)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr)
                and isinstance(node.value, ast.Name) and node.value.id in modules
                and f"{modules[node.value.id]}.{node.attr}" not in COMPILED):
            out.add(f"{modules[node.value.id]}.{node.attr}")
    return out


def private_imports(path: Path) -> set[tuple[str, str]]:
    name = module_name(path) if path.is_relative_to(PACKAGE) else ""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {(str(path.relative_to(ROOT)), full) for full in private_uses(tree, name, path)}


def test_private_names_stay_in_their_module():
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "tools").glob("*.py"),
             *(ROOT / "benchmarks").rglob("*.py")]
    found = set().union(*map(private_imports, files))
    assert found == KNOWN_PRIVATE_IMPORTS


def test_the_private_name_check_sees_both_kinds():
    probe = ast.parse("from respell import phonetics\nfrom respell.words import _ZIPF, zipf\n"
                      "from respell import _memo\nphonetics._lock, phonetics.__name__\n")
    assert private_uses(probe, "", ROOT / "tools" / "probe.py") == {
        "respell.words._ZIPF", "respell.phonetics._lock",
    }


def test_the_readme_names_every_module_where_it_describes_the_layout():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is laid out", 1)[1].split("\n## ", 1)[0]
    named = set(re.findall(r"\b([a-z_]+)(?:/|\.py\b|\b)", section))
    public = {name.split(".")[1] for name in MODULES if name.count(".") >= 1}
    public = {n for n in public if not n.startswith("_")}
    assert public - named == set()
