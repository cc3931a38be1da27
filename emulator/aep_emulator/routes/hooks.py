"""Test hooks under ``/_emulator/`` (not part of AEP; never written to the request log)."""

from __future__ import annotations

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core.errors import generic_error
from aep_emulator.domain import hooks, sandboxes
from aep_emulator.http.gateway import Endpoint, public_routes
from aep_emulator.http.web import json_response
from aep_emulator.runtime import Emulator

PREFIX = "/_emulator"


async def health(emu: Emulator, request: Request) -> Response:
    return json_response({"status": "ok"})


async def requests_log(emu: Emulator, request: Request) -> Response:
    if request.method == "DELETE":
        emu.request_log.clear()
        return json_response({"count": 0, "requests": []})
    entries = emu.request_log.snapshot()
    return json_response({"count": len(entries), "requests": entries})


async def faults(emu: Emulator, request: Request) -> Response:
    if request.method == "POST":
        emu.faults.add(hooks.parse_fault(await _body(request)))
    elif request.method == "DELETE":
        emu.faults.clear()
    return json_response({"faults": emu.faults.active(), "pending_late_commits": emu.faults.pending})


async def records(emu: Emulator, request: Request) -> Response:
    org_id = request.query_params.get("org") or emu.config.orgs[0].id
    if emu.config.org(org_id) is None:
        raise generic_error(404, f"Org {org_id} is not configured")
    sandbox = request.query_params.get("sandbox") or sandboxes.default_name(emu.config, emu.store, org_id)
    found = await emu.inlets.dataset_records(org_id, sandbox, request.path_params["id"])
    return json_response({"count": len(found), "records": found})


async def reset(emu: Emulator, request: Request) -> Response:
    await emu.reset()
    return json_response({"status": "reset"})


async def add_sandbox(emu: Emulator, request: Request) -> Response:
    body = await _body(request)
    org_id = body.get("org") or emu.config.orgs[0].id
    name = body.get("name")
    if not isinstance(org_id, str) or emu.config.org(org_id) is None or not isinstance(name, str) \
            or not sandboxes.NAME.fullmatch(name):
        raise generic_error(400, "body needs a lowercase 'name' ([a-z0-9-]) and, if given, a configured 'org'")
    for key in ("title", "type"):
        if body.get(key) is not None and not isinstance(body[key], str):
            raise generic_error(400, f"'{key}' must be a string")
    if body.get("type") not in (None, "production", "development"):
        raise generic_error(400, "'type' must be production or development")
    if sandboxes.find(emu.config, emu.store, org_id, name):
        raise generic_error(409, f"Sandbox {name} already exists")
    doc, committed = sandboxes.add(emu.store, org_id, name, body.get("title"), body.get("type"))
    await committed
    return json_response(doc, 201)


async def _body(request: Request) -> dict:
    try:
        body = orjson.loads(await request.body() or b"{}")
    except orjson.JSONDecodeError:
        raise generic_error(400, "body must be JSON") from None
    if not isinstance(body, dict):
        raise generic_error(400, "body must be a JSON object")
    return body


ENDPOINTS = [
    Endpoint("/health", ("GET",), health),
    Endpoint("/requests", ("GET", "DELETE"), requests_log),
    Endpoint("/datasets/{id}/records", ("GET",), records),
    Endpoint("/faults", ("GET", "POST", "DELETE"), faults),
    Endpoint("/reset", ("POST",), reset),
    Endpoint("/sandboxes", ("POST",), add_sandbox),
]


def routes(emu: Emulator) -> list[Route]:
    return public_routes(emu, PREFIX, ENDPOINTS)
