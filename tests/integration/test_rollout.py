"""Rollout behaviour of the onboarding playbook: request budget per sandbox, the shared artifacts file under
concurrency, the operator's summary with the stock Ansible configuration, progress over batches.

The request budget (issue 7) is read from the emulator's request log. The CPU figures are not tested here
(no timed tests): ``benchmarks/bench_rollout.py`` prints them as ratios to Ansible's own floor.
"""
import json
import multiprocessing
import re
import subprocess
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

import harness
from harness import REPO, artifact_entries
from onboard_helpers import SANDBOXES, run_playbook, write_static_inventory

WRITES = ("POST", "PUT", "PATCH", "DELETE")
# the object kinds the role manages, by the path of their collection (POST target)
KINDS = {
    "field group": "/data/foundation/schemaregistry/tenant/fieldgroups",
    "schema": "/data/foundation/schemaregistry/tenant/schemas",
    "dataset": "/data/foundation/catalog/dataSets",
    "source connection": "/data/foundation/flowservice/sourceConnections",
    "target connection": "/data/foundation/flowservice/targetConnections",
    "mapping set": "/data/foundation/conversion/mappingSets",
    "flow": "/data/foundation/flowservice/flows",
}
GET_BUDGET = 8


def api_requests(emulator):
    return [r for r in emulator.client.request_log() if not r["path"].startswith("/ims/")]


def run_role_defaults(emulator, inventory, tmp_path):
    """A play of the role alone, its state and preset from the role's defaults (the playbooks set them as role vars,
    which the inventory cannot override), with a clean request log."""
    playbook = tmp_path / "role_defaults.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "aep_sandboxes", "gather_facts": False, "roles": ["aep.platform.streaming_source"]}]))
    emulator.clear_log()
    return run_playbook(str(playbook), inventory)


def onboard(inventory, tmp_path, *args, **kwargs):
    artifacts = tmp_path / "artifacts" / "inlet_urls.json"
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts, *args, **kwargs)
    assert run.rc == 0, run
    return run, artifacts


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator)


def test_fresh_onboarding_posts_each_object_once_per_sandbox(emulator, inventory, tmp_path):
    emulator.clear_log()
    onboard(inventory, tmp_path)
    log = api_requests(emulator)
    for sandbox in SANDBOXES:
        writes = [(r["method"], r["path"]) for r in log if r["sandbox"] == sandbox and r["method"] in WRITES]
        assert Counter(writes) == Counter(("POST", path) for path in KINDS.values()), writes
    assert not [r for r in log if r["sandbox"] not in SANDBOXES]


def test_converged_onboarding_sends_no_write(emulator, inventory, tmp_path):
    onboard(inventory, tmp_path)
    emulator.clear_log()
    rerun, dummy = onboard(inventory, tmp_path)
    assert all(rerun.stats[s]["changed"] == 0 for s in SANDBOXES)
    log = api_requests(emulator)
    assert [r for r in log if r["method"] in WRITES] == []
    tokens = [r for r in emulator.client.request_log() if r["path"].startswith("/ims/")]
    assert len(tokens) == 1, tokens  # one token for the play, not one per sandbox or task


def test_converged_onboarding_reads_at_most_8_objects_per_sandbox(emulator, inventory, tmp_path):
    onboard(inventory, tmp_path)
    emulator.clear_log()
    onboard(inventory, tmp_path)
    gets = Counter(r["sandbox"] for r in api_requests(emulator) if r["method"] == "GET")
    assert set(gets) == set(SANDBOXES)
    assert max(gets.values()) <= GET_BUDGET, gets


def test_concurrent_runs_on_other_sandboxes_keep_every_artifacts_entry(emulator, tmp_path):
    """Four ansible-playbook runs at once, one sandbox each, one shared artifacts file."""
    sandboxes = list(SANDBOXES) + ["rollout-extra"]
    emulator.hook("POST", "/sandboxes", json={"name": "rollout-extra", "title": "Extra", "type": "development"})
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes)
    artifacts = tmp_path / "shared" / "inlet_urls.json"

    def one(sandbox):
        return run_playbook("onboard_chatlio.yml", inventory, "-l", sandbox, "-e", "aep_artifacts_file=%s" % artifacts)

    with ThreadPoolExecutor(len(sandboxes)) as pool:
        runs = list(pool.map(one, sandboxes))
    for run in runs:
        assert run.rc == 0, run
    data = artifact_entries(artifacts)
    assert set(data) == set(sandboxes)
    assert len({entry["webhook_url"] for entry in data.values()}) == len(sandboxes)


