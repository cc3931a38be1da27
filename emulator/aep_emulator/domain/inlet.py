"""Streaming ingestion (DCS inlet): resolve an inlet to its flow, check the token of an authenticated inlet,
unwrap and validate XDM messages, apply the flow's mapping set, store the record (or the failure) in the
``events`` table through the group-commit writer, count it in the flow's run.

Two kinds of inlet (``kinds.INLETS`` documents):
- a webhook flow's own inlet (``{org, sandbox, flowId}``, ``options.inletUrl`` of a GenericStreamingAEP flow):
  the flow id is optional, no authentication; the payload is mapped by the flow's Mapping; a flow without one
  (POST /flows refuses it for a webhook source since the raw-source rule; older stored ones) stores the payload
  only when it fits the target dataset's schema, else the record fails (run ``failedRecordCount``);
- an HTTP API base connection's inlet (``{org, sandbox, baseConnectionId}``, ``auth.params.inletUrl``): the flow
  id is required (``x-adobe-flow-id`` header or query, or ``header.flowId`` of an XDM message) and must be a
  flow over that base connection; a flow without a Mapping takes XDM messages (``{header, body: {xdmMeta:
  {schemaRef}, xdmEntity}}``), whose ``xdmEntity`` is validated against the target dataset's schema; with
  ``auth.params.authenticationRequired: true`` every post needs ``Authorization: Bearer <IMS token>``.

The HTTP side (body size limit, the answer) is :mod:`aep_emulator.routes.inlet`.

Choices where AEP is undocumented ([UNVERIFIED]):
- unknown inlet id → 404 DCS body, type ``...-inlet-not-found``;
- flow id not the inlet's flow (or not over the base connection) → 400, type ``...-flow-mismatch``;
- no flow id on a base connection's inlet → 400, type ``...-flow-id-missing``;
- disabled flow → 403, type ``...-flow-disabled`` (nothing stored, nothing counted);
- body not a JSON object → 400; over 1 MB (1,048,576 bytes) → 413;
- authenticated inlet: no token → 401 ``[<inletId>] Ims service token is empty`` (body as the HTTP API guide);
  an invalid or expired token → 401 ``... is invalid``; a token of another org → 403 (same type);
- malformed XDM message (missing ``body.xdmMeta.schemaRef.id``/``body.xdmEntity``, header and body schemaRef
  differ, ``header.datasetId`` not a target of the flow, ``header.imsOrgId`` another org) → 400, type
  ``...-invalid-xdm-message``; an ``xdmEntity`` that does not fit the dataset's schema is accepted (200) and
  counted as failed, unless ``syncValidation=true``: then 400 ``...-xdm-validation`` listing the problems."""

from __future__ import annotations

import orjson

