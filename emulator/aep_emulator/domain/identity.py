"""Identity Service namespaces (``/data/core/idnamespace``): the standard namespaces (built in, the same in every
sandbox) and the sandbox's custom ones (store kind ``identityNamespaces``, keyed by ``code``).

Shapes follow AEP's "List available identity namespaces" guide: ``{"id", "code", "name", "description",
"idType", "status": "ACTIVE", "custom", "createTime", "updateTime"}``. The standard list is a subset of AEP's;
the numeric ids of CORE (0), ECID (4) and AdCloud (411) are AEP's documented ones, the others are the emulator's
[UNVERIFIED]. AEP has no standard ``CRMID`` namespace: create it as a custom namespace."""

from __future__ import annotations

import re
import time
from typing import Any

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.core.errors import ApiError, generic_error
from aep_emulator.core.store import Store

ID_TYPES = ("COOKIE", "CROSS_DEVICE", "DEVICE", "EMAIL", "MOBILE", "NON_PEOPLE", "PHONE")
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
_STANDARD_TIME = 1495153678000
_CUSTOM_ID_BASE = 10_000_000

_STANDARD = [
    (0, "CORE", "CORE", "COOKIE", "CORE Namespace"),
    (4, "ECID", "ECID", "COOKIE", "ECID Namespace"),
    (6, "Email", "Email", "EMAIL", "Email Namespace"),
    (7, "Phone", "Phone", "PHONE", "Phone Namespace"),
    (8, "WAID", "Windows AID", "DEVICE", "Windows AID Namespace"),
    (9, "TNTID", "Adobe Target", "CROSS_DEVICE", "Adobe Target (TNTID) Namespace"),
    (10, "AAID", "Adobe Analytics (Legacy ID)", "COOKIE", "Adobe Analytics (AAID) Namespace"),
    (11, "Email_LC_SHA256", "Emails (SHA256, lowercased)", "EMAIL", "SHA256 of lowercased email addresses"),
    (12, "Phone_E.164", "Phone (E.164)", "PHONE", "Phone numbers in E.164 format"),
    (20914, "GAID", "Google Ad ID (GAID)", "DEVICE", "Google Advertising ID"),
    (20915, "IDFA", "Apple IDFA (ID for Advertisers)", "DEVICE", "Apple ID for Advertisers"),
    (411, "AdCloud", "AdCloud", "COOKIE", "Adobe AdCloud - ID Syncing Partner"),
]
STANDARD = [{"updateTime": _STANDARD_TIME, "code": code, "status": "ACTIVE", "description": description, "id": ns_id,
             "createTime": _STANDARD_TIME, "idType": id_type, "name": name, "custom": False}
            for ns_id, code, name, id_type, description in _STANDARD]


def bad_request(detail: str) -> ApiError:
    return generic_error(400, detail)


def namespaces(store: Store, ctx: RequestContext) -> list[dict]:
    """Every namespace visible in the sandbox: standard first, then custom in creation order."""
    return [*STANDARD, *store.list(kinds.IDENTITY_NAMESPACES, ctx.org, ctx.sandbox)]


def find(store: Store, ctx: RequestContext, code: str) -> dict | None:
    """A namespace by its ``code``, case-insensitively (the code is what descriptors name in ``xdm:namespace``)."""
    wanted = code.lower()
    return next((ns for ns in namespaces(store, ctx) if ns["code"].lower() == wanted), None)


def by_id(store: Store, ctx: RequestContext, raw_id: str) -> dict:
    """A namespace by its numeric ``id`` (404 otherwise)."""
    found = next((ns for ns in namespaces(store, ctx) if str(ns["id"]) == raw_id), None)
    if found is None:
        raise generic_error(404, f"Identity namespace {raw_id} not found")
    return found


def new_namespace(store: Store, ctx: RequestContext, body: Any) -> dict:
    """A custom namespace from ``{"name", "code", "idType", "description"?}`` (400 bad field, 409 code taken)."""
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.")
    for field in ("name", "code", "idType"):
        if not isinstance(body.get(field), str) or not body[field].strip():
            raise bad_request(f"'{field}' is required and must be a non-empty string.")
    if not _CODE.match(body["code"]):
        raise bad_request("'code' may hold letters, digits, '_', '.' and '-' only (1 to 64 characters).")
    if body["idType"] not in ID_TYPES:
        raise bad_request(f"'idType' must be one of {', '.join(ID_TYPES)}.")
    if "description" in body and not isinstance(body["description"], str):
        raise bad_request("'description' must be a string.")
    if find(store, ctx, body["code"]) is not None:
        raise generic_error(409, f"An identity namespace with code '{body['code']}' already exists.")
    now = int(time.time() * 1000)
    return {"updateTime": now, "code": body["code"], "status": "ACTIVE", "description": body.get("description", ""),
            "id": _CUSTOM_ID_BASE + len(store.list(kinds.IDENTITY_NAMESPACES, ctx.org, ctx.sandbox)),
            "createTime": now, "idType": body["idType"], "name": body["name"], "custom": True}
