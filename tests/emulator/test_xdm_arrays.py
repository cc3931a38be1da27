"""Arrays and maps in XDM and in Data Prep: arrays of scalars and of objects (nested), maps of scalars; AEP's
``[*]`` array paths (item by item), whole-array and whole-map mappings, values checked against the item types."""

from __future__ import annotations

import pytest
import requests

from emulator_support import (EXPERIENCE_EVENT, FS, TENANT, create_dataset, create_source_connection,
                              create_target_connection, flow_body)

SR = "/data/foundation/schemaregistry"
DP = "/data/foundation/conversion"
T = f"_{TENANT}"
ORDER_FIELDS = {
    "orderId": {"type": "string"},
    "tags": {"type": "array", "items": {"type": "string"}},
    "items": {"type": "array", "items": {"type": "object", "properties": {
        "sku": {"type": "string"}, "qty": {"type": "integer"},
        "options": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}}}},
    "attributes": {"type": "object", "additionalProperties": {"type": "string"}},
    "scores": {"type": "object", "additionalProperties": {"type": "number"}},
}
ORDER = {"id": "o-1", "tags": ["new", "vip"],
         "lines": [{"sku": "A-1", "qty": "2", "options": [{"name": "red"}]}, {"sku": "B-2", "qty": 1, "options": []}],
         "attrs": {"channel": "web", "coupon": 10}, "scores": {"fraud": "0.5"}}


def order_schema(aep) -> str:
    group = aep.post(f"{SR}/tenant/fieldgroups", json={
        "type": "object", "title": "Shop order", "meta:intendedToExtend": [EXPERIENCE_EVENT],
        "definitions": {"order": {"properties": {T: {"type": "object", "properties": ORDER_FIELDS}}}},
        "allOf": [{"$ref": "#/definitions/order"}]})
    assert group.status_code == 201, group.text
    schema = aep.post(f"{SR}/tenant/schemas", json={
        "type": "object", "title": "Orders", "allOf": [{"$ref": EXPERIENCE_EVENT}, {"$ref": group.json()["$id"]}]})
    assert schema.status_code == 201, schema.text
    return schema.json()["$id"]


