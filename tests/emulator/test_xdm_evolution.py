"""Schema evolution as AEP enforces it: once data landed (Catalog ``lastBatchId``) or the schema is enabled for
Profile, only non-destructive changes pass, through PUT and PATCH of field groups and schemas; before any data the
same changes are accepted. Refusals: 400 ``XDM-1020-400`` with one ``sub-errors`` entry per breaking change."""

from __future__ import annotations

import copy

import pytest
import requests

from emulator_support import CHATLIO_PAYLOAD, TENANT, create_chatlio_flow

SR = "/data/foundation/schemaregistry"
CATALOG = "/data/foundation/catalog"
FIELDS = f"/definitions/chatlio/properties/_{TENANT}/properties"
XED = {"Accept": "application/vnd.adobe.xed+json; version=1"}


def field_group_id(aep, scenario) -> str:
    schema = aep.get(f"{SR}/tenant/schemas/{requests.utils.quote(scenario['schema_id'], safe='')}", headers=XED).json()
    return schema["refs"][1]


def ingest(scenario, payload=None):
    response = requests.post(scenario["inlet_url"], json=payload or CHATLIO_PAYLOAD)
    assert response.status_code == 200


def quoted(resource_id: str) -> str:
    return requests.utils.quote(resource_id, safe="")


def refusal(response, resource_id: str, reason: str, changes: list[dict]) -> None:
    """The full 400 body, with the request id and timestamp taken from the response."""
    assert response.status_code == 400, response.text
    body = response.json()
    listed = "; ".join(c["message"] for c in changes)
    detail = (f"{resource_id} is in use ({reason}): only non-destructive changes are allowed (add optional fields, "
              f"make required fields optional). {listed}. Add a new field, or create a new field group or schema and "
              "migrate to it.")
    assert body == {
        "type": "http://ns.adobe.com/aep/errors/XDM-1020-400", "title": "Breaking change not allowed", "status": 400,
        "report": {"registryRequestId": body["report"]["registryRequestId"], "timestamp": body["report"]["timestamp"],
                   "detailed-message": detail, "sub-errors": changes},
        "detail": detail}


M = f"_{TENANT}.message"
BREAKING = {
    "retype": ([{"op": "replace", "path": f"{FIELDS}/message/type", "value": "integer"}],
               [{"field": M, "change": "retyped", "message": f"Field '{M}' cannot change its type from string to integer"}]),
    "remove": ([{"op": "remove", "path": f"{FIELDS}/message"}],
               [{"field": M, "change": "removed", "message": f"Field '{M}' cannot be removed"}]),
    "rename": ([{"op": "remove", "path": f"{FIELDS}/message"},
                {"op": "add", "path": f"{FIELDS}/text", "value": {"type": "string"}}],
               [{"field": M, "change": "renamed", "message": f"Field '{M}' cannot be renamed (to '_{TENANT}.text')"}]),
    "move": ([{"op": "remove", "path": f"{FIELDS}/message"},
              {"op": "add", "path": f"{FIELDS}/chat", "value": {"type": "object", "properties": {
                  "message": {"type": "string"}}}}],
             [{"field": M, "change": "moved", "message": f"Field '{M}' cannot be moved (to '_{TENANT}.chat.message')"}]),
    "make-required": ([{"op": "add", "path": f"/definitions/chatlio/properties/_{TENANT}/required", "value": ["message"]}],
                      [{"field": M, "change": "required", "message": f"Optional field '{M}' cannot be made required"}]),
    "add-enum": ([{"op": "add", "path": f"{FIELDS}/message/enum", "value": ["Hi", "Hello"]}],
                 [{"field": M, "change": "enumNarrowed", "message": f"The allowed values of field '{M}' cannot be "
                   "narrowed (values no longer allowed: ['(any value)'])"}]),
    "add-required-field": ([{"op": "add", "path": f"{FIELDS}/note", "value": {"type": "string"}},
                            {"op": "add", "path": f"/definitions/chatlio/properties/_{TENANT}/required", "value": ["note"]}],
                           [{"field": f"_{TENANT}.note", "change": "required",
                             "message": f"New field '_{TENANT}.note' cannot be added as required; add it as optional"}]),
}


