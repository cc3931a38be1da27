"""aep.platform.base_connection and base_connection_info against the emulator."""
import pytest

from harness import flow_object, flow_patch
from harness import run_playbook

NAME = "Partner account (it)"
HTTP_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"
SECRET = "base-conn-S3CRET-value-42"


def task(**args):
    body = {"name": NAME, "description": "partner", "connection_spec_id": HTTP_SPEC,
            "auth": {"spec_name": "Streaming Connection",
                     "params": {"sourceId": "partner-source-7", "dataType": "raw"}, "credentials": {"token": SECRET}}}
    body.update(args)
    return {"name": "base", "aep.platform.base_connection": dict((k, v) for k, v in body.items() if v is not None)}


def one(emulator, check=False, diff=False, **args):
    run = run_playbook(emulator, [task(**args)], check=check, diff=diff)
    assert len(run) == 1, run.stdout + run.stderr
    assert SECRET not in run.stdout + run.stderr
    return run[0]


def test_lifecycle(emulator):
    created = one(emulator, diff=True)
    assert created.changed and not created.failed, created
    bid = created["id"]
    stored = flow_object(emulator, "/connections", bid)
    assert stored["name"] == NAME and stored["connectionSpec"]["id"] == HTTP_SPEC
    assert stored["auth"]["specName"] == "Streaming Connection"
    assert created.diff["after"]["auth"] == {"spec_name": "Streaming Connection", "credentials": "set",
                                             "params": {"sourceId": "partner-source-7", "dataType": "raw"}}

    emulator.clear_log()
    again = one(emulator)
    assert not again.changed and emulator.writes() == []

    emulator.clear_log()
    preview = one(emulator, check=True, diff=True, description="new")
    assert preview.changed and emulator.writes() == []
    assert preview.diff["before"]["description"] == "partner" and preview.diff["after"]["description"] == "new"

    updated = one(emulator, description="new")
    assert updated.changed and flow_object(emulator, "/connections", bid)["description"] == "new"

    flow_patch(emulator, "/connections", bid, [{"op": "replace", "path": "/description", "value": "drift"}])
    repaired = one(emulator, description="new")
    assert repaired.changed and flow_object(emulator, "/connections", bid)["description"] == "new"

    # update_auth: always replaces the credentials (changed every time), shown without values
    emulator.clear_log()
    rotated = one(emulator, description="new", update_auth="always", diff=True)
    assert rotated.changed and rotated.diff["after"]["auth"]["credentials"] == "replaced"
    assert [w["method"] for w in emulator.writes()] == ["PATCH"]
    emulator.clear_log()
    assert one(emulator, description="new", update_auth="always", check=True).changed
    assert emulator.writes() == []

    run = run_playbook(emulator, [{"aep.platform.base_connection_info": {"name": NAME}},
                                  {"aep.platform.base_connection_info": {"id": bid}}])
    for res in run:
        assert res["count"] == 1 and res["base_connections"][0]["id"] == bid
        assert SECRET not in str(res)

    emulator.clear_log()
    assert one(emulator, check=True, state="absent").changed and emulator.writes() == []
    assert one(emulator, state="absent").changed and flow_object(emulator, "/connections", bid) is None
    emulator.clear_log()
    assert not one(emulator, state="absent").changed and emulator.writes() == []


def test_in_use_connection_cannot_be_deleted(emulator):
    bid = one(emulator)["id"]
    resp = emulator.api("POST", "/data/foundation/flowservice/sourceConnections", json={
        "name": "uses base", "baseConnectionId": bid, "connectionSpec": {"id": HTTP_SPEC, "version": "1.0"},
        "data": {"format": "json"}})
    assert resp.status_code == 201, resp.text
    res = one(emulator, state="absent")
    assert res.failed and resp.json()["id"] in res["msg"], res
    assert "Traceback" not in str(res)


@pytest.mark.parametrize("args, words", [
    ({"connection_spec_id": "zzz"}, ["connection_spec_id", "not a valid id"]),
    ({"connection_spec_id": "11111111-2222-3333-4444-555555555555"}, ["connection_spec_id", "unknown connection spec"]),
    ({"auth": None}, ["auth", "required"]),
    ({"update_auth": "sometimes"}, ["update_auth"]),
    ({"auth": {"spec_name": "OAuth 2", "credentials": {"x": SECRET}}}, ["auth.spec_name", "Streaming Connection"]),
])
def test_bad_inputs_fail_before_writing(emulator, args, words):
    res = one(emulator, **args)
    assert res.failed, res
    for word in words:
        assert word in res["msg"], res["msg"]
    assert emulator.writes() == []


def test_secrets_not_in_verbose_output(emulator):
    run = run_playbook(emulator, [task(client_secret="aep-emulator-secret")], verbosity=4, diff=True)
    assert run.rc == 0, run.stdout[-2000:]
    out = run.stdout + run.stderr
    assert SECRET not in out and "aep-emulator-secret" not in out and "emu-at-" not in out
    # a failing run (spec change) does not leak either
    run = run_playbook(emulator, [task(connection_spec_id="073127a3-26e3-496c-9d94-9f48fb93fba8")], verbosity=4)
    out = run.stdout + run.stderr
    assert run.rc != 0 and SECRET not in out and "aep-emulator-secret" not in out
