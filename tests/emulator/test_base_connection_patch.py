"""PATCH of a base connection's auth as AEP documents it (Flow Service "Update accounts using the Flow Service API":
``[{"op": "replace", "path": "/auth/params", "value": {...}}]`` with ``If-Match``): the parameters are replaced as a
whole, the platform's inlet params survive, a changed ``authenticationRequired`` takes effect on the inlet at once,
and the parameters are validated against the connection spec's ``authSpec`` as on create."""

from __future__ import annotations

import requests

from emulator_support import FS
from http_api_support import RAW_EVENT, create_base_connection, create_http_api_flow, flow_error, without_request_id


def _patch(aep, doc: dict, ops: list, etag: str | None = "current") -> requests.Response:
    headers = {"If-Match": doc["etag"] if etag == "current" else etag} if etag is not None else {}
    return aep.patch(f"{FS}/connections/{doc['id']}", headers=headers, json=ops)


def _get(aep, doc: dict) -> dict:
    return aep.get(f"{FS}/connections/{doc['id']}").json()["items"][0]


def test_replace_auth_params_updates_the_parameters_and_keeps_the_inlet(aep):
    doc = create_base_connection(aep, "raw")
    params = doc["auth"]["params"]
    value = {**params, "authenticationRequired": True, "dataType": "xdm"}
    response = _patch(aep, doc, [{"op": "replace", "path": "/auth/params", "value": value}])
    assert response.status_code == 200, response.text
    assert sorted(response.json()) == ["etag", "id"] and response.json()["etag"] != doc["etag"]
    after = _get(aep, doc)
    assert after["auth"] == {"specName": "Streaming Connection", "params": {
        "dataType": "xdm", "name": "ACME HTTP API", "sourceId": "ACME HTTP API", "authenticationRequired": True,
        "inletId": params["inletId"], "inletUrl": params["inletUrl"]}}
    assert after["etag"] == response.json()["etag"]


def test_replace_is_whole_params_missing_ones_are_gone_but_the_inlet_stays(aep):
    doc = create_base_connection(aep, "raw", sourceId="acme-web")
    response = _patch(aep, doc, [{"op": "replace", "path": "/auth/params", "value": {"dataType": "raw"}}])
    assert response.status_code == 200, response.text
    params = _get(aep, doc)["auth"]["params"]
    assert "sourceId" not in params and "authenticationRequired" not in params
    assert (params["inletId"], params["inletUrl"]) == (doc["auth"]["params"]["inletId"], doc["auth"]["params"]["inletUrl"])


def test_one_parameter_can_be_replaced_by_its_own_path(aep):
    doc = create_base_connection(aep, "raw")
    response = _patch(aep, doc, [{"op": "replace", "path": "/auth/params/authenticationRequired", "value": True}])
    assert response.status_code == 200, response.text
    assert _get(aep, doc)["auth"]["params"]["authenticationRequired"] is True


def test_authentication_required_takes_effect_on_the_inlet(aep):
    scenario = create_http_api_flow(aep, "raw", authenticated=False)
    url = f"{scenario['inlet_url']}?x-adobe-flow-id={scenario['flow_id']}"
    assert requests.post(url, json=RAW_EVENT, timeout=10).status_code == 200
    base = scenario["base"]
    value = {**base["auth"]["params"], "authenticationRequired": True}
    assert _patch(aep, base, [{"op": "replace", "path": "/auth/params", "value": value}]).status_code == 200
    refused = requests.post(url, json=RAW_EVENT, timeout=10)
    assert refused.status_code == 401, refused.text
    accepted = requests.post(url, json=RAW_EVENT, timeout=10, headers={"Authorization": f"Bearer {aep.token}"})
    assert accepted.status_code == 200, accepted.text


def test_patched_params_are_validated_like_a_create(aep):
    doc = create_base_connection(aep, "raw")
    bad_enum = _patch(aep, doc, [{"op": "replace", "path": "/auth/params", "value": {"dataType": "rawjson"}}])
    assert bad_enum.status_code == 400
    assert without_request_id(bad_enum.json()) == flow_error(
        "1455-400", "Invalid field auth.params.dataType: must be one of xdm, raw")
    missing = _patch(aep, doc, [{"op": "replace", "path": "/auth/params", "value": {"authenticationRequired": True}}])
    assert missing.status_code == 400
    assert without_request_id(missing.json()) == flow_error("1455-400", "Missing field auth.params.dataType")
    assert _get(aep, doc)["etag"] == doc["etag"]  # nothing was written


def test_patch_needs_the_current_etag(aep):
    doc = create_base_connection(aep, "raw")
    ops = [{"op": "replace", "path": "/auth/params", "value": {"dataType": "xdm"}}]
    missing = _patch(aep, doc, ops, etag=None)
    assert missing.status_code == 400 and missing.json()["type"].endswith("FLOW-1403-400"), missing.text
    stale = _patch(aep, doc, ops, etag='"stale"')
    assert stale.status_code == 412
    assert _get(aep, doc)["auth"]["params"]["dataType"] == "raw"
