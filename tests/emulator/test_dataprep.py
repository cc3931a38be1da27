"""Data Prep API against a running emulator (server fixtures shared with test_schemaregistry)."""
import uuid
from datetime import datetime

import pytest

from test_schemaregistry import aep, server  # noqa: F401  pylint: disable=unused-import

DP = "/data/foundation/conversion/mappingSets"
CHATLIO = {"visitor": {"email": "test@example.com", "UUID": "2d3f4260-2235-903b-0a82-a23d326cc257"},
           "message": "Hi", "channelId": "C04J7M7LCMQ", "slackChannelName": "aep", "slackChannelId": "C04JVR71WKS"}
FIELDS = ("slackchannel_ID", "slackchannel_name", "UUID", "chatlio_email", "message", "channel_ID")
# The tutorial's legacy mappings with the destinations moved to the emulator tenant `_emulated`.
TUTORIAL = [
    {"destinationXdmPath": "_emulated.slackchannel_ID", "sourceAttribute": "slackChannelId", "identity": False, "version": 0},
    {"destinationXdmPath": "_emulated.slackchannel_name", "sourceAttribute": "slackChannelName", "identity": False, "version": 0},
    {"destinationXdmPath": "_emulated.UUID", "sourceAttribute": "visitor.UUID", "identity": False, "version": 0},
    {"destinationXdmPath": "_emulated.chatlio_email", "sourceAttribute": "visitor.email", "identity": False, "version": 0},
    {"destinationXdmPath": "_emulated.message", "sourceAttribute": "message", "identity": False, "version": 0},
    {"destinationXdmPath": "_emulated.channel_ID", "sourceAttribute": "channelId", "identity": False, "version": 0},
]
ID_AND_TIME = [{"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
               {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]


@pytest.fixture
def schema_id(aep):
    group = aep.field_group(fields=FIELDS)
    return aep.schema(groups=[group["$id"]])["$id"]


def mapping_set(schema_id, mappings, **extra):
    return {"outputSchema": {"schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
            "mappings": mappings, **extra}


def create(aep, body):
    response = aep.call("POST", DP, json=body)
    assert response.status_code == 200, response.text
    return response.json()


def test_tutorial_legacy_mapping_set(aep, schema_id):
    created = create(aep, mapping_set(schema_id, TUTORIAL))
    assert set(created) == {"id", "version", "createdDate", "modifiedDate", "createdBy", "modifiedBy"}
    assert created["version"] == 0 and len(created["id"]) == 32 and int(created["id"], 16) >= 0
    assert created["createdDate"] == created["modifiedDate"]
    got = aep.call("GET", f"{DP}/{created['id']}").json()
    assert got["outputSchema"]["schemaRef"]["id"] == schema_id and got["version"] == 0
    first = got["mappings"][0]
    assert first["sourceType"] == "text/x.schema-path"
    assert first["source"] == first["sourceAttribute"] == "slackChannelId"
    assert first["destination"] == first["destinationXdmPath"] == "_emulated.slackchannel_ID"
    assert "_emulator" not in got and "versions" not in got


def test_modern_form_with_name_and_description(aep, schema_id):
    body = mapping_set(schema_id, [{"sourceType": "ATTRIBUTE", "source": "message", "destination": "_emulated.message",
                                    "name": "message"}] + ID_AND_TIME, name="chatlio-map", description="Chatlio")
    created = create(aep, body)
    got = aep.call("GET", f"{DP}/{created['id']}").json()
    assert got["name"] == "chatlio-map" and got["description"] == "Chatlio"
    assert [m["sourceType"] for m in got["mappings"]] == ["text/x.schema-path", "text/x.aep-xl", "text/x.aep-xl"]
    assert got["mappings"][1]["sourceAttribute"] == "uuid()" and got["mappings"][1]["destinationXdmPath"] == "_id"


def test_put_bumps_the_version_and_keeps_old_versions(aep, schema_id):
    created = create(aep, mapping_set(schema_id, TUTORIAL))
    updated = aep.call("PUT", f"{DP}/{created['id']}", json=mapping_set(schema_id, TUTORIAL[:1] + ID_AND_TIME))
    assert updated.status_code == 200
    assert updated.json()["id"] == created["id"] and updated.json()["version"] == 1
    assert len(updated.json()["mappings"]) == 3 and updated.json()["createdDate"] == created["createdDate"]
    latest = aep.call("GET", f"{DP}/{created['id']}").json()
    assert latest["version"] == 1 and len(latest["mappings"]) == 3
    first = aep.call("GET", f"{DP}/{created['id']}?version=0").json()
    assert first["version"] == 0 and len(first["mappings"]) == len(TUTORIAL)
    assert aep.call("GET", f"{DP}/{created['id']}?version=7").status_code == 404


def test_destination_missing_from_the_schema_is_400(aep, schema_id):
    response = aep.call("POST", DP, json=mapping_set(schema_id, [
        {"sourceAttribute": "message", "destinationXdmPath": "_emulated.not_in_schema"}]))
    assert response.status_code == 400
    error = response.json()
    assert "_emulated.not_in_schema" in error["detail"]
    assert error["report"]["errors"][0]["destination"] == "_emulated.not_in_schema"


def test_unsupported_function_is_400(aep, schema_id):
    response = aep.call("POST", DP, json=mapping_set(schema_id, [
        {"sourceType": "EXPRESSION", "source": "coalesce(message, channelId)", "destination": "_emulated.message"}]))
    assert response.status_code == 400 and "Unsupported function 'coalesce'" in response.json()["detail"]


def test_unknown_output_schema_is_400(aep):
    missing = "https://ns.adobe.com/emulated/schemas/doesnotexist"
    response = aep.call("POST", DP, json=mapping_set(missing, TUTORIAL))
    assert response.status_code == 400 and missing in response.json()["detail"]


def test_unknown_mapping_set_is_404(aep):
    assert aep.call("GET", f"{DP}/{uuid.uuid4().hex}").status_code == 404
    assert aep.call("PUT", f"{DP}/{uuid.uuid4().hex}", json={}).status_code == 404


def test_list_requires_limit_and_start_and_filters_by_name(aep, schema_id):
    create(aep, mapping_set(schema_id, TUTORIAL, name="one"))
    two = create(aep, mapping_set(schema_id, TUTORIAL, name="two"))
    assert aep.call("GET", DP).status_code == 400
    assert aep.call("GET", f"{DP}?limit=10").status_code == 400
    listing = aep.call("GET", f"{DP}?limit=10&start=0&name=two").json()
    assert [d["id"] for d in listing["data"]] == [two["id"]] and listing["_page"] == {"count": 1, "limit": 10}
    paged = aep.call("GET", f"{DP}?limit=1&start=0&orderBy=%2BcreatedDate").json()
    assert paged["data"][0]["name"] == "one" and "start=1" in paged["_links"]["next"]["href"]
    newest = aep.call("GET", f"{DP}?limit=1&start=0&orderBy=-createdDate").json()
    assert newest["data"][0]["name"] == "two"


def test_mappings_subresource(aep, schema_id):
    created = create(aep, mapping_set(schema_id, TUTORIAL))
    mappings = aep.call("GET", f"{DP}/{created['id']}/mappings").json()
    assert [m["destination"] for m in mappings] == [m["destinationXdmPath"] for m in TUTORIAL]
    one = aep.call("GET", f"{DP}/{created['id']}/mappings/{mappings[2]['id']}").json()
    assert one["sourceAttribute"] == "visitor.UUID"
    assert aep.call("GET", f"{DP}/{created['id']}/mappings/nope").status_code == 404


def test_validate_reports_each_mapping(aep, schema_id):
    body = mapping_set(schema_id, [TUTORIAL[0], {"sourceAttribute": "x", "destinationXdmPath": "_emulated.nope"}])
    response = aep.call("POST", f"{DP}/validate", json=body)
    assert response.status_code == 200
    results = response.json()["validationResponse"]
    assert results[0] == {"status": "SUCCESS", "errors": None}
    assert results[1]["status"] == "FAILED" and results[1]["errors"][0]["destination"] == "_emulated.nope"


def test_preview_maps_the_chatlio_payload(aep, schema_id):
    body = {"data": [CHATLIO, {"message": "no ids"}],
            "mappingSet": mapping_set(schema_id, TUTORIAL + ID_AND_TIME)}
    response = aep.call("POST", f"{DP}/preview", json=body)
    assert response.status_code == 200
    first, second = response.json()
    assert first["errors"] is None
    assert first["data"]["_emulated"]["UUID"] == CHATLIO["visitor"]["UUID"]
    assert first["data"]["_emulated"]["chatlio_email"] == "test@example.com"
    uuid.UUID(first["data"]["_id"])
    datetime.fromisoformat(first["data"]["timestamp"])
    assert second["errors"] is None and second["data"]["_emulated"] == {"message": "no ids"}


def test_preview_reports_missing_required_fields(aep, schema_id):
    body = {"data": [CHATLIO], "mappingSet": mapping_set(schema_id, TUTORIAL)}
    result = aep.call("POST", f"{DP}/preview", json=body).json()[0]
    assert result["data"] == {}
    assert [e["exception"] for e in result["errors"]] == [
        "Required field '_id' is missing from the mapped record",
        "Required field 'timestamp' is missing from the mapped record"]


def test_expand_schema_adds_the_resolved_output_schema(aep, schema_id):
    created = create(aep, mapping_set(schema_id, TUTORIAL))
    got = aep.call("GET", f"{DP}/{created['id']}?expandSchema=true").json()
    assert got["outputSchema"]["jsonSchema"]["properties"]["_emulated"]["properties"]["message"]["type"] == "string"


def test_mapping_sets_are_isolated_per_sandbox(aep, schema_id):
    created = create(aep, mapping_set(schema_id, TUTORIAL))
    dev = aep.in_sandbox("dev")
    assert dev.call("GET", f"{DP}/{created['id']}").status_code == 404
    assert dev.call("POST", DP, json=mapping_set(schema_id, TUTORIAL)).status_code == 400


def test_list_refuses_limit_zero_as_catalog_and_flow_service_do(aep, schema_id):
    """limit=0 would be an empty page whose next link is itself (a client that follows it loops): 400 1401-400,
    as Catalog and Flow Service answer (emulator/docs/schemaregistry-dataprep.md)."""
    create(aep, mapping_set(schema_id, TUTORIAL, name="one"))
    for query in ("limit=0&start=0", "limit=-1&start=0", "limit=1&start=-1"):
        answer = aep.call("GET", f"{DP}?{query}")
        assert answer.status_code == 400, query
        assert "1401-400" in answer.text, answer.text
    assert "limit' must be at least 1" in aep.call("GET", f"{DP}?limit=0&start=0").text
