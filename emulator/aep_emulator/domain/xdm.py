"""XDM resources of the Schema Registry: standard classes, tenant field groups and schemas.

Pure functions (no HTTP, no store): build a resource from a create body, validate it, resolve its
``allOf`` references into merged properties, list its field paths (what Data Prep validates
destinations against and what ingestion checks) and render the ``Accept`` variants.

A *lookup* is any callable ``lookup($id) -> resource | None``; :func:`global_resource` answers for the
standard (global) resources, the Schema Registry routes add the tenant ones from the store."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from importlib import resources
from typing import Callable, Iterable

import orjson

EXPERIENCE_EVENT = "https://ns.adobe.com/xdm/context/experienceevent"
PROFILE = "https://ns.adobe.com/xdm/context/profile"
NS = "https://ns.adobe.com/"
GLOBAL_LIB_VERSION = "1.49.2"

Lookup = Callable[[str], "dict | None"]

_FIELD_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
_INDEX = re.compile(r"\[(?:\d+|\*)\]")
_FIELD_TYPES = {"string", "number", "integer", "boolean", "object", "array"}
_TEXT_KEYS = ("title", "description")


class XdmError(Exception):
    """A Schema Registry error: ``code`` like ``XDM-1006-400`` (the status is its suffix)."""

    def __init__(self, code: str, title: str, detail: str, sub_errors: list[dict] | None = None):
        super().__init__(detail)
        self.code = code
        self.status = int(code.rsplit("-", 1)[1])
        self.title = title
        self.detail = detail
        self.sub_errors = sub_errors or []

    def body(self) -> dict:
        """The Schema Registry error body (shape of the spec's ``errorBasic`` examples)."""
        return {
            "type": f"http://ns.adobe.com/aep/errors/{self.code}",
            "title": self.title,
            "status": self.status,
            "report": {
                "registryRequestId": str(uuid.uuid4()),
                "timestamp": time.strftime("%m-%d-%Y %H:%M:%S", time.gmtime()),
                "detailed-message": self.detail,
                "sub-errors": list(self.sub_errors),
            },
            "detail": self.detail,
        }


def bad_request(detail: str) -> XdmError:
    return XdmError("XDM-1000-400", "Bad Request", detail)


def not_found(resource_id: str, version: int | str = 1) -> XdmError:
    return XdmError("XDM-1012-404", "Resource Not Found",
                    f"Requested resource {resource_id} with version {version} is not found")


# --- standard (global) resources -------------------------------------------------------------------

def _load_global() -> dict[str, dict]:
    text = resources.files("aep_emulator").joinpath("data/xdm/global.json").read_text("utf-8")
    return {res["$id"]: res for res in json.loads(text)}


GLOBAL: dict[str, dict] = _load_global()
GLOBAL_CLASSES = [res for res in GLOBAL.values() if res["meta:resourceType"] == "classes"]


def global_resource(resource_id: str) -> dict | None:
    return GLOBAL.get(to_id(resource_id))


def to_id(id_or_alt: str) -> str:
    """Accept a ``$id`` or a ``meta:altId`` (``_acme.schemas.abc`` <-> ``https://ns.adobe.com/acme/schemas/abc``)."""
    if id_or_alt.startswith("_") and "/" not in id_or_alt:
        return NS + id_or_alt[1:].replace(".", "/")
    return id_or_alt


def alt_id(resource_id: str) -> str:
    return "_" + resource_id[len(NS):].replace("/", ".")


# --- building tenant resources ----------------------------------------------------------------------

@dataclass(frozen=True)
class Context:
    """Who is writing and where: fills the org/sandbox metadata of a resource."""
    tenant: str
    org: str
    sandbox_id: str
    sandbox_type: str
    client_id: str = "aep-emulator-client"
    user_id: str = "aep-emulator@AdobeID"


def new_field_group(body: dict, ctx: Context) -> dict:
    """A field group from a create body (already validated); ids use the legacy ``mixins`` segment like AEP."""
    resource_id = f"{NS}{ctx.tenant}/mixins/{secrets.token_hex(24)}"
    resource = {**_base(resource_id, "mixins", body), "meta:extensible": True, "meta:abstract": True,
                "meta:intendedToExtend": list(body["meta:intendedToExtend"])}
    return _stamp(resource, ctx, created=None)


def new_schema(body: dict, ctx: Context, lookup: Lookup) -> dict:
    """A schema from a create body, validated against ``lookup`` (raises :class:`XdmError`)."""
    resource_id = f"{NS}{ctx.tenant}/schemas/{secrets.token_hex(24)}"
    return _schema_resource(resource_id, body, ctx, lookup, created=None)


def replace_resource(old: dict, body: dict, ctx: Context, lookup: Lookup) -> dict:
    """PUT semantics: the body replaces the resource, ids and creation metadata are kept, minor version + 1."""
    if old["meta:resourceType"] == "schemas":
        validate_schema_body(body, lookup)
        resource = _schema_resource(old["$id"], body, ctx, lookup, created=old)
    else:
        validate_field_group_body(body, ctx.tenant, lookup)
        resource = {**_base(old["$id"], "mixins", body), "meta:extensible": True, "meta:abstract": True,
                    "meta:intendedToExtend": list(body["meta:intendedToExtend"])}
        resource = _stamp(resource, ctx, created=old)
    resource["version"] = _bump(old["version"])
    return resource


def user_body(resource: dict) -> dict:
    """The user-editable part of a resource (what a PATCH applies to before re-validation)."""
    keys = ("title", "description", "type", "definitions", "allOf", "meta:intendedToExtend", "required",
            "meta:immutableTags")
    return {k: copy.deepcopy(resource[k]) for k in keys if k in resource}


def _base(resource_id: str, resource_type: str, body: dict) -> dict:
    resource = {"$id": resource_id, "meta:altId": alt_id(resource_id), "meta:resourceType": resource_type,
                "version": "1.0", "title": body["title"], "type": "object",
                "description": body.get("description", "")}
    for key in ("definitions", "allOf", "required", "meta:immutableTags"):
        if key in body:
            resource[key] = copy.deepcopy(body[key])
    return resource


def _schema_resource(resource_id: str, body: dict, ctx: Context, lookup: Lookup, created: dict | None) -> dict:
    class_id, group_ids = validate_schema_body(body, lookup)
    extends = [*lookup(class_id).get("meta:extends", []), class_id, *group_ids]
    resource = _base(resource_id, "schemas", body)
    resource["allOf"] = [{"$ref": ref, "type": "object", "meta:xdmType": "object"}
                         for ref in (class_id, *group_ids)]
    resource.update({"refs": [class_id, *group_ids], "meta:extensible": False, "meta:abstract": False,
                     "meta:extends": list(dict.fromkeys(extends)), "meta:class": class_id})
    return _stamp(resource, ctx, created)


def _stamp(resource: dict, ctx: Context, created: dict | None) -> dict:
    now = int(time.time() * 1000)
    previous = (created or {}).get("meta:registryMetadata", {})
    resource.update({"imsOrg": ctx.org, "meta:xdmType": "object", "meta:containerId": "tenant",
                     "meta:sandboxId": ctx.sandbox_id, "meta:sandboxType": ctx.sandbox_type,
                     "meta:tenantNamespace": f"_{ctx.tenant}"})
    resource["meta:registryMetadata"] = {
        "repo:createdDate": previous.get("repo:createdDate", now),
        "repo:lastModifiedDate": now,
        "xdm:createdClientId": previous.get("xdm:createdClientId", ctx.client_id),
        "xdm:lastModifiedClientId": ctx.client_id,
        "xdm:createdUserId": previous.get("xdm:createdUserId", ctx.user_id),
        "xdm:lastModifiedUserId": ctx.user_id,
        "eTag": "",
        "meta:globalLibVersion": GLOBAL_LIB_VERSION,
    }
    resource["meta:registryMetadata"]["eTag"] = hashlib.sha256(orjson.dumps(resource, option=orjson.OPT_SORT_KEYS)).hexdigest()
    return resource


def _bump(version: str) -> str:
    major, _sep, minor = version.partition(".")
    return f"{major}.{int(minor or 0) + 1}"


# --- validation -------------------------------------------------------------------------------------

def _require_common(body: object) -> dict:
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    if body.get("type") != "object":
        raise bad_request("The 'type' property is required and must be 'object'")
    if not isinstance(body.get("title"), str) or not body["title"].strip():
        raise bad_request("The 'title' property is required and must be a non-empty string")
    if "description" in body and not isinstance(body["description"], str):
        raise bad_request("The 'description' property must be a string")
    return body


def validate_field_group_body(body: object, tenant: str, lookup: Lookup) -> None:
    """Raise :class:`XdmError` unless ``body`` is a valid tenant field group create/replace body."""
    body = _require_common(body)
    classes = body.get("meta:intendedToExtend")
    if not isinstance(classes, list) or not classes:
        raise bad_request("'meta:intendedToExtend' must be a non-empty array of class $ids")
    for class_id in classes:
        target = lookup(class_id) if isinstance(class_id, str) else None
        if not target or target.get("meta:resourceType") != "classes":
            raise bad_request(f"'meta:intendedToExtend' references an unknown class: {class_id}")
    definitions = body.get("definitions", {})
    if not isinstance(definitions, dict):
        raise bad_request("'definitions' must be an object")
    namespace = f"_{tenant}"
    for name, definition in definitions.items():
        props = definition.get("properties", {}) if isinstance(definition, dict) else None
        if not isinstance(props, dict):
            raise bad_request(f"Definition '{name}' must be an object with 'properties'")
        for field, node in props.items():
            if field != namespace:
                raise bad_request(f"Custom field '{field}' in definition '{name}' must be nested under the "
                                  f"tenant namespace '{namespace}'")
            _check_node(node, f"{namespace}", lookup)
    _check_local_refs(body, definitions)


def _check_local_refs(body: dict, definitions: dict) -> None:
    all_of = body.get("allOf", [])
    if not isinstance(all_of, list):
        raise bad_request("'allOf' must be an array of {\"$ref\": ...} objects")
    for entry in all_of:
        ref = entry.get("$ref") if isinstance(entry, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/definitions/"):
            raise bad_request(f"Field group 'allOf' entries must reference '#/definitions/<name>', got {ref!r}")
        if ref.removeprefix("#/definitions/") not in definitions:
            raise bad_request(f"'allOf' references a missing definition: {ref}")


def _check_node(node: object, path: str, lookup: Lookup) -> None:
    if not isinstance(node, dict):
        raise bad_request(f"Field '{path}' must be an object")
    if "$ref" in node:
        if not isinstance(node["$ref"], str) or not lookup(node["$ref"]):
            raise bad_request(f"Field '{path}' references an unknown resource: {node['$ref']}")
        return
    field_type = node.get("type")
    if not isinstance(field_type, str) or field_type not in _FIELD_TYPES:
        raise bad_request(f"Field '{path}' has an invalid or missing type: {field_type!r}")
    if field_type == "array":
        _check_node(node.get("items"), f"{path}[]", lookup)
    elif field_type == "object" and not _check_properties(node, path, lookup):
        return
    required = node.get("required", [])
    props = node.get("properties")
    if not isinstance(required, list) or any(not isinstance(r, str) or not isinstance(props, dict) or r not in props
                                             for r in required):
        raise bad_request(f"'required' of '{path}' must list fields defined in its 'properties'")


def _check_properties(node: dict, path: str, lookup: Lookup) -> bool:
    """Check an object field's properties; False for a map (``additionalProperties`` only, nothing more to check)."""
    props = node.get("properties")
    if props is None and isinstance(node.get("additionalProperties"), dict):
        return False
    if not isinstance(props, dict):
        raise bad_request(f"Object field '{path}' must define 'properties'")
    for name, child in props.items():
        if not _FIELD_NAME.match(name):
            raise bad_request(f"Invalid field name '{name}' under '{path}': use letters, digits, '_' or '-' "
                              "and do not start with '_'")
        _check_node(child, f"{path}.{name}", lookup)
    return True


def validate_schema_body(body: object, lookup: Lookup) -> tuple[str, list[str]]:
    """Return (class $id, field group $ids); raise :class:`XdmError` on an invalid body."""
    body = _require_common(body)
    all_of = body.get("allOf")
    if not isinstance(all_of, list) or not all_of:
        raise bad_request("'allOf' must be a non-empty array with exactly one class reference")
    class_ids, group_ids = [], []
    for entry in all_of:
        ref = entry.get("$ref") if isinstance(entry, dict) else None
        target = lookup(ref) if isinstance(ref, str) else None
        if target is None:
            raise bad_request(f"The schema references an unknown resource: {ref!r}")
        (class_ids if target["meta:resourceType"] == "classes" else group_ids).append(target["$id"])
    if len(class_ids) != 1:
        raise bad_request(f"A schema must reference exactly one class, found {len(class_ids)}")
    for group_id in group_ids:
        if class_ids[0] not in lookup(group_id).get("meta:intendedToExtend", []):
            raise bad_request(f"Field group {group_id} is not compatible with class {class_ids[0]} "
                              "(not in its 'meta:intendedToExtend')")
    resolve(body, lookup)  # raises on conflicting field definitions
    return class_ids[0], list(dict.fromkeys(group_ids))


# --- resolution and field paths ---------------------------------------------------------------------

def resolve(resource: dict, lookup: Lookup) -> dict:
    """Merge ``allOf`` (local definitions and referenced resources) into ``{"properties", "required"}``."""
    merged: dict = {"properties": {}, "required": []}
    for entry in resource.get("allOf", []):
        ref = entry["$ref"]
        if ref.startswith("#/definitions/"):
            part = resource.get("definitions", {}).get(ref.removeprefix("#/definitions/"), {})
        else:
            target = lookup(ref)
            if target is None:
                raise bad_request(f"Reference {ref} cannot be resolved")
            part = resolve(target, lookup)
        _merge_into(merged["properties"], part.get("properties", {}), "")
        merged["required"] += [r for r in part.get("required", []) if r not in merged["required"]]
    return merged


def _merge_into(target: dict, source: dict, prefix: str) -> None:
    for name, node in source.items():
        path = f"{prefix}{name}"
        if name not in target:
            target[name] = copy.deepcopy(node)
        elif _is_object(target[name]) and _is_object(node):
            _merge_into(target[name].setdefault("properties", {}), node["properties"], f"{path}.")
            extra = [r for r in node.get("required", []) if r not in target[name].get("required", [])]
            if extra:
                target[name]["required"] = target[name].get("required", []) + extra
        elif field_type(target[name]) != field_type(node):
            raise bad_request(f"Field '{path}' is defined twice with different types "
                              f"({field_type(target[name])} and {field_type(node)})")


def _is_object(node: dict) -> bool:
    return node.get("type") == "object" and isinstance(node.get("properties"), dict)


def field_type(node: dict) -> str:
    """The XDM type of a property: string, integer, number, boolean, date, date-time, object, map, array."""
    kind = node.get("type", "object")
    if kind == "string" and node.get("format") in ("date", "date-time"):
        return node["format"]
    if kind == "object" and "properties" not in node and "additionalProperties" in node:
        return "map"
    return kind


def field_paths(resolved: dict) -> dict[str, str]:
    """Dotted path -> XDM type for every field: array items as ``list[]`` (their type) and ``list[].field``,
    the values of a map as ``map.*`` (the type of ``additionalProperties``)."""
    paths: dict[str, str] = {}
    _collect_paths(resolved.get("properties", {}), "", paths)
    return paths


def _collect_paths(props: dict, prefix: str, out: dict[str, str]) -> None:
    for name, node in props.items():
        path = f"{prefix}{name}"
        out[path] = field_type(node)
        if _is_object(node):
            _collect_paths(node["properties"], f"{path}.", out)
        elif node.get("type") == "array" and isinstance(node.get("items"), dict):
            _collect_paths({"[]": node["items"]}, path, out)
        elif out[path] == "map" and isinstance(node.get("additionalProperties"), dict):
            _collect_paths({"*": node["additionalProperties"]}, f"{path}.", out)


def required_paths(resolved: dict) -> list[str]:
    """Dotted paths a record must carry: each ``required`` entry under its object's path."""
    out = list(resolved.get("required", []))
    _collect_required(resolved.get("properties", {}), "", out)
    return out


def _collect_required(props: dict, prefix: str, out: list[str]) -> None:
    for name, node in props.items():
        if _is_object(node):
            out += [f"{prefix}{name}.{r}" for r in node.get("required", [])]
            _collect_required(node["properties"], f"{prefix}{name}.", out)


def schema_path(paths: dict[str, str], destination: str) -> str | None:
    """The key of ``paths`` a destination path stands for: indexes ``[0]``/``[*]`` become ``[]``, the key of a map
    becomes ``*``; None when the schema has no such field (a path below a map value of unknown shape: ``""``)."""
    normalized = _INDEX.sub("[]", destination)
    if normalized in paths:
        return normalized
    parts = normalized.split(".")
    for end in range(len(parts) - 1, 0, -1):
        if paths.get(".".join(parts[:end])) == "map":
            key = re.sub(r"^[^\[]*", "*", parts[end])
            candidate = ".".join([*parts[:end], key, *parts[end + 1:]])
            return candidate if candidate in paths else ""
    return None


def destination_type(paths: dict[str, str], destination: str) -> str | None:
    """The type of a destination path (array indexes ``[0]`` and ``[*]`` allowed; a key of a map has the map's
    value type, ``any`` when the value's shape is unknown), or None when the schema has no such field."""
    path = schema_path(paths, destination)
    if path is None:
        return None
    return paths[path] if path else "any"


# --- rendering ---------------------------------------------------------------------------------------

_LOOKUP_ACCEPT = re.compile(
    r"^application/vnd\.adobe\.(?:xed|xdm)(?P<variant>-[a-z-]+)?\+json\s*(?:;\s*version\s*=\s*(?P<version>[0-9.]+))?\s*$")
_LOOKUP_VARIANTS = {"": "xed", "-full": "full", "-notext": "notext", "-full-notext": "full-notext",
                    "-full-desc": "full-desc", "-deprecatefield": "full"}
_LIST_VARIANTS = {"application/vnd.adobe.xed-id+json": "id", "application/vnd.adobe.xed+json": "xed"}


def list_format(accept: str | None) -> str:
    """``id`` (summaries) or ``xed`` (full resources); a missing, versioned or other header is a 400."""
    fmt = _LIST_VARIANTS.get((accept or "").replace(" ", "").lower())
    if fmt is None:
        raise XdmError("XDM-1006-400", "Accept header invalid",
                       f"The supplied Accept header is not valid: {accept or ''} - A valid Accept value should look "
                       "like application/vnd.adobe.'{xed|xdm'}+json")
    return fmt


def lookup_format(accept: str | None) -> tuple[str, int]:
    """(format, major version) of a lookup ``Accept``: missing (or ``*/*``) or unversioned -> 400, unsupported -> 406."""
    match = _LOOKUP_ACCEPT.match((accept or "").strip().lower())
    if not accept or accept.strip() == "*/*" or (match and match["version"] is None):
        raise XdmError("XDM-1007-400", "Accept header invalid",
                       f"The supplied Accept header is not valid: {accept or ''} - A valid Accept value should look "
                       "like application/vnd.adobe.'{xed|xdm'}+json; version=1 (Version should be specified)")
    if not match or (match["variant"] or "") not in _LOOKUP_VARIANTS:
        raise XdmError("XDM-1008-406", "Not Acceptable",
                       f"The supplied Accept header is not supported: {accept}. Supported: "
                       "application/vnd.adobe.xed[-full|-notext|-full-notext|-full-desc]+json; version=1")
    return _LOOKUP_VARIANTS[match["variant"] or ""], int(float(match["version"]))


def summary(resource: dict) -> dict:
    return {k: resource[k] for k in ("$id", "meta:altId", "version", "title") if k in resource}


def render(resource: dict, fmt: str, lookup: Lookup) -> dict:
    """A resource in a lookup format: ``xed`` (raw, ``$ref``s kept), ``full`` (resolved ``properties``),
    ``notext`` / ``full-notext`` (no nested titles/descriptions), ``full-desc`` (full + descriptors)."""
    if fmt == "xed":
        return resource
    if fmt == "notext":
        return {**resource, **_strip_text({k: resource[k] for k in ("definitions",) if k in resource})}
    resolved = resolve(resource, lookup)
    full = {k: v for k, v in resource.items() if k not in ("allOf", "definitions", "required")}
    full["properties"] = resolved["properties"]
    if resolved["required"]:
        full["required"] = resolved["required"]
    if fmt == "full-notext":
        full["properties"] = _strip_text(full["properties"])
    elif fmt == "full-desc":
        full["meta:descriptors"] = []
    return full


def _strip_text(node):
    if isinstance(node, dict):
        return {k: _strip_text(v) for k, v in node.items()
                if not (k in _TEXT_KEYS and isinstance(v, str))}
    if isinstance(node, list):
        return [_strip_text(v) for v in node]
    return node


def resources_matching(items: Iterable[dict], expr: str) -> list[dict]:
    """Filter by a ``property`` query: comma-separated clauses, all of which must hold (AND).

    A clause is ``name`` (the property exists) or ``name<op>value`` with ``op`` one of ``==``, ``!=``, ``<``,
    ``>``, ``<=``, ``>=`` (text comparison) or ``~`` (the value is a regular expression searched in the text;
    an invalid one is a 400). Only the clause's own operator is evaluated, so a value is never read as a
    pattern except after ``~``. There is no escape: a comma always separates clauses."""
    clauses = [_parse_clause(c) for c in filter(None, (c.strip() for c in expr.split(",")))]
    return [item for item in items if all(clause(item) for clause in clauses)]


_CLAUSE = re.compile(r"^(?P<name>[^=!<>~]+?)\s*(?P<op>==|!=|<=|>=|<|>|~)\s*(?P<value>.*)$", re.S)
_TEXT_OPS: dict[str, Callable[[str, str], bool]] = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b, ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
}


def _parse_clause(clause: str) -> Callable[[dict], bool]:
    match = _CLAUSE.match(clause)
    if not match:
        return lambda item: clause in item
    name, op, wanted = match["name"], match["op"], match["value"]
    if op == "~":
        try:
            pattern = re.compile(wanted)
        except re.error as exc:
            raise bad_request(f"Invalid regular expression in property filter '{clause}': {exc}") from None

        def compare(text: str, _value: str) -> bool:
            return pattern.search(text) is not None
    else:
        compare = _TEXT_OPS[op]

    def matches(item: dict) -> bool:
        actual = item.get(name)
        if isinstance(actual, list):
            return (wanted in actual) == (op != "!=")
        return compare("" if actual is None else str(actual), wanted)
    return matches
