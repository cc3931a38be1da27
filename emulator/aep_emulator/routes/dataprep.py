"""Data Prep routes (``/data/foundation/conversion``): mapping sets, their mappings, validate and preview.
Rules and the stored document: :mod:`aep_emulator.domain.dataprep`."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.domain import dataprep, schemaregistry, xdm
from aep_emulator.domain.dataprep import dataprep_error
from aep_emulator.http.gateway import Endpoint, platform_routes
from aep_emulator.http.web import json_response, read_json
from aep_emulator.runtime import Emulator

BASE = "/data/foundation/conversion"


def _bad_body(message: str):
    return dataprep_error("1400-400", message)


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


def _latest(emu: Emulator, ctx: RequestContext, mapping_id: str) -> dict:
    doc = emu.store.get(kinds.MAPPING_SETS, ctx.org, ctx.sandbox, mapping_id)
    if doc is None:
        raise dataprep_error("1404-404", f"Mapping set {mapping_id} not found")
    return doc


def _expanded(emu: Emulator, ctx: RequestContext, request: Request, doc: dict) -> dict:
    result = dataprep.public(doc)
    if request.query_params.get("expandSchema", "false").lower() == "true":
        schema = schemaregistry.find_schema(emu.store, ctx.org, ctx.sandbox, doc["xdmSchema"])
        if schema is not None:
            lookup = schemaregistry.make_lookup(emu.store, ctx.org, ctx.sandbox)
            result["outputSchema"] = {**result["outputSchema"], "jsonSchema": xdm.render(schema, "full", lookup)}
    return result


async def create_mapping_set(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    body = await read_json(request, _bad_body)
    doc = dataprep.build_version(emu.store, ctx, body, uuid.uuid4().hex, 0, None)
    await emu.store.put(kinds.MAPPING_SETS, ctx.org, ctx.sandbox, doc["id"], {**doc, "versions": {"0": doc}})
    return json_response(dataprep.simple(doc))


async def list_mapping_sets(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    limit = _int_param(request, "limit", required=True)
    start = _int_param(request, "start", required=True)
    if limit < 0 or start < 0:
        raise dataprep_error("1401-400", "'limit' and 'start' must not be negative")
    if limit == 0:  # a page of nothing with a link to itself would loop a client forever; Catalog, Flow Service: 400 too
        raise dataprep_error("1401-400", "'limit' must be at least 1")
    docs = emu.store.list(kinds.MAPPING_SETS, ctx.org, ctx.sandbox)
    name = request.query_params.get("name")
    if name is not None:
        docs = [d for d in docs if d.get("name") == name]
    docs = dataprep.ordered(docs, request.query_params.get("orderBy", "-lastUpdateDate"))
    page = docs[start:start + limit]
    body = {"data": [_expanded(emu, ctx, request, d) for d in page], "_page": {"count": len(page), "limit": limit}}
    if start + limit < len(docs):
        query = {**dict(request.query_params), "start": str(start + limit)}
        body["_links"] = {"next": {"href": f"{BASE}/mappingSets?{urlencode(query)}"}}
    return json_response(body)


async def get_mapping_set(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    mapping_id = request.path_params["id"]
    doc = _latest(emu, ctx, mapping_id)
    version = _int_param(request, "version", required=False)
    if version is not None:
        doc = doc["versions"].get(str(version))
        if doc is None:
            raise dataprep_error("1404-404", f"Version {version} of mapping set {mapping_id} not found")
    return json_response(_expanded(emu, ctx, request, doc))


async def replace_mapping_set(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    mapping_id = request.path_params["id"]
    current = _latest(emu, ctx, mapping_id)
    body = await read_json(request, _bad_body)
    doc = dataprep.build_version(emu.store, ctx, body, mapping_id, current["version"] + 1, current)
    await emu.store.put(kinds.MAPPING_SETS, ctx.org, ctx.sandbox, mapping_id,
                        {**doc, "versions": {**current["versions"], str(doc["version"]): doc}})
    return json_response(dataprep.public(doc))


async def list_mappings(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(_latest(emu, ctx, request.path_params["id"])["mappings"])


async def get_mapping(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    mapping_id = request.path_params["mapping_id"]
    found = next((m for m in _latest(emu, ctx, request.path_params["id"])["mappings"] if m["id"] == mapping_id), None)
    if found is None:
        raise dataprep_error("1404-404", f"Mapping {mapping_id} not found in mapping set {request.path_params['id']}")
    return json_response(found)


async def validate(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    body = await read_json(request, _bad_body)
    return json_response({"validationResponse": dataprep.validation_results(emu.store, ctx, body)})


async def preview(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    body = await read_json(request, _bad_body)
    return json_response(dataprep.preview(emu.store, ctx, body))


ENDPOINTS = [
    Endpoint("/mappingSets", ("POST",), create_mapping_set),
    Endpoint("/mappingSets", ("GET",), list_mapping_sets),
    Endpoint("/mappingSets/validate", ("POST",), validate),
    Endpoint("/mappingSets/preview", ("POST",), preview),
    Endpoint("/mappingSets/{id}", ("GET",), get_mapping_set),
    Endpoint("/mappingSets/{id}", ("PUT",), replace_mapping_set),
    Endpoint("/mappingSets/{id}/mappings", ("GET",), list_mappings),
    Endpoint("/mappingSets/{id}/mappings/{mapping_id}", ("GET",), get_mapping),
]


def routes(emu: Emulator) -> list[Route]:
    return platform_routes(emu, BASE, ENDPOINTS, service="dataprep")
