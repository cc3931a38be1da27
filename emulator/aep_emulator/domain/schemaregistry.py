"""Schema Registry rules over the store (``/data/foundation/schemaregistry``): tenant field groups and
schemas (store kinds ``fieldgroups`` and ``schemas``, keyed by ``$id``, each document the raw ``xed``
resource), the standard (global) resources, lookups, paging, ``/stats`` and delete guards.

The XDM rules themselves (building, validating, resolving, rendering resources) are pure functions in
:mod:`aep_emulator.domain.xdm`. Other services use :func:`find_schema`, :func:`schema_fields` and
:func:`make_lookup`."""

from __future__ import annotations

from aep_emulator.core import kinds
from aep_emulator.core.context import RequestContext
from aep_emulator.core.errors import ApiError
from aep_emulator.core.store import Store
from aep_emulator.domain import evolution, xdm

# URL segment -> store kind (``mixins`` is the deprecated alias of ``fieldgroups``).
KINDS = {"fieldgroups": kinds.FIELD_GROUPS, "mixins": kinds.FIELD_GROUPS, "schemas": kinds.SCHEMAS}
CONTAINERS = ("global", "tenant")
MAX_PAGE = 300


def api_error(exc: xdm.XdmError) -> ApiError:
    return ApiError(exc.status, exc.body())


def make_lookup(store: Store, org: str, sandbox: str) -> xdm.Lookup:
    """``lookup($id or meta:altId)`` over global resources and the sandbox's tenant field groups."""
    def lookup(ref: str) -> dict | None:
        resource_id = xdm.to_id(ref)
        return xdm.GLOBAL.get(resource_id) or store.get(kinds.FIELD_GROUPS, org, sandbox, resource_id)
    return lookup


def find_schema(store: Store, org: str, sandbox: str, schema_id: str) -> dict | None:
    """A tenant schema by ``$id`` or ``meta:altId`` (None when absent in that sandbox)."""
    return store.get(kinds.SCHEMAS, org, sandbox, xdm.to_id(schema_id))


def schema_fields(store: Store, org: str, sandbox: str, schema: dict) -> tuple[dict[str, str], list[str]]:
    """(field path -> XDM type, required paths) of a schema, resolved against the current field groups."""
    resolved = xdm.resolve(schema, make_lookup(store, org, sandbox))
    return xdm.field_paths(resolved), xdm.required_paths(resolved)


def xdm_context(ctx: RequestContext) -> xdm.Context:
    return xdm.Context(tenant=ctx.tenant, org=ctx.org, sandbox_id=ctx.sandbox_id, sandbox_type=ctx.sandbox_type,
                       client_id=ctx.client_id, user_id=ctx.user)


def check_path(container: str, kind: str) -> None:
    """``/{container}/{kind}`` names a known collection (XDM-1011-404 otherwise)."""
    if container not in CONTAINERS or kind not in ("classes", *KINDS):
        raise xdm.XdmError("XDM-1011-404", "Not Found", f"Unknown resource path /{container}/{kind}")


def check_tenant_kind(kind: str) -> str:
    """The store kind of a writable ``/tenant/{kind}`` collection (XDM-1011-404 otherwise)."""
    if kind not in KINDS:
        raise xdm.XdmError("XDM-1011-404", "Not Found", f"Unknown resource path /tenant/{kind}")
    return KINDS[kind]


def container_items(store: Store, ctx: RequestContext, container: str, kind: str) -> list[dict]:
    if container == "global":
        wanted = {"classes": "classes", "fieldgroups": "mixins", "mixins": "mixins"}.get(kind)
        return [r for r in xdm.GLOBAL.values() if r["meta:resourceType"] == wanted]
    if kind == "classes":
        return []
    return store.list(KINDS[kind], ctx.org, ctx.sandbox)


