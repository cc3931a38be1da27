"""Flow Service: catalogue, CRUD, list queries, PATCH/etag, delete guards, actions, flow references."""

import re

import pytest
import requests

from emulator_support import (CHATLIO_SPEC, DATA_LAKE_SPEC, FS, STREAMING_FLOW_SPEC, create_chatlio_flow,
                              create_chatlio_schema, create_dataset, create_mapping_set, create_source_connection,
                              create_target_connection, flow_body)

ETAG = re.compile(r'^"[0-9a-f]{8}-0000-0200-0000-[0-9a-f]{8}0000"$')


def source_body(name, spec=CHATLIO_SPEC, **extra):
    return {"name": name, "connectionSpec": {"id": spec, "version": "1.0"}, "data": {"format": "json"}, **extra}


def test_catalogue(aep):
    chatlio = aep.get(f"{FS}/connectionSpecs/{CHATLIO_SPEC}").json()["items"][0]
    assert chatlio["name"] == "Chatlio"
    flow_spec = aep.get(f"{FS}/flowSpecs/{STREAMING_FLOW_SPEC}").json()["items"][0]
    assert flow_spec["name"] == "GenericStreamingAEP"
    for spec_id in (CHATLIO_SPEC, "96479064-7b8a-4d69-b9ed-21c5683837ea", "6ff5654f-19d5-427d-bd3e-c0ebc802389a",
                    "e77fd9d2-22a8-11ed-861d-0242ac120002"):
        assert spec_id in flow_spec["sourceConnectionSpecIds"]
    assert flow_spec["targetConnectionSpecIds"] == [DATA_LAKE_SPEC]
    names = aep.get(f"{FS}/connectionSpecs?property=name==Chatlio,Pendo").json()["items"]
    assert sorted(s["name"] for s in names) == ["Chatlio", "Pendo"]
    missing = aep.get(f"{FS}/connectionSpecs/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["type"].endswith("FLOW-1101-404")


def test_create_get_shape(aep):
    created = aep.post(f"{FS}/sourceConnections", json=source_body("Chatlio source"))
    assert created.status_code == 201
    assert set(created.json()) == {"id", "etag"}
    assert ETAG.match(created.json()["etag"])
    item = aep.get(f"{FS}/sourceConnections/{created.json()['id']}").json()
    assert list(item) == ["items"] and len(item["items"]) == 1
    doc = item["items"][0]
    assert doc["etag"] == doc["version"] == created.json()["etag"]
    assert doc["sandboxName"] == "prod" and doc["imsOrgId"] == aep.org and doc["state"] == "enabled"
    assert doc["connectionSpec"] == {"id": CHATLIO_SPEC, "version": "1.0"}


@pytest.mark.parametrize("body, code", [
    ({"connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}}, "1455-400"),
    ({"name": "x", "connectionSpec": {"id": "11111111-1111-1111-1111-111111111111"}}, "1413-400"),
    ({"name": "x", "connectionSpec": {"id": DATA_LAKE_SPEC}}, "1413-400"),
])
def test_create_validation(aep, body, code):
    response = aep.post(f"{FS}/sourceConnections", json=body)
    assert response.status_code == 400
    assert response.json()["type"].endswith(f"FLOW-{code}")


def test_empty_body_is_1405(aep):
    response = aep.post(f"{FS}/sourceConnections", data=b"", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["type"].endswith("FLOW-1405-400")


def test_target_connection_needs_existing_dataset(aep):
    response = aep.post(f"{FS}/targetConnections", json={
        "name": "t", "connectionSpec": {"id": DATA_LAKE_SPEC, "version": "1.0"}, "params": {"dataSetId": "0" * 24}})
    assert response.status_code == 400
    assert "dataSets" in response.json()["errorMessage"]


def test_unknown_id_404_bodies(aep):
    flow = aep.get(f"{FS}/flows/4982698b-e6b3-48c2-8dcf-040e20121fd2")
    assert flow.status_code == 404
    body = flow.json()
    assert body["type"] == "https://ns.adobe.com/aep/errors/FLOW-1439-404"
    assert body["report"]["id"] == "4982698b-e6b3-48c2-8dcf-040e20121fd2" and body["errorMessage"]
    assert aep.get(f"{FS}/sourceConnections/nope").json()["type"].endswith("FLOW-1101-404")
    assert aep.delete(f"{FS}/targetConnections/nope").status_code == 404


def test_filters_orderby_count(aep):
    for name in ("bravo", "alpha", "charlie"):
        aep.post(f"{FS}/sourceConnections", json=source_body(name))
    aep.post(f"{FS}/sourceConnections", json=source_body("pendo", "6ff5654f-19d5-427d-bd3e-c0ebc802389a"))

    def names(query):
        response = aep.get(f"{FS}/sourceConnections?{query}")
        assert response.status_code == 200, response.text
        return [i["name"] for i in response.json()["items"]]

    assert names("property=name==alpha") == ["alpha"]
    assert names("property=name==alpha,charlie") == ["alpha", "charlie"]
    assert names("property=name!=alpha&property=connectionSpec.id==" + CHATLIO_SPEC) == ["bravo", "charlie"]
    assert names("property=name>bravo&orderby=name") == ["charlie", "pendo"]
    assert names("property=name<=bravo&orderby=-name") == ["bravo", "alpha"]
    assert names("orderby=name") == ["alpha", "bravo", "charlie", "pendo"]
    assert names("orderby=-createdAt")[-1] == "bravo"
    assert aep.get(f"{FS}/sourceConnections?count=true").json() == {"count": 4}
    both = aep.get(f"{FS}/sourceConnections?count=true&limit=2")
    assert both.status_code == 400 and both.json()["type"].endswith("FLOW-1401-400")
    bad = aep.get(f"{FS}/sourceConnections?orderby=*name")
    assert bad.status_code == 400 and bad.json()["type"].endswith("FLOW-1432-400")


def test_paging_with_continuation_token(aep):
    for index in range(5):
        aep.post(f"{FS}/sourceConnections", json=source_body(f"s{index}"))
    seen, url = [], f"{aep.url}{FS}/sourceConnections?limit=2&orderby=name"
    while url:
        page = requests.get(url, headers=aep.headers()).json()
        assert len(page["items"]) <= 2
        seen += [i["name"] for i in page["items"]]
        href = page["_links"].get("next", {}).get("href")
        assert href is None or href.startswith("/sourceConnections?")
        url = f"{aep.url}{FS}{href}" if href else None
    assert seen == [f"s{i}" for i in range(5)]
    page = aep.get(f"{FS}/sourceConnections?limit=2&orderby=name").json()
    token = page["_links"]["next"]["href"].split("continuationToken=")[1]
    second = aep.get(f"{FS}/sourceConnections?limit=2&orderby=name&continuationToken={token}").json()
    assert [i["name"] for i in second["items"]] == ["s2", "s3"]


def test_patch_if_match_and_new_etag(aep):
    created = aep.post(f"{FS}/sourceConnections", json=source_body("old")).json()
    path = f"{FS}/sourceConnections/{created['id']}"
    ops = [{"op": "replace", "path": "/name", "value": "new"}]
    missing = aep.patch(path, json=ops)
    assert missing.status_code == 400 and missing.json()["type"].endswith("FLOW-1403-400")
    stale = aep.patch(path, json=ops, headers={"If-Match": '"00000000-0000-0200-0000-000000000000"'})
    assert stale.status_code == 412 and stale.json()["type"].endswith("FLOW-1404-412")
    patched = aep.patch(path, json=ops, headers={"If-Match": created["etag"]})
    assert patched.status_code == 200
    assert patched.json()["id"] == created["id"] and patched.json()["etag"] != created["etag"]
    doc = aep.get(path).json()["items"][0]
    assert doc["name"] == "new" and doc["etag"] == patched.json()["etag"]
    again = aep.patch(path, json=[{"op": "add", "path": "/description", "value": "d"}],
                      headers={"If-Match": created["etag"]})
    assert again.status_code == 412
    removed = aep.patch(path, json=[{"op": "remove", "path": "/description"}], headers={"If-Match": doc["etag"]})
    assert removed.status_code == 200 and "description" not in aep.get(path).json()["items"][0]


@pytest.mark.parametrize("ops, code", [
    ([{"op": "move", "from": "/name", "path": "/description"}], "1434-400"),
    ([{"op": "replace", "path": "/nothing/here", "value": 1}], "1455-400"),
    ([{"op": "replace", "path": "/connectionSpec", "value": {"id": DATA_LAKE_SPEC}}], "1414-400"),
])
def test_patch_errors(aep, ops, code):
    created = aep.post(f"{FS}/sourceConnections", json=source_body("x")).json()
    response = aep.patch(f"{FS}/sourceConnections/{created['id']}", json=ops, headers={"If-Match": created["etag"]})
    assert response.status_code == 400 and response.json()["type"].endswith(f"FLOW-{code}")


def test_flow_document_like_tutorial(aep):
    scenario = create_chatlio_flow(aep)
    flow = scenario["flow"]
    assert flow["state"] == "enabled"
    assert re.fullmatch(rf"{re.escape(aep.url)}/collection/[0-9a-f]{{64}}", flow["options"]["inletUrl"])
    assert flow["runs"] == f"/runs?property=flowId=={flow['id']}"
    assert flow["inheritedAttributes"]["properties"] == {"isSourceFlow": True}
    assert flow["inheritedAttributes"]["sourceConnections"] == [
        {"id": scenario["source_id"], "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}}]
    assert flow["inheritedAttributes"]["targetConnections"][0]["connectionSpec"]["id"] == DATA_LAKE_SPEC
    assert flow["lastOperation"]["operation"] == "enable"
    assert flow["transformations"][0]["params"]["mappingId"] == scenario["mapping_id"]
    for field in ("providerRefId", "createdAt", "updatedAt", "createdBy", "sandboxId", "imsOrgId", "etag"):
        assert flow[field]
    by_array = aep.get(f"{FS}/flows?property=sourceConnectionIds[]=={scenario['source_id']}").json()["items"]
    assert [f["id"] for f in by_array] == [flow["id"]]
    nested = aep.get(f"{FS}/flows?property=inheritedAttributes.targetConnections[].connectionSpec.id=="
                     f"{DATA_LAKE_SPEC}").json()["items"]
    assert [f["id"] for f in nested] == [flow["id"]]


def test_flow_reference_errors(aep):
    schema_id = create_chatlio_schema(aep)
    other_schema = create_chatlio_schema(aep, title="Other schema")
    dataset_id = create_dataset(aep, schema_id)
    source_id = create_source_connection(aep)
    target_id = create_target_connection(aep, dataset_id, schema_id)
    mapping_id = create_mapping_set(aep, schema_id)
    wrong_mapping = create_mapping_set(aep, other_schema)
    cases = [
        ({**flow_body(source_id, target_id, mapping_id), "state": "enabled"}, "1410-400"),
        ({**flow_body(source_id, target_id, mapping_id), "flowSpec": {"id": "nope"}}, "1413-400"),
        (flow_body(source_id, target_id, wrong_mapping), "1425-400"),
        (flow_body(source_id, target_id, "f" * 32), "1419-400"),
        (flow_body("00000000-0000-0000-0000-000000000000", target_id, mapping_id), None),
        (flow_body(target_id, target_id, mapping_id), None),
        ({**flow_body(source_id, target_id, mapping_id), "name": ""}, "1455-400"),
    ]
    for body, code in cases:
        response = aep.post(f"{FS}/flows", json=body)
        assert response.status_code == 400, body
        if code:
            assert response.json()["type"].endswith(f"FLOW-{code}"), response.json()
    version = flow_body(source_id, target_id, mapping_id)
    version["transformations"][0]["params"]["mappingVersion"] = 7
    assert aep.post(f"{FS}/flows", json=version).json()["type"].endswith("FLOW-1412-400")
    assert aep.get(f"{FS}/flows?count=true").json() == {"count": 0}


def test_source_spec_not_allowed_by_flow_spec(aep):
    schema_id = create_chatlio_schema(aep)
    target_id = create_target_connection(aep, create_dataset(aep, schema_id), schema_id)
    base_id = aep.post(f"{FS}/connections", json={
        "name": "http", "connectionSpec": {"id": "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", "version": "1.0"},
        "auth": {"specName": "Streaming Connection", "params": {"dataType": "raw"}}}).json()["id"]
    http_source = aep.post(f"{FS}/sourceConnections", json=source_body(
        "http", "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", baseConnectionId=base_id)).json()["id"]
    response = aep.post(f"{FS}/flows", json=flow_body(http_source, target_id, None))
    assert response.status_code == 400 and response.json()["type"].endswith("FLOW-1413-400")


def test_delete_guards_and_order(aep):
    scenario = create_chatlio_flow(aep)
    for kind, key in (("sourceConnections", "source_id"), ("targetConnections", "target_id")):
        guarded = aep.delete(f"{FS}/{kind}/{scenario[key]}")
        assert guarded.status_code == 400 and guarded.json()["type"].endswith("FLOW-1447-400")
    deleted = aep.delete(f"{FS}/flows/{scenario['flow_id']}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert aep.get(f"{FS}/flows/{scenario['flow_id']}").status_code == 404
    assert aep.delete(f"{FS}/flows/{scenario['flow_id']}").json()["type"].endswith("FLOW-1439-404")
    assert aep.delete(f"{FS}/sourceConnections/{scenario['source_id']}").status_code == 204
    assert aep.delete(f"{FS}/targetConnections/{scenario['target_id']}").status_code == 204
    gone = requests.post(scenario["inlet_url"], json={"a": 1})
    assert gone.status_code == 404


def test_base_connection_guard(aep):
    base = aep.post(f"{FS}/connections", json={
        "name": "http", "connectionSpec": {"id": "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", "version": "1.0"},
        "auth": {"specName": "Streaming Connection", "params": {"sourceId": "x", "dataType": "raw"}}})
    assert base.status_code == 201
    base_id = base.json()["id"]
    source = aep.post(f"{FS}/sourceConnections", json=source_body(
        "s", "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", baseConnectionId=base_id))
    assert source.status_code == 201
    guarded = aep.delete(f"{FS}/connections/{base_id}")
    assert guarded.status_code == 400 and guarded.json()["type"].endswith("FLOW-1418-400")
    bad_ref = aep.post(f"{FS}/sourceConnections", json=source_body("s", baseConnectionId="nope"))
    assert bad_ref.status_code == 400


def test_enable_disable_action(aep):
    scenario = create_chatlio_flow(aep)
    path = f"{FS}/flows/{scenario['flow_id']}"
    disabled = aep.post(f"{path}/action?op=disable")
    assert disabled.status_code == 200 and disabled.json()["etag"] != scenario["flow"]["etag"]
    doc = aep.get(path).json()["items"][0]
    assert doc["state"] == "disabled" and doc["lastOperation"]["operation"] == "disable"
    assert aep.get(f"{FS}/flows?property=state==disabled").json()["items"][0]["id"] == scenario["flow_id"]
    again = aep.post(f"{path}/action?op=disable")
    assert again.status_code == 400 and again.json()["type"].endswith("FLOW-1422-400")
    assert aep.post(f"{path}/action?op=enable").status_code == 200
    assert aep.get(path).json()["items"][0]["state"] == "enabled"
    assert aep.post(f"{path}/action?op=explode").status_code == 400
    assert aep.post(f"{FS}/flows/nope/action?op=enable").status_code == 404


def test_patch_flow_transformation_revalidates(aep):
    scenario = create_chatlio_flow(aep)
    path = f"{FS}/flows/{scenario['flow_id']}"
    etag = scenario["flow"]["etag"]
    bad = [{"op": "replace", "path": "/transformations/0",
            "value": {"name": "Mapping", "params": {"mappingId": "0" * 32, "mappingVersion": 0}}}]
    assert aep.patch(path, json=bad, headers={"If-Match": etag}).json()["type"].endswith("FLOW-1419-400")
    rename = aep.patch(path, json=[{"op": "replace", "path": "/name", "value": "renamed"}], headers={"If-Match": etag})
    assert rename.status_code == 200
    doc = aep.get(path).json()["items"][0]
    assert doc["name"] == "renamed" and doc["lastOperation"]["operation"] == "update"
    assert doc["options"]["inletUrl"] == scenario["inlet_url"]
    state = aep.patch(path, json=[{"op": "replace", "path": "/state", "value": "disabled"}],
                      headers={"If-Match": doc["etag"]})
    assert state.status_code == 400


def test_sandbox_isolation_same_names(aep):
    prod = create_chatlio_flow(aep, "prod")
    dev = create_chatlio_flow(aep, "dev")
    assert prod["flow_id"] != dev["flow_id"]
    assert [f["id"] for f in aep.get(f"{FS}/flows", sandbox="dev").json()["items"]] == [dev["flow_id"]]
    assert aep.get(f"{FS}/flows/{prod['flow_id']}", sandbox="dev").status_code == 404
    assert aep.get(f"{FS}/flows?property=name==Chatlio%20flow", sandbox="stage").json()["items"] == []
    dev_doc = aep.get(f"{FS}/flows/{dev['flow_id']}", sandbox="dev").json()["items"][0]
    assert dev_doc["sandboxName"] == "dev" and dev_doc["sandboxId"] != prod["flow"]["sandboxId"]
    # A prod source connection cannot be used by a dev flow.
    cross = aep.post(f"{FS}/flows", sandbox="dev", json=flow_body(prod["source_id"], dev["target_id"], None))
    assert cross.status_code == 400


HTTP_SPEC = {"id": "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", "version": "1.0"}


@pytest.mark.parametrize("body, code", [
    ({"connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}}, "1455-400"),  # no auth
    ({"connectionSpec": HTTP_SPEC, "auth": {"params": {"sourceId": "s"}}}, "1455-400"),
    ({"connectionSpec": HTTP_SPEC, "auth": {"specName": "Nonexistent Auth", "params": {"sourceId": "s"}}}, "1415-400"),
    ({"connectionSpec": HTTP_SPEC, "auth": {"specName": "Streaming Connection", "params": {}}}, "1455-400"),
])
def test_base_connection_auth_is_checked(aep, body, code):
    """docs/emulator-bugs.md H5 #2 and #3: auth is required and must name an authSpec of the connection spec."""
    response = aep.post(f"{FS}/connections", json={"name": "x", **body})
    assert response.status_code == 400, response.text
    assert response.json()["type"] == f"https://ns.adobe.com/aep/errors/FLOW-{code}"


def test_base_connection_secrets_are_masked_on_read(aep):
    """docs/emulator-bugs.md H5 #1: reads return a partial view of the credentials."""
    created = aep.post(f"{FS}/connections", json={"name": "x", "connectionSpec": HTTP_SPEC, "auth": {
        "specName": "Streaming Connection",
        "params": {"sourceId": "s", "dataType": "raw", "password": "topsecret", "authenticationRequired": False}}})
    assert created.status_code == 201, created.text
    got = aep.get(f"{FS}/connections/{created.json()['id']}").json()["items"][0]
    inlet_id = got["auth"]["params"]["inletId"]
    expected = {"sourceId": "s", "dataType": "raw", "password": "****", "authenticationRequired": False,
                "name": "x", "inletId": inlet_id, "inletUrl": f"{aep.url}/collection/{inlet_id}"}
    assert got["auth"] == {"specName": "Streaming Connection", "params": expected}
    listed = aep.get(f"{FS}/connections").json()["items"]
    assert [c["auth"]["params"] for c in listed] == [expected]
    assert "topsecret" not in aep.get(f"{FS}/connections").text
