"""The Flow Service spec catalogue (``GET /connectionSpecs``, ``GET /flowSpecs``) holds what a preset author
needs: ids, versions, attributes, whether a base connection is needed (``authSpec`` entries) and which flow
specs accept which source connection specs (``sourceConnectionSpecIds``)."""

from __future__ import annotations

import pytest

from aep_emulator.domain import specs
from emulator_support import FS
from http_api_support import FLOW_SPEC_MAPPING, FLOW_SPEC_NO_TRANSFORMATIONS, HTTP_SPEC, flow_error
from http_api_support import without_request_id

GENERIC_STREAMING = "e77fde5a-22a8-11ed-861d-0242ac120002"
DATA_LAKE = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"
# name, connection spec id, category, base connection needed, flow specs that accept it
CATALOGUE = [
    ("Chatlio", "073127a3-26e3-496c-9d94-9f48fb93fba8", "marketingAutomation", False, [GENERIC_STREAMING]),
    ("Customer.io", "96479064-7b8a-4d69-b9ed-21c5683837ea", "marketingAutomation", False, [GENERIC_STREAMING]),
    ("Pendo", "6ff5654f-19d5-427d-bd3e-c0ebc802389a", "analytics", False, [GENERIC_STREAMING]),
    ("Shopify Streaming", "e77fd9d2-22a8-11ed-861d-0242ac120002", "ecommerce", False, [GENERIC_STREAMING]),
    ("http-connector", HTTP_SPEC, "streaming", True, [FLOW_SPEC_NO_TRANSFORMATIONS, FLOW_SPEC_MAPPING]),
]


def _items(aep, path: str) -> list[dict]:
    response = aep.get(f"{FS}/{path}")
    assert response.status_code == 200, response.text
    return response.json()["items"]


@pytest.mark.parametrize("name, spec_id, category, needs_base, flow_specs", CATALOGUE)
def test_connection_spec_by_id_and_by_name(aep, name, spec_id, category, needs_base, flow_specs):
    by_id = _items(aep, f"connectionSpecs/{spec_id}")
    assert len(by_id) == 1
    spec = by_id[0]
    assert (spec["id"], spec["name"], spec["version"]) == (spec_id, name, "1.0")
    assert spec["providerId"] == "521eee4d-8cbe-4906-bb48-fb6bd4450033"
    assert spec["attributes"]["isSource"] is True and spec["attributes"]["category"] == category
    assert spec["attributes"]["frequency"] == "streaming"
    assert spec["sourceSpec"]["attributes"]["uiAttributes"]["isSource"] is True
    assert bool(spec["authSpec"]) is needs_base  # the rule a preset author applies: authSpec entries = base connection
    assert _items(aep, f"connectionSpecs?property=name=={name}") == [spec]
    accepting = [f["id"] for f in _items(aep, f"flowSpecs?property=sourceConnectionSpecIds[]=={spec_id}")]
    assert accepting == flow_specs


def test_http_api_auth_spec_describes_the_base_connection(aep):
    spec = _items(aep, f"connectionSpecs/{HTTP_SPEC}")[0]
    assert [a["name"] for a in spec["authSpec"]] == ["Streaming Connection"]
    schema = spec["authSpec"][0]["spec"]
    assert schema["required"] == ["dataType"]
    assert schema["properties"]["dataType"]["enum"] == ["xdm", "raw"]
    assert schema["properties"]["authenticationRequired"]["type"] == "boolean"
    assert {n for n, p in schema["properties"].items() if p.get("readOnly")} == {"inletId", "inletUrl"}


def test_list_and_filters(aep):
    ids = [s["id"] for s in _items(aep, "connectionSpecs")]
    assert sorted(ids) == sorted([c[1] for c in CATALOGUE] + [DATA_LAKE])
    sources = _items(aep, "connectionSpecs?property=attributes.isSource==true")
    assert sorted(s["id"] for s in sources) == sorted(c[1] for c in CATALOGUE)
    streaming = _items(aep, "connectionSpecs?property=attributes.category==streaming")
    assert [s["id"] for s in streaming] == [HTTP_SPEC]
    assert aep.get(f"{FS}/connectionSpecs?count=true").json() == {"count": 6}
    named = _items(aep, "connectionSpecs?property=name==Chatlio,Pendo")
    assert sorted(s["name"] for s in named) == ["Chatlio", "Pendo"]


def test_flow_specs(aep):
    flow_specs = {f["id"]: f for f in _items(aep, "flowSpecs")}
    assert sorted(flow_specs) == sorted([GENERIC_STREAMING, FLOW_SPEC_NO_TRANSFORMATIONS, FLOW_SPEC_MAPPING])
    expected = {
        GENERIC_STREAMING: ("GenericStreamingAEP", ["Mapping"]),
        FLOW_SPEC_NO_TRANSFORMATIONS: ("Streaming HTTP API to Data Lake", []),
        FLOW_SPEC_MAPPING: ("Streaming HTTP API to Data Lake with transformations", ["Mapping"]),
    }
    for flow_spec_id, (name, transformations) in expected.items():
        flow_spec = flow_specs[flow_spec_id]
        assert (flow_spec["name"], flow_spec["version"]) == (name, "1.0")
        assert [t["name"] for t in flow_spec["transformationSpecs"]] == transformations
        assert flow_spec["targetConnectionSpecIds"] == [DATA_LAKE]
        assert flow_spec["attributes"]["isSourceFlow"] is True and flow_spec["attributes"]["frequency"] == "streaming"
    assert _items(aep, f"flowSpecs/{FLOW_SPEC_MAPPING}") == [flow_specs[FLOW_SPEC_MAPPING]]
    assert [f["id"] for f in _items(aep, "flowSpecs?property=name==GenericStreamingAEP")] == [GENERIC_STREAMING]


@pytest.mark.parametrize("kind", ["connectionSpecs", "flowSpecs"])
def test_unknown_spec_id(aep, kind):
    response = aep.get(f"{FS}/{kind}/11111111-2222-3333-4444-555555555555")
    assert response.status_code == 404
    message = (f"The requested {kind} resource 11111111-2222-3333-4444-555555555555 is not found. "
               "Verify the resource ID before trying again.")
    body = without_request_id(response.json())
    assert body == flow_error("1101-404", message, id="11111111-2222-3333-4444-555555555555", type=kind)


def test_catalogue_is_consistent():
    """Every spec a flow spec names exists with the right role; every source spec is accepted by a flow spec."""
    connection_specs, flow_specs = specs.connection_specs(), specs.flow_specs()
    for flow_spec in flow_specs.values():
        for spec_id in flow_spec["sourceConnectionSpecIds"]:
            assert "sourceSpec" in connection_specs[spec_id], (flow_spec["id"], spec_id)
        for spec_id in flow_spec["targetConnectionSpecIds"]:
            assert "targetSpec" in connection_specs[spec_id], (flow_spec["id"], spec_id)
    accepted = {s for f in flow_specs.values() for s in f["sourceConnectionSpecIds"]}
    assert {s["id"] for s in connection_specs.values() if "sourceSpec" in s} == accepted