def find(store: Store, ctx: RequestContext, kind: str, raw_id: str) -> dict:
    """A class, field group or schema by ``$id`` or ``meta:altId`` (global first, except schemas)."""
    resource_id = xdm.to_id(raw_id)
    if kind == "classes":
        resource = xdm.GLOBAL.get(resource_id)
        resource = resource if resource and resource["meta:resourceType"] == "classes" else None
    elif resource_id in xdm.GLOBAL and kind != "schemas":
        resource = xdm.GLOBAL[resource_id]
    else:
        resource = store.get(KINDS[kind], ctx.org, ctx.sandbox, resource_id)
    if resource is None:
        raise xdm.not_found(raw_id)
    return resource


def tenant_resource(store: Store, ctx: RequestContext, kind: str, raw_id: str) -> dict:
    resource = store.get(KINDS[kind], ctx.org, ctx.sandbox, xdm.to_id(raw_id))
    if resource is None:
        raise xdm.not_found(raw_id)
    return resource


def page(items: list[dict], orderby: str, limit: int, start: str | None) -> tuple[list[dict], str | None]:
    """Sort by the ``orderby`` keys (``-`` = descending), skip up to ``start`` (a value of the primary key),
    cut at ``limit``; returns the page and the next ``start`` (None on the last page)."""
    if not orderby:
        return items[:limit], None
    keys = [k.strip() for k in orderby.split(",") if k.strip()] or ["title"]
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


def stats(store: Store, ctx: RequestContext) -> dict:
    """``GET /stats``: counts, recently created and updated resources, class usage."""
    schemas = store.list(kinds.SCHEMAS, ctx.org, ctx.sandbox)
    groups = store.list(kinds.FIELD_GROUPS, ctx.org, ctx.sandbox)
    recent = sorted(schemas + groups, key=lambda r: r["meta:registryMetadata"]["repo:createdDate"], reverse=True)
    updated = sorted(schemas + groups, key=lambda r: r["meta:registryMetadata"]["repo:lastModifiedDate"],
                     reverse=True)
    usage = [{"$id": c["$id"], "title": c["title"],
              "numberOfSchemas": sum(s["meta:class"] == c["$id"] for s in schemas),
              "schemas": [{"$id": s["$id"], "title": s["title"], "description": s.get("description", "")}
                          for s in schemas if s["meta:class"] == c["$id"]]}
             for c in xdm.GLOBAL_CLASSES]
    return {
        "imsOrg": ctx.org, "tenantId": ctx.tenant,
        "counts": {"schemas": len(schemas), "mixins": len(groups), "datatypes": 0, "classes": 0, "unions": 0},
        "recentlyCreatedResources": [{**xdm.summary(r), "meta:resourceType": r["meta:resourceType"]}
                                     for r in recent[:5]],
        "recentlyUpdatedResources": [{**xdm.summary(r), "meta:resourceType": r["meta:resourceType"]}
                                     for r in updated[:5]],
        "classUsage": usage,
    }


def create(store: Store, ctx: RequestContext, kind: str, body: object) -> dict:
    """A new tenant schema or field group from a create body (raises XdmError)."""
    lookup = make_lookup(store, ctx.org, ctx.sandbox)
    if check_tenant_kind(kind) == kinds.SCHEMAS:
        resource = xdm.new_schema(body, xdm_context(ctx), lookup)
        evolution.check_tags(resource)
        if evolution.UNION_TAG in evolution.tags(resource):
            raise evolution.missing_primary_identity(resource)  # no descriptor can exist before the schema
        return resource
    xdm.validate_field_group_body(body, ctx.tenant, lookup)
    if isinstance(body, dict) and "meta:immutableTags" in body:
        raise xdm.bad_request("'meta:immutableTags' can only be set on schemas")
    return xdm.new_field_group(body, xdm_context(ctx))


