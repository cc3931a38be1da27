"""HTTP API streaming source as AEP builds it: a base connection owns the inlet, a source connection references
the base connection, a flow over it streams through the base connection's inlet. The dataflow shapes AEP
refuses are refused with AEP's error bodies (asserted in full)."""

from __future__ import annotations

import pytest
import requests

from aep_emulator.domain.inlet import record_errors
from emulator_support import CHATLIO_SPEC, FS, STREAMING_FLOW_SPEC, create_chatlio_flow, create_chatlio_schema
from emulator_support import create_dataset, create_mapping_set, create_target_connection, flow_body
from http_api_support import FLOW_SPEC_NO_TRANSFORMATIONS, HTTP_SPEC, RAW_EVENT, base_connection_body
from http_api_support import create_base_connection, create_http_api_flow, dcs_error, flow_error, http_flow_body
from http_api_support import mapped_record, source_connection_body, without_request_id, xdm_entity, xdm_message


# --- the base connection and its inlet ----------------------------------------------------------------

@pytest.mark.parametrize("data_type, authenticated", [("raw", False), ("xdm", False), ("raw", True), ("xdm", True)])
def test_base_connection_get_carries_the_inlet(aep, data_type, authenticated):
    created = aep.post(f"{FS}/connections", json=base_connection_body(data_type, authenticated))
    assert created.status_code == 201 and sorted(created.json()) == ["etag", "id"], created.text
    doc = aep.get(f"{FS}/connections/{created.json()['id']}").json()["items"][0]
    inlet_id = doc["auth"]["params"]["inletId"]
    assert len(inlet_id) == 64 and int(inlet_id, 16) >= 0
    assert doc["auth"] == {"specName": "Streaming Connection", "params": {
        "dataType": data_type, "name": "ACME HTTP API", "sourceId": "ACME HTTP API",
        "authenticationRequired": authenticated, "inletId": inlet_id, "inletUrl": f"{aep.url}/collection/{inlet_id}"}}
    assert {k: doc[k] for k in ("id", "name", "description", "connectionSpec", "state", "etag", "version")} == {
        "id": created.json()["id"], "name": "ACME HTTP API", "description": "ACME streaming connection",
        "connectionSpec": {"id": HTTP_SPEC, "version": "1.0"}, "state": "enabled",
        "etag": created.json()["etag"], "version": created.json()["etag"]}
    # Lists show the same view (the inlet params are not secrets).
    assert aep.get(f"{FS}/connections?property=auth.params.inletId=={inlet_id}").json()["items"] == [doc]


def test_base_connection_keeps_given_source_id_and_name(aep):
    doc = create_base_connection(aep, "xdm", sourceId="acme-web", name="ACME web stream")
    params = doc["auth"]["params"]
    assert (params["sourceId"], params["name"]) == ("acme-web", "ACME web stream")


def test_inlet_survives_a_patch_of_the_base_connection(aep):
    doc = create_base_connection(aep)
    path = f"{FS}/connections/{doc['id']}"
    auth = {"specName": "Streaming Connection", "params": {"dataType": "raw", "inletId": "x" * 64}}
    replaced = aep.patch(path, headers={"If-Match": doc["etag"]}, json=[{"op": "replace", "path": "/auth", "value": auth}])
    assert replaced.status_code == 200, replaced.text
    params = aep.get(path).json()["items"][0]["auth"]["params"]
    assert (params["inletId"], params["inletUrl"]) == (doc["auth"]["params"]["inletId"], doc["auth"]["params"]["inletUrl"])


@pytest.mark.parametrize("auth, code, message", [
    ({"specName": "Basic Authentication", "params": {"dataType": "raw"}}, "1415-400",
     f"The auth spec 'Basic Authentication' could not be found for the connection spec ID {HTTP_SPEC} "
     "(supported: Streaming Connection)."),
    ({"specName": "Streaming Connection", "params": {}}, "1455-400", "Missing field auth.params.dataType"),
    ({"specName": "Streaming Connection", "params": {"dataType": "rawjson"}}, "1455-400",
     "Invalid field auth.params.dataType: must be one of xdm, raw"),
    ({"specName": "Streaming Connection", "params": {"dataType": "raw", "authenticationRequired": "yes"}}, "1455-400",
     "Invalid field auth.params.authenticationRequired: must be a boolean"),
])
def test_base_connection_auth_refusals(aep, auth, code, message):
    response = aep.post(f"{FS}/connections", json={**base_connection_body(), "auth": auth})
    assert response.status_code == 400
    assert without_request_id(response.json()) == flow_error(code, message)
    assert aep.get(f"{FS}/connections?count=true").json() == {"count": 0}


