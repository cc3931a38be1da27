"""Schema Registry descriptors (``/data/foundation/schemaregistry/tenant/descriptors``), store kind
``descriptors`` keyed by ``@id``. Identity descriptors only (``xdm:descriptorIdentity``), as the collection uses.

Body (AEP's descriptors guide)::

    {"@type": "xdm:descriptorIdentity", "xdm:sourceSchema": "<schema $id>", "xdm:sourceVersion": 1,
     "xdm:sourceProperty": "/_tenant/email", "xdm:namespace": "Email", "xdm:property": "xdm:code",
     "xdm:isPrimary": false}

Rules: the schema is a tenant schema of the sandbox; ``xdm:sourceProperty`` is a JSON pointer to a ``string``
field of it; ``xdm:namespace`` is the code of a namespace of Identity Service (standard or custom);
``xdm:property`` is ``xdm:code`` (default) or ``xdm:id``; at most one identity descriptor per field and one primary
identity per schema; the primary identity of a schema enabled for Profile cannot be deleted, demoted or moved.
Errors are Schema Registry bodies; codes other than 1000-400 / 1012-404 are the emulator's [UNVERIFIED]."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.core.store import Store
from aep_emulator.domain import evolution, identity, schemaregistry, xdm

IDENTITY = "xdm:descriptorIdentity"
DUPLICATE_CODE = "XDM-1023-400"
USER_FIELDS = ("@type", "xdm:sourceSchema", "xdm:sourceVersion", "xdm:sourceProperty", "xdm:namespace",
               "xdm:property", "xdm:isPrimary")
LIST_FORMATS = {"application/vnd.adobe.xdm-link+json": "link", "application/vnd.adobe.xdm-id+json": "id",
                "application/vnd.adobe.xdm+json": "xdm", "application/vnd.adobe.xdm-v2+json": "v2"}


def _bad(detail: str) -> xdm.XdmError:
    return xdm.bad_request(detail)


def pointer_to_path(pointer: str) -> str:
    """``/_tenant/email`` -> ``_tenant.email``."""
    return ".".join(part.replace("~1", "/").replace("~0", "~") for part in pointer.strip("/").split("/"))


def validated(store: Store, ctx: RequestContext, body: Any, own_id: str | None = None) -> dict:
    """The user fields of a valid identity descriptor body (raises :class:`xdm.XdmError`)."""
    if not isinstance(body, dict):
        raise _bad("The descriptor must be a JSON object")
    if body.get("@type") != IDENTITY:
        raise _bad(f"Unsupported descriptor '@type' {body.get('@type')!r}: the emulator implements {IDENTITY}")
    schema_id = body.get("xdm:sourceSchema")
    schema = schemaregistry.find_schema(store, ctx.org, ctx.sandbox, schema_id) if isinstance(schema_id, str) else None
    if schema is None:
        raise _bad(f"'xdm:sourceSchema' must name a schema of the sandbox, got {schema_id!r}")
    version = body.get("xdm:sourceVersion", 1)
    if isinstance(version, bool) or version != int(schema["version"].split(".")[0]):
        raise _bad(f"'xdm:sourceVersion' must be the schema's major version (1), got {version!r}")
    pointer = body.get("xdm:sourceProperty")
    if not isinstance(pointer, str) or not pointer.startswith("/"):
        raise _bad("'xdm:sourceProperty' must be a JSON pointer to a field of the schema, e.g. '/_tenant/email'")
    fields, _required = schemaregistry.schema_fields(store, ctx.org, ctx.sandbox, schema)
    path = pointer_to_path(pointer)
    if path not in fields:
        raise _bad(f"'xdm:sourceProperty' {pointer} is not a field of schema {schema['$id']}")
    if fields[path] != "string":
        raise _bad(f"'xdm:sourceProperty' {pointer} is of type {fields[path]}: an identity field must be a string")
    namespace = body.get("xdm:namespace")
    if not isinstance(namespace, str) or identity.find(store, ctx, namespace) is None:
        raise _bad(f"'xdm:namespace' {namespace!r} is not an identity namespace of the sandbox (GET "
                   "/data/core/idnamespace/identities lists them)")
    prop = body.get("xdm:property", "xdm:code")
    if prop not in ("xdm:code", "xdm:id"):
        raise _bad(f"'xdm:property' must be 'xdm:code' or 'xdm:id', got {prop!r}")
    primary = body.get("xdm:isPrimary", False)
    if not isinstance(primary, bool):
        raise _bad("'xdm:isPrimary' must be a boolean")
    fields_out = {"@type": IDENTITY, "xdm:sourceSchema": schema["$id"], "xdm:sourceVersion": version,
                  "xdm:sourceProperty": pointer, "xdm:namespace": identity.find(store, ctx, namespace)["code"],
                  "xdm:property": prop, "xdm:isPrimary": primary}
    _check_unique(store, ctx, fields_out, own_id)
    return fields_out


def _check_unique(store: Store, ctx: RequestContext, fields: dict, own_id: str | None) -> None:
    for other in store.list(kinds.DESCRIPTORS, ctx.org, ctx.sandbox):
        if other["@id"] == own_id or other.get("xdm:sourceSchema") != fields["xdm:sourceSchema"]:
            continue
        if other.get("xdm:sourceProperty") == fields["xdm:sourceProperty"]:
            raise xdm.XdmError(DUPLICATE_CODE, "Duplicate descriptor",
                               f"Field {fields['xdm:sourceProperty']} of schema {fields['xdm:sourceSchema']} already "
                               f"has an identity descriptor ({other['@id']}); update that one instead")
        if fields["xdm:isPrimary"] and other.get("xdm:isPrimary") is True:
            raise xdm.XdmError(DUPLICATE_CODE, "Duplicate primary identity",
                               f"Schema {fields['xdm:sourceSchema']} already has a primary identity "
                               f"({other['xdm:sourceProperty']}, descriptor {other['@id']}); a schema has at most one")


def new_descriptor(store: Store, ctx: RequestContext, body: Any) -> dict:
    fields = validated(store, ctx, body)
    descriptor_id = hashlib.sha1(uuid.uuid4().bytes).hexdigest()
    return {"@id": descriptor_id, **fields, "meta:containerId": "tenant", "imsOrg": ctx.org, "version": "1",
            "meta:sandboxId": ctx.sandbox_id, "meta:sandboxType": ctx.sandbox_type}


def find(store: Store, ctx: RequestContext, descriptor_id: str) -> dict:
    found = store.get(kinds.DESCRIPTORS, ctx.org, ctx.sandbox, descriptor_id)
    if found is None:
        raise xdm.XdmError("XDM-1012-404", "Resource Not Found", f"Descriptor {descriptor_id} is not found")
    return found


def _guard_profile_primary(store: Store, ctx: RequestContext, old: dict, new: dict | None) -> None:
    """The primary identity of a Profile-enabled schema stays as it is (XDM-1022-400)."""
    if old.get("xdm:isPrimary") is not True:
        return
    schema = schemaregistry.find_schema(store, ctx.org, ctx.sandbox, old["xdm:sourceSchema"])
    if not schemaregistry.profile_enabled(schema):
        return
    kept = new is not None and all(new.get(k) == old.get(k) for k in USER_FIELDS)
    if not kept:
        raise xdm.XdmError(evolution.UNION_IDENTITY_CODE, "Primary identity required",
                           f"Descriptor {old['@id']} is the primary identity of schema {old['xdm:sourceSchema']}, "
                           "which is enabled for Profile: it cannot be deleted or changed")


def replaced(store: Store, ctx: RequestContext, old: dict, body: Any) -> dict:
    fields = validated(store, ctx, body, own_id=old["@id"])
    _guard_profile_primary(store, ctx, old, fields)
    return {**old, **fields}


def check_delete(store: Store, ctx: RequestContext, old: dict) -> None:
    _guard_profile_primary(store, ctx, old, None)


def list_format(accept: str | None) -> str:
    fmt = LIST_FORMATS.get((accept or "").replace(" ", "").lower())
    if fmt is None:
        raise xdm.XdmError("XDM-1006-400", "Accept header invalid",
                           f"The supplied Accept header is not valid: {accept or ''} - descriptors lists take "
                           "application/vnd.adobe.xdm-link+json, xdm-id+json, xdm+json or xdm-v2+json")
    return fmt


def listed(store: Store, ctx: RequestContext, fmt: str, prop: str) -> dict:
    """``GET /tenant/descriptors``: grouped by ``@type`` (link: ``/descriptors/<id>``, id, or whole objects);
    ``xdm-v2``: ``{"results", "_page", "_links"}``. ``property`` filters like the other lists."""
    items = store.list(kinds.DESCRIPTORS, ctx.org, ctx.sandbox)
    if prop:
        items = xdm.resources_matching(items, prop)
    if fmt == "v2":
        return {"results": items, "_page": {"count": len(items), "next": None}, "_links": {"next": None}}
    grouped: dict[str, list] = {}
    for item in items:
        value = {"link": f"/descriptors/{item['@id']}", "id": item["@id"]}.get(fmt, item)
        grouped.setdefault(item["@type"], []).append(value)
    return grouped


def for_schema(store: Store, ctx: RequestContext, schema_id: str) -> list[dict]:
    """The descriptors of one schema (``-full-desc`` renders them as ``meta:descriptors``)."""
    return [d for d in store.list(kinds.DESCRIPTORS, ctx.org, ctx.sandbox) if d.get("xdm:sourceSchema") == schema_id]
