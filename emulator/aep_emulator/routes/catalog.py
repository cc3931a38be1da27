"""Catalog Service routes (``/data/foundation/catalog/dataSets``). Lists and lookups answer objects keyed by
dataset id; rules and the filter grammar are in :mod:`aep_emulator.domain.catalog`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.domain import catalog
from aep_emulator.http.gateway import Endpoint, platform_routes
from aep_emulator.http.web import json_response, read_json
from aep_emulator.runtime import Emulator

BASE = "/data/foundation/catalog"


async def list_datasets(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(catalog.listed(emu.store.list(kinds.DATASETS, ctx.org, ctx.sandbox), request.query_params))


async def create_dataset(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    body = await read_json(request, catalog.bad_request)
    doc = catalog.new_dataset(emu.store, ctx, body)
    await emu.store.put(kinds.DATASETS, ctx.org, ctx.sandbox, doc["id"], doc)
    location = f"{emu.base_url(request)}{BASE}/dataSets/{doc['id']}"
    return json_response([f"@/dataSets/{doc['id']}"], 201, {"Location": location})


def _existing(emu: Emulator, request: Request, ctx: RequestContext) -> dict:
    doc = emu.store.get(kinds.DATASETS, ctx.org, ctx.sandbox, request.path_params["id"])
    if doc is None:
        raise catalog.not_found(request.path_params["id"])
    return doc


async def get_dataset(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    doc = _existing(emu, request, ctx)
    return json_response({doc["id"]: catalog.project(doc, request.query_params.get("properties"))})


async def patch_dataset(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    doc = _existing(emu, request, ctx)
    body = await read_json(request, catalog.bad_request)
    updated = catalog.updated(emu.store, ctx, doc, body)
    await emu.store.put(kinds.DATASETS, ctx.org, ctx.sandbox, doc["id"], updated)
    return json_response([f"@/dataSets/{doc['id']}"])


async def delete_dataset(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    dataset_id = request.path_params["id"]
    if emu.store.get(kinds.DATASETS, ctx.org, ctx.sandbox, dataset_id) is None:
        return json_response([])
    await emu.store.delete(kinds.DATASETS, ctx.org, ctx.sandbox, dataset_id)
    return json_response([f"@/dataSets/{dataset_id}"])


async def list_batches(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(catalog.listed_batches(emu.store.list(kinds.BATCHES, ctx.org, ctx.sandbox),
                                                request.query_params))


async def get_batch(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    doc = emu.store.get(kinds.BATCHES, ctx.org, ctx.sandbox, request.path_params["id"])
    if doc is None:
        raise catalog.generic_error(404, f"Batch {request.path_params['id']} not found", title="NotFoundError")
    return json_response({doc["id"]: doc})


ENDPOINTS = [
    Endpoint("/dataSets", ("GET",), list_datasets),
    Endpoint("/dataSets", ("POST",), create_dataset),
    Endpoint("/dataSets/{id}", ("GET",), get_dataset),
    Endpoint("/dataSets/{id}", ("PATCH",), patch_dataset),
    Endpoint("/dataSets/{id}", ("DELETE",), delete_dataset),
    Endpoint("/batches", ("GET",), list_batches),
    Endpoint("/batches/{id}", ("GET",), get_batch),
]


def routes(emu: Emulator) -> list[Route]:
    return platform_routes(emu, BASE, ENDPOINTS, service="catalog")
