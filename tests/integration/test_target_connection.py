"""aep.platform.target_connection and target_connection_info against the emulator."""
import pytest

from harness import DATA_LAKE_SPEC, flow_object, flow_patch, make_schema_dataset_mapping
from harness import run_playbook

NAME = "Chatlio target (it)"


def task(**args):
    body = {"name": NAME, "description": "into the lake"}
    body.update(args)
    return {"name": "target", "aep.platform.target_connection": dict((k, v) for k, v in body.items() if v is not None)}


def one(emulator, check=False, diff=False, **args):
    run = run_playbook(emulator, [task(**args)], check=check, diff=diff)
    assert len(run) == 1, run.stdout + run.stderr
    return run[0]


@pytest.fixture
def fx(emulator):
    fixtures = make_schema_dataset_mapping(emulator)
    emulator.clear_log()
    return fixtures


def test_lifecycle(emulator, fx):
    created = one(emulator, dataset_id=fx["dataset_id"])
    assert created.changed and not created.failed, created
    tid = created["id"]
    stored = flow_object(emulator, "/targetConnections", tid)
    assert stored["connectionSpec"] == {"id": DATA_LAKE_SPEC, "version": "1.0"}
    assert stored["params"] == {"dataSetId": fx["dataset_id"]}
    # the schema defaults to the dataset's schema
    assert stored["data"] == {"format": "json", "schema": {
        "id": fx["schema_id"], "version": "application/vnd.adobe.xed-full+json;version=1"}}

    emulator.clear_log()
    again = one(emulator, dataset_id=fx["dataset_id"], schema_id=fx["schema_id"])
    assert not again.changed and again["id"] == tid and emulator.writes() == []

    emulator.clear_log()
    preview = one(emulator, check=True, diff=True, dataset_id=fx["dataset_id"], description="changed")
    assert preview.changed and emulator.writes() == []
    assert preview.diff["before"]["description"] == "into the lake"
    assert preview.diff["after"]["description"] == "changed"
    assert preview.diff["after"]["dataset_id"] == fx["dataset_id"]

    updated = one(emulator, dataset_id=fx["dataset_id"], description="changed")
    assert updated.changed and flow_object(emulator, "/targetConnections", tid)["description"] == "changed"

    # drift: name changed behind our back, found again by id and renamed back
    flow_patch(emulator, "/targetConnections", tid, [{"op": "replace", "path": "/name", "value": "drifted"}])
    repaired = one(emulator, id=tid, description="changed", diff=True)
    assert repaired.changed and repaired.diff["before"]["name"] == "drifted" and repaired.diff["after"]["name"] == NAME
    assert flow_object(emulator, "/targetConnections", tid)["name"] == NAME

    run = run_playbook(emulator, [{"aep.platform.target_connection_info": {"name": NAME}},
                                  {"aep.platform.target_connection_info": {}}])
    assert run[0]["count"] == 1 and run[0]["target_connections"][0]["id"] == tid and run[1]["count"] == 1

    emulator.clear_log()
    assert one(emulator, check=True, state="absent").changed and emulator.writes() == []
    assert one(emulator, state="absent").changed
    assert flow_object(emulator, "/targetConnections", tid) is None
    emulator.clear_log()
    again = one(emulator, state="absent")
    assert not again.changed and emulator.writes() == []


def test_check_mode_with_placeholder_dataset(emulator):
    res = one(emulator, check=True, dataset_id="0" * 24)
    assert res.changed and not res.failed and emulator.writes() == []


def test_switch_dataset(emulator, fx):
    tid = one(emulator, dataset_id=fx["dataset_id"])["id"]
    other = make_schema_dataset_mapping(emulator, title="Other")
    res = one(emulator, dataset_id=other["dataset_id"], diff=True)
    assert res.changed and res["id"] == tid
    assert res.diff["after"]["schema_id"] == other["schema_id"]
    stored = flow_object(emulator, "/targetConnections", tid)
    assert stored["params"]["dataSetId"] == other["dataset_id"] and stored["data"]["schema"]["id"] == other["schema_id"]


@pytest.mark.parametrize("args, words", [
    ({"dataset_id": "nope"}, ["dataset_id", "not a valid id"]),
    ({"dataset_id": "a" * 24}, ["dataset_id", "no dataset"]),
    ({}, ["dataset_id", "required"]),
    ({"dataset_id": "DATASET", "schema_id": "https://ns.adobe.com/emulated/schemas/" + "1" * 48},
     ["schema_id", "is not the schema of dataset"]),
    ({"dataset_id": "DATASET", "schema_id": "my-schema"}, ["schema_id", "not a valid id"]),
    ({"dataset_id": "DATASET", "connection_spec_id": "11111111-2222-3333-4444-555555555555"},
     ["connection_spec_id", "unknown connection spec"]),
    ({"dataset_id": "DATASET", "connection_spec_id": "073127a3-26e3-496c-9d94-9f48fb93fba8"},
     ["connection_spec_id", "targetSpec"]),
])
def test_bad_inputs_fail_before_writing(emulator, fx, args, words):
    if args.get("dataset_id") == "DATASET":
        args["dataset_id"] = fx["dataset_id"]
    res = one(emulator, **args)
    assert res.failed, res
    for word in words:
        assert word in res["msg"], res["msg"]
    assert emulator.writes() == []


def test_unknown_sandbox(emulator, fx):
    run = run_playbook(emulator, [task(dataset_id=fx["dataset_id"])], sandbox="nosuchsandbox")
    assert run[0].failed and "nosuchsandbox" in run[0]["msg"], run[0]
    assert emulator.writes() == []
