"""aep.platform.flow_info and flow_run_info, and the webhook URL end to end."""
import requests

from harness import CHATLIO_SAMPLE, make_flow_connections, make_schema_dataset_mapping
from harness import run_playbook

NAME = "Chatlio flow (info)"


def setup_flow(emulator):
    fx = make_schema_dataset_mapping(emulator)
    fx.update(make_flow_connections(emulator, fx))
    run = run_playbook(emulator, [{"name": "flow", "aep.platform.flow": {
        "name": NAME, "source_connection_ids": [fx["source_id"]], "target_connection_ids": [fx["target_id"]],
        "mapping_id": fx["mapping_id"]}}])
    assert run[0].changed, run[0]
    fx.update(flow_id=run[0]["id"], webhook_url=run[0]["webhook_url"], inlet_url=run[0]["inlet_url"])
    emulator.clear_log()
    return fx


def test_flow_info_by_name_and_id(emulator):
    fx = setup_flow(emulator)
    run = run_playbook(emulator, [
        {"aep.platform.flow_info": {"name": NAME}},
        {"aep.platform.flow_info": {"id": fx["flow_id"]}},
        {"aep.platform.flow_info": {"name": "missing"}},
        {"aep.platform.flow_info": {"id": "11111111-2222-3333-4444-555555555555"}},
        {"aep.platform.flow_info": {}},
    ], check=True)
    for res in run[:2]:
        assert not res.changed and res["count"] == 1
        assert res["id"] == fx["flow_id"] and res["flow"]["id"] == fx["flow_id"]
        assert res["inlet_url"] == fx["inlet_url"]
        assert res["webhook_url"] == fx["inlet_url"] + "?x-adobe-flow-id=" + fx["flow_id"]
        assert res["flows"][0]["webhook_url"] == res["webhook_url"]
    assert run[2]["count"] == 0 and "webhook_url" not in run[2]
    assert run[3]["count"] == 0 and not run[3].failed
    assert run[4]["count"] == 1
    assert emulator.writes() == []


def test_webhook_end_to_end_and_run_counts(emulator):
    fx = setup_flow(emulator)
    # no run yet: wait_for_run times out with a clear message
    run = run_playbook(emulator, [{"aep.platform.flow_run_info": {
        "flow_id": fx["flow_id"], "wait_for_run": True, "wait_timeout": 2, "wait_sleep": 1}}])
    assert run[0].failed and "wait_timeout" in run[0]["msg"] and "0 run" in run[0]["msg"], run[0]

    # Chatlio posts the raw event to the webhook URL (no auth headers, flow id in the query)
    resp = requests.post(fx["webhook_url"], json=CHATLIO_SAMPLE, timeout=10)
    assert resp.status_code == 200, resp.text
    records = emulator.records(fx["dataset_id"], "prod")
    assert len(records) == 1, records
    assert "2d3f4260-2235-903b-0a82-a23d326cc257" in str(records[0])
    assert "Hi" in str(records[0])
    emulator.clear_log()

    run = run_playbook(emulator, [
        {"aep.platform.flow_run_info": {"flow_name": NAME, "wait_for_run": True, "wait_timeout": 30,
                                        "wait_sleep": 1}},
        {"aep.platform.flow_run_info": {"flow_id": fx["flow_id"]}},
    ], check=True)
    for res in run:
        assert not res.failed and not res.changed, res
        assert res["flow_id"] == fx["flow_id"] and res["count"] >= 1
        assert res["input_records"] == 1 and res["output_records"] == 1 and res["failed_records"] == 0
        assert res["runs"][0]["flowId"] == fx["flow_id"]
    assert emulator.writes() == []


def test_flow_run_info_bad_inputs(emulator):
    fx = setup_flow(emulator)
    run = run_playbook(emulator, [
        {"aep.platform.flow_run_info": {"flow_name": "missing"}, "ignore_errors": True},
        {"aep.platform.flow_run_info": {"flow_id": "bad"}, "ignore_errors": True},
        {"aep.platform.flow_run_info": {"flow_id": fx["flow_id"], "flow_name": NAME}, "ignore_errors": True},
        {"aep.platform.flow_run_info": {}, "ignore_errors": True},
        {"aep.platform.flow_run_info": {"flow_id": "11111111-2222-3333-4444-555555555555"}, "ignore_errors": True},
    ])
    assert run[0].failed and "flow_name" in run[0]["msg"] and "missing" in run[0]["msg"]
    assert run[1].failed and "flow_id" in run[1]["msg"] and "not a valid id" in run[1]["msg"]
    assert run[2].failed and "mutually exclusive" in run[2]["msg"]
    assert run[3].failed and "flow_id" in run[3]["msg"]
    assert run[4].failed and "no flow" in run[4]["msg"]
    assert emulator.writes() == []


def test_disabled_flow_keeps_urls(emulator):
    fx = setup_flow(emulator)
    run = run_playbook(emulator, [
        {"aep.platform.flow": {"name": NAME, "enabled": False}},
        {"aep.platform.flow_info": {"name": NAME}},
    ])
    assert run[0].changed and run[0]["webhook_url"] == fx["webhook_url"]
    assert run[1]["flow"]["state"] == "disabled" and run[1]["webhook_url"] == fx["webhook_url"]
