"""A field that carries an identity descriptor (issue 8, gap 2): before any data, a change that would leave the
descriptor pointing at nothing (the field removed, renamed, moved, retyped away from string, or its field group
dropped from the schema) is refused with 400 ``XDM-1024-400`` naming the field and the descriptor; after the
descriptor is deleted the same change passes. Fields without a descriptor change freely (before any data)."""

from __future__ import annotations

import pytest
import requests

from emulator_support import TENANT, create_chatlio_flow

SR = "/data/foundation/schemaregistry"
FIELDS = f"/definitions/chatlio/properties/_{TENANT}/properties"
XED = {"Accept": "application/vnd.adobe.xed+json; version=1"}
EMAIL = f"_{TENANT}.chatlio_email"


def quoted(resource_id: str) -> str:
    return requests.utils.quote(resource_id, safe="")


def identity(schema_id: str) -> dict:
    return {"@type": "xdm:descriptorIdentity", "xdm:sourceSchema": schema_id, "xdm:sourceVersion": 1,
            "xdm:sourceProperty": f"/_{TENANT}/chatlio_email", "xdm:namespace": "Email", "xdm:property": "xdm:code",
            "xdm:isPrimary": False}


def setup(aep):
    scenario = create_chatlio_flow(aep)
    schema = aep.get(f"{SR}/tenant/schemas/{quoted(scenario['schema_id'])}", headers=XED).json()
    created = aep.post(f"{SR}/tenant/descriptors", json=identity(scenario["schema_id"]))
    assert created.status_code == 201, created.text
    return scenario["schema_id"], schema["refs"][1], created.json()["@id"]


CHANGES = {
    "remove": ([{"op": "remove", "path": f"{FIELDS}/chatlio_email"}], "remove it"),
    "rename": ([{"op": "remove", "path": f"{FIELDS}/chatlio_email"},
                {"op": "add", "path": f"{FIELDS}/email", "value": {"type": "string"}}], "remove it"),
    "retype": ([{"op": "replace", "path": f"{FIELDS}/chatlio_email/type", "value": "integer"}],
               "make it a field of type integer"),
}


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_field_group_change_under_a_descriptor_is_refused_then_passes_without_it(aep, name):
    schema_id, group_id, descriptor_id = setup(aep)
    url = f"{SR}/tenant/fieldgroups/{quoted(group_id)}"
    before = aep.get(url, headers=XED).json()
    operations, what = CHANGES[name]
    response = aep.patch(url, json=operations)
    assert response.status_code == 400, response.text
    body = response.json()
    detail = (f"Field '{EMAIL}' of schema {schema_id} carries identity descriptor {descriptor_id} (namespace Email); "
              f"this change would {what}. Delete the descriptor first (DELETE /tenant/descriptors/{descriptor_id}), "
              "then change the field.")
    assert body["type"] == "http://ns.adobe.com/aep/errors/XDM-1024-400" and body["status"] == 400
    assert body["title"] == "Field referenced by a descriptor" and body["detail"] == detail, body
    assert body["report"]["sub-errors"] == [{"field": EMAIL, "change": "descriptor", "descriptor": descriptor_id,
                                             "message": f"Field '{EMAIL}' carries identity descriptor {descriptor_id}"}]
    assert aep.get(url, headers=XED).json() == before  # nothing changed
    assert aep.delete(f"{SR}/tenant/descriptors/{descriptor_id}").status_code == 204
    assert aep.patch(url, json=operations).status_code == 200


def test_dropping_the_field_group_from_the_schema_is_refused_too(aep):
    schema_id, group_id, descriptor_id = setup(aep)
    url = f"{SR}/tenant/schemas/{quoted(schema_id)}"
    response = aep.patch(url, json=[{"op": "remove", "path": "/allOf/1"}])
    assert response.status_code == 400, response.text
    assert response.json()["type"].endswith("XDM-1024-400") and descriptor_id in response.json()["detail"]
    assert group_id in aep.get(url, headers=XED).json()["refs"]


def test_other_fields_change_freely_before_any_data(aep):
    dummy, group_id, dummy_descriptor = setup(aep)
    url = f"{SR}/tenant/fieldgroups/{quoted(group_id)}"
    assert aep.patch(url, json=[{"op": "remove", "path": f"{FIELDS}/message"}]).status_code == 200