@pytest.mark.parametrize("name", sorted(BREAKING))
def test_breaking_field_group_patch_refused_after_data(aep, name):
    scenario = create_chatlio_flow(aep)
    group_id = field_group_id(aep, scenario)
    ingest(scenario)
    operations, changes = BREAKING[name]
    before = aep.get(f"{SR}/tenant/fieldgroups/{quoted(group_id)}", headers=XED).json()
    response = aep.patch(f"{SR}/tenant/fieldgroups/{quoted(group_id)}", json=operations)
    refusal(response, group_id, f"used by schema {scenario['schema_id']}: data has been ingested into dataset "
            f"{scenario['dataset_id']}", changes)
    assert aep.get(f"{SR}/tenant/fieldgroups/{quoted(group_id)}", headers=XED).json() == before  # nothing written


@pytest.mark.parametrize("name", sorted(BREAKING))
def test_the_same_changes_pass_before_any_data(aep, name):
    scenario = create_chatlio_flow(aep)
    group_id = field_group_id(aep, scenario)
    response = aep.patch(f"{SR}/tenant/fieldgroups/{quoted(group_id)}", json=BREAKING[name][0])
    assert response.status_code == 200, response.text
    assert response.json()["version"] == "1.1"


def test_breaking_field_group_put_refused_after_data(aep):
    scenario = create_chatlio_flow(aep)
    group_id = field_group_id(aep, scenario)
    ingest(scenario)
    group = aep.get(f"{SR}/tenant/fieldgroups/{quoted(group_id)}", headers=XED).json()
    body = {k: copy.deepcopy(group[k]) for k in ("title", "description", "type", "definitions", "allOf",
                                                 "meta:intendedToExtend")}
    body["definitions"]["chatlio"]["properties"][f"_{TENANT}"]["properties"]["message"] = {"type": "integer"}
    refusal(aep.put(f"{SR}/tenant/fieldgroups/{quoted(group_id)}", json=body), group_id,
            f"used by schema {scenario['schema_id']}: data has been ingested into dataset {scenario['dataset_id']}",
            BREAKING["retype"][1])


def test_non_destructive_changes_pass_after_data(aep):
    scenario = create_chatlio_flow(aep)
    group_id = field_group_id(aep, scenario)
    url = f"{SR}/tenant/fieldgroups/{quoted(group_id)}"
    # before data: message becomes required and gets allowed values
    assert aep.patch(url, json=[
        {"op": "add", "path": f"/definitions/chatlio/properties/_{TENANT}/required", "value": ["message"]},
        {"op": "add", "path": f"{FIELDS}/message/enum", "value": ["Hi", "Hello"]}]).status_code == 200
    ingest(scenario)
    # after data: add an optional field, make the required field optional, widen the allowed values, new texts
    response = aep.patch(url, json=[
        {"op": "add", "path": f"{FIELDS}/note", "value": {"type": "string", "title": "Note"}},
        {"op": "remove", "path": f"/definitions/chatlio/properties/_{TENANT}/required"},
        {"op": "replace", "path": f"{FIELDS}/message/enum", "value": ["Hi", "Hello", "Hey"]},
        {"op": "replace", "path": "/description", "value": "new words"}])
    assert response.status_code == 200, response.text
    assert response.json()["version"] == "1.2"
    # narrowing them back is refused
    refusal(aep.patch(url, json=[{"op": "replace", "path": f"{FIELDS}/message/enum", "value": ["Hi"]}]), group_id,
            f"used by schema {scenario['schema_id']}: data has been ingested into dataset {scenario['dataset_id']}",
            [{"field": M, "change": "enumNarrowed",
              "message": f"The allowed values of field '{M}' cannot be narrowed (values no longer allowed: "
                         "['Hello', 'Hey'])"}])


