"""Mappings checked for meaning: ``POST /mappingSets/validate`` reports destinations that can never hold the
source's value (a create refuses them too: tests/emulator/test_dataprep_validate_types.py); a mapping whose source
has the wrong shape only when the event arrives fails every such record at ingestion, with its error in the flow
run (``metrics.statusSummary.errors``)."""

from __future__ import annotations

import pytest
import requests

from emulator_support import (CHATLIO_PAYLOAD, FS, TENANT, create_chatlio_schema, create_dataset,
                              create_source_connection, create_target_connection, flow_body)

DP = "/data/foundation/conversion"
T = f"_{TENANT}"


def body(schema_id: str, mapping: dict) -> dict:
    return {"outputSchema": {"schemaRef": {"id": schema_id}}, "mappings": [mapping]}


def info(mapping: dict, stored_type: str, exception: str) -> dict:
    return {"destination": mapping["destination"], "exception": exception, "source": mapping["source"],
            "columnName": mapping["source"], "sourceType": stored_type}


@pytest.mark.parametrize("mapping, stored_type, exception", [
    ({"sourceType": "ATTRIBUTE", "source": "message", "destination": T}, "text/x.schema-path",
     f"Destination '{T}' is the tenant namespace object, which can never hold a mapped value: map each of its fields "
     "instead"),
    ({"sourceType": "STATIC", "source": "abc", "destination": "timestamp"}, "STATIC",
     "Destination 'timestamp' is of type date-time: the constant 'abc' does not convert to it"),
    ({"sourceType": "EXPRESSION", "source": "concat(message, '!')", "destination": "identityMap"}, "text/x.aep-xl",
     "Destination 'identityMap' is of type map and cannot hold the string value of source 'concat(message, '!')'"),
    ({"sourceType": "EXPRESSION", "source": "split(message, ' ')", "destination": f"{T}.message"}, "text/x.aep-xl",
     f"Destination '{T}.message' is of type string and cannot hold the array value of source 'split(message, ' ')'"),
    ({"sourceType": "EXPRESSION", "source": "equals(message, 'Hi')", "destination": "timestamp"}, "text/x.aep-xl",
     "Destination 'timestamp' is of type date-time and cannot hold the boolean value of source "
     "'equals(message, 'Hi')'"),
    ({"sourceType": "STATIC", "source": "x", "destination": "identityMap.Email"}, "STATIC",
     "Destination 'identityMap.Email' is of type array and cannot hold the constant 'x'"),
])
def test_validate_refuses_destinations_that_can_never_hold_the_value(aep, mapping, stored_type, exception):
    schema_id = create_chatlio_schema(aep)
    response = aep.post(f"{DP}/mappingSets/validate", json=body(schema_id, mapping))
    assert response.status_code == 200
    assert response.json() == {"validationResponse": [{"status": "FAILED",
                                                       "errors": [info(mapping, stored_type, exception)]}]}


@pytest.mark.parametrize("mapping", [
    {"sourceType": "ATTRIBUTE", "source": "message", "destination": f"{T}.message"},
    {"sourceType": "STATIC", "source": "2024-01-01T00:00:00Z", "destination": "timestamp"},
    {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"},
    {"sourceType": "EXPRESSION", "source": "lower(message)", "destination": f"{T}.message"},
    {"sourceType": "ATTRIBUTE", "source": "visitor.email", "destination": "identityMap.Email[0].id"},
])
def test_validate_accepts_mappings_that_can_succeed(aep, mapping):
    schema_id = create_chatlio_schema(aep)
    response = aep.post(f"{DP}/mappingSets/validate", json=body(schema_id, mapping))
    assert response.json() == {"validationResponse": [{"status": "SUCCESS", "errors": None}]}


def test_a_source_of_the_wrong_shape_fails_every_record_and_the_run_says_why(aep):
    schema_id = create_chatlio_schema(aep)
    dataset_id = create_dataset(aep, schema_id)
    created = aep.post(f"{DP}/mappingSets", json={
        "outputSchema": {"schemaRef": {"id": schema_id}},
        "mappings": [{"sourceType": "ATTRIBUTE", "source": "visitor", "destination": f"{T}.message"},
                     {"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
                     {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]})
    assert created.status_code == 200, created.text  # an attribute's shape is only known when the event arrives
    target = create_target_connection(aep, dataset_id, schema_id)
    flow = aep.post(f"{FS}/flows", json=flow_body(create_source_connection(aep), target, created.json()["id"]))
    flow_doc = aep.get(f"{FS}/flows/{flow.json()['id']}").json()["items"][0]
    for _attempt in range(2):
        assert requests.post(flow_doc["options"]["inletUrl"], json=CHATLIO_PAYLOAD).status_code == 200
    (run,) = aep.get(f"{FS}/runs", params={"property": f"flowId=={flow_doc['id']}"}).json()["items"]
    assert run["metrics"]["recordSummary"] == {"inputRecordCount": 2, "outputRecordCount": 0, "createdRecordCount": 0,
                                               "failedRecordCount": 2}
    expected = {"status": "failed", "errors": [
        {"code": "MAPPER-3700-400", "message": "2 record(s) failed mapping or validation."},
        {"code": "MAPPER-3701-400", "recordCount": 2,
         "message": f"Mapping to '{T}.message' failed: cannot convert an object or array to a string"}]}
    assert run["metrics"]["statusSummary"] == expected
    assert run["activities"][0]["statusSummary"] == expected
    assert aep.get(f"/data/foundation/catalog/dataSets/{dataset_id}").json()[dataset_id].get("lastBatchId") is None


def test_run_errors_survive_a_restart(start_emulator, tmp_path):
    from emulator_support import Aep, create_chatlio_flow

    first = start_emulator(data_dir=tmp_path)
    scenario = create_chatlio_flow(Aep(first.url))
    assert requests.post(scenario["inlet_url"], json={**CHATLIO_PAYLOAD, "message": ["a"]}).status_code == 200
    first.stop()
    second = start_emulator(data_dir=tmp_path)
    (run,) = Aep(second.url).get(f"{FS}/runs", params={"property": f"flowId=={scenario['flow_id']}"}).json()["items"]
    assert run["metrics"]["statusSummary"]["errors"][1] == {
        "code": "MAPPER-3701-400", "recordCount": 1,
        "message": f"Mapping to '{T}.message' failed: cannot convert an object or array to a string"}
