"""A dataflow whose source sends raw (non-XDM) JSON needs a Mapping: POST /flows (and a PATCH that drops the
mapping) refuses one without, before anything is stored (breaker report 3, item 1). XDM sources (an HTTP API base
connection with ``dataType: xdm``) keep working without a mapping. A webhook flow without a Mapping (stored before
the rule) stores a payload only when it fits the dataset's schema."""

from __future__ import annotations

import pytest

from aep_emulator.domain import inlet as inlet_module
from emulator_support import CHATLIO_SPEC, FS, create_chatlio_flow, create_chatlio_schema, create_dataset
from emulator_support import create_source_connection, create_target_connection, flow_body
from http_api_support import FLOW_SPEC_MAPPING, FLOW_SPEC_NO_TRANSFORMATIONS, HTTP_SPEC, create_base_connection
from http_api_support import flow_error, http_flow_body, source_connection_body, without_request_id

ADD_MAPPING = "Add a Mapping transformation ({name: Mapping, params: {mappingId, mappingVersion}})."
USE_MAPPING_SPEC = ("Use a flow spec that accepts a Mapping transformation (HTTP API: c1a19761-d2c7-4702-b9fa-fe91f0613e81) "
                    "with a mapping set.")


def _raw_message(source_id: str, spec_id: str, hint: str) -> str:
    return (f"Mapping validation failed: source connection {source_id} (connection spec {spec_id}) sends raw data, "
            f"not XDM; a flow without a Mapping cannot store it. {hint}")


def _target(aep) -> str:
    schema_id = create_chatlio_schema(aep)
    return create_target_connection(aep, create_dataset(aep, schema_id), schema_id)


def _http_source(aep, data_type: str) -> str:
    base = create_base_connection(aep, data_type)
    response = aep.post(f"{FS}/sourceConnections", json=source_connection_body(base["id"]))
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_webhook_flow_without_mapping_is_refused(aep):
    target_id = _target(aep)
    source_id = create_source_connection(aep)
    aep.clear_request_log()
    response = aep.post(f"{FS}/flows", json=flow_body(source_id, target_id, None))
    assert response.status_code == 400
    assert without_request_id(response.json()) == flow_error(
        "1419-400", _raw_message(source_id, CHATLIO_SPEC, ADD_MAPPING), field="transformations")
    assert aep.get(f"{FS}/flows?count=true").json() == {"count": 0}


@pytest.mark.parametrize("flow_spec, hint", [(FLOW_SPEC_MAPPING, ADD_MAPPING), (FLOW_SPEC_NO_TRANSFORMATIONS, USE_MAPPING_SPEC)])
def test_http_api_raw_flow_without_mapping_is_refused(aep, flow_spec, hint):
    target_id = _target(aep)
    source_id = _http_source(aep, "raw")
    body = http_flow_body(source_id, target_id, None)
    body["flowSpec"]["id"] = flow_spec
    response = aep.post(f"{FS}/flows", json=body)
    assert response.status_code == 400
    assert without_request_id(response.json()) == flow_error(
        "1419-400", _raw_message(source_id, HTTP_SPEC, hint), field="transformations")
    assert aep.get(f"{FS}/flows?count=true").json() == {"count": 0}


@pytest.mark.parametrize("flow_spec", [FLOW_SPEC_MAPPING, FLOW_SPEC_NO_TRANSFORMATIONS])
def test_http_api_xdm_flow_without_mapping_is_created(aep, flow_spec):
    target_id = _target(aep)
    source_id = _http_source(aep, "xdm")
    body = http_flow_body(source_id, target_id, None)
    body["flowSpec"]["id"] = flow_spec
    response = aep.post(f"{FS}/flows", json=body)
    assert response.status_code == 201, response.text
    assert aep.get(f"{FS}/flows?count=true").json() == {"count": 1}


def test_patch_that_drops_the_mapping_of_a_webhook_flow_is_refused(aep):
    scenario = create_chatlio_flow(aep)
    path = f"{FS}/flows/{scenario['flow_id']}"
    etag = aep.get(path).json()["items"][0]["etag"]
    response = aep.patch(path, json=[{"op": "remove", "path": "/transformations/0"}], headers={"If-Match": etag})
    assert response.status_code == 400
    assert without_request_id(response.json()) == flow_error(
        "1419-400", _raw_message(scenario["source_id"], CHATLIO_SPEC, ADD_MAPPING), field="transformations")
    assert aep.get(path).json()["items"][0]["transformations"][0]["name"] == "Mapping"


class _Store:
    """Just the documents ``Inlets._map`` reads for a webhook flow without a mapping."""

    def __init__(self, docs: dict):
        self.docs = docs

    def get(self, kind, org, sandbox, object_id):
        return self.docs.get((kind, object_id))


def test_unmapped_webhook_record_that_does_not_fit_the_schema_fails(monkeypatch):
    schema = {"$id": "https://ns.adobe.com/tenant/schemas/s1"}
    store = _Store({
        ("targetConnections", "t1"): {"params": {"dataSetId": "d1"}},
        ("dataSets", "d1"): {"schemaRef": {"id": schema["$id"]}},
    })
    monkeypatch.setattr(inlet_module.schemaregistry, "find_schema", lambda st, org, sb, sid: schema if sid == schema["$id"] else None)
    monkeypatch.setattr(inlet_module.schemaregistry, "schema_fields",
                        lambda st, org, sb, doc: ({"_id": "string", "timestamp": "date-time", "note": "string"}, ["_id", "timestamp"]))
    inlets = object.__new__(inlet_module.Inlets)  # no database: _map only reads the store
    inlets.store = store
    webhook = {"org": "o", "sandbox": "prod", "flowId": "f1"}
    flow = {"id": "f1", "targetConnectionIds": ["t1"], "transformations": []}
    record, errors = inlets._map(webhook, flow, {"visitor": {"email": "a@b.c"}})
    assert record is None
    assert errors == ["Field 'visitor' is not defined by the schema", "Required field '_id' is missing",
                      "Required field 'timestamp' is missing"]
    good = {"_id": "1", "timestamp": "2026-11-30T00:00:00Z", "note": "hi"}
    assert inlets._map(webhook, flow, good) == (good, [])
