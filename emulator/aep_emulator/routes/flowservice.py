"""Flow Service (``/data/foundation/flowservice``): the spec catalogue, base/source/target connections,
flows (with their enable/disable action) and runs.

Objects are store documents of kind ``connections``, ``sourceConnections``, ``targetConnections`` and
``flows``, isolated per (org, sandbox). The per-kind rules (validation, delete guards) live in
:mod:`aep_emulator.flowrules`."""

from __future__ import annotations

import secrets
import time
import uuid
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.routing import Route

from aep_emulator import flowrules, specs
from aep_emulator.errors import flow_error
from aep_emulator.flowquery import run_query
from aep_emulator.gateway import RequestContext, platform_route
from aep_emulator.jsonpatch import PatchError, apply_patch
from aep_emulator.web import empty_response, json_response, read_json

if TYPE_CHECKING:
    from aep_emulator.app import Emulator

BASE = "/data/foundation/flowservice"
SERVICE = "flowservice"
# Fields the platform owns: a PATCH may not change them.
SYSTEM_FIELDS = frozenset({
    "id", "createdAt", "updatedAt", "createdBy", "updatedBy", "createdClient", "updatedClient", "sandboxId",
    "sandboxName", "imsOrgId", "etag", "version", "inheritedAttributes", "runs", "lastOperation", "providerRefId",
    "state", "flowSpec", "connectionSpec",
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


def body_error(message: str):
    return flow_error("1405-400", message)


def not_found(kind: str, object_id: str):
    code = "1439-404" if kind == "flows" else "1101-404"
    return flow_error(code, f"The requested {kind} resource {object_id} is not found. "
                            "Verify the resource ID before trying again.", id=object_id, type=kind)


def routes(emu: Emulator) -> list[Route]:
    def route(path: str, endpoint, methods: list[str]) -> Route:
        return platform_route(emu, BASE + path, endpoint, methods, service=SERVICE)

    result = [
        route("/connectionSpecs", _catalogue_list(specs.connection_specs, "/connectionSpecs"), ["GET"]),
        route("/connectionSpecs/{id}", _catalogue_get(specs.connection_specs, "connectionSpecs"), ["GET"]),
        route("/flowSpecs", _catalogue_list(specs.flow_specs, "/flowSpecs"), ["GET"]),
        route("/flowSpecs/{id}", _catalogue_get(specs.flow_specs, "flowSpecs"), ["GET"]),
        route("/runs", _runs_list(emu), ["GET"]),
        route("/runs/{id}", _runs_get(emu), ["GET"]),
        route("/flows/{id}/action", _flow_action(emu), ["POST"]),
    ]
    for kind in flowrules.KINDS:
        result += [
            route(f"/{kind}", _collection(emu, kind), ["GET", "POST"]),
            route(f"/{kind}/{{id}}", _item(emu, kind), ["GET", "PATCH", "DELETE"]),
        ]
    return result


# --- catalogue ---------------------------------------------------------------------------------

def _catalogue_list(source, path: str):
    async def handler(request: Request, ctx: RequestContext):
        return json_response(run_query(list(source().values()), request.query_params, path))
    return handler


def _catalogue_get(source, kind: str):
    async def handler(request: Request, ctx: RequestContext):
        spec = source().get(request.path_params["id"])
        if spec is None:
            raise not_found(kind, request.path_params["id"])
        return json_response({"items": [spec]})
    return handler


# --- connections and flows -----------------------------------------------------------------------

def _collection(emu: Emulator, kind: str):
    async def handler(request: Request, ctx: RequestContext):
        if request.method == "GET":
            docs = [flowrules.public_view(kind, d) for d in emu.store.list(kind, ctx.org, ctx.sandbox)]
            return json_response(run_query(docs, request.query_params, f"/{kind}"))
        return await _create(emu, kind, request, ctx)
    return handler


async def _create(emu: Emulator, kind: str, request: Request, ctx: RequestContext):
    body = await read_json(request, body_error)
    if not isinstance(body, dict):
        raise body_error("The request body must be a JSON object.")
    object_id = str(uuid.uuid4())
    doc = {**system_fields(ctx, object_id), **flowrules.build(emu, kind, ctx, body, object_id, emu.base_url(request))}
    await emu.store.put(kind, ctx.org, ctx.sandbox, object_id, doc)
    await flowrules.after_create(emu, kind, ctx, doc)
    return json_response({"id": object_id, "etag": doc["etag"]}, 201)


def _item(emu: Emulator, kind: str):
    async def handler(request: Request, ctx: RequestContext):
        object_id = request.path_params["id"]
        doc = emu.store.get(kind, ctx.org, ctx.sandbox, object_id)
        if doc is None:
            raise not_found(kind, object_id)
        if request.method == "GET":
            return json_response({"items": [flowrules.public_view(kind, doc)]})
        if request.method == "DELETE":
            flowrules.check_delete(emu, kind, ctx, doc)
            await emu.store.delete(kind, ctx.org, ctx.sandbox, object_id)
            await flowrules.after_delete(emu, kind, ctx, doc)
            return empty_response(204)
        return await _patch(emu, kind, request, ctx, doc)
    return handler


def check_if_match(request: Request, doc: dict, required: bool) -> None:
    supplied = request.headers.get("if-match")
    if not supplied:
        if required:
            raise flow_error("1403-400", "Header If-Match is missing in the request.", header="If-Match")
        return
    if supplied.strip().strip('"') != doc["etag"].strip('"'):
        raise flow_error("1404-412", "Version not matching: the supplied If-Match version does not match the "
                                     f"entity version {doc['etag']}.", id=doc["id"])


async def _patch(emu: Emulator, kind: str, request: Request, ctx: RequestContext, doc: dict):
    check_if_match(request, doc, required=True)
    operations = await read_json(request, body_error)
    try:
        patched = apply_patch(doc, operations)
    except PatchError as exc:
        raise flow_error("1434-400" if exc.unsupported else "1455-400", str(exc)) from None
    _reject_system_changes(doc, patched)
    patched = flowrules.revalidate(emu, kind, ctx, patched)
    patched = touched(patched, ctx)
    if kind == "flows":
        patched["lastOperation"] = flowrules.operation("update", ops=operations)
    await emu.store.put(kind, ctx.org, ctx.sandbox, doc["id"], patched)
    return json_response({"id": doc["id"], "etag": patched["etag"]})


def _reject_system_changes(before: dict, after: dict) -> None:
    for field in SYSTEM_FIELDS:
        if before.get(field) != after.get(field):
            if field == "connectionSpec":
                raise flow_error("1414-400", "The connection spec of a connection cannot be changed.")
            raise flow_error("1455-400", f"Field /{field} cannot be updated.")


def _flow_action(emu: Emulator):
    async def handler(request: Request, ctx: RequestContext):
        flow_id = request.path_params["id"]
        doc = emu.store.get("flows", ctx.org, ctx.sandbox, flow_id)
        if doc is None:
            raise not_found("flows", flow_id)
        check_if_match(request, doc, required=False)
        op = request.query_params.get("op", "").lower()
        target = {"enable": "enabled", "disable": "disabled"}.get(op)
        if target is None:
            raise flow_error("1400-400", f"Unsupported action op '{op}': use enable or disable.")
        if doc.get("state") == target:
            raise flow_error("1422-400", f"action {op} cannot be applied on the current state {doc['state']}")
        updated = {**touched(doc, ctx), "state": target, "lastOperation": flowrules.operation(op)}
        await emu.store.put("flows", ctx.org, ctx.sandbox, flow_id, updated)
        return json_response({"id": flow_id, "etag": updated["etag"]})
    return handler


# --- runs ----------------------------------------------------------------------------------------

def _run_documents(emu: Emulator, ctx: RequestContext) -> list[dict]:
    flows = {f["id"]: f for f in emu.store.list("flows", ctx.org, ctx.sandbox)}
    return emu.runs.documents(ctx.org, ctx.sandbox, flows)


def _runs_list(emu: Emulator):
    async def handler(request: Request, ctx: RequestContext):
        return json_response(run_query(_run_documents(emu, ctx), request.query_params, "/runs"))
    return handler


def _runs_get(emu: Emulator):
    async def handler(request: Request, ctx: RequestContext):
        run_id = request.path_params["id"]
        run = next((r for r in _run_documents(emu, ctx) if r["id"] == run_id), None)
        if run is None:
            raise not_found("runs", run_id)
        return json_response({"items": [run]})
    return handler
