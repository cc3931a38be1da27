"""Data Prep API (``/data/foundation/conversion``): mapping sets, their mappings, validate and preview.

Store kind ``mappingSets``, keyed by the mapping set id (32 lowercase hex). The document is the latest
version plus every version::

    {<latest version document>, "versions": {"0": <version 0 document>, "1": ..., ...}}

A version document is what ``GET /mappingSets/{id}?version=N`` returns (``id``, ``version``, ``name``,
``description``, ``outputSchema.schemaRef.id`` (the output schema ``$id``), ``xdmSchema`` (same id),
``mappings`` in the stored form carrying both request forms, dates, users ...) plus ``_emulator``: a snapshot of
the output schema taken when the version was written, ``{"fieldTypes": {path: type}, "requiredPaths": [...]}``,
which :func:`mapping.compile_mapping_set` uses to convert values and to check required fields. Responses
never show ``versions`` or ``_emulator``. Use :func:`get_mapping_version` to read one version."""

from __future__ import annotations

import time
import uuid
from urllib.parse import urlencode
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.routing import Route

from aep_emulator import mapping, schemaregistry, xdm
from aep_emulator.errors import ApiError
from aep_emulator.gateway import RequestContext, platform_route
from aep_emulator.web import json_response, read_json

if TYPE_CHECKING:
    from aep_emulator.app import Emulator
    from aep_emulator.store import Store

BASE = "/data/foundation/conversion"
KIND = "mappingSets"
ERROR_TYPE = "https://ns.adobe.com/aep/errors/MAPPER-"
_ORDER_KEYS = {"createdDate": "createdDate", "updatedDate": "modifiedDate", "modifiedDate": "modifiedDate",
               "lastUpdateDate": "modifiedDate"}


def dataprep_error(code: str, message: str, errors: list[dict] | None = None) -> ApiError:
    """Data Prep error body ([UNVERIFIED] shape): ``code`` is ``NNNN-SSS``, e.g. ``1400-400``."""
    status = int(code.rsplit("-", 1)[1])
    titles = {400: "Bad Request", 404: "Not Found"}
    report = {"detailed-message": message, "request-id": uuid.uuid4().hex}
    if errors:
        report["errors"] = errors
    return ApiError(status, {"type": ERROR_TYPE + code, "title": titles.get(status, "Error"), "status": status,
                             "detail": message, "report": report})


def get_mapping_version(store: Store, org: str, sandbox: str, mapping_id: str, version: int | str | None = None
                        ) -> dict | None:
    """One version document (with the ``_emulator`` snapshot), the latest when ``version`` is None."""
    doc = store.get(KIND, org, sandbox, mapping_id)
    if doc is None:
        return None
    if version is None:
        return doc["versions"][str(doc["version"])]
    return doc["versions"].get(str(version))


def public(version_doc: dict) -> dict:
    return {k: v for k, v in version_doc.items() if k not in ("versions", "_emulator")}


# --- building a version -----------------------------------------------------------------------------

def _output_schema(store: Store, ctx: RequestContext, body: object) -> dict:
    if not isinstance(body, dict):
        raise dataprep_error("1400-400", "The mapping set must be a JSON object")
    ref = (body.get("outputSchema") or {}).get("schemaRef") or {}
    schema_id = ref.get("id")
    if not isinstance(schema_id, str) or not schema_id:
        raise dataprep_error("1400-400", "outputSchema.schemaRef.id is required")
    schema = schemaregistry.find_schema(store, ctx.org, ctx.sandbox, schema_id)
    if schema is None:
        raise dataprep_error("1400-400", f"Output schema {schema_id} does not exist in sandbox {ctx.sandbox}")
    return schema


def _normalised_mappings(body: dict, stamp: dict) -> list[dict]:
    raw = body.get("mappings")
    if not isinstance(raw, list) or not raw:
        raise dataprep_error("1400-400", "'mappings' must be a non-empty array")
    try:
        return [mapping.normalise(m, stamp) for m in raw]
    except mapping.MappingError as exc:
        raise dataprep_error("1400-400", str(exc), [exc.info]) from None


def _validation(mappings: list[dict], field_types: dict[str, str]) -> list[list[dict]]:
    return [mapping.validate(m, field_types) for m in mappings]