def mapping_set(schema_id: str, mappings: list[tuple[str, str]]) -> dict:
    rows = [{"sourceType": "ATTRIBUTE", "source": s, "destination": d} for s, d in mappings]
    rows += [{"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
             {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]
    return {"outputSchema": {"schemaRef": {"id": schema_id}}, "mappings": rows}


ARRAY_MAPPINGS = [("id", f"{T}.orderId"), ("tags", f"{T}.tags"), ("lines[*].sku", f"{T}.items[*].sku"),
                  ("lines[*].qty", f"{T}.items[*].qty"), ("lines[*].options[*].name", f"{T}.items[*].options[*].name"),
                  ("attrs", f"{T}.attributes"), ("scores", f"{T}.scores")]


def order_flow(aep, mappings) -> dict:
    schema_id = order_schema(aep)
    dataset_id = create_dataset(aep, schema_id, name="Orders")
    created = aep.post(f"{DP}/mappingSets", json=mapping_set(schema_id, mappings))
    assert created.status_code == 200, created.text
    target = create_target_connection(aep, dataset_id, schema_id)
    flow = aep.post(f"{FS}/flows", json=flow_body(create_source_connection(aep), target, created.json()["id"]))
    assert flow.status_code == 201, flow.text
    doc = aep.get(f"{FS}/flows/{flow.json()['id']}").json()["items"][0]
    return {"schema_id": schema_id, "dataset_id": dataset_id, "flow_id": doc["id"],
            "inlet_url": doc["options"]["inletUrl"]}


def landed(aep, scenario) -> list[dict]:
    return aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records", params={"sandbox": "prod"}).json()["records"]


def run_of(aep, scenario) -> dict:
    return aep.get(f"{FS}/runs", params={"property": f"flowId=={scenario['flow_id']}"}).json()["items"][0]


def test_array_and_map_fields_are_stored_and_rendered(aep):
    schema_id = order_schema(aep)
    full = aep.get(f"{SR}/tenant/schemas/{requests.utils.quote(schema_id, safe='')}",
                   headers={"Accept": "application/vnd.adobe.xed-full+json; version=1"}).json()
    assert full["properties"][T]["properties"] == ORDER_FIELDS


@pytest.mark.parametrize("field, message", [
    ({"type": "array"}, f"Field '{T}.bad[]' must be an object"),
    ({"type": "array", "items": {"type": "list"}}, f"Field '{T}.bad[]' has an invalid or missing type: 'list'"),
    ({"type": "object"}, f"Object field '{T}.bad' must define 'properties'"),
])
def test_invalid_array_and_map_fields(aep, field, message):
    response = aep.post(f"{SR}/tenant/fieldgroups", json={
        "type": "object", "title": "Bad", "meta:intendedToExtend": [EXPERIENCE_EVENT],
        "definitions": {"d": {"properties": {T: {"type": "object", "properties": {"bad": field}}}}},
        "allOf": [{"$ref": "#/definitions/d"}]})
    assert response.status_code == 400
    assert response.json()["detail"] == message


def test_a_payload_with_lists_lands_mapped(aep):
    scenario = order_flow(aep, ARRAY_MAPPINGS)
    assert requests.post(scenario["inlet_url"], json=ORDER).status_code == 200
    (record,) = landed(aep, scenario)
    assert record[T] == {"orderId": "o-1", "tags": ["new", "vip"],
                         "items": [{"sku": "A-1", "qty": 2, "options": [{"name": "red"}]}, {"sku": "B-2", "qty": 1}],
                         "attributes": {"channel": "web", "coupon": "10"}, "scores": {"fraud": 0.5}}
    assert run_of(aep, scenario)["metrics"]["recordSummary"]["outputRecordCount"] == 1


def test_whole_array_of_objects_is_checked_item_by_item(aep):
    scenario = order_flow(aep, [("id", f"{T}.orderId"), ("lines", f"{T}.items")])
    ok = {"id": "o-2", "lines": [{"sku": "A", "qty": "3"}]}
    bad_type = {"id": "o-3", "lines": [{"sku": "A", "qty": "three"}]}
    unknown = {"id": "o-4", "lines": [{"sku": "A", "colour": "red"}]}
    not_list = {"id": "o-5", "lines": {"sku": "A"}}
    for payload in (ok, bad_type, unknown, not_list):
        assert requests.post(scenario["inlet_url"], json=payload).status_code == 200
    (record,) = landed(aep, scenario)
    assert record[T] == {"orderId": "o-2", "items": [{"sku": "A", "qty": 3}]}
    run = run_of(aep, scenario)
    assert run["metrics"]["recordSummary"] == {"inputRecordCount": 4, "outputRecordCount": 1, "createdRecordCount": 1,
                                               "failedRecordCount": 3}
    assert run["metrics"]["statusSummary"]["errors"] == [
        {"code": "MAPPER-3700-400", "message": "3 record(s) failed mapping or validation."},
        {"code": "MAPPER-3701-400", "recordCount": 1,
         "message": f"Mapping to '{T}.items' failed: invalid literal for int() with base 10: 'three'"},
        {"code": "MAPPER-3701-400", "recordCount": 1, "message": f"Mapping to '{T}.items' failed: 'colour' is not a "
                                                                 f"field of '{T}.items[]'"},
        {"code": "MAPPER-3701-400", "recordCount": 1,
         "message": f"Mapping to '{T}.items' failed: expected an array, got an object"}]


def test_map_values_are_checked(aep):
    scenario = order_flow(aep, [("id", f"{T}.orderId"), ("attrs", f"{T}.attributes")])
    assert requests.post(scenario["inlet_url"], json={"id": "o", "attrs": {"nested": {"x": 1}}}).status_code == 200
    assert landed(aep, scenario) == []
    assert run_of(aep, scenario)["metrics"]["statusSummary"]["errors"][1]["message"] == (
        f"Mapping to '{T}.attributes' failed: cannot convert an object or array to a string")


def test_spread_needs_a_spread_in_the_source(aep):
    schema_id = order_schema(aep)
    response = aep.post(f"{DP}/mappingSets", json=mapping_set(schema_id, [("lines[0].sku", f"{T}.items[*].sku")]))
    assert response.status_code == 400
    errors = response.json()["report"]["errors"]
    assert errors == [{"destination": f"{T}.items[*].sku", "source": "lines[0].sku", "columnName": "lines[0].sku",
                       "sourceType": "text/x.schema-path",
                       "exception": f"Destination '{T}.items[*].sku' has more '[*]' than source 'lines[0].sku': each "
                                    "'[*]' of the destination needs one in the source"}]


def test_spread_paths_unit():
    from aep_emulator.domain import mapping

    types = {"o": "object", "o.rows": "array", "o.rows[]": "object", "o.rows[].cells": "array",
             "o.rows[].cells[]": "integer", "o.first": "integer"}
    mapper = mapping.compile_mapping_set({"mappings": [
        {"sourceType": "ATTRIBUTE", "source": "t[*].c[*]", "destination": "o.rows[*].cells[*]"},
        {"sourceType": "ATTRIBUTE", "source": "t[0].c[1]", "destination": "o.first"},
        {"sourceType": "EXPRESSION", "source": "size_of(t)", "destination": "o.count"}]}, types, [])
    assert mapper.apply({"t": [{"c": ["1", 2]}, {"c": []}, {"c": [None, "4"]}]}) == (
        {"o": {"rows": [{"cells": [1, 2]}, None, {"cells": [None, 4]}], "first": 2, "count": 3}}, [])
    assert mapper.apply({"t": {"c": 1}}) == ({"o": {"count": 1}}, [])  # [*] over a non-array yields nothing
