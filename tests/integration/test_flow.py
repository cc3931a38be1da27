"""aep.platform.flow against the emulator."""
import pytest

from harness import flow_object, flow_patch, make_flow_connections, make_schema_dataset_mapping
from harness import run_playbook

NAME = "Chatlio flow (it)"
GENERIC = "e77fde5a-22a8-11ed-861d-0242ac120002"


@pytest.fixture
def fx(emulator):
    fixtures = make_schema_dataset_mapping(emulator)
    fixtures.update(make_flow_connections(emulator, fixtures))
    emulator.clear_log()
    return fixtures


def task(fx, **args):
    body = {"name": NAME, "description": "Chatlio to the lake", "source_connection_ids": [fx["source_id"]],
            "target_connection_ids": [fx["target_id"]], "mapping_id": fx["mapping_id"], "mapping_version": 0}
    body.update(args)
    return {"name": "flow", "aep.platform.flow": dict((k, v) for k, v in body.items() if v is not None)}


def one(emulator, fx, check=False, diff=False, **args):
    run = run_playbook(emulator, [task(fx, **args)], check=check, diff=diff)
    assert len(run) == 1, run.stdout + run.stderr
    return run[0]


def test_lifecycle(emulator, fx):
    created = one(emulator, fx)
    assert created.changed and not created.failed, created
    fid = created["id"]
    stored = flow_object(emulator, "/flows", fid)
    assert stored["flowSpec"] == {"id": GENERIC, "version": "1.0"} and stored["state"] == "enabled"
    assert stored["transformations"] == [{"name": "Mapping", "params": {"mappingId": fx["mapping_id"],
                                                                        "mappingVersion": 0}}]
    inlet = stored["options"]["inletUrl"]
    assert created["inlet_url"] == inlet
    assert created["webhook_url"] == inlet + "?x-adobe-flow-id=" + fid
    assert created["flow"]["id"] == fid and created["etag"] == stored["etag"]

    emulator.clear_log()
    again = one(emulator, fx, enabled=True)
    assert not again.changed and again["webhook_url"] == created["webhook_url"] and emulator.writes() == []

    # version given as string "0" and connection lists in another order are the same
    emulator.clear_log()
    same = one(emulator, fx, mapping_version="0")
    assert not same.changed and emulator.writes() == []

    emulator.clear_log()
    preview = one(emulator, fx, check=True, diff=True, description="new", enabled=False)
    assert preview.changed and emulator.writes() == []
    assert preview.diff["before"]["description"] == "Chatlio to the lake" and preview.diff["before"]["enabled"] is True
    assert preview.diff["after"]["description"] == "new" and preview.diff["after"]["enabled"] is False
    assert flow_object(emulator, "/flows", fid)["state"] == "enabled"

    emulator.clear_log()
    updated = one(emulator, fx, diff=True, description="new", enabled=False)
    assert updated.changed and updated.diff["after"] == preview.diff["after"]
    writes = [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in emulator.writes()]
    assert writes == [("PATCH", fid), ("POST", "action")]
    stored = flow_object(emulator, "/flows", fid)
    assert stored["description"] == "new" and stored["state"] == "disabled"

    # drift: re-enabled and renamed description directly through the API
    emulator.api("POST", "/data/foundation/flowservice/flows/%s/action" % fid, params={"op": "enable"})
    flow_patch(emulator, "/flows", fid, [{"op": "replace", "path": "/description", "value": "drift"}])
    emulator.clear_log()
    repaired = one(emulator, fx, diff=True, description="new", enabled=False)
    assert repaired.changed
    assert repaired.diff["before"]["enabled"] is True and repaired.diff["before"]["description"] == "drift"
    stored = flow_object(emulator, "/flows", fid)
    assert stored["description"] == "new" and stored["state"] == "disabled"
    emulator.clear_log()
    assert not one(emulator, fx, description="new", enabled=False).changed and emulator.writes() == []

    emulator.clear_log()
    assert one(emulator, fx, check=True, state="absent").changed and emulator.writes() == []
    gone = one(emulator, fx, state="absent")
    assert gone.changed and flow_object(emulator, "/flows", fid) is None
    emulator.clear_log()
    again = one(emulator, fx, state="absent")
    assert not again.changed and emulator.writes() == []


