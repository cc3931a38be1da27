"""Shared constants and scenario builders for the emulator tests (built through the public APIs)."""

from __future__ import annotations

import os
from pathlib import Path

from aep_emulator.testing import AepTestClient  # noqa: F401
from aep_emulator.testing import AepTestClient as Aep
from aep_emulator.testing import EmulatorProcess  # noqa: F401
from aep_emulator.testing import DEFAULT_CLIENT_ID as CLIENT_ID  # noqa: F401
from aep_emulator.testing import DEFAULT_CLIENT_SECRET as CLIENT_SECRET  # noqa: F401
from aep_emulator.testing import DEFAULT_ORG as ORG  # noqa: F401
from aep_emulator.testing import DEFAULT_TENANT as TENANT

# Re-exported for the test modules (so pylint does not read them as unused imports).
__all__ = ["AepTestClient", "EmulatorProcess", "CLIENT_ID", "CLIENT_SECRET", "ORG"]

REPO = Path(__file__).resolve().parents[2]
EXPERIENCE_EVENT = "https://ns.adobe.com/xdm/context/experienceevent"
CHATLIO_SPEC = "073127a3-26e3-496c-9d94-9f48fb93fba8"
DATA_LAKE_SPEC = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"
STREAMING_FLOW_SPEC = "e77fde5a-22a8-11ed-861d-0242ac120002"
CHATLIO_PAYLOAD = {"visitor": {"email": "test@example.com", "UUID": "2d3f4260-2235-903b-0a82-a23d326cc257"},
                   "message": "Hi", "channelId": "C04J7M7LCMQ", "slackChannelName": "aep",
                   "slackChannelId": "C04JVR71WKS"}
CHATLIO_FIELDS = {"UUID": "visitor.UUID", "chatlio_email": "visitor.email", "message": "message",
                  "channel_ID": "channelId", "slackchannel_name": "slackChannelName",
                  "slackchannel_ID": "slackChannelId"}


# --- scenario builders (through the public APIs) ---------------------------------------------------

FS = "/data/foundation/flowservice"


def create_chatlio_schema(aep: Aep, sandbox: str = "prod", title: str = "Chatlio Events") -> str:
    field_group = aep.post("/data/foundation/schemaregistry/tenant/fieldgroups", sandbox=sandbox, json={
        "type": "object", "title": f"{title} fields", "description": "Chatlio fields",
        "meta:intendedToExtend": [EXPERIENCE_EVENT],
        "definitions": {"chatlio": {"properties": {f"_{TENANT}": {"type": "object", "properties": {
            name: {"title": name, "type": "string"} for name in CHATLIO_FIELDS}}}}},
        "allOf": [{"$ref": "#/definitions/chatlio"}]})
    assert field_group.status_code == 201, field_group.text
    schema = aep.post("/data/foundation/schemaregistry/tenant/schemas", sandbox=sandbox, json={
        "type": "object", "title": title, "description": "Chatlio events",
        "allOf": [{"$ref": EXPERIENCE_EVENT}, {"$ref": field_group.json()["$id"]}]})
    assert schema.status_code == 201, schema.text
    return schema.json()["$id"]


def create_dataset(aep: Aep, schema_id: str, sandbox: str = "prod", name: str = "Chatlio Dataset") -> str:
    response = aep.post("/data/foundation/catalog/dataSets", sandbox=sandbox, json={
        "name": name, "schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed+json;version=1"}})
    assert response.status_code == 201, response.text
    return response.json()[0].split("/")[-1]


def create_mapping_set(aep: Aep, schema_id: str, sandbox: str = "prod") -> str:
    mappings = [{"sourceType": "ATTRIBUTE", "source": source, "destination": f"_{TENANT}.{field}"}
                for field, source in CHATLIO_FIELDS.items()]
    mappings += [{"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
                 {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]
    response = aep.post("/data/foundation/conversion/mappingSets", sandbox=sandbox, json={
        "outputSchema": {"schemaRef": {"id": schema_id,
                                       "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
        "mappings": mappings})
    assert response.status_code == 200, response.text
    return response.json()["id"]


def create_source_connection(aep: Aep, sandbox: str = "prod", name: str = "Chatlio source") -> str:
    response = aep.post(f"{FS}/sourceConnections", sandbox=sandbox, json={
        "name": name, "providerId": "521eee4d-8cbe-4906-bb48-fb6bd4450033",
        "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}, "data": {"format": "json"}})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def create_target_connection(aep: Aep, dataset_id: str, schema_id: str, sandbox: str = "prod",
                             name: str = "Chatlio target") -> str:
    response = aep.post(f"{FS}/targetConnections", sandbox=sandbox, json={
        "name": name, "connectionSpec": {"id": DATA_LAKE_SPEC, "version": "1.0"},
        "data": {"format": "json", "schema": {"id": schema_id,
                                              "version": "application/vnd.adobe.xed-full+json;version=1"}},
        "params": {"dataSetId": dataset_id}})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def flow_body(source_id: str, target_id: str, mapping_id: str | None, name: str = "Chatlio flow") -> dict:
    body = {"name": name, "description": "Streaming Dataflow for Chatlio",
            "flowSpec": {"id": STREAMING_FLOW_SPEC, "version": "1.0"},
            "sourceConnectionIds": [source_id], "targetConnectionIds": [target_id]}
    if mapping_id:
        body["transformations"] = [{"name": "Mapping", "params": {"mappingId": mapping_id, "mappingVersion": 0}}]
    return body


def create_chatlio_flow(aep: Aep, sandbox: str = "prod", name: str = "Chatlio flow") -> dict:
    """Schema, dataset, connections, mapping set and flow; returns their ids plus the flow document."""
    schema_id = create_chatlio_schema(aep, sandbox)
    dataset_id = create_dataset(aep, schema_id, sandbox)
    mapping_id = create_mapping_set(aep, schema_id, sandbox)
    source_id = create_source_connection(aep, sandbox)
    target_id = create_target_connection(aep, dataset_id, schema_id, sandbox)
    response = aep.post(f"{FS}/flows", sandbox=sandbox, json=flow_body(source_id, target_id, mapping_id, name))
    assert response.status_code == 201, response.text
    flow = aep.get(f"{FS}/flows/{response.json()['id']}", sandbox=sandbox).json()["items"][0]
    return {"schema_id": schema_id, "dataset_id": dataset_id, "mapping_id": mapping_id, "source_id": source_id,
            "target_id": target_id, "flow_id": flow["id"], "flow": flow, "inlet_url": flow["options"]["inletUrl"],
            "sandbox": sandbox}


def shared_dir() -> Path | None:
    """The project's shared/ folder (the AEP reference and the tutorial), or None when it is absent.

    ``$AEP_SHARED_DIR`` when set (and only it), else ``shared/`` beside the repository or ``/work/shared``.
    Tests that need it skip with :data:`SHARED_MISSING` as the reason."""
    configured = os.environ.get("AEP_SHARED_DIR")
    candidates = [configured] if configured else [REPO.parent / "shared", "/work/shared"]
    for candidate in candidates:
        if candidate and Path(candidate, "aep-reference").is_dir():
            return Path(candidate)
    return None


SHARED_MISSING = "shared/ (Adobe's API reference and tutorial) not found beside the repository; set AEP_SHARED_DIR to run this"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
