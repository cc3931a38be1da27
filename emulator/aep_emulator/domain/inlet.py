"""The streaming inlet (DCS): ``POST /collection/{inletId}`` with a raw JSON event.

The flow id comes from the ``x-adobe-flow-id`` header or query parameter (optional: an inlet belongs to
exactly one flow). The flow's mapping set is applied; the record (or the failure) is written to the
``events`` table through the group-commit writer, and the answer (200) is sent only after COMMIT.

Choices where AEP is undocumented ([UNVERIFIED]):
- unknown inlet id → 404 DCS body, type ``...-inlet-not-found``;
- flow id not the inlet's flow → 400, type ``...-flow-mismatch``;
- disabled flow → 403, type ``...-flow-disabled`` (nothing stored, nothing counted);
- body not a JSON object → 400; over 1 MB (1,048,576 bytes) → 413."""

from __future__ import annotations

import itertools
import os
import time
from typing import TYPE_CHECKING

import orjson
from starlette.requests import Request
from starlette.routing import Route

from aep_emulator import flowrules, mapping, mappingsets
from aep_emulator.errors import dcs_error
from aep_emulator.web import json_response

if TYPE_CHECKING:
    from aep_emulator.app import Emulator

MAX_BYTES = 1_048_576
INSERT_EVENT = ("INSERT INTO events (org, sandbox, flow_id, dataset_id, received_ms, ok, input_bytes, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


class MapperCache:
    """Compiled mappers per (org, sandbox, mapping id, version); versions are immutable once written."""

    def __init__(self, store):
        self._store = store
        self._mappers: dict[tuple, object] = {}

    def get(self, org: str, sandbox: str, mapping_id: str, version) -> object | None:
        if version is None:  # the flow names no mappingVersion: the current latest, resolved per event
            latest = self._store.get(mappingsets.KIND, org, sandbox, mapping_id)
            if latest is None:
                return None
            version = latest.get("version")
        key = (org, sandbox, mapping_id, str(version))
        mapper = self._mappers.get(key)
        if mapper is None:
            doc = mappingsets.find_version(self._store, org, sandbox, mapping_id, version)
            if doc is None:
                return None
            mapper = self._mappers[key] = mapping.compile_mapping_set(doc)
        return mapper

    def clear(self) -> None:
        self._mappers.clear()


def routes(emu: Emulator) -> list[Route]:
    xaction_counter = itertools.count(1)
    process_tag = os.getpid() % 10000

    async def collect(request: Request):
        inlet_id = request.path_params["inletId"]
        inlet = emu.store.get(flowrules.INLET_KIND, "", "", inlet_id)
        if inlet is None:
            raise dcs_error(404, "inlet-not-found", "Not Found", f"Inlet {inlet_id} does not exist.")
        raw = await _body(request)
        flow = _flow(emu, request, inlet)
        event = _event(raw)
        received_ms = int(time.time() * 1000)
        await _ingest(emu, inlet, flow, event, len(raw), received_ms)
        xaction = f"{received_ms}:{process_tag}:{next(xaction_counter)}"
        return json_response({"inletId": inlet_id, "xactionId": xaction, "receivedTimeMs": received_ms})

    return [Route("/collection/{inletId}", collect, methods=["POST"])]


async def _body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BYTES:
        raise _too_large()
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_BYTES:
            raise _too_large()
    return raw


def _too_large():
    return dcs_error(413, "payload-too-large", "Payload Too Large",
                     f"The request payload exceeds the maximum size of {MAX_BYTES} bytes.")


def _flow(emu: Emulator, request: Request, inlet: dict) -> dict:
    flow_id = request.headers.get("x-adobe-flow-id") or request.query_params.get("x-adobe-flow-id")
    if flow_id and flow_id != inlet["flowId"]:
        raise dcs_error(400, "flow-mismatch", "Bad Request", f"Flow {flow_id} does not belong to this inlet.")
    flow = emu.store.get("flows", inlet["org"], inlet["sandbox"], inlet["flowId"])
    if flow is None:
        raise dcs_error(404, "inlet-not-found", "Not Found", "The inlet's dataflow no longer exists.")
    if flow.get("state") != "enabled":
        raise dcs_error(403, "flow-disabled", "Forbidden", f"Dataflow {flow['id']} is disabled.")
    return flow


def _event(raw: bytes) -> dict:
    try:
        event = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise dcs_error(400, "invalid-payload", "Bad Request", "The payload is not valid JSON.") from None
    if not isinstance(event, dict):
        raise dcs_error(400, "invalid-payload", "Bad Request", "The payload must be a JSON object.")
    return event


def _map(emu: Emulator, inlet: dict, flow: dict, event: dict) -> tuple[dict | None, list[str]]:
    reference = flowrules.mapping_reference(flow)
    if reference is None:
        return event, []  # no mapping: the payload is taken as XDM
    mapper = emu.mappers.get(inlet["org"], inlet["sandbox"], *reference)
    if mapper is None:
        return None, [f"Mapping set {reference[0]} version {reference[1]} not found"]
    return mapper.apply(event)


async def _ingest(emu: Emulator, inlet: dict, flow: dict, event: dict, size: int, received_ms: int) -> None:
    record, errors = _map(emu, inlet, flow, event)
    ok = record is not None
    body = orjson.dumps(record if ok else {"errors": errors})
    rows = [(INSERT_EVENT, (inlet["org"], inlet["sandbox"], flow["id"], dataset_id, received_ms, int(ok), size, body))
            for dataset_id in _datasets(emu, inlet, flow)]
    await emu.db.submit(rows)
    emu.runs.record(inlet["org"], inlet["sandbox"], flow["id"], received_ms, ok, size, len(body) if ok else 0)


def _datasets(emu: Emulator, inlet: dict, flow: dict) -> list[str]:
    ids = []
    for target_id in flow.get("targetConnectionIds", []):
        target = emu.store.get("targetConnections", inlet["org"], inlet["sandbox"], target_id) or {}
        ids.append((target.get("params") or {}).get("dataSetId") or "")
    return ids or [""]


async def dataset_records(emu: Emulator, org: str, sandbox: str, dataset_id: str) -> list[dict]:
    """Every record stored in a dataset, in arrival order (read through the writer: sees all commits)."""
    rows = await emu.db.submit([], read=(
        "SELECT body FROM events WHERE org = ? AND sandbox = ? AND dataset_id = ? AND ok = 1 ORDER BY seq",
        (org, sandbox, dataset_id)))
    return [orjson.loads(body) for (body,) in rows]