def _merge(path, payload, action="merge"):
    """One update of the artifacts file in a process of its own (aep.platform.inlet_urls_file's logic), as separate
    runs on one controller make them: ``(changed, error)``."""
    from ansible_collections.aep.platform.plugins.plugin_utils.inlet_urls_file import ArtifactsFileError, update
    try:
        changed = update(str(path), entries=payload if action == "merge" else None, remove=payload if action == "remove" else None,
                         sandboxes=payload if action == "sandboxes" else None)[0]
    except ArtifactsFileError as err:
        return None, str(err)
    return changed, None


def test_artifacts_merge_is_locked_and_atomic(tmp_path):
    """40 concurrent merges of one entry each, from 20 processes, two dataflows in each of 20 sandboxes: every entry
    survives; no temporary file is left."""
    path = tmp_path / "a" / "inlet_urls.json"
    payloads = [{"sb-%02d" % (i // 2): {"flow %d" % (i % 2): {"webhook_url": "https://x/%d" % i}}} for i in range(40)]
    with ProcessPoolExecutor(20, mp_context=multiprocessing.get_context("fork")) as pool:
        results = list(pool.map(_merge, [path] * 40, payloads))
    assert results == [(True, None)] * 40, results
    data = json.loads(path.read_text())
    assert data == {"version": 2, "sandboxes": {"sb-%02d" % i: {"flow 0": {"webhook_url": "https://x/%d" % (2 * i)},
                                                                "flow 1": {"webhook_url": "https://x/%d" % (2 * i + 1)}}
                                                for i in range(20)}}
    assert sorted(p.name for p in path.parent.iterdir()) == ["inlet_urls.json", "inlet_urls.json.lock"]

    assert _merge(path, {"sb-01": {"flow 1": {"webhook_url": "https://x/3"}}}) == (False, None)
    assert _merge(path, {"sb-01": {"flow 1": {}}, "unknown": {"flow 0": {}}}, "remove") == (True, None)
    assert _merge(path, ["sb-02", "unknown"], "sandboxes") == (True, None)
    after = json.loads(path.read_text())["sandboxes"]
    assert set(after) == {"sb-%02d" % i for i in range(20)} - {"sb-02"} and after["sb-01"] == {"flow 0": {"webhook_url": "https://x/2"}}

    path.write_text("[1, 2]")
    changed, error = _merge(path, {"x": {"f": {}}})
    assert changed is None and "holds a JSON list, not an object {\"version\": 2" in error, error
    assert path.read_text() == "[1, 2]"


def _stock_run(inventory, *args):
    """ansible-playbook with no ansible.cfg of ours (the harness's empty one): default callback, no custom stats."""
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory),
           str(REPO / "playbooks" / "onboard_chatlio.yml")] + list(args)
    env = harness.ansible_env()
    for name in [n for n in env if n.startswith("AEP_")]:
        del env[name]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO), env=env, check=False, timeout=600)


def test_summary_and_progress_with_the_stock_configuration(emulator, inventory, tmp_path):
    artifacts = tmp_path / "inlet_urls.json"
    proc = _stock_run(inventory, "-e", "aep_artifacts_file=%s" % artifacts, "-e", "aep_batch_size=1")
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert "CUSTOM STATS" not in proc.stdout  # show_custom_stats is off by default: the summary must not rely on it
    data = artifact_entries(artifacts)
    for sandbox in SANDBOXES:
        line = re.search(r'"%s +changed +flow (\S+) +(\S+)"' % re.escape(sandbox), proc.stdout)
        assert line, proc.stdout[-4000:]
        assert line.groups() == (data[sandbox]["flow_id"], data[sandbox]["webhook_url"])
    # one batch per sandbox: progress after each
    for done in (1, 2, 3):
        assert "%d of 3 sandboxes done, %d left" % (done, 3 - done) in proc.stdout

    rerun = _stock_run(inventory, "-e", "aep_artifacts_file=%s" % artifacts)
    assert rerun.returncode == 0, rerun.stdout[-4000:]
    for sandbox in SANDBOXES:
        fields = (re.escape(sandbox), data[sandbox]["flow_id"], re.escape(data[sandbox]["webhook_url"]))
        pattern = r'"%s +unchanged +flow %s +%s"' % fields
        assert re.search(pattern, rerun.stdout)
    assert "3 of 3 sandboxes done, 0 left" in rerun.stdout


