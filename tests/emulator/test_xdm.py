"""Unit tests of aep_emulator.xdm: standard classes, resource building, validation, field paths, Accept."""
import pytest

from aep_emulator.domain import xdm

EE = xdm.EXPERIENCE_EVENT
CTX = xdm.Context(tenant="acme", org="ORG@AdobeOrg", sandbox_id="sb-1", sandbox_type="production")


def field_group_body(fields=None, classes=(EE,), tenant="acme"):
    fields = fields or {"message": {"type": "string", "title": "Message"}}
    return {"type": "object", "title": "Chat Fields", "description": "chat",
            "meta:intendedToExtend": list(classes),
            "definitions": {"chat": {"properties": {f"_{tenant}": {"type": "object", "properties": fields}}}},
            "allOf": [{"$ref": "#/definitions/chat"}]}


@pytest.fixture
def registry():
    """A lookup over global resources plus the field groups created by the test."""
    tenant_resources = {}

    def lookup(ref):
        return xdm.global_resource(ref) or tenant_resources.get(xdm.to_id(ref))

    def add_field_group(body):
        xdm.validate_field_group_body(body, "acme", lookup)
        group = xdm.new_field_group(body, CTX)
        tenant_resources[group["$id"]] = group
        return group

    lookup.add_field_group = add_field_group
    return lookup


def test_experience_event_class_fields_and_required():
    resolved = xdm.resolve(xdm.global_resource(EE), xdm.global_resource)
    paths = xdm.field_paths(resolved)
    assert paths["_id"] == "string"
    assert paths["timestamp"] == "date-time"
    assert paths["identityMap"] == "map"
    assert {"eventType", "eventMergeId", "producedBy"} <= paths.keys()
    assert xdm.required_paths(resolved) == ["_id", "timestamp"]


def test_profile_class_fields_have_no_class_level_required():
    resolved = xdm.resolve(xdm.global_resource(xdm.PROFILE), xdm.global_resource)
    paths = xdm.field_paths(resolved)
    assert paths["personID"] == "string"
    assert paths["_repo.createDate"] == "date-time"
    assert xdm.required_paths(resolved) == []


def test_global_class_shape():
    ee = xdm.global_resource("_xdm.context.experienceevent")
    assert ee["$id"] == EE and ee["meta:altId"] == "_xdm.context.experienceevent"
    assert ee["title"] == "XDM ExperienceEvent" and ee["meta:extensible"] is True and ee["meta:abstract"] is False


def test_ids_and_alt_ids_convert_both_ways():
    assert xdm.to_id("_acme.schemas.abc") == "https://ns.adobe.com/acme/schemas/abc"
    assert xdm.alt_id("https://ns.adobe.com/acme/schemas/abc") == "_acme.schemas.abc"
    assert xdm.to_id(EE) == EE


def test_field_group_resource(registry):
    group = registry.add_field_group(field_group_body())
    assert group["$id"].startswith("https://ns.adobe.com/acme/mixins/")
    assert group["meta:altId"] == xdm.alt_id(group["$id"])
    assert group["meta:resourceType"] == "mixins" and group["version"] == "1.0"
    assert group["meta:tenantNamespace"] == "_acme" and group["meta:containerId"] == "tenant"
    assert group["meta:intendedToExtend"] == [EE]
    assert len(group["meta:registryMetadata"]["eTag"]) == 64


def test_schema_resource_and_field_paths(registry):
    group = registry.add_field_group(field_group_body())
    body = {"type": "object", "title": "Chat", "description": "d", "allOf": [{"$ref": EE}, {"$ref": group["$id"]}]}
    schema = xdm.new_schema(body, CTX, registry)
    assert schema["$id"].startswith("https://ns.adobe.com/acme/schemas/")
    assert schema["meta:altId"].startswith("_acme.schemas.")
    assert schema["meta:class"] == EE
    assert schema["meta:extends"][-2:] == [EE, group["$id"]]
    assert schema["meta:sandboxId"] == "sb-1" and schema["imsOrg"] == "ORG@AdobeOrg"
    resolved = xdm.resolve(schema, registry)
    assert xdm.field_paths(resolved)["_acme.message"] == "string"
    assert xdm.required_paths(resolved) == ["_id", "timestamp"]


