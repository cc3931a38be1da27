"""Catalog Service datasets (``/data/foundation/catalog/dataSets``), store kind ``dataSets``.

Lists and lookups answer objects keyed by dataset id. Filters: ``name`` (comma = OR, ``!`` = NOT, ``*``
wildcard), ``property`` (top-level ``==``/``!=``/``<``/``>``/``<=``/``>=``, ``~`` regex, bare = exists),
``properties`` projection, ``limit`` (1–100, default 20), ``start`` offset, ``orderBy=asc:f`` / ``desc:f``."""

from __future__ import annotations

import fnmatch
import re
import secrets
import time
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.routing import Route

from aep_emulator.errors import generic_error
from aep_emulator.gateway import RequestContext, platform_route
from aep_emulator.jsonpatch import PatchError, apply_patch
from aep_emulator.web import json_response, read_json

if TYPE_CHECKING:
    from aep_emulator.app import Emulator

BASE = "/data/foundation/catalog"
KIND = "dataSets"
SCHEMA_KIND = "schemas"
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
SERVER_FIELDS = frozenset({"id", "imsOrg", "created", "updated", "createdClient", "createdUser", "updatedUser",
                           "version", "files", "viewId", "sandboxId"})


def bad_request(message: str):
    return generic_error(400, message)


def routes(emu: Emulator) -> list[Route]:
    async def collection(request: Request, ctx: RequestContext):
        if request.method == "POST":
            return await _create(emu, request, ctx)
        return json_response(_list(emu, request, ctx))

    async def item(request: Request, ctx: RequestContext):
        dataset_id = request.path_params["id"]
        doc = emu.store.get(KIND, ctx.org, ctx.sandbox, dataset_id)
        if request.method == "DELETE":
            if doc is None:
                return json_response([])
            await emu.store.delete(KIND, ctx.org, ctx.sandbox, dataset_id)
            return json_response([f"@/dataSets/{dataset_id}"])
        if doc is None:
            raise generic_error(404, f"Dataset {dataset_id} not found", title="NotFoundError")
        if request.method == "PATCH":
            return await _update(emu, request, ctx, doc)
        return json_response({dataset_id: _project(doc, request.query_params.get("properties"))})

    return [
        platform_route(emu, f"{BASE}/dataSets", collection, ["GET", "POST"], service="catalog"),
        platform_route(emu, f"{BASE}/dataSets/{{id}}", item, ["GET", "PATCH", "DELETE"], service="catalog"),
    ]


async def _create(emu: Emulator, request: Request, ctx: RequestContext):
    body = await read_json(request, bad_request)
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    _validate(emu, ctx, body)
    dataset_id = secrets.token_hex(12)
    now = int(time.time() * 1000)
    doc = {k: v for k, v in body.items() if k not in SERVER_FIELDS}
    doc.update({
        "id": dataset_id, "imsOrg": ctx.org, "sandboxId": ctx.sandbox_id, "tags": body.get("tags", {}),
        "created": now, "updated": now, "createdClient": ctx.client_id, "createdUser": ctx.user,
        "updatedUser": ctx.user, "version": "1.0.0", "files": f"@/dataSetFiles?dataSetId={dataset_id}",
        "viewId": secrets.token_hex(12),
    })
    await emu.store.put(KIND, ctx.org, ctx.sandbox, dataset_id, doc)
    location = f"{emu.base_url(request)}{BASE}/dataSets/{dataset_id}"
    return json_response([f"@/dataSets/{dataset_id}"], 201, {"Location": location})


def _validate(emu: Emulator, ctx: RequestContext, body: dict) -> None:
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise bad_request("Dataset 'name' is required.")
    schema_id = (body.get("schemaRef") or {}).get("id") if isinstance(body.get("schemaRef"), dict) else None
    if not schema_id:
        raise bad_request("Dataset 'schemaRef.id' is required.")
    if emu.store.get(SCHEMA_KIND, ctx.org, ctx.sandbox, schema_id) is None:
        raise bad_request(f"Schema {schema_id} does not exist in sandbox {ctx.sandbox}.")
    tags = body.get("tags", {})
    if not isinstance(tags, dict) or not all(isinstance(v, list) for v in tags.values()):
        raise bad_request("'tags' must be an object of string lists.")