def test_summary_counts_a_failed_sandbox_apart_and_names_the_role_variable_for_duplicates(emulator, inventory, tmp_path):
    """A sandbox holding two hand-made field groups with the role's title fails; the progress lines count it as
    failed, not done (breaker report 4, findings 8 and 12), and its error names the role's variable."""
    for marker in ("a", "b"):
        harness._checked(emulator.api("POST", "/data/foundation/schemaregistry/tenant/fieldgroups", sandbox="dev",
                                      headers={"Accept": "application/json"}, json={
                                          "type": "object", "title": "Ansible Chatlio Fields", "description": "by hand",
                                          "meta:intendedToExtend": ["https://ns.adobe.com/xdm/context/experienceevent"],
                                          "definitions": {"custom": {"properties": {"_emulated": {
                                              "type": "object", "properties": {marker: {"title": marker, "type": "string"}}}}}},
                                          "allOf": [{"$ref": "#/definitions/custom"}]}), 201)
    artifacts = tmp_path / "inlet_urls.json"
    proc = _stock_run(inventory, "-e", "aep_artifacts_file=%s" % artifacts, "-e", "aep_batch_size=2")  # prod, dev | stage
    assert proc.returncode != 0, proc.stdout[-4000:]
    assert "2 field groups with title 'Ansible Chatlio Fields' exist in sandbox 'dev'" in proc.stdout, proc.stdout[-4000:]
    assert "streaming_source_on_duplicates=keep_oldest" in proc.stdout
    assert '"FAILED (see above): dev"' in proc.stdout
    assert "1 of 3 sandboxes done, 1 failed, 1 left" in proc.stdout, proc.stdout[-4000:]
    assert "2 of 3 sandboxes done, 1 failed, 0 left" in proc.stdout, proc.stdout[-4000:]
    assert "3 of 3 sandboxes done" not in proc.stdout
    assert set(artifact_entries(artifacts)) == {"prod", "stage"}


def test_hosts_with_other_inputs_than_the_play_stop_the_play_before_any_request(emulator, inventory, tmp_path):
    """The preset, names and connection are read once per play: a host that differs stops the whole play (one check
    for the play, run once), naming that host, before any request in any sandbox."""
    data = yaml.safe_load(inventory.read_text())
    data["aep_sandboxes"]["hosts"]["stage"]["streaming_source_prefix"] = "Other"  # not the first host
    data["aep_sandboxes"]["hosts"]["prod"]["aep_client_secret"] = "another-secret-value"  # a secret differs too
    inventory.write_text(yaml.safe_dump(data))
    emulator.clear_log()
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % (tmp_path / "a.json"))
    assert run.rc != 0
    failure = run.host_results("Stop when a sandbox's inputs differ from the play's (nothing was written)")
    assert len(failure) == 1, failure  # run once, for the play
    msg = next(iter(failure.values()))["msg"]
    assert msg.startswith("prod, stage: "), msg  # the hosts after the first (dev: safe_dump sorts the inventory)
    assert "dev" not in msg.split(":")[0]
    assert "run one play per state, preset, prefix or organization" in msg, msg
    assert "another-secret-value" not in run.stdout and "another-secret-value" not in msg
    assert run.host_results("Ensure the field group") == {}
    assert [r for r in api_requests(emulator) if "Specs" not in r["path"]] == []  # the spec reads only


