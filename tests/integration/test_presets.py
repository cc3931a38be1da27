"""The preset catalogue end to end (issue 9): every preset of roles/streaming_source/vars/presets/ onboards into two
sandboxes, reruns with changed=0, takes its sample event at the registered URL (with an IMS token where the source
needs one), lands the expected record in its own sandbox's dataset only, and offboards leaving nothing behind but
its mapping set (Data Prep has no delete: the role "forgets" it, see tasks/absent.yml)."""
import copy
import json

import pytest
import requests
import yaml

from harness import REPO, artifact_entries
from onboard_helpers import run_playbook, write_static_inventory

PRESETS = REPO / "roles" / "streaming_source" / "vars" / "presets"
CATALOGUE = ["chatlio", "customerio", "pendo", "shopify_streaming", "http_api", "http_api_authenticated"]
SANDBOXES = ("prod", "dev")
TENANT = "_emulated"
HTTP_API = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"
FS = "/data/foundation/flowservice/"


def load(name):
    return yaml.safe_load((PRESETS / (name + ".yml")).read_text())["streaming_source_preset_data"]


def tenantize(value):
    return json.loads(json.dumps(value).replace("{tenant}", TENANT))


def dig(data, path):
    for part in path.split("."):
        data = data[part]
    return data


def put(data, path, value):
    parts = path.split(".")
    for part in parts[:-1]:
        data = data[part]
    data[parts[-1]] = value


def snapshot(emulator, sandbox):
    """Ids of every flow, connection (base, source, target), dataset, schema and field group of a sandbox."""
    found = set()
    for kind in ("flows", "connections", "sourceConnections", "targetConnections"):
        resp = emulator.api("GET", FS + kind, sandbox=sandbox)
        resp.raise_for_status()
        found |= {(kind, item["id"]) for item in resp.json().get("items", [])}
    resp = emulator.api("GET", "/data/foundation/catalog/dataSets", sandbox=sandbox, params={"limit": 100})
    if resp.status_code != 404:
        resp.raise_for_status()
        found |= {("dataSets", key) for key in (resp.json() or {})}
    for kind in ("schemas", "fieldgroups"):
        resp = emulator.api("GET", "/data/foundation/schemaregistry/tenant/" + kind, sandbox=sandbox,
                            headers={"Accept": "application/vnd.adobe.xed-id+json"})
        resp.raise_for_status()
        found |= {(kind, item["$id"]) for item in resp.json().get("results", [])}
    return found


def event_for(preset, marker, entry, schema_id):
    """The sample event with ``marker`` at ``smoke.marker_source``: raw JSON, or for XDM presets the xdmEntity in
    a streaming message (header and body schemaRef, flow id)."""
    event = tenantize(copy.deepcopy(preset["sample_event"]))
    put(event, preset["smoke"]["marker_source"].replace("{tenant}", TENANT), marker)
    if preset.get("mappings"):
        return event
    ref = {"id": schema_id, "contentType": "application/vnd.adobe.xed-full+json;version=1"}
    return {"header": {"schemaRef": ref, "flowId": entry["flow_id"]}, "body": {"xdmMeta": {"schemaRef": ref}, "xdmEntity": event}}


@pytest.mark.parametrize("name", CATALOGUE)
def test_preset_carries_sample_and_expected_record(name):
    preset = load(name)
    assert isinstance(preset["sample_event"], dict) and preset["sample_event"]
    assert isinstance(preset["expected_record"], dict) and preset["expected_record"]
    # every field the smoke test checks is in the expected record
    for path, want in preset["smoke"]["expect"].items():
        assert dig(preset["expected_record"], path) == want, path


