"""Per-kind rules of Flow Service objects: create-body validation, derived fields, reference checks,
delete guards. Error codes follow API-FACTS §2.8; codes marked [UNVERIFIED] in the README are our pick
where AEP documents none."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from typing import TYPE_CHECKING, Any

from aep_emulator import mappingsets, specs
from aep_emulator.errors import ApiError, flow_error

if TYPE_CHECKING:
    from aep_emulator.app import Emulator
    from aep_emulator.gateway import RequestContext

KINDS = ("connections", "sourceConnections", "targetConnections", "flows")
INLET_KIND = "_inlets"
REFERENCE_CODE = "1411-400"  # [UNVERIFIED] a referenced object does not exist in the sandbox
# Fields a create body may not set (the platform fills them).
PLATFORM_FIELDS = frozenset({
    "id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId",
    "sandboxName", "imsOrgId", "etag", "version", "inheritedAttributes", "runs", "lastOperation", "providerRefId",
})


def operation(name: str, ops: Any = None) -> dict:
    now = int(time.time() * 1000)
    result = {"started": now, "updated": now, "operation": name, "percentCompleted": 100,
              "status": {"value": "completed"}}
    if ops is not None:
        result["ops"] = ops
    return result


def missing_field(field: str) -> ApiError:
    return flow_error("1455-400", f"Missing field {field}")


def reference_error(kind: str, object_id: Any) -> ApiError:
    return flow_error(REFERENCE_CODE, f"The referenced {kind} resource {object_id} does not exist in this sandbox.",
                      id=str(object_id), type=kind)


# --- create ----------------------------------------------------------------------------------------

def build(emu: Emulator, kind: str, ctx: RequestContext, body: dict, object_id: str, base_url: str) -> dict:
    """The user-visible fields of a new object (system fields are added by the caller)."""
    if kind == "flows" and "state" in body:
        raise flow_error("1410-400", "State is not allowed in the create flow request.")
    fields = {k: v for k, v in body.items() if k not in PLATFORM_FIELDS}
    if not isinstance(fields.get("name"), str) or not fields["name"].strip():
        raise missing_field("name")
    fields.setdefault("description", "")
    if kind == "flows":
        return _build_flow(emu, ctx, fields, object_id, base_url)
    fields["connectionSpec"] = _connection_spec(fields.get("connectionSpec"), kind)
    fields["state"] = "enabled"
    if kind != "connections":
        fields.setdefault("data", {"format": "json"})
        fields.setdefault("params", {})
    return revalidate(emu, kind, ctx, fields)


def _connection_spec(ref: Any, kind: str) -> dict:
    if not isinstance(ref, dict) or not ref.get("id"):
        raise missing_field("connectionSpec.id")
    spec = specs.connection_specs().get(ref["id"])
    role = {"sourceConnections": "sourceSpec", "targetConnections": "targetSpec"}.get(kind)
    if spec is None or (role and role not in spec):
        raise flow_error("1413-400", f"Invalid connection spec id {ref['id']} for {kind}.", id=ref["id"])
    return {"id": ref["id"], "version": str(ref.get("version", spec["version"]))}


def _build_flow(emu: Emulator, ctx: RequestContext, fields: dict, flow_id: str, base_url: str) -> dict:
    ref = fields.get("flowSpec")
    if not isinstance(ref, dict) or not ref.get("id"):
        raise missing_field("flowSpec.id")
    flow_spec = specs.flow_specs().get(ref["id"])
    if flow_spec is None:
        raise flow_error("1413-400", f"Invalid flow spec id {ref['id']}.", id=ref["id"])
    fields["flowSpec"] = {"id": ref["id"], "version": str(ref.get("version", flow_spec["version"]))}
    fields.setdefault("transformations", [])
    options = dict(fields.get("options") or {})
    if specs.is_streaming(flow_spec):
        options["inletUrl"] = f"{base_url}/collection/{secrets.token_hex(32)}"
    fields.update({
        "state": "enabled", "options": options, "runs": f"/runs?property=flowId=={flow_id}",
        "providerRefId": str(uuid.uuid4()),
        "lastOperation": {"started": 0, "updated": 0, "operation": "enable"},
    })
    return revalidate(emu, "flows", ctx, fields)


async def after_create(emu: Emulator, kind: str, ctx: RequestContext, doc: dict) -> None:
    inlet_id = inlet_id_of(doc)
    if inlet_id:
        await emu.store.put(INLET_KIND, "", "", inlet_id, {"org": ctx.org, "sandbox": ctx.sandbox, "flowId": doc["id"]})


def inlet_id_of(flow: dict) -> str | None:
    url = (flow.get("options") or {}).get("inletUrl")
    return url.rsplit("/", 1)[-1] if url else None


# --- validation shared by create and PATCH -----------------------------------------------------------

def revalidate(emu: Emulator, kind: str, ctx: RequestContext, doc: dict) -> dict:
    """Check the references of ``doc``; returns it with derived fields recomputed."""
    if kind == "connections":
        _check_auth(doc)
    if kind in ("sourceConnections", "targetConnections") and doc.get("baseConnectionId"):
        _existing(emu, ctx, "connections", doc["baseConnectionId"])
    if kind == "targetConnections" and doc["connectionSpec"]["id"] == specs.DATA_LAKE_SPEC:
        dataset_id = (doc.get("params") or {}).get("dataSetId")
        if not dataset_id:
            raise missing_field("params.dataSetId")
        _existing(emu, ctx, "dataSets", dataset_id)
    if kind == "flows":
        doc = {**doc, "inheritedAttributes": _flow_references(emu, ctx, doc)}
    return doc


def _check_auth(doc: dict) -> None:
    """A base connection needs ``auth`` naming one of its connection spec's ``authSpec`` entries, with the
    entry's required params ([UNVERIFIED] code 1401-400 for a name the spec does not define)."""
    auth = doc.get("auth")
    if not isinstance(auth, dict):
        raise missing_field("auth")
    if not isinstance(auth.get("specName"), str) or not auth["specName"]:
        raise missing_field("auth.specName")
    auth_specs = specs.connection_specs()[doc["connectionSpec"]["id"]].get("authSpec") or []
    auth_spec = next((a for a in auth_specs if a.get("name") == auth["specName"]), None)
    if auth_spec is None:
        names = ", ".join(a["name"] for a in auth_specs) or "none"
        raise flow_error("1401-400", f"Invalid auth specName {auth['specName']!r} for connection spec "
                                     f"{doc['connectionSpec']['id']} (supported: {names}).")
    params = auth.get("params")
    if not isinstance(params, dict):
        raise missing_field("auth.params")
    for name in (auth_spec.get("spec") or {}).get("required", []):
        if name not in params:
            raise missing_field(f"auth.params.{name}")


