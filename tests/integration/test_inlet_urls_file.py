"""aep.platform.inlet_urls_file: the artifacts file of webhook URLs, merged on the controller by an action plugin (no
module process, no AEP request): one entry per sandbox and dataflow (version 2), merge, converge, remove, migration
of version 1 files (one entry per sandbox) without loss, check mode and diff, refusals that leave the file alone; and
end to end, two sources onboarded into one sandbox keep an entry each (breaker report 4, finding 5)."""
import json

from harness import CHATLIO_FLOW, run_playbook
from onboard_helpers import flows_named
from onboard_helpers import run_playbook as run_repo_playbook
from onboard_helpers import write_static_inventory

ENTRY = {"inlet_url": "https://dcs.example/collection/abc", "webhook_url": "https://dcs.example/collection/abc?x-adobe-flow-id=f1",
         "flow_id": "f1", "dataset_id": "d1"}
OTHER = {"inlet_url": "https://dcs.example/collection/def", "webhook_url": "https://dcs.example/collection/def?x-adobe-flow-id=f2",
         "flow_id": "f2", "dataset_id": "d2"}


def task(path, **args):
    return {"name": "artifacts", "aep.platform.inlet_urls_file": dict(path=str(path), **args), "ignore_errors": True}


def version2(sandboxes):
    return {"version": 2, "sandboxes": sandboxes}


def test_two_dataflows_in_one_sandbox_merge_converge_and_remove_apart(emulator, tmp_path):
    path = tmp_path / "deep" / "inlet_urls.json"
    path.parent.mkdir()
    path.write_text(json.dumps(version2({"other": {"Flow": {"webhook_url": "kept"}}})))
    run = run_playbook(emulator, [task(path, entries={"dev": {"Chatlio": ENTRY}}), task(path, entries={"dev": {"HTTP API": OTHER}}),
                                  task(path, entries={"dev": {"Chatlio": ENTRY}}),
                                  task(path, state="absent", entries={"dev": {"HTTP API": {}}, "unknown": {"x": {}}}),
                                  task(path, state="absent", entries={"dev": {"HTTP API": {}}}),
                                  task(path, state="absent", sandboxes=["dev"])], diff=True)
    first, second, again, removed, gone, sandbox = run.results
    assert first.changed and first["diff"]["before"] == {} and first["diff"]["after"] == {"dev": {"Chatlio": ENTRY}}, first
    assert second.changed and second["diff"]["after"] == {"dev": {"Chatlio": ENTRY, "HTTP API": OTHER}}, second
    assert not again.changed and not gone.changed, (again, gone)
    assert removed.changed and removed["diff"]["before"] == {"dev": {"Chatlio": ENTRY, "HTTP API": OTHER}}, removed
    assert removed["diff"]["after"] == {"dev": {"Chatlio": ENTRY}}, removed
    assert sandbox.changed and sandbox["diff"]["after"] == {}, sandbox
    assert json.loads(path.read_text()) == version2({"other": {"Flow": {"webhook_url": "kept"}}})
    assert sorted(p.name for p in path.parent.iterdir()) == ["inlet_urls.json", "inlet_urls.json.lock"]
    assert emulator.writes() == []


def test_a_version_1_file_is_migrated_without_losing_an_entry(emulator, tmp_path):
    """Version 1 (aep.platform 0.1.0): {sandbox: entry}. Each entry is kept under its flow id, marked migrated; the
    named entry of the same flow replaces it, and removing a dataflow by name with its flow id removes it."""
    path = tmp_path / "inlet_urls.json"
    legacy = {"webhook_url": "https://legacy", "flow_id": "f9"}
    path.write_text(json.dumps({"dev": ENTRY, "stage": OTHER, "legacy": legacy, "noflow": {"webhook_url": "w"}}))
    run = run_playbook(emulator, [task(path, entries={"dev": {"HTTP API": dict(OTHER, flow_id="f3")}}),
                                  task(path, entries={"dev": {"Chatlio": ENTRY}}),
                                  task(path, state="absent", entries={"stage": {"HTTP API": {"flow_id": "f2"}}})], diff=True)
    other_flow, named, removed = run.results
    assert other_flow.changed and other_flow["diff"]["before"] == {"dev": {"f1": dict(ENTRY, migrated=True)}}, other_flow
    assert named.changed and named["diff"]["after"] == {"dev": {"Chatlio": ENTRY, "HTTP API": dict(OTHER, flow_id="f3")}}, named
    assert removed.changed and removed["diff"]["after"] == {}, removed
    assert json.loads(path.read_text()) == version2({
        "dev": {"Chatlio": ENTRY, "HTTP API": dict(OTHER, flow_id="f3")},
        "legacy": {"f9": dict(legacy, migrated=True)},
        "noflow": {"(unnamed)": {"webhook_url": "w", "migrated": True}}})