def build_version(store: Store, ctx: RequestContext, body: object, mapping_id: str, version: int,
                  previous: dict | None) -> dict:
    """A validated version document; raises a 400 naming every bad mapping."""
    schema = _output_schema(store, ctx, body)
    now = int(time.time() * 1000)
    stamp = {"version": version, "createdDate": now, "modifiedDate": now, "createdBy": ctx.user,
             "modifiedBy": ctx.user}
    mappings = _normalised_mappings(body, stamp)
    field_types, required = schemaregistry.schema_fields(store, ctx.org, ctx.sandbox, schema)
    errors = [e for per_mapping in _validation(mappings, field_types) for e in per_mapping]
    if errors:
        raise dataprep_error("1400-400", "Mapping set validation failed: "
                             + "; ".join(e["exception"] for e in errors), errors)
    schema_ref = {"id": schema["$id"],
                  "contentType": body["outputSchema"]["schemaRef"].get("contentType",
                                                                       "application/vnd.adobe.xed-full+json;version=1")}
    doc = {
        "id": mapping_id, "version": version,
        "createdDate": previous["createdDate"] if previous else now, "modifiedDate": now,
        "createdBy": previous["createdBy"] if previous else ctx.user, "modifiedBy": ctx.user,
        "name": body.get("name") if isinstance(body.get("name"), str) else None,
        "description": body.get("description") if isinstance(body.get("description"), str) else None,
        "supportVersion": "1.1", "inputSchema": body.get("inputSchema"),
        "outputSchema": {"schemaRef": schema_ref}, "mappings": mappings,
        "status": "PUBLISHED", "strictMapping": False, "allowNullValues": False, "xdmVersion": "1.0",
        "schemaRef": schema_ref, "xdmSchema": schema["$id"], "tags": body.get("tags") or [],
        "_emulator": {"fieldTypes": field_types, "requiredPaths": required},
    }
    # Optional fields that were not given are left out (the spec types them non-nullable).
    return {k: v for k, v in doc.items() if v is not None or k not in ("name", "description", "inputSchema")}


def _simple(doc: dict) -> dict:
    return {k: doc[k] for k in ("id", "version", "createdDate", "modifiedDate", "createdBy", "modifiedBy")}


# --- routes -----------------------------------------------------------------------------------------

def _int_param(request: Request, name: str, required: bool, default: int | None = None) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        if required:
            raise dataprep_error("1401-400", f"Query parameter '{name}' is required")
        return default
    try:
        return int(value)
    except ValueError:
        raise dataprep_error("1401-400", f"Query parameter '{name}' must be an integer, got '{value}'") from None


