"""Schema evolution through the role (issue 8): after data landed, breaking changes of the field group or the
schema fail before any write, in check mode too, naming the field, the kind of change and the way forward; the same
changes before any data are accepted; adding an optional field is always accepted."""
import json

import pytest

from harness import artifact_entries
from onboard_helpers import post_event, run_playbook, write_static_inventory
from test_check_mode_chain import (CHATLIO_FIELDS, CHATLIO_MAPPINGS, SANDBOX, check_then_real, changed_objects,
                                   failed_task, overrides)

SAMPLE = {"visitor": {"email": "test@example.com", "UUID": "2d3f4260"}, "message": "Hi", "channelId": "C04J7M7LCMQ"}


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))


def onboard_with_data(emulator, inventory, tmp_path):
    artifacts = tmp_path / "artifacts" / "inlet_urls.json"
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts)
    assert run.rc == 0, run
    entry = artifact_entries(artifacts)[SANDBOX]
    post_event(entry["webhook_url"], SAMPLE)
    assert len(emulator.records(entry["dataset_id"], SANDBOX)) == 1
    return entry


def retyped(kind):
    return [dict(f, type=kind) if f["name"] == "message" else f for f in CHATLIO_FIELDS]


def test_retype_after_data_fails_before_any_write_in_check_and_real(emulator, inventory, tmp_path):
    onboard_with_data(emulator, inventory, tmp_path)
    emulator.clear_log()
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(fields=retyped("integer")))
    assert real.rc != 0
    task, msg = failed_task(real)
    assert task == "Ensure the field group"
    assert "'_emulated.message' cannot change its type from string to integer (retyped)" in msg, msg
    assert "data has been ingested into dataset" in msg and "message_v2" in msg and "v2" in msg
    assert emulator.writes() == []


def test_remove_rename_and_make_required_after_data_fail(emulator, inventory, tmp_path):
    onboard_with_data(emulator, inventory, tmp_path)
    emulator.clear_log()
    removed = [f for f in CHATLIO_FIELDS if f["name"] != "channel_ID"]
    mappings = [m for m in CHATLIO_MAPPINGS if m["source"] != "channelId"]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(removed, mappings))
    assert "'_emulated.channel_ID' cannot be removed (removed)" in failed_task(real)[1]
    renamed = [dict(f, name="channel_id") if f["name"] == "channel_ID" else f for f in CHATLIO_FIELDS]
    mappings = [dict(m, destination="{tenant}.channel_id") if m["source"] == "channelId" else m
                for m in CHATLIO_MAPPINGS]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(renamed, mappings))
    assert "'_emulated.channel_ID' cannot be renamed (to '_emulated.channel_id') (renamed)" in failed_task(real)[1]
    required = [dict(f, required=True) if f["name"] == "message" else f for f in CHATLIO_FIELDS]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(required))
    assert "optional field '_emulated.message' cannot be made required (required)" in failed_task(real)[1]
    assert emulator.writes() == []


def test_adding_an_optional_field_after_data_is_accepted(emulator, inventory, tmp_path):
    onboard_with_data(emulator, inventory, tmp_path)
    fields = CHATLIO_FIELDS + [{"name": "message_v2", "type": "integer"}]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(fields))
    assert real.rc == 0 and changed_objects(real) == {"Ensure the field group"}


def test_the_same_changes_before_any_data_are_accepted(emulator, inventory, tmp_path):
    assert run_playbook("onboard_chatlio.yml", inventory, "-e",
                        "aep_artifacts_file=%s" % (tmp_path / "a.json")).rc == 0
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(fields=retyped("integer")))
    assert real.rc == 0 and "Ensure the field group" in changed_objects(real)
    removed = [f for f in CHATLIO_FIELDS if f["name"] != "channel_ID"]
    mappings = [m for m in CHATLIO_MAPPINGS if m["source"] != "channelId"]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(removed, mappings))
    assert real.rc == 0 and "Ensure the field group" in changed_objects(real)


