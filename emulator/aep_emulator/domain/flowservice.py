"""Flow Service rules (``/data/foundation/flowservice``): create-body validation, derived and platform
fields, reference checks, PATCH guards, delete guards, flow actions and the partial (masked) view of base
connections. No HTTP here: the routes in :mod:`aep_emulator.routes.flowservice` call these functions.

Objects are store documents of the kinds in :data:`aep_emulator.core.kinds.FLOW_SERVICE_KINDS`, isolated per
(org, sandbox). Error codes follow API-FACTS §2.8; codes marked [UNVERIFIED] in the README are our pick where
AEP documents none."""

from __future__ import annotations

import re
import secrets
import time
import uuid
from typing import Any

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.core.errors import ApiError, flow_error
from aep_emulator.core.store import Store
from aep_emulator.domain import dataprep, patch, specs

KINDS = kinds.FLOW_SERVICE_KINDS
# Fields the platform owns: a PATCH may not change them.
SYSTEM_FIELDS = frozenset({
    "id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId",
    "sandboxName", "imsOrgId", "etag", "version", "inheritedAttributes", "runs", "lastOperation", "providerRefId",
    "state", "flowSpec", "connectionSpec",
})
ACTIONS = {"enable": "enabled", "disable": "disabled"}
REFERENCE_CODE = "1411-400"  # [UNVERIFIED] a referenced object does not exist in the sandbox
# Fields a create body may not set (the platform fills them).
PLATFORM_FIELDS = frozenset({
    "id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId",
    "sandboxName", "imsOrgId", "etag", "version", "inheritedAttributes", "runs", "lastOperation", "providerRefId",
})


def new_etag() -> str:
    """Cosmos-style etag, quotes included: ``"01013ed0-0000-0200-0000-63f314d00000"``."""
    return f'"{secrets.token_hex(4)}-0000-0200-0000-{int(time.time()):08x}0000"'


def now_ms() -> int:
    return int(time.time() * 1000)


def system_fields(ctx: RequestContext, object_id: str) -> dict:
    now = now_ms()
    etag = new_etag()
    return {
        "id": object_id, "createdAt": now, "updatedAt": now, "createdBy": ctx.user, "updatedBy": ctx.user,
        "createdClient": ctx.client_id, "updatedClient": ctx.client_id, "sandboxId": ctx.sandbox_id,
        "sandboxName": ctx.sandbox, "imsOrgId": ctx.org, "etag": etag, "version": etag,
    }


def touched(doc: dict, ctx: RequestContext) -> dict:
    """``doc`` with a new etag and update stamps."""
    etag = new_etag()
    return {**doc, "etag": etag, "version": etag, "updatedAt": now_ms(), "updatedBy": ctx.user,
            "updatedClient": ctx.client_id}


def body_error(message: str) -> ApiError:
    return flow_error("1405-400", message)


def not_found(kind: str, object_id: str) -> ApiError:
    code = "1439-404" if kind == kinds.FLOWS else "1101-404"
    return flow_error(code, f"The requested {kind} resource {object_id} is not found. "
                            "Verify the resource ID before trying again.", id=object_id, type=kind)


def operation(name: str, ops: Any = None) -> dict:
    now = int(time.time() * 1000)
    result = {"started": now, "updated": now, "operation": name, "percentCompleted": 100,
              "status": {"value": "completed"}}
    if ops is not None:
        result["ops"] = ops
    return result


def missing_field(field: str) -> ApiError:
    return flow_error("1455-400", f"Missing field {field}")


def invalid_field(field: str, expected: str) -> ApiError:
    """[UNVERIFIED] AEP's code for a field of the wrong type; 1455-400 like a missing field."""
    return flow_error("1455-400", f"Invalid field {field}: must be {expected}")


def _check_object_fields(doc: dict, names: tuple[str, ...]) -> None:
    for name in names:
        if name in doc and not isinstance(doc[name], dict):
            raise invalid_field(name, "an object")


def _check_transformations(transformations: Any) -> None:
    if not isinstance(transformations, list) or not all(isinstance(t, dict) for t in transformations):
        raise invalid_field("transformations", "an array of objects")
    for transformation in transformations:
        params = transformation.get("params", {})
        if not isinstance(params, dict):
            raise invalid_field("transformations[].params", "an object")
        if str(transformation.get("name", "")).lower() == "mapping" and not isinstance(params.get("mappingId"), str):
            raise missing_field("transformations[].params.mappingId")