from aep_emulator.core import kinds
from aep_emulator.core.db import Database
from aep_emulator.core.errors import ApiError, dcs_error
from aep_emulator.core.store import Store
from aep_emulator.domain import catalog, dataprep, flowservice, ims, mapping, schemaregistry
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
        """``{org, sandbox, flowId | baseConnectionId}`` of an inlet (404 DCS body when unknown)."""
        inlet = self.store.get(kinds.INLETS, "", "", inlet_id)
        if inlet is None:
            raise dcs_error(404, "inlet-not-found", "Not Found", f"Inlet {inlet_id} does not exist.")
        return inlet

    def base_connection(self, inlet: dict) -> dict | None:
        """The HTTP API base connection that owns the inlet (None for a webhook flow's inlet)."""
        if "baseConnectionId" not in inlet:
            return None
        return self.store.get(kinds.CONNECTIONS, inlet["org"], inlet["sandbox"], inlet["baseConnectionId"])

    def authenticate(self, inlet_id: str, inlet: dict, authorization: str | None) -> None:
        """An inlet whose base connection has ``authenticationRequired: true`` needs a valid IMS access token of
        the inlet's org (401/403 DCS bodies, HTTP API guide appendix); other inlets need none."""
        base = self.base_connection(inlet)
        if base is None or ((base.get("auth") or {}).get("params") or {}).get("authenticationRequired") is not True:
            return
        scheme, _sep, token = (authorization or "").strip().partition(" ")
        if not authorization or not authorization.strip():
            raise _auth_error(401, f"[{inlet_id}] Ims service token is empty")
        grant = ims.grant_of(self.store, token.strip()) if scheme.lower() == "bearer" else None
        if grant is None:
            raise _auth_error(401, f"[{inlet_id}] Ims service token is invalid or expired")
        if grant["org"] != inlet["org"]:
            raise _auth_error(403, f"[{inlet_id}] Ims service token is not valid for the inlet's organization")

    def flow(self, inlet: dict, flow_id: str | None, event: dict | None = None) -> dict:
        """The inlet's enabled flow. A webhook inlet belongs to one flow (``flow_id`` optional, must name it);
        a base connection's inlet needs ``flow_id`` (or ``header.flowId`` of an XDM ``event``) naming a flow
        over that base connection."""
        if "baseConnectionId" in inlet:
            header = event.get("header") if isinstance(event, dict) else None
            flow_id = flow_id or (header.get("flowId") if isinstance(header, dict) else None)
            if not flow_id or not isinstance(flow_id, str):
                raise dcs_error(400, "flow-id-missing", "Bad Request",
                                "The flow id is required: send the x-adobe-flow-id header or query parameter, "
                                "or header.flowId in an XDM message.")
            flow = self.store.get(kinds.FLOWS, inlet["org"], inlet["sandbox"], flow_id)
            if flow is None or inlet["baseConnectionId"] not in flowservice.base_connection_ids(flow):
                raise dcs_error(400, "flow-mismatch", "Bad Request",
                                f"Flow {flow_id} does not stream through this inlet.")
        else:
            if flow_id and flow_id != inlet["flowId"]:
                raise dcs_error(400, "flow-mismatch", "Bad Request", f"Flow {flow_id} does not belong to this inlet.")
            flow = self.store.get(kinds.FLOWS, inlet["org"], inlet["sandbox"], inlet["flowId"])
            if flow is None:
                raise dcs_error(404, "inlet-not-found", "Not Found", "The inlet's dataflow no longer exists.")
        if flow.get("state") != "enabled":
            raise dcs_error(403, "flow-disabled", "Forbidden", f"Dataflow {flow['id']} is disabled.")
        return flow

    def _map(self, inlet: dict, flow: dict, event: dict, sync: bool = False) -> tuple[dict | None, list[str]]:
        reference = flowservice.mapping_reference(flow)
        if reference is None:
            if "baseConnectionId" in inlet:
                return self._xdm_record(inlet, flow, event, sync)
            return self._entity_record(inlet, flow, event)
        mapper = self.mappers.get(inlet["org"], inlet["sandbox"], *reference)
        if mapper is None:
            return None, [f"Mapping set {reference[0]} version {reference[1]} not found"]
        return mapper.apply(event)

    def _xdm_record(self, inlet: dict, flow: dict, message: dict, sync: bool) -> tuple[dict | None, list[str]]:
        """``body.xdmEntity`` of an XDM message, checked against each target dataset's schema."""
        schema_id = check_xdm_message(message, inlet["org"], self._datasets(inlet, flow))
        errors: list[str] = []
        for dataset_id in self._datasets(inlet, flow):
            dataset = self.store.get(kinds.DATASETS, inlet["org"], inlet["sandbox"], dataset_id) or {}
            dataset_schema = (dataset.get("schemaRef") or {}).get("id")
            if dataset_schema != schema_id:
                errors.append(f"schemaRef {schema_id} is not the schema of dataset {dataset_id} ({dataset_schema})")
                continue
            schema = schemaregistry.find_schema(self.store, inlet["org"], inlet["sandbox"], schema_id)
            if schema is None:
                errors.append(f"Schema {schema_id} does not exist")
                continue
            paths, required = schemaregistry.schema_fields(self.store, inlet["org"], inlet["sandbox"], schema)
            errors += record_errors(message["body"]["xdmEntity"], paths, required)
        if errors and sync:
            raise dcs_error(400, "xdm-validation", "Bad Request", "; ".join(errors))
        return (None, errors) if errors else (message["body"]["xdmEntity"], [])

    def _entity_record(self, inlet: dict, flow: dict, event: dict) -> tuple[dict | None, list[str]]:
        """A webhook flow without a Mapping (one created before the create check refused it, or a source whose
        payload is XDM): the payload is the record, checked against each target dataset's schema like an
        ``xdmEntity``; a record that does not fit fails (counted in the run), it never lands unchecked."""
        errors: list[str] = []
        for dataset_id in self._datasets(inlet, flow):
            dataset = self.store.get(kinds.DATASETS, inlet["org"], inlet["sandbox"], dataset_id) or {}
            schema_id = (dataset.get("schemaRef") or {}).get("id")
            schema = schemaregistry.find_schema(self.store, inlet["org"], inlet["sandbox"], schema_id) if schema_id else None
            if schema is None:
                errors.append(f"Dataset {dataset_id} has no schema {schema_id or ''}".rstrip())
                continue
            paths, required = schemaregistry.schema_fields(self.store, inlet["org"], inlet["sandbox"], schema)
            errors += record_errors(event, paths, required)
        return (None, errors) if errors else (event, [])

    async def ingest(self, inlet: dict, flow: dict, event: dict, size: int, received_ms: int,
                     sync: bool = False) -> None:
        """Map (or validate) and store one event; returns once it is committed (a mapping or XDM validation
        failure is stored as failed; with ``sync`` an XDM validation failure raises 400 instead)."""
        record, errors = self._map(inlet, flow, event, sync)
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


