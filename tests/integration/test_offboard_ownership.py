"""Offboarding deletes only what the role made (breaker4 findings 1, 3 and 7).

An object that only shares a name with the role's (someone else's dataset on another schema, a target connection
writing to another dataset, a schema without the role's field group, the dataflow after the documented "v2 object
set" switched it to other objects) is never deleted: the first delete task (with ``remove_with``) fails naming it,
why it is not the role's and the fix, before any delete, in check mode and for real. The objects a rename left
behind are retired with ``streaming_source_remove_kinds`` (docs/onboarding.md section 8), which keeps the live
dataflow and the source connection."""
import json
from urllib.parse import quote

import pytest

from harness import CHATLIO_SPEC, DATA_LAKE_SPEC, STREAMING_PROVIDER, make_schema_dataset_mapping
from harness import run_playbook as run_tasks
from onboard_helpers import write_static_inventory
from test_check_mode_chain import SANDBOX, failed_task, onboard
from test_offboard_profile import offboard

REGISTRY = "/data/foundation/schemaregistry/tenant"
CATALOG = "/data/foundation/catalog/dataSets"
FLOWS = "/data/foundation/flowservice"
EXPERIENCE_EVENT = "https://ns.adobe.com/xdm/context/experienceevent"
FIRST_DELETE = "Remove the dataflow"
DATASET, SCHEMA, TARGET = "Ansible Chatlio Dataset", "Ansible Chatlio Events", "Ansible Chatlio Target Connection"
SOURCE = "Ansible Chatlio Source Connection"
HTTP_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"  # the HTTP API's connection spec (authSpec: a base connection)
V2 = {"field_group": "Ansible Chatlio Fields v2", "schema": "Ansible Chatlio Events v2",
      "dataset": "Ansible Chatlio Dataset v2", "target_connection": "Ansible Chatlio Target Connection v2",
      "mapping_set": "Ansible Chatlio Mapping v2"}
RENAMED_KINDS = ["target_connection", "mapping_set", "dataset", "schema", "field_group"]


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))


def created(resp):
    assert resp.status_code in (200, 201), resp.text
    return resp.json()


def other_schema(emulator, title="Someone else's schema"):
    return created(emulator.api("POST", REGISTRY + "/schemas", sandbox=SANDBOX, headers={"Accept": "application/json"},
                                json={"title": title, "description": "not the role's", "type": "object",
                                      "allOf": [{"$ref": EXPERIENCE_EVENT}]}))["$id"]


def foreign_dataset(emulator):
    """A dataset named like the role's, on another schema (finding 1's input)."""
    schema_id = other_schema(emulator)
    dataset = created(emulator.api("POST", CATALOG, sandbox=SANDBOX, json={
        "name": DATASET, "schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed+json;version=1"}}))
    return "dataset", dataset[0].rsplit("/", 1)[-1], "dataset %r" % DATASET, "is of schema %s" % schema_id


def foreign_target_connection(emulator):
    """A target connection named like the role's, writing to someone else's dataset."""
    fx = make_schema_dataset_mapping(emulator, sandbox=SANDBOX, title="Someone else")
    target = created(emulator.api("POST", FLOWS + "/targetConnections", sandbox=SANDBOX, json={
        "name": TARGET, "connectionSpec": {"id": DATA_LAKE_SPEC, "version": "1.0"},
        "data": {"format": "json", "schema": {"id": fx["schema_id"],
                                              "version": "application/vnd.adobe.xed-full+json;version=1"}},
        "params": {"dataSetId": fx["dataset_id"]}}))
    return "target_connection", target["id"], "target connection %r" % TARGET, "writes to dataset %s" % fx["dataset_id"]


def foreign_schema(emulator):
    """A schema titled like the role's, without the role's field group."""
    schema_id = other_schema(emulator, title=SCHEMA)
    return "schema", schema_id, "schema %r" % SCHEMA, "does not have the field group 'Ansible Chatlio Fields'"


