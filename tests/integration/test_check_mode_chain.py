"""Check mode across the role's chain (issue 8): for every kind of change, ``--check --diff`` first, then the real
run. The check run succeeds exactly when the real run does, writes nothing (the emulator's request log), and its
changed tasks (with a diff whose before and after differ) are the objects the real run changes."""
import json

import pytest

from onboard_helpers import run_playbook, write_static_inventory

SANDBOX = "prod"
TENANT = "_emulated"
MAPPING_SET = "Ansible Chatlio Mapping"
FLOW = "Ansible Chatlio Streaming Dataflow"
OBJECT_TASKS = ("Ensure the field group", "Ensure the schema", "Ensure the dataset", "Ensure the source connection",
                "Ensure the target connection", "Ensure the mapping set", "Ensure the dataflow")
CHATLIO_FIELDS = [
    {"name": "slackchannel_ID", "type": "string", "title": "Slack channel ID"},
    {"name": "slackchannel_name", "type": "string", "title": "Slack channel name"},
    {"name": "UUID", "type": "string", "title": "Chatlio visitor UUID"},
    {"name": "chatlio_email", "type": "string", "title": "Chatlio visitor email"},
    {"name": "message", "type": "string", "title": "Message"},
    {"name": "channel_ID", "type": "string", "title": "Channel ID"},
]
CHATLIO_MAPPINGS = [
    {"source": "slackChannelId", "destination": "{tenant}.slackchannel_ID"},
    {"source": "slackChannelName", "destination": "{tenant}.slackchannel_name"},
    {"source": "visitor.UUID", "destination": "{tenant}.UUID"},
    {"source": "visitor.email", "destination": "{tenant}.chatlio_email"},
    {"source": "message", "destination": "{tenant}.message"},
    {"source": "channelId", "destination": "{tenant}.channel_ID"},
    {"source": "uuid()", "destination": "_id", "source_type": "EXPRESSION"},
    {"source": "now()", "destination": "timestamp", "source_type": "EXPRESSION"},
]


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(SANDBOX,))


INPUT_CHECK = "Stop on invalid inputs (nothing was sent to AEP)"
CHATLIO_SMOKE_EXPECT = ["{tenant}.message", "{tenant}.channel_ID", "{tenant}.slackchannel_name", "{tenant}.slackchannel_ID",
                        "{tenant}.chatlio_email"]


def overrides(fields=None, mappings=None):
    preset = {}
    if fields is not None:
        preset["schema"] = {"fields": fields}
    if mappings is not None:
        preset["mappings"] = mappings
        # the preset's smoke test may only expect mapped fields: a null override removes the others
        mapped = {m["destination"] for m in mappings}
        dropped = {key: None for key in CHATLIO_SMOKE_EXPECT if key not in mapped}
        if dropped:
            preset["smoke"] = {"expect": dropped}
    return ["-e", json.dumps({"streaming_source_preset_overrides": preset})]


def onboard(inventory, tmp_path, *args):
    return run_playbook("onboard_chatlio.yml", inventory, "-e",
                        "aep_artifacts_file=%s" % (tmp_path / "artifacts" / "inlet_urls.json"), *args)


def changed_objects(run):
    """The object tasks that changed on the sandbox."""
    return {name for name in run.changed_tasks(SANDBOX) if name in OBJECT_TASKS}


def diffed_objects(run):
    return {name for name, diff in run.diffs(SANDBOX)
            if name in OBJECT_TASKS and (diff[0] if isinstance(diff, list) else diff).get("before")
            != (diff[0] if isinstance(diff, list) else diff).get("after")}


def failed_task(run):
    for play in run.data["plays"]:
        for task in play["tasks"]:
            result = task["hosts"].get(SANDBOX) or {}
            if result.get("failed"):
                return task["task"]["name"].split(" : ")[-1], result.get("msg")
    return None, None


def check_then_real(emulator, inventory, tmp_path, *args):
    """Run ``--check --diff`` then the real run with the same arguments; assert the contract; return both."""
    emulator.clear_log()
    check = onboard(inventory, tmp_path, "--check", "--diff", *args)
    assert check.data is not None, check
    assert emulator.writes() == [], emulator.writes()
    real = onboard(inventory, tmp_path, "--diff", *args)
    assert real.data is not None, real
    assert (check.rc == 0) == (real.rc == 0), (check, real)
    if real.rc == 0:
        assert changed_objects(check) == changed_objects(real), (changed_objects(check), changed_objects(real))
        assert diffed_objects(check) == changed_objects(real), diffed_objects(check)
    else:  # the same task fails with the same message: the preview tells what the real run will say
        assert failed_task(check) == failed_task(real), (failed_task(check), failed_task(real))
    return check, real


def api_json(emulator, method, path, **kwargs):
    resp = emulator.api(method, path, sandbox=SANDBOX, **kwargs)
    resp.raise_for_status()
    return resp.json() if resp.content else None


