"""Calls at the physical limit (issue 7): requests per module run, read from the emulator's request log.

A converged run of each state module reads its object once (one list with whole objects, or one GET by id),
and reads connection specs, flow specs, classes, referenced objects and the tenant only when it creates or
changes something. A fresh run makes exactly one POST per object (plus the flow's enable action where asked).
"""
from harness import CHATLIO_SPEC, STREAMING_PROVIDER, run_playbook

T = "_emulated"


def chain():
    def task(kind, args, reg):
        return {"name": kind, "aep.platform." + kind: args, "register": reg}

    return [
        task("field_group", {"title": "Counted fields", "fields": [{"name": "chatlio.message"}]}, "fg"),
        task("schema", {"title": "Counted", "field_groups": ["{{ fg.id }}"]}, "sc"),
        task("dataset", {"name": "Counted dataset", "schema_id": "{{ sc.id }}"}, "ds"),
        task("source_connection", {"name": "Counted source", "connection_spec_id": CHATLIO_SPEC,
                                   "provider_id": STREAMING_PROVIDER}, "src"),
        task("target_connection", {"name": "Counted target", "dataset_id": "{{ ds.id }}", "schema_id": "{{ sc.id }}"},
             "tgt"),
        task("mapping_set", {"name": "Counted mapping", "schema_id": "{{ sc.id }}", "mappings": [
            {"source": "message", "destination": T + ".chatlio.message"},
            {"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
            {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"}]}, "ms"),
        task("flow", {"name": "Counted flow", "source_connection_ids": ["{{ src.id }}"],
                      "target_connection_ids": ["{{ tgt.id }}"], "mapping_id": "{{ ms.id }}",
                      "mapping_version": "{{ ms.version }}", "enabled": True}, "fl"),
    ]


def test_converged_run_reads_each_object_once_and_writes_nothing(emulator):
    tasks = chain()
    first = run_playbook(emulator, tasks)
    assert all(r.changed and not r.failed for r in first.results), first.results
    emulator.clear_log()
    again = run_playbook(emulator, tasks)
    assert not any(r.changed or r.failed for r in again.results), again.results
    log = [(r["method"], r["path"]) for r in emulator.client.request_log() if not r["path"].startswith("/ims/")]
    assert emulator.writes() == []
    # one list per module, in task order: no spec, class, tenant, reference or by-id read
    assert [p for m, p in log] == ["/data/foundation/" + p for p in (
        "schemaregistry/tenant/fieldgroups", "schemaregistry/tenant/schemas", "catalog/dataSets",
        "flowservice/sourceConnections", "flowservice/targetConnections", "conversion/mappingSets",
        "flowservice/flows")], log
    assert set(m for m, p in log) == {"GET"}
    assert again[-1]["inlet_url"] and again[-1]["webhook_url"]


def test_fresh_run_makes_one_post_per_object(emulator):
    tasks = chain()
    emulator.clear_log()
    first = run_playbook(emulator, tasks)
    assert all(r.changed and not r.failed for r in first.results), first.results
    posts = [r["path"] for r in emulator.client.request_log() if r["method"] == "POST" and not r["path"].startswith("/ims/")]
    created = [p for p in posts if not p.endswith("/action")]
    assert len(created) == len(tasks), posts
    assert [r["method"] for r in emulator.writes()].count("POST") == len(posts)
