"""The streaming inlet (DCS): ``POST /collection/{inletId}`` with one message, ``POST /collection/batch/{inletId}``
with ``{"messages": [...]}``.

The flow id comes from the ``x-adobe-flow-id`` header or query parameter (or ``header.flowId`` of an XDM
message); it is optional on a webhook flow's inlet (an inlet belongs to exactly one flow) and required on an
HTTP API base connection's inlet. An authenticated inlet needs ``Authorization: Bearer <IMS token>``. The answer
is sent only after the COMMIT; rules in :mod:`aep_emulator.domain.inlet`.

Batch answer (streaming ingestion spec ``BatchResponseDTO``): 207 ``{"inletId", "batchId", "receivedTimeMs",
"responses": [...]}`` with one entry per message in order: ``{"xactionId"}`` when accepted, else
``{"xactionId", "status", "type", "title", "report": {"message"}}`` (the DCS error of that message; the
per-message error shape is [UNVERIFIED]). Errors of the whole request (unknown inlet, authentication, a body that
is not ``{"messages": [objects, ...]}``, over 1 MB) are answered with their status, not 207."""

from __future__ import annotations

import itertools
import os
import time

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core.errors import ApiError, dcs_error
from aep_emulator.domain import inlet
from aep_emulator.http.gateway import Endpoint, public_routes
from aep_emulator.http.web import json_response
from aep_emulator.runtime import Emulator

_XACTION_COUNTER = itertools.count(1)
_PROCESS_TAG = os.getpid() % 10000


def _flow_id(request: Request) -> str | None:
    return request.headers.get("x-adobe-flow-id") or request.query_params.get("x-adobe-flow-id")


def _sync(request: Request) -> bool:
    return request.query_params.get("syncValidation", "").lower() == "true"


async def collect(emu: Emulator, request: Request) -> Response:
    inlet_id = request.path_params["inletId"]
    found = emu.inlets.inlet(inlet_id)
    emu.inlets.authenticate(inlet_id, found, request.headers.get("authorization"))
    raw = await _body(request)
    event = inlet.parse_event(raw)
    flow = emu.inlets.flow(found, _flow_id(request), event)
    received_ms = int(time.time() * 1000)
    await emu.inlets.ingest(found, flow, event, len(raw), received_ms, sync=_sync(request))
    xaction = f"{received_ms}:{_PROCESS_TAG}:{next(_XACTION_COUNTER)}"
    return json_response({"inletId": inlet_id, "xactionId": xaction, "receivedTimeMs": received_ms})


async def collect_batch(emu: Emulator, request: Request) -> Response:
    inlet_id = request.path_params["inletId"]
    found = emu.inlets.inlet(inlet_id)
    emu.inlets.authenticate(inlet_id, found, request.headers.get("authorization"))
    raw = await _body(request)
    messages = inlet.parse_event(raw).get("messages")
    if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
        raise dcs_error(400, "invalid-payload", "Bad Request",
                        "The batch body must be {\"messages\": [message, ...]} with at least one JSON object.")
    received_ms = int(time.time() * 1000)
    batch_id = f"{received_ms}:{_PROCESS_TAG}:{next(_XACTION_COUNTER)}"
    flow_id, sync = _flow_id(request), _sync(request)
    responses = []
    for index, message in enumerate(messages):
        xaction = f"{batch_id}:{index}"
        try:
            flow = emu.inlets.flow(found, flow_id, message)
            size = len(inlet.dump(message))
            await emu.inlets.ingest(found, flow, message, size, received_ms, sync=sync)
        except ApiError as exc:
            responses.append({"xactionId": xaction, **exc.body})
            continue
        responses.append({"xactionId": xaction})
    return json_response({"inletId": inlet_id, "batchId": batch_id, "receivedTimeMs": received_ms,
                          "responses": responses}, 207)


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


ENDPOINTS = [Endpoint("/collection/batch/{inletId}", ("POST",), collect_batch),
             Endpoint("/collection/{inletId}", ("POST",), collect)]


def routes(emu: Emulator) -> list[Route]:
    return public_routes(emu, "", ENDPOINTS)
