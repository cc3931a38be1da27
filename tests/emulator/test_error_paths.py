"""Every error path of issue 2's "Done when" list, each with its documented status and full body
(API-FACTS §1.2 gateway, §2.8 Flow Service, §7 DCS; Data Prep's body shape is [UNVERIFIED], see
emulator/docs/schemaregistry-dataprep.md)."""

import pytest
import requests

from emulator_support import (CHATLIO_PAYLOAD, FS, TENANT, create_chatlio_flow, create_chatlio_schema, create_dataset,
                              create_mapping_set, create_source_connection, create_target_connection, flow_body)

FLOW_TYPE = "https://ns.adobe.com/aep/errors/FLOW-"
DCS_TYPE = "https://ns.adobe.com/adobecloud/problem/data-collection-service-"


def assert_flow_error(response: requests.Response, code: str, **report) -> dict:
    """The §2.8 body: type/title/status, report with detailed-message, errorMessage = errorDetails."""
    status = int(code.rsplit("-", 1)[1])
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"type", "title", "status", "report", "errorMessage", "errorDetails"}
    assert body["type"] == FLOW_TYPE + code and body["status"] == status and body["title"]
    message = body["report"]["detailed-message"]
    assert message and body["errorMessage"] == body["errorDetails"] == message and body["report"]["request-id"]
    for key, value in report.items():
        assert body["report"][key] == value, (key, body["report"])
    return body


# --- gateway (API-FACTS §1.2) ---------------------------------------------------------------------

@pytest.mark.parametrize("drop, override, status, body", [
    ("Authorization", {}, 403, {"error_code": "403010", "message": "Oauth token is missing."}),
    (None, {"Authorization": "Bearer emu-at-forged"}, 401, {"error_code": "401013", "message": "Oauth token is not valid"}),
    (None, {"Authorization": "Bearer"}, 401, {"error_code": "401013", "message": "Oauth token is not valid"}),
    ("x-api-key", {}, 403, {"error_code": "403000", "message": "Api Key is required"}),
    (None, {"x-api-key": "someone-else"}, 403, {"error_code": "403003", "message": "Api Key is invalid"}),
    ("x-gw-ims-org-id", {}, 400, {"error_code": "400003", "message": "Missing header"}),
    (None, {"x-gw-ims-org-id": "FFFFFFFFFFFFFFFFFFFFFFFF@AdobeOrg"}, 403,
     {"error_code": "403025", "message": "Profile is not valid"}),
])
@pytest.mark.parametrize("path", [f"{FS}/flows", "/data/foundation/catalog/dataSets",
                                  "/data/foundation/schemaregistry/stats",
                                  "/data/foundation/sandbox-management/sandboxes"])
def test_gateway_error_bodies(aep, path, drop, override, status, body):
    headers = {**aep.headers(), **override}
    headers.pop(drop, None)
    response = requests.get(aep.url + path, headers=headers)
    assert (response.status_code, response.json()) == (status, body)


def test_unknown_sandbox(aep):
    assert_flow_error(aep.get(f"{FS}/flows", sandbox="nope"), "2100-404")
    assert_flow_error(aep.get(f"{FS}/flows", sandbox=None), "2105-400")
    for path in ("/data/foundation/catalog/dataSets", "/data/foundation/conversion/mappingSets?limit=1&start=0"):
        response = aep.get(path, sandbox="nope")
        assert response.status_code == 404
        assert set(response.json()) >= {"type", "status", "title"} and response.json()["status"] == 404


# --- Flow Service (API-FACTS §2.8) -------------------------------------------------------------------

def test_if_match_missing_and_stale(aep):
    scenario = create_chatlio_flow(aep)
    path = f"{FS}/flows/{scenario['flow_id']}"
    ops = [{"op": "replace", "path": "/name", "value": "renamed"}]
    assert_flow_error(aep.patch(path, json=ops), "1403-400")
    assert_flow_error(aep.patch(path, json=ops, headers={"If-Match": '"00000000-0000-0200-0000-000000000000"'}),
                      "1404-412")
    assert aep.get(path).json()["items"][0]["name"] == "Chatlio flow"  # neither changed anything


