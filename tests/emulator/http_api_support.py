"""Scenario builders for the HTTP API streaming source (base connection -> source connection -> target ->
[mapping] -> flow), built through the public APIs like AEP's tutorial "Create an HTTP API streaming connection
using the Flow Service API"."""

from __future__ import annotations

from emulator_support import FS, TENANT, Aep, create_chatlio_schema, create_dataset, create_mapping_set
from emulator_support import create_target_connection

HTTP_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"
PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
FLOW_SPEC_NO_TRANSFORMATIONS = "d8a6f005-7eaf-4153-983e-e8574508b877"  # XDM payloads, no mapping
FLOW_SPEC_MAPPING = "c1a19761-d2c7-4702-b9fa-fe91f0613e81"  # raw JSON with a Mapping transformation
FLOW_TYPE = "https://ns.adobe.com/aep/errors/FLOW-"
DCS_TYPE = "https://ns.adobe.com/adobecloud/problem/data-collection-service-"
RAW_EVENT = {"visitor": {"email": "jane@example.com", "UUID": "7a1c0a1e-0000-4000-8000-000000000001"},
             "message": "Hello", "channelId": "C1", "slackChannelName": "aep", "slackChannelId": "S1"}


def flow_error(code: str, message: str, **report) -> dict:
    """The Flow Service error body the emulator answers (request-id removed: compare with ``without_request_id``)."""
    status = int(code.rsplit("-", 1)[1])
    return {"type": FLOW_TYPE + code, "title": "Bad Request" if status == 400 else "Resource not found", "status": status,
            "report": {"detailed-message": message, **report}, "errorMessage": message, "errorDetails": message}


def without_request_id(body: dict) -> dict:
    report = {k: v for k, v in body["report"].items() if k != "request-id"}
    assert len(body["report"]["request-id"]) == 32, body
    return {**body, "report": report}


def dcs_error(status: int, kind: str, title: str, message: str) -> dict:
    return {"type": DCS_TYPE + kind, "status": str(status), "title": title, "report": {"message": message}}


def base_connection_body(data_type: str = "raw", authenticated: bool = False, name: str = "ACME HTTP API",
                         **params) -> dict:
    auth_params = {"dataType": data_type, **params}
    if authenticated:
        auth_params["authenticationRequired"] = True
    return {"name": name, "description": "ACME streaming connection", "providerId": PROVIDER,
            "connectionSpec": {"id": HTTP_SPEC, "version": "1.0"},
            "auth": {"specName": "Streaming Connection", "params": auth_params}}


def create_base_connection(aep: Aep, data_type: str = "raw", authenticated: bool = False, sandbox: str = "prod",
                           **params) -> dict:
    """Create an HTTP API base connection; returns its GET document (with ``auth.params.inletUrl``)."""
    created = aep.post(f"{FS}/connections", sandbox=sandbox,
                       json=base_connection_body(data_type, authenticated, **params))
    assert created.status_code == 201, created.text
    return aep.get(f"{FS}/connections/{created.json()['id']}", sandbox=sandbox).json()["items"][0]


def source_connection_body(base_id: str | None, name: str = "ACME HTTP API source") -> dict:
    body = {"name": name, "description": "HTTP API source", "connectionSpec": {"id": HTTP_SPEC, "version": "1.0"}}
    if base_id is not None:
        body["baseConnectionId"] = base_id
    return body


def http_flow_body(source_id: str, target_id: str, mapping_id: str | None, name: str = "ACME HTTP flow") -> dict:
    body = {"name": name, "description": "ACME streaming dataflow",
            "flowSpec": {"id": FLOW_SPEC_MAPPING if mapping_id else FLOW_SPEC_NO_TRANSFORMATIONS, "version": "1.0"},
            "sourceConnectionIds": [source_id], "targetConnectionIds": [target_id]}
    if mapping_id:
        body["transformations"] = [{"name": "Mapping", "params": {"mappingId": mapping_id, "mappingVersion": 0}}]
    return body


def create_http_api_flow(aep: Aep, data_type: str = "raw", authenticated: bool = False, sandbox: str = "prod") -> dict:
    """The whole HTTP API dataflow: a mapping (raw JSON) or none (XDM). Returns ids, documents and the inlet."""
    schema_id = create_chatlio_schema(aep, sandbox, title=f"HTTP API {data_type} events")
    dataset_id = create_dataset(aep, schema_id, sandbox, name=f"HTTP API {data_type} dataset")
    base = create_base_connection(aep, data_type, authenticated, sandbox)
    source = aep.post(f"{FS}/sourceConnections", sandbox=sandbox, json=source_connection_body(base["id"]))
    assert source.status_code == 201, source.text
    target_id = create_target_connection(aep, dataset_id, schema_id, sandbox, name="HTTP API target")
    mapping_id = create_mapping_set(aep, schema_id, sandbox) if data_type == "raw" else None
    flow = aep.post(f"{FS}/flows", sandbox=sandbox, json=http_flow_body(source.json()["id"], target_id, mapping_id))
    assert flow.status_code == 201, flow.text
    flow_doc = aep.get(f"{FS}/flows/{flow.json()['id']}", sandbox=sandbox).json()["items"][0]
    return {"schema_id": schema_id, "dataset_id": dataset_id, "base": base, "base_id": base["id"],
            "source_id": source.json()["id"], "target_id": target_id, "mapping_id": mapping_id,
            "flow_id": flow_doc["id"], "flow": flow_doc, "inlet_url": base["auth"]["params"]["inletUrl"],
            "inlet_id": base["auth"]["params"]["inletId"], "sandbox": sandbox}


def xdm_entity(uuid: str = "7a1c0a1e-0000-4000-8000-000000000002") -> dict:
    return {"_id": f"http-api-{uuid}", "timestamp": "2026-11-29T12:00:00Z",
            f"_{TENANT}": {"UUID": uuid, "chatlio_email": "jane@example.com", "message": "Hello"}}


def xdm_message(scenario: dict, entity: dict | None = None, flow_id: str | None = "from-scenario") -> dict:
    """An XDM message as the HTTP API guide shows it: ``{header: {schemaRef, flowId, datasetId}, body:
    {xdmMeta: {schemaRef}, xdmEntity}}``."""
    schema_ref = {"id": scenario["schema_id"], "contentType": "application/vnd.adobe.xed-full-notext+json; version=1.0"}
    header = {"schemaRef": schema_ref, "datasetId": scenario["dataset_id"]}
    if flow_id:
        header["flowId"] = scenario["flow_id"] if flow_id == "from-scenario" else flow_id
    return {"header": header, "body": {"xdmMeta": {"schemaRef": dict(schema_ref)},
                                       "xdmEntity": xdm_entity() if entity is None else entity}}


def mapped_record(event: dict) -> dict:
    """The record ``create_mapping_set``'s mappings make of a raw event (``_id``/``timestamp`` are generated)."""
    return {f"_{TENANT}": {"UUID": event["visitor"]["UUID"], "chatlio_email": event["visitor"]["email"],
                           "message": event["message"], "channel_ID": event["channelId"],
                           "slackchannel_name": event["slackChannelName"], "slackchannel_ID": event["slackChannelId"]}}