def test_nested_required_fields_are_required_paths(registry):
    group = registry.add_field_group(field_group_body(
        {"order": {"type": "object", "properties": {"total": {"type": "number"}}, "required": ["total"]}}))
    schema = xdm.new_schema({"type": "object", "title": "t", "allOf": [{"$ref": EE}, {"$ref": group["$id"]}]},
                            CTX, registry)
    assert "_acme.order.total" in xdm.required_paths(xdm.resolve(schema, registry))


@pytest.mark.parametrize("body, message", [
    ({"type": "object", "title": "t", "allOf": [{"$ref": xdm.PROFILE}, {"$ref": EE}]}, "exactly one class"),
    ({"type": "object", "title": "t", "allOf": []}, "exactly one class"),
    ({"type": "object", "title": "t", "allOf": [{"$ref": "https://ns.adobe.com/acme/mixins/nope"}]}, "unknown resource"),
    ({"type": "object", "allOf": [{"$ref": EE}]}, "'title'"),
    ({"type": "array", "title": "t", "allOf": [{"$ref": EE}]}, "'type'"),
])
def test_invalid_schema_bodies(registry, body, message):
    with pytest.raises(xdm.XdmError) as err:
        xdm.validate_schema_body(body, registry)
    assert err.value.status == 400 and message in err.value.detail


def test_field_group_must_be_compatible_with_the_class(registry):
    group = registry.add_field_group(field_group_body(classes=(xdm.PROFILE,)))
    with pytest.raises(xdm.XdmError, match="not compatible"):
        xdm.validate_schema_body({"type": "object", "title": "t", "allOf": [{"$ref": EE}, {"$ref": group["$id"]}]},
                                 registry)


@pytest.mark.parametrize("body, message", [
    ({**field_group_body(), "meta:intendedToExtend": []}, "meta:intendedToExtend"),
    ({**field_group_body(), "meta:intendedToExtend": ["https://ns.adobe.com/xdm/nope"]}, "unknown class"),
    (field_group_body(tenant="other"), "tenant namespace '_acme'"),
    (field_group_body({"_hidden": {"type": "string"}}), "Invalid field name '_hidden'"),
    (field_group_body({"bad name": {"type": "string"}}), "Invalid field name"),
    (field_group_body({"x": {"type": "text"}}), "invalid or missing type"),
    (field_group_body({"x": {"type": "object"}}), "must define 'properties'"),
    ({**field_group_body(), "allOf": [{"$ref": "#/definitions/missing"}]}, "missing definition"),
])
def test_invalid_field_group_bodies(registry, body, message):
    with pytest.raises(xdm.XdmError) as err:
        xdm.validate_field_group_body(body, "acme", registry)
    assert message in err.value.detail


def test_conflicting_field_types_are_rejected(registry):
    one = registry.add_field_group(field_group_body({"x": {"type": "string"}}))
    two = registry.add_field_group(field_group_body({"x": {"type": "integer"}}))
    with pytest.raises(xdm.XdmError, match="defined twice"):
        xdm.validate_schema_body({"type": "object", "title": "t",
                                  "allOf": [{"$ref": EE}, {"$ref": one["$id"]}, {"$ref": two["$id"]}]}, registry)


def test_replace_keeps_ids_and_bumps_minor_version(registry):
    group = registry.add_field_group(field_group_body())
    updated = xdm.replace_resource(group, {**field_group_body(), "title": "Renamed"}, CTX, registry)
    assert updated["$id"] == group["$id"] and updated["title"] == "Renamed" and updated["version"] == "1.1"
    created = group["meta:registryMetadata"]["repo:createdDate"]
    assert updated["meta:registryMetadata"]["repo:createdDate"] == created


@pytest.mark.parametrize("accept, expected", [
    ("application/vnd.adobe.xed-id+json", "id"),
    ("application/vnd.adobe.xed+json", "xed"),
])
def test_list_accept(accept, expected):
    assert xdm.list_format(accept) == expected