def test_an_update_that_changes_no_entry_still_rewrites_a_version_1_file(emulator, tmp_path):
    path = tmp_path / "inlet_urls.json"
    path.write_text(json.dumps({"dev": ENTRY}))
    run = run_playbook(emulator, [task(path, state="absent", sandboxes=["unknown"]), task(path, state="absent", sandboxes=["unknown"])])
    assert run[0].changed and not run[1].changed, run.results
    assert json.loads(path.read_text()) == version2({"dev": {"f1": dict(ENTRY, migrated=True)}})


def test_check_mode_predicts_and_writes_nothing(emulator, tmp_path):
    path = tmp_path / "new" / "inlet_urls.json"
    run = run_playbook(emulator, [task(path, entries={"dev": {"Chatlio": ENTRY}})], check=True, diff=True)
    assert run[0].changed and run[0]["diff"]["after"] == {"dev": {"Chatlio": ENTRY}}, run[0]
    assert not path.parent.exists()  # not even the directory or the lock file
    old = tmp_path / "old.json"
    old.write_text(json.dumps({"dev": ENTRY}))
    run = run_playbook(emulator, [task(old, entries={"dev": {"Chatlio": ENTRY}})], check=True, diff=True)
    assert run[0].changed and run[0]["diff"]["before"] == {"dev": {"f1": dict(ENTRY, migrated=True)}}, run[0]
    assert json.loads(old.read_text()) == {"dev": ENTRY}


def test_bad_input_and_bad_files_fail_and_leave_the_file_alone(emulator, tmp_path):
    path = tmp_path / "inlet_urls.json"
    path.write_text("[1, 2]")
    newer = tmp_path / "newer.json"
    newer.write_text(json.dumps({"version": 3, "sandboxes": {}}))
    run = run_playbook(emulator, [task(path, entries={"dev": {"Chatlio": ENTRY}}), task(path, entries={"dev": ENTRY}),
                                  task(path, entries={"dev": "not a dict"}), task(path, state="absent"),
                                  task(tmp_path, entries={"dev": {"Chatlio": ENTRY}}), task(newer, entries={"dev": {"Chatlio": ENTRY}})])
    listed, version1_entries, not_a_dict, nothing_to_remove, directory, version3 = run.results
    assert listed.failed and "holds a JSON list, not an object {\"version\": 2" in listed["msg"], listed
    assert str(path) in listed["msg"]
    assert version1_entries.failed and "entries: the entry of dataflow 'inlet_url' in dev is not a dict" in version1_entries["msg"]
    assert "{sandbox: {dataflow name: {inlet_url" in version1_entries["msg"], version1_entries
    assert not_a_dict.failed and "entries: the value of dev is not a dict of dataflow name -> entry" in not_a_dict["msg"], not_a_dict
    assert nothing_to_remove.failed and "entries, sandboxes" in nothing_to_remove["msg"], nothing_to_remove
    assert directory.failed and "artifacts file" in directory["msg"], directory
    assert version3.failed and "is version 3 of the artifacts file; this aep.platform reads versions 1 and 2" in version3["msg"], version3
    assert path.read_text() == "[1, 2]" and json.loads(newer.read_text()) == {"version": 3, "sandboxes": {}}
    assert "Traceback" not in run.stdout + run.stderr


