"""Test hooks under ``/_emulator/`` (not part of AEP; never logged in the request log)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import orjson
from starlette.requests import Request
from starlette.routing import Route

from aep_emulator import inlet, sandboxes
from aep_emulator.errors import generic_error
from aep_emulator.ims import TOKEN_KIND
from aep_emulator.middleware import Fault
from aep_emulator.web import json_response

if TYPE_CHECKING:
    from aep_emulator.app import Emulator

PREFIX = "/_emulator"
FAULT_STATUSES = {429, 500, 503}


def routes(emu: Emulator) -> list[Route]:
    async def health(request: Request):
        return json_response({"status": "ok"})

    async def requests_log(request: Request):
        if request.method == "DELETE":
            emu.request_log.clear()
            return json_response({"count": 0, "requests": []})
        entries = emu.request_log.snapshot()
        return json_response({"count": len(entries), "requests": entries})

    async def faults(request: Request):
        if request.method == "POST":
            emu.faults.add(_parse_fault(await _body(request)))
        elif request.method == "DELETE":
            emu.faults.clear()
        return json_response({"faults": emu.faults.active()})

    async def records(request: Request):
        org_id = request.query_params.get("org") or emu.config.orgs[0].id
        sandbox = request.query_params.get("sandbox") or _default_sandbox(emu, org_id)
        found = await inlet.dataset_records(emu, org_id, sandbox, request.path_params["id"])
        return json_response({"count": len(found), "records": found})

    async def reset(request: Request):
        emu.request_log.clear()
        emu.faults.clear()
        await emu.reset_data(keep_kinds=frozenset({TOKEN_KIND}))
        return json_response({"status": "reset"})

    async def add_sandbox(request: Request):
        body = await _body(request)
        org_id = body.get("org") or emu.config.orgs[0].id
        name = body.get("name")
        if emu.config.org(org_id) is None or not isinstance(name, str) or not re.fullmatch(r"[a-z0-9-]{1,64}", name):
            raise generic_error(400, "body needs a lowercase 'name' ([a-z0-9-]) and, if given, a configured 'org'")
        if sandboxes.find(emu, org_id, name):
            raise generic_error(409, f"Sandbox {name} already exists")
        doc, committed = sandboxes.add(emu, org_id, name, body.get("title"), body.get("type"))
        await committed
        return json_response(doc, 201)

    return [
        Route(f"{PREFIX}/health", health, methods=["GET"]),
        Route(f"{PREFIX}/requests", requests_log, methods=["GET", "DELETE"]),
        Route(f"{PREFIX}/datasets/{{id}}/records", records, methods=["GET"]),
        Route(f"{PREFIX}/faults", faults, methods=["GET", "POST", "DELETE"]),
        Route(f"{PREFIX}/reset", reset, methods=["POST"]),
        Route(f"{PREFIX}/sandboxes", add_sandbox, methods=["POST"]),
    ]


def _default_sandbox(emu: Emulator, org_id: str) -> str:
    org_sandboxes = sandboxes.all_for(emu, org_id)
    return next((s["name"] for s in org_sandboxes if s["isDefault"]), org_sandboxes[0]["name"])


async def _body(request: Request) -> dict:
    try:
        body = orjson.loads(await request.body() or b"{}")
    except orjson.JSONDecodeError:
        raise generic_error(400, "body must be JSON") from None
    if not isinstance(body, dict):
        raise generic_error(400, "body must be a JSON object")
    return body


def _parse_fault(body: dict) -> Fault:
    status = body.get("status")
    if status is not None and status not in FAULT_STATUSES:
        raise generic_error(400, f"status must be one of {sorted(FAULT_STATUSES)}")
    try:
        pattern = re.compile(body.get("path", ".*"))
    except re.error as exc:
        raise generic_error(400, f"invalid path regex: {exc}") from None
    retry_after = body.get("retry_after", 1 if status == 429 else None)
    return Fault(
        method=str(body.get("method", "*")).upper(), path=pattern, remaining=int(body.get("count", 1)),
        status=status, retry_after=retry_after, latency_ms=int(body.get("latency_ms", 0)),
        drop_after_commit=bool(body.get("drop_after_commit", False)),
    )
