"""Schema Registry API (``/data/foundation/schemaregistry``): stats, global classes, tenant field groups
(``/fieldgroups`` and the deprecated ``/mixins`` alias) and tenant schemas.

Store kinds (keyed by ``$id``): ``fieldgroups`` and ``schemas``; each document is the raw (``xed``)
resource. Errors use the Schema Registry body of the spec examples (:meth:`xdm.XdmError.body`).
Helpers for other services: :func:`find_schema`, :func:`schema_fields`, :func:`make_lookup`."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from aep_emulator import xdm
from aep_emulator.errors import ApiError
from aep_emulator.gateway import RequestContext, platform_route
from aep_emulator.jsonpatch import PatchError, apply_patch
from aep_emulator.web import empty_response, json_response, read_json

if TYPE_CHECKING:
    from aep_emulator.app import Emulator
    from aep_emulator.store import Store

BASE = "/data/foundation/schemaregistry"
PUBLIC_BASE = "https://platform.adobe.io" + BASE
KINDS = {"fieldgroups": "fieldgroups", "mixins": "fieldgroups", "schemas": "schemas"}
MAX_PAGE = 300


def api_error(exc: xdm.XdmError) -> ApiError:
    return ApiError(exc.status, exc.body())


# --- helpers for other services ----------------------------------------------------------------------

def make_lookup(store: Store, org: str, sandbox: str) -> xdm.Lookup:
    """``lookup($id or meta:altId)`` over global resources and the sandbox's tenant field groups."""
    def lookup(ref: str) -> dict | None:
        resource_id = xdm.to_id(ref)
        return xdm.GLOBAL.get(resource_id) or store.get("fieldgroups", org, sandbox, resource_id)
    return lookup


def find_schema(store: Store, org: str, sandbox: str, schema_id: str) -> dict | None:
    """A tenant schema by ``$id`` or ``meta:altId`` (None when absent in that sandbox)."""
    return store.get("schemas", org, sandbox, xdm.to_id(schema_id))


def schema_fields(store: Store, org: str, sandbox: str, schema: dict) -> tuple[dict[str, str], list[str]]:
    """(field path -> XDM type, required paths) of a schema, resolved against the current field groups."""
    resolved = xdm.resolve(schema, make_lookup(store, org, sandbox))
    return xdm.field_paths(resolved), xdm.required_paths(resolved)


def _context(ctx: RequestContext) -> xdm.Context:
    return xdm.Context(tenant=ctx.tenant, org=ctx.org, sandbox_id=ctx.sandbox_id, sandbox_type=ctx.sandbox_type,
                       client_id=ctx.client_id, user_id=ctx.user)


# --- listing -----------------------------------------------------------------------------------------

def _container_items(emu: Emulator, ctx: RequestContext, container: str, kind: str) -> list[dict]:
    if container == "global":
        wanted = {"classes": "classes", "fieldgroups": "mixins", "mixins": "mixins"}.get(kind)
        return [r for r in xdm.GLOBAL.values() if r["meta:resourceType"] == wanted]
    if kind == "classes":
        return []
    return emu.store.list(KINDS[kind], ctx.org, ctx.sandbox)


def _query(request: Request) -> tuple[str, str, int, str | None]:
    params = request.query_params
    orderby = params.get("orderby", "")
    try:
        limit = min(int(params.get("limit", MAX_PAGE)), MAX_PAGE)
    except ValueError:
        raise api_error(xdm.bad_request(f"Invalid limit: {params.get('limit')}")) from None
    if limit < 0:
        raise api_error(xdm.bad_request("limit must be between 0 and 500"))
    return params.get("property", params.get("properties", "")), orderby, limit, params.get("start")


def _page(items: list[dict], orderby: str, limit: int, start: str | None) -> tuple[list[dict], str | None]:
    """Sort by the primary ``orderby`` key (``-`` = descending), skip up to ``start``, cut at ``limit``."""
    if orderby:
        keys = [k.strip() for k in orderby.split(",") if k.strip()]
        for key in reversed(keys):
            name = key.lstrip("-+")
            items = sorted(items, key=lambda r: str(r.get(name, "")), reverse=key.startswith("-"))
        primary = keys[0].lstrip("-+")
        descending = keys[0].startswith("-")
        if start is not None:
            items = [r for r in items
                     if (str(r.get(primary, "")) < start if descending else str(r.get(primary, "")) > start)]
        if len(items) > limit:
            return items[:limit], str(items[limit - 1].get(primary, "")) if limit else None
        return items, None
    return items[:limit], None


