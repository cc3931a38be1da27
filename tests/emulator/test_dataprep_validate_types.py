"""Data Prep refuses mappings that can never fill their destination (issue 8 item 4), at ``POST
/mappingSets/validate`` and at create/update, with the same table as the collection (``mapping_types``): constants
that do not convert, scalars into object/array/map fields, array items into a scalar field. Legal mappings (whole
arrays and objects from attribute paths, ``[*]`` paired item by item, calculated fields of a fitting type) pass."""

from __future__ import annotations

import pytest

from emulator_support import EXPERIENCE_EVENT, TENANT

DP = "/data/foundation/conversion"
T = f"_{TENANT}"
FIELDS = {
    "text": {"type": "string"}, "count": {"type": "integer"}, "ok": {"type": "boolean"},
    "day": {"type": "string", "format": "date"},
    "obj": {"type": "object", "properties": {"a": {"type": "string"}}},
    "messages": {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}},
    "tags": {"type": "array", "items": {"type": "string"}},
    "visitor_attributes": {"type": "object", "additionalProperties": {"type": "string"}},
}


@pytest.fixture
def schema_id(aep) -> str:
    group = aep.post("/data/foundation/schemaregistry/tenant/fieldgroups", json={
        "type": "object", "title": "Typed fields", "meta:intendedToExtend": [EXPERIENCE_EVENT],
        "definitions": {"f": {"properties": {T: {"type": "object", "properties": FIELDS}}}},
        "allOf": [{"$ref": "#/definitions/f"}]})
    assert group.status_code == 201, group.text
    schema = aep.post("/data/foundation/schemaregistry/tenant/schemas", json={
        "type": "object", "title": "Typed events", "allOf": [{"$ref": EXPERIENCE_EVENT}, {"$ref": group.json()["$id"]}]})
    assert schema.status_code == 201, schema.text
    return schema.json()["$id"]


def body(schema_id: str, *mappings: dict) -> dict:
    return {"outputSchema": {"schemaRef": {"id": schema_id}}, "mappings": list(mappings)}


def m(source_type: str, source: str, destination: str) -> dict:
    return {"sourceType": source_type, "source": source, "destination": destination}


REFUSED = [
    (m("STATIC", "abc", f"{T}.count"), f"Destination '{T}.count' is of type integer: the constant 'abc' does not convert to it"),
    (m("EXPRESSION", "'abc'", f"{T}.count"),
     f"Destination '{T}.count' is of type integer: the constant 'abc' does not convert to it"),
    (m("EXPRESSION", "'not a date'", "timestamp"),
     "Destination 'timestamp' is of type date-time: the constant 'not a date' does not convert to it"),
    (m("STATIC", "not a date", "timestamp"),
     "Destination 'timestamp' is of type date-time: the constant 'not a date' does not convert to it"),
    (m("EXPRESSION", "4.5", f"{T}.count"), f"Destination '{T}.count' is of type integer: the constant '4.5' does not convert to it"),
    (m("STATIC", "x", f"{T}.obj"), f"Destination '{T}.obj' is of type object and cannot hold the constant 'x'"),
    (m("EXPRESSION", "lower(message)", f"{T}.obj"),
     f"Destination '{T}.obj' is of type object and cannot hold the string value of source 'lower(message)'"),
    (m("STATIC", "x", f"{T}.messages"), f"Destination '{T}.messages' is of type array and cannot hold the constant 'x'"),
    (m("EXPRESSION", "'x'", f"{T}.visitor_attributes"),
     f"Destination '{T}.visitor_attributes' is of type map and cannot hold the constant 'x'"),
    (m("ATTRIBUTE", "messages[*].text", f"{T}.text"),
     f"Destination '{T}.text' is of type string and cannot hold the array value of source 'messages[*].text'"),
    (m("EXPRESSION", "message == 'Hi'", f"{T}.count"),
     f"Destination '{T}.count' is of type integer and cannot hold the boolean value of source 'message == 'Hi''"),
    (m("EXPRESSION", "length(message)", f"{T}.ok"),
     f"Destination '{T}.ok' is of type boolean and cannot hold the number value of source 'length(message)'"),
    (m("STATIC", "yes", f"{T}.ok"), f"Destination '{T}.ok' is of type boolean: the constant 'yes' does not convert to it"),
    (m("STATIC", "2024-13-45T99:00:00Z", "timestamp"),
     "Destination 'timestamp' is of type date-time: the constant '2024-13-45T99:00:00Z' does not convert to it"),
    (m("STATIC", "99999999999999999999999", f"{T}.count"),
     f"Destination '{T}.count' is of type integer: the constant '99999999999999999999999' does not convert to it"),
    (m("EXPRESSION", "99999999999999999999999", f"{T}.count"),
     f"Destination '{T}.count' is of type integer: the constant '99999999999999999999999' does not convert to it"),
    (m("STATIC", "x", f"{T}.messages[*].text"),
     f"Destination '{T}.messages[*].text' is an item path of an array ('[*]') and cannot hold the string value of "
     "source 'x': '[*]' needs an array source"),
    (m("EXPRESSION", "uuid()", "timestamp"),
     "Destination 'timestamp' is of type date-time: uuid() yields a text (a UUID or digest) that never converts to date-time"),
    (m("EXPRESSION", "upper('abc')", f"{T}.count"),
     f"Destination '{T}.count' is of type integer: the constant 'ABC' does not convert to it"),
    (m("EXPRESSION", "concat('a','b')", f"{T}.count"),
     f"Destination '{T}.count' is of type integer: the constant 'ab' does not convert to it"),
    (m("EXPRESSION", "to_integer('abc')", f"{T}.count"),
     f"Destination '{T}.count' is of type integer: to_integer('abc') fails on every record: 'abc' does not convert to integer"),
]
LEGAL = [
    m("ATTRIBUTE", "message", f"{T}.text"), m("ATTRIBUTE", "visitor", f"{T}.obj"),
    m("ATTRIBUTE", "messages", f"{T}.messages"), m("ATTRIBUTE", "messages[*].text", f"{T}.messages[*].text"),
    m("ATTRIBUTE", "messages[*].text", f"{T}.tags"), m("ATTRIBUTE", "attrs", f"{T}.visitor_attributes"),
    m("ATTRIBUTE", "count", f"{T}.count"), m("STATIC", "42", f"{T}.count"), m("EXPRESSION", "42", f"{T}.count"),
    m("STATIC", "true", f"{T}.ok"), m("EXPRESSION", "message == 'Hi'", f"{T}.ok"),
    m("EXPRESSION", "to_integer(n)", f"{T}.count"), m("EXPRESSION", "now()", f"{T}.day"),
    m("EXPRESSION", "timestamp()", "timestamp"), m("EXPRESSION", "(now())", "timestamp"),
    m("STATIC", "2024-05-01T10:00:00Z", "timestamp"), m("EXPRESSION", "uuid()", "_id"),
    m("EXPRESSION", "split(message, ' ')", f"{T}.tags"), m("EXPRESSION", "iif(a, 1, 2)", f"{T}.count"),
    m("STATIC", "2024-02-29T23:59:59Z", "timestamp"), m("STATIC", "9223372036854775807", f"{T}.count"),
    m("EXPRESSION", "concat('1', '2')", f"{T}.count"), m("EXPRESSION", "to_integer('42')", f"{T}.count"),
    m("EXPRESSION", "upper('true')", f"{T}.ok"), m("EXPRESSION", "uuid()", f"{T}.text"),
]