def reference_error(kind: str, object_id: Any) -> ApiError:
    return flow_error(REFERENCE_CODE, f"The referenced {kind} resource {object_id} does not exist in this sandbox.",
                      id=str(object_id), type=kind)


def check_if_match(supplied: str | None, doc: dict, required: bool) -> None:
    """The ``If-Match`` header against the object's etag (compared without the surrounding quotes)."""
    if not supplied:
        if required:
            raise flow_error("1403-400", "Header If-Match is missing in the request.", header="If-Match")
        return
    if supplied.strip().strip('"') != doc["etag"].strip('"'):
        raise flow_error("1404-412", "Version not matching: the supplied If-Match version does not match the "
                                     f"entity version {doc['etag']}.", id=doc["id"])


# --- create ----------------------------------------------------------------------------------------

def build(store: Store, kind: str, ctx: RequestContext, body: dict, object_id: str, base_url: str) -> dict:
    """The user-visible fields of a new object (system fields are added by the caller)."""
    if kind == kinds.FLOWS and "state" in body:
        raise flow_error("1410-400", "State is not allowed in the create flow request.")
    fields = {k: v for k, v in body.items() if k not in PLATFORM_FIELDS}
    if not isinstance(fields.get("name"), str) or not fields["name"].strip():
        raise missing_field("name")
    fields.setdefault("description", "")
    if kind == kinds.FLOWS:
        return _build_flow(store, ctx, fields, object_id, base_url)
    fields["connectionSpec"] = _connection_spec(fields.get("connectionSpec"), kind)
    fields["state"] = "enabled"
    if kind != kinds.CONNECTIONS:
        fields.setdefault("data", {"format": "json"})
        fields.setdefault("params", {})
    doc = revalidate(store, kind, ctx, fields)
    if kind == kinds.CONNECTIONS:
        doc = _with_inlet(doc, base_url)
    return doc


def _with_inlet(doc: dict, base_url: str) -> dict:
    """An HTTP API base connection (auth spec ``Streaming Connection``) as AEP fills it: ``auth.params`` gets
    ``inletId`` (64 hex), ``inletUrl`` (``<public URL>/collection/<inletId>``), ``authenticationRequired``
    (default false), ``name`` (default: the connection's name) and ``sourceId`` (default: that name)
    (HTTP API tutorial, "Get streaming endpoint URL")."""
    spec = specs.connection_specs()[doc["connectionSpec"]["id"]]
    if not specs.creates_inlet(spec, doc["auth"]["specName"]):
        return doc
    params = dict(doc["auth"]["params"])
    params.setdefault("name", doc["name"])
    params.setdefault("sourceId", params["name"])
    params.setdefault("authenticationRequired", False)
    inlet_id = secrets.token_hex(32)
    params.update(inletId=inlet_id, inletUrl=f"{base_url}/collection/{inlet_id}")
    return {**doc, "auth": {**doc["auth"], "params": params}}


def _connection_spec(ref: Any, kind: str) -> dict:
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not ref["id"]:
        raise missing_field("connectionSpec.id")
    spec = specs.connection_specs().get(ref["id"])
    role = {kinds.SOURCE_CONNECTIONS: "sourceSpec", kinds.TARGET_CONNECTIONS: "targetSpec"}.get(kind)
    if spec is None or (role and role not in spec):
        raise flow_error("1413-400", f"Invalid connection spec id {ref['id']} for {kind}.", id=ref["id"])
    return {"id": ref["id"], "version": str(ref.get("version", spec["version"]))}


def _build_flow(store: Store, ctx: RequestContext, fields: dict, flow_id: str, base_url: str) -> dict:
    ref = fields.get("flowSpec")
    if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not ref["id"]:
        raise missing_field("flowSpec.id")
    flow_spec = specs.flow_specs().get(ref["id"])
    if flow_spec is None:
        raise flow_error("1413-400", f"Invalid flow spec id {ref['id']}.", id=ref["id"])
    fields["flowSpec"] = {"id": ref["id"], "version": str(ref.get("version", flow_spec["version"]))}
    fields.setdefault("transformations", [])
    _check_transformations(fields["transformations"])
    if not isinstance(fields.get("options") or {}, dict):
        raise invalid_field("options", "an object")
    options = dict(fields.get("options") or {})
    options.pop("inletUrl", None)
    fields.update({
        "state": "enabled", "options": options, "runs": f"/runs?property=flowId=={flow_id}",
        "providerRefId": str(uuid.uuid4()),
        "lastOperation": {"started": 0, "updated": 0, "operation": "enable"},
    })
    doc = revalidate(store, kinds.FLOWS, ctx, fields)
    # A flow over an HTTP API source streams through its base connection's inlet (auth.params.inletUrl);
    # the webhook sources' flows get an inlet of their own in options.inletUrl.
    if specs.is_streaming(flow_spec) and not base_connection_ids(doc):
        doc["options"]["inletUrl"] = f"{base_url}/collection/{secrets.token_hex(32)}"
    return doc