async def _update(emu: Emulator, request: Request, ctx: RequestContext, doc: dict):
    body = await read_json(request, bad_request)
    if isinstance(body, list):
        try:
            updated = apply_patch(doc, body)
        except PatchError as exc:
            raise bad_request(str(exc)) from None
    elif isinstance(body, dict):
        updated = {**doc, **{k: v for k, v in body.items() if k not in SERVER_FIELDS}}
    else:
        raise bad_request("The body must be a JSON object or a JSON Patch array.")
    _validate(emu, ctx, updated)
    updated.update({"updated": int(time.time() * 1000), "updatedUser": ctx.user, "id": doc["id"]})
    await emu.store.put(KIND, ctx.org, ctx.sandbox, doc["id"], updated)
    return json_response([f"@/dataSets/{doc['id']}"])


# --- listing -----------------------------------------------------------------------------------------

def _list(emu: Emulator, request: Request, ctx: RequestContext) -> dict:
    params = request.query_params
    docs = emu.store.list(KIND, ctx.org, ctx.sandbox)
    if "name" in params:
        docs = [d for d in docs if _name_matches(d.get("name", ""), params["name"])]
    for expression in params.getlist("property"):
        docs = [d for d in docs if _property_matches(d, expression)]
    docs = _order(docs, params.get("orderBy"))
    start, limit = _int_param(params, "start", 0, 0, None), _int_param(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    return {d["id"]: _project(d, params.get("properties")) for d in docs[start:start + limit]}


def _name_matches(name: str, expression: str) -> bool:
    """``a,b`` = OR; ``!a`` = NOT; ``*`` is a wildcard."""
    positives = [p for p in expression.split(",") if not p.startswith("!")]
    negatives = [p[1:] for p in expression.split(",") if p.startswith("!")]
    if any(fnmatch.fnmatchcase(name, n) for n in negatives):
        return False
    return not positives or any(fnmatch.fnmatchcase(name, p) for p in positives)


_PROPERTY = re.compile(r"^(!?)([\w.]+)(==|!=|<=|>=|<|>|~)?(.*)$")


def _property_matches(doc: dict, expression: str) -> bool:
    match = _PROPERTY.match(expression)
    if not match:
        raise bad_request(f"Invalid property filter: {expression}")
    negate, field, op, value = match.groups()
    actual = doc.get(field)
    if not op:
        return (actual is None) if negate else (actual is not None)
    if actual is None:
        return op == "!="
    if op == "~":
        return re.search(value, str(actual)) is not None
    return _compare(actual, op, value)


def _compare(actual: Any, op: str, value: str) -> bool:
    if isinstance(actual, (int, float)) and not isinstance(actual, bool):
        try:
            actual, value = actual, float(value)
        except ValueError:
            return op == "!="
    else:
        actual = str(actual)
    return {"==": actual == value, "!=": actual != value, "<": actual < value, ">": actual > value,
            "<=": actual <= value, ">=": actual >= value}[op]


def _order(docs: list[dict], order_by: str | None) -> list[dict]:
    if not order_by:
        return docs
    direction, _, field = order_by.partition(":")
    if direction not in ("asc", "desc") or not field:
        raise bad_request("orderBy must look like asc:<field> or desc:<field>")
    return sorted(docs, key=lambda d: (d.get(field) is None, str(d.get(field)) if not isinstance(
        d.get(field), (int, float)) else d.get(field)), reverse=direction == "desc")


def _int_param(params, name: str, default: int, low: int, high: int | None) -> int:
    raw = params.get(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"'{name}' must be an integer") from None
    if value < low or (high is not None and value > high):
        raise bad_request(f"'{name}' must be between {low} and {high}" if high else f"'{name}' must be >= {low}")
    return value


def _project(doc: dict, properties: str | None) -> dict:
    if not properties:
        return doc
    wanted = {p.strip() for p in properties.split(",")}
    return {k: v for k, v in doc.items() if k in wanted}