def mapping_set(emulator):
    found = api_json(emulator, "GET", "/data/foundation/conversion/mappingSets", params={"name": MAPPING_SET, "limit": 10, "start": 0})
    items = [m for m in found.get("data", found.get("items", [])) if m.get("name") == MAPPING_SET]
    assert len(items) == 1, found
    return items[0]


def flow(emulator):
    found = api_json(emulator, "GET", "/data/foundation/flowservice/flows", params={"property": "name==%s" % FLOW})
    return found["items"][0]


def test_brand_new_sandbox_then_converged(emulator, inventory, tmp_path):
    check, real = check_then_real(emulator, inventory, tmp_path)
    assert changed_objects(real) == set(OBJECT_TASKS)
    check, real = check_then_real(emulator, inventory, tmp_path)
    assert changed_objects(real) == set()


def test_add_a_field_and_map_it(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    fields = CHATLIO_FIELDS + [{"name": "visitor_name", "type": "string", "title": "Visitor name"}]
    mappings = CHATLIO_MAPPINGS + [{"source": "visitor.name", "destination": "{tenant}.visitor_name"}]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(fields, mappings))
    assert changed_objects(real) == {"Ensure the field group", "Ensure the mapping set", "Ensure the dataflow"}


def test_change_a_mapping(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    mappings = [dict(m, source="lower(message)", source_type="EXPRESSION") if m["source"] == "message" else m
                for m in CHATLIO_MAPPINGS]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(mappings=mappings))
    assert changed_objects(real) == {"Ensure the mapping set", "Ensure the dataflow"}
    assert flow(emulator)["transformations"][0]["params"]["mappingVersion"] in (1, "1")


def test_change_a_description(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    check, real = check_then_real(emulator, inventory, tmp_path, "-e", "streaming_source_description=Chat events v2")
    assert "Ensure the field group" in changed_objects(real)


def test_mapping_set_edited_by_hand(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    stored = mapping_set(emulator)
    body = {"name": stored["name"], "outputSchema": stored["outputSchema"],
            "mappings": [{"sourceType": "ATTRIBUTE", "source": "message", "destination": TENANT + ".message"}]}
    api_json(emulator, "PUT", "/data/foundation/conversion/mappingSets/%s" % stored["id"], json=body)
    check, real = check_then_real(emulator, inventory, tmp_path)
    assert changed_objects(real) == {"Ensure the mapping set", "Ensure the dataflow"}


def test_offboard_then_onboard(emulator, inventory, tmp_path):
    """The issue's failing case: the mapping set stays after offboarding (Data Prep has no DELETE), so the check
    run predicts a new version of it for a flow that does not exist yet."""
    assert onboard(inventory, tmp_path).rc == 0
    mappings = [m for m in CHATLIO_MAPPINGS if m["source"] != "channelId"]
    assert onboard(inventory, tmp_path, *overrides(mappings=mappings)).rc == 0
    off = run_playbook("offboard_chatlio.yml", inventory, "-e",
                       "aep_artifacts_file=%s" % (tmp_path / "artifacts" / "inlet_urls.json"))
    assert off.rc == 0, off
    check, real = check_then_real(emulator, inventory, tmp_path)
    assert "mapping_version" not in (failed_task(check)[1] or "")
    assert "Ensure the dataflow" in changed_objects(real) and "Ensure the mapping set" in changed_objects(real)


def test_flow_disabled_by_hand(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    api_json(emulator, "POST", "/data/foundation/flowservice/flows/%s/action" % flow(emulator)["id"],
             params={"op": "disable"})
    check, real = check_then_real(emulator, inventory, tmp_path)
    assert changed_objects(real) == {"Ensure the dataflow"}
    assert flow(emulator)["state"] == "enabled"


def test_mapping_into_the_tenant_object_fails_in_check_and_real_alike(emulator, inventory, tmp_path):
    assert onboard(inventory, tmp_path).rc == 0
    mappings = CHATLIO_MAPPINGS + [{"source": "visitor", "destination": "{tenant}"}]
    emulator.clear_log()
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(mappings=mappings))
    assert real.rc != 0
    task, msg = failed_task(real)
    assert failed_task(check)[0] == task  # the role's input check may catch it before the mapping set task
    assert task in (INPUT_CHECK, "Ensure the mapping set")
    assert "mappings[8]" in msg, msg
    assert mapping_set(emulator)["version"] in (0, "0")


def test_a_bad_mapping_in_a_brand_new_sandbox_fails_in_check_and_real_alike(emulator, inventory, tmp_path):
    mappings = CHATLIO_MAPPINGS + [{"source": "visitor", "destination": "{tenant}"}]
    check, real = check_then_real(emulator, inventory, tmp_path, *overrides(mappings=mappings))
    assert real.rc != 0
    assert failed_task(check)[0] == failed_task(real)[0]
    assert failed_task(real)[0] in (INPUT_CHECK, "Ensure the mapping set")
    assert "mappings[8]" in failed_task(check)[1]
