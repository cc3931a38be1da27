"""Offboarding never half-removes a sandbox (issue 8, gap 1): when an object OUTSIDE the onboarding uses one of the
objects offboarding would delete (another dataset of the onboarded schema, another schema with the onboarded field
group, another dataflow of an onboarded connection), the first delete task (the dataflow's, with ``remove_with``)
fails naming that user and the fix, in check mode and for real, and nothing is written. Once the outside user is
gone, the same offboarding removes everything."""
import pytest

from harness import make_flow_connections, make_schema_dataset_mapping
from harness import run_playbook as run_tasks
from onboard_helpers import write_static_inventory
from test_check_mode_chain import SANDBOX, failed_task, onboard
from test_offboard_profile import offboard

REGISTRY = "/data/foundation/schemaregistry/tenant"
EXPERIENCE_EVENT = "https://ns.adobe.com/xdm/context/experienceevent"
FIRST_DELETE = "Remove the dataflow"


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))


def registry_item(emulator, kind, title):
    items = emulator.api("GET", "%s/%s" % (REGISTRY, kind), sandbox=SANDBOX,
                         headers={"Accept": "application/vnd.adobe.xed-id+json"}).json()["results"]
    return next(i for i in items if i["title"] == title)


def onboarded_names(run):
    """The onboarding's schema and field group, from the role's results."""
    schema = run.host_results("Ensure the schema")[SANDBOX]
    group = run.host_results("Ensure the field group")[SANDBOX]
    return schema["id"], group["id"]


def other_dataset(emulator, schema_id):
    resp = emulator.api("POST", "/data/foundation/catalog/dataSets", sandbox=SANDBOX, json={
        "name": "Someone else's dataset",
        "schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed+json;version=1"}})
    assert resp.status_code == 201, resp.text
    return resp.json()[0].rsplit("/", 1)[-1], "Someone else's dataset"


def other_schema(emulator, group_id):
    resp = emulator.api("POST", REGISTRY + "/schemas", sandbox=SANDBOX, headers={"Accept": "application/json"}, json={
        "title": "Someone else's schema", "description": "", "type": "object",
        "allOf": [{"$ref": EXPERIENCE_EVENT}, {"$ref": group_id}]})
    assert resp.status_code == 201, resp.text
    return resp.json()["$id"], "Someone else's schema"


@pytest.mark.parametrize("make_user, used, fix", [
    (lambda emulator, schema_id, group_id: other_dataset(emulator, schema_id), "schema", "those datasets"),
    (lambda emulator, schema_id, group_id: other_schema(emulator, group_id), "field group", "those schemas"),
], ids=["dataset-of-the-schema", "schema-with-the-field-group"])
def test_an_outside_user_stops_offboarding_before_any_delete(emulator, inventory, tmp_path, make_user, used, fix):
    onboarded = onboard(inventory, tmp_path)
    assert onboarded.rc == 0, onboarded
    schema_id, group_id = onboarded_names(onboarded)
    user_id, user_name = make_user(emulator, schema_id, group_id)
    emulator.clear_log()
    for args in (("--check", "--diff"), ()):
        run = offboard(inventory, tmp_path, *args)
        assert run.rc != 0, run
        task, msg = failed_task(run)
        assert task == FIRST_DELETE, (args, task, msg)
        assert ("%s '" % used) in msg and (schema_id if used == "schema" else group_id) in msg, msg  # the object in the way
        assert user_id in msg and user_name in msg, msg
        assert "used by 1" in msg and "outside this removal" in msg and "Nothing was removed" in msg, msg
        assert fix in msg and "remove only the dataflow" in msg, msg
    assert emulator.writes() == [], emulator.writes()
    flows = emulator.api("GET", "/data/foundation/flowservice/flows", sandbox=SANDBOX).json()["items"]
    assert len(flows) == 1  # the dataflow still runs: nothing was removed

    # the outside user removed: the same offboarding passes, in check mode and for real
    if used == "schema":
        assert emulator.api("DELETE", "/data/foundation/catalog/dataSets/" + user_id, sandbox=SANDBOX).ok
    else:
        from urllib.parse import quote
        assert emulator.api("DELETE", "%s/schemas/%s" % (REGISTRY, quote(user_id, safe="")), sandbox=SANDBOX).ok
    emulator.clear_log()
    check = offboard(inventory, tmp_path, "--check")
    assert check.rc == 0, check
    assert emulator.writes() == []
    real = offboard(inventory, tmp_path)
    assert real.rc == 0, real
    deletes = [w["path"] for w in emulator.writes() if w["method"] == "DELETE"]
    assert any("/fieldgroups/" in p for p in deletes) and any("/schemas/" in p for p in deletes), deletes


def test_remove_with_names_another_dataflow_of_a_connection(emulator):
    """The module option alone: the dataflow's removal with its connections, while a second dataflow uses the target
    connection, fails before any delete, in both modes; without that dataflow, it passes."""
    fx = make_schema_dataset_mapping(emulator)
    conns = make_flow_connections(emulator, fx)
    flow = {"source_connection_ids": [conns["source_id"]], "target_connection_ids": [conns["target_id"]],
            "mapping_id": fx["mapping_id"]}
    ours = run_tasks(emulator, [{"aep.platform.flow": dict(flow, name="Chatlio Test flow")}])[0]
    other = run_tasks(emulator, [{"aep.platform.flow": dict(flow, name="Someone else's flow")}])[0]
    assert not ours.failed and not other.failed, (ours, other)
    emulator.clear_log()
    task = {"aep.platform.flow": {"name": "Chatlio Test flow", "state": "absent", "remove_with": [
        {"kind": "target_connection", "name": "Chatlio Test target"},
        {"kind": "source_connection", "id": conns["source_id"]},
        {"kind": "dataset", "name": "Chatlio Test dataset"}]}}
    for check in (True, False):
        result = run_tasks(emulator, [task], check=check)[0]
        assert result.failed, result
        msg = result["msg"]
        assert msg.startswith("remove_with: removing flow 'Chatlio Test flow' together with 3 other object(s)"), msg
        assert "target connection 'Chatlio Test target' (%s) is used by 1 dataflow(s)" % conns["target_id"] in msg, msg
        assert "source connection 'Chatlio Test source' (%s) is used by 1 dataflow(s)" % conns["source_id"] in msg, msg
        assert other["id"] in msg and "Someone else's flow" in msg and ours["id"] not in msg, msg
    assert emulator.writes() == [], emulator.writes()
    gone = run_tasks(emulator, [{"aep.platform.flow": {"name": "Someone else's flow", "state": "absent"}}])[0]
    assert gone.changed, gone
    for check in (True, False):
        result = run_tasks(emulator, [task], check=check)[0]
        assert result.changed and not result.failed and result["id"] == ours["id"], result


def test_remove_with_entry_needs_a_name_or_an_id(emulator):
    task = {"aep.platform.flow": {"name": "Chatlio Test flow", "state": "absent",
                                  "remove_with": [{"kind": "dataset"}]}}
    emulator.clear_log()
    result = run_tasks(emulator, [task], check=True)[0]
    assert result.failed and "remove_with[0]: give the name" in result["msg"], result
    assert emulator.writes() == []
