"""No value makes the emulator answer 500: every list filter parses each clause by its own operator, and every
create/update body of the wrong shape is refused with a 4xx. Also the filters' semantics on awkward names
(written down in emulator/README.md, "Filters")."""

from __future__ import annotations

import copy
from urllib.parse import quote

import pytest
import requests

from emulator_support import (CHATLIO_PAYLOAD, CHATLIO_SPEC, DATA_LAKE_SPEC, EXPERIENCE_EVENT, FS, TENANT, create_chatlio_flow,
                              create_chatlio_schema, create_dataset, create_source_connection, flow_body)

SR = "/data/foundation/schemaregistry"
CAT = "/data/foundation/catalog"
DP = "/data/foundation/conversion"
SBX = "/data/foundation/sandbox-management"
XED_ID = {"Accept": "application/vnd.adobe.xed-id+json"}
NASTY = ["Chatlio (beta", "a[b", "[", "*", "?", "\\", "~", "a,b", ",", "==", "!", "!=", "", " ", "%", "é ü",
         ".*", "((((", ")", "1e999", "-1", "0", "nan", "true", "{}", "[]", "x" * 3000,
         "name==Chatlio (beta", "title==Chatlio (beta", "title~Chatlio (beta", "name~(", "name==", "==x", "!name",
         "name", "a.b[].c==1", "id>abc", "createdAt>=1", "-name", "+", "asc:", "desc:name", "asc:name,desc:x"]
LISTS = [
    (f"{FS}/connectionSpecs", {}), (f"{FS}/flowSpecs", {}), (f"{FS}/connections", {}),
    (f"{FS}/sourceConnections", {}), (f"{FS}/targetConnections", {}), (f"{FS}/flows", {}), (f"{FS}/runs", {}),
    (f"{CAT}/dataSets", {}), (f"{SR}/tenant/schemas", XED_ID), (f"{SR}/tenant/fieldgroups", XED_ID),
    (f"{SR}/global/classes", XED_ID), (f"{DP}/mappingSets", {}), (f"{SBX}/sandboxes", {}),
]
PARAMS = ["property", "properties", "name", "orderby", "orderBy", "limit", "start", "offset", "continuationToken",
          "count", "version", "expandSchema"]


@pytest.fixture
def populated(aep):
    """A complete Chatlio dataflow with one ingested event (so /runs has a run)."""
    scenario = create_chatlio_flow(aep)
    assert requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD).status_code == 200
    return aep, scenario


@pytest.mark.parametrize("path, headers", LISTS, ids=[p.rsplit("/", 2)[-1] for p, _h in LISTS])
def test_list_filters_never_answer_500(populated, path, headers):
    aep, _ids = populated
    failures = []
    for param in PARAMS:
        for value in NASTY:
            extra = {"limit": "5", "start": "0"} if path.endswith("mappingSets") and param not in ("limit", "start") else {}
            query = "&".join(f"{k}={quote(v, safe='')}" for k, v in {**extra, param: value}.items())
            response = aep.get(f"{path}?{query}", headers=headers)
            if response.status_code >= 500:
                failures.append((param, value[:40], response.status_code, response.text[:200]))
    assert failures == []


# --- semantics on awkward names ------------------------------------------------------------------------

def test_schema_registry_title_filter_reads_the_value_as_text(aep):
    create_chatlio_schema(aep, title="Chatlio (beta")
    found = aep.get(f"{SR}/tenant/schemas?property={quote('title==Chatlio (beta')}", headers=XED_ID)
    assert found.status_code == 200
    assert [r["title"] for r in found.json()["results"]] == ["Chatlio (beta"]
    regex = aep.get(f"{SR}/tenant/schemas?property={quote('title~Chatlio (beta')}", headers=XED_ID)
    assert regex.status_code == 400 and "regular expression" in regex.json()["detail"]
    assert aep.get(f"{SR}/tenant/schemas?property={quote('title~^Chatlio')}",
                   headers=XED_ID).json()["_page"]["count"] == 1


