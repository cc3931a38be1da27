"""Concurrent runs and the way back from duplicates (issue 7).

AEP does not make names unique. N ``ansible-playbook playbooks/onboard_chatlio.yml`` runs started together on the
same fresh sandboxes must leave exactly one object of each kind (after a create each module looks again; the
oldest object wins and the run that lost removes its own; a mapping set, which AEP cannot delete, is renamed out
of the way), and the next run changes nothing. Also with a create latency, which real AEP often has.

A sandbox that already holds duplicates (made through the API) is repaired with ``on_duplicates: keep_oldest``,
or one object is chosen with ``id``.
"""
import subprocess
import sys
from pathlib import Path

import pytest

from harness import CHATLIO_SPEC, STREAMING_PROVIDER, _checked, artifact_entries, run_playbook
from harness import make_flow_connections, make_schema_dataset_mapping
from onboard_helpers import REPO, Run, ansible_env, write_static_inventory

SANDBOXES = ("prod", "dev")
CREATES = (r"^/data/foundation/(schemaregistry/tenant/(fieldgroups|schemas)|catalog/dataSets|conversion/mappingSets"
           r"|flowservice/(sourceConnections|targetConnections|flows))$")
FS = "/data/foundation/flowservice/"
SR = "/data/foundation/schemaregistry/tenant/"
XED_LIST = {"Accept": "application/vnd.adobe.xed+json"}


def start_onboard(inventory, artifacts):
    cmd = [str(Path(sys.executable).parent / "ansible-playbook"), "-i", str(inventory),
           str(REPO / "playbooks" / "onboard_chatlio.yml"), "-e", "aep_artifacts_file=%s" % artifacts]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=str(REPO),
                            env=ansible_env(True))


def finish(proc):
    stdout, stderr = proc.communicate(timeout=900)
    proc.stdout, proc.stderr = stdout, stderr
    return Run(proc, 0.0, 0.0)


def inventory_of(emulator, tmp_path):
    return write_static_inventory(tmp_path / "inventory", emulator, SANDBOXES)


def objects(emulator, sandbox):
    """{kind: [(name, id)]} of everything in the sandbox."""
    found = {}
    for kind in ("flows", "sourceConnections", "targetConnections"):
        items = _checked(emulator.api("GET", FS + kind, sandbox=sandbox, params={"limit": 1000}), 200)["items"]
        found[kind] = [(i["name"], i["id"]) for i in items]
    resp = emulator.api("GET", "/data/foundation/catalog/dataSets", sandbox=sandbox, params={"limit": 100})
    found["dataSets"] = [(v["name"], k) for k, v in (resp.json() or {}).items()] if resp.status_code == 200 else []
    for kind in ("fieldgroups", "schemas"):
        body = _checked(emulator.api("GET", SR + kind, sandbox=sandbox, headers=XED_LIST, params={"orderby": "title"}),
                        200)
        found[kind] = [(r["title"], r["$id"]) for r in body["results"]]
    body = _checked(emulator.api("GET", "/data/foundation/conversion/mappingSets", sandbox=sandbox,
                                 params={"limit": 100, "start": 0}), 200)
    found["mappingSets"] = [(m.get("name"), m["id"]) for m in body["data"]]
    return found


def assert_one_of_each(emulator, sandbox):
    found = objects(emulator, sandbox)
    for kind, items in found.items():
        if kind == "mappingSets":  # a loser's mapping set stays (no DELETE), renamed out of the way
            live = [i for i in items if "[unused duplicate" not in (i[0] or "")]
            assert len(live) == 1, (sandbox, kind, items)
            flow_id = found["flows"][0][1]
            flow = _checked(emulator.api("GET", FS + "flows/" + flow_id, sandbox=sandbox), 200)["items"][0]
            assert flow["transformations"][0]["params"]["mappingId"] == live[0][1]
        else:
            assert len(items) == 1, (sandbox, kind, items)


@pytest.mark.parametrize("runs,latency_ms", [(2, 0), (4, 0), (2, 1000), (4, 1000)])
def test_concurrent_onboarding_converges_on_one_object_of_each_kind(emulator, tmp_path, runs, latency_ms):
    inventory = inventory_of(emulator, tmp_path)
    if latency_ms:
        emulator.hook("POST", "/faults", json={"method": "POST", "path": CREATES, "latency_ms": latency_ms,
                                                         "count": 1000})
    procs = [start_onboard(inventory, tmp_path / ("run%d" % i) / "inlet_urls.json") for i in range(runs)]
    results = [finish(p) for p in procs]
    emulator.hook("DELETE", "/faults")
    for result in results:
        assert result.rc == 0, result
    for sandbox in SANDBOXES:
        assert_one_of_each(emulator, sandbox)
    urls = set()
    for i in range(runs):  # each run wrote its own artifacts file: sandbox -> {webhook_url, ...}
        entries = artifact_entries(tmp_path / ("run%d" % i) / "inlet_urls.json")
        assert sorted(entries) == sorted(SANDBOXES), entries
        urls |= {(sandbox, entry["webhook_url"]) for sandbox, entry in entries.items()}
    assert len(urls) == len(SANDBOXES), "every run reports the same webhook URL per sandbox: %s" % sorted(urls)

    emulator.clear_log()
    again = finish(start_onboard(inventory, tmp_path / "run0" / "inlet_urls.json"))  # the same file: unchanged
    assert again.rc == 0, again
    for host in SANDBOXES:
        assert again.stats[host]["changed"] == 0, again.changed_tasks(host)
    assert emulator.writes() == []


