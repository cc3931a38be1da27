"""Catalog datasets: create, lookup, list filters, projection, paging, delete, schema reference."""

import pytest

from emulator_support import create_chatlio_schema, create_dataset

DS = "/data/foundation/catalog/dataSets"


@pytest.fixture
def schema_id(aep):
    return create_chatlio_schema(aep)


def test_create_and_get(aep, schema_id):
    response = aep.post(DS, json={"name": "Chatlio", "description": "d", "tags": {"team": ["a"]},
                                  "schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed+json;version=1"}})
    assert response.status_code == 201
    (ref,) = response.json()
    dataset_id = ref.split("/")[-1]
    assert ref == f"@/dataSets/{dataset_id}" and len(dataset_id) == 24 and int(dataset_id, 16) >= 0
    assert response.headers["Location"].endswith(f"{DS}/{dataset_id}")
    body = aep.get(f"{DS}/{dataset_id}").json()
    assert list(body) == [dataset_id]
    doc = body[dataset_id]
    assert doc["name"] == "Chatlio" and doc["schemaRef"]["id"] == schema_id and doc["imsOrg"] == aep.org
    assert doc["tags"] == {"team": ["a"]} and doc["version"] == "1.0.0"
    assert doc["files"] == f"@/dataSetFiles?dataSetId={dataset_id}"


@pytest.mark.parametrize("body", [
    {"name": "x", "schemaRef": {"id": "https://ns.adobe.com/emulated/schemas/missing"}},
    {"name": "x"},
    {"schemaRef": {"id": "https://ns.adobe.com/emulated/schemas/missing"}},
])
def test_create_rejects_bad_references(aep, body):
    response = aep.post(DS, json=body)
    assert response.status_code == 400
    assert response.json()["status"] == 400 and response.json()["detail"]


def test_schema_of_other_sandbox_is_unknown(aep, schema_id):
    response = aep.post(DS, sandbox="dev", json={"name": "x", "schemaRef": {"id": schema_id}})
    assert response.status_code == 400


def test_list_filters(aep, schema_id):
    ids = {name: create_dataset(aep, schema_id, name=name) for name in ("Alpha One", "Alpha Two", "Beta")}
    assert set(aep.get(f"{DS}?name=Beta").json()) == {ids["Beta"]}
    assert set(aep.get(f"{DS}?name=Beta,Alpha%20One").json()) == {ids["Beta"], ids["Alpha One"]}
    assert set(aep.get(f"{DS}?name=Alpha*").json()) == {ids["Alpha One"], ids["Alpha Two"]}
    assert set(aep.get(f"{DS}?name=!Beta").json()) == {ids["Alpha One"], ids["Alpha Two"]}
    assert set(aep.get(f"{DS}?property=name==Alpha%20Two").json()) == {ids["Alpha Two"]}
    assert aep.get(f"{DS}?name=Nothing").json() == {}
    projected = aep.get(f"{DS}?properties=name&name=Beta").json()
    assert projected == {ids["Beta"]: {"name": "Beta"}}


def test_list_paging_and_limits(aep, schema_id):
    ids = [create_dataset(aep, schema_id, name=f"d{i}") for i in range(4)]
    assert list(aep.get(f"{DS}?limit=2").json()) == ids[:2]
    assert list(aep.get(f"{DS}?limit=2&start=2").json()) == ids[2:]
    assert list(aep.get(f"{DS}?orderBy=desc:name&limit=1").json()) == [ids[3]]
    assert aep.get(f"{DS}?limit=0").status_code == 400
    assert aep.get(f"{DS}?limit=101").status_code == 400


def test_update_and_delete(aep, schema_id):
    dataset_id = create_dataset(aep, schema_id)
    patched = aep.patch(f"{DS}/{dataset_id}", json={"description": "new"})
    assert patched.status_code == 200 and patched.json() == [f"@/dataSets/{dataset_id}"]
    assert aep.get(f"{DS}/{dataset_id}").json()[dataset_id]["description"] == "new"
    deleted = aep.delete(f"{DS}/{dataset_id}")
    assert deleted.status_code == 200 and deleted.json() == [f"@/dataSets/{dataset_id}"]
    assert aep.get(f"{DS}/{dataset_id}").status_code == 404
    assert aep.delete(f"{DS}/{dataset_id}").json() == []