def test_schema_put_and_patch_refused_after_data(aep):
    scenario = create_chatlio_flow(aep)
    schema_url = f"{SR}/tenant/schemas/{quoted(scenario['schema_id'])}"
    ingest(scenario)
    reason = f"data has been ingested into dataset {scenario['dataset_id']}"
    removed = [{"field": f"_{TENANT}", "change": "removed", "message": f"Field '_{TENANT}' cannot be removed"}]
    refusal(aep.patch(schema_url, json=[{"op": "remove", "path": "/allOf/1"}]), scenario["schema_id"], reason, removed)
    schema = aep.get(schema_url, headers=XED).json()
    body = {"type": "object", "title": schema["title"], "allOf": [schema["allOf"][0]]}
    refusal(aep.put(schema_url, json=body), scenario["schema_id"], reason, removed)
    # a title change is not breaking
    assert aep.patch(schema_url, json=[{"op": "replace", "path": "/title", "value": "Renamed"}]).status_code == 200


def test_has_data_shows_in_catalog(aep):
    scenario = create_chatlio_flow(aep)
    dataset_url = f"{CATALOG}/dataSets/{scenario['dataset_id']}"
    dataset = aep.get(dataset_url).json()[scenario["dataset_id"]]
    assert "lastBatchId" not in dataset and "lastBatchStatus" not in dataset
    assert aep.get(f"{CATALOG}/batches", params={"dataSet": scenario["dataset_id"]}).json() == {}
    ingest(scenario, {**CHATLIO_PAYLOAD, "message": {"not": "a string"}})  # a failed record is not data
    assert "lastBatchId" not in aep.get(dataset_url).json()[scenario["dataset_id"]]
    ingest(scenario)
    ingest(scenario)
    dataset = aep.get(dataset_url).json()[scenario["dataset_id"]]
    assert dataset["lastBatchStatus"] == "success"
    batches = aep.get(f"{CATALOG}/batches", params={"dataSet": scenario["dataset_id"]}).json()
    (batch_id, batch), = batches.items()
    assert batch_id == dataset["lastBatchId"]
    assert batch == {"id": batch_id, "imsOrg": batch["imsOrg"], "status": "success", "created": batch["created"],
                     "updated": batch["created"], "completed": batch["created"],
                     "relatedObjects": [{"type": "dataSet", "id": scenario["dataset_id"]}],
                     "inputFormat": {"format": "json"}, "version": "1.0.0"}
    assert aep.get(f"{CATALOG}/batches/{batch_id}").json() == {batch_id: batch}
    assert aep.get(f"{CATALOG}/batches/nope").status_code == 404
    # a client cannot fake or erase it
    assert aep.patch(dataset_url, json={"lastBatchId": "x", "lastBatchStatus": "failed"}).status_code == 200
    assert aep.get(dataset_url).json()[scenario["dataset_id"]]["lastBatchId"] == batch_id


def test_breaking_changes_unit():
    from aep_emulator.domain import evolution

    old = {"properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}, "c": {"type": "integer"}},
                                "required": ["b"]},
                          "list": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "string"}}}},
                          "m": {"type": "object", "additionalProperties": {"type": "string"}}}}
    assert evolution.breaking_changes(old, old) == []
    new = copy.deepcopy(old)
    del new["properties"]["a"]
    new["properties"]["list"]["items"]["properties"]["x"]["type"] = "number"
    new["properties"]["m"]["additionalProperties"]["type"] = "integer"
    assert evolution.breaking_changes(old, new) == [
        {"field": "a", "change": "removed", "message": "Field 'a' cannot be removed"},
        {"field": "list[].x", "change": "retyped", "message": "Field 'list[].x' cannot change its type from string to number"},
        {"field": "m.*", "change": "retyped", "message": "Field 'm.*' cannot change its type from string to integer"}]
