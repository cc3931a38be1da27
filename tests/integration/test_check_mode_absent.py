"""Check-mode ``state: absent`` passes if and only if the real run passes, and writes nothing.

* Offboarding: check mode deletes nothing, so the dataflow an earlier task only predicted deleted would still seem
  to use its connections; the role passes those ids (``predicted_absent_ids``) and the preview passes like the real run.
* A standalone check-mode ``absent`` of an object in use still fails like the real run (the option is check mode only).
* A dataset a target connection writes to is in use: neither ``state: absent`` nor ``on_duplicates: keep_oldest``
  deletes it, in check mode or for real (same warning, not changed).
"""
from harness import make_flow_connections, make_schema_dataset_mapping
from harness import run_playbook as run_tasks
from onboard_helpers import run_playbook, write_static_inventory
from test_check_mode_chain import SANDBOX, onboard

REMOVALS = {"Remove the dataflow", "Remove the target connection", "Remove the source connection",
            "Remove the dataset", "Remove the schema", "Remove the field group"}


def offboard(inventory, tmp_path, *args):
    return run_playbook("offboard_chatlio.yml", inventory, "-e",
                        "aep_artifacts_file=%s" % (tmp_path / "artifacts" / "inlet_urls.json"), *args)


def items(emulator, kind):
    resp = emulator.api("GET", "/data/foundation/flowservice/" + kind, sandbox=SANDBOX)
    return resp.json()["items"]


def test_offboarding_preview_passes_writes_nothing_then_real_offboard(emulator, tmp_path):
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))
    assert onboard(inventory, tmp_path).rc == 0
    target = items(emulator, "targetConnections")[0]
    source = items(emulator, "sourceConnections")[0]
    emulator.clear_log()
    check = offboard(inventory, tmp_path, "--check", "--diff")
    assert check.rc == 0, check
    assert emulator.writes() == [], emulator.writes()
    assert REMOVALS <= set(check.changed_tasks(SANDBOX)), check.changed_tasks(SANDBOX)
    before = dict((name, diff[0] if isinstance(diff, list) else diff) for name, diff in check.diffs(SANDBOX))
    assert before["Remove the target connection"]["before"]["name"] == target["name"]
    assert before["Remove the source connection"]["before"]["name"] == source["name"]
    assert check.host_results("Remove the target connection")[SANDBOX]["id"] == target["id"]
    real = offboard(inventory, tmp_path, "--diff")
    assert real.rc == 0, real
    removed = [name for name in real.changed_tasks(SANDBOX) if name.startswith("Remove")]
    assert removed == [name for name in check.changed_tasks(SANDBOX) if name.startswith("Remove")]
    assert items(emulator, "flows") == [] and items(emulator, "targetConnections") == []


def test_standalone_check_mode_absent_of_an_in_use_connection_still_fails(emulator):
    fx = make_schema_dataset_mapping(emulator)
    conns = make_flow_connections(emulator, fx)
    flow = run_tasks(emulator, [{"aep.platform.flow": {
        "name": "Chatlio Test flow", "source_connection_ids": [conns["source_id"]],
        "target_connection_ids": [conns["target_id"]], "mapping_id": fx["mapping_id"]}}])[0]
    assert flow.changed and not flow.failed, flow
    emulator.clear_log()
    absent = {"name": "Chatlio Test target", "state": "absent"}
    for check in (True, False):
        result = run_tasks(emulator, [{"aep.platform.target_connection": absent}], check=check)[0]
        assert result.failed and "is still used by 1 dataflow(s)" in result["msg"], result
        assert flow["id"] in result["msg"]
    # the option is check mode only: a real run checks what AEP holds
    ignored = run_tasks(emulator, [{"aep.platform.target_connection": dict(absent, predicted_absent_ids=[flow["id"]])}])[0]
    assert ignored.failed and "is still used by 1 dataflow(s)" in ignored["msg"], ignored
    predicted = run_tasks(emulator, [{"aep.platform.target_connection": dict(absent, predicted_absent_ids=[flow["id"]])}],
                          check=True)[0]
    assert predicted.changed and not predicted.failed and predicted["id"] == conns["target_id"], predicted
    assert emulator.writes() == [], emulator.writes()


def test_dataset_used_by_a_target_connection_is_not_deleted(emulator):
    fx = make_schema_dataset_mapping(emulator)
    conns = make_flow_connections(emulator, fx)
    emulator.clear_log()
    for check in (True, False):
        result = run_tasks(emulator, [{"aep.platform.dataset": {"id": fx["dataset_id"], "state": "absent"}}],
                           check=check)[0]
        assert result.failed, result
        assert "is still used by 1 target connection(s)" in result["msg"] and conns["target_id"] in result["msg"]
    assert emulator.writes() == [], emulator.writes()


def test_keep_oldest_leaves_a_newer_duplicate_in_use_in_check_mode_too(emulator):
    fx = make_schema_dataset_mapping(emulator)
    newer = emulator.api("POST", "/data/foundation/catalog/dataSets", sandbox=SANDBOX, json={
        "name": "Chatlio Test dataset",
        "schemaRef": {"id": fx["schema_id"], "contentType": "application/vnd.adobe.xed+json;version=1"}})
    assert newer.status_code == 201, newer.text
    newer_id = newer.json()[0].rsplit("/", 1)[-1]
    conns = make_flow_connections(emulator, dict(fx, dataset_id=newer_id))
    emulator.clear_log()
    task = {"aep.platform.dataset": {"name": "Chatlio Test dataset", "schema_id": fx["schema_id"],
                                     "on_duplicates": "keep_oldest"}}
    for check in (True, False):
        result = run_tasks(emulator, [task], check=check)[0]
        assert not result.failed and not result.changed, result
        assert result["id"] == fx["dataset_id"]
        warnings = " ".join(result.get("warnings") or [])
        assert "could not be deleted" in warnings and newer_id in warnings and conns["target_id"] in warnings, result
    assert emulator.writes() == [], emulator.writes()
