"""Streaming ingestion (DCS inlet): resolve an inlet to its flow, apply the flow's mapping set, store the
record (or the failure) in the ``events`` table through the group-commit writer, count it in the flow's run.

The HTTP side (body size limit, the answer) is :mod:`aep_emulator.routes.inlet`.

Choices where AEP is undocumented ([UNVERIFIED]):
- unknown inlet id → 404 DCS body, type ``...-inlet-not-found``;
- flow id not the inlet's flow → 400, type ``...-flow-mismatch``;
- disabled flow → 403, type ``...-flow-disabled`` (nothing stored, nothing counted);
- body not a JSON object → 400; over 1 MB (1,048,576 bytes) → 413."""

from __future__ import annotations

import orjson

from aep_emulator.core import kinds
from aep_emulator.core.db import Database
from aep_emulator.core.errors import ApiError, dcs_error
from aep_emulator.core.store import Store
from aep_emulator.domain import catalog, dataprep, flowservice, mapping
from aep_emulator.domain.runs import Runs

MAX_BYTES = 1_048_576
INSERT_EVENT = ("INSERT INTO events (org, sandbox, flow_id, dataset_id, received_ms, ok, input_bytes, body)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


class MapperCache:
    """Compiled mappers per (org, sandbox, mapping id, version); versions are immutable once written."""

    def __init__(self, store: Store):
        self._store = store
        self._mappers: dict[tuple, object] = {}

    def get(self, org: str, sandbox: str, mapping_id: str, version) -> object | None:
        if version is None:  # the flow names no mappingVersion: the current latest, resolved per event
            latest = self._store.get(kinds.MAPPING_SETS, org, sandbox, mapping_id)
            if latest is None:
                return None
            version = latest.get("version")
        key = (org, sandbox, mapping_id, str(version))
        mapper = self._mappers.get(key)
        if mapper is None:
            doc = dataprep.find_version(self._store, org, sandbox, mapping_id, version)
            if doc is None:
                return None
            mapper = self._mappers[key] = mapping.compile_mapping_set(doc)
        return mapper

    def clear(self) -> None:
        self._mappers.clear()


def too_large() -> ApiError:
    return dcs_error(413, "payload-too-large", "Payload Too Large",
                     f"The request payload exceeds the maximum size of {MAX_BYTES} bytes.")


def parse_event(raw: bytes) -> dict:
    """The event: a JSON object (400 otherwise)."""
    try:
        event = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise dcs_error(400, "invalid-payload", "Bad Request", "The payload is not valid JSON.") from None
    if not isinstance(event, dict):
        raise dcs_error(400, "invalid-payload", "Bad Request", "The payload must be a JSON object.")
    return event


class Inlets:
    """Ingestion through the streaming inlets of one emulator: compiled mappers, runs, the events table."""

    def __init__(self, store: Store, db: Database):
        self.store = store
        self.db = db
        self.runs = Runs(db)
        self.mappers = MapperCache(store)

    def inlet(self, inlet_id: str) -> dict:
        """``{org, sandbox, flowId}`` of an inlet (404 DCS body when unknown)."""
        inlet = self.store.get(kinds.INLETS, "", "", inlet_id)
        if inlet is None:
            raise dcs_error(404, "inlet-not-found", "Not Found", f"Inlet {inlet_id} does not exist.")
        return inlet

    def flow(self, inlet: dict, flow_id: str | None) -> dict:
        """The inlet's enabled flow; ``flow_id`` (header or query) must name it when given."""
        if flow_id and flow_id != inlet["flowId"]:
            raise dcs_error(400, "flow-mismatch", "Bad Request", f"Flow {flow_id} does not belong to this inlet.")
        flow = self.store.get(kinds.FLOWS, inlet["org"], inlet["sandbox"], inlet["flowId"])
        if flow is None:
            raise dcs_error(404, "inlet-not-found", "Not Found", "The inlet's dataflow no longer exists.")
        if flow.get("state") != "enabled":
            raise dcs_error(403, "flow-disabled", "Forbidden", f"Dataflow {flow['id']} is disabled.")
        return flow

    def _map(self, inlet: dict, flow: dict, event: dict) -> tuple[dict | None, list[str]]:
        reference = flowservice.mapping_reference(flow)
        if reference is None:
            return event, []  # no mapping: the payload is taken as XDM
        mapper = self.mappers.get(inlet["org"], inlet["sandbox"], *reference)
        if mapper is None:
            return None, [f"Mapping set {reference[0]} version {reference[1]} not found"]
        return mapper.apply(event)

    async def ingest(self, inlet: dict, flow: dict, event: dict, size: int, received_ms: int) -> None:
        """Map and store one event; returns once it is committed (a mapping failure is stored as failed)."""
        record, errors = self._map(inlet, flow, event)
        ok = record is not None
        body = orjson.dumps(record if ok else {"errors": errors})
        dataset_ids = self._datasets(inlet, flow)
        rows = [(INSERT_EVENT, (inlet["org"], inlet["sandbox"], flow["id"], dataset_id, received_ms, int(ok), size,
                                body))
                for dataset_id in dataset_ids]
        await self.db.submit(rows)
        if ok:  # Catalog: the dataset's batch and lastBatchId (how "has data" shows)
            for dataset_id in dataset_ids:
                for write in catalog.record_landed(self.store, inlet["org"], inlet["sandbox"], dataset_id, received_ms):
                    await write
        self.runs.record(inlet["org"], inlet["sandbox"], flow["id"], received_ms, ok, size, len(body) if ok else 0,
                         errors)

    def _datasets(self, inlet: dict, flow: dict) -> list[str]:
        ids = []
        for target_id in flow.get("targetConnectionIds", []):
            target = self.store.get(kinds.TARGET_CONNECTIONS, inlet["org"], inlet["sandbox"], target_id) or {}
            ids.append((target.get("params") or {}).get("dataSetId") or "")
        return ids or [""]

    async def dataset_records(self, org: str, sandbox: str, dataset_id: str) -> list[dict]:
        """Every record stored in a dataset, in arrival order (read through the writer: sees all commits)."""
        rows = await self.db.submit([], read=(
            "SELECT body FROM events WHERE org = ? AND sandbox = ? AND dataset_id = ? AND ok = 1 ORDER BY seq",
            (org, sandbox, dataset_id)))
        return [orjson.loads(body) for (body,) in rows]

    async def clear(self) -> None:
        """Forget every event, run and compiled mapper (``/_emulator/reset``)."""
        self.runs.clear()
        self.mappers.clear()
        await self.db.submit([("DELETE FROM events", ())])
