"""IMS token endpoint, gateway header checks, Content-Type, sandbox management."""

import time

import pytest
import requests

from emulator_support import CLIENT_ID, CLIENT_SECRET, FS, ORG, Aep

SANDBOXES = "/data/foundation/sandbox-management/sandboxes"


def token_response(url, **form):
    return requests.post(f"{url}/ims/token/v3", data=form)


def test_token_v3_form(emulator):
    response = token_response(emulator.url, grant_type="client_credentials", client_id=CLIENT_ID,
                              client_secret=CLIENT_SECRET, scope="openid")
    assert response.status_code == 200
    body = response.json()
    assert body["access_token"].startswith("emu-at-")
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == 86399


def test_token_v2_query_string(emulator):
    response = requests.post(f"{emulator.url}/ims/token/v2", params={
        "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    assert response.status_code == 200
    assert response.json()["access_token"].startswith("emu-at-")


@pytest.mark.parametrize("form, status, error", [
    ({"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}, 400, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": "wrong"}, 401, "invalid_client"),
    ({"grant_type": "password", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}, 400,
     "unsupported_grant_type"),
    ({"grant_type": "client_credentials"}, 400, "invalid_request"),
])
def test_token_errors(emulator, form, status, error):
    response = token_response(emulator.url, **form)
    assert response.status_code == status
    assert response.json()["error"] == error
    assert response.json()["error_description"]


def test_token_expires(start_emulator, tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("token_lifetime_seconds: 1\n")
    aep = Aep(start_emulator(config=config).url)
    assert aep.get(f"{FS}/flows").status_code == 200
    time.sleep(1.2)
    response = aep.get(f"{FS}/flows")
    assert response.status_code == 401
    assert response.json() == {"error_code": "401013", "message": "Oauth token is not valid"}


@pytest.mark.parametrize("drop, override, status, code", [
    ("Authorization", {}, 403, "403010"),
    (None, {"Authorization": "Bearer emu-at-forged"}, 401, "401013"),
    ("x-api-key", {}, 403, "403000"),
    (None, {"x-api-key": "someone-else"}, 403, "403003"),
    ("x-gw-ims-org-id", {}, 400, "400003"),
    (None, {"x-gw-ims-org-id": "FFFFFFFFFFFFFFFFFFFFFFFF@AdobeOrg"}, 403, "403025"),
])
def test_gateway_errors(aep, drop, override, status, code):
    headers = {**aep.headers(), **override}
    headers.pop(drop, None)
    response = requests.get(f"{aep.url}{FS}/flows", headers=headers)
    assert response.status_code == status
    assert response.json()["error_code"] == code
    assert response.json()["message"]


def test_flow_service_sandbox_header_missing_and_unknown(aep):
    missing = aep.get(f"{FS}/flows", sandbox=None)
    assert missing.status_code == 400
    assert missing.json()["type"].endswith("FLOW-2105-400")
    unknown = aep.get(f"{FS}/flows", sandbox="nope")
    assert unknown.status_code == 404
    assert unknown.json()["type"].endswith("FLOW-2100-404")
    assert unknown.json()["status"] == 404


def test_catalog_unknown_sandbox_generic_body(aep):
    response = aep.get("/data/foundation/catalog/dataSets", sandbox="nope")
    assert response.status_code == 404
    assert set(response.json()) == {"type", "status", "title", "detail"}


def test_write_needs_json_content_type(aep):
    response = aep.post(f"{FS}/sourceConnections", data=b'{"name": "x"}', headers={"Content-Type": "text/plain"})
    assert response.status_code == 400
    assert response.json() == {"type": "/placeholder/type/uri", "status": 400, "title": "BadRequestError",
                               "detail": "A valid content-type must be specified"}


def test_sandbox_list_filter_and_get(aep):
    listed = aep.get(SANDBOXES, sandbox=None).json()
    assert [s["name"] for s in listed["sandboxes"]] == ["prod", "dev", "stage"]
    assert listed["_page"]["count"] == 3
    prod = listed["sandboxes"][0]
    assert prod["type"] == "production" and prod["isDefault"] is True and prod["state"] == "active"
    filtered = aep.get(f"{SANDBOXES}?property=name==dev", sandbox=None).json()["sandboxes"]
    assert [s["name"] for s in filtered] == ["dev"]
    assert aep.get(f"{SANDBOXES}/stage", sandbox=None).json()["type"] == "development"
    assert aep.get(f"{SANDBOXES}/missing", sandbox=None).status_code == 404
    available = aep.get("/data/foundation/sandbox-management/", sandbox=None).json()
    assert len(available["sandboxes"]) == 3


def test_sandbox_paging(aep):
    first = aep.get(f"{SANDBOXES}?limit=2", sandbox=None).json()
    assert len(first["sandboxes"]) == 2 and "next" in first["_links"]
    rest = requests.get(aep.url + first["_links"]["next"]["href"], headers=aep.headers(None)).json()
    assert [s["name"] for s in rest["sandboxes"]] == ["stage"]
    assert "next" not in rest["_links"]


def test_runtime_sandbox_is_usable(aep):
    created = aep.hook("POST", "/sandboxes", json={"name": "feature-1", "title": "Feature", "type": "development"})
    assert created.status_code == 201
    assert aep.get(f"{SANDBOXES}/feature-1", sandbox=None).json()["title"] == "Feature"
    assert aep.get(f"{FS}/flows", sandbox="feature-1").status_code == 200
    assert aep.hook("POST", "/sandboxes", json={"name": "feature-1"}).status_code == 409


def test_second_org_is_isolated(start_emulator, tmp_path):
    config = tmp_path / "orgs.yaml"
    config.write_text(f"""
orgs:
  - id: "{ORG}"
    tenant: emulated
    credentials: [{{client_id: a-client, client_secret: a-secret}}]
    sandboxes: [{{name: prod, title: Prod, type: production, default: true}}]
  - id: "BBBBBBBBBBBBBBBBBBBBBBBB@AdobeOrg"
    tenant: other
    credentials: [{{client_id: b-client, client_secret: b-secret}}]
    sandboxes: [{{name: prod, title: Prod, type: production, default: true}}, {{name: only-b, title: B}}]
""")
    url = start_emulator(config=config).url
    org_a = Aep(url, "a-client", "a-secret", ORG)
    org_b = Aep(url, "b-client", "b-secret", "BBBBBBBBBBBBBBBBBBBBBBBB@AdobeOrg")
    body = {"name": "same name", "connectionSpec": {"id": "073127a3-26e3-496c-9d94-9f48fb93fba8", "version": "1.0"}}
    created = org_a.post(f"{FS}/sourceConnections", json=body).json()["id"]
    assert org_b.get(f"{FS}/sourceConnections").json()["items"] == []
    assert org_b.get(f"{FS}/sourceConnections/{created}").status_code == 404
    # A token of org A presented with org B's id is refused by the gateway.
    crossed = org_a.get(f"{FS}/sourceConnections", headers={"x-gw-ims-org-id": org_b.org})
    assert crossed.status_code == 403 and crossed.json()["error_code"] == "403025"
    assert org_a.get(f"{FS}/flows", sandbox="only-b").status_code == 404
    assert org_b.get(f"{FS}/flows", sandbox="only-b").status_code == 200