def test_the_v2_object_set_switches_the_dataflow(emulator, inventory, tmp_path):
    """The documented way forward for a breaking change: new names for every object but the dataflow."""
    first = onboard_with_data(emulator, inventory, tmp_path)
    names = {"field_group": "Ansible Chatlio Fields v2", "schema": "Ansible Chatlio Events v2",
             "dataset": "Ansible Chatlio Dataset v2", "target_connection": "Ansible Chatlio Target Connection v2",
             "mapping_set": "Ansible Chatlio Mapping v2"}
    args = overrides(fields=retyped("integer")) + ["-e", json.dumps({"streaming_source_names": names})]
    check, real = check_then_real(emulator, inventory, tmp_path, *args)
    assert real.rc == 0, real
    assert changed_objects(real) == {"Ensure the field group", "Ensure the schema", "Ensure the dataset",
                                     "Ensure the target connection", "Ensure the mapping set", "Ensure the dataflow"}
    second = artifact_entries(tmp_path / "artifacts" / "inlet_urls.json")[SANDBOX]
    assert second["flow_id"] == first["flow_id"] and second["dataset_id"] != first["dataset_id"]
    post_event(second["webhook_url"], dict(SAMPLE, message="42"))
    records = emulator.records(second["dataset_id"], SANDBOX)
    assert [r["_emulated"]["message"] for r in records] == [42]


def test_a_record_that_fails_at_the_inlet_shows_in_flow_run_info_with_its_error(emulator, inventory, tmp_path):
    """message retyped to integer before any data (accepted); a chat message "Hi" then fails conversion: the inlet
    answers 200, and flow_run_info reports the failed record and its error."""
    from harness import run_playbook as run_tasks
    artifacts = tmp_path / "artifacts" / "inlet_urls.json"
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts,
                       *overrides(fields=retyped("integer")))
    assert run.rc == 0, run
    entry = artifact_entries(artifacts)[SANDBOX]
    post_event(entry["webhook_url"], SAMPLE)
    assert emulator.records(entry["dataset_id"], SANDBOX) == []
    runs = run_tasks(emulator, [{"aep.platform.flow_run_info": {"flow_id": entry["flow_id"], "wait_for_run": True,
                                                                "wait_timeout": 30, "wait_sleep": 1}}])
    result = runs[0]
    assert result["failed_records"] == 1 and result["output_records"] == 0, result
    messages = [e["message"] for e in result["errors"]]
    assert any("_emulated.message" in m for m in messages), result["errors"]


def test_enum_narrowed_and_field_group_dropped_after_data_fail_widening_passes(emulator, inventory, tmp_path):
    from harness import run_playbook as run_tasks
    with_enum = [dict(f, enum=["C04J7M7LCMQ", "C0OTHER"]) if f["name"] == "channel_ID" else f for f in CHATLIO_FIELDS]
    artifacts = tmp_path / "artifacts" / "inlet_urls.json"
    assert run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts,
                        *overrides(fields=with_enum)).rc == 0
    entry = artifact_entries(artifacts)[SANDBOX]
    post_event(entry["webhook_url"], SAMPLE)
    assert len(emulator.records(entry["dataset_id"], SANDBOX)) == 1
    narrowed = [dict(f, enum=["C04J7M7LCMQ"]) if f["name"] == "channel_ID" else f for f in CHATLIO_FIELDS]
    emulator.clear_log()
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(fields=narrowed))
    assert "the allowed values of field '_emulated.channel_ID' cannot be narrowed (values no longer allowed: C0OTHER)" \
        in failed_task(real)[1]
    assert emulator.writes() == []
    widened = [dict(f, enum=["C04J7M7LCMQ", "C0OTHER", "C0THIRD"]) if f["name"] == "channel_ID" else f
               for f in CHATLIO_FIELDS]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(fields=widened))
    assert real.rc == 0 and changed_objects(real) == {"Ensure the field group"}
    # the schema task: dropping the field group of a schema with data fails before any write, check mode too
    emulator.clear_log()
    task = {"aep.platform.schema": {"title": "Ansible Chatlio Events", "field_groups": []}}
    for check_mode in (True, False):
        result = run_tasks(emulator, [task], check=check_mode)[0]
        assert result.failed and "cannot be removed from the schema" in result["msg"], result
        assert "data has been ingested" in result["msg"] and "v2" in result["msg"]
    assert emulator.writes() == []
