"""Sandbox Management API (``/data/foundation/sandbox-management``): list, get by name, available sandboxes."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core.context import RequestContext
from aep_emulator.core.errors import generic_error
from aep_emulator.domain import sandboxes
from aep_emulator.http.gateway import Endpoint, platform_routes
from aep_emulator.http.web import json_response
from aep_emulator.runtime import Emulator

BASE = "/data/foundation/sandbox-management"


async def list_sandboxes(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    items = sandboxes.all_for(emu.config, emu.store, ctx.org)
    items = sandboxes.filter_by_property(items, request.query_params.getlist("property"))
    return json_response(_page(items, request, "/sandboxes"))


async def available(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(_page(sandboxes.all_for(emu.config, emu.store, ctx.org), request, "/"))


async def get_one(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    sandbox = sandboxes.find(emu.config, emu.store, ctx.org, request.path_params["name"])
    if sandbox is None:
        raise generic_error(404, f"Sandbox {request.path_params['name']} not found.")
    return json_response(sandbox)


def _page(items: list[dict], request: Request, path: str) -> dict:
    try:
        limit = int(request.query_params.get("limit", 50))
        offset = int(request.query_params.get("offset", 0))
    except ValueError:
        raise generic_error(400, "limit and offset must be integers") from None
    if limit < 1 or offset < 0:
        raise generic_error(400, "limit must be positive and offset non-negative")
    page = items[offset:offset + limit]
    links = {"page": {"href": f"{BASE}{path}?{urlencode({'limit': limit, 'offset': offset})}", "templated": False}}
    if offset + limit < len(items):
        links["next"] = {"href": f"{BASE}{path}?{urlencode({'limit': limit, 'offset': offset + limit})}",
                         "templated": False}
    return {"sandboxes": page, "_page": {"limit": limit, "count": len(items)}, "_links": links}


ENDPOINTS = [
    Endpoint("/sandboxes", ("GET",), list_sandboxes),
    Endpoint("/sandboxes/{name}", ("GET",), get_one),
    Endpoint("/", ("GET",), available),
]


def routes(emu: Emulator) -> list[Route]:
    return platform_routes(emu, BASE, ENDPOINTS, service="sandbox-management", needs_sandbox=False)