def base_connection_ids(flow: dict) -> list[str]:
    """Ids of the base connections behind a flow's source connections (from ``inheritedAttributes``)."""
    return [s["baseConnection"]["id"] for s in (flow.get("inheritedAttributes") or {}).get(kinds.SOURCE_CONNECTIONS, [])
            if s.get("baseConnection")]


def new_object(store: Store, kind: str, ctx: RequestContext, body: Any, base_url: str) -> dict:
    """The complete document of a new object of ``kind`` built from a create body (raises ApiError)."""
    if not isinstance(body, dict):
        raise body_error("The request body must be a JSON object.")
    object_id = str(uuid.uuid4())
    return {**system_fields(ctx, object_id), **build(store, kind, ctx, body, object_id, base_url)}


async def after_create(store: Store, kind: str, ctx: RequestContext, doc: dict) -> None:
    """Register the inlet of a new webhook flow (``{org, sandbox, flowId}``) or HTTP API base connection
    (``{org, sandbox, baseConnectionId}``)."""
    inlet_id = inlet_id_of(kind, doc)
    if inlet_id:
        owner = {"flowId": doc["id"]} if kind == kinds.FLOWS else {"baseConnectionId": doc["id"]}
        await store.put(kinds.INLETS, "", "", inlet_id, {"org": ctx.org, "sandbox": ctx.sandbox, **owner})


def inlet_id_of(kind: str, doc: dict) -> str | None:
    """The inlet a flow (``options.inletUrl``) or a base connection (``auth.params.inletId``) owns."""
    if kind == kinds.FLOWS:
        url = (doc.get("options") or {}).get("inletUrl")
        return url.rsplit("/", 1)[-1] if url else None
    if kind == kinds.CONNECTIONS:
        inlet_id = ((doc.get("auth") or {}).get("params") or {}).get("inletId")
        return inlet_id if isinstance(inlet_id, str) else None
    return None


# --- validation shared by create and PATCH -----------------------------------------------------------

def revalidate(store: Store, kind: str, ctx: RequestContext, doc: dict) -> dict:
    """Check the shape and references of ``doc``; returns it with derived fields recomputed."""
    _check_object_fields(doc, ("params", "data", "auth", "options", "connectionSpec", "flowSpec"))
    if kind == kinds.FLOWS:
        _check_transformations(doc.get("transformations", []))
    if kind == kinds.CONNECTIONS:
        _check_auth(doc)
    if kind == kinds.SOURCE_CONNECTIONS:
        _check_base_connection(store, ctx, doc)
    elif kind == kinds.TARGET_CONNECTIONS and doc.get("baseConnectionId"):
        _existing(store, ctx, kinds.CONNECTIONS, doc["baseConnectionId"])
    if kind == kinds.TARGET_CONNECTIONS and doc["connectionSpec"]["id"] == specs.DATA_LAKE_SPEC:
        dataset_id = (doc.get("params") or {}).get("dataSetId")
        if not dataset_id:
            raise missing_field("params.dataSetId")
        _existing(store, ctx, kinds.DATASETS, dataset_id)
    if kind == kinds.FLOWS:
        doc = {**doc, "inheritedAttributes": _flow_references(store, ctx, doc)}
    return doc


def _check_base_connection(store: Store, ctx: RequestContext, doc: dict) -> None:
    """A source connection of a spec with ``authSpec`` entries (HTTP API) needs ``baseConnectionId`` naming a
    base connection of the same connection spec in the sandbox (HTTP API tutorial: source connection step).
    [UNVERIFIED] codes: 1455-400 when missing, 1411-400 when unknown, 1413-400 for another spec's connection."""
    spec_id = doc["connectionSpec"]["id"]
    base_id = doc.get("baseConnectionId")
    if not base_id:
        if specs.needs_base_connection(specs.connection_specs()[spec_id]):
            raise flow_error("1455-400", f"Missing field baseConnectionId: a source connection of connection spec "
                                         f"{spec_id} needs a base connection (POST /connections) of the same "
                                         "connection spec.", field="baseConnectionId")
        return
    base = _existing(store, ctx, kinds.CONNECTIONS, base_id)
    if base["connectionSpec"]["id"] != spec_id:
        raise flow_error("1413-400", f"Base connection {base_id} has connection spec {base['connectionSpec']['id']}, "
                                     f"not {spec_id} of the source connection.", id=base_id)