def test_mapping_version_update(emulator, fx):
    fid = one(emulator, fx)["id"]
    # a new mapping set version (PUT) then point the flow at it
    current = emulator.api("GET", "/data/foundation/conversion/mappingSets/%s" % fx["mapping_id"]).json()
    body = {"outputSchema": current["outputSchema"], "mappings": [
        {"sourceType": "EXPRESSION" if "(" in m["source"] else "ATTRIBUTE", "source": m["source"],
         "destination": m["destination"]} for m in current["mappings"]]}
    put = emulator.api("PUT", "/data/foundation/conversion/mappingSets/%s" % fx["mapping_id"], json=body)
    assert put.status_code == 200, put.text
    emulator.clear_log()
    res = one(emulator, fx, mapping_version=1, diff=True)
    assert res.changed and res.diff["before"]["mapping_version"] == 0 and res.diff["after"]["mapping_version"] == 1
    params = flow_object(emulator, "/flows", fid)["transformations"][0]["params"]
    assert params["mappingId"] == fx["mapping_id"] and str(params["mappingVersion"]) == "1"
    emulator.clear_log()
    assert not one(emulator, fx, mapping_version=1).changed and emulator.writes() == []
    # version omitted: the flow keeps the version it has
    assert not one(emulator, fx, mapping_version=None).changed and emulator.writes() == []
    res = one(emulator, fx, mapping_version=7)
    assert res.failed and "mapping_version" in res["msg"] and "no version 7" in res["msg"]
    assert emulator.writes() == []


def test_connection_ids_order_insensitive_and_updated(emulator, fx):
    fid = one(emulator, fx)["id"]
    second = emulator.api("POST", "/data/foundation/flowservice/sourceConnections", json={
        "name": "second source", "providerId": "521eee4d-8cbe-4906-bb48-fb6bd4450033",
        "connectionSpec": {"id": "073127a3-26e3-496c-9d94-9f48fb93fba8", "version": "1.0"},
        "data": {"format": "json"}}).json()["id"]
    both = [second, fx["source_id"]]
    res = one(emulator, fx, source_connection_ids=both, diff=True)
    assert res.changed and sorted(flow_object(emulator, "/flows", fid)["sourceConnectionIds"]) == sorted(both)
    emulator.clear_log()
    res = one(emulator, fx, source_connection_ids=list(reversed(both)))
    assert not res.changed and emulator.writes() == []


def test_check_mode_create_with_placeholders(emulator, fx):
    zero = "00000000-0000-0000-0000-000000000000"
    res = one(emulator, fx, check=True, diff=True, source_connection_ids=[zero], target_connection_ids=[zero],
              mapping_id="0" * 32)
    assert res.changed and not res.failed, res
    assert res["webhook_url"] is None and res.diff["after"]["name"] == NAME
    assert emulator.writes() == []
    # outside check mode a placeholder is an error, before any write
    res = one(emulator, fx, source_connection_ids=[zero])
    assert res.failed and "placeholder" in res["msg"] and emulator.writes() == []


def test_check_mode_create_chain(emulator, fx):
    """A whole play in check mode: connections predicted, then the flow from their placeholder ids."""
    tasks = [
        {"name": "src", "register": "src", "aep.platform.source_connection": {
            "name": "new src", "connection_spec_id": "073127a3-26e3-496c-9d94-9f48fb93fba8"}},
        {"name": "tgt", "register": "tgt", "aep.platform.target_connection": {
            "name": "new tgt", "dataset_id": fx["dataset_id"]}},
        {"name": "flow", "aep.platform.flow": {
            "name": "new flow", "source_connection_ids": ["{{ src.id }}"], "target_connection_ids": ["{{ tgt.id }}"],
            "mapping_id": fx["mapping_id"]}},
    ]
    run = run_playbook(emulator, tasks, check=True)
    assert [r.changed for r in run] == [True, True, True], [r.get("msg") for r in run]
    assert emulator.writes() == []


