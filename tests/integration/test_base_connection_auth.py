"""Base connection auth against the emulator (breaker report items 2, 7 and 8).

* a change of a non-secret auth param (authenticationRequired, dataType) is compared, shown in the diff and applied
  with the documented PATCH; a rerun converges; through the role too;
* results show non-secret values as they are (a name holding "raw" is not masked) and never a credential, in check
  and real runs, with -vvvv output;
* flow and flow_info return the inlet and webhook URL of an HTTP API flow (its base connection's inlet).
"""
import json

import pytest
import requests

from harness import artifact_entries, flow_object, run_playbook
from onboard_helpers import run_playbook as run_repo_playbook
from onboard_helpers import write_static_inventory

HTTP_SPEC = "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb"
PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
XDM_FLOW_SPEC = "d8a6f005-7eaf-4153-983e-e8574508b877"
SECRET = "bc-auth-S3CRET-token-9876"
NAME = "BC test raw feed"


def base_task(name=NAME, data_type="raw", required=False, credentials=None, **args):
    auth = {"spec_name": "Streaming Connection", "params": {"dataType": data_type, "authenticationRequired": required}}
    if credentials:
        auth["credentials"] = credentials
    body = {"name": name, "connection_spec_id": HTTP_SPEC, "auth": auth}
    body.update(args)
    return {"name": "base", "aep.platform.base_connection": body, "register": "bc"}


def one(emulator, task, **kwargs):
    run = run_playbook(emulator, [task], **kwargs)
    assert len(run) == 1, run.stdout + run.stderr
    return run[0]


@pytest.mark.parametrize("param, option, first, second", [
    ("authenticationRequired", "required", False, True),
    ("dataType", "data_type", "raw", "xdm"),
])
def test_non_secret_auth_param_change_is_applied_and_converges(emulator, param, option, first, second):
    name = "BC change %s" % param
    created = one(emulator, base_task(name, **{option: first}))
    assert created.changed and not created.failed, created
    bid = created["id"]
    inlet = created["inlet_url"]

    emulator.clear_log()
    preview = one(emulator, base_task(name, **{option: second}), check=True, diff=True)
    assert preview.changed and emulator.writes() == []
    assert preview.diff["before"]["auth"]["params"][param] == first
    assert preview.diff["after"]["auth"]["params"][param] == second

    emulator.clear_log()
    updated = one(emulator, base_task(name, **{option: second}), diff=True)
    assert updated.changed and not updated.failed, updated
    assert [w["method"] for w in emulator.writes()] == ["PATCH"]
    assert updated["base_connection"]["auth"]["params"][param] == second
    assert updated["authentication_required"] is (second if param == "authenticationRequired" else False)
    stored = flow_object(emulator, "/connections", bid)["auth"]["params"]
    assert stored[param] == second and stored["inletUrl"] == inlet and updated["inlet_url"] == inlet

    emulator.clear_log()
    again = one(emulator, base_task(name, **{option: second}))
    assert not again.changed and emulator.writes() == []


