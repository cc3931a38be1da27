"""The streaming inlet (DCS): ``POST /collection/{inletId}`` with a raw JSON event.

The flow id comes from the ``x-adobe-flow-id`` header or query parameter (optional: an inlet belongs to
exactly one flow). The answer (200) is sent only after the event's COMMIT; rules in
:mod:`aep_emulator.domain.inlet`."""

from __future__ import annotations

import itertools
import os
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.domain import inlet
from aep_emulator.http.gateway import Endpoint, public_routes
from aep_emulator.http.web import json_response
from aep_emulator.runtime import Emulator

_XACTION_COUNTER = itertools.count(1)
_PROCESS_TAG = os.getpid() % 10000


async def collect(emu: Emulator, request: Request) -> Response:
    inlet_id = request.path_params["inletId"]
    found = emu.inlets.inlet(inlet_id)
    raw = await _body(request)
    flow_id = request.headers.get("x-adobe-flow-id") or request.query_params.get("x-adobe-flow-id")
    flow = emu.inlets.flow(found, flow_id)
    event = inlet.parse_event(raw)
    received_ms = int(time.time() * 1000)
    await emu.inlets.ingest(found, flow, event, len(raw), received_ms)
    xaction = f"{received_ms}:{_PROCESS_TAG}:{next(_XACTION_COUNTER)}"
    return json_response({"inletId": inlet_id, "xactionId": xaction, "receivedTimeMs": received_ms})


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > inlet.MAX_BYTES:
        raise inlet.too_large()
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > inlet.MAX_BYTES:
            raise inlet.too_large()
    return raw


ENDPOINTS = [Endpoint("/collection/{inletId}", ("POST",), collect)]


def routes(emu: Emulator) -> list[Route]:
    return public_routes(emu, "", ENDPOINTS)
