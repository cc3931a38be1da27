"""An empty or whitespace-only connection option fails the task before any request (breaker report item 6:
``sandbox: ""`` in module_defaults created a field group in prod), in process and forked alike, from a task
argument, module_defaults or an ``AEP_*`` environment variable."""
import pytest

from harness import run_playbook

OPTIONS = ["sandbox", "org_id", "client_id", "client_secret", "platform_url", "ims_url"]


def tasks_for(blank):
    tasks = []
    for name in OPTIONS:
        tasks.append({"name": "write " + name, "aep.platform.field_group": {
            "title": "where am I", "fields": [{"name": "note", "type": "string"}], name: blank}, "ignore_errors": True})
        tasks.append({"name": "read " + name, "aep.platform.field_group_info": {name: blank}, "ignore_errors": True})
    tasks.append({"name": "token", "aep.platform.token": {"sandbox": blank}, "ignore_errors": True})
    return tasks


@pytest.mark.parametrize("in_process", ["1", "0"])
def test_blank_task_options_fail_before_any_request(emulator, in_process):
    emulator.clear_log()
    run = run_playbook(emulator, tasks_for("") + tasks_for("  "), extra_env={"AEP_IN_PROCESS": in_process})
    assert len(run.results) == 2 * (2 * len(OPTIONS) + 1)
    expected = [n for n in OPTIONS for dummy in (1, 2)] + ["sandbox"]
    for name, result in zip(expected * 2, run.results):
        assert result.failed, (name, result)
        assert result["msg"].startswith("%s: empty value" % name), (name, result.get("msg"))
        assert result.get("field") == name
        assert "template" in result["msg"]
    assert emulator.client.request_log() == []


@pytest.mark.parametrize("in_process", ["1", "0"])
def test_a_blank_sandbox_in_module_defaults_or_the_environment_writes_nowhere(emulator, in_process):
    emulator.clear_log()
    task = {"aep.platform.field_group": {"title": "where am I", "fields": [{"name": "note", "type": "string"}]},
            "ignore_errors": True}
    play_defaults = dict(task, module_defaults={"group/aep.platform.aep": {"sandbox": ""}})
    run = run_playbook(emulator, [play_defaults], extra_env={"AEP_IN_PROCESS": in_process})
    env_run = run_playbook(emulator, [task], extra_env={"AEP_IN_PROCESS": in_process, "AEP_SANDBOX": " "})
    for result in (run[0], env_run[0]):
        assert result.failed and result["msg"].startswith("sandbox: empty value"), result.get("msg")
        assert "AEP_SANDBOX" in result["msg"]
    assert emulator.client.request_log() == []
    assert emulator.api("GET", "/data/foundation/schemaregistry/tenant/fieldgroups?property=title==where%20am%20I",
                        headers={"Accept": "application/vnd.adobe.xed-id+json"}).json()["results"] == []