def foreign_source_connection(emulator):
    """A source connection named like the role's, of another connection spec (the HTTP API, with its base
    connection), made through the modules."""
    base = {"name": "Someone else's base", "connection_spec_id": HTTP_SPEC,
            "auth": {"spec_name": "Streaming Connection", "params": {"dataType": "xdm"}}}
    source = {"name": SOURCE, "connection_spec_id": HTTP_SPEC, "provider_id": STREAMING_PROVIDER,
              "base_connection_id": "{{ bc.id }}"}
    made = run_tasks(emulator, [{"aep.platform.base_connection": base, "register": "bc"},
                                {"aep.platform.source_connection": source}], sandbox=SANDBOX)
    assert not made[1].failed, made[1]
    return ("source_connection", made[1]["id"], "source connection %r" % SOURCE,
            "is of connection spec %s, not %s" % (HTTP_SPEC, CHATLIO_SPEC))


def exists(emulator, kind, object_id):
    path = {"dataset": CATALOG + "/" + object_id, "schema": REGISTRY + "/schemas/" + quote(object_id, safe=""),
            "field_group": REGISTRY + "/fieldgroups/" + quote(object_id, safe=""),
            "target_connection": FLOWS + "/targetConnections/" + object_id,
            "source_connection": FLOWS + "/sourceConnections/" + object_id, "flow": FLOWS + "/flows/" + object_id}[kind]
    headers = {"Accept": "application/vnd.adobe.xed+json; version=1"} if kind in ("schema", "field_group") else None
    resp = emulator.api("GET", path, sandbox=SANDBOX, headers=headers)
    assert resp.status_code in (200, 404), resp.text
    return resp.status_code == 200


def assert_refused(emulator, inventory, tmp_path, *extra, task=FIRST_DELETE):
    """Offboarding, check mode then real: both fail at ``task`` with no write at all; the message of the real run."""
    emulator.clear_log()
    msgs = []
    for args in (("--check", "--diff"), ()):
        run = offboard(inventory, tmp_path, *(extra + args))
        assert run.rc != 0, run
        failed, msg = failed_task(run)
        assert failed == task, (args, failed, msg)
        msgs.append(msg)
    assert emulator.writes() == [], emulator.writes()
    assert msgs[0] == msgs[1], msgs  # the preview says what the real run says
    return msgs[1]


@pytest.mark.parametrize("make", [foreign_dataset, foreign_target_connection, foreign_schema, foreign_source_connection],
                         ids=["dataset-of-another-schema", "target-connection-of-another-dataset",
                              "schema-without-the-field-group", "source-connection-of-another-spec"])
def test_an_object_that_only_shares_the_role_s_name_survives_offboarding(emulator, inventory, tmp_path, make):
    kind, object_id, label, why = make(emulator)
    msg = assert_refused(emulator, inventory, tmp_path)
    assert msg.startswith("remove_with: removing flow 'Ansible Chatlio Streaming Dataflow'"), msg
    assert "only share a name with this removal" in msg and "Nothing was removed" in msg, msg
    assert ("%s (%s) %s" % (label, object_id, why)) in msg, msg
    assert "streaming_source_names" in msg and "remove those objects by hand" in msg, msg
    assert exists(emulator, kind, object_id)


def test_a_foreign_dataset_onboarding_refuses_then_offboarding_keeps(emulator, inventory, tmp_path):
    """Finding 1 end to end, and finding 7's message: onboarding refuses the dataset without advising to delete it;
    offboarding then keeps it (and, as it stops before any delete, the field group and schema onboarding made)."""
    dummy, dataset_id, label, why = foreign_dataset(emulator)
    for args in (("--check",), ()):
        run = onboard(inventory, tmp_path, *args)
        assert run.rc != 0, run
        task, msg = failed_task(run)
        assert task == "Ensure the dataset", (task, msg)
        assert "AEP cannot change the schema_id of an existing dataset" in msg, msg
        assert "It may not be yours" in msg and "streaming_source_names.dataset" in msg and "option name" in msg, msg
        assert "state: absent" not in msg and "Delete" not in msg, msg
    msg = assert_refused(emulator, inventory, tmp_path)
    assert "%s (%s) %s" % (label, dataset_id, why) in msg, msg
    assert exists(emulator, "dataset", dataset_id)
    # the documented fix: offboard the role's own objects under a name that is not taken
    names = ["-e", json.dumps({"streaming_source_names": {"dataset": "Ansible Chatlio Dataset (mine)"}})]
    emulator.clear_log()
    run = offboard(inventory, tmp_path, *names)
    assert run.rc == 0, run
    deletes = [w["path"] for w in emulator.writes() if w["method"] == "DELETE"]
    assert len(deletes) == 2 and any("/fieldgroups/" in p for p in deletes) and any("/schemas/" in p for p in deletes)
    assert exists(emulator, "dataset", dataset_id)