SECRET_NAME = re.compile(r"pass|secret|token|key|credential", re.I)
MASK = "****"  # [UNVERIFIED] AEP documents only "a partial view of the credentials"


def public_view(kind: str, doc: dict) -> dict:
    """``doc`` as reads return it: a base connection's secret auth params are masked (stored in full).
    Secret = declared ``format: password`` in the auth spec, undeclared, or named like a secret."""
    auth = doc.get("auth") if kind == "connections" else None
    if not isinstance(auth, dict) or not isinstance(auth.get("params"), dict):
        return doc
    auth_specs = (specs.connection_specs().get(doc["connectionSpec"]["id"]) or {}).get("authSpec") or []
    declared = next((((a.get("spec") or {}).get("properties") or {}) for a in auth_specs
                     if a.get("name") == auth.get("specName")), {})

    def secret(name: str) -> bool:
        prop = declared.get(name)
        return prop is None or prop.get("format") == "password" or bool(SECRET_NAME.search(name))

    params = {k: MASK if isinstance(v, str) and secret(k) else v for k, v in auth["params"].items()}
    return {**doc, "auth": {**auth, "params": params}}


def _existing(emu: Emulator, ctx: RequestContext, kind: str, object_id: Any) -> dict:
    doc = emu.store.get(kind, ctx.org, ctx.sandbox, object_id) if isinstance(object_id, str) else None
    if doc is None:
        raise reference_error(kind, object_id)
    return doc


def _connection_ids(doc: dict, field: str) -> list[str]:
    ids = doc.get(field)
    if not isinstance(ids, list) or not ids:
        raise missing_field(field)
    return ids


