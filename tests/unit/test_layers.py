"""The import graph of `alref`: no cycles between modules, no import from a lower layer into a
higher one (ARCHITECTURE.md §2).

The graph is built with `ast` from the source files, so imports inside functions ("lazy"
imports) count like module-level ones. Imports under ``if TYPE_CHECKING:`` count for
cycles, not for layers: they never run, and a physics class may name the configuration
type (`Scenario`) of its `from_scenario` constructor in an annotation.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import alref

SRC = Path(alref.__file__).resolve().parent

#: layer of each top-level module or sub-package of `alref`, lowest first; a module may
#: import its own layer or a lower one (ARCHITECTURE.md §2, the preamble's layer order)
LAYERS: tuple[tuple[str, ...], ...] = (
    ("version", "errors", "units", "citations", "bibliography", "extras", "jsonsafe", "atomicio",
     "validity", "numfmt", "htmlpage", "roots", "data"),
    ("materials",),
    ("properties",),
    ("thermo",),
    ("cell",),
    ("campaign",),
    ("scenario", "scenario_sections", "schema_paths", "parameters"),  # the configuration object
    # and its parts
    ("assess", "optimize", "study", "validation"),
    ("api",),
    ("store", "report", "cli", "web"),
    ("alref",),  # the Python front door: lazy re-exports from every layer
)
LAYER_OF = {name: i for i, names in enumerate(LAYERS) for name in names}


def module_files(root: Path = SRC) -> dict[str, Path]:
    """Dotted module name -> source file, for every module of the package."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = ["alref", *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _imports(tree: ast.AST, module: str, is_package: bool,
             type_checking: bool) -> list[tuple[str, int]]:
    """(imported dotted name, line) of every import, including lazy ones; those under
    ``if TYPE_CHECKING:`` only when `type_checking`."""
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test) and not type_checking:
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend((a.name, node.lineno) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = module.split(".") if is_package else module.split(".")[:-1]
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join([*pkg, base] if base else pkg)
            # `from pkg import sub` depends on pkg.sub when that is a module, else on pkg
            found.extend((f"{base}.{a.name}", node.lineno) for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def import_graph(root: Path = SRC, type_checking: bool = False) -> dict[str, dict[str, int]]:
    """module -> {imported alref module: first line}, resolved to modules that exist."""
    files = module_files(root)
    graph: dict[str, dict[str, int]] = {}
    for mod, path in files.items():
        edges: dict[str, int] = {}
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for name, line in _imports(tree, mod, path.name == "__init__.py", type_checking):
            if not name.startswith("alref"):
                continue
            while name not in files and "." in name:  # `from pkg import name` -> pkg
                name = name.rsplit(".", 1)[0]
            if name in files and name != mod:
                edges.setdefault(name, line)
        graph[mod] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph[start]))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is not None:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(graph[w])))
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[v])
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    out.append(sorted(comp))
    return out


def layer(module: str) -> int:
    """Layer of a dotted module name (its first component below `alref`)."""
    parts = module.split(".")
    key = parts[1] if len(parts) > 1 else "alref"
    if key not in LAYER_OF:
        raise KeyError(f"{module}: add its package to LAYERS in {__file__}")
    return LAYER_OF[key]


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    """'module:line imports higher' for every import into a higher layer."""
    return [f"{mod}:{line} imports {dep} (layer {layer(dep)} > {layer(mod)})"
            for mod, deps in graph.items() for dep, line in deps.items()
            if layer(dep) > layer(mod)]


@pytest.fixture(scope="module")
def graph() -> dict[str, dict[str, int]]:
    return import_graph()


def test_every_module_has_a_layer(graph: dict[str, dict[str, int]]) -> None:
    for mod in graph:
        layer(mod)


#: cycles inside the campaign engine, being rewritten (issue 11): `Solution.save/load`
#: import `solution_io`, which imports `Solution`; remove the entry when that is untied
CYCLE_PENDING: frozenset[tuple[str, ...]] = frozenset()


def test_no_import_cycles() -> None:
    graph = import_graph(type_checking=True)
    found = [c for c in cycles(graph) if tuple(c) not in CYCLE_PENDING]
    detail = [" <-> ".join(c) + ": " + "; ".join(
        f"{a} -> {b}" for a in c for b in graph[a] if b in c) for c in found]
    assert not found, "\n".join(detail)


def test_no_lower_layer_imports_a_higher_one(graph: dict[str, dict[str, int]]) -> None:
    bad = upward_imports(graph)
    assert not bad, "\n".join(bad)


#: what the CLI may import from alref: the services, its own plumbing, the output layers
#: (run folders, stores), the error types, the validation table's formatting helpers and
#: the version
CLI_MAY_IMPORT = ("alref.api", "alref.cli", "alref.errors", "alref.report", "alref.store",
                  "alref.validation.report", "alref.version", "alref.numfmt", "alref.validity",
                  "alref.extras", "alref.web")  # web: `alref serve` starts the dashboard


def test_the_cli_only_calls_the_api_and_the_output_layers(graph: dict[str, dict[str, int]]) -> None:
    bad = [f"{mod}:{line} imports {dep}" for mod, deps in graph.items()
           if mod.startswith("alref.cli") for dep, line in deps.items()
           if not any(dep == ok or dep.startswith(ok + ".") for ok in CLI_MAY_IMPORT)]
    assert not bad, "\n".join(bad)


def private_imports(root: Path = SRC) -> list[str]:
    """'module:line name' for every private name (`_x`) taken from another alref module, by
    `from m import _x` or `m._x` on an imported alref module."""
    out = []
    for mod, path in module_files(root).items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("alref"):
                for a in node.names:
                    if a.name.startswith("_") and not a.name.startswith("__"):
                        out.append(f"{mod}:{node.lineno} {node.module}.{a.name}")
                    modules.add(a.asname or a.name)
            elif isinstance(node, ast.Import):
                modules.update(a.asname or a.name.split(".")[0] for a in node.names
                               if a.name.startswith("alref"))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                    and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
                    and node.value.id in modules):
                out.append(f"{mod}:{node.lineno} {node.value.id}.{node.attr}")
    return out


def test_no_private_name_is_imported_across_modules() -> None:
    bad = private_imports()
    assert not bad, "\n".join(bad)


#: modules may grow to about this many lines (STYLE.md: small modules with one job)
MAX_MODULE_LINES = 400
def test_modules_stay_small() -> None:
    long = [f"{mod}: {n} lines" for mod, path in module_files().items()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert not long, "\n".join(long)


def test_the_checks_can_fail(tmp_path: Path) -> None:
    """A two-module cycle, a lazy upward import and a TYPE_CHECKING import on a toy package."""
    pkg = tmp_path / "alref"
    (pkg / "thermo").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "thermo" / "__init__.py").write_text("")
    (pkg / "thermo" / "a.py").write_text("from alref.thermo.b import f, _g\n")
    (pkg / "thermo" / "b.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from alref.cli import app\n"
        "def f():\n    from alref.thermo import a\n    from alref import api\n")
    (pkg / "api.py").write_text("")
    (pkg / "cli.py").write_text("app = 1\n")
    g = import_graph(pkg)
    assert cycles(g) == [["alref.thermo.a", "alref.thermo.b"]]
    assert upward_imports(g) == ["alref.thermo.b:6 imports alref.api (layer 8 > 3)"]
    assert "alref.cli" in import_graph(pkg, type_checking=True)["alref.thermo.b"]
    assert private_imports(pkg) == ["alref.thermo.a:1 alref.thermo.b._g"]
