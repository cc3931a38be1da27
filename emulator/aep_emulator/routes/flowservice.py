"""Flow Service routes (``/data/foundation/flowservice``): the spec catalogue, base/source/target
connections, flows (with their enable/disable action) and runs. Rules: :mod:`aep_emulator.domain.flowservice`;
list queries: :mod:`aep_emulator.domain.flowquery`."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.domain import flowservice as rules
from aep_emulator.domain import specs
from aep_emulator.domain.flowquery import run_query
from aep_emulator.http.gateway import Endpoint, platform_routes
from aep_emulator.http.web import empty_response, json_response, read_json
from aep_emulator.runtime import Emulator

BASE = "/data/foundation/flowservice"
SERVICE = "flowservice"
CATALOGUES = {"connectionSpecs": specs.connection_specs, "flowSpecs": specs.flow_specs}


def _kind(request: Request) -> str:
    """The collection of ``/{kind}`` or ``/{kind}/{id}`` (the first path segment after the base)."""
    return request.scope["path"][len(BASE) + 1:].split("/", 1)[0]


# --- catalogue ---------------------------------------------------------------------------------------

async def list_specs(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = _kind(request)
    return json_response(run_query(list(CATALOGUES[kind]().values()), request.query_params, f"/{kind}"))


async def get_spec(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = _kind(request)
    spec = CATALOGUES[kind]().get(request.path_params["id"])
    if spec is None:
        raise rules.not_found(kind, request.path_params["id"])
    return json_response({"items": [spec]})


# --- connections and flows ---------------------------------------------------------------------------

async def list_objects(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = _kind(request)
    docs = [rules.public_view(kind, d) for d in emu.store.list(kind, ctx.org, ctx.sandbox)]
    return json_response(run_query(docs, request.query_params, f"/{kind}"))


async def create_object(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = _kind(request)
    body = await read_json(request, rules.body_error)
    doc = rules.new_object(emu.store, kind, ctx, body, emu.base_url(request))
    await emu.store.put(kind, ctx.org, ctx.sandbox, doc["id"], doc)
    await rules.after_create(emu.store, kind, ctx, doc)
    return json_response({"id": doc["id"], "etag": doc["etag"]}, 201)


def _existing(emu: Emulator, request: Request, ctx: RequestContext, kind: str) -> dict:
    doc = emu.store.get(kind, ctx.org, ctx.sandbox, request.path_params["id"])
    if doc is None:
        raise rules.not_found(kind, request.path_params["id"])
    return doc


async def get_object(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = _kind(request)
    return json_response({"items": [rules.public_view(kind, _existing(emu, request, ctx, kind))]})


async def patch_object(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = _kind(request)
    doc = _existing(emu, request, ctx, kind)
    rules.check_if_match(request.headers.get("if-match"), doc, required=True)
    operations = await read_json(request, rules.body_error)
    patched = rules.patched(emu.store, kind, ctx, doc, operations)
    await emu.store.put(kind, ctx.org, ctx.sandbox, doc["id"], patched)
    return json_response({"id": doc["id"], "etag": patched["etag"]})


async def delete_object(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = _kind(request)
    doc = _existing(emu, request, ctx, kind)
    rules.check_delete(emu.store, kind, ctx, doc)
    await emu.store.delete(kind, ctx.org, ctx.sandbox, doc["id"])
    await rules.after_delete(emu.store, kind, ctx, doc)
    return empty_response(204)


async def flow_action(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    doc = _existing(emu, request, ctx, kinds.FLOWS)
    rules.check_if_match(request.headers.get("if-match"), doc, required=False)
    updated = rules.with_action(doc, ctx, request.query_params.get("op", "").lower())
    await emu.store.put(kinds.FLOWS, ctx.org, ctx.sandbox, doc["id"], updated)
    return json_response({"id": doc["id"], "etag": updated["etag"]})


# --- runs --------------------------------------------------------------------------------------------

def _run_documents(emu: Emulator, ctx: RequestContext) -> list[dict]:
    flows = {f["id"]: f for f in emu.store.list(kinds.FLOWS, ctx.org, ctx.sandbox)}
    return emu.runs.documents(ctx.org, ctx.sandbox, flows)


async def list_runs(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(run_query(_run_documents(emu, ctx), request.query_params, "/runs"))


async def get_run(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    run_id = request.path_params["id"]
    run = next((r for r in _run_documents(emu, ctx) if r["id"] == run_id), None)
    if run is None:
        raise rules.not_found("runs", run_id)
    return json_response({"items": [run]})


ENDPOINTS = [  # the hot paths first: the router tries one path after the other
    *(Endpoint(f"/{kind}/{{id}}", ("GET",), get_object) for kind in kinds.FLOW_SERVICE_KINDS),
    *(Endpoint(f"/{kind}/{{id}}", ("PATCH",), patch_object) for kind in kinds.FLOW_SERVICE_KINDS),
    *(Endpoint(f"/{kind}/{{id}}", ("DELETE",), delete_object) for kind in kinds.FLOW_SERVICE_KINDS),
    *(Endpoint(f"/{kind}", ("GET",), list_objects) for kind in kinds.FLOW_SERVICE_KINDS),
    *(Endpoint(f"/{kind}", ("POST",), create_object) for kind in kinds.FLOW_SERVICE_KINDS),
    Endpoint("/flows/{id}/action", ("POST",), flow_action),
    Endpoint("/runs", ("GET",), list_runs),
    Endpoint("/runs/{id}", ("GET",), get_run),
    *(Endpoint(f"/{kind}", ("GET",), list_specs) for kind in CATALOGUES),
    *(Endpoint(f"/{kind}/{{id}}", ("GET",), get_spec) for kind in CATALOGUES),
]


def routes(emu: Emulator) -> list[Route]:
    return platform_routes(emu, BASE, ENDPOINTS, service=SERVICE)