@pytest.mark.parametrize("mapping, exception", REFUSED)
def test_validate_and_create_refuse_mappings_that_can_never_succeed(aep, schema_id, mapping, exception):
    validated = aep.post(f"{DP}/mappingSets/validate", json=body(schema_id, mapping))
    assert validated.status_code == 200
    (result,) = validated.json()["validationResponse"]
    assert result["status"] == "FAILED"
    assert [e["exception"] for e in result["errors"]] == [exception]
    created = aep.post(f"{DP}/mappingSets", json=body(schema_id, mapping))
    assert created.status_code == 400
    assert created.json()["detail"] == f"Mapping set validation failed: {exception}"
    assert created.json()["report"]["errors"][0]["destination"] == mapping["destination"]


def test_an_update_is_refused_the_same_way_and_changes_nothing(aep, schema_id):
    created = aep.post(f"{DP}/mappingSets", json=body(schema_id, *LEGAL))
    assert created.status_code == 200, created.text
    mapping_id = created.json()["id"]
    updated = aep.put(f"{DP}/mappingSets/{mapping_id}", json=body(schema_id, REFUSED[0][0]))
    assert updated.status_code == 400
    assert aep.get(f"{DP}/mappingSets/{mapping_id}").json()["version"] == 0


def test_legal_mappings_pass_validate_and_create(aep, schema_id):
    validated = aep.post(f"{DP}/mappingSets/validate", json=body(schema_id, *LEGAL))
    assert validated.json() == {"validationResponse": [{"status": "SUCCESS", "errors": None}] * len(LEGAL)}
    assert aep.post(f"{DP}/mappingSets", json=body(schema_id, *LEGAL)).status_code == 200


def test_preview_refuses_an_integer_beyond_64_bits_with_a_data_prep_error(aep, schema_id):
    mapping = m("EXPRESSION", "99999999999999999999999", f"{T}.count")
    preview = aep.post(f"{DP}/mappingSets/preview", json={"data": [{"message": "Hi"}], "mappingSet": body(schema_id, mapping)})
    assert preview.status_code == 400, preview.text
    assert preview.json()["detail"] == (f"Mapping set validation failed: Destination '{T}.count' is of type integer: "
                                        "the constant '99999999999999999999999' does not convert to it")