@pytest.mark.parametrize("kind, code", [("flows", "1439-404"), ("sourceConnections", "1101-404"),
                                        ("targetConnections", "1101-404"), ("connections", "1101-404")])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_unknown_ids(aep, kind, code, method):
    object_id = "4982698b-e6b3-48c2-8dcf-040e20121fd2"
    json = [{"op": "replace", "path": "/name", "value": "x"}] if method == "PATCH" else None
    response = aep.request(method, f"{FS}/{kind}/{object_id}", json=json, headers={"If-Match": '"x"'})
    body = assert_flow_error(response, code, id=object_id, type=kind)
    assert object_id in body["errorMessage"]


def test_broken_references_on_flow_create(aep):
    schema_id = create_chatlio_schema(aep)
    dataset_id = create_dataset(aep, schema_id)
    source_id = create_source_connection(aep)
    target_id = create_target_connection(aep, dataset_id, schema_id)
    mapping_id = create_mapping_set(aep, schema_id)
    missing = "00000000-0000-0000-0000-000000000000"
    assert_flow_error(aep.post(f"{FS}/flows", json=flow_body(missing, target_id, mapping_id)), "1411-400",
                      id=missing, type="sourceConnections")
    assert_flow_error(aep.post(f"{FS}/flows", json=flow_body(source_id, missing, mapping_id)), "1411-400",
                      id=missing, type="targetConnections")
    assert_flow_error(aep.post(f"{FS}/flows", json=flow_body(source_id, target_id, "f" * 32)), "1419-400")
    assert_flow_error(aep.post(f"{FS}/targetConnections", json={
        "name": "t", "connectionSpec": {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"},
        "params": {"dataSetId": "0" * 24}}), "1411-400", id="0" * 24, type="dataSets")
    assert aep.get(f"{FS}/flows?count=true").json() == {"count": 0}


# --- Data Prep: a mapping to a field the schema lacks ------------------------------------------------

def test_mapping_to_a_field_the_schema_lacks(aep):
    schema_id = create_chatlio_schema(aep)
    response = aep.post("/data/foundation/conversion/mappingSets", json={
        "outputSchema": {"schemaRef": {"id": schema_id,
                                       "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
        "mappings": [{"sourceAttribute": "message", "destinationXdmPath": f"_{TENANT}.message", "identity": False,
                      "version": 0},
                     {"sourceAttribute": "channelId", "destinationXdmPath": f"_{TENANT}.no_such_field",
                      "identity": False, "version": 0}]})
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "https://ns.adobe.com/aep/errors/MAPPER-1400-400" and body["status"] == 400
    assert f"_{TENANT}.no_such_field" in body["detail"]
    assert [e["destination"] for e in body["report"]["errors"]] == [f"_{TENANT}.no_such_field"]
    listed = aep.get("/data/foundation/conversion/mappingSets?limit=10&start=0").json()
    assert listed["data"] == []  # nothing was created


# --- DCS inlet: oversize event ------------------------------------------------------------------------

def test_oversize_event(aep):
    scenario = create_chatlio_flow(aep)
    url = f"{scenario['inlet_url']}?x-adobe-flow-id={scenario['flow_id']}"
    payload = b'{"message": "' + b"x" * (1024 * 1024) + b'"}'
    declared = requests.post(url, data=payload, headers={"Content-Type": "application/json"})
    chunked = requests.post(url, data=iter([payload[:1000], payload[1000:]]),  # no Content-Length
                            headers={"Content-Type": "application/json"})
    for response in (declared, chunked):
        assert response.status_code == 413
        body = response.json()
        assert set(body) == {"type", "status", "title", "report"} and set(body["report"]) == {"message"}
        assert (body["type"], body["status"]) == (DCS_TYPE + "payload-too-large", "413")
    at_limit = b'{"message": "' + b"x" * (1024 * 1024 - 16) + b'"}'
    assert len(at_limit) <= 1024 * 1024
    assert requests.post(url, data=at_limit, headers={"Content-Type": "application/json"}).status_code == 200
    assert requests.post(url, json=CHATLIO_PAYLOAD).status_code == 200
    records = aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records", params={"sandbox": "prod"}).json()
    assert records["count"] == 2  # only the two accepted events landed