def replaced(store: Store, ctx: RequestContext, kind: str, raw_id: str, new_body) -> dict:
    """The resource after a PUT/PATCH: ``new_body(old)`` gives the new user body (raises XdmError).

    Enforces the evolution rules (:mod:`aep_emulator.domain.evolution`): the ``union`` tag is one-way and needs a
    primary identity descriptor; once the resource is in use (:func:`in_use_reason`) only non-destructive changes
    pass (400 ``XDM-1020-400`` listing each breaking change in ``report.sub-errors``)."""
    old = tenant_resource(store, ctx, kind, raw_id)
    body = new_body(old)
    if old["meta:resourceType"] != "schemas" and isinstance(body, dict) and "meta:immutableTags" in body:
        raise xdm.bad_request("'meta:immutableTags' can only be set on schemas")
    lookup = make_lookup(store, ctx.org, ctx.sandbox)
    new = xdm.replace_resource(old, body, xdm_context(ctx), lookup)
    if old["meta:resourceType"] == "schemas":
        if new.get("meta:class") != old.get("meta:class"):
            # AEP: a schema's class is chosen when it is created and cannot change afterwards ("Schemas in the UI":
            # the class can change only before the schema is first saved); the code is the emulator's [UNVERIFIED].
            raise xdm.bad_request(f"Schema {old['$id']} has class {old.get('meta:class')}; the class of a saved schema "
                                  f"cannot change to {new.get('meta:class')}. Create a new schema with that class.")
        evolution.check_tags(new)
        removed = evolution.union_removed(old, new)
        if removed:
            raise removed
        if evolution.UNION_TAG in evolution.tags(new) and evolution.UNION_TAG not in evolution.tags(old):
            check_profile_ready(store, ctx, new)
    reason = in_use_reason(store, ctx, old)
    if reason:
        changes = evolution.breaking_changes(xdm.resolve(old, lookup), xdm.resolve(new, lookup))
        if changes:
            raise evolution.breaking_error(old, reason, changes)
    check_descriptor_fields(store, ctx, old, new, lookup)
    return new


DESCRIPTOR_FIELD_CODE = "XDM-1024-400"


def check_descriptor_fields(store: Store, ctx: RequestContext, old: dict, new: dict, lookup: xdm.Lookup) -> None:
    """A change of a schema or field group that would leave an identity descriptor pointing at a field that no
    longer exists, or is no longer a string (removed, renamed, moved, retyped; a field group dropped from a schema),
    is refused with 400 ``XDM-1024-400`` naming the field and the descriptor: delete the descriptor first.

    AEP does not document this case (emulator/docs/schemaregistry-dataprep.md, "Fields that carry a descriptor"); the
    rule and the code are the emulator's [UNVERIFIED]. It keeps every descriptor valid: a dangling one would make
    later descriptor and Profile operations on the schema fail."""
    if old["meta:resourceType"] == "schemas":
        affected = [new]
        changed_lookup = lookup
    else:
        affected = [s for s in store.list(kinds.SCHEMAS, ctx.org, ctx.sandbox) if old["$id"] in s.get("refs", [])]

        def changed_lookup(ref: str) -> dict | None:
            return new if xdm.to_id(ref) == old["$id"] else lookup(ref)
    for schema in affected:
        found = [d for d in store.list(kinds.DESCRIPTORS, ctx.org, ctx.sandbox)
                 if d.get("xdm:sourceSchema") == schema["$id"] and d.get("@type") == "xdm:descriptorIdentity"]
        if not found:
            continue
        fields = xdm.field_paths(xdm.resolve(schema, changed_lookup))
        for descriptor in found:
            pointer = descriptor.get("xdm:sourceProperty") or ""
            path = ".".join(p.replace("~1", "/").replace("~0", "~") for p in pointer.strip("/").split("/"))
            if fields.get(path) == "string":
                continue
            what = "remove it" if path not in fields else f"make it a field of type {fields[path]}"
            raise xdm.XdmError(DESCRIPTOR_FIELD_CODE, "Field referenced by a descriptor",
                               f"Field '{path}' of schema {schema['$id']} carries identity descriptor "
                               f"{descriptor['@id']} (namespace {descriptor.get('xdm:namespace')}); this change would "
                               f"{what}. Delete the descriptor first (DELETE /tenant/descriptors/"
                               f"{descriptor['@id']}), then change the field.",
                               [{"field": path, "change": "descriptor", "descriptor": descriptor["@id"],
                                 "message": f"Field '{path}' carries identity descriptor {descriptor['@id']}"}])


