"""Sandboxes: the configured ones plus those added at runtime (store kind ``_sandboxes``), and the
``property`` filter of the Sandbox Management API.

Ids are uuid5(org, name), stable across restarts; configured sandboxes have fixed dates."""

from __future__ import annotations

import re
import time
import uuid
from functools import lru_cache

from aep_emulator.core import kinds
from aep_emulator.core.config import Config, OrgConfig
from aep_emulator.core.errors import generic_error
from aep_emulator.core.store import Store

NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
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


def all_for(config: Config, store: Store, org_id: str) -> list[dict]:
    """Every sandbox of an org (configured first, then runtime ones in creation order); [] for an unknown org."""
    org = config.org(org_id)
    if org is None:
        return []
    return [*_configured(org), *store.list(kinds.SANDBOXES, org_id, "")]


def find(config: Config, store: Store, org_id: str, name: str) -> dict | None:
    """A sandbox of the org by name (runtime sandboxes are stored under their name)."""
    org = config.org(org_id)
    if org is None:
        return None
    configured = next((s for s in _configured(org) if s["name"] == name), None)
    return configured or store.get(kinds.SANDBOXES, org_id, "", name)


def default_name(config: Config, store: Store, org_id: str) -> str:
    """The org's default sandbox (the first one when none is marked default)."""
    org_sandboxes = all_for(config, store, org_id)
    return next((s["name"] for s in org_sandboxes if s["isDefault"]), org_sandboxes[0]["name"])


def add(store: Store, org_id: str, name: str, title: str | None, type_: str | None):
    """Add a runtime sandbox; returns (document, commit awaitable)."""
    created = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    doc = _document(org_id, name, title or name, type_ or "development", False, created)
    return doc, store.put(kinds.SANDBOXES, org_id, "", name, doc)


def filter_by_property(items: list[dict], properties: list[str]) -> list[dict]:
    """``property=name==a,b`` / ``name!=x`` / ``type==development`` (comma = OR, repeated = AND).

    Each clause is split at its first ``!=``, else its first ``==``; anything else is 400."""
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
