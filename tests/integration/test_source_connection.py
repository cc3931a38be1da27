"""aep.platform.source_connection and source_connection_info against the emulator."""
import pytest

from harness import CHATLIO_SPEC, STREAMING_PROVIDER, flow_object, flow_patch, run_playbook

NAME = "Chatlio source (it)"


def task(**args):
    body = {"name": NAME, "connection_spec_id": CHATLIO_SPEC, "provider_id": STREAMING_PROVIDER,
            "description": "Chatlio events"}
    body.update(args)
    return {"name": "source", "aep.platform.source_connection": dict((k, v) for k, v in body.items() if v is not None)}


def info_task(**args):
    return {"name": "info", "aep.platform.source_connection_info": args}


def one(emulator, check=False, diff=False, **args):
    run = run_playbook(emulator, [task(**args)], check=check, diff=diff)
    assert len(run) == 1, run.stdout + run.stderr
    return run[0]


def test_lifecycle(emulator):
    created = one(emulator)
    assert not created.failed, created
    assert created.changed
    sid = created["id"]
    stored = flow_object(emulator, "/sourceConnections", sid)
    assert stored["name"] == NAME and stored["description"] == "Chatlio events"
    assert stored["connectionSpec"] == {"id": CHATLIO_SPEC, "version": "1.0"}
    assert stored["providerId"] == STREAMING_PROVIDER and stored["data"] == {"format": "json"}
    assert created["source_connection"]["id"] == sid and created["etag"] == stored["etag"]

    emulator.clear_log()
    again = one(emulator)
    assert not again.failed and not again.changed and again["id"] == sid
    assert emulator.writes() == []

    # check mode + diff: predicted change, nothing written
    emulator.clear_log()
    preview = one(emulator, check=True, diff=True, description="new text")
    assert preview.changed and not preview.failed
    assert preview.diff["before"]["description"] == "Chatlio events"
    assert preview.diff["after"]["description"] == "new text"
    assert emulator.writes() == []
    assert flow_object(emulator, "/sourceConnections", sid)["description"] == "Chatlio events"

    updated = one(emulator, diff=True, description="new text")
    assert updated.changed and updated["id"] == sid
    assert updated.diff["after"]["description"] == "new text"
    assert [w["method"] for w in emulator.writes()] == ["PATCH"]
    assert flow_object(emulator, "/sourceConnections", sid)["description"] == "new text"

    # drift through the API is detected and repaired
    flow_patch(emulator, "/sourceConnections", sid, [{"op": "replace", "path": "/description", "value": "drifted"}])
    emulator.clear_log()
    repaired = one(emulator, description="new text")
    assert repaired.changed
    assert flow_object(emulator, "/sourceConnections", sid)["description"] == "new text"

    # info by name and by id
    run = run_playbook(emulator, [info_task(name=NAME), info_task(id=sid), info_task(name="nope")])
    assert run[0]["count"] == 1 and run[0]["source_connections"][0]["id"] == sid
    assert run[1]["count"] == 1 and run[2]["count"] == 0 and not run[2].changed

    # absent: check mode predicts, then deletes, then unchanged
    emulator.clear_log()
    preview = one(emulator, check=True, state="absent")
    assert preview.changed and emulator.writes() == []
    gone = one(emulator, state="absent")
    assert gone.changed and flow_object(emulator, "/sourceConnections", sid) is None
    emulator.clear_log()
    gone_again = one(emulator, state="absent")
    assert not gone_again.changed and not gone_again.failed and emulator.writes() == []


def test_check_mode_create_writes_nothing(emulator):
    res = one(emulator, check=True, diff=True)
    assert res.changed and not res.failed
    assert res.diff["before"] == {} and res.diff["after"]["name"] == NAME
    assert emulator.writes() == []
    assert res["id"].replace("-", "").startswith("0" * 12 + "a")  # a placeholder carrying its spec


