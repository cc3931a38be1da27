"""Every input of the streaming_source role is checked before the first write (issue 9): names, overrides, prefix,
the preset name and the preset itself. Each malformed value fails in the role's first tasks with a message naming
the key, and the emulator's request log shows no write."""
import copy
import json

import pytest
import yaml

from harness import REPO
from onboard_helpers import run_playbook, write_static_inventory

CHATLIO = yaml.safe_load((REPO / "roles" / "streaming_source" / "vars" / "presets" / "chatlio.yml").read_text())
HTTP_XDM = "d8a6f005-7eaf-4153-983e-e8574508b877"
FIRST_TASKS = {"Validating arguments against arg spec 'main' - Provision or remove an AEP streaming source dataflow in one sandbox",
               "Check the role's inputs against its argument spec",  # once per play; the playbooks set rolespec_validate: false
               "Stop on invalid inputs (nothing was sent to AEP)", "Stop on specs that do not fit together (nothing was written)"}


def failure(run):
    """(task name, message) of the first failed task."""
    for play in run.data["plays"]:
        for task in play["tasks"]:
            for result in task["hosts"].values():
                if result.get("failed"):
                    return task["task"]["name"].split(" : ")[-1], result.get("msg", "")
    return None, None


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, sandboxes=("prod",))


def assert_refused(emulator, inventory, extra_vars, *expected):
    emulator.clear_log()
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", json.dumps(extra_vars))
    assert run.rc != 0, run
    task, msg = failure(run)
    assert task in FIRST_TASKS, (task, msg)
    for text in expected:
        assert text in str(msg), (text, msg)
    assert emulator.writes() == []
    return msg


# (id, role variables, texts the message must hold)
INPUTS = [
    ("empty flow name", {"streaming_source_names": {"flow": ""}}, ["streaming_source_names.flow", "non-empty"]),
    ("misspelt name key", {"streaming_source_names": {"flw": "x"}}, ["flw"]),
    ("name with a line break", {"streaming_source_names": {"dataset": "a\nb"}}, ["streaming_source_names.dataset"]),
    ("empty prefix", {"streaming_source_prefix": ""}, ["streaming_source_prefix"]),
    ("overrides not a mapping", {"streaming_source_preset_overrides": "flow"}, ["streaming_source_preset_overrides"]),
    ("malformed mapping in overrides", {"streaming_source_preset_overrides": {"mappings": [{"source": "message"}]}},
     ["streaming_source_preset_overrides", "mappings[0].destination"]),
    ("mapping to an undeclared field in overrides", {"streaming_source_preset_overrides": {"mappings": [
        {"source": "message", "destination": "{tenant}.nope"}]}}, ["mappings[0].destination", "'nope'"]),
    ("blank flow name", {"streaming_source_names": {"flow": "  "}},
     ["streaming_source_names.flow: must be a non-empty name; it is only whitespace ('  '): set a name or remove the key"]),
    ("invalid flow spec id", {"streaming_source_preset_overrides": {"flow": {"flow_spec_id": "not-a-flow-spec"}}},
     ["flow.flow_spec_id", "not a spec id"]),
    ("unknown flow spec id", {"streaming_source_preset_overrides": {"flow": {"flow_spec_id": "11111111-2222-3333-4444-555555555555"}}},
     ["flow.flow_spec_id", "unknown flow spec"]),
    ("unknown preset", {"streaming_source_preset": "no_such_source"}, ["no_such_source", "streaming_source_preset"]),
    ("wrong state", {"streaming_source_state": "gone"}, ["streaming_source_state"]),
]


@pytest.mark.parametrize("variables, expected", [i[1:] for i in INPUTS], ids=[i[0] for i in INPUTS])
def test_malformed_role_input_fails_before_any_write(emulator, inventory, variables, expected):
    assert_refused(emulator, inventory, variables, *expected)


def _preset(change):
    data = copy.deepcopy(CHATLIO)
    change(data["streaming_source_preset_data"])
    return data


def _drop(key):
    return lambda p: p.pop(key)


def _set(path, value):
    def change(p):
        parts = path.split(".")
        for part in parts[:-1]:
            p = p[part]
        p[parts[-1]] = value
    return change


def _rename(old, new):
    return lambda p: p.update({new: p.pop(old)})