def test_flow_spec_change_needs_recreate(emulator, fx):
    fid = one(emulator, fx)["id"]
    emulator.clear_log()
    res = one(emulator, fx, flow_spec_id="d8a6f005-7eaf-4153-983e-e8574508b877")
    assert res.failed and "flow_spec_id" in res["msg"], res
    assert emulator.writes() == []
    res = one(emulator, fx, flow_spec_id="11111111-2222-3333-4444-555555555555")
    assert res.failed and "unknown flow spec" in res["msg"] and emulator.writes() == []
    assert flow_object(emulator, "/flows", fid) is not None


def test_recreate_replaces_flow(emulator, fx):
    first = one(emulator, fx)
    flow_patch(emulator, "/flows", first["id"], [{"op": "replace", "path": "/description", "value": "x"}])
    # same spec: recreate does nothing special, it is a normal update
    res = one(emulator, fx, recreate=True)
    assert res.changed and res["id"] == first["id"]


def test_enabled_false_on_create(emulator, fx):
    res = one(emulator, fx, enabled=False)
    assert res.changed and flow_object(emulator, "/flows", res["id"])["state"] == "disabled"
    assert res["flow"]["state"] == "disabled"


@pytest.mark.parametrize("args, words", [
    ({"source_connection_ids": ["abc"]}, ["source_connection_ids", "not a valid id"]),
    ({"target_connection_ids": ["11111111-2222-3333-4444-555555555555"]},
     ["target_connection_ids", "no target connection"]),
    ({"source_connection_ids": ["11111111-2222-3333-4444-555555555555"]},
     ["source_connection_ids", "no source connection"]),
    ({"source_connection_ids": ["TARGET"]}, ["source_connection_ids", "no source connection"]),
    ({"mapping_id": "xyz"}, ["mapping_id", "not a valid id"]),
    ({"mapping_id": "b" * 32}, ["mapping_id", "no mapping set"]),
    ({"flow_spec_id": "nope"}, ["flow_spec_id", "not a valid id"]),
    ({"flow_spec_id": "11111111-2222-3333-4444-555555555555"}, ["flow_spec_id", "unknown flow spec"]),
    ({"flow_spec_id": "d8a6f005-7eaf-4153-983e-e8574508b877"}, ["source_connection_ids", "does not accept"]),
    ({"source_connection_ids": None}, ["source_connection_ids", "required"]),
    ({"mapping_id": None}, ["mapping_version", "mapping_id"]),
    ({"id": "nope"}, ["id", "not a valid id"]),
    ({"mapping_version": -1}, ["mapping_version"]),
])
def test_bad_inputs_fail_before_writing(emulator, fx, args, words):
    args = dict((k, [fx["target_id"]] if v == ["TARGET"] else v) for k, v in args.items())
    res = one(emulator, fx, **args)
    assert res.failed, res
    for word in words:
        assert word in res["msg"], res["msg"]
    assert "Traceback" not in str(res)
    assert emulator.writes() == []


def test_mapping_schema_mismatch(emulator, fx):
    other = make_schema_dataset_mapping(emulator, title="Other")
    emulator.clear_log()
    res = one(emulator, fx, mapping_id=other["mapping_id"])
    assert res.failed and "mapping_id" in res["msg"] and "schema" in res["msg"]
    assert emulator.writes() == []


def test_secret_not_in_verbose_output(emulator, fx):
    secret = "aep-emulator-secret"
    run = run_playbook(emulator, [task(fx, client_secret=secret)], verbosity=4, diff=True)
    assert run.rc == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert secret not in run.stdout + run.stderr and "emu-at-" not in run.stdout + run.stderr
    run = run_playbook(emulator, [task(fx, client_secret="wrong-" + secret)], verbosity=4)
    assert run.rc != 0 and "wrong-" + secret not in run.stdout + run.stderr