def test_rename_by_id_and_params(emulator):
    sid = one(emulator)["id"]
    res = one(emulator, id=sid, name="Renamed source", params={"a": "1"}, diff=True)
    assert res.changed and res["id"] == sid
    stored = flow_object(emulator, "/sourceConnections", sid)
    assert stored["name"] == "Renamed source" and stored["params"] == {"a": "1"}
    emulator.clear_log()
    res = one(emulator, id=sid, name="Renamed source", params={"a": "1"})
    assert not res.changed and emulator.writes() == []


def test_name_with_comma_is_exact(emulator):
    first = one(emulator, name="a,b")
    assert first.changed
    emulator.clear_log()
    again = one(emulator, name="a,b")
    assert not again.changed and again["id"] == first["id"] and emulator.writes() == []


def test_duplicates_are_reported(emulator):
    body = {"name": NAME, "providerId": STREAMING_PROVIDER, "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"},
            "data": {"format": "json"}}
    ids = [emulator.api("POST", "/data/foundation/flowservice/sourceConnections", json=body).json()["id"]
           for _copy in range(2)]
    emulator.clear_log()
    res = one(emulator)
    assert res.failed and all(i in res["msg"] for i in ids), res
    assert emulator.writes() == []


def test_connection_spec_change_needs_recreate(emulator):
    sid = one(emulator)["id"]
    other = "96479064-7b8a-4d69-b9ed-21c5683837ea"  # Customer.io
    emulator.clear_log()
    res = one(emulator, connection_spec_id=other)
    assert res.failed and "connection_spec_id" in res["msg"] and "recreate" in res["msg"]
    assert emulator.writes() == []
    res = one(emulator, connection_spec_id=other, recreate=True)
    assert res.changed and res["id"] != sid
    assert flow_object(emulator, "/sourceConnections", sid) is None
    assert flow_object(emulator, "/sourceConnections", res["id"])["connectionSpec"]["id"] == other


@pytest.mark.parametrize("args, words", [
    ({"connection_spec_id": "not-a-uuid"}, ["connection_spec_id", "not a valid id"]),
    ({"connection_spec_id": "11111111-2222-3333-4444-555555555555"}, ["connection_spec_id", "unknown connection spec"]),
    ({"connection_spec_id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c"}, ["connection_spec_id", "sourceSpec"]),
    ({"base_connection_id": "11111111-2222-3333-4444-555555555555"}, ["base_connection_id", "no base connection"]),
    ({"provider_id": "xyz"}, ["provider_id", "not a valid id"]),
    ({"id": "123"}, ["id", "not a valid id"]),
    ({"id": "11111111-2222-3333-4444-555555555555"}, ["id", "no source connection"]),
    ({"name": None, "id": None}, ["name", "id"]),
])
def test_bad_inputs_fail_before_writing(emulator, args, words):
    res = one(emulator, **args)
    assert res.failed, res
    for word in words:
        assert word in res["msg"], res["msg"]
    assert "Traceback" not in str(res)
    assert emulator.writes() == []


def test_unknown_sandbox_credentials_and_url(emulator):
    run = run_playbook(emulator, [task()], sandbox="nosuchsandbox")
    assert run[0].failed and "nosuchsandbox" in run[0]["msg"].lower() or "sandbox" in run[0]["msg"].lower()
    run = run_playbook(emulator, [task()], extra_env={"AEP_CLIENT_SECRET": "wrong-secret-value"})
    assert run[0].failed and "wrong-secret-value" not in run.stdout
    assert "IMS" in run[0]["msg"] or "401" in run[0]["msg"] or "auth" in run[0]["msg"].lower()
    run = run_playbook(emulator, [task()], extra_env={"AEP_PLATFORM_URL": "http://127.0.0.1:9", "AEP_TIMEOUT": "2"})
    assert run[0].failed and "connect" in run[0]["msg"]
    assert "Traceback" not in run.stdout + run.stderr
    assert emulator.writes() == []


def test_secret_not_in_verbose_output(emulator):
    secret = "aep-emulator-secret"
    run = run_playbook(emulator, [task(client_secret=secret)], module_defaults=True, verbosity=4, diff=True)
    assert run.rc == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert secret not in run.stdout and secret not in run.stderr
    assert "emu-at-" not in run.stdout and "emu-at-" not in run.stderr