def _check_auth(doc: dict) -> None:
    """A base connection needs ``auth`` naming one of its connection spec's ``authSpec`` entries (else 1415-400,
    Flow Service error guide), with the entry's required params; declared params of type string/boolean or
    with an ``enum`` must match it ([UNVERIFIED] 1455-400)."""
    auth = doc.get("auth")
    if not isinstance(auth, dict):
        raise missing_field("auth")
    if not isinstance(auth.get("specName"), str) or not auth["specName"]:
        raise missing_field("auth.specName")
    auth_specs = specs.connection_specs()[doc["connectionSpec"]["id"]].get("authSpec") or []
    auth_spec = next((a for a in auth_specs if a.get("name") == auth["specName"]), None)
    if auth_spec is None:
        names = ", ".join(a["name"] for a in auth_specs) or "none"
        raise flow_error("1415-400", f"The auth spec '{auth['specName']}' could not be found for the connection "
                                     f"spec ID {doc['connectionSpec']['id']} (supported: {names}).")
    params = auth.get("params")
    if not isinstance(params, dict):
        raise missing_field("auth.params")
    for name in (auth_spec.get("spec") or {}).get("required", []):
        if name not in params:
            raise missing_field(f"auth.params.{name}")
    for name, prop in ((auth_spec.get("spec") or {}).get("properties") or {}).items():
        if name not in params:
            continue
        value = params[name]
        python_type = {"string": str, "boolean": bool}.get(prop.get("type"))
        if python_type and not isinstance(value, python_type):
            raise invalid_field(f"auth.params.{name}", f"a {prop['type']}")
        if "enum" in prop and value not in prop["enum"]:
            raise invalid_field(f"auth.params.{name}", "one of " + ", ".join(map(str, prop["enum"])))


SECRET_NAME = re.compile(r"pass|secret|token|key|credential", re.I)
MASK = "****"  # [UNVERIFIED] AEP documents only "a partial view of the credentials"


def public_view(kind: str, doc: dict) -> dict:
    """``doc`` as reads return it: a base connection's secret auth params are masked (stored in full).
    Secret = declared ``format: password`` in the auth spec, undeclared, or named like a secret."""
    auth = doc.get("auth") if kind == kinds.CONNECTIONS else None
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


def _existing(store: Store, ctx: RequestContext, kind: str, object_id: Any) -> dict:
    doc = store.get(kind, ctx.org, ctx.sandbox, object_id) if isinstance(object_id, str) else None
    if doc is None:
        raise reference_error(kind, object_id)
    return doc


def _connection_ids(doc: dict, field: str) -> list[str]:
    ids = doc.get(field)
    if not isinstance(ids, list) or not ids:
        raise missing_field(field)
    return ids


def _flow_references(store: Store, ctx: RequestContext, flow: dict) -> dict:
    flow_spec = specs.flow_specs()[flow["flowSpec"]["id"]]
    inherited = {"properties": {"isSourceFlow": bool(flow_spec.get("attributes", {}).get("isSourceFlow"))}}
    targets, sources = [], []
    for field, kind, allowed in (("sourceConnectionIds", kinds.SOURCE_CONNECTIONS, "sourceConnectionSpecIds"),
                                 ("targetConnectionIds", kinds.TARGET_CONNECTIONS, "targetConnectionSpecIds")):
        connections = [_existing(store, ctx, kind, cid) for cid in _connection_ids(flow, field)]
        for connection in connections:
            if connection["connectionSpec"]["id"] not in flow_spec.get(allowed, []):
                raise flow_error("1413-400", f"Connection spec {connection['connectionSpec']['id']} of {kind} "
                                             f"{connection['id']} is not supported by flow spec {flow_spec['id']}.")
        inherited[kind] = [_inherited(store, ctx, c) for c in connections]
        sources, targets = (connections, targets) if kind == kinds.SOURCE_CONNECTIONS else (sources, connections)
    accepted = specs.transformation_names(flow_spec)
    for transformation in flow.get("transformations") or []:
        if str(transformation.get("name", "")).lower() not in accepted:
            raise flow_error("1413-400", f"Transformation '{transformation.get('name')}' is not supported by flow "
                                         f"spec {flow_spec['id']} ({flow_spec['name']}); its transformationSpecs: "
                                         f"{', '.join(sorted(accepted)) or 'none'}.", id=flow_spec["id"])
    _check_mapping(store, ctx, flow, targets)
    if mapping_reference(flow) is None:
        _check_xdm_sources(store, ctx, flow_spec, sources)
    return inherited


