"""Authenticated HTTP API inlets (base connection ``auth.params.authenticationRequired: true``): every post needs
``Authorization: Bearer <IMS access token>`` of the inlet's org. The 401 body is the one AEP's HTTP API guide
shows ("Sending messages to an authenticated streaming connection"); bodies asserted in full."""

from __future__ import annotations

import pytest
import requests

from emulator_support import CLIENT_ID, CLIENT_SECRET, ORG, Aep
from http_api_support import RAW_EVENT, create_http_api_flow, dcs_error, xdm_message

SECOND_ORG = "FEDCBA9876543210FEDCBA98@AdobeOrg"
TWO_ORGS = f"""
orgs:
  - id: {ORG}
    tenant: emulated
    credentials: [{{client_id: {CLIENT_ID}, client_secret: {CLIENT_SECRET}}}]
    sandboxes: [{{name: prod, title: Production, type: production, default: true}}]
  - id: {SECOND_ORG}
    tenant: other
    credentials: [{{client_id: other-client, client_secret: other-secret}}]
    sandboxes: [{{name: prod, title: Production, type: production, default: true}}]
"""


def _post(scenario: dict, headers: dict | None = None, path: str = "", **kw) -> requests.Response:
    url = scenario["inlet_url"].replace("/collection/", f"/collection/{path}")
    kw.setdefault("json", RAW_EVENT)
    return requests.post(url, headers={"x-adobe-flow-id": scenario["flow_id"], **(headers or {})}, timeout=10, **kw)


@pytest.mark.parametrize("path", ["", "batch/"])
@pytest.mark.parametrize("authorization, message", [
    (None, "Ims service token is empty"),
    ("", "Ims service token is empty"),
    ("Bearer emu-at-not-a-token", "Ims service token is invalid or expired"),
    ("Basic dXNlcjpwYXNz", "Ims service token is invalid or expired"),
    ("Bearer ", "Ims service token is invalid or expired"),
])
def test_missing_or_invalid_token_gets_401(aep, path, authorization, message):
    scenario = create_http_api_flow(aep, "raw", authenticated=True)
    headers = {} if authorization is None else {"Authorization": authorization}
    response = _post(scenario, headers, path, json={"messages": [RAW_EVENT]} if path else RAW_EVENT)
    assert response.status_code == 401
    assert response.json() == dcs_error(401, "authorization", "Authorization", f"[{scenario['inlet_id']}] {message}")
    assert aep.records(scenario["dataset_id"]) == []
    assert aep.get(f"/data/foundation/flowservice/runs?property=flowId=={scenario['flow_id']}").json()["items"] == []


def test_token_is_checked_before_the_body(aep):
    scenario = create_http_api_flow(aep, "raw", authenticated=True)
    response = _post(scenario, json=None, data=b"not json", headers={"Content-Type": "application/json"})
    assert response.status_code == 401 and response.json()["type"].endswith("-authorization")


def test_valid_token_is_accepted_without_other_headers(aep):
    """Only Authorization is needed (no x-api-key / x-gw-ims-org-id / x-sandbox-name): [UNVERIFIED] choice."""
    scenario = create_http_api_flow(aep, "xdm", authenticated=True)
    response = requests.post(scenario["inlet_url"], json=xdm_message(scenario), timeout=10,
                             headers={"Authorization": f"Bearer {aep.token}"})
    assert response.status_code == 200, response.text
    assert len(aep.records(scenario["dataset_id"])) == 1


def test_unauthenticated_inlet_ignores_the_header(aep):
    scenario = create_http_api_flow(aep, "raw", authenticated=False)
    assert _post(scenario).status_code == 200
    assert _post(scenario, {"Authorization": "Bearer garbage"}).status_code == 200
    assert len(aep.records(scenario["dataset_id"])) == 2


def test_token_of_another_org_gets_403(start_emulator, tmp_path):
    config = tmp_path / "emu.yaml"
    config.write_text(TWO_ORGS)
    emulator = start_emulator(config=config)
    aep = Aep(emulator.url)
    scenario = create_http_api_flow(aep, "raw", authenticated=True)
    other = Aep(emulator.url, client_id="other-client", secret="other-secret", org=SECOND_ORG)
    response = _post(scenario, {"Authorization": f"Bearer {other.token}"})
    assert response.status_code == 403
    assert response.json() == dcs_error(403, "authorization", "Authorization",
                                        f"[{scenario['inlet_id']}] Ims service token is not valid for the inlet's "
                                        "organization")
    assert _post(scenario, {"Authorization": f"Bearer {aep.token}"}).status_code == 200
