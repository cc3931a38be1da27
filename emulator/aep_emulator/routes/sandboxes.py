"""Sandboxes: configured ones plus those added at runtime (store kind ``_sandboxes``), and the
Sandbox Management API (``/data/foundation/sandbox-management``)."""

from __future__ import annotations

import time
import uuid
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.routing import Route

from aep_emulator.config import OrgConfig
from aep_emulator.errors import generic_error
from aep_emulator.web import json_response

if TYPE_CHECKING:
    from aep_emulator.app import Emulator
    from aep_emulator.gateway import RequestContext

BASE = "/data/foundation/sandbox-management"
KIND = "_sandboxes"
_CONFIG_DATE = "2024-01-01 00:00:00"


def sandbox_id(org_id: str, name: str) -> str:
    """Stable across restarts: derived from (org, name)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"aep-emulator:{org_id}:{name}"))


def _document(org_id: str, name: str, title: str, type_: str, default: bool, created: str) -> dict:
    return {
        "id": sandbox_id(org_id, name), "name": name, "title": title, "state": "active", "type": type_,
        "region": "VA7", "isDefault": default, "etag": 1, "createdDate": created, "lastModifiedDate": created,
        "createdBy": "aep-emulator", "modifiedBy": "aep-emulator",
    }


@lru_cache(maxsize=256)
def _configured(org: OrgConfig) -> tuple[dict, ...]:
    return tuple(_document(org.id, s.name, s.title, s.type, s.default, _CONFIG_DATE) for s in org.sandboxes)


def all_for(emu: Emulator, org_id: str) -> list[dict]:
    return [*_configured(emu.config.org(org_id)), *emu.store.list(KIND, org_id, "")]


def find(emu: Emulator, org_id: str, name: str) -> dict | None:
    return next((s for s in all_for(emu, org_id) if s["name"] == name), None)


def add(emu: Emulator, org_id: str, name: str, title: str, type_: str):
    """Add a runtime sandbox; returns (document, commit awaitable)."""
    created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    doc = _document(org_id, name, title or name, type_ or "development", False, created)
    return doc, emu.store.put(KIND, org_id, "", name, doc)


# --- Sandbox Management API -------------------------------------------------------------------

def routes(emu: Emulator) -> list[Route]:
    from aep_emulator.gateway import platform_route

    async def list_sandboxes(request: Request, ctx: RequestContext):
        items = all_for(emu, ctx.org)
        items = _filter_by_property(items, request.query_params.getlist("property"))
        return json_response(_page(items, request, "/sandboxes"))

    async def available(request: Request, ctx: RequestContext):
        return json_response(_page(all_for(emu, ctx.org), request, "/"))

    async def get_one(request: Request, ctx: RequestContext):
        sandbox = find(emu, ctx.org, request.path_params["name"])
        if sandbox is None:
            raise generic_error(404, f"Sandbox {request.path_params['name']} not found.")
        return json_response(sandbox)

    opts = {"service": "sandbox-management", "needs_sandbox": False}
    return [
        platform_route(emu, f"{BASE}/sandboxes", list_sandboxes, ["GET"], **opts),
        platform_route(emu, f"{BASE}/sandboxes/{{name}}", get_one, ["GET"], **opts),
        platform_route(emu, f"{BASE}/", available, ["GET"], **opts),
    ]


def _filter_by_property(items: list[dict], properties: list[str]) -> list[dict]:
    """``property=name==a,b`` / ``name!=x`` / ``type==development`` (AND across repeats)."""
    for prop in properties:
        for op in ("!=", "=="):
            field, found, values = prop.partition(op)
            if found:
                wanted = set(values.split(","))
                items = [s for s in items if (str(s.get(field)) in wanted) == (op == "==")]
                break
        else:
            raise generic_error(400, f"Unsupported property filter: {prop}")
    return items


def _page(items: list[dict], request: Request, path: str) -> dict:
    try:
        limit = int(request.query_params.get("limit", 50))
        offset = int(request.query_params.get("offset", 0))
    except ValueError:
        raise generic_error(400, "limit and offset must be integers") from None
    if limit < 1 or offset < 0:
        raise generic_error(400, "limit must be positive and offset non-negative")
    page = items[offset:offset + limit]
    links = {"page": {"href": f"{BASE}{path}?{urlencode({'limit': limit, 'offset': offset})}", "templated": False}}
    if offset + limit < len(items):
        links["next"] = {"href": f"{BASE}{path}?{urlencode({'limit': limit, 'offset': offset + limit})}",
                         "templated": False}
    return {"sandboxes": page, "_page": {"limit": limit, "count": len(items)}, "_links": links}
