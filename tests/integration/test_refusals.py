"""What AEP would refuse fails before any write, and check mode passes exactly when the real run does.

Each input a tester found reaching AEP as a refused write (or passing in check mode while the real run failed) runs
once with ``--check`` and once for real: both fail the same way, with a message naming the option and the fix, and
the emulator's request log shows no write attempt at all.
"""
import json

import pytest

from harness import (CHATLIO_SPEC, STREAMING_PROVIDER, make_flow_connections, make_schema_dataset_mapping,
                     run_playbook)

HTTP_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"
HTTP_MAPPING_FLOW = "c1a19761-d2c7-4702-b9fa-fe91f0613e81"
CHATLIO_FLOW = "e77fde5a-22a8-11ed-861d-0242ac120002"
ZERO_SCHEMA = "https://ns.adobe.com/emulated/schemas/" + "0" * 48
ZERO_GROUP = "https://ns.adobe.com/emulated/mixins/" + "0" * 48
EXPERIENCE_EVENT = "https://ns.adobe.com/xdm/context/experienceevent"
PROFILE = "https://ns.adobe.com/xdm/context/profile"


def task(kind, **args):
    return {"name": kind, "aep.platform." + kind: args, "ignore_errors": True}


def both_modes(emulator, tasks):
    """Run ``tasks`` with ``--check --diff`` then for real; return (check, real) after asserting no write at all."""
    emulator.clear_log()
    check = run_playbook(emulator, tasks, check=True, diff=True)
    real = run_playbook(emulator, tasks, diff=True)
    assert emulator.writes() == [], emulator.writes()
    assert len(check) == len(real) == len(tasks), check.stdout + check.stderr
    return check, real


def assert_refused(check, real, expected):
    for index, wanted in enumerate(expected):
        for mode, run in (("check", check), ("real", real)):
            result = run[index]
            assert result.failed, (index, mode, result)
            for text in wanted:
                assert text in result["msg"], (index, mode, result["msg"])


@pytest.fixture
def fx(emulator):
    fixtures = make_schema_dataset_mapping(emulator)
    fixtures.update(make_flow_connections(emulator, fixtures))
    return fixtures


def test_refused_writes_fail_before_any_write(emulator, fx):
    tasks = [
        task("mapping_set", name="Empty", schema_id=fx["schema_id"], mappings=[]),
        task("source_connection", name="HTTP source", connection_spec_id=HTTP_SPEC, provider_id=STREAMING_PROVIDER),
        task("base_connection", name="Chatlio base", connection_spec_id=CHATLIO_SPEC,
             auth={"spec_name": "Streaming Connection", "params": {"dataType": "raw"}}),
        task("base_connection", name="HTTP base", connection_spec_id=HTTP_SPEC,
             auth={"spec_name": "Streaming Connection", "params": {"name": "HTTP base", "dataType": "csv"}}),
        task("base_connection", name="HTTP base", connection_spec_id=HTTP_SPEC,
             auth={"spec_name": "Streaming Connection", "params": {"name": "HTTP base"}}),
        task("base_connection", name="HTTP base", connection_spec_id=HTTP_SPEC,
             auth={"spec_name": "Basic", "params": {"name": "HTTP base", "dataType": "raw"}}),
        task("field_group", title="No class", class_ids=[]),
        task("flow", name="No source", flow_spec_id=HTTP_MAPPING_FLOW, source_connection_ids=[],
             target_connection_ids=[fx["target_id"]], mapping_id=fx["mapping_id"]),
    ]
    check, real = both_modes(emulator, tasks)
    assert_refused(check, real, [
        ["mappings: the list is empty", "at least one mapping"],
        ["base_connection_id: connection spec %s (http-connector) needs a base connection" % HTTP_SPEC,
         "aep.platform.base_connection"],
        ["connection_spec_id: connection spec %s (Chatlio) takes no base connection (its authSpec is empty)" % CHATLIO_SPEC],
        ["auth.params.dataType must be one of: xdm, raw"],
        ["auth.params.dataType is required"],
        ["is not an authentication type of connection spec %s" % HTTP_SPEC],
        ["class_ids: the list is empty"],
        ["source_connection_ids: the list is empty"],
    ])
    for run in (check, real):  # no secret in any message
        assert all("csv" not in (r.get("msg") or "") for r in run.results)


