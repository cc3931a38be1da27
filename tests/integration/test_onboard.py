"""End-to-end tests of the Chatlio onboarding: role, playbooks, inventories, inventory plugin, scripts/onboard.py.

Every test runs the repository's playbooks with ansible-playbook against the emulator fixture, through a
temporary inventory whose variables point at the fixture's URL.
"""
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from harness import CHATLIO_FLOW, CLIENT_ID, CLIENT_SECRET, ORG, REPO, artifact_entries
from onboard_helpers import (SANDBOXES, ansible_env, flows_named, post_event, run_playbook,
                             write_dynamic_inventory, write_static_inventory)

FLOW = "Ansible Chatlio Streaming Dataflow"
DATASET = "Ansible Chatlio Dataset"
TENANT = "_emulated"
SAMPLE = {"visitor": {"email": "test@example.com", "UUID": "2d3f4260-2235-903b-0a82-a23d326cc257"},
          "message": "Hi", "channelId": "C04J7M7LCMQ", "slackChannelName": "aep", "slackChannelId": "C04JVR71WKS"}
TIMINGS = REPO / "tests" / "output" / "onboard_timings.json"


def record_timing(name, run, **extra):
    TIMINGS.parent.mkdir(parents=True, exist_ok=True)
    try:
        data = json.loads(TIMINGS.read_text())
    except (OSError, ValueError):
        data = {}
    data[name] = dict(wall_s=round(run.wall, 2), cpu_s=round(run.cpu, 2), **extra)
    TIMINGS.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    print("%s: wall %.1fs, cpu %.1fs %s" % (name, run.wall, run.cpu, extra or ""))