def test_catalog_name_filter_has_only_the_star_wildcard(aep):
    schema_id = create_chatlio_schema(aep)
    for name in ("Chatlio (beta", "Chatlio [beta]", "Chatlio b", "Other"):
        create_dataset(aep, schema_id, name=name)

    def names(query: str) -> list[str]:
        response = aep.get(f"{CAT}/dataSets?{query}")
        assert response.status_code == 200, response.text
        return sorted(d["name"] for d in response.json().values())

    assert names("name=" + quote("Chatlio (beta")) == ["Chatlio (beta"]
    assert names("name=" + quote("Chatlio [beta]")) == ["Chatlio [beta]"]
    assert names("name=" + quote("Chatlio ?")) == []
    assert names("name=" + quote("Chatlio*")) == ["Chatlio (beta", "Chatlio [beta]", "Chatlio b"]
    assert names("name=" + quote("Other,Chatlio b")) == ["Chatlio b", "Other"]
    assert names("name=" + quote("!Other")) == ["Chatlio (beta", "Chatlio [beta]", "Chatlio b"]
    assert names("property=" + quote("name==Chatlio (beta")) == ["Chatlio (beta"]
    assert names("property=" + quote("name~^Chatlio \\(")) == ["Chatlio (beta"]
    bad = aep.get(f"{CAT}/dataSets?property=" + quote("name~Chatlio (beta"))
    assert bad.status_code == 400 and "regular expression" in bad.json()["detail"]


def test_flow_service_filter_compares_text_and_refuses_tilde(aep):
    create_source_connection(aep, name="Chatlio (beta")
    create_source_connection(aep, name="Chatlio [beta]")
    found = aep.get(f"{FS}/sourceConnections?property=" + quote("name==Chatlio (beta"))
    assert [s["name"] for s in found.json()["items"]] == ["Chatlio (beta"]
    tilde = aep.get(f"{FS}/sourceConnections?property=" + quote("name==Ansible ~ v2"))
    assert tilde.status_code == 400 and tilde.json()["type"].endswith("FLOW-1440-400")
    either = aep.get(f"{FS}/sourceConnections?property=" + quote("name==Chatlio [beta],nothing"))
    assert [s["name"] for s in either.json()["items"]] == ["Chatlio [beta]"]


# --- bodies of the wrong shape ---------------------------------------------------------------------------

WRONG = [None, 0, -1, 1.5, True, "", "x", [], [1], ["x"], {}, {"id": []}, [{}]]


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value[:2]):
            yield from _paths(child, prefix + (index,))


def _replaced(body, path, new):
    if not path:
        return new
    result = copy.deepcopy(body)
    node = result
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = new
    return result


