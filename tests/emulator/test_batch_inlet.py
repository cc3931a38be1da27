"""The batch inlet ``POST /collection/batch/{inletId}`` with ``{"messages": [...]}``: 207 with one result per
message (streaming ingestion spec ``BatchResponseDTO``: ``inletId``, ``batchId``, ``receivedTimeMs``,
``responses[].xactionId``); a message that fails carries its DCS error next to its ``xactionId`` (our shape,
[UNVERIFIED]); errors of the whole request keep their own status."""

from __future__ import annotations

import re

import pytest
import requests
import yaml
from openapi_schema_validator import OAS30Validator

from emulator_support import FS, SHARED_MISSING, create_chatlio_flow, shared_dir
from http_api_support import RAW_EVENT, create_http_api_flow, dcs_error, mapped_record, xdm_entity, xdm_message

BATCH_ID = re.compile(r"^\d{13}:\d{1,4}:\d+$")


def _batch_url(scenario: dict) -> str:
    return scenario["inlet_url"].replace("/collection/", "/collection/batch/")


def _check_envelope(body: dict, inlet_id: str, count: int) -> str:
    assert sorted(body) == ["batchId", "inletId", "receivedTimeMs", "responses"], body
    assert body["inletId"] == inlet_id and BATCH_ID.match(body["batchId"]) and isinstance(body["receivedTimeMs"], int)
    assert len(body["responses"]) == count
    assert [r["xactionId"] for r in body["responses"]] == [f"{body['batchId']}:{i}" for i in range(count)]
    return body["batchId"]


def test_xdm_batch_answers_207_per_message(aep):
    scenario = create_http_api_flow(aep, "xdm")
    broken = xdm_message(scenario)
    broken["body"].pop("xdmEntity")
    second = xdm_entity("7a1c0a1e-0000-4000-8000-000000000003")
    response = requests.post(_batch_url(scenario), timeout=10, json={"messages": [
        xdm_message(scenario), broken, xdm_message(scenario, second)]})
    assert response.status_code == 207, response.text
    batch_id = _check_envelope(response.json(), scenario["inlet_id"], 3)
    assert response.json()["responses"] == [
        {"xactionId": f"{batch_id}:0"},
        {"xactionId": f"{batch_id}:1", **dcs_error(400, "invalid-xdm-message", "Bad Request",
                                                   "body.xdmEntity is required and must be an object.")},
        {"xactionId": f"{batch_id}:2"}]
    assert aep.records(scenario["dataset_id"]) == [xdm_entity(), second]
    runs = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}").json()["items"]
    assert runs[0]["metrics"]["recordSummary"]["inputRecordCount"] == 2


def test_raw_batch_with_mapping_and_flow_id_header(aep):
    scenario = create_http_api_flow(aep, "raw")
    other = {**RAW_EVENT, "message": "second"}
    response = requests.post(_batch_url(scenario), timeout=10, headers={"x-adobe-flow-id": scenario["flow_id"]},
                             json={"messages": [RAW_EVENT, other]})
    assert response.status_code == 207, response.text
    batch_id = _check_envelope(response.json(), scenario["inlet_id"], 2)
    assert response.json()["responses"] == [{"xactionId": f"{batch_id}:0"}, {"xactionId": f"{batch_id}:1"}]
    records = [{k: v for k, v in r.items() if k not in ("_id", "timestamp")} for r in aep.records(scenario["dataset_id"])]
    assert records == [mapped_record(RAW_EVENT), mapped_record(other)]


def test_raw_batch_without_flow_id_fails_per_message(aep):
    scenario = create_http_api_flow(aep, "raw")
    response = requests.post(_batch_url(scenario), timeout=10, json={"messages": [RAW_EVENT]})
    assert response.status_code == 207
    batch_id = _check_envelope(response.json(), scenario["inlet_id"], 1)
    assert response.json()["responses"] == [{"xactionId": f"{batch_id}:0", **dcs_error(
        400, "flow-id-missing", "Bad Request", "The flow id is required: send the x-adobe-flow-id header or query "
                                               "parameter, or header.flowId in an XDM message.")}]
    assert aep.records(scenario["dataset_id"]) == []


def test_batch_on_a_webhook_inlet(aep):
    scenario = create_chatlio_flow(aep)
    response = requests.post(_batch_url(scenario), timeout=10, json={"messages": [RAW_EVENT, RAW_EVENT]})
    assert response.status_code == 207
    assert len(aep.records(scenario["dataset_id"])) == 2


def test_disabled_flow_fails_every_message(aep):
    scenario = create_http_api_flow(aep, "xdm")
    assert aep.post(f"{FS}/flows/{scenario['flow_id']}/action?op=disable").status_code == 200
    response = requests.post(_batch_url(scenario), timeout=10, json={"messages": [xdm_message(scenario)]})
    assert response.status_code == 207
    batch_id = _check_envelope(response.json(), scenario["inlet_id"], 1)
    assert response.json()["responses"] == [{"xactionId": f"{batch_id}:0", **dcs_error(
        403, "flow-disabled", "Forbidden", f"Dataflow {scenario['flow_id']} is disabled.")}]


def test_whole_request_errors_are_not_207(aep):
    scenario = create_http_api_flow(aep, "xdm")
    expected = dcs_error(400, "invalid-payload", "Bad Request",
                         'The batch body must be {"messages": [message, ...]} with at least one JSON object.')
    for body in ({}, {"messages": []}, {"messages": {"a": 1}}, {"messages": [1, 2]}, {"message": [{}]}):
        response = requests.post(_batch_url(scenario), json=body, timeout=10)
        assert response.status_code == 400 and response.json() == expected, body
    not_json = requests.post(_batch_url(scenario), data=b"[", timeout=10)
    assert not_json.status_code == 400
    assert not_json.json() == dcs_error(400, "invalid-payload", "Bad Request", "The payload is not valid JSON.")
    unknown = requests.post(scenario["inlet_url"].replace("/collection/", "/collection/batch/0"), timeout=10,
                            json={"messages": [xdm_message(scenario)]})
    assert unknown.status_code == 404
    too_big = requests.post(_batch_url(scenario), timeout=10, data=b" " * 1_048_577)
    assert too_big.status_code == 413
    assert aep.records(scenario["dataset_id"]) == []


def test_batch_request_and_answer_match_the_streaming_ingestion_spec(aep):
    """The XDM messages the tests send are the spec's ``BatchMessage``; the 207 body is its ``BatchResponseDTO``."""
    if shared_dir() is None:
        pytest.skip(SHARED_MISSING)
    spec = yaml.safe_load((shared_dir() / "aep-reference/specs/openapi/streaming-ingestion.yaml").read_text())
    schemas = spec["components"]["schemas"]

    def errors(name: str, document: dict) -> list[str]:
        schema = {**schemas[name], "components": {"schemas": schemas}}  # the $refs resolve in this document
        return [e.message for e in OAS30Validator(schema).iter_errors(document)]

    scenario = create_http_api_flow(aep, "xdm")
    message = xdm_message(scenario)
    message["header"]["imsOrgId"] = aep.org
    assert errors("BatchMessage", {"messages": [message]}) == []
    assert errors("streamingMessage", message) == []
    assert errors("BatchMessage", {"messages": [{"body": message["body"]}]}) == ["'header' is a required property"]
    response = requests.post(_batch_url(scenario), json={"messages": [message]}, timeout=10)
    assert response.status_code == 207
    assert errors("BatchResponseDTO", response.json()) == []