def _auth_error(status: int, message: str) -> ApiError:
    return dcs_error(status, "authorization", "Authorization", message)


def _invalid_message(message: str) -> ApiError:
    return dcs_error(400, "invalid-xdm-message", "Bad Request", message)


def check_xdm_message(message: dict, org: str, dataset_ids: list[str]) -> str:
    """The ``schemaRef.id`` of a well-formed XDM message (streaming ingestion spec, ``streamingMessage``):
    ``body.xdmMeta.schemaRef.id`` and an object ``body.xdmEntity`` are required; ``header.schemaRef.id``,
    ``header.datasetId`` and ``header.imsOrgId``, when sent, must agree (400 otherwise)."""
    header, body = message.get("header", {}), message.get("body")
    if not isinstance(header, dict):
        raise _invalid_message("header must be an object.")
    if not isinstance(body, dict):
        raise _invalid_message("body is required: an XDM message is {header, body: {xdmMeta, xdmEntity}}.")
    schema_ref = (body.get("xdmMeta") or {}).get("schemaRef") if isinstance(body.get("xdmMeta"), dict) else None
    schema_id = schema_ref.get("id") if isinstance(schema_ref, dict) else None
    if not isinstance(schema_id, str) or not schema_id:
        raise _invalid_message("body.xdmMeta.schemaRef.id is required.")
    if not isinstance(body.get("xdmEntity"), dict):
        raise _invalid_message("body.xdmEntity is required and must be an object.")
    header_ref = header.get("schemaRef")
    if isinstance(header_ref, dict) and header_ref.get("id") not in (None, schema_id):
        raise _invalid_message(f"header.schemaRef.id {header_ref.get('id')} differs from body.xdmMeta.schemaRef.id "
                               f"{schema_id}.")
    if "datasetId" in header and header["datasetId"] not in dataset_ids:
        raise _invalid_message(f"header.datasetId {header['datasetId']} is not a target dataset of the flow.")
    if "imsOrgId" in header and header["imsOrgId"] != org:
        raise _invalid_message(f"header.imsOrgId {header['imsOrgId']} is not the inlet's organization.")
    return schema_id


_TYPES = {
    "string": lambda v: isinstance(v, str), "date": lambda v: isinstance(v, str),
    "date-time": lambda v: isinstance(v, str), "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "object": lambda v: isinstance(v, dict), "map": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
}


def record_errors(record: dict, paths: dict[str, str], required: list[str]) -> list[str]:
    """Why ``record`` does not fit a schema given as (field path -> XDM type, required paths): an unknown field,
    a value of the wrong type, a missing required field. Anything below a ``map`` field is free."""
    errors: list[str] = []

    def walk(value: object, path: str) -> None:
        expected = paths.get(path)
        if expected is None:
            errors.append(f"Field '{path}' is not defined by the schema")
            return
        if value is None:
            return
        if not _TYPES.get(expected, lambda v: True)(value):
            errors.append(f"Field '{path}' must be of type {expected}, got {type(value).__name__}")
            return
        if expected == "object":
            for name, child in value.items():
                walk(child, f"{path}.{name}")
        elif expected == "array":
            for item in value:
                if isinstance(item, dict) and any(p.startswith(f"{path}[].") for p in paths):
                    for name, child in item.items():
                        walk(child, f"{path}[].{name}")

    for name, value in record.items():
        walk(value, name)
    for path in required:
        node: object = record
        for part in path.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if node is None:
            errors.append(f"Required field '{path}' is missing")
    return errors


def dump(message: dict) -> bytes:
    """A message as JSON bytes (its size counts in the run's ``inputBytes``)."""
    return orjson.dumps(message)