def _list_response(request: Request, kind: str, items: list[dict], fmt: str, orderby: str, next_start: str | None):
    results = [xdm.summary(r) if fmt == "id" else r for r in items]
    links: dict = {"next": None}
    if next_start is not None:
        query = {**dict(request.query_params), "start": next_start}
        links["next"] = {"href": f"{PUBLIC_BASE}{request.url.path.removeprefix(BASE)}?{urlencode(query)}"}
    if kind == "schemas":
        links["global_schemas"] = {"href": f"{PUBLIC_BASE}/global/schemas"}
    page = {"orderby": orderby, "next": next_start, "count": len(results)}
    return json_response({"results": results, "_page": page, "_links": links})


# --- routes -----------------------------------------------------------------------------------------

def routes(emu: Emulator) -> list[Route]:
    def find(ctx: RequestContext, kind: str, raw_id: str) -> dict:
        resource_id = xdm.to_id(raw_id)
        if kind == "classes":
            resource = xdm.GLOBAL.get(resource_id)
            resource = resource if resource and resource["meta:resourceType"] == "classes" else None
        elif resource_id in xdm.GLOBAL and kind != "schemas":
            resource = xdm.GLOBAL[resource_id]
        else:
            resource = emu.store.get(KINDS[kind], ctx.org, ctx.sandbox, resource_id)
        if resource is None:
            raise api_error(xdm.not_found(raw_id))
        return resource

    async def stats(request: Request, ctx: RequestContext):
        schemas = emu.store.list("schemas", ctx.org, ctx.sandbox)
        groups = emu.store.list("fieldgroups", ctx.org, ctx.sandbox)
        recent = sorted(schemas + groups, key=lambda r: r["meta:registryMetadata"]["repo:createdDate"], reverse=True)
        updated = sorted(schemas + groups, key=lambda r: r["meta:registryMetadata"]["repo:lastModifiedDate"],
                         reverse=True)
        usage = [{"$id": c["$id"], "title": c["title"],
                  "numberOfSchemas": sum(s["meta:class"] == c["$id"] for s in schemas),
                  "schemas": [{"$id": s["$id"], "title": s["title"], "description": s.get("description", "")}
                              for s in schemas if s["meta:class"] == c["$id"]]}
                 for c in xdm.GLOBAL_CLASSES]
        return json_response({
            "imsOrg": ctx.org, "tenantId": ctx.tenant,
            "counts": {"schemas": len(schemas), "mixins": len(groups), "datatypes": 0, "classes": 0, "unions": 0},
            "recentlyCreatedResources": [{**xdm.summary(r), "meta:resourceType": r["meta:resourceType"]}
                                         for r in recent[:5]],
            "recentlyUpdatedResources": [{**xdm.summary(r), "meta:resourceType": r["meta:resourceType"]}
                                         for r in updated[:5]],
            "classUsage": usage,
        })

    async def list_resources(request: Request, ctx: RequestContext):
        container, kind = request.path_params["container"], request.path_params["kind"]
        _check_container(container, kind)
        try:
            fmt = xdm.list_format(request.headers.get("accept"))
        except xdm.XdmError as exc:
            raise api_error(exc) from None
        prop, orderby, limit, start = _query(request)
        items = _container_items(emu, ctx, container, kind)
        if prop:
            items = xdm.resources_matching(items, prop)
        items, next_start = _page(items, orderby, limit, start)
        return _list_response(request, kind, items, fmt, orderby, next_start)

    async def get_resource(request: Request, ctx: RequestContext):
        container, kind = request.path_params["container"], request.path_params["kind"]
        _check_container(container, kind)
        try:
            fmt, major = xdm.lookup_format(request.headers.get("accept"))
            resource = find(ctx, kind, request.path_params["id"])
            if int(resource["version"].split(".")[0]) != major:
                raise xdm.not_found(request.path_params["id"], major)
            if container == "tenant" and resource["meta:containerId"] != "tenant":
                raise xdm.not_found(request.path_params["id"], major)
            return json_response(xdm.render(resource, fmt, make_lookup(emu.store, ctx.org, ctx.sandbox)))
        except xdm.XdmError as exc:
            raise api_error(exc) from None

    async def create(request: Request, ctx: RequestContext):
        kind = _tenant_kind(request)
        body = await read_json(request, lambda msg: api_error(xdm.bad_request(msg)))
        lookup = make_lookup(emu.store, ctx.org, ctx.sandbox)
        try:
            if KINDS[kind] == "schemas":
                resource = xdm.new_schema(body, _context(ctx), lookup)
            else:
                xdm.validate_field_group_body(body, ctx.tenant, lookup)
                resource = xdm.new_field_group(body, _context(ctx))
        except xdm.XdmError as exc:
            raise api_error(exc) from None
        await emu.store.put(KINDS[kind], ctx.org, ctx.sandbox, resource["$id"], resource)
        return json_response(resource, 201)

    async def replace(request: Request, ctx: RequestContext):
        kind = _tenant_kind(request)
        body = await read_json(request, lambda msg: api_error(xdm.bad_request(msg)))
        return await _update(ctx, kind, request.path_params["id"], lambda old: body)

    async def patch(request: Request, ctx: RequestContext):
        kind = _tenant_kind(request)
        operations = await read_json(request, lambda msg: api_error(xdm.bad_request(msg)))

        def patched(old: dict) -> dict:
            try:
                return xdm.user_body(apply_patch(old, operations))
            except PatchError as exc:
                raise api_error(xdm.bad_request(str(exc))) from None
        return await _update(ctx, kind, request.path_params["id"], patched)

    async def _update(ctx: RequestContext, kind: str, raw_id: str, new_body):
        try:
            old = _tenant_resource(ctx, kind, raw_id)
            body = new_body(old)
            resource = xdm.replace_resource(old, body, _context(ctx), make_lookup(emu.store, ctx.org, ctx.sandbox))
        except xdm.XdmError as exc:
            raise api_error(exc) from None
        await emu.store.put(KINDS[kind], ctx.org, ctx.sandbox, resource["$id"], resource)
        return json_response(resource)

    async def delete(request: Request, ctx: RequestContext):
        kind = _tenant_kind(request)
        try:
            resource = _tenant_resource(ctx, kind, request.path_params["id"])
            _check_unused(ctx, resource)
        except xdm.XdmError as exc:
            raise api_error(exc) from None
        await emu.store.delete(KINDS[kind], ctx.org, ctx.sandbox, resource["$id"])
        return empty_response(204)

    def _tenant_resource(ctx: RequestContext, kind: str, raw_id: str) -> dict:
        resource = emu.store.get(KINDS[kind], ctx.org, ctx.sandbox, xdm.to_id(raw_id))
        if resource is None:
            raise xdm.not_found(raw_id)
        return resource

    def _check_unused(ctx: RequestContext, resource: dict) -> None:
        if resource["meta:resourceType"] == "schemas":
            users = [d.get("name", key) for key, d in _datasets(ctx) if _schema_ref(d) == resource["$id"]]
            what = "dataset(s)"
        else:
            users = [s["title"] for s in emu.store.list("schemas", ctx.org, ctx.sandbox)
                     if resource["$id"] in s.get("refs", [])]
            what = "schema(s)"
        if users:
            raise xdm.XdmError("XDM-1014-409", "Resource in use",
                               f"{resource['$id']} cannot be deleted: it is used by {what} {', '.join(users)}")

    def _datasets(ctx: RequestContext) -> list[tuple[str, dict]]:
        return [(d.get("id", ""), d) for d in emu.store.list("dataSets", ctx.org, ctx.sandbox)]

    def route(path: str, endpoint, methods: list[str]) -> Route:
        return platform_route(emu, BASE + path, endpoint, methods, service="schemaregistry")

    return [
        route("/stats", stats, ["GET"]),
        route("/{container}/{kind}", list_resources, ["GET"]),
        route("/tenant/{kind}", create, ["POST"]),
        route("/{container}/{kind}/{id:path}", get_resource, ["GET"]),
        route("/tenant/{kind}/{id:path}", replace, ["PUT"]),
        route("/tenant/{kind}/{id:path}", patch, ["PATCH"]),
        route("/tenant/{kind}/{id:path}", delete, ["DELETE"]),
    ]


def _schema_ref(dataset: dict) -> str | None:
    ref = dataset.get("schemaRef") or {}
    return xdm.to_id(ref["id"]) if isinstance(ref.get("id"), str) else None


def _tenant_kind(request: Request) -> str:
    kind = request.path_params["kind"]
    if kind not in KINDS:
        raise api_error(xdm.XdmError("XDM-1011-404", "Not Found", f"Unknown resource path /tenant/{kind}"))
    return kind


def _check_container(container: str, kind: str) -> None:
    if container not in ("global", "tenant") or kind not in ("classes", *KINDS):
        raise api_error(xdm.XdmError("XDM-1011-404", "Not Found", f"Unknown resource path /{container}/{kind}"))
