"""Arrays and maps (issue 8) through the role: the chatlio_transcript preset declares an array of objects, an array
of strings and a map; its sample event (a list of messages) lands mapped item by item; a rerun changes nothing."""
import json

import pytest
import yaml

from harness import REPO, artifact_entries
from onboard_helpers import post_event, run_playbook, write_static_inventory
from test_check_mode_chain import OBJECT_TASKS, SANDBOX, changed_objects

PRESET = REPO / "roles" / "streaming_source" / "vars" / "presets" / "chatlio_transcript.yml"


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))


def onboard(inventory, artifacts, *args):
    return run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts,
                        "-e", "streaming_source_preset=chatlio_transcript", *args)


def test_transcript_with_a_list_lands_mapped_and_rerun_is_unchanged(emulator, inventory, tmp_path):
    artifacts = tmp_path / "artifacts.json"
    emulator.clear_log()
    check = onboard(inventory, artifacts, "--check", "--diff")
    assert check.rc == 0, check
    assert emulator.writes() == []
    run = onboard(inventory, artifacts)
    assert run.rc == 0, run
    assert changed_objects(run) == changed_objects(check) == set(OBJECT_TASKS)
    entry = artifact_entries(artifacts)[SANDBOX]
    sample = yaml.safe_load(PRESET.read_text())["streaming_source_preset_data"]["sample_event"]
    post_event(entry["webhook_url"], sample)
    records = emulator.records(entry["dataset_id"], SANDBOX)
    assert len(records) == 1, records
    tenant = records[0]["_emulated"]
    assert [m["text"] for m in tenant["messages"]] == ["Hi, my invoice is wrong", "Let me check that for you"]
    assert [m["sender"] for m in tenant["messages"]] == ["visitor", "agent"]
    assert tenant["messages"][0]["sent_at"].startswith("2026-11-29T10:00:00")
    assert tenant["tags"] == ["billing", "urgent"]
    assert tenant["visitor_attributes"] == {"plan": "pro", "locale": "en-US"}
    # the preset's expected record says the same (date-times compared to the second)
    preset = yaml.safe_load((REPO / "roles/streaming_source/vars/presets/chatlio_transcript.yml").read_text())
    expected = preset["streaming_source_preset_data"]["expected_record"]["{tenant}"]
    landed = dict(tenant, messages=[dict(m, sent_at=m["sent_at"][:19]) for m in tenant["messages"]])
    want = dict(expected, messages=[dict(m, sent_at=m["sent_at"][:19]) for m in expected["messages"]])
    assert landed == want
    # the schema holds the array and the map as XDM types
    emulator.clear_log()
    rerun = onboard(inventory, artifacts)
    assert rerun.rc == 0, rerun
    assert changed_objects(rerun) == set()
    assert emulator.writes() == []


def test_retyping_the_items_of_an_array_after_data_is_refused(emulator, inventory, tmp_path):
    artifacts = tmp_path / "artifacts.json"
    assert onboard(inventory, artifacts).rc == 0
    entry = artifact_entries(artifacts)[SANDBOX]
    sample = yaml.safe_load(PRESET.read_text())["streaming_source_preset_data"]["sample_event"]
    post_event(entry["webhook_url"], sample)
    fields = yaml.safe_load(PRESET.read_text())["streaming_source_preset_data"]["schema"]["fields"]
    fields = [dict(f, items="integer") if f["name"] == "tags" else f for f in fields]
    emulator.clear_log()
    run = onboard(inventory, artifacts, "-e", json.dumps({"streaming_source_preset_overrides": {"schema": {"fields": fields}}}))
    assert run.rc != 0
    assert "'_emulated.tags' cannot change its type from array of string to array of integer" in run.stdout
    assert emulator.writes() == []