def test_two_sources_in_one_sandbox_keep_an_entry_each_end_to_end(emulator, tmp_path):
    """Chatlio, then the http_api preset in the same sandbox, starting from a version 1 file: every entry is kept
    (the migrated one until Chatlio's named entry replaces it); offboarding http_api removes only its own entry."""
    inventory = write_static_inventory(tmp_path / "inventory", emulator)
    path = tmp_path / "artifacts" / "inlet_urls.json"

    def playbook(name, *args):
        run = run_repo_playbook(name, inventory, "-l", "dev", "-e", "aep_artifacts_file=%s" % path, *args)
        assert run.rc == 0, run
        return run

    playbook("onboard_chatlio.yml")
    chatlio = json.loads(path.read_text())["sandboxes"]["dev"][CHATLIO_FLOW]
    assert chatlio["preset"] == "chatlio" and chatlio["prefix"] == "Ansible", chatlio
    # the file as aep.platform 0.1.0 wrote it, with another sandbox's entry
    legacy = {"dev": {k: chatlio[k] for k in ("inlet_url", "webhook_url", "flow_id", "dataset_id")},
              "elsewhere": {"webhook_url": "https://legacy", "flow_id": "f-legacy"}}
    path.write_text(json.dumps(legacy))

    run = playbook("onboard_chatlio.yml", "-e", "streaming_source_preset=http_api")
    data = json.loads(path.read_text())
    assert data["version"] == 2 and set(data["sandboxes"]) == {"dev", "elsewhere"}, data
    dev = data["sandboxes"]["dev"]
    http_name = next(name for name in dev if name != chatlio["flow_id"])
    http = dev[http_name]
    assert dev[chatlio["flow_id"]] == dict(legacy["dev"], migrated=True), dev
    assert http["preset"] == "http_api" and http["flow_id"] != chatlio["flow_id"] and http["webhook_url"] != chatlio["webhook_url"], dev
    assert [f["id"] for f in flows_named(emulator, "dev", http_name)] == [http["flow_id"]]
    summary = run.custom_stats["_run"]["aep_onboarding"]
    assert summary == {"dev": {http_name: {"webhook_url": http["webhook_url"], "flow_id": http["flow_id"], "dataset_id": http["dataset_id"],
                                           "state": "changed", "preset": "http_api"}}}, summary
    lines = next(iter(run.host_results("Summary").values()))["msg"]
    assert lines[0] == 'Dataflow "%s" (preset http_api):' % http_name and lines[-1].startswith("1 of 1 sandboxes done, 0 left"), lines

    playbook("onboard_chatlio.yml")  # converged: Chatlio's named entry replaces the migrated one (same flow id)
    elsewhere = {"f-legacy": dict(legacy["elsewhere"], migrated=True)}
    assert json.loads(path.read_text())["sandboxes"] == {"dev": {CHATLIO_FLOW: chatlio, http_name: http}, "elsewhere": elsewhere}

    playbook("offboard_chatlio.yml", "-e", "streaming_source_preset=http_api")
    assert json.loads(path.read_text())["sandboxes"] == {"dev": {CHATLIO_FLOW: chatlio}, "elsewhere": elsewhere}
    assert [f["id"] for f in flows_named(emulator, "dev", CHATLIO_FLOW)] == [chatlio["flow_id"]]
    assert flows_named(emulator, "dev", http_name) == []


def test_the_gathering_playbook_merges_jobs_per_dataflow_and_reads_0_1_0_artifacts(emulator, tmp_path):
    """playbooks/gather_inlet_urls.yml: two jobs onboarding two sources into one sandbox keep both; the artifacts of
    an aep.platform 0.1.0 job (sandbox -> entry) are kept under their flow id."""
    inventory = write_static_inventory(tmp_path / "inventory", emulator)
    extra = tmp_path / "artifacts.json"
    extra.write_text(json.dumps({
        "aep_onboarding_job_7": {"dev": {"Chatlio": dict(ENTRY, state="changed", preset="chatlio")}},
        "aep_onboarding_job_8": {"dev": {"HTTP API": dict(OTHER, state="changed", preset="http_api")}},
        "aep_onboarding_job_9": {"old": {"webhook_url": "https://old", "flow_id": "f-old", "dataset_id": "d-old", "state": "changed"}}}))
    run = run_repo_playbook("gather_inlet_urls.yml", inventory, "-e", "@%s" % extra)
    assert run.rc == 0, run
    keep = ("webhook_url", "flow_id", "dataset_id")
    assert run.custom_stats["_run"]["aep_inlet_urls"] == {
        "dev": {"Chatlio": {k: ENTRY[k] for k in keep}, "HTTP API": {k: OTHER[k] for k in keep}},
        "old": {"f-old": {"webhook_url": "https://old", "flow_id": "f-old", "dataset_id": "d-old"}}}
    lines = next(iter(run.host_results("Summary").values()))["msg"]
    assert lines == ["dev  Chatlio  %s" % ENTRY["webhook_url"], "dev  HTTP API  %s" % OTHER["webhook_url"], "old  f-old  https://old",
                     "3 dataflows in 2 sandboxes from 3 job(s)"], lines