# ten (and more) malformed presets: (id, change, texts the message must hold)
PRESETS = [
    ("missing sample_event", _drop("sample_event"), ["sample_event: missing"]),
    ("missing smoke", _drop("smoke"), ["smoke: missing"]),
    ("misspelt key", _rename("mappings", "mapings"), ["mapings: unknown key", "did you mean mappings"]),
    ("label of the wrong type", _set("label", ["Chatlio"]), ["label: must be a non-empty string"]),
    ("fields of the wrong type", _set("schema.fields", {"name": "x"}), ["schema.fields: must be a list"]),
    ("connection spec id not a UUID", _set("source.connection_spec_id", "chatlio"), ["source.connection_spec_id", "not a spec id"]),
    ("unknown connection spec id", _set("source.connection_spec_id", "11111111-2222-3333-4444-555555555555"),
     ["source.connection_spec_id: unknown connection spec"]),
    ("mapping to an undeclared field", lambda p: p["mappings"][0].update(destination="{tenant}.not_declared"),
     ["mappings[0].destination", "'not_declared' is not a field the preset declares"]),
    ("hard-coded tenant", lambda p: p["mappings"][0].update(destination="_acme.slackchannel_ID"),
     ["mappings[0].destination", "{tenant}"]),
    ("marker not in the sample event", _set("smoke.marker_source", "visitor.id"), ["smoke.marker_source", "visitor.id"]),
    ("expect of an unmapped field", _set("smoke.expect", {"{tenant}.other": "x"}), ["smoke.expect.{tenant}.other"]),
    ("flow spec that does not take the source", _set("flow.flow_spec_id", HTTP_XDM),
     ["flow.flow_spec_id", "does not accept connection spec 073127a3"]),
    ("field without a type", lambda p: p["schema"]["fields"][0].pop("type"), ["schema.fields[0].type"]),
    ("sample event of the wrong type", _set("sample_event", "Hi"), ["sample_event: must be a mapping"]),
    # issue 8 item 4: mappings that can never fill their destination
    ("constant into an integer field", lambda p: (p["schema"]["fields"].append({"name": "count", "type": "integer"}),
                                                  p["mappings"].append({"source": "abc", "source_type": "STATIC",
                                                                        "destination": "{tenant}.count"})),
     ["'{tenant}.count' is of type integer and the constant 'abc' does not convert to it"]),
    ("text into an object field", lambda p: (p["schema"]["fields"].extend([{"name": "obj", "type": "object"},
                                                                          {"name": "obj.a", "type": "string"}]),
                                             p["mappings"].append({"source": "message", "destination": "{tenant}.obj"})),
     ["'{tenant}.obj' is of type object and cannot hold the string value of ATTRIBUTE source 'message'"]),
    ("no _id and timestamp", lambda p: p.update(mappings=[m for m in p["mappings"] if m["destination"] not in ("_id", "timestamp")]),
     ["every record needs '_id', 'timestamp'", "Required field '_id' is missing", "uuid()"]),
]


@pytest.mark.parametrize("change, expected", [p[1:] for p in PRESETS], ids=[p[0] for p in PRESETS])
def test_malformed_preset_fails_before_any_write(emulator, inventory, tmp_path, change, expected):
    path = tmp_path / "preset.yml"
    path.write_text(yaml.safe_dump(_preset(change)))
    msg = assert_refused(emulator, inventory, {"streaming_source_preset_file": str(path)}, *expected)
    assert str(path) in msg


def test_preset_file_without_preset_data(emulator, inventory, tmp_path):
    path = tmp_path / "preset.yml"
    path.write_text("label: Chatlio\n")
    assert_refused(emulator, inventory, {"streaming_source_preset_file": str(path)}, "streaming_source_preset_data")


def test_a_nested_preset_field_can_be_mapped(emulator, inventory, tmp_path):
    """Issue 8 item 7: field visitor.email2 (its parent object implied) takes the mapping {tenant}.visitor.email2."""
    def change(p):
        p["schema"]["fields"].append({"name": "visitor.email2", "type": "string", "title": "Second email"})
        p["mappings"].append({"source": "visitor.email", "destination": "{tenant}.visitor.email2"})
    path = tmp_path / "preset.yml"
    path.write_text(yaml.safe_dump(_preset(change)))
    emulator.clear_log()
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", json.dumps({"streaming_source_preset_file": str(path)}),
                       "--check")
    assert run.rc == 0, failure(run)
    assert emulator.writes() == []


def test_preset_without_base_connection_for_a_spec_that_needs_one(emulator, inventory, tmp_path):
    """The preset declares its base connection (source.base_connection), as the role chooses its tasks from it when
    the play is loaded: an HTTP API preset without the key fails before any write, naming the key and the fix."""
    data = yaml.safe_load((REPO / "roles" / "streaming_source" / "vars" / "presets" / "http_api.yml").read_text())
    del data["streaming_source_preset_data"]["source"]["base_connection"]
    path = tmp_path / "preset.yml"
    path.write_text(yaml.safe_dump(data))
    assert_refused(emulator, inventory, {"streaming_source_preset_file": str(path)},
                   "source.base_connection: connection spec bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", "needs a base connection",
                   "source.base_connection: {data_type: raw}")


def test_preset_with_base_connection_for_a_spec_that_needs_none(emulator, inventory, tmp_path):
    path = tmp_path / "preset.yml"
    path.write_text(yaml.safe_dump(_preset(lambda p: p["source"].update(base_connection={"data_type": "raw"}))))
    assert_refused(emulator, inventory, {"streaming_source_preset_file": str(path)}, "source.base_connection", "needs no base connection; remove the key")