def test_placeholder_ids_are_refused_in_a_real_run(emulator, fx):
    """An all-zero id is a check-mode prediction: a check run accepts it (an earlier task would create the object),
    a real run refuses it before any request reaches a write (it used to reach AEP as a refused POST). A placeholder
    class is refused in check mode too: no task creates a class, so it stands for nothing the real run would have."""
    tasks = [task("schema", title="Placeholder group", field_groups=[ZERO_GROUP]),
             task("schema", title="Placeholder class", class_id=ZERO_SCHEMA.replace("schemas", "classes")),
             task("dataset", name="Placeholder schema", schema_id=ZERO_SCHEMA),
             task("mapping_set", name="Placeholder schema", schema_id=ZERO_SCHEMA,
                  mappings=[{"source": "message", "destination": "_emulated.message"}])]
    emulator.clear_log()
    check = run_playbook(emulator, tasks, check=True)
    assert [r.failed for r in check.results] == [False, True, False, False], [r.get("msg") for r in check.results]
    assert check[1]["msg"].startswith("class_id: ") and "no task creates an XDM class" in check[1]["msg"]
    # the placeholders carry no facts (typed by hand): what check mode could not check is said, not passed silently
    assert any("did not check" in w for w in check[0].get("warnings") or []), check[0]
    assert any("not known here" in w for w in check[3].get("warnings") or []), check[3]
    real = run_playbook(emulator, tasks)
    assert emulator.writes() == [], emulator.writes()
    fields = ["field_groups[0]", "class_id", "schema_id", "schema_id"]
    for result, field in zip(real.results, fields):
        assert result.failed and result["msg"].startswith("%s: " % field), result.get("msg")
        assert "check-mode placeholder id" in result["msg"], result["msg"]


def test_spec_info_names_are_matched_exactly(emulator):
    tasks = [{"name": "c", "aep.platform.connection_spec_info": {"name": "~x"}},
             {"name": "f", "aep.platform.flow_spec_info": {"name": "~x"}},
             {"name": "c2", "aep.platform.connection_spec_info": {"name": "Chatlio", "with_flow_specs": False}},
             {"name": "c3", "aep.platform.connection_spec_info": {"name": "chatlio", "with_flow_specs": False}}]
    run = run_playbook(emulator, tasks)
    assert [r.failed for r in run.results] == [False] * 4, [r.get("msg") for r in run.results]
    assert [r["count"] for r in run.results] == [0, 0, 1, 0]
    assert run[2]["connection_specs"][0]["id"] == CHATLIO_SPEC


def test_deleting_what_is_in_use_fails_before_any_delete(emulator, fx):
    setup = [
        {"name": "flow", "register": "flow", "aep.platform.flow": {
            "name": "Chatlio Test flow", "flow_spec_id": CHATLIO_FLOW, "source_connection_ids": [fx["source_id"]],
            "target_connection_ids": [fx["target_id"]], "mapping_id": fx["mapping_id"]}},
        {"name": "base", "register": "base", "aep.platform.base_connection": {
            "name": "HTTP base", "connection_spec_id": HTTP_SPEC,
            "auth": {"spec_name": "Streaming Connection", "params": {"name": "HTTP base", "dataType": "raw"}}}},
        {"name": "source", "aep.platform.source_connection": {
            "name": "HTTP source", "connection_spec_id": HTTP_SPEC, "provider_id": STREAMING_PROVIDER,
            "base_connection_id": "{{ base.id }}"}},
    ]
    done = run_playbook(emulator, setup)
    assert [r.failed for r in done.results] == [False] * 3, [r.get("msg") for r in done.results]
    tasks = [task("source_connection", name="Chatlio Test source", state="absent"),
             task("target_connection", name="Chatlio Test target", state="absent"),
             task("base_connection", name="HTTP base", state="absent"),
             task("field_group", title="Chatlio Test fields", state="absent"),
             task("schema", title="Chatlio Test", state="absent")]
    check, real = both_modes(emulator, tasks)
    assert_refused(check, real, [
        ["state: source connection 'Chatlio Test source' is still used by 1 dataflow(s): Chatlio Test flow",
         "Delete the dataflow"],
        ["state: target connection 'Chatlio Test target' is still used by 1 dataflow(s): Chatlio Test flow"],
        ["state: base connection 'HTTP base' is still used by 1 connection(s): source connection HTTP source"],
        ["state: field group 'Chatlio Test fields' is still used by 1 schema(s): Chatlio Test ("],
        ["state: schema 'Chatlio Test' is still used by 1 dataset(s): Chatlio Test dataset (%s)" % fx["dataset_id"]],
    ])
    # once nothing uses them, the same tasks delete them, in order
    # (the dataset after its target connection: a dataset a target connection writes to is in use too)
    order = [task("flow", name="Chatlio Test flow", state="absent"),
             task("source_connection", name="HTTP source", state="absent")] + tasks[:3] + [
        task("dataset", name="Chatlio Test dataset", state="absent"), tasks[4], tasks[3]]
    removed = run_playbook(emulator, order)
    assert [(r.failed, r.changed) for r in removed.results] == [(False, True)] * 8, [(r.get("msg"), r.changed)
                                                                                     for r in removed.results]


FIELDS = [{"name": "email", "type": "string"}, {"name": "other", "type": "string"}]


def schema_with_identity(emulator):
    setup = [
        {"name": "group", "register": "group", "aep.platform.field_group": {"title": "Ident fields", "fields": FIELDS}},
        {"name": "schema", "register": "schema", "aep.platform.schema": {
            "title": "Ident", "field_groups": ["{{ group.id }}"],
            "identities": [{"field": "_emulated.email", "namespace": "Email", "primary": True}]}},
    ]
    done = run_playbook(emulator, setup)
    assert [r.failed for r in done.results] == [False, False], [r.get("msg") for r in done.results]
    return done[0]["id"]