def test_non_secret_values_are_shown_as_they_are(emulator):
    res = one(emulator, base_task(credentials={"token": SECRET}), diff=True)
    assert res.changed and not res.failed, res
    bc = res["base_connection"]
    assert bc["name"] == NAME
    assert bc["auth"]["specName"] == "Streaming Connection"
    assert bc["auth"]["params"]["dataType"] == "raw" and bc["auth"]["params"]["sourceId"] == NAME
    assert bc["auth"]["params"]["token"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert res.diff["after"]["auth"] == {"spec_name": "Streaming Connection", "credentials": "set",
                                         "params": {"dataType": "raw", "authenticationRequired": False}}
    assert SECRET not in json.dumps(res)


@pytest.mark.parametrize("check", [True, False])
def test_no_credential_in_verbose_output(emulator, check):
    tasks = [base_task("BC verbose %s" % check, credentials={"token": SECRET}),
             dict(base_task("BC verbose %s" % check, required=True, credentials={"token": SECRET}), name="change"),
             dict(base_task("BC verbose %s" % check, credentials={"token": SECRET}, update_auth="always"), name="rotate"),
             {"name": "info", "aep.platform.base_connection_info": {"name": "BC verbose %s" % check}}]
    run = run_playbook(emulator, tasks, check=check, diff=True, verbosity=4)
    out = run.stdout + run.stderr
    assert run.rc == 0, out[-3000:]
    assert SECRET not in out
    assert "BC verbose %s" % check in out and "Streaming Connection" in out  # not masked as a no_log value
    # a failing run (a secret given in auth.params, refused before any request) names the fix, never the value
    emulator.clear_log()
    bad = base_task("BC verbose bad %s" % check)
    bad["aep.platform.base_connection"]["auth"]["params"]["password"] = "x"
    failed = one(emulator, bad, check=check)
    assert failed.failed and "auth.params.password" in failed["msg"] and "auth.credentials" in failed["msg"]
    assert emulator.writes() == []


def test_flow_and_flow_info_return_the_http_api_inlet(emulator):
    tasks = [
        {"name": "schema fg", "aep.platform.field_group": {"title": "BC inlet fields", "fields": [{"name": "m.message"}]},
         "register": "fg"},
        {"name": "schema", "aep.platform.schema": {"title": "BC inlet schema", "field_groups": ["{{ fg.id }}"]}, "register": "sc"},
        {"name": "dataset", "aep.platform.dataset": {"name": "BC inlet dataset", "schema_id": "{{ sc.id }}"}, "register": "ds"},
        dict(base_task("BC inlet base", data_type="xdm")),
        {"name": "source", "aep.platform.source_connection": {
            "name": "BC inlet source", "connection_spec_id": HTTP_SPEC, "provider_id": PROVIDER,
            "base_connection_id": "{{ bc.id }}"}, "register": "src"},
        {"name": "target", "aep.platform.target_connection": {"name": "BC inlet target", "dataset_id": "{{ ds.id }}",
                                                              "schema_id": "{{ sc.id }}"}, "register": "tgt"},
        {"name": "flow", "aep.platform.flow": {"name": "BC inlet flow", "flow_spec_id": XDM_FLOW_SPEC,
                                               "source_connection_ids": ["{{ src.id }}"],
                                               "target_connection_ids": ["{{ tgt.id }}"]}, "register": "fl"},
        {"name": "info", "aep.platform.flow_info": {"name": "BC inlet flow"}},
    ]
    first = run_playbook(emulator, tasks)
    assert all(not r.failed for r in first.results), first.results
    base, flow, info = first[3], first[6], first[7]
    inlet = base["inlet_url"]
    assert inlet and flow["inlet_url"] == inlet and info["inlet_url"] == inlet
    webhook = inlet + "?x-adobe-flow-id=" + flow["id"]
    assert flow["webhook_url"] == webhook and info["webhook_url"] == webhook and info["flows"][0]["webhook_url"] == webhook
    # converged: the same URLs, one more GET (the base connection) for the flow and flow_info tasks
    emulator.clear_log()
    again = run_playbook(emulator, tasks)
    assert not any(r.changed or r.failed for r in again.results), again.results
    assert again[6]["webhook_url"] == webhook and again[7]["webhook_url"] == webhook
    reads = [r["path"] for r in emulator.client.request_log() if r["method"] == "GET" and "/ims/" not in r["path"]]
    assert reads.count("/data/foundation/flowservice/connections/" + base["id"]) == 2, reads
    # check mode on the existing flow reads the same URL
    preview = run_playbook(emulator, tasks, check=True)
    assert preview[6]["webhook_url"] == webhook and preview[7]["webhook_url"] == webhook


def test_role_rerun_with_authentication_required_changes_the_inlet(emulator, tmp_path):
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=("stage",))
    artifacts = tmp_path / "urls.json"
    args = ["-e", "streaming_source_preset=http_api", "-e", "aep_artifacts_file=%s" % artifacts]
    first = run_repo_playbook("onboard_chatlio.yml", inventory, *args)
    assert first.rc == 0, first
    result = first.host_results("Publish each sandbox's result as a host fact")["stage"]["results"][0]
    assert result["ansible_facts"]["streaming_source_result"]["authentication_required"] is False

    overrides = json.dumps({"streaming_source_preset_overrides": {"source": {"base_connection": {
        "authentication_required": True}}}})
    emulator.clear_log()
    changed = run_repo_playbook("onboard_chatlio.yml", inventory, *(args + ["-e", overrides]))
    assert changed.rc == 0, changed
    assert changed.stats["stage"]["changed"] == 1, changed.changed_tasks("stage")
    assert [w["method"] + " " + w["path"].rsplit("/", 2)[-2] for w in emulator.writes()] == ["PATCH connections"]
    result = changed.host_results("Publish each sandbox's result as a host fact")["stage"]["results"][0]
    facts = result["ansible_facts"]["streaming_source_result"]
    assert facts["authentication_required"] is True
    # the inlet now refuses posts without a token
    url = artifact_entries(artifacts)["stage"]["webhook_url"]
    assert requests.post(url, json={"a": 1}, timeout=10).status_code == 401

    emulator.clear_log()
    again = run_repo_playbook("onboard_chatlio.yml", inventory, *(args + ["-e", overrides]))
    assert again.rc == 0, again
    assert again.stats["stage"]["changed"] == 0, again.changed_tasks("stage")
    assert emulator.writes() == []


@pytest.mark.parametrize("in_process", ["1", "0"], ids=["in_process", "forked"])
def test_a_secret_given_in_auth_params_never_shows_in_verbose_output(emulator, in_process):
    """auth.params is shown (not no_log); a credential given there by mistake is refused before any request, and its
    value is masked in the result and the task's invocation as a no_log value would be (ModuleDefinition
    secret_values), in-process and forked, with -vvvv."""
    secret = "kept-out-of-output-%s" % in_process
    bad = base_task("BC secret in params %s" % in_process)
    bad["aep.platform.base_connection"]["auth"]["params"]["password"] = secret
    bad["aep.platform.base_connection"]["auth"]["params"]["apiKey"] = secret + "-key"
    emulator.clear_log()
    run = run_playbook(emulator, [bad], verbosity=4, extra_env={"AEP_IN_PROCESS": in_process})
    out = run.stdout + run.stderr
    assert run.rc != 0
    assert "auth.params" in out and "auth.credentials" in out, out[-3000:]
    assert secret not in out, [line for line in out.splitlines() if secret in line]
    assert emulator.writes() == []