def test_a_host_whose_state_differs_from_the_play_stops_the_play_before_any_request(emulator, inventory, tmp_path):
    """tasks/main.yml imports present.yml or absent.yml when the play is loaded: a streaming_source_state set per host
    (inventory) cannot choose the other file, so the play stops, naming that host, instead of provisioning it against
    its state; the first host's own state is checked against the loaded file as well."""
    for host in ("stage", "dev"):  # not the first host, then the first host (safe_dump sorts the inventory)
        data = yaml.safe_load(inventory.read_text())
        for name in data["aep_sandboxes"]["hosts"]:
            data["aep_sandboxes"]["hosts"][name].pop("streaming_source_state", None)
        data["aep_sandboxes"]["hosts"][host]["streaming_source_state"] = "absent"
        inventory.write_text(yaml.safe_dump(data))
        run = run_role_defaults(emulator, inventory, tmp_path)  # the state from the role's defaults
        assert run.rc != 0
        failure = run.host_results("Stop when a sandbox's inputs differ from the play's (nothing was written)")
        msg = next(iter(failure.values()))["msg"]
        assert host in msg.split(":")[0], msg
        assert "set streaming_source_state in the play, the role's vars or extra vars, not per host" in msg, msg
        assert [r for r in api_requests(emulator) if "Specs" not in r["path"]] == []  # the spec reads only


def test_on_duplicates_is_checked_by_the_role_before_any_request(emulator, inventory, tmp_path):
    emulator.clear_log()
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "streaming_source_on_duplicates=newest",
                       "-e", "aep_artifacts_file=%s" % (tmp_path / "a.json"))
    assert run.rc != 0
    failure = run.host_results("Check the role's inputs against its argument spec")  # once per play (tasks/prepare.yml)
    assert failure and all("streaming_source_on_duplicates" in r["msg"] and "keep_oldest" in r["msg"]
                           for r in failure.values()), failure
    assert api_requests(emulator) == []


def test_on_duplicates_keep_oldest_reaches_every_state_module(emulator, inventory, tmp_path):
    run = run_playbook("onboard_chatlio.yml", inventory, "-l", "dev", "-e", "streaming_source_on_duplicates=keep_oldest",
                       "-e", "aep_artifacts_file=%s" % (tmp_path / "a.json"))
    assert run.rc == 0, run
    for task in ("Ensure the field group", "Ensure the schema", "Ensure the dataset", "Ensure the source connection",
                 "Ensure the target connection", "Ensure the mapping set", "Ensure the dataflow"):
        assert run.host_results(task)["dev"]["invocation"]["module_args"]["on_duplicates"] == "keep_oldest", task


def test_a_play_without_base_connection_has_no_base_connection_task(emulator, inventory, tmp_path):
    """Chatlio declares no base connection (no source.base_connection): tasks/present.yml imports no base connection
    task at all when the play is loaded, so no sandbox runs (or skips) one."""
    run, dummy = onboard(inventory, tmp_path)
    assert run.host_results("Ensure the base connection") == {}
    assert set(run.host_results("Ensure the source connection")) == set(SANDBOXES)


BASE_CONNECTION_DIFFERS = "the play was loaded with a preset that does not declare a base connection, but this host's preset does"
MAPPINGS_DIFFER = "mappings: the play was loaded with a preset that has mappings, but this host's preset has none"


@pytest.mark.parametrize("preset, expected", [("http_api", [BASE_CONNECTION_DIFFERS]),
                                              ("http_api_authenticated", [BASE_CONNECTION_DIFFERS, MAPPINGS_DIFFER])])
def test_a_preset_set_per_host_that_needs_other_tasks_fails_before_any_write(emulator, inventory, tmp_path, preset, expected):
    """The base connection and mapping set tasks are chosen when the play is loaded, from the play's, role's and extra
    variables: an inventory preset that needs other ones (http_api declares a base connection; http_api_authenticated
    also has no mappings) than the play was loaded with (the role's default, chatlio: no base connection, mappings)
    stops the play before any write, naming each choice that does not fit and the fix."""
    data = yaml.safe_load(inventory.read_text())
    data["aep_sandboxes"].setdefault("vars", {})["streaming_source_preset"] = preset
    inventory.write_text(yaml.safe_dump(data))
    run = run_role_defaults(emulator, inventory, tmp_path)
    assert run.rc != 0
    failure = run.host_results("Stop on specs that do not fit together (nothing was written)")
    msg = next(iter(failure.values()))["msg"]
    assert all(text in msg for text in expected), msg
    assert msg.count("not per host") == len(expected) and (MAPPINGS_DIFFER in msg) == (MAPPINGS_DIFFER in expected)
    assert [r for r in api_requests(emulator) if r["method"] in WRITES] == []