def _bodies(scenario, schema_id):
    mappings = [{"sourceType": "ATTRIBUTE", "source": "message", "destination": f"_{TENANT}.message"}]
    return [
        ("POST", f"{FS}/sourceConnections", {"name": "s", "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"},
                                             "data": {"format": "json"}, "params": {}}),
        ("POST", f"{FS}/targetConnections", {"name": "t", "connectionSpec": {"id": DATA_LAKE_SPEC, "version": "1.0"},
                                             "data": {"format": "json", "schema": {"id": schema_id}},
                                             "params": {"dataSetId": scenario["dataset_id"]}}),
        ("POST", f"{FS}/connections", {"name": "b", "connectionSpec": {"id": "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb",
                                                                       "version": "1.0"},
                                       "auth": {"specName": "Streaming Connection", "params": {"sourceId": "s"}}}),
        ("POST", f"{FS}/flows", flow_body(scenario["source_id"], scenario["target_id"], scenario["mapping_id"])),
        ("PATCH", f"{FS}/sourceConnections/{scenario['source_id']}",
         [{"op": "replace", "path": "/name", "value": "n"}]),
        ("PATCH", f"{FS}/flows/{scenario['flow_id']}", [{"op": "replace", "path": "/name", "value": "n"}]),
        ("POST", f"{CAT}/dataSets", {"name": "d", "schemaRef": {"id": schema_id, "contentType": "x"},
                                     "tags": {"a": ["b"]}}),
        ("PATCH", f"{CAT}/dataSets/{scenario['dataset_id']}", {"name": "d2", "tags": {"a": ["b"]}}),
        ("POST", f"{SR}/tenant/fieldgroups", {
            "type": "object", "title": "g", "meta:intendedToExtend": [EXPERIENCE_EVENT],
            "definitions": {"d": {"properties": {f"_{TENANT}": {"type": "object", "properties": {
                "f": {"type": "string", "title": "f"}}}}}}, "allOf": [{"$ref": "#/definitions/d"}]}),
        ("POST", f"{SR}/tenant/schemas", {"type": "object", "title": "s", "allOf": [{"$ref": EXPERIENCE_EVENT}]}),
        ("POST", f"{DP}/mappingSets", {"outputSchema": {"schemaRef": {"id": schema_id, "contentType": "x"}},
                                       "mappings": mappings}),
        ("PUT", f"{DP}/mappingSets/{scenario['mapping_id']}",
         {"outputSchema": {"schemaRef": {"id": schema_id}}, "mappings": mappings + [
             {"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
             {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]}),
        ("PUT", f"{SR}/tenant/schemas/{quote(schema_id, safe='')}",
         {"type": "object", "title": "s2", "allOf": [{"$ref": EXPERIENCE_EVENT}]}),
        ("PATCH", f"{SR}/tenant/schemas/{quote(schema_id, safe='')}",
         [{"op": "replace", "path": "/title", "value": "s3"}]),
        ("POST", f"{DP}/mappingSets/validate", {"outputSchema": {"schemaRef": {"id": schema_id}},
                                                "mappings": mappings}),
        ("POST", f"{DP}/mappingSets/preview", {"data": [{"message": "m"}], "mappingSet": {
            "outputSchema": {"schemaRef": {"id": schema_id}}, "mappings": mappings}}),
    ]


def test_bodies_of_the_wrong_shape_never_answer_500(populated):
    aep, scenario = populated
    failures = []
    for method, path, body in _bodies(scenario, scenario["schema_id"]):
        for where in list(_paths(body)):
            for wrong in WRONG:
                headers = {"If-Match": aep.get(path).json()["items"][0]["etag"]} if path.startswith(f"{FS}/") \
                    and method == "PATCH" else {}
                response = aep.request(method, path, json=_replaced(body, where, wrong), headers=headers)
                if response.status_code >= 500:
                    failures.append((method, path, where, wrong, response.status_code, response.text[:160]))
    assert failures == []


def test_hook_bodies_of_the_wrong_shape_never_answer_500(aep):
    failures = []
    for path, body in (("/faults", {"method": "GET", "path": "x", "count": 1, "status": 500, "latency_ms": 0}),
                       ("/sandboxes", {"name": "fuzzed", "title": "t", "type": "development"})):
        for where in list(_paths(body)):
            for wrong in WRONG:
                response = aep.hook("POST", path, json=_replaced(body, where, wrong))
                if response.status_code >= 500:
                    failures.append((path, where, wrong, response.status_code, response.text[:160]))
        aep.hook("DELETE", "/faults")
    assert failures == []


@pytest.mark.parametrize("method", ["HEAD", "OPTIONS", "PUT", "TRACE"])
def test_other_methods_never_answer_500(populated, method):
    aep, scenario = populated
    for path in (f"{FS}/flows", f"{FS}/flows/{scenario['flow_id']}", f"{CAT}/dataSets", f"{SR}/tenant/schemas",
                 f"{DP}/mappingSets", f"{SBX}/sandboxes", "/ims/token/v3", "/collection/x", "/_emulator/health"):
        response = aep.request(method, path)
        assert response.status_code < 500, (method, path, response.status_code)