def primary_identity(store: Store, ctx: RequestContext, schema_id: str) -> dict | None:
    """The schema's primary identity descriptor, if any."""
    return next((d for d in store.list(kinds.DESCRIPTORS, ctx.org, ctx.sandbox)
                 if d.get("xdm:sourceSchema") == schema_id and d.get("@type") == "xdm:descriptorIdentity"
                 and d.get("xdm:isPrimary") is True), None)


def check_profile_ready(store: Store, ctx: RequestContext, schema: dict) -> None:
    """Enabling a schema for Profile needs a primary identity descriptor on it (XDM-1022-400)."""
    if schema.get("meta:class") in evolution.PROFILE_CLASSES and primary_identity(store, ctx, schema["$id"]) is None:
        raise evolution.missing_primary_identity(schema)


def profile_enabled(schema: dict | None) -> bool:
    return schema is not None and evolution.UNION_TAG in evolution.tags(schema)


def datasets_with_data(store: Store, ctx: RequestContext, schema_id: str) -> list[dict]:
    """Datasets of the schema that received data: Catalog's ``lastBatchId`` is set by the first landed record."""
    return [d for d in store.list(kinds.DATASETS, ctx.org, ctx.sandbox)
            if _schema_ref(d) == schema_id and d.get("lastBatchId")]


def in_use_reason(store: Store, ctx: RequestContext, resource: dict) -> str | None:
    """Why a schema or field group only accepts non-destructive changes, or None when it is free to change.

    A schema is in use when it is enabled for Profile, or when a dataset of it has data (``lastBatchId``);
    a field group is in use when a schema using it is."""
    if resource["meta:resourceType"] == "schemas":
        if profile_enabled(resource):
            return "the schema is enabled for Profile"
        landed = datasets_with_data(store, ctx, resource["$id"])
        return f"data has been ingested into dataset {landed[0]['id']}" if landed else None
    for schema in store.list(kinds.SCHEMAS, ctx.org, ctx.sandbox):
        if resource["$id"] in schema.get("refs", []):
            reason = in_use_reason(store, ctx, schema)
            if reason:
                return f"used by schema {schema['$id']}: {reason}"
    return None


def check_unused(store: Store, ctx: RequestContext, resource: dict) -> None:
    """A schema used by a dataset or enabled for Profile, or a field group used by a schema, cannot be deleted
    (XDM-1014-409)."""
    if profile_enabled(resource):
        raise xdm.XdmError("XDM-1014-409", "Resource in use",
                           f"{resource['$id']} cannot be deleted: it is enabled for Profile")
    if resource["meta:resourceType"] == "schemas":
        users = [d.get("name", d.get("id", "")) for d in store.list(kinds.DATASETS, ctx.org, ctx.sandbox)
                 if _schema_ref(d) == resource["$id"]]
        what = "dataset(s)"
    else:
        users = [s["title"] for s in store.list(kinds.SCHEMAS, ctx.org, ctx.sandbox)
                 if resource["$id"] in s.get("refs", [])]
        what = "schema(s)"
    if users:
        raise xdm.XdmError("XDM-1014-409", "Resource in use",
                           f"{resource['$id']} cannot be deleted: it is used by {what} {', '.join(users)}")


def _schema_ref(dataset: dict) -> str | None:
    ref = dataset.get("schemaRef") or {}
    return xdm.to_id(ref["id"]) if isinstance(ref.get("id"), str) else None