def test_a_play_without_mappings_has_no_mapping_set_task(emulator, inventory, tmp_path):
    """http_api_authenticated has no mappings (XDM payloads): no mapping set task at all, and the dataflow has none."""
    run = run_playbook("onboard_chatlio.yml", inventory, "-l", "dev", "-e", "aep_artifacts_file=%s" % (tmp_path / "a.json"),
                       "-e", "streaming_source_preset=http_api_authenticated")
    assert run.rc == 0, run
    assert run.host_results("Ensure the mapping set") == {}
    flow = run.host_results("Ensure the dataflow")["dev"]
    assert flow["changed"] and not flow["invocation"]["module_args"].get("mapping_id"), flow


def test_a_preset_file_named_from_inventory_falls_back_to_a_per_sandbox_base_connection_task(emulator, inventory, tmp_path):
    """A preset file whose path comes from inventory variables cannot be read when the play is loaded: the role
    imports the fallback base connection task, which each sandbox runs because the HTTP API spec needs one."""
    data = yaml.safe_load(inventory.read_text())
    data["aep_sandboxes"]["vars"]["preset_dir"] = str(REPO / "roles" / "streaming_source" / "vars" / "presets")
    inventory.write_text(yaml.safe_dump(data))
    playbook = tmp_path / "preset_from_inventory.yml"
    playbook.write_text(yaml.safe_dump([{"hosts": "aep_sandboxes", "gather_facts": False,
                                         "vars": {"streaming_source_preset_file": "{{ preset_dir }}/http_api.yml",
                                                  "streaming_source_artifacts_file": str(tmp_path / "a.json")},
                                         "roles": ["aep.platform.streaming_source"]}]))
    emulator.clear_log()
    run = run_playbook(str(playbook), inventory)
    assert run.rc == 0, run
    bases = run.host_results("Ensure the base connection")
    assert set(bases) == set(SANDBOXES) and all(r.get("id") and not r.get("skipped") for r in bases.values()), bases
    posts = Counter(r["sandbox"] for r in api_requests(emulator) if r["method"] == "POST" and r["path"].endswith("/connections"))
    assert posts == Counter({s: 1 for s in SANDBOXES}), posts


@pytest.mark.parametrize("check_mode", [True, False], ids=["check", "real"])
@pytest.mark.parametrize("where", ["proc", "directory", "not_json", "parent_is_file"])
def test_an_artifacts_file_the_role_cannot_write_fails_before_any_request(emulator, inventory, tmp_path, where, check_mode):
    """The artifacts file is written after every object was made, and never in check mode: a path the role cannot
    write is refused once per play before the first request, in check mode and real runs alike (breaker report, 9)."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    (tmp_path / "not-json.json").write_text("[1, 2]")
    path = {"proc": "/proc/aep-artifacts.json", "directory": str(tmp_path),
            "not_json": str(tmp_path / "not-json.json"), "parent_is_file": str(blocker / "sub" / "inlet_urls.json")}[where]
    emulator.clear_log()
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % path, *(["--check"] if check_mode else []))
    assert run.rc != 0
    failure = run.host_results("Stop on invalid inputs (nothing was sent to AEP)")
    msg = next(iter(failure.values()))["msg"]
    assert msg.startswith("artifacts file %s" % path) and "aep_artifacts_file" in msg, msg
    assert api_requests(emulator) == []
    assert blocker.read_text() == "x" and (tmp_path / "not-json.json").read_text() == "[1, 2]"
    assert not list(tmp_path.rglob(".aep-artifacts-probe-*"))