@pytest.mark.parametrize("name", CATALOGUE)
def test_preset_end_to_end(emulator, tmp_path, name):
    preset = load(name)
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=SANDBOXES)
    artifacts = tmp_path / "inlet_urls.json"
    args = ("-e", "streaming_source_preset=%s" % name, "-e", "aep_artifacts_file=%s" % artifacts)
    before = {s: snapshot(emulator, s) for s in SANDBOXES}

    run = run_playbook("onboard_chatlio.yml", inventory, *args)
    assert run.rc == 0, run
    results = {s: run.host_results("Publish each sandbox's result as a host fact") for s in SANDBOXES}
    data = artifact_entries(artifacts)
    assert set(data) == set(SANDBOXES)
    http_api = preset["source"]["connection_spec_id"] == HTTP_API
    facts = {}
    for item in run.host_results("Publish each sandbox's result as a host fact")[SANDBOXES[0]]["results"]:
        facts[item["item"]] = item["ansible_facts"]["streaming_source_result"]
    for sandbox in SANDBOXES:
        entry, result = data[sandbox], facts[sandbox]
        assert entry["webhook_url"] == entry["inlet_url"] + "?x-adobe-flow-id=" + entry["flow_id"]
        flow = emulator.api("GET", FS + "flows/" + entry["flow_id"], sandbox=sandbox).json()["items"][0]
        assert flow["flowSpec"]["id"] == preset["flow"]["flow_spec_id"]
        assert bool(flow.get("transformations")) == bool(preset.get("mappings"))
        source = emulator.api("GET", FS + "sourceConnections/" + flow["sourceConnectionIds"][0], sandbox=sandbox).json()["items"][0]
        if http_api:
            # the inlet is the base connection's, the source connection references it, the flow has no inlet of its own
            base = emulator.api("GET", FS + "connections/" + result["base_connection_id"], sandbox=sandbox).json()["items"][0]
            assert source["baseConnectionId"] == base["id"]
            assert entry["inlet_url"] == base["auth"]["params"]["inletUrl"]
            assert base["auth"]["params"]["dataType"] == preset["source"]["base_connection"]["data_type"]
            assert not (flow.get("options") or {}).get("inletUrl")
        else:
            assert result["base_connection_id"] is None and "baseConnectionId" not in source
        authenticated = bool(preset["source"].get("base_connection", {}).get("authentication_required"))
        assert result["authentication_required"] is authenticated
        if authenticated:
            assert result["webhook_headers"] == {"Authorization": "Bearer <IMS access token>"}
            assert "Authorization: Bearer" in result["webhook_note"]
    assert len({data[s]["inlet_url"] for s in SANDBOXES}) == 2
    summary = run.host_results("Summary")[SANDBOXES[0]]["msg"]
    if authenticated:
        assert any("Authorization: Bearer <IMS access token>" in line for line in summary), summary

    emulator.clear_log()
    rerun = run_playbook("onboard_chatlio.yml", inventory, *args)
    assert rerun.rc == 0, rerun
    for sandbox in SANDBOXES:
        assert rerun.stats[sandbox]["changed"] == 0, rerun.changed_tasks(sandbox)
    assert emulator.writes() == []

    # the sample event, posted to each sandbox's registered URL, lands mapped in that sandbox's dataset only
    for sandbox in SANDBOXES:
        entry = data[sandbox]
        dataset = emulator.api("GET", "/data/foundation/catalog/dataSets/" + entry["dataset_id"], sandbox=sandbox).json()
        schema_id = dataset[entry["dataset_id"]]["schemaRef"]["id"]
        marker = "marker-%s-%s" % (name, sandbox)
        body = event_for(preset, marker, entry, schema_id)
        if authenticated:
            refused = requests.post(entry["webhook_url"], json=body, timeout=10)
            assert refused.status_code == 401, refused.text
            headers = {"Authorization": "Bearer " + emulator.client.token}
        else:
            headers = {}
        resp = requests.post(entry["webhook_url"], json=body, headers=headers, timeout=10)
        assert resp.status_code == 200, resp.text
        records = emulator.records(entry["dataset_id"], sandbox)
        assert len(records) == 1, records
        record = records[0]
        assert dig(record, preset["smoke"]["marker_destination"].replace("{tenant}", TENANT)) == marker
        expected = tenantize(preset["expected_record"])[TENANT]
        marker_field = preset["smoke"]["marker_destination"].split(".")[-1]
        assert record[TENANT] == dict(expected, **{marker_field: marker})
        assert record["_id"] and record["timestamp"]
        other = [s for s in SANDBOXES if s != sandbox][0]
        assert emulator.records(data[other]["dataset_id"], other) == [] or sandbox == SANDBOXES[1]

    # the smoke test does the same in-process (aep.platform.inlet_post, token included) and says how long it took
    smoke = run_playbook("smoke_chatlio.yml", inventory, *args)
    assert smoke.rc == 0, smoke
    report = smoke.custom_stats["_run"]["aep_smoke"]
    for sandbox in SANDBOXES:
        assert report[sandbox]["verified_by"] == "emulator dataset records"
        assert report[sandbox]["authenticated"] is authenticated
        assert float(report[sandbox]["seconds_to_land"]) >= 0
        records = emulator.records(data[sandbox]["dataset_id"], sandbox)
        assert len(records) == 2
        marker_path = preset["smoke"]["marker_destination"].replace("{tenant}", TENANT)
        assert report[sandbox]["marker"] in [dig(r, marker_path) for r in records]

    off = run_playbook("offboard_chatlio.yml", inventory, *args)
    assert off.rc == 0, off
    for sandbox in SANDBOXES:
        assert snapshot(emulator, sandbox) == before[sandbox]
        # left behind, by design: the mapping set (Data Prep has no delete)
        left = emulator.api("GET", "/data/foundation/conversion/mappingSets", sandbox=sandbox, params={"limit": 100, "start": 0}).json()
        assert len(left.get("data", [])) == (1 if preset.get("mappings") else 0)
    assert artifact_entries(artifacts) == {}


@pytest.mark.parametrize("name", ["http_api", "http_api_authenticated"])
def test_base_connection_preset_check_mode_predicts_every_object_and_writes_nothing(emulator, tmp_path, name):
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=("prod",))
    emulator.clear_log()
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "streaming_source_preset=%s" % name, "--check", "--diff")
    assert run.rc == 0, run
    expected = ["Ensure the field group", "Ensure the schema", "Ensure the dataset", "Ensure the base connection",
                "Ensure the source connection", "Ensure the target connection", "Ensure the mapping set", "Ensure the dataflow"]
    if not load(name)["mappings"]:
        expected.remove("Ensure the mapping set")
    assert run.changed_tasks("prod") == expected
    assert emulator.writes() == []