# --- refused dataflow shapes --------------------------------------------------------------------------

def test_http_api_source_connection_without_base_connection_is_refused(aep):
    response = aep.post(f"{FS}/sourceConnections", json=source_connection_body(None))
    assert response.status_code == 400
    message = (f"Missing field baseConnectionId: a source connection of connection spec {HTTP_SPEC} needs a base "
               "connection (POST /connections) of the same connection spec.")
    assert without_request_id(response.json()) == flow_error("1455-400", message, field="baseConnectionId")
    unknown = aep.post(f"{FS}/sourceConnections", json=source_connection_body("0" * 8))
    assert unknown.status_code == 400
    assert without_request_id(unknown.json()) == flow_error(
        "1411-400", "The referenced connections resource 00000000 does not exist in this sandbox.",
        id="00000000", type="connections")
    assert aep.get(f"{FS}/sourceConnections?count=true").json() == {"count": 0}


def test_base_connection_of_another_spec_is_refused(aep):
    base = create_base_connection(aep)
    response = aep.post(f"{FS}/sourceConnections", json={
        "name": "chatlio", "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}, "baseConnectionId": base["id"]})
    assert response.status_code == 400
    assert without_request_id(response.json()) == flow_error(
        "1413-400", f"Base connection {base['id']} has connection spec {HTTP_SPEC}, not {CHATLIO_SPEC} of the source "
                    "connection.", id=base["id"])


def test_base_connection_in_a_sandbox_is_not_seen_from_another(aep):
    base = create_base_connection(aep, sandbox="prod")
    response = aep.post(f"{FS}/sourceConnections", sandbox="dev", json=source_connection_body(base["id"]))
    assert response.status_code == 400 and response.json()["type"].endswith("FLOW-1411-400")


def test_http_api_source_in_a_webhook_flow_spec_is_refused(aep):
    schema_id = create_chatlio_schema(aep)
    target_id = create_target_connection(aep, create_dataset(aep, schema_id), schema_id)
    base = create_base_connection(aep)
    source_id = aep.post(f"{FS}/sourceConnections", json=source_connection_body(base["id"])).json()["id"]
    response = aep.post(f"{FS}/flows", json=flow_body(source_id, target_id, None))
    assert response.status_code == 400
    message = (f"Connection spec {HTTP_SPEC} of sourceConnections {source_id} is not supported by flow spec "
               f"{STREAMING_FLOW_SPEC}.")
    assert without_request_id(response.json()) == flow_error("1413-400", message)


def test_mapping_on_the_flow_spec_without_transformations_is_refused(aep):
    schema_id = create_chatlio_schema(aep)
    target_id = create_target_connection(aep, create_dataset(aep, schema_id), schema_id)
    mapping_id = create_mapping_set(aep, schema_id)
    base = create_base_connection(aep)
    source_id = aep.post(f"{FS}/sourceConnections", json=source_connection_body(base["id"])).json()["id"]
    body = http_flow_body(source_id, target_id, mapping_id)
    body["flowSpec"]["id"] = FLOW_SPEC_NO_TRANSFORMATIONS
    response = aep.post(f"{FS}/flows", json=body)
    assert response.status_code == 400
    message = (f"Transformation 'Mapping' is not supported by flow spec {FLOW_SPEC_NO_TRANSFORMATIONS} "
               "(Streaming HTTP API to Data Lake); its transformationSpecs: none.")
    assert without_request_id(response.json()) == flow_error("1413-400", message, id=FLOW_SPEC_NO_TRANSFORMATIONS)
    assert aep.get(f"{FS}/flows?count=true").json() == {"count": 0}


def test_base_connection_used_by_a_flow_cannot_be_deleted(aep):
    scenario = create_http_api_flow(aep)
    response = aep.delete(f"{FS}/connections/{scenario['base_id']}")
    assert response.status_code == 400
    message = (f"The base connection with the ID {scenario['base_id']} cannot be deleted because the base connection "
               "is being used in one or more flows. Please ensure that corresponding flows are deleted before "
               f"deleting a base connection. Used by: {scenario['source_id']}.")
    assert without_request_id(response.json()) == flow_error("1418-400", message, id=scenario["base_id"])
    # AEP's order: flow, source connection, then the base connection; its inlet goes with it.
    assert aep.delete(f"{FS}/flows/{scenario['flow_id']}").status_code == 204
    assert aep.delete(f"{FS}/connections/{scenario['base_id']}").status_code == 400  # still used by the source
    assert aep.delete(f"{FS}/sourceConnections/{scenario['source_id']}").status_code == 204
    assert aep.delete(f"{FS}/connections/{scenario['base_id']}").status_code == 204
    gone = requests.post(scenario["inlet_url"], json=RAW_EVENT, timeout=10)
    assert gone.status_code == 404
    assert gone.json() == dcs_error(404, "inlet-not-found", "Not Found", f"Inlet {scenario['inlet_id']} does not exist.")


# --- end to end through HTTP ---------------------------------------------------------------------------

def _auth_headers(aep, authenticated: bool) -> dict:
    return {"Authorization": f"Bearer {aep.token}"} if authenticated else {}


@pytest.mark.parametrize("authenticated", [False, True])
def test_raw_json_with_mapping_lands_in_the_dataset(aep, authenticated):
    scenario = create_http_api_flow(aep, "raw", authenticated)
    flow = scenario["flow"]
    assert "inletUrl" not in flow["options"]  # the URL comes from the base connection
    assert flow["inheritedAttributes"]["sourceConnections"] == [{
        "id": scenario["source_id"], "connectionSpec": {"id": HTTP_SPEC, "version": "1.0"},
        "baseConnection": {"id": scenario["base_id"], "connectionSpec": {"id": HTTP_SPEC, "version": "1.0"}}}]
    response = requests.post(scenario["inlet_url"], json=RAW_EVENT, timeout=10, headers={
        "x-adobe-flow-id": scenario["flow_id"], **_auth_headers(aep, authenticated)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert sorted(body) == ["inletId", "receivedTimeMs", "xactionId"] and body["inletId"] == scenario["inlet_id"]
    records = aep.records(scenario["dataset_id"])
    assert len(records) == 1
    assert {k: v for k, v in records[0].items() if k not in ("_id", "timestamp")} == mapped_record(RAW_EVENT)
    # The flow id may also come as a query parameter (the webhook form).
    query = requests.post(f"{scenario['inlet_url']}?x-adobe-flow-id={scenario['flow_id']}", json=RAW_EVENT,
                          headers=_auth_headers(aep, authenticated), timeout=10)
    assert query.status_code == 200 and len(aep.records(scenario["dataset_id"])) == 2


@pytest.mark.parametrize("authenticated", [False, True])
def test_xdm_message_lands_in_the_dataset(aep, authenticated):
    scenario = create_http_api_flow(aep, "xdm", authenticated)
    assert scenario["flow"]["flowSpec"]["id"] == FLOW_SPEC_NO_TRANSFORMATIONS
    assert scenario["flow"]["transformations"] == []
    response = requests.post(scenario["inlet_url"], json=xdm_message(scenario), timeout=10,
                             headers=_auth_headers(aep, authenticated))
    assert response.status_code == 200, response.text
    assert response.json()["inletId"] == scenario["inlet_id"]
    assert aep.records(scenario["dataset_id"]) == [xdm_entity()]
    runs = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}").json()["items"]
    assert runs[0]["metrics"]["recordSummary"]["outputRecordCount"] == 1


def test_flow_id_is_required_on_a_base_connection_inlet(aep):
    scenario = create_http_api_flow(aep, "raw")
    response = requests.post(scenario["inlet_url"], json=RAW_EVENT, timeout=10)
    assert response.status_code == 400
    assert response.json() == dcs_error(400, "flow-id-missing", "Bad Request",
                                        "The flow id is required: send the x-adobe-flow-id header or query parameter, "
                                        "or header.flowId in an XDM message.")
    other = create_chatlio_flow(aep)
    wrong = requests.post(scenario["inlet_url"], json=RAW_EVENT, headers={"x-adobe-flow-id": other["flow_id"]},
                          timeout=10)
    assert wrong.status_code == 400
    assert wrong.json() == dcs_error(400, "flow-mismatch", "Bad Request",
                                     f"Flow {other['flow_id']} does not stream through this inlet.")
    assert aep.records(scenario["dataset_id"]) == []


def test_two_flows_share_one_base_connection_inlet(aep):
    """Two source connections over one base connection, one flow each: the flow id routes the event."""
    first = create_http_api_flow(aep, "raw")
    source_id = aep.post(f"{FS}/sourceConnections", json=source_connection_body(first["base_id"], "second")).json()["id"]
    dataset_id = create_dataset(aep, first["schema_id"], name="second dataset")
    target_id = create_target_connection(aep, dataset_id, first["schema_id"], name="second target")
    second = aep.post(f"{FS}/flows", json=http_flow_body(source_id, target_id, first["mapping_id"], "second flow"))
    assert second.status_code == 201, second.text
    response = requests.post(first["inlet_url"], json=RAW_EVENT, timeout=10,
                             headers={"x-adobe-flow-id": second.json()["id"]})
    assert response.status_code == 200
    assert (len(aep.records(first["dataset_id"])), len(aep.records(dataset_id))) == (0, 1)


def test_disabled_flow_refuses_events_on_the_base_connection_inlet(aep):
    scenario = create_http_api_flow(aep, "raw")
    assert aep.post(f"{FS}/flows/{scenario['flow_id']}/action?op=disable").status_code == 200
    response = requests.post(scenario["inlet_url"], json=RAW_EVENT, headers={"x-adobe-flow-id": scenario["flow_id"]},
                             timeout=10)
    assert response.status_code == 403
    assert response.json() == dcs_error(403, "flow-disabled", "Forbidden", f"Dataflow {scenario['flow_id']} is disabled.")


def test_webhook_sources_keep_their_own_inlet(aep):
    scenario = create_chatlio_flow(aep)
    assert scenario["inlet_url"].startswith(f"{aep.url}/collection/")
    assert "baseConnection" not in scenario["flow"]["inheritedAttributes"]["sourceConnections"][0]
    assert requests.post(scenario["inlet_url"], json=RAW_EVENT, timeout=10).status_code == 200  # no flow id needed


# --- XDM messages ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("change, message", [
    (lambda m: m.pop("body"), "body is required: an XDM message is {header, body: {xdmMeta, xdmEntity}}."),
    (lambda m: m["body"].pop("xdmMeta"), "body.xdmMeta.schemaRef.id is required."),
    (lambda m: m["body"].pop("xdmEntity"), "body.xdmEntity is required and must be an object."),
    (lambda m: m["header"]["schemaRef"].update(id="https://ns.adobe.com/x/schemas/other"),
     "header.schemaRef.id https://ns.adobe.com/x/schemas/other differs from body.xdmMeta.schemaRef.id {schema}."),
    (lambda m: m["header"].update(datasetId="0" * 24), f"header.datasetId {'0' * 24} is not a target dataset of the flow."),
    (lambda m: m["header"].update(imsOrgId="OTHER@AdobeOrg"), "header.imsOrgId OTHER@AdobeOrg is not the inlet's organization."),
])
def test_malformed_xdm_message_is_refused(aep, change, message):
    scenario = create_http_api_flow(aep, "xdm")
    payload = xdm_message(scenario)
    change(payload)
    response = requests.post(scenario["inlet_url"], json=payload, timeout=10,
                             headers={"x-adobe-flow-id": scenario["flow_id"]})
    assert response.status_code == 400
    expected = message.replace("{schema}", scenario["schema_id"])
    assert response.json() == dcs_error(400, "invalid-xdm-message", "Bad Request", expected)
    assert aep.records(scenario["dataset_id"]) == []


def test_xdm_entity_that_does_not_fit_the_schema(aep):
    """Accepted and counted as failed (DCS validates after answering); syncValidation=true answers 400."""
    scenario = create_http_api_flow(aep, "xdm")
    entity = {**xdm_entity(), "unknownField": 1}
    entity.pop("_id")
    accepted = requests.post(scenario["inlet_url"], json=xdm_message(scenario, entity), timeout=10)
    assert accepted.status_code == 200
    assert aep.records(scenario["dataset_id"]) == []
    runs = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}").json()["items"]
    assert runs[0]["metrics"]["recordSummary"]["failedRecordCount"] == 1
    sync = requests.post(f"{scenario['inlet_url']}?syncValidation=true", json=xdm_message(scenario, entity), timeout=10)
    assert sync.status_code == 400
    assert sync.json() == dcs_error(400, "xdm-validation", "Bad Request",
                                    "Field 'unknownField' is not defined by the schema; Required field '_id' is missing")


def test_record_errors_as_a_plain_function():
    paths = {"_id": "string", "n": "integer", "o": "object", "o.b": "boolean", "m": "map", "a": "array",
             "a[].x": "number", "d": "date-time"}
    ok = {"_id": "1", "n": 2, "o": {"b": True}, "m": {"any": {"thing": 1}}, "a": [{"x": 1.5}], "d": "2026-01-01T00:00:00Z"}
    assert record_errors(ok, paths, ["_id"]) == []
    bad = {"n": "2", "o": {"b": "yes", "c": 1}, "a": [{"y": 1}], "z": None}
    assert record_errors(bad, paths, ["_id", "o.b"]) == [
        "Field 'n' must be of type integer, got str", "Field 'o.b' must be of type boolean, got str",
        "Field 'o.c' is not defined by the schema", "Field 'a[].y' is not defined by the schema",
        "Field 'z' is not defined by the schema", "Required field '_id' is missing"]
