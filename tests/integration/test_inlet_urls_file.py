"""aep.platform.inlet_urls_file: the artifacts file of webhook URLs, merged on the controller by an action plugin (no
module process, no AEP request): merge, converge, remove, check mode and diff, refusals that leave the file alone."""
import json

from harness import run_playbook

ENTRY = {"inlet_url": "https://dcs.example/collection/abc", "webhook_url": "https://dcs.example/collection/abc?x-adobe-flow-id=f1",
         "flow_id": "f1", "dataset_id": "d1"}


def task(path, **args):
    return {"name": "artifacts", "aep.platform.inlet_urls_file": dict(path=str(path), **args), "ignore_errors": True}


def test_merge_converge_and_remove(emulator, tmp_path):
    path = tmp_path / "deep" / "inlet_urls.json"
    path.parent.mkdir()
    path.write_text(json.dumps({"other": {"webhook_url": "kept"}}))
    run = run_playbook(emulator, [task(path, entries={"dev": ENTRY}), task(path, entries={"dev": ENTRY}),
                                  task(path, state="absent", sandboxes=["dev", "unknown"]),
                                  task(path, state="absent", sandboxes=["dev"])], diff=True)
    merged, again, removed, gone = run.results
    assert merged.changed and merged["diff"]["before"] == {} and merged["diff"]["after"] == {"dev": ENTRY}, merged
    assert not again.changed and not gone.changed, (again, gone)
    assert removed.changed and removed["diff"]["before"] == {"dev": ENTRY} and removed["diff"]["after"] == {}, removed
    assert json.loads(path.read_text()) == {"other": {"webhook_url": "kept"}}
    assert sorted(p.name for p in path.parent.iterdir()) == ["inlet_urls.json", "inlet_urls.json.lock"]
    assert emulator.writes() == []


def test_check_mode_predicts_and_writes_nothing(emulator, tmp_path):
    path = tmp_path / "new" / "inlet_urls.json"
    run = run_playbook(emulator, [task(path, entries={"dev": ENTRY})], check=True, diff=True)
    assert run[0].changed and run[0]["diff"]["after"] == {"dev": ENTRY}, run[0]
    assert not path.parent.exists()  # not even the directory or the lock file


def test_bad_input_and_bad_files_fail_and_leave_the_file_alone(emulator, tmp_path):
    path = tmp_path / "inlet_urls.json"
    path.write_text("[1, 2]")
    run = run_playbook(emulator, [task(path, entries={"dev": ENTRY}), task(path, entries={"dev": "not a dict"}),
                                  task(path, state="absent"), task(tmp_path, entries={"dev": ENTRY})])
    listed, not_a_dict, no_sandboxes, directory = run.results
    assert listed.failed and "holds a JSON list, not an object of sandbox -> entry" in listed["msg"], listed
    assert str(path) in listed["msg"]
    assert not_a_dict.failed and "entries: the entry of dev is not a dict" in not_a_dict["msg"], not_a_dict
    assert no_sandboxes.failed and "sandboxes" in no_sandboxes["msg"], no_sandboxes
    assert directory.failed and "artifacts file" in directory["msg"], directory
    assert path.read_text() == "[1, 2]"
    assert "Traceback" not in run.stdout + run.stderr
