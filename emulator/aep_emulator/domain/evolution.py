"""Schema evolution as AEP enforces it, as pure functions over resolved XDM resources (no store).

Once a schema is *in use* (a record of it landed in a dataset, or it is enabled for Profile with the ``union``
tag), AEP accepts only non-destructive changes to it and to every field group it uses: adding optional fields
and making required fields optional. It refuses removing, renaming, retyping or moving a field, making a field
required (also a new field added as required) and narrowing a field's allowed values (``enum``). A schema enabled
for Profile can never be disabled (its ``union`` tag cannot be removed), with or without data.

Source of the rules: AEP's "Update schemas" guide and the Profile enablement planning guide (see
emulator/docs/schemaregistry-dataprep.md). The codes and the ``sub-errors`` entries are the emulator's choice
([UNVERIFIED]: AEP's exact codes are not documented)."""

from __future__ import annotations

from aep_emulator.domain import xdm

BREAKING_CODE = "XDM-1020-400"
UNION_REMOVAL_CODE = "XDM-1021-400"
UNION_IDENTITY_CODE = "XDM-1022-400"
UNION_TAG = "union"
PROFILE_CLASSES = (xdm.PROFILE, xdm.EXPERIENCE_EVENT)


def flatten(resolved: dict) -> dict[str, dict]:
    """Dotted path -> ``{"type", "enum", "required"}`` for every field (array items ``a[]``, map values ``m.*``)."""
    out: dict[str, dict] = {}
    _flatten(resolved.get("properties", {}), resolved.get("required", []), "", out)
    return out


def _flatten(props: dict, required: list, prefix: str, out: dict) -> None:
    for name, node in props.items():
        if not isinstance(node, dict):
            continue
        path = f"{prefix}{name}" if name == "[]" else f"{prefix}{'.' if prefix else ''}{name}"
        out[path] = {"type": xdm.field_type(node), "enum": node.get("enum"), "required": name in required}
        if isinstance(node.get("properties"), dict):
            _flatten(node["properties"], node.get("required", []), path, out)
        elif node.get("type") == "array" and isinstance(node.get("items"), dict):
            _flatten({"[]": node["items"]}, [], path, out)
        elif isinstance(node.get("additionalProperties"), dict):
            _flatten({"*": node["additionalProperties"]}, [], path, out)


def _parent(path: str) -> str:
    return path[:-2] if path.endswith("[]") else path.rpartition(".")[0]


def _leaf(path: str) -> str:
    return path.rpartition(".")[2]


def breaking_changes(old_resolved: dict, new_resolved: dict) -> list[dict]:
    """The breaking changes between two resolved resources, one ``sub-errors`` entry each:
    ``{"field": dotted path, "change": removed|renamed|moved|retyped|required|enumNarrowed, "message"}``."""
    old, new = flatten(old_resolved), flatten(new_resolved)
    added = [p for p in new if p not in old]
    changes: list[dict] = []
    for path, before in old.items():
        if _parent(path) and _parent(path) not in new and _parent(path) in old:
            continue  # reported at its removed ancestor
        after = new.get(path)
        if after is None:
            changes.append(_removed(path, before, added, new))
            continue
        if after["type"] != before["type"]:
            changes.append(_change(path, "retyped", f"Field '{path}' cannot change its type from {before['type']} "
                                   f"to {after['type']}"))
        if after["required"] and not before["required"]:
            changes.append(_change(path, "required", f"Optional field '{path}' cannot be made required"))
        removed_values = _narrowed(before["enum"], after["enum"])
        if removed_values is not None:
            changes.append(_change(path, "enumNarrowed", f"The allowed values of field '{path}' cannot be narrowed "
                                   f"(values no longer allowed: {removed_values})"))
    for path in added:
        if new[path]["required"] and _parent(path) in old:
            changes.append(_change(path, "required", f"New field '{path}' cannot be added as required; add it as "
                                   "optional"))
    return changes


def _removed(path: str, before: dict, added: list[str], new: dict) -> dict:
    moved = [p for p in added if _leaf(p) == _leaf(path) and new[p]["type"] == before["type"]]
    if moved:
        return _change(path, "moved", f"Field '{path}' cannot be moved (to '{moved[0]}')")
    renamed = [p for p in added if _parent(p) == _parent(path) and new[p]["type"] == before["type"]]
    if renamed:
        return _change(path, "renamed", f"Field '{path}' cannot be renamed (to '{renamed[0]}')")
    return _change(path, "removed", f"Field '{path}' cannot be removed")


def _narrowed(before: list | None, after: list | None) -> list | None:
    if after is None or not isinstance(after, list):
        return None
    if before is None or not isinstance(before, list):
        return ["(any value)"]
    missing = [v for v in before if v not in after]
    return missing or None


def _change(path: str, change: str, message: str) -> dict:
    return {"field": path, "change": change, "message": message}


def breaking_error(resource: dict, reason: str, changes: list[dict]) -> xdm.XdmError:
    """400 ``XDM-1020-400`` naming every breaking change and the way forward."""
    listed = "; ".join(c["message"] for c in changes)
    return xdm.XdmError(BREAKING_CODE, "Breaking change not allowed",
                        f"{resource['$id']} is in use ({reason}): only non-destructive changes are allowed (add "
                        f"optional fields, make required fields optional). {listed}. Add a new field, or create a new "
                        "field group or schema and migrate to it.", changes)


def tags(resource: dict) -> list:
    value = resource.get("meta:immutableTags")
    return value if isinstance(value, list) else []


def union_removed(old: dict, new: dict) -> xdm.XdmError | None:
    """Removing the ``union`` tag of a Profile-enabled schema: always refused (``XDM-1021-400``)."""
    if UNION_TAG in tags(old) and UNION_TAG not in tags(new):
        return xdm.XdmError(UNION_REMOVAL_CODE, "Profile enablement cannot be removed",
                            f"Schema {old['$id']} is enabled for Profile ('meta:immutableTags' contains 'union'); a "
                            "schema enabled for Profile can never be disabled.",
                            [{"field": "meta:immutableTags", "change": "unionRemoved",
                              "message": "the 'union' tag cannot be removed"}])
    return None


def check_tags(resource: dict) -> None:
    """``meta:immutableTags`` is a list of strings, only ``union`` (400 otherwise)."""
    value = resource.get("meta:immutableTags")
    if value is None:
        return
    if not isinstance(value, list) or any(t != UNION_TAG for t in value):
        raise xdm.bad_request("'meta:immutableTags' must be a list whose only allowed value is 'union'")
    if resource.get("meta:resourceType") == "mixins" or "meta:intendedToExtend" in resource:
        raise xdm.bad_request("'meta:immutableTags' can only be set on schemas")


def missing_primary_identity(schema: dict) -> xdm.XdmError:
    return xdm.XdmError(UNION_IDENTITY_CODE, "Primary identity required",
                        f"Schema {schema['$id']} cannot be enabled for Profile: a schema of class "
                        f"{schema.get('meta:class')} needs a primary identity descriptor (xdm:descriptorIdentity with "
                        "xdm:isPrimary true) first.")
