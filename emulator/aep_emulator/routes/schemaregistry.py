"""Schema Registry routes (``/data/foundation/schemaregistry``): stats, global classes, tenant field groups
(``/fieldgroups`` and the deprecated ``/mixins`` alias), tenant schemas and descriptors (``/tenant/descriptors``).

Errors use the Schema Registry body of the spec examples (:meth:`xdm.XdmError.body`). Rules:
:mod:`aep_emulator.domain.schemaregistry` and :mod:`aep_emulator.domain.xdm`."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.domain import descriptors, patch, xdm
from aep_emulator.domain import schemaregistry as registry
from aep_emulator.domain.schemaregistry import api_error
from aep_emulator.http.gateway import Endpoint, platform_routes
from aep_emulator.http.web import empty_response, json_response, read_json
from aep_emulator.runtime import Emulator

BASE = "/data/foundation/schemaregistry"
PUBLIC_BASE = "https://platform.adobe.io" + BASE


def _bad_body(message: str):
    return api_error(xdm.bad_request(message))


def _query(request: Request) -> tuple[str, str, int, str | None]:
    params = request.query_params
    orderby = params.get("orderby", "")
    try:
        limit = min(int(params.get("limit", registry.MAX_PAGE)), registry.MAX_PAGE)
    except ValueError:
        raise api_error(xdm.bad_request(f"Invalid limit: {params.get('limit')}")) from None
    if limit < 0:
        raise api_error(xdm.bad_request("limit must be between 0 and 500"))
    return params.get("property", params.get("properties", "")), orderby, limit, params.get("start")


def _list_response(request: Request, kind: str, items: list[dict], fmt: str, orderby: str,
                   next_start: str | None) -> Response:
    results = [xdm.summary(r) if fmt == "id" else r for r in items]
    links: dict = {"next": None}
    if next_start is not None:
        query = {**dict(request.query_params), "start": next_start}
        links["next"] = {"href": f"{PUBLIC_BASE}{request.url.path.removeprefix(BASE)}?{urlencode(query)}"}
    if kind == "schemas":
        links["global_schemas"] = {"href": f"{PUBLIC_BASE}/global/schemas"}
    page = {"orderby": orderby, "next": next_start, "count": len(results)}
    return json_response({"results": results, "_page": page, "_links": links})


async def stats(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    return json_response(registry.stats(emu.store, ctx))


async def list_resources(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    container, kind = request.path_params["container"], request.path_params["kind"]
    try:
        registry.check_path(container, kind)
        fmt = xdm.list_format(request.headers.get("accept"))
        prop, orderby, limit, start = _query(request)
        items = registry.container_items(emu.store, ctx, container, kind)
        if prop:
            items = xdm.resources_matching(items, prop)
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    items, next_start = registry.page(items, orderby, limit, start)
    return _list_response(request, kind, items, fmt, orderby, next_start)


async def get_resource(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    container, kind, raw_id = request.path_params["container"], request.path_params["kind"], request.path_params["id"]
    try:
        registry.check_path(container, kind)
        fmt, major = xdm.lookup_format(request.headers.get("accept"))
        resource = registry.find(emu.store, ctx, kind, raw_id)
        if int(resource["version"].split(".")[0]) != major:
            raise xdm.not_found(raw_id, major)
        if container == "tenant" and resource["meta:containerId"] != "tenant":
            raise xdm.not_found(raw_id, major)
        rendered = xdm.render(resource, fmt, registry.make_lookup(emu.store, ctx.org, ctx.sandbox))
        if fmt == "full-desc" and resource["meta:resourceType"] == "schemas":
            rendered["meta:descriptors"] = descriptors.for_schema(emu.store, ctx, resource["$id"])
        return json_response(rendered)
    except xdm.XdmError as exc:
        raise api_error(exc) from None


async def create_resource(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = request.path_params["kind"]
    try:
        store_kind = registry.check_tenant_kind(kind)
        body = await read_json(request, _bad_body)
        resource = registry.create(emu.store, ctx, kind, body)
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    await emu.store.put(store_kind, ctx.org, ctx.sandbox, resource["$id"], resource)
    return json_response(resource, 201)


async def replace_resource(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    try:
        registry.check_tenant_kind(request.path_params["kind"])
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    body = await read_json(request, _bad_body)
    return await _update(emu, ctx, request, lambda old: body)


async def patch_resource(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    try:
        registry.check_tenant_kind(request.path_params["kind"])
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    operations = await read_json(request, _bad_body)

    def patched(old: dict) -> dict:
        try:
            return xdm.user_body(patch.apply_patch(old, operations))
        except patch.PatchError as exc:
            raise xdm.bad_request(str(exc)) from None
    return await _update(emu, ctx, request, patched)


async def _update(emu: Emulator, ctx: RequestContext, request: Request, new_body) -> Response:
    kind = request.path_params["kind"]
    try:
        resource = registry.replaced(emu.store, ctx, kind, request.path_params["id"], new_body)
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    await emu.store.put(registry.KINDS[kind], ctx.org, ctx.sandbox, resource["$id"], resource)
    return json_response(resource)


async def delete_resource(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    kind = request.path_params["kind"]
    try:
        store_kind = registry.check_tenant_kind(kind)
        resource = registry.tenant_resource(emu.store, ctx, kind, request.path_params["id"])
        registry.check_unused(emu.store, ctx, resource)
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    await emu.store.delete(store_kind, ctx.org, ctx.sandbox, resource["$id"])
    for descriptor in descriptors.for_schema(emu.store, ctx, resource["$id"]):  # they describe the schema only
        await emu.store.delete(kinds.DESCRIPTORS, ctx.org, ctx.sandbox, descriptor["@id"])
    return empty_response(204)


async def list_descriptors(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    try:
        fmt = descriptors.list_format(request.headers.get("accept"))
        prop = request.query_params.get("property", request.query_params.get("properties", ""))
        return json_response(descriptors.listed(emu.store, ctx, fmt, prop))
    except xdm.XdmError as exc:
        raise api_error(exc) from None


async def create_descriptor(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    body = await read_json(request, _bad_body)
    try:
        doc = descriptors.new_descriptor(emu.store, ctx, body)
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    await emu.store.put(kinds.DESCRIPTORS, ctx.org, ctx.sandbox, doc["@id"], doc)
    return json_response(doc, 201)


async def get_descriptor(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    try:
        return json_response(descriptors.find(emu.store, ctx, request.path_params["id"]))
    except xdm.XdmError as exc:
        raise api_error(exc) from None


async def replace_descriptor(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    body = await read_json(request, _bad_body)
    try:
        old = descriptors.find(emu.store, ctx, request.path_params["id"])
        doc = descriptors.replaced(emu.store, ctx, old, body)
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    await emu.store.put(kinds.DESCRIPTORS, ctx.org, ctx.sandbox, doc["@id"], doc)
    return json_response(doc)


async def delete_descriptor(emu: Emulator, request: Request, ctx: RequestContext) -> Response:
    try:
        old = descriptors.find(emu.store, ctx, request.path_params["id"])
        descriptors.check_delete(emu.store, ctx, old)
    except xdm.XdmError as exc:
        raise api_error(exc) from None
    await emu.store.delete(kinds.DESCRIPTORS, ctx.org, ctx.sandbox, old["@id"])
    return empty_response(204)


ENDPOINTS = [
    Endpoint("/tenant/descriptors", ("GET",), list_descriptors),
    Endpoint("/tenant/descriptors", ("POST",), create_descriptor),
    Endpoint("/tenant/descriptors/{id}", ("GET",), get_descriptor),
    Endpoint("/tenant/descriptors/{id}", ("PUT",), replace_descriptor),
    Endpoint("/tenant/descriptors/{id}", ("DELETE",), delete_descriptor),
    Endpoint("/stats", ("GET",), stats),
    Endpoint("/{container}/{kind}", ("GET",), list_resources),
    Endpoint("/tenant/{kind}", ("POST",), create_resource),
    Endpoint("/{container}/{kind}/{id:path}", ("GET",), get_resource),
    Endpoint("/tenant/{kind}/{id:path}", ("PUT",), replace_resource),
    Endpoint("/tenant/{kind}/{id:path}", ("PATCH",), patch_resource),
    Endpoint("/tenant/{kind}/{id:path}", ("DELETE",), delete_resource),
]


def routes(emu: Emulator) -> list[Route]:
    return platform_routes(emu, BASE, ENDPOINTS, service="schemaregistry")
