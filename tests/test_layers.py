"""The packages of ``app/`` as layers: each imports only the layers below it, and no module imports
itself back through others (docs/architecture.md draws the same list).

The graph is grimp's (the library import-linter is built on): every ``import`` of every module, those
inside functions and under ``TYPE_CHECKING`` included, so an import moved into a function to dodge a
circle still counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import grimp
import pytest

#: Top to bottom. A line's packages are independent of each other (``|``); each may import any line below.
LAYERS: tuple[str, ...] = (
    "migrations",  # Alembic's env.py imports every models module
    "cli",
    "api",  # all of HTTP: routes, deps, problem bodies, middleware, OpenAPI, uvicorn glue, the page's router
    "web",  # the page's templates, static files and its words
    "worker | webhooks",
    "batch | processing | mail",
    "pdf",
    "service",
    "reader",
    "errorlog | store",
    "validation",
    "ubl",
    "profiles",
    "document",
    "catalogue | customers",
    "accounts",
    "forms",
    "db",
    "pool",  # the one pool of spawned worker processes (validation, batch, PDF)
    "ops",  # logs and metrics
    "extras",
    "errors | codes_reference",
    "codes",
    "config | i18n | terminal | issues | standards",
)


def _layers() -> list[grimp.Layer]:
    return [grimp.Layer(*(f"app.{p.strip()}" for p in line.split("|"))) for line in LAYERS]


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("app", include_external_packages=False)


def back_arrows(graph: grimp.ImportGraph) -> list[str]:
    """Every import that runs from a layer to one above it (or between two independent packages)."""
    found = graph.find_illegal_dependencies_for_layers(layers=_layers())
    return sorted(
        f"{d.importer} -> {d.imported}: "
        + "; ".join(
            f"{sorted(route.heads)} -> {' -> '.join(route.middle)} -> {sorted(route.tails)}"
            for route in d.routes
        )
        for d in found
    )


def circles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative: the
    graph is small, and grimp has no call for it)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def successors(module: str) -> Iterator[str]:
        yield from sorted(graph.find_modules_directly_imported_by(module))

    for root in sorted(graph.modules):
        if root in index:
            continue
        work: list[tuple[str, Iterator[str]]] = [(root, successors(root))]
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
                    work.append((child, successors(child)))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return sorted(found)


def _packages(graph: grimp.ImportGraph) -> Iterable[str]:
    return sorted({m.split(".")[1] for m in graph.modules if m.count(".") >= 1})


def test_every_package_has_its_layer(graph: grimp.ImportGraph) -> None:
    named = {p.strip() for line in LAYERS for p in line.split("|")}
    assert set(_packages(graph)) - named == set(), "a package of app/ is in no layer: add it to LAYERS"
    assert named - set(_packages(graph)) == set(), "LAYERS names a package app/ does not have"


def test_no_import_runs_back_up(graph: grimp.ImportGraph) -> None:
    assert back_arrows(graph) == []


def test_no_module_imports_itself_through_others(graph: grimp.ImportGraph) -> None:
    assert circles(graph) == []


def test_the_checks_see_a_back_arrow_and_a_circle() -> None:
    """Both checks fail on what they are for: a form model importing the HTTP layer, and two modules of
    one package importing each other (on a graph of its own, built again)."""
    graph = grimp.build_graph("app", include_external_packages=False)
    graph.add_import(importer="app.forms.models", imported="app.api.main")
    graph.add_import(importer="app.document.model", imported="app.document.invoice")
    graph.add_import(importer="app.document.invoice", imported="app.document.model")
    assert any(a.startswith("app.forms -> app.api") for a in back_arrows(graph))
    assert any({"app.document.model", "app.document.invoice"} <= set(c) for c in circles(graph))