@pytest.mark.parametrize("accept", [None, "", "*/*", "application/json", "application/vnd.adobe.xed+json;version=1"])
def test_list_accept_errors_are_400(accept):
    with pytest.raises(xdm.XdmError) as err:
        xdm.list_format(accept)
    assert err.value.status == 400 and err.value.code == "XDM-1006-400"


@pytest.mark.parametrize("accept, expected", [
    ("application/vnd.adobe.xed+json; version=1", ("xed", 1)),
    ("application/vnd.adobe.xed-full+json;version=1", ("full", 1)),
    ("application/vnd.adobe.xed-notext+json; version=1", ("notext", 1)),
    ("application/vnd.adobe.xed-full-notext+json; version=1.2", ("full-notext", 1)),
    ("application/vnd.adobe.xdm-full+json; version=2", ("full", 2)),
])
def test_lookup_accept(accept, expected):
    assert xdm.lookup_format(accept) == expected


@pytest.mark.parametrize("accept, status", [
    (None, 400), ("*/*", 400), ("application/vnd.adobe.xed+json", 400), ("application/vnd.adobe.xed-full+json", 400),
    ("application/json", 406), ("application/vnd.adobe.xed-id+json; version=1", 406),
])
def test_lookup_accept_errors(accept, status):
    with pytest.raises(xdm.XdmError) as err:
        xdm.lookup_format(accept)
    assert err.value.status == status


def test_render_variants(registry):
    group = registry.add_field_group(field_group_body())
    schema = xdm.new_schema({"type": "object", "title": "Chat", "allOf": [{"$ref": EE}, {"$ref": group["$id"]}]},
                            CTX, registry)
    assert xdm.render(schema, "xed", registry) is schema
    full = xdm.render(schema, "full", registry)
    assert "allOf" not in full and full["properties"]["_acme"]["properties"]["message"]["title"] == "Message"
    assert full["required"] == ["_id", "timestamp"] and full["title"] == "Chat"
    notext = xdm.render(schema, "full-notext", registry)
    assert "title" not in notext["properties"]["_acme"]["properties"]["message"]
    assert xdm.render(group, "notext", registry)["definitions"]["chat"]["properties"]["_acme"]["properties"][
        "message"] == {"type": "string"}
    assert xdm.summary(schema) == {k: schema[k] for k in ("$id", "meta:altId", "version", "title")}


def test_destination_types_allow_indexes_and_map_keys():
    paths = xdm.field_paths(xdm.resolve(xdm.global_resource(EE), xdm.global_resource))
    assert xdm.destination_type(paths, "timestamp") == "date-time"
    # a map key has the type of the map's values (identityMap: map of arrays of {id, authenticatedState, primary})
    assert xdm.destination_type(paths, "identityMap.Email") == "array"
    assert xdm.destination_type(paths, "identityMap.Email[0]") == "object"
    assert xdm.destination_type(paths, "identityMap.Email[0].id") == "string"
    assert xdm.destination_type(paths, "identityMap.Email[*].primary") == "boolean"
    assert xdm.destination_type(paths, "identityMap.Email[0].nope") == "any"
    assert xdm.destination_type(paths, "nope") is None


def test_property_filter():
    items = [{"title": "A", "meta:intendedToExtend": [EE]}, {"title": "B", "meta:intendedToExtend": []}]
    assert xdm.resources_matching(items, "title==A") == items[:1]
    assert xdm.resources_matching(items, "title!=A") == items[1:]
    assert xdm.resources_matching(items, f"meta:intendedToExtend=={EE}") == items[:1]
    assert xdm.resources_matching(items, "title>A") == items[1:]
    assert xdm.resources_matching(items, "title") == items


def test_error_body_shape():
    body = xdm.not_found("https://ns.adobe.com/acme/schemas/x").body()
    assert body["type"] == "http://ns.adobe.com/aep/errors/XDM-1012-404" and body["status"] == 404
    assert body["title"] == "Resource Not Found" and "registryRequestId" in body["report"]
    assert body["detail"] == body["report"]["detailed-message"]