def onboard(inventory, tmp_path, *args, **kwargs):
    artifacts = tmp_path / "artifacts" / "inlet_urls.json"
    run = run_playbook("onboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts, *args, **kwargs)
    return run, artifacts


def assert_ok(run):
    assert run.rc == 0, run
    assert run.data is not None, run


def snapshot(emulator, sandbox):
    """Ids of every flow, connection, dataset, schema and field group in a sandbox."""
    found = set()
    for kind in ("flows", "sourceConnections", "targetConnections"):
        resp = emulator.api("GET", "/data/foundation/flowservice/" + kind, sandbox=sandbox)
        resp.raise_for_status()
        found |= {(kind, item["id"], item.get("name")) for item in resp.json().get("items", [])}
    resp = emulator.api("GET", "/data/foundation/catalog/dataSets", sandbox=sandbox, params={"limit": 100})
    if resp.status_code != 404:
        resp.raise_for_status()
        found |= {("dataSets", key, value.get("name")) for key, value in (resp.json() or {}).items()}
    for kind in ("schemas", "fieldgroups"):
        resp = emulator.api("GET", "/data/foundation/schemaregistry/tenant/" + kind, sandbox=sandbox,
                            headers={"Accept": "application/vnd.adobe.xed-id+json"})
        resp.raise_for_status()
        found |= {(kind, item["$id"], item.get("title")) for item in resp.json().get("results", [])}
    return found


@pytest.fixture
def inventory(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator)


def test_onboard_three_sandboxes_then_rerun_is_unchanged(emulator, inventory, tmp_path):
    run, artifacts = onboard(inventory, tmp_path)
    assert_ok(run)
    record_timing("onboard_3_sandboxes", run)
    for sandbox in SANDBOXES:
        assert run.stats[sandbox]["failures"] == 0
        assert run.stats[sandbox]["changed"] > 0
        assert len(flows_named(emulator, sandbox, FLOW)) == 1

    # artifacts file: one distinct webhook URL per sandbox, consistent with flow and dataset
    data = artifact_entries(artifacts)
    assert set(data) == set(SANDBOXES)
    hooks = [data[s]["webhook_url"] for s in SANDBOXES]
    assert len(set(hooks)) == 3 and len({data[s]["inlet_url"] for s in SANDBOXES}) == 3
    for sandbox in SANDBOXES:
        entry = data[sandbox]
        assert entry["webhook_url"].startswith(entry["inlet_url"])
        assert parse_qs(urlsplit(entry["webhook_url"]).query)["x-adobe-flow-id"] == [entry["flow_id"]]
        assert flows_named(emulator, sandbox, FLOW)[0]["id"] == entry["flow_id"]
        assert entry["dataset_id"]

    # host facts and the set_stats summary
    # one run_once task sets every sandbox's facts (delegate_facts, cacheable for AWX fact storage)
    items = [item for result in run.host_results("Publish each sandbox's result as a host fact").values()
             for item in result["results"]]
    facts = {item["item"]: item["ansible_facts"] for item in items}
    assert set(facts) == set(SANDBOXES)
    for sandbox in SANDBOXES:
        assert facts[sandbox]["aep_webhook_url"] == data[sandbox]["webhook_url"]
        assert facts[sandbox]["aep_inlet_url"] == data[sandbox]["inlet_url"]
    # sandbox -> dataflow name -> entry, as in the artifacts file
    summary = run.custom_stats["_run"]["aep_onboarding"]
    assert {s: list(summary[s]) for s in SANDBOXES} == {s: [CHATLIO_FLOW] for s in SANDBOXES}, summary
    assert {s: summary[s][CHATLIO_FLOW]["webhook_url"] for s in SANDBOXES} == {s: data[s]["webhook_url"] for s in SANDBOXES}
    assert {summary[s][CHATLIO_FLOW]["state"] for s in SANDBOXES} == {"changed"}
    assert {data[s]["preset"] for s in SANDBOXES} == {summary[s][CHATLIO_FLOW]["preset"] for s in SANDBOXES} == {"chatlio"}

    # rerun: nothing changes, nothing is written
    emulator.clear_log()
    rerun, dummy = onboard(inventory, tmp_path)
    assert_ok(rerun)
    record_timing("rerun_3_sandboxes", rerun)
    for sandbox in SANDBOXES:
        assert rerun.stats[sandbox]["changed"] == 0, rerun.changed_tasks(sandbox)
    assert emulator.writes() == []
    assert artifact_entries(artifacts) == data


def test_sample_event_lands_once_in_its_own_sandbox(emulator, inventory, tmp_path):
    run, artifacts = onboard(inventory, tmp_path)
    assert_ok(run)
    data = artifact_entries(artifacts)
    markers = {}
    for sandbox in SANDBOXES:
        event = json.loads(json.dumps(SAMPLE))
        event["visitor"]["UUID"] = markers[sandbox] = "marker-%s" % sandbox
        post_event(data[sandbox]["webhook_url"], event)
    for sandbox in SANDBOXES:
        records = emulator.records(data[sandbox]["dataset_id"], sandbox)
        assert len(records) == 1, records
        record = records[0]
        assert record[TENANT] == {
            "UUID": markers[sandbox], "chatlio_email": "test@example.com", "message": "Hi",
            "channel_ID": "C04J7M7LCMQ", "slackchannel_name": "aep", "slackchannel_ID": "C04JVR71WKS"}
        assert record.get("_id") and record.get("timestamp")
        # no other sandbox's dataset saw this sandbox's event
        for other in SANDBOXES:
            if other != sandbox:
                assert emulator.records(data[sandbox]["dataset_id"], other) == []

    # the smoke playbook does the same through Ansible
    smoke = run_playbook("smoke_chatlio.yml", inventory)
    assert_ok(smoke)
    for sandbox in SANDBOXES:
        assert smoke.stats[sandbox]["failures"] == 0
        assert len(emulator.records(data[sandbox]["dataset_id"], sandbox)) == 2
    results = smoke.custom_stats["_run"]["aep_smoke"]
    assert {results[s]["verified_by"] for s in SANDBOXES} == {"emulator dataset records"}

    # the real-AEP branch (wait for a flow run), forced against the emulator, which also reports runs
    runs = run_playbook("smoke_chatlio.yml", inventory, "-l", "dev", "-e", '{"streaming_source_emulator_is_running": false}')
    assert_ok(runs)
    assert runs.custom_stats["_run"]["aep_smoke"]["dev"]["verified_by"] == "flow runs"


def test_check_diff_on_empty_emulator_predicts_creation_and_writes_nothing(emulator, inventory, tmp_path):
    emulator.clear_log()
    run, artifacts = onboard(inventory, tmp_path, "--check", "--diff")
    assert_ok(run)
    expected = {"Ensure the field group", "Ensure the schema", "Ensure the dataset", "Ensure the source connection",
                "Ensure the target connection", "Ensure the mapping set", "Ensure the dataflow"}
    for sandbox in SANDBOXES:
        assert expected <= set(run.changed_tasks(sandbox)), run.changed_tasks(sandbox)
        diffed = {name for name, diff in run.diffs(sandbox)}
        assert expected <= diffed, diffed
    assert emulator.writes() == []
    assert not artifacts.exists()
    for sandbox in SANDBOXES:
        assert flows_named(emulator, sandbox, FLOW) == []


def test_offboard_removes_exactly_what_onboarding_made(emulator, inventory, tmp_path):
    # objects made by others: a whole dataflow under another prefix, plus loose objects made through the API
    other, dummy = onboard(inventory, tmp_path / "other", "-e", "streaming_source_prefix=Other")
    assert_ok(other)
    for sandbox in SANDBOXES:
        resp = emulator.api("POST", "/data/foundation/flowservice/sourceConnections", sandbox=sandbox, json={
            "name": "Hand-made source connection", "providerId": "521eee4d-8cbe-4906-bb48-fb6bd4450033",
            "connectionSpec": {"id": "073127a3-26e3-496c-9d94-9f48fb93fba8", "version": "1.0"},
            "data": {"format": "json"}})
        assert resp.status_code == 201, resp.text
    before = {s: snapshot(emulator, s) for s in SANDBOXES}
    assert all(len(before[s]) >= 7 for s in SANDBOXES)

    run, artifacts = onboard(inventory, tmp_path)
    assert_ok(run)
    assert set(artifact_entries(artifacts)) == set(SANDBOXES)

    off = run_playbook("offboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts)
    assert_ok(off)
    for sandbox in SANDBOXES:
        assert off.stats[sandbox]["changed"] > 0
        assert snapshot(emulator, sandbox) == before[sandbox]
        assert flows_named(emulator, sandbox, FLOW) == []
        assert len(flows_named(emulator, sandbox, "Other Chatlio Streaming Dataflow")) == 1
    assert artifact_entries(artifacts) == {}

    emulator.clear_log()
    again = run_playbook("offboard_chatlio.yml", inventory, "-e", "aep_artifacts_file=%s" % artifacts)
    assert_ok(again)
    for sandbox in SANDBOXES:
        assert again.stats[sandbox]["changed"] == 0, again.changed_tasks(sandbox)
    assert emulator.writes() == []

    back, artifacts = onboard(inventory, tmp_path)
    assert_ok(back)
    data = artifact_entries(artifacts)
    assert set(data) == set(SANDBOXES)
    for sandbox in SANDBOXES:
        assert back.stats[sandbox]["changed"] > 0
        assert len(flows_named(emulator, sandbox, FLOW)) == 1
        post_event(data[sandbox]["webhook_url"], SAMPLE)
        assert len(emulator.records(data[sandbox]["dataset_id"], sandbox)) == 1


def _inventory_hosts(config):
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-inventory"), "-i", str(config), "--list"],
                          capture_output=True, text=True, cwd=str(REPO), env=ansible_env(False), check=False,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)

    def plain(value):
        return value.get("__ansible_unsafe", value) if isinstance(value, dict) else value

    hostvars = {host: {k: plain(v) for k, v in hv.items()} for host, hv in data["_meta"]["hostvars"].items()}
    return hostvars, data


def test_dynamic_inventory_lists_the_sandboxes_with_filters(emulator, tmp_path):
    hosts, data = _inventory_hosts(write_dynamic_inventory(tmp_path / "all", emulator, keyed_groups=[
        {"key": "aep_sandbox_type", "prefix": "aep"}]))
    assert set(hosts) == {"prod", "dev", "stage"}
    assert hosts["dev"]["aep_sandbox"] == "dev"
    assert hosts["dev"]["aep_sandbox_type"] == "development"
    assert hosts["prod"]["aep_sandbox_type"] == "production"
    assert hosts["prod"]["aep_sandbox_title"]
    assert hosts["stage"]["ansible_connection"] == "local"
    assert set(data["aep_sandboxes"]["hosts"]) == {"prod", "dev", "stage"}
    assert set(data["aep_development"]["hosts"]) == {"dev", "stage"}
    assert set(data["aep_production"]["hosts"]) == {"prod"}

    hosts, dummy = _inventory_hosts(write_dynamic_inventory(tmp_path / "dev", emulator, types=["development"]))
    assert set(hosts) == {"dev", "stage"}
    hosts, dummy = _inventory_hosts(write_dynamic_inventory(tmp_path / "pat", emulator, name_pattern="^(st|pr)"))
    assert set(hosts) == {"stage", "prod"}
    hosts, dummy = _inventory_hosts(write_dynamic_inventory(tmp_path / "exc", emulator, exclude=["stage"],
                                                            types=["development"]))
    assert set(hosts) == {"dev"}
    hosts, dummy = _inventory_hosts(write_dynamic_inventory(tmp_path / "st", emulator, states=["creating"],
                                                            allow_empty=True))
    assert hosts == {}


def test_rollout_to_20_sandboxes_with_the_dynamic_inventory(emulator, tmp_path):
    added = ["rollout-%02d" % i for i in range(1, 18)]
    for name in added:
        emulator.hook("POST", "/sandboxes", json={"name": name, "title": name.title(), "type": "development"})
    config = write_dynamic_inventory(tmp_path / "dyn", emulator)
    hosts, dummy = _inventory_hosts(config)
    assert len(hosts) == 20
    run, artifacts = onboard(config, tmp_path, "-f", "20")
    assert_ok(run)
    record_timing("onboard_20_sandboxes", run, hosts=len(hosts))
    data = artifact_entries(artifacts)
    assert set(data) == set(hosts)
    assert len({entry["inlet_url"] for entry in data.values()}) == 20
    assert len({entry["webhook_url"] for entry in data.values()}) == 20
    for sandbox in ("prod", "rollout-17"):
        post_event(data[sandbox]["webhook_url"], SAMPLE)
        assert len(emulator.records(data[sandbox]["dataset_id"], sandbox)) == 1

    emulator.clear_log()
    rerun, dummy = onboard(config, tmp_path, "-f", "20")
    assert_ok(rerun)
    record_timing("rerun_20_sandboxes", rerun, hosts=len(hosts))
    assert all(rerun.stats[h]["changed"] == 0 for h in hosts)
    assert emulator.writes() == []


def test_no_secret_or_token_in_verbose_output(emulator, inventory, tmp_path):
    run, artifacts = onboard(inventory, tmp_path, "-vvvv", json_output=False)
    assert run.rc == 0, run
    smoke = run_playbook("smoke_chatlio.yml", inventory, "-vvvv", json_output=False)
    assert smoke.rc == 0, smoke
    texts = {"onboard stdout": run.stdout, "onboard stderr": run.stderr, "smoke stdout": smoke.stdout,
             "smoke stderr": smoke.stderr, "artifacts": artifacts.read_text()}
    for where, text in texts.items():
        assert "aep-emulator-secret" not in text, where
        assert "emu-at-" not in text, where
    assert "Ensure the dataflow" in run.stdout  # the output is really the verbose run


def test_connection_from_module_defaults(emulator, tmp_path):
    """No aep_* variables at all: the connection comes from module_defaults for group/aep.platform.aep."""
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(yaml.safe_dump({"aep_sandboxes": {"hosts": {"stage": {"aep_sandbox": "stage"}}, "vars": {
        "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}))
    playbook = tmp_path / "onboard_module_defaults.yml"
    playbook.write_text(yaml.safe_dump([{
        "name": "Onboard with module_defaults", "hosts": "aep_sandboxes", "gather_facts": False,
        "module_defaults": {"group/aep.platform.aep": {
            "platform_url": emulator.url, "ims_url": emulator.url, "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET, "org_id": ORG}},
        "tasks": [{"name": "Provision", "ansible.builtin.include_role": {"name": "aep.platform.streaming_source"}}],
    }], sort_keys=False))
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), str(playbook)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO), env=ansible_env(), check=False,
                          timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:]
    assert len(flows_named(emulator, "stage", FLOW)) == 1
    assert flows_named(emulator, "prod", FLOW) == []


def test_customerio_preset_is_data_only(emulator, inventory, tmp_path):
    playbook = tmp_path / "onboard_customerio.yml"
    playbook.write_text("""
- name: Onboard Customer.io
  hosts: aep_sandboxes
  gather_facts: false
  tasks:
    - name: Provision
      ansible.builtin.include_role:
        name: aep.platform.streaming_source
      vars:
        streaming_source_preset: customerio
""")
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory), "-l", "dev", str(playbook)]
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=str(REPO), env=ansible_env(), check=False, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:]
    flows = flows_named(emulator, "dev", "Ansible Customer.io Streaming Dataflow")
    assert len(flows) == 1
    assert flows[0]["inheritedAttributes"]["sourceConnections"][0]["connectionSpec"]["id"] == \
        "96479064-7b8a-4d69-b9ed-21c5683837ea"


def test_make_onboard_script_starts_reuses_and_stops_the_emulator(tmp_path):
    """scripts/onboard.py: no credentials -> background emulator with state on disk, reused by a rerun."""
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = ansible_env(False, {"AEP_EMULATOR_PORT": str(port), "AEP_EMULATOR_DIR": str(tmp_path / "emu"),
                              "AEP_ARTIFACTS_FILE": str(tmp_path / "inlet_urls.json")})
    script = [sys.executable, str(REPO / "scripts" / "onboard.py")]
    try:
        first = subprocess.run(script + ["onboard"], capture_output=True, text=True, env=env, check=False, timeout=600)
        assert first.returncode == 0, first.stdout[-4000:] + first.stderr
        assert "started the emulator at http://127.0.0.1:%d" % port in first.stdout
        for sandbox in SANDBOXES:
            assert "  %s" % sandbox in first.stdout
        pid = int((tmp_path / "emu" / "emulator.pid").read_text())
        data = artifact_entries(tmp_path / "inlet_urls.json")
        assert set(data) == set(SANDBOXES)
        for entry in data.values():
            assert entry["webhook_url"] in first.stdout

        second = subprocess.run(script + ["onboard"], capture_output=True, text=True, env=env, check=False, timeout=600)
        assert second.returncode == 0, second.stdout[-4000:] + second.stderr
        assert "reusing the emulator" in second.stdout
        recap = dict(re.findall(r"^(\S+)\s+: ok=\d+\s+changed=(\d+)", second.stdout, re.M))
        assert recap == {"dev": "0", "prod": "0", "stage": "0", "localhost": "0"}, second.stdout[-3000:]  # localhost: the host pattern check
        assert artifact_entries(tmp_path / "inlet_urls.json") == data
        assert int((tmp_path / "emu" / "emulator.pid").read_text()) == pid
    finally:
        stop = subprocess.run(script + ["emulator-stop"], capture_output=True, text=True, env=env, check=False, timeout=60)
    assert stop.returncode == 0, stop.stderr
    assert not (tmp_path / "emu" / "emulator.pid").exists()
    assert (tmp_path / "emu" / "data").is_dir()
    assert not process_running(pid)


def process_running(pid):
    """True while ``pid`` exists and is not a zombie (the detached emulator is reaped by init, eventually)."""
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False
