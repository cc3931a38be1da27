"""Data Prep rules (``/data/foundation/conversion``): mapping sets and their versions.

Store kind ``mappingSets``, keyed by the mapping set id (32 lowercase hex). The document is the latest
version plus every version::

    {<latest version document>, "versions": {"0": <version 0 document>, "1": ..., ...}}

A version document is what ``GET /mappingSets/{id}?version=N`` returns (``id``, ``version``, ``name``,
``description``, ``outputSchema.schemaRef.id`` (the output schema ``$id``), ``xdmSchema`` (same id),
``mappings`` in the stored form carrying both request forms, dates, users ...) plus ``_emulator``: a snapshot of
the output schema taken when the version was written, ``{"fieldTypes": {path: type}, "requiredPaths": [...]}``,
which :func:`mapping.compile_mapping_set` uses to convert values and to check required fields. Responses
never show ``versions`` or ``_emulator`` (:func:`public`).

Flow Service reads mapping sets with :func:`find_version` and :func:`output_schema_id`; the inlet compiles
one version document with :func:`mapping.compile_mapping_set`."""

from __future__ import annotations

import time
import uuid
from typing import Any

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.core.errors import ApiError
from aep_emulator.core.store import Store
from aep_emulator.domain import mapping, schemaregistry

KIND = kinds.MAPPING_SETS
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


def _object(value: object) -> dict:
    return value if isinstance(value, dict) else {}


# --- building a version -----------------------------------------------------------------------------

def _output_schema(store: Store, ctx: RequestContext, body: object) -> dict:
    if not isinstance(body, dict):
        raise dataprep_error("1400-400", "The mapping set must be a JSON object")
    ref = _object(_object(body.get("outputSchema")).get("schemaRef"))
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


def _validation(mappings: list[dict], field_types: dict[str, str], tenant: str | None) -> list[list[dict]]:
    """TransformErrorInfo entries per mapping: the create checks (the destination exists, the source compiles), then
    the meaning checks (:func:`mapping.meaning_errors`: the source can ever fill the destination)."""
    return [mapping.validate(m, field_types) or mapping.meaning_errors(m, field_types, tenant) for m in mappings]


def build_version(store: Store, ctx: RequestContext, body: object, mapping_id: str, version: int,
                  previous: dict | None) -> dict:
    """A validated version document; raises a 400 naming every bad mapping."""
    schema = _output_schema(store, ctx, body)
    now = int(time.time() * 1000)
    stamp = {"version": version, "createdDate": now, "modifiedDate": now, "createdBy": ctx.user,
             "modifiedBy": ctx.user}
    mappings = _normalised_mappings(body, stamp)
    field_types, required = schemaregistry.schema_fields(store, ctx.org, ctx.sandbox, schema)
    errors = [e for per_mapping in _validation(mappings, field_types, ctx.tenant) for e in per_mapping]
    if errors:
        raise dataprep_error("1400-400", "Mapping set validation failed: "
                             + "; ".join(e["exception"] for e in errors), errors)
    content_type = body["outputSchema"]["schemaRef"].get("contentType")
    schema_ref = {"id": schema["$id"], "contentType": content_type if isinstance(content_type, str) and content_type
                  else "application/vnd.adobe.xed-full+json;version=1"}
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


def simple(doc: dict) -> dict:
    """The create answer: id, version, dates and users."""
    return {k: doc[k] for k in ("id", "version", "createdDate", "modifiedDate", "createdBy", "modifiedBy")}


def validation_results(store: Store, ctx: RequestContext, body: object) -> list[dict]:
    """``POST /mappingSets/validate``: one ``{status, errors}`` per mapping, with the checks of a create (the
    destination exists, the source compiles, the source can ever fill the destination: :func:`_validation`)."""
    schema = _output_schema(store, ctx, body)
    mappings = _normalised_mappings(body, {"version": 0})
    field_types, _required = schemaregistry.schema_fields(store, ctx.org, ctx.sandbox, schema)
    results = []
    for errors in _validation(mappings, field_types, ctx.tenant):
        results.append({"status": "FAILED", "errors": errors} if errors else {"status": "SUCCESS", "errors": None})
    return results


def preview(store: Store, ctx: RequestContext, body: object) -> list[dict]:
    """``POST /mappingSets/preview``: one ``{data, errors}`` per input event."""
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
    return results


def find_version(store, org: str, sandbox: str, mapping_id: str, version: Any) -> dict | None:
    """The mapping set document at ``version`` (None = latest), or None when either is unknown."""
    doc = store.get(KIND, org, sandbox, mapping_id)
    if doc is None:
        return None
    key = str(doc.get("version")) if version is None else str(version)
    fallback = doc if str(doc.get("version")) == key else None
    return (doc.get("versions") or {}).get(key, fallback)


def output_schema_id(mapping_set: dict) -> str | None:
    output = mapping_set.get("outputSchema") or {}
    return (output.get("schemaRef") or {}).get("id") or output.get("id") or mapping_set.get("xdmSchema")


def ordered(docs: list[dict], order_by: str) -> list[dict]:
    descending = order_by.startswith("-")
    key = _ORDER_KEYS.get(order_by.lstrip("+- "))
    if key is None:
        raise dataprep_error("1401-400", f"Unsupported orderBy '{order_by}': use createdDate or updatedDate")
    return sorted(docs, key=lambda d: d[key], reverse=descending)
