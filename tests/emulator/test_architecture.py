"""The emulator's structure: import-linter contracts (layers, independent routes, no HTTP below the routes),
no import cycles, store kinds never spelt as string literals, handlers importable one by one."""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import grimp

from emulator_support import REPO

PACKAGE = REPO / "emulator" / "aep_emulator"
STORE_METHODS = {"get", "list", "put", "delete", "items", "delete_many"}


def test_import_linter_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache", "pyproject.toml"], cwd=REPO / "emulator",
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout and "5 kept" in result.stdout, result.stdout[-2000:]


def test_no_import_cycles():
    graph = grimp.build_graph("aep_emulator")
    modules = sorted(graph.modules)
    edges = {m: {n for n in graph.find_modules_directly_imported_by(m) if n in graph.modules} for m in modules}
    # a package's __init__ importing its own children is not a cycle of design
    edges = {m: {n for n in targets if not n.startswith(m + ".")} for m, targets in edges.items()}
    cycles = _cycles(edges)
    assert cycles == [], cycles


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
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
                found.append(sorted(component))

    for node in edges:
        if node not in index:
            visit(node)
    return found


def test_store_kinds_are_named_constants():
    """Every store call names its kind through aep_emulator.core.kinds (or a variable), never a literal."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in STORE_METHODS and _is_store(node.func.value)
                    and node.args and isinstance(node.args[0], ast.Constant)):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def _is_store(node: ast.AST) -> bool:
    return (isinstance(node, ast.Name) and node.id in ("store", "_store")) or (
        isinstance(node, ast.Attribute) and node.attr in ("store", "_store"))


def test_kinds_module_lists_every_kind_in_use():
    from aep_emulator.core import kinds

    names = {value for name, value in vars(kinds).items() if name.isupper() and isinstance(value, str)}
    assert {"flows", "sourceConnections", "targetConnections", "connections", "dataSets", "schemas",
            "fieldgroups", "mappingSets", "_tokens", "_sandboxes", "_inlets", "descriptors", "identityNamespaces",
            "batches"} == names


def test_handlers_are_module_level_coroutines():
    """Each service's endpoints are plain module-level async functions, importable and callable one by one."""
    from aep_emulator.routes import SERVICES

    count = 0
    for service in SERVICES:
        for endpoint in service.ENDPOINTS:
            handler = endpoint.handler
            assert inspect.iscoroutinefunction(handler), handler
            assert handler.__qualname__ == handler.__name__, f"{handler.__qualname__} is nested"
            assert getattr(importlib.import_module(handler.__module__), handler.__name__) is handler
            count += 1
    assert count >= 40


def test_a_handler_runs_on_its_own(tmp_path):
    """A route handler called directly, without a server: the Schema Registry list with a title that is not a
    valid regular expression answers 200 (nothing matches), and '~' with it answers 400."""
    from starlette.requests import Request

    from aep_emulator.core.config import load_config
    from aep_emulator.core.context import RequestContext
    from aep_emulator.core.errors import ApiError
    from aep_emulator.routes import schemaregistry
    from aep_emulator.runtime import Emulator

    emu = Emulator(load_config())
    ctx = RequestContext(org="0123456789ABCDEF01234567@AdobeOrg", client_id="c", tenant="emulated", sandbox="prod",
                         sandbox_id="s", sandbox_type="production")

    def request(query: str) -> Request:
        return Request({"type": "http", "method": "GET", "path": "/data/foundation/schemaregistry/tenant/schemas",
                        "query_string": query.encode(), "headers": [(b"accept", b"application/vnd.adobe.xed-id+json")],
                        "path_params": {"container": "tenant", "kind": "schemas"}})

    try:
        response = asyncio.run(schemaregistry.list_resources(emu, request("property=title==Chatlio%20(beta"), ctx))
        assert response.status_code == 200
        assert b'"results":[]' in response.body
        try:
            asyncio.run(schemaregistry.list_resources(emu, request("property=title~Chatlio%20(beta"), ctx))
        except ApiError as exc:
            assert exc.status == 400 and "regular expression" in exc.body["detail"]
        else:
            raise AssertionError("an invalid regular expression was accepted")
    finally:
        emu.close()
