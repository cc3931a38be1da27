"""Schema Registry API against a running emulator (its own server on a free 127.0.0.1 port)."""
from urllib.parse import quote

import pytest
import requests

from emulator_support import AepTestClient

ORG = "0123456789ABCDEF01234567@AdobeOrg"
EE = "https://ns.adobe.com/xdm/context/experienceevent"
SR = "/data/foundation/schemaregistry"
XED_ID = "application/vnd.adobe.xed-id+json"
XED_V1 = "application/vnd.adobe.xed+json; version=1"
FULL_V1 = "application/vnd.adobe.xed-full+json; version=1"


class Platform:
    """A tiny AEP client bound to one emulator and one sandbox."""

    def __init__(self, base, token, sandbox="prod"):
        self.base, self.token, self.sandbox = base, token, sandbox

    def call(self, method, path, accept=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", "x-api-key": "aep-emulator-client",
                   "x-gw-ims-org-id": ORG, "x-sandbox-name": self.sandbox, **kwargs.pop("headers", {})}
        if accept:
            headers["Accept"] = accept
        return requests.request(method, self.base + path, headers=headers, timeout=10, **kwargs)

    def in_sandbox(self, sandbox):
        return Platform(self.base, self.token, sandbox)

    def field_group(self, title="Chatlio Fields", fields=("message", "UUID", "slackchannel_ID")):
        body = {"type": "object", "title": title, "description": "Chatlio webhook fields",
                "meta:intendedToExtend": [EE],
                "definitions": {"chatlio": {"properties": {"_emulated": {"type": "object", "properties": {
                    name: {"type": "string", "title": name} for name in fields}}}}},
                "allOf": [{"$ref": "#/definitions/chatlio"}]}
        response = self.call("POST", f"{SR}/tenant/fieldgroups", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def schema(self, title="Chatlio Events", groups=()):
        body = {"type": "object", "title": title, "description": "Chatlio events",
                "allOf": [{"$ref": EE}, *({"$ref": g} for g in groups)]}
        response = self.call("POST", f"{SR}/tenant/schemas", json=body)
        assert response.status_code == 201, response.text
        return response.json()


@pytest.fixture(scope="module")
def server(emulator):
    """A sandbox-bound client of the session's emulator (see conftest.py)."""
    return Platform(emulator.url, AepTestClient(emulator.url).token)


@pytest.fixture
def aep(server):
    """The emulator with every AEP object removed."""
    requests.post(server.base + "/_emulator/reset", timeout=10).raise_for_status()
    return server


def test_stats_reports_tenant_and_counts(aep):
    aep.schema(groups=[aep.field_group()["$id"]])
    stats = aep.call("GET", f"{SR}/stats").json()
    assert stats["tenantId"] == "emulated" and stats["imsOrg"] == ORG
    assert stats["counts"]["schemas"] == 1 and stats["counts"]["mixins"] == 1
    assert stats["recentlyCreatedResources"][0]["title"] in ("Chatlio Events", "Chatlio Fields")
    usage = {c["$id"]: c["numberOfSchemas"] for c in stats["classUsage"]}
    assert usage[EE] == 1


def test_global_classes(aep):
    listing = aep.call("GET", f"{SR}/global/classes", accept=XED_ID).json()
    assert {r["$id"] for r in listing["results"]} == {EE, "https://ns.adobe.com/xdm/context/profile"}
    ee = aep.call("GET", f"{SR}/global/classes/{quote(EE, safe='')}", accept=FULL_V1).json()
    assert ee["title"] == "XDM ExperienceEvent" and ee["required"] == ["_id", "timestamp"]
    assert ee["properties"]["timestamp"]["format"] == "date-time"
    by_alt = aep.call("GET", f"{SR}/global/classes/_xdm.context.experienceevent", accept=XED_V1)
    assert by_alt.status_code == 200 and by_alt.json()["$id"] == EE


def test_field_group_create_returns_the_full_resource(aep):
    group = aep.field_group()
    assert group["$id"].startswith("https://ns.adobe.com/emulated/mixins/")
    assert group["meta:altId"] == "_emulated.mixins." + group["$id"].rsplit("/", 1)[1]
    assert group["meta:tenantNamespace"] == "_emulated" and group["version"] == "1.0"
    assert group["meta:intendedToExtend"] == [EE] and group["meta:registryMetadata"]["eTag"]


def test_mixins_alias_serves_the_same_field_groups(aep):
    group = aep.field_group()
    listing = aep.call("GET", f"{SR}/tenant/mixins", accept=XED_ID).json()
    assert [r["$id"] for r in listing["results"]] == [group["$id"]]


def test_field_group_outside_the_tenant_namespace_is_400(aep):
    body = {"type": "object", "title": "Bad", "meta:intendedToExtend": [EE],
            "definitions": {"d": {"properties": {"message": {"type": "string"}}}}, "allOf": [{"$ref": "#/definitions/d"}]}
    response = aep.call("POST", f"{SR}/tenant/fieldgroups", json=body)
    assert response.status_code == 400
    error = response.json()
    assert error["status"] == 400 and "_emulated" in error["detail"] and "registryRequestId" in error["report"]


def test_schema_create_get_by_id_and_alt_id(aep):
    group = aep.field_group()
    schema = aep.schema(groups=[group["$id"]])
    assert schema["$id"].startswith("https://ns.adobe.com/emulated/schemas/")
    assert schema["meta:class"] == EE and schema["meta:containerId"] == "tenant"
    assert schema["meta:sandboxType"] == "production" and schema["imsOrg"] == ORG
    raw = aep.call("GET", f"{SR}/tenant/schemas/{quote(schema['$id'], safe='')}", accept=XED_V1).json()
    assert [ref["$ref"] for ref in raw["allOf"]] == [EE, group["$id"]]
    full = aep.call("GET", f"{SR}/tenant/schemas/{schema['meta:altId']}", accept=FULL_V1).json()
    assert full["properties"]["_emulated"]["properties"]["message"]["type"] == "string"
    assert "_id" in full["properties"] and full["required"] == ["_id", "timestamp"]


def test_schema_with_two_classes_is_400(aep):
    body = {"type": "object", "title": "Two", "description": "d",
            "allOf": [{"$ref": EE}, {"$ref": "https://ns.adobe.com/xdm/context/profile"}]}
    response = aep.call("POST", f"{SR}/tenant/schemas", json=body)
    assert response.status_code == 400 and "exactly one class" in response.json()["detail"]


def test_list_by_title_with_summary_and_full_accept(aep):
    aep.schema("Alpha")
    beta = aep.schema("Beta")
    listing = aep.call("GET", f"{SR}/tenant/schemas?property=title==Beta", accept=XED_ID).json()
    assert listing["results"] == [{"$id": beta["$id"], "meta:altId": beta["meta:altId"], "version": "1.0",
                                   "title": "Beta"}]
    assert listing["_page"]["count"] == 1 and listing["_page"]["next"] is None
    assert listing["_links"]["global_schemas"]["href"].endswith("/global/schemas")
    full = aep.call("GET", f"{SR}/tenant/schemas", accept="application/vnd.adobe.xed+json").json()
    assert {r["title"] for r in full["results"]} == {"Alpha", "Beta"} and all("allOf" in r for r in full["results"])


def test_list_paging_with_orderby_limit_start(aep):
    for title in ("c", "a", "b"):
        aep.schema(title)
    first = aep.call("GET", f"{SR}/tenant/schemas?orderby=title&limit=2", accept=XED_ID).json()
    assert [r["title"] for r in first["results"]] == ["a", "b"] and first["_page"]["next"] == "b"
    assert "start=b" in first["_links"]["next"]["href"]
    second = aep.call("GET", f"{SR}/tenant/schemas?orderby=title&limit=2&start=b", accept=XED_ID).json()
    assert [r["title"] for r in second["results"]] == ["c"] and second["_page"]["next"] is None
    descending = aep.call("GET", f"{SR}/tenant/schemas?orderby=-title", accept=XED_ID).json()
    assert [r["title"] for r in descending["results"]] == ["c", "b", "a"]


@pytest.mark.parametrize("accept", [None, "application/json", XED_V1])
def test_list_with_a_wrong_accept_is_400(aep, accept):
    response = aep.call("GET", f"{SR}/tenant/schemas", accept=accept)
    assert response.status_code == 400 and response.json()["type"].endswith("XDM-1006-400")


def test_lookup_accept_errors(aep):
    path = f"{SR}/tenant/schemas/{aep.schema()['meta:altId']}"
    assert aep.call("GET", path).status_code == 400
    assert aep.call("GET", path, accept="application/vnd.adobe.xed+json").status_code == 400
    assert aep.call("GET", path, accept="application/json").status_code == 406
    assert aep.call("GET", path, accept="application/vnd.adobe.xed+json; version=2").status_code == 404


def test_unknown_resources_are_404(aep):
    missing = quote("https://ns.adobe.com/emulated/schemas/0000", safe="")
    response = aep.call("GET", f"{SR}/tenant/schemas/{missing}", accept=XED_V1)
    assert response.status_code == 404
    assert response.json()["title"] == "Resource Not Found" and "is not found" in response.json()["detail"]
    assert aep.call("DELETE", f"{SR}/tenant/fieldgroups/_emulated.mixins.0000").status_code == 404
    assert aep.call("PUT", f"{SR}/tenant/schemas/{missing}", json={}).status_code == 404


def test_put_replaces_and_bumps_the_version(aep):
    group = aep.field_group()
    body = {"type": "object", "title": "Renamed", "meta:intendedToExtend": [EE],
            "definitions": group["definitions"], "allOf": [{"$ref": "#/definitions/chatlio"}]}
    response = aep.call("PUT", f"{SR}/tenant/fieldgroups/{quote(group['$id'], safe='')}", json=body)
    assert response.status_code == 200
    assert response.json()["title"] == "Renamed" and response.json()["version"] == "1.1"
    assert response.json()["$id"] == group["$id"]


def test_patch_adds_a_field_group_to_a_schema(aep):
    schema = aep.schema()
    group = aep.field_group()
    response = aep.call("PATCH", f"{SR}/tenant/schemas/{schema['meta:altId']}",
                        json=[{"op": "add", "path": "/allOf/-", "value": {"$ref": group["$id"]}}])
    assert response.status_code == 200, response.text
    assert group["$id"] in response.json()["meta:extends"] and response.json()["version"] == "1.1"
    full = aep.call("GET", f"{SR}/tenant/schemas/{schema['meta:altId']}", accept=FULL_V1).json()
    assert "_emulated" in full["properties"]


def test_delete_and_in_use_conflicts(aep):
    group = aep.field_group()
    schema = aep.schema(groups=[group["$id"]])
    in_use = aep.call("DELETE", f"{SR}/tenant/fieldgroups/{group['meta:altId']}")
    assert in_use.status_code == 409 and "Chatlio Events" in in_use.json()["detail"]
    assert aep.call("DELETE", f"{SR}/tenant/schemas/{schema['meta:altId']}").status_code == 204
    assert aep.call("GET", f"{SR}/tenant/schemas/{schema['meta:altId']}", accept=XED_V1).status_code == 404
    assert aep.call("DELETE", f"{SR}/tenant/fieldgroups/{group['meta:altId']}").status_code == 204


def test_schemas_are_isolated_per_sandbox(aep):
    schema = aep.schema()
    dev = aep.in_sandbox("dev")
    assert dev.call("GET", f"{SR}/tenant/schemas/{schema['meta:altId']}", accept=XED_V1).status_code == 404
    assert dev.call("GET", f"{SR}/tenant/schemas", accept=XED_ID).json()["results"] == []