def test_schema_class_and_primary_identity_changes(emulator):
    group_id = schema_with_identity(emulator)
    tasks = [task("schema", title="Ident", class_id=PROFILE),
             task("schema", title="Ident", field_groups=[group_id],
                  identities=[{"field": "_emulated.other", "namespace": "Email", "primary": True}])]
    check, real = both_modes(emulator, tasks)
    assert_refused(check, real, [
        ["class_id: schema 'Ident'", "has class %s; AEP cannot change the class" % EXPERIENCE_EVENT,
         "Create a new schema"],
        ["identities: _emulated.email is the primary identity of schema 'Ident'",
         "list _emulated.email too with primary: false"],
    ])
    # the way forward the message gives works, in check mode and for real
    move = [{"name": "move", "aep.platform.schema": {
        "title": "Ident", "identities": [{"field": "_emulated.other", "namespace": "Email", "primary": True},
                                         {"field": "_emulated.email", "namespace": "Email", "primary": False}]}}]
    check = run_playbook(emulator, move, check=True)
    assert not check[0].failed and check[0].changed, check[0].get("msg")
    real = run_playbook(emulator, move)
    assert not real[0].failed and real[0].changed, real[0].get("msg")
    assert {i["field"]: i["primary"] for i in real[0]["identities"]} == {"_emulated.email": False,
                                                                         "_emulated.other": True}


def test_dataset_profile_needs_the_schema_enabled_first(emulator, fx):
    tasks = [task("dataset", name="Chatlio Test dataset", profile=True)]
    emulator.clear_log()
    check = run_playbook(emulator, tasks, check=True)
    # check mode fails as the real run does, before any write ...
    assert check[0].failed and check[0]["msg"].startswith("profile: schema 'Chatlio Test'"), check[0].get("msg")
    real = run_playbook(emulator, tasks)
    assert emulator.writes() == [], emulator.writes()
    assert real[0].failed and real[0]["msg"] == check[0]["msg"], real[0].get("msg")
    # ... unless an earlier check-mode task of the play predicted the schema's enablement (the role passes it)
    predicted = [task("dataset", name="Chatlio Test dataset", profile=True, schema_profile_predicted=True)]
    check = run_playbook(emulator, predicted, check=True)
    assert not check[0].failed, check[0].get("msg")
    assert any("is not enabled for Profile" in w and "schema_profile_predicted" in w
               for w in check[0].get("warnings", [])), check[0]
    assert emulator.writes() == [], emulator.writes()
    # the prediction means nothing to a real run
    real = run_playbook(emulator, predicted)
    assert real[0].failed and real[0]["msg"].startswith("profile: schema 'Chatlio Test'"), real[0].get("msg")
    assert emulator.writes() == [], emulator.writes()
    assert "Enable the schema first (aep.platform.schema profile: true" in real[0]["msg"]
    # the emulator refuses the direct attempt too (AEP requires the schema first)
    resp = emulator.api("PATCH", "/data/foundation/catalog/dataSets/%s" % fx["dataset_id"],
                        json={"tags": {"unifiedProfile": ["enabled:true"], "unifiedIdentity": ["enabled:true"]}})
    assert resp.status_code == 400 and "not enabled for Profile" in resp.json()["detail"], resp.text


def test_keep_oldest_reports_the_removed_duplicate(emulator, fx):
    body = {"name": "Chatlio Test dataset",
            "schemaRef": {"id": fx["schema_id"], "contentType": "application/vnd.adobe.xed+json;version=1"}}
    resp = emulator.api("POST", "/data/foundation/catalog/dataSets", json=body)
    assert resp.status_code == 201, resp.text
    newer = resp.json()[0].rsplit("/", 1)[-1]
    dataset = {"name": "Chatlio Test dataset", "schema_id": fx["schema_id"], "on_duplicates": "keep_oldest"}
    tasks = [{"name": "d", "aep.platform.dataset": dataset}]
    emulator.clear_log()
    check = run_playbook(emulator, tasks, check=True, diff=True)
    assert emulator.writes() == []
    real = run_playbook(emulator, tasks, diff=True)
    for result in (check[0], real[0]):
        assert not result.failed and result.changed, result
        assert [d["name"] for d in result.diff["before"]["duplicates"]] == ["Chatlio Test dataset"], result.diff
        assert result.diff["after"]["duplicates"] == [] and result["id"] == fx["dataset_id"]
    assert [(w["method"], w["path"].rsplit("/", 1)[-1]) for w in emulator.writes()] == [("DELETE", newer)]
    again = run_playbook(emulator, tasks, diff=True)
    assert not again[0].failed and not again[0].changed, again[0]
    assert json.dumps(again[0].diff["before"]) == json.dumps(again[0].diff["after"])
