"""The dependency direction of docs (DESIGN: api, auth, jobs -> services -> domain), read from chalicelib's
own source with ast, so an upward import or a cycle fails here instead of in review.

A "package" is a sub-package of chalicelib (api, auth, domain, ...) or one of its top-level modules
(config, errors, ports, templating, wiring). Every import counts, also one inside a function (a lazy
import is still a dependency), under TYPE_CHECKING, or a module taken with `later("chalicelib....")`.
"""
from __future__ import annotations

import ast
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "chalicelib"
EDGES = {"api", "auth", "jobs"}  # where requests and events come in
BELOW_THE_EDGES = {"services", "domain", "repositories", "notifications", "adapters", "ports"}
LEAVES = {"config", "errors", "later", "templating"}
PORTS_MAY_NAME = {"domain", "errors"}  # the ports speak the domain's values (imported for types only)


@dataclass(frozen=True)
class Import:
    module: str  # chalicelib.services.identity
    package: str  # services
    target: str  # the imported module, absolute: chalicelib.domain.principal, botocore.exceptions, os
    names: tuple[str, ...]  # what a `from ... import` takes from it


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "chalicelib"


def read_imports() -> list[Import]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        here = module if is_package else module.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                found += [Import(module, package_of(module), alias.name, ()) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = tuple(alias.name for alias in node.names)
                if node.level:
                    base = here.split(".")[: len(here.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.startswith("chalicelib") and not node.module:
                    # `from .. import wiring`: each name is a module of its own
                    found += [Import(module, package_of(module), f"{target}.{name}", ()) for name in names]
                else:
                    found.append(Import(module, package_of(module), target, names))
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "later"
                  and node.args and isinstance(node.args[0], ast.Constant)):
                found.append(Import(module, package_of(module), node.args[0].value, ()))
    return found


IMPORTS = read_imports()


def internal_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for imp in IMPORTS:
        if imp.target.startswith("chalicelib."):
            target = package_of(imp.target)
            if target != imp.package:
                graph[imp.package].add(target)
    return graph


def importers_of(top_level: str) -> set[str]:
    """The packages that import a third-party (or standard) module, e.g. "pynamodb"."""
    return {imp.package for imp in IMPORTS if imp.target.split(".")[0] == top_level}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(set(graph) | {n for targets in graph.values() for n in targets}):
        if node not in index:
            visit(node)
    return found


def test_the_source_is_read():
    graph = internal_graph()
    assert {"api", "services", "domain", "repositories"} <= set(graph)
    assert "domain" in graph["services"] and "services" in graph["api"]


def test_no_cycle_between_packages():
    assert cycles(internal_graph()) == []


def test_no_cycle_between_the_edges_and_the_use_cases():
    """The cycle this test was written for: auth/ imported services/ while services imported auth/."""
    graph = internal_graph()
    for below in BELOW_THE_EDGES | LEAVES:
        assert not graph.get(below, set()) & EDGES, (below, graph.get(below))


def test_the_domain_imports_nothing_of_chalicelib_but_errors():
    graph = internal_graph()
    assert graph.get("domain", set()) <= {"errors"}, graph.get("domain")


def test_leaf_modules_import_nothing_of_chalicelib():
    graph = internal_graph()
    for leaf in LEAVES:
        assert not graph.get(leaf), (leaf, graph.get(leaf))


def test_the_ports_name_only_domain_values():
    assert internal_graph().get("ports", set()) <= PORTS_MAY_NAME


def test_only_the_repositories_import_pynamodb():
    assert importers_of("pynamodb") <= {"repositories"}


def test_only_the_edges_import_chalice():
    assert importers_of("chalice") <= EDGES


def test_only_adapters_and_wiring_reach_boto3_and_botocore():
    """Provider errors are translated in chalicelib/adapters/; the services see the ports' own errors."""
    assert importers_of("boto3") | importers_of("botocore") <= {"adapters", "wiring", "repositories"}


@pytest.mark.parametrize("package", sorted(BELOW_THE_EDGES))
def test_nothing_below_the_edges_picks_implementations(package):
    """chalicelib/wiring.py is called by api/, auth/ and jobs/, which hand the use cases what they need."""
    assert "wiring" not in internal_graph().get(package, set())


def test_the_environment_is_read_in_config_alone():
    readers = set()
    for path in ROOT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            reads = (isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb")
                     and isinstance(node.value, ast.Name) and node.value.id == "os")
            imported = isinstance(node, ast.ImportFrom) and node.module == "os" and any(
                alias.name in ("environ", "getenv", "environb") for alias in node.names)
            if reads or imported:
                readers.add(str(path.relative_to(ROOT)))
    assert readers == {"config.py"}


def test_cycles_are_found():
    """The checker itself: a two-package loop is reported, a chain is not."""
    assert cycles({"a": {"b"}, "b": {"a", "c"}, "c": set()}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}}) == []