def _flow_references(emu: Emulator, ctx: RequestContext, flow: dict) -> dict:
    flow_spec = specs.flow_specs()[flow["flowSpec"]["id"]]
    inherited = {"properties": {"isSourceFlow": bool(flow_spec.get("attributes", {}).get("isSourceFlow"))}}
    targets = []
    for field, kind, allowed in (("sourceConnectionIds", "sourceConnections", "sourceConnectionSpecIds"),
                                 ("targetConnectionIds", "targetConnections", "targetConnectionSpecIds")):
        connections = [_existing(emu, ctx, kind, cid) for cid in _connection_ids(flow, field)]
        for connection in connections:
            if connection["connectionSpec"]["id"] not in flow_spec.get(allowed, []):
                raise flow_error("1413-400", f"Connection spec {connection['connectionSpec']['id']} of {kind} "
                                             f"{connection['id']} is not supported by flow spec {flow_spec['id']}.")
        inherited[kind] = [{"id": c["id"], "connectionSpec": c["connectionSpec"]} for c in connections]
        targets = connections
    _check_mapping(emu, ctx, flow, targets)
    return inherited


def mapping_reference(flow: dict) -> tuple[str, Any] | None:
    """(mappingId, mappingVersion or None) of the flow's Mapping transformation."""
    for transformation in flow.get("transformations") or []:
        if isinstance(transformation, dict) and str(transformation.get("name", "")).lower() == "mapping":
            params = transformation.get("params") or {}
            return params.get("mappingId"), params.get("mappingVersion")
    return None


def _check_mapping(emu: Emulator, ctx: RequestContext, flow: dict, targets: list[dict]) -> None:
    reference = mapping_reference(flow)
    if reference is None:
        return
    mapping_id, version = reference
    if not mapping_id:
        raise missing_field("transformations[].params.mappingId")
    if emu.store.get(mappingsets.KIND, ctx.org, ctx.sandbox, mapping_id) is None:
        raise flow_error("1419-400", f"Mapping validation failed: mapping set {mapping_id} does not exist.")
    mapping_set = mappingsets.find_version(emu.store, ctx.org, ctx.sandbox, mapping_id, version)
    if mapping_set is None:
        raise flow_error("1412-400", f"Invalid mapping version {version} for mapping set {mapping_id}.")
    schema_id = mappingsets.output_schema_id(mapping_set)
    for target in targets:
        dataset_id = (target.get("params") or {}).get("dataSetId")
        dataset = emu.store.get("dataSets", ctx.org, ctx.sandbox, dataset_id) if dataset_id else None
        dataset_schema = ((dataset or {}).get("schemaRef") or {}).get("id")
        if dataset_id and dataset_schema != schema_id:
            raise flow_error("1425-400", f"The schema of dataset {dataset_id} ({dataset_schema}) is not the output "
                                         f"schema of mapping set {mapping_id} ({schema_id}).")


# --- delete ---------------------------------------------------------------------------------------

def check_delete(emu: Emulator, kind: str, ctx: RequestContext, doc: dict) -> None:
    flows = emu.store.list("flows", ctx.org, ctx.sandbox)
    if kind == "connections":
        users = [c["id"] for k in ("sourceConnections", "targetConnections")
                 for c in emu.store.list(k, ctx.org, ctx.sandbox) if c.get("baseConnectionId") == doc["id"]]
        if users:
            raise flow_error("1418-400", f"Connection {doc['id']} is used by {', '.join(users)}; delete them first.")
    field = {"sourceConnections": "sourceConnectionIds", "targetConnections": "targetConnectionIds"}.get(kind)
    if field:
        users = [f["id"] for f in flows if doc["id"] in (f.get(field) or [])]
        if users:
            raise flow_error("1447-400", f"Found active flows containing id {doc['id']}: {', '.join(users)}.")


async def after_delete(emu: Emulator, kind: str, ctx: RequestContext, doc: dict) -> None:
    inlet_id = inlet_id_of(doc) if kind == "flows" else None
    if inlet_id:
        await emu.store.delete(INLET_KIND, "", "", inlet_id)