# --- the way back from duplicates made through the API ---------------------------------------------------

def duplicate(emulator, path, body, sandbox="prod", **kw):
    return _checked(emulator.api("POST", path, sandbox=sandbox, json=body, **kw), 200, 201)


def make_duplicates(emulator):
    """Two objects of each kind with the same name (the second made later), through the API."""
    first = make_schema_dataset_mapping(emulator, title="Dup")
    first.update(make_flow_connections(emulator, first, prefix="Dup"))
    second = make_schema_dataset_mapping(emulator, title="Dup")
    second.update(make_flow_connections(emulator, second, prefix="Dup"))
    return first, second


def test_keep_oldest_repairs_a_sandbox_with_duplicates_and_id_chooses_one(emulator):
    # source connections: three with one name; id selects one of them, keep_oldest keeps the oldest
    body = {"name": "Dup source", "providerId": STREAMING_PROVIDER, "connectionSpec": {"id": CHATLIO_SPEC,
                                                                                       "version": "1.0"}}
    ids = [duplicate(emulator, FS + "sourceConnections", body)["id"] for dummy in range(3)]
    task = {"name": "Dup source", "connection_spec_id": CHATLIO_SPEC, "provider_id": STREAMING_PROVIDER}
    run = run_playbook(emulator, [
        {"name": "fails", "aep.platform.source_connection": task, "ignore_errors": True},
        {"name": "by id", "aep.platform.source_connection": dict(task, id=ids[1], description="chosen")},
    ])
    assert run[0].failed and "3 source connections" in run[0]["msg"] and "on_duplicates=keep_oldest" in run[0]["msg"]
    assert all(i in run[0]["msg"] for i in ids)
    assert run[1].changed and run[1]["id"] == ids[1]

    emulator.clear_log()
    preview = run_playbook(emulator, [{"name": "keep", "aep.platform.source_connection": dict(
        task, on_duplicates="keep_oldest")}], check=True)
    assert preview[0]["id"] == ids[0] and emulator.writes() == []
    assert sum("would delete" in w for w in preview[0].get("warnings", [])) == 2

    run = run_playbook(emulator, [{"name": "keep", "aep.platform.source_connection": dict(
        task, on_duplicates="keep_oldest")}])
    assert not run[0].failed and run[0]["id"] == ids[0]
    assert sorted(w["method"] for w in emulator.writes()) == ["DELETE", "DELETE"]
    assert [i for dummy, i in objects(emulator, "prod")["sourceConnections"]] == [ids[0]]
    again = run_playbook(emulator, [{"name": "again", "aep.platform.source_connection": task}])
    assert not again[0].changed and not again[0].failed and again[0]["id"] == ids[0]


def test_keep_oldest_for_every_kind(emulator):
    first, second = make_duplicates(emulator)
    names = {"field_group": ("title", "Dup fields"), "schema": ("title", "Dup"), "dataset": ("name", "Dup dataset"),
             "source_connection": ("name", "Dup source"), "target_connection": ("name", "Dup target")}
    oldest = {"field_group": None, "schema": first["schema_id"], "dataset": first["dataset_id"],
              "source_connection": first["source_id"], "target_connection": first["target_id"]}
    # users before what they use: the newer target connection goes first, then the newer dataset can go
    order = ["target_connection", "source_connection", "dataset", "schema", "field_group"]
    # the newer dataset is used by the newer target connection, the newer schema by the newer dataset, the newer
    # field group by the newer schema: in this order each newer duplicate is unused when its turn comes
    tasks = [{"name": k, "aep.platform." + k: {names[k][0]: names[k][1], "on_duplicates": "keep_oldest"}}
             for k in order]
    run = run_playbook(emulator, tasks)
    for kind, result in zip(order, run.results):
        assert not result.failed, (kind, result)
        if oldest[kind]:
            assert result["id"] == oldest[kind], kind
        assert any("deleted duplicate" in w for w in result.get("warnings", [])), (kind, result.get("warnings"))
    found = objects(emulator, "prod")
    for kind in ("fieldgroups", "schemas", "dataSets", "sourceConnections", "targetConnections"):
        assert len(found[kind]) == 1, (kind, found[kind])

    again = run_playbook(emulator, [{"name": k, "aep.platform." + k: {names[k][0]: names[k][1]}} for k in order])
    assert not any(r.changed or r.failed for r in again.results), again.results


def test_mapping_set_duplicates_are_renamed_out_of_the_way(emulator):
    fixtures = make_schema_dataset_mapping(emulator)
    body = {"name": "Dup mapping", "outputSchema": {"schemaRef": {
        "id": fixtures["schema_id"], "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
        "mappings": [{"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]}
    ids = [duplicate(emulator, "/data/foundation/conversion/mappingSets", body)["id"] for dummy in range(2)]
    run = run_playbook(emulator, [{"name": "keep", "aep.platform.mapping_set": {
        "name": "Dup mapping", "on_duplicates": "keep_oldest"}}])
    assert not run[0].failed and run[0]["id"] == ids[0], run[0]
    assert any("renamed" in w and ids[1] in w for w in run[0]["warnings"])
    names = dict((i, n) for n, i in objects(emulator, "prod")["mappingSets"])
    assert names[ids[0]] == "Dup mapping" and names[ids[1]] == "Dup mapping [unused duplicate %s]" % ids[1]
    again = run_playbook(emulator, [{"name": "again", "aep.platform.mapping_set": {"name": "Dup mapping"}}])
    assert not again[0].changed and not again[0].failed and again[0]["id"] == ids[0]