def source_data_type(store: Store, ctx: RequestContext, flow_spec: dict, source: dict) -> str | None:
    """``"raw"`` when a source connection sends JSON that is not XDM: a webhook source (no base connection, a
    connection spec without ``authSpec``) on a streaming flow spec (the third party posts its own JSON), or a
    source over a base connection with ``auth.params.dataType: "raw"`` (HTTP API); ``"xdm"`` for a base
    connection with ``dataType: "xdm"``; None when the source says nothing (batch sources)."""
    base_id = source.get("baseConnectionId")
    if base_id:
        base = store.get(kinds.CONNECTIONS, ctx.org, ctx.sandbox, base_id) or {}
        data_type = ((base.get("auth") or {}).get("params") or {}).get("dataType")
        return data_type if data_type in ("raw", "xdm") else None
    spec = specs.connection_specs().get(source["connectionSpec"]["id"]) or {}
    if specs.is_streaming(flow_spec) and "sourceSpec" in spec and not specs.needs_base_connection(spec):
        return "raw"
    return None


def _check_xdm_sources(store: Store, ctx: RequestContext, flow_spec: dict, sources: list[dict]) -> None:
    """A flow without a Mapping stores what its source sends as it is, so the source must send XDM. API-FACTS §3:
    "transformations is required when the payload is not XDM"; AEP's refusal is undocumented: [UNVERIFIED] we
    answer 1419-400 (the Mapping validation code) with ``report.field: transformations``, on create and PATCH."""
    for source in sources:
        if source_data_type(store, ctx, flow_spec, source) != "raw":
            continue
        hint = ("add a Mapping transformation ({name: Mapping, params: {mappingId, mappingVersion}})"
                if "mapping" in specs.transformation_names(flow_spec) else
                "use a flow spec that accepts a Mapping transformation (HTTP API: c1a19761-d2c7-4702-b9fa-fe91f0613e81) "
                "with a mapping set")
        raise flow_error("1419-400", f"Mapping validation failed: source connection {source['id']} (connection spec "
                                     f"{source['connectionSpec']['id']}) sends raw data, not XDM; a flow without "
                                     f"a Mapping cannot store it. {hint[0].upper() + hint[1:]}.",
                         field="transformations")


def _inherited(store: Store, ctx: RequestContext, connection: dict) -> dict:
    """A connection as ``inheritedAttributes`` lists it: id, connection spec and, for a source connection over a
    base connection, ``baseConnection: {id, connectionSpec}``."""
    entry = {"id": connection["id"], "connectionSpec": connection["connectionSpec"]}
    base = store.get(kinds.CONNECTIONS, ctx.org, ctx.sandbox, connection.get("baseConnectionId") or "")
    if base is not None:
        entry["baseConnection"] = {"id": base["id"], "connectionSpec": base["connectionSpec"]}
    return entry


def mapping_reference(flow: dict) -> tuple[str, Any] | None:
    """(mappingId, mappingVersion or None) of the flow's Mapping transformation."""
    for transformation in flow.get("transformations") or []:
        if isinstance(transformation, dict) and str(transformation.get("name", "")).lower() == "mapping":
            params = transformation.get("params") or {}
            return params.get("mappingId"), params.get("mappingVersion")
    return None


def _check_mapping(store: Store, ctx: RequestContext, flow: dict, targets: list[dict]) -> None:
    reference = mapping_reference(flow)
    if reference is None:
        return
    mapping_id, version = reference
    if not mapping_id:
        raise missing_field("transformations[].params.mappingId")
    if store.get(kinds.MAPPING_SETS, ctx.org, ctx.sandbox, mapping_id) is None:
        raise flow_error("1419-400", f"Mapping validation failed: mapping set {mapping_id} does not exist.")
    mapping_set = dataprep.find_version(store, ctx.org, ctx.sandbox, mapping_id, version)
    if mapping_set is None:
        raise flow_error("1412-400", f"Invalid mapping version {version} for mapping set {mapping_id}.")
    schema_id = dataprep.output_schema_id(mapping_set)
    for target in targets:
        dataset_id = (target.get("params") or {}).get("dataSetId")
        dataset = store.get(kinds.DATASETS, ctx.org, ctx.sandbox, dataset_id) if dataset_id else None
        dataset_schema = ((dataset or {}).get("schemaRef") or {}).get("id")
        if dataset_id and dataset_schema != schema_id:
            raise flow_error("1425-400", f"The schema of dataset {dataset_id} ({dataset_schema}) is not the output "
                                         f"schema of mapping set {mapping_id} ({schema_id}).")