def routes(emu: Emulator) -> list[Route]:
    store = emu.store

    def latest(ctx: RequestContext, mapping_id: str) -> dict:
        doc = store.get(KIND, ctx.org, ctx.sandbox, mapping_id)
        if doc is None:
            raise dataprep_error("1404-404", f"Mapping set {mapping_id} not found")
        return doc

    def expanded(ctx: RequestContext, request: Request, doc: dict) -> dict:
        result = public(doc)
        if request.query_params.get("expandSchema", "false").lower() == "true":
            schema = schemaregistry.find_schema(store, ctx.org, ctx.sandbox, doc["xdmSchema"])
            if schema is not None:
                lookup = schemaregistry.make_lookup(store, ctx.org, ctx.sandbox)
                result["outputSchema"] = {**result["outputSchema"], "jsonSchema": xdm.render(schema, "full", lookup)}
        return result

    async def create(request: Request, ctx: RequestContext):
        body = await read_json(request, lambda msg: dataprep_error("1400-400", msg))
        doc = build_version(store, ctx, body, uuid.uuid4().hex, 0, None)
        await store.put(KIND, ctx.org, ctx.sandbox, doc["id"], {**doc, "versions": {"0": doc}})
        return json_response(_simple(doc))

    async def list_sets(request: Request, ctx: RequestContext):
        limit = _int_param(request, "limit", required=True)
        start = _int_param(request, "start", required=True)
        if limit < 0 or start < 0:
            raise dataprep_error("1401-400", "'limit' and 'start' must not be negative")
        docs = store.list(KIND, ctx.org, ctx.sandbox)
        name = request.query_params.get("name")
        if name is not None:
            docs = [d for d in docs if d.get("name") == name]
        docs = _ordered(docs, request.query_params.get("orderBy", "-lastUpdateDate"))
        page = docs[start:start + limit]
        body = {"data": [expanded(ctx, request, d) for d in page], "_page": {"count": len(page), "limit": limit}}
        if start + limit < len(docs):
            query = {**dict(request.query_params), "start": str(start + limit)}
            body["_links"] = {"next": {"href": f"{BASE}/mappingSets?{urlencode(query)}"}}
        return json_response(body)

    async def get_set(request: Request, ctx: RequestContext):
        mapping_id = request.path_params["id"]
        doc = latest(ctx, mapping_id)
        version = _int_param(request, "version", required=False)
        if version is not None:
            doc = doc["versions"].get(str(version))
            if doc is None:
                raise dataprep_error("1404-404", f"Version {version} of mapping set {mapping_id} not found")
        return json_response(expanded(ctx, request, doc))

    async def replace(request: Request, ctx: RequestContext):
        mapping_id = request.path_params["id"]
        current = latest(ctx, mapping_id)
        body = await read_json(request, lambda msg: dataprep_error("1400-400", msg))
        doc = build_version(store, ctx, body, mapping_id, current["version"] + 1, current)
        await store.put(KIND, ctx.org, ctx.sandbox, mapping_id,
                        {**doc, "versions": {**current["versions"], str(doc["version"]): doc}})
        return json_response(public(doc))

    async def list_mappings(request: Request, ctx: RequestContext):
        return json_response(latest(ctx, request.path_params["id"])["mappings"])

    async def get_mapping(request: Request, ctx: RequestContext):
        mapping_id = request.path_params["mapping_id"]
        found = next((m for m in latest(ctx, request.path_params["id"])["mappings"] if m["id"] == mapping_id), None)
        if found is None:
            raise dataprep_error("1404-404", f"Mapping {mapping_id} not found in mapping set {request.path_params['id']}")
        return json_response(found)

    async def validate(request: Request, ctx: RequestContext):
        body = await read_json(request, lambda msg: dataprep_error("1400-400", msg))
        schema = _output_schema(store, ctx, body)
        mappings = _normalised_mappings(body, {"version": 0})
        field_types, _ = schemaregistry.schema_fields(store, ctx.org, ctx.sandbox, schema)
        results = [{"status": "FAILED", "errors": errors} if errors else {"status": "SUCCESS", "errors": None}
                   for errors in _validation(mappings, field_types)]
        return json_response({"validationResponse": results})

    async def preview(request: Request, ctx: RequestContext):
        body = await read_json(request, lambda msg: dataprep_error("1400-400", msg))
        if not isinstance(body, dict):
            raise dataprep_error("1400-400", "The preview body must be {\"data\": [...], \"mappingSet\": {...}}")
        doc = build_version(store, ctx, body.get("mappingSet"), "preview", 0, None)
        data = body.get("data")
        events = data if isinstance(data, list) else [data]
        if not all(isinstance(e, dict) for e in events):
            raise dataprep_error("1400-400", "'data' must be a JSON object or an array of objects")
        mapper = mapping.compile_mapping_set(doc)
        results = []
        for event in events:
            record, errors = mapper.apply(event)
            results.append({"data": record or {}, "errors": [{"exception": e} for e in errors] or None})
        return json_response(results)

    def route(path: str, endpoint, methods: list[str]) -> Route:
        return platform_route(emu, BASE + path, endpoint, methods, service="dataprep")

    return [
        route("/mappingSets", create, ["POST"]),
        route("/mappingSets", list_sets, ["GET"]),
        route("/mappingSets/validate", validate, ["POST"]),
        route("/mappingSets/preview", preview, ["POST"]),
        route("/mappingSets/{id}", get_set, ["GET"]),
        route("/mappingSets/{id}", replace, ["PUT"]),
        route("/mappingSets/{id}/mappings", list_mappings, ["GET"]),
        route("/mappingSets/{id}/mappings/{mapping_id}", get_mapping, ["GET"]),
    ]


def _ordered(docs: list[dict], order_by: str) -> list[dict]:
    descending = order_by.startswith("-")
    key = _ORDER_KEYS.get(order_by.lstrip("+- "))
    if key is None:
        raise dataprep_error("1401-400", f"Unsupported orderBy '{order_by}': use createdDate or updatedDate")
    return sorted(docs, key=lambda d: d[key], reverse=descending)