def object_ids(run):
    return dict((kind, run.host_results(task)[SANDBOX]["id"]) for kind, task in (
        ("field_group", "Ensure the field group"), ("schema", "Ensure the schema"), ("dataset", "Ensure the dataset"),
        ("source_connection", "Ensure the source connection"), ("target_connection", "Ensure the target connection"),
        ("flow", "Ensure the dataflow")))


def test_retiring_the_v1_objects_after_the_v2_object_set(emulator, inventory, tmp_path):
    """Finding 3: after the documented rename, offboarding with the old names refuses to delete the dataflow (now
    the v2 one); streaming_source_remove_kinds with the renamed kinds removes exactly the v1 objects, and the v2
    dataflow and the shared source connection keep running. Offboarding with the v2 names then removes the rest."""
    v1 = onboard(inventory, tmp_path)
    assert v1.rc == 0, v1
    v2 = onboard(inventory, tmp_path, "-e", json.dumps({"streaming_source_names": V2}))
    assert v2.rc == 0, v2
    old, new = object_ids(v1), object_ids(v2)
    assert new["flow"] == old["flow"] and new["source_connection"] == old["source_connection"]

    msg = assert_refused(emulator, inventory, tmp_path)
    switched = ("flow 'Ansible Chatlio Streaming Dataflow' (%s) writes to target connection %s, not the target "
                "connection %r" % (old["flow"], new["target_connection"], TARGET))
    assert switched in msg, msg
    assert "maps with mapping set" in msg and "streaming_source_remove_kinds" in msg, msg

    retire = ("-e", json.dumps({"streaming_source_remove_kinds": RENAMED_KINDS}))
    emulator.clear_log()
    check = offboard(inventory, tmp_path, "--check", *retire)
    assert check.rc == 0, check
    assert emulator.writes() == []
    real = offboard(inventory, tmp_path, *retire)
    assert real.rc == 0, real
    assert set(check.changed_tasks(SANDBOX)) == set(real.changed_tasks(SANDBOX)), (check.changed_tasks(SANDBOX),)
    deletes = sorted(w["path"] for w in emulator.writes())
    assert all(w["method"] == "DELETE" for w in emulator.writes()), emulator.writes()
    assert len(deletes) == 4, deletes
    for kind in ("target_connection", "dataset", "schema", "field_group"):
        assert not exists(emulator, kind, old[kind]), kind
    for kind in new:
        assert exists(emulator, kind, new[kind]), kind
    flow = created(emulator.api("GET", FLOWS + "/flows/" + new["flow"], sandbox=SANDBOX))["items"][0]
    assert flow["targetConnectionIds"] == [new["target_connection"]] and flow["state"] == "enabled", flow
    emulator.clear_log()
    again = offboard(inventory, tmp_path, *retire)
    assert again.rc == 0 and emulator.writes() == [] and not again.changed_tasks(SANDBOX), again

    emulator.clear_log()
    rest = offboard(inventory, tmp_path, "-e", json.dumps({"streaming_source_names": V2}))
    assert rest.rc == 0, rest
    for kind in new:
        assert not exists(emulator, kind, new[kind]), kind


def test_remove_kinds_that_select_nothing(emulator, inventory, tmp_path):
    """base_connection alone, on a preset that makes none: the run stops before any request to a sandbox."""
    emulator.clear_log()
    run = offboard(inventory, tmp_path, "-e", json.dumps({"streaming_source_remove_kinds": ["base_connection"]}))
    assert run.rc != 0, run
    task, msg = failed_task(run)
    assert task.startswith("Stop when streaming_source_remove_kinds selects nothing"), (task, msg)
    assert "list at least one of: flow, mapping_set" in msg and "base_connection" not in msg.split("one of:")[1], msg
    assert emulator.writes() == []