# --- PATCH and actions ------------------------------------------------------------------------------

def patched(store: Store, kind: str, ctx: RequestContext, doc: dict, operations: Any) -> dict:
    """``doc`` after a JSON Patch (add/replace/remove only), revalidated and stamped (raises ApiError)."""
    try:
        result = patch.apply_patch(doc, operations)
    except patch.PatchError as exc:
        raise flow_error("1434-400" if exc.unsupported else "1455-400", str(exc)) from None
    _reject_system_changes(doc, result)
    result = _keep_inlet(doc, result)
    result = touched(revalidate(store, kind, ctx, result), ctx)
    if kind == kinds.FLOWS:
        result["lastOperation"] = operation("update", ops=operations)
    return result


def _keep_inlet(before: dict, after: dict) -> dict:
    """The platform's inlet params (``auth.params.inletId``/``inletUrl``) survive a PATCH of a base connection, also
    one that replaces ``auth`` or ``/auth/params`` as a whole (AEP's "Update accounts" tutorial documents
    ``replace /auth/params``; whether AEP keeps the inlet params then is [UNVERIFIED], the plausible answer)."""
    old = ((before.get("auth") or {}).get("params") or {})
    auth = after.get("auth")
    if "inletId" not in old or not isinstance(auth, dict) or not isinstance(auth.get("params"), dict):
        return after
    params = {**auth["params"], "inletId": old["inletId"], "inletUrl": old["inletUrl"]}
    return {**after, "auth": {**auth, "params": params}}


def _reject_system_changes(before: dict, after: dict) -> None:
    for field in SYSTEM_FIELDS:
        if before.get(field) != after.get(field):
            if field == "connectionSpec":
                raise flow_error("1414-400", "The connection spec of a connection cannot be changed.")
            raise flow_error("1455-400", f"Field /{field} cannot be updated.")


def with_action(flow: dict, ctx: RequestContext, op: str) -> dict:
    """The flow after ``POST /flows/{id}/action?op=enable|disable`` (1400-400 unknown op, 1422-400 no-op)."""
    target = ACTIONS.get(op)
    if target is None:
        raise flow_error("1400-400", f"Unsupported action op '{op}': use enable or disable.")
    if flow.get("state") == target:
        raise flow_error("1422-400", f"action {op} cannot be applied on the current state {flow['state']}")
    return {**touched(flow, ctx), "state": target, "lastOperation": operation(op)}


# --- delete ---------------------------------------------------------------------------------------

def check_delete(store: Store, kind: str, ctx: RequestContext, doc: dict) -> None:
    flows = store.list(kinds.FLOWS, ctx.org, ctx.sandbox)
    if kind == kinds.CONNECTIONS:
        users = [c["id"] for k in (kinds.SOURCE_CONNECTIONS, kinds.TARGET_CONNECTIONS)
                 for c in store.list(k, ctx.org, ctx.sandbox) if c.get("baseConnectionId") == doc["id"]]
        if users:
            raise flow_error("1418-400", f"The base connection with the ID {doc['id']} cannot be deleted because the "
                                         "base connection is being used in one or more flows. Please ensure that "
                                         "corresponding flows are deleted before deleting a base connection. "
                                         f"Used by: {', '.join(users)}.",
                             id=doc["id"])
    field = {kinds.SOURCE_CONNECTIONS: "sourceConnectionIds", kinds.TARGET_CONNECTIONS: "targetConnectionIds"}.get(kind)
    if field:
        users = [f["id"] for f in flows if doc["id"] in (f.get(field) or [])]
        if users:
            raise flow_error("1447-400", f"Found active flows containing id {doc['id']}: {', '.join(users)}.")


async def after_delete(store: Store, kind: str, ctx: RequestContext, doc: dict) -> None:
    inlet_id = inlet_id_of(kind, doc)
    if inlet_id:
        await store.delete(kinds.INLETS, "", "", inlet_id)
