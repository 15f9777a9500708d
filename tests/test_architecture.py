"""The import graph of src/tidings has no cycle between apps, and none between the files of `ingest`.

Every module under src/tidings (migrations excepted) is parsed with `ast`; every import counts, at module
level or inside a function, absolute or relative (`from . import x`, `from ..lib import y`). An app is the
first package under `tidings` (`tidings.ingest.parse.feeds` belongs to `ingest`); top-level modules
(`tidings.settings`, `tidings.urls`, ...) are apps of their own name. Imports by string (INSTALLED_APPS,
import_string, a task's path) are not read: they name an app without tying its code to the importer's.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "tidings"


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its own name), migrations excepted."""
    modules = {}
    for path in sorted((SRC / PACKAGE).rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if "migrations" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def imported_modules(name: str, path: Path, known: Iterable[str]) -> set[str]:
    """The package's modules that the module `name` imports anywhere in its body (functions included).

    `from a.b import c` counts as importing a.b.c when that is a module, else a.b (c is a name in it).
    """
    known = set(known)
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def add(target: str) -> None:
        # The module itself, or the closest package above it that is one of ours.
        while target and target not in known:
            target = target.rpartition(".")[0]
        if target and target != name:
            found.add(target)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = name.split(".") if is_package else name.split(".")[:-1]
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join([*base_parts, node.module] if node.module else base_parts)
            else:
                base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}"
                add(full if full in known else base)
    return {target for target in found if target == PACKAGE or target.startswith(PACKAGE + ".")}


def module_graph() -> dict[str, set[str]]:
    modules = module_files()
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def app_graph(modules: Mapping[str, set[str]]) -> dict[str, set[str]]:
    apps: dict[str, set[str]] = {}
    for source, targets in modules.items():
        edges = apps.setdefault(app_of(source), set())
        edges.update(app_of(target) for target in targets if app_of(target) != app_of(source))
    return apps


def cycles(graph: Mapping[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components of more than one node (Tarjan), each as a sorted tuple."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[tuple[str, ...]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(tuple(sorted(component)))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def reachable(graph: Mapping[str, set[str]], start: str) -> set[str]:
    """Every module `start` imports, directly or through others (not `start` itself unless in a cycle)."""
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def why(source_app: str, target_app: str, modules: Mapping[str, set[str]]) -> str:
    """The module imports that make the app edge source_app → target_app."""
    return ", ".join(
        sorted(
            f"{m} → {t}"
            for m, targets in modules.items()
            for t in targets
            if app_of(m) == source_app and app_of(t) == target_app
        )
    )


@pytest.fixture(scope="module")
def modules() -> dict[str, set[str]]:
    return module_graph()


def test_the_graph_sees_imports_inside_functions_and_relative_imports(tmp_path: Path) -> None:
    package = tmp_path / "tidings"
    (package / "a").mkdir(parents=True)
    (package / "b").mkdir()
    for path in (package / "__init__.py", package / "a" / "__init__.py", package / "b" / "__init__.py"):
        path.write_text("")
    (package / "a" / "one.py").write_text("def f():\n    from ..b import two\n    from . import three\n")
    (package / "a" / "three.py").write_text("")
    (package / "b" / "two.py").write_text("import tidings.a.three\nfrom tidings.a.one import f\n")
    known = ["tidings", "tidings.a", "tidings.a.one", "tidings.a.three", "tidings.b", "tidings.b.two"]
    assert imported_modules("tidings.a.one", package / "a" / "one.py", known) == {"tidings.b.two", "tidings.a.three"}
    graph = {m: imported_modules(m, package / Path(*m.split(".")[1:]).with_suffix(".py"), known) for m in known[2:3]}
    graph["tidings.b.two"] = imported_modules("tidings.b.two", package / "b" / "two.py", known)
    assert graph["tidings.b.two"] == {"tidings.a.three", "tidings.a.one"}
    assert cycles(app_graph(graph)) == [("a", "b")]


def test_the_graph_reads_the_real_package(modules: dict[str, set[str]]) -> None:
    # A sanity check that the walk found the code: the engine imports the parse package and the sources app.
    assert "tidings.ingest.parse.detect" in modules["tidings.ingest.engine"]
    assert "tidings.sources.models" in modules["tidings.ingest.engine"]


def test_no_cycle_between_apps(modules: dict[str, set[str]]) -> None:
    graph = app_graph(modules)
    found = set(cycles(graph))
    unexpected = sorted(found)
    report = []
    for cycle in unexpected:
        report.append(" ⇄ ".join(cycle))
        members = set(cycle)
        report.extend(f"  {a} → {b}: {why(a, b, modules)}" for a in cycle for b in sorted(graph[a] & members))
    assert not unexpected, "import cycles between apps:\n" + "\n".join(report)


def test_no_cycle_between_files(modules: dict[str, set[str]]) -> None:
    # Every module of the package, ingest's included: a file-level circle inside one app is a cycle too.
    found = cycles(modules)
    assert not found, "import cycles between files:\n" + "\n".join(" ⇄ ".join(c) for c in found)


# Ingest is a one-way pipeline (issue 13): each of these modules imports none of the ones listed after it,
# directly or through any other module.
INGEST_FLOORS = {
    "tidings.ingest.tasks": set(),
    "tidings.ingest.refresh": {"tidings.ingest.tasks"},
    "tidings.ingest.engine": {"tidings.ingest.tasks", "tidings.ingest.refresh", "tidings.ingest.store"},
    "tidings.ingest.store": {"tidings.ingest.tasks", "tidings.ingest.refresh", "tidings.ingest.engine"},
    "tidings.ingest.types": {"tidings.ingest.tasks", "tidings.ingest.refresh", "tidings.ingest.engine"},
}


@pytest.mark.parametrize("module", sorted(INGEST_FLOORS))
def test_ingest_imports_run_one_way(modules: dict[str, set[str]], module: str) -> None:
    upward = reachable(modules, module) & INGEST_FLOORS[module]
    assert not upward, f"{module} imports {sorted(upward)}, which are above it in the pipeline"


def test_ingest_types_and_parse_import_nothing_above_them(modules: dict[str, set[str]]) -> None:
    ingest = {m for m in modules if m.startswith("tidings.ingest.")}
    allowed = {m for m in ingest if m.startswith("tidings.ingest.parse")} | {
        "tidings.ingest.types",
        "tidings.ingest.dedup",
        "tidings.ingest.boilerplate",
    }
    for module in sorted(allowed):
        above = (reachable(modules, module) & ingest) - allowed
        assert not above, f"{module} imports {sorted(above)}"


MAX_MODULE_LINES = 450  # issue 13: a module longer than this is split by what its parts do


def test_no_module_outside_migrations_is_over_the_line_limit() -> None:
    root = SRC.parent
    files = [
        path
        for folder in ("src", "tests", "bench", "tools", "scripts")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]
    assert len(files) > 300, "the walk found too few modules to be the repository"
    with_lines = {path.relative_to(root): len(path.read_text(encoding="utf-8").splitlines()) for path in files}
    too_long = {str(path): lines for path, lines in with_lines.items() if lines > MAX_MODULE_LINES}
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"
