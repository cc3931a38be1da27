"""Resilience, end to end through Ansible against the emulator's fault hook (no mocks).

The promise under test: retries honour ``Retry-After``; a create never makes a duplicate; a rerun after a
crash converges; nothing half-made is left without the rerun repairing it; no traceback reaches the user.

Faults (``POST /_emulator/faults``) hit the next N requests matching a method and a path regex: a status
(429 with ``Retry-After``, 500, 503), added latency, or ``drop_after_commit`` (the write is committed, then
the connection is closed without an answer, like a lost response).
"""
import re
import time

import pytest

from harness import (CHATLIO_SPEC, STREAMING_PROVIDER, artifact_entries, flow_object, make_flow_connections,
                     make_schema_dataset_mapping, run_playbook)
from onboard_helpers import run_playbook as run_repo_playbook
from onboard_helpers import write_static_inventory

SOURCE = "Resilient source (it)"
FLOW = "Resilient flow (it)"
FS = "/data/foundation/flowservice"
SR = "/data/foundation/schemaregistry"
XED_ID = {"Accept": "application/vnd.adobe.xed-id+json"}

# ``AEP_IN_PROCESS=0`` runs the real AnsiballZ module instead of the in-process action plugin: both paths
# must behave the same under faults (the message, no traceback). The onboarding test runs in-process only
# (forked it takes twice as long and exercises nothing the single-task tests do not).
MODES = [pytest.param({}, id="in-process"), pytest.param({"AEP_IN_PROCESS": "0"}, id="forked")]


# --- helpers -------------------------------------------------------------------------------------------------

def fault(emulator, method, path, count=1, **kwargs):
    body = dict(method=method, path=path, count=count, **kwargs)
    return emulator.hook("POST", "/faults", json=body)


def clear_faults(emulator):
    emulator.hook("DELETE", "/faults")


def log(emulator, method=None, path_part=None):
    """``(method, path, status)`` of the logged AEP requests (IMS excluded), optionally filtered."""
    entries = [(r["method"], r["path"], r["status"]) for r in emulator.client.request_log()
               if not r["path"].startswith("/ims/")]
    return [e for e in entries if (method is None or e[0] == method) and (path_part is None or path_part in e[1])]


def source_task(name=SOURCE, **args):
    body = {"name": name, "connection_spec_id": CHATLIO_SPEC, "provider_id": STREAMING_PROVIDER,
            "description": "Chatlio events"}
    body.update(args)
    return {"name": "source", "aep.platform.source_connection": body}


def flow_task(fx, **args):
    body = {"name": FLOW, "description": "Chatlio to the lake", "source_connection_ids": [fx["source_id"]],
            "target_connection_ids": [fx["target_id"]], "mapping_id": fx["mapping_id"], "mapping_version": 0}
    body.update(args)
    return {"name": "flow", "aep.platform.flow": body}


def timed(task):
    """``task`` between two controller timestamps (``t0``/``t1`` facts, seconds since the epoch)."""
    return [{"name": "t0", "ansible.builtin.set_fact": {"t0": "{{ now().timestamp() }}"}},
            dict(task, register="result"),
            {"name": "t1", "ansible.builtin.set_fact": {"t1": "{{ now().timestamp() }}"}},
            {"name": "elapsed", "ansible.builtin.debug": {"msg": "{{ t1 | float - t0 | float }}"}}]


def assert_no_traceback(run):
    text = run.stdout + run.stderr
    assert "Traceback" not in text, text[-4000:]
    assert "module_stderr" not in text, text[-4000:]


def count_named(emulator, kind, name, sandbox="prod"):
    """How many objects of ``kind`` are named (or titled) ``name`` in the sandbox, through the public API."""
    if kind in ("sourceConnections", "targetConnections", "flows", "connections"):
        resp = emulator.api("GET", "%s/%s" % (FS, kind), sandbox=sandbox, params={"property": "name==%s" % name})
        resp.raise_for_status()
        return sum(1 for item in resp.json().get("items", []) if item.get("name") == name)
    if kind == "dataSets":
        resp = emulator.api("GET", "/data/foundation/catalog/dataSets", sandbox=sandbox,
                            params={"name": name, "limit": 100})
        if resp.status_code == 404:
            return 0
        resp.raise_for_status()
        return sum(1 for item in (resp.json() or {}).values() if item.get("name") == name)
    if kind == "mappingSets":
        resp = emulator.api("GET", "/data/foundation/conversion/mappingSets", sandbox=sandbox,
                            params={"name": name, "limit": 100, "start": 0})
        resp.raise_for_status()
        body = resp.json()
        items = body.get("data", []) if isinstance(body, dict) else body
        return sum(1 for item in items if item.get("name") == name)
    if kind in ("schemas", "fieldgroups"):
        resp = emulator.api("GET", "%s/tenant/%s" % (SR, kind), sandbox=sandbox, headers=XED_ID,
                            params={"property": "title==%s" % name})
        resp.raise_for_status()
        return sum(1 for item in resp.json().get("results", []) if item.get("title") == name)
    raise ValueError(kind)


@pytest.fixture
def fx(emulator):
    """Schema, dataset, mapping set and the two connections of a flow, made through the API."""
    fixtures = make_schema_dataset_mapping(emulator)
    fixtures.update(make_flow_connections(emulator, fixtures))
    emulator.clear_log()
    return fixtures


# --- 1. Retry-After on a lookup ------------------------------------------------------------------------------

@pytest.mark.parametrize("env", MODES)
def test_429_on_lookup_honours_retry_after(emulator, env):
    # Retry-After: 2 rather than 1, so the wait cannot be the client's own first backoff (0.5-1 s)
    fault(emulator, "GET", r"/flowservice/sourceConnections$", status=429, retry_after=2)
    run = run_playbook(emulator, timed(source_task()), extra_env=env)
    assert_no_traceback(run)
    result, elapsed = run[1], float(run[3]["msg"])
    assert not result.failed and result.changed, result
    lookups = log(emulator, "GET", "/sourceConnections")
    assert lookups[:2] == [("GET", "/data/foundation/flowservice/sourceConnections", 429),
                           ("GET", "/data/foundation/flowservice/sourceConnections", 200)], lookups
    assert [(m, s) for m, p, s in log(emulator, "POST")] == [("POST", 201)]
    assert elapsed >= 2.0, elapsed
    assert elapsed < 15, elapsed
    assert count_named(emulator, "sourceConnections", SOURCE) == 1


# --- 2. 503 / lost response on an update ---------------------------------------------------------------------

def test_503_on_patch_is_retried_and_applied_once(emulator):
    created = run_playbook(emulator, [source_task()])[0]
    assert created.changed and not created.failed, created
    sid = created["id"]
    etag = flow_object(emulator, "/sourceConnections", sid)["etag"]
    emulator.clear_log()

    fault(emulator, "PATCH", r"/sourceConnections/", status=503)
    run = run_playbook(emulator, [source_task(description="new text")])
    assert_no_traceback(run)
    assert run[0].changed and not run[0].failed, run[0]
    assert [(m, s) for m, p, s in log(emulator, "PATCH")] == [("PATCH", 503), ("PATCH", 200)]
    assert [w["method"] for w in emulator.writes()] == ["PATCH", "PATCH"]
    stored = flow_object(emulator, "/sourceConnections", sid)
    assert stored["description"] == "new text" and stored["etag"] != etag
    assert run[0]["etag"] == stored["etag"]

    emulator.clear_log()
    again = run_playbook(emulator, [source_task(description="new text")])[0]
    assert not again.changed and emulator.writes() == []


def test_lost_patch_response_on_flow_is_not_applied_twice(emulator, fx):
    created = run_playbook(emulator, [flow_task(fx)])[0]
    assert created.changed and not created.failed, created
    fid = created["id"]
    emulator.clear_log()

    # the PATCH is committed, then the connection drops: the client repeats it with the old If-Match, AEP
    # answers 412, the engine re-reads the flow, sees it already up to date and stops
    fault(emulator, "PATCH", r"/flowservice/flows/", drop_after_commit=True)
    run = run_playbook(emulator, [flow_task(fx, description="changed")])
    assert_no_traceback(run)
    result = run[0]
    assert result.changed and not result.failed, result
    patches = log(emulator, "PATCH")
    assert [s for m, p, s in patches].count(200) == 1, patches
    assert all(s in (200, 412) for m, p, s in patches), patches
    stored = flow_object(emulator, "/flows", fid)
    assert stored["description"] == "changed"
    assert result["flow"]["description"] == "changed" and result["etag"] == stored["etag"]
    assert count_named(emulator, "flows", FLOW) == 1

    emulator.clear_log()
    again = run_playbook(emulator, [flow_task(fx, description="changed")])[0]
    assert not again.changed and emulator.writes() == []


# --- 3. lost response on a create ----------------------------------------------------------------------------

def _create_cases(emulator, fx):
    """(module task, path regex of its POST, kind for count_named, name)."""
    group_fields = [{"name": "chatlio.message", "type": "string"}]
    return {
        "source_connection": (source_task(), r"/flowservice/sourceConnections$", "sourceConnections", SOURCE),
        "flow": (flow_task(fx), r"/flowservice/flows$", "flows", FLOW),
        "dataset": ({"name": "dataset", "aep.platform.dataset": {"name": "Resilient dataset (it)",
                                                                 "schema_id": fx["schema_id"]}},
                    r"/catalog/dataSets$", "dataSets", "Resilient dataset (it)"),
        "mapping_set": ({"name": "mapping", "aep.platform.mapping_set": {
            "name": "Resilient mapping (it)", "schema_id": fx["schema_id"],
            "mappings": [{"source": "message", "destination": "_emulated.message"},
                         {"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
                         {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"}]}},
                        r"/conversion/mappingSets$", "mappingSets", "Resilient mapping (it)"),
        "field_group": ({"name": "group", "aep.platform.field_group": {"title": "Resilient fields (it)",
                                                                       "fields": group_fields}},
                        r"/tenant/fieldgroups$", "fieldgroups", "Resilient fields (it)"),
    }


@pytest.mark.parametrize("case", ["source_connection", "flow", "dataset", "mapping_set", "field_group"])
def test_lost_create_response_never_duplicates(emulator, fx, case):
    task, path, kind, name = _create_cases(emulator, fx)[case]
    fault(emulator, "POST", path, drop_after_commit=True)
    run = run_playbook(emulator, [task])
    assert_no_traceback(run)
    result = run[0]
    # engine contract: after a lost response, look the object up by identity; POST again only if absent.
    # The emulator committed before dropping, so the lookup finds it: success, one POST, one object.
    assert result.changed and not result.failed, result
    posts = log(emulator, "POST", path.split("/")[-1].rstrip("$"))
    assert len(posts) == 1, posts
    assert count_named(emulator, kind, name) == 1
    assert result["id"]

    emulator.clear_log()
    again = run_playbook(emulator, [task])[0]
    assert not again.changed and again["id"] == result["id"] and emulator.writes() == []


def test_create_without_an_answer_is_not_sent_again(emulator):
    """A POST whose answer is slower than ``timeout``: AEP may still create the object after the client gave
    up, so the engine looks it up but never POSTs again (a second POST could make a duplicate later). When the
    object has not appeared, the task fails saying so, and the rerun converges to exactly one object."""
    fault(emulator, "POST", r"/flowservice/sourceConnections$", latency_ms=3000)
    started = time.monotonic()
    run = run_playbook(emulator, [source_task(timeout=1)])
    assert_no_traceback(run)
    result = run[0]
    time.sleep(max(0.0, started + 4.0 - time.monotonic()))  # let the slow POST finish on the server side
    posts = log(emulator, "POST", "/sourceConnections")
    assert len(posts) == 1, posts
    # the emulator applies the latency before reading the request, so the abandoned POST creates nothing
    assert count_named(emulator, "sourceConnections", SOURCE) == 0
    assert result.failed and not result.changed, result
    msg = result["msg"]
    assert msg.startswith("AEP Flow Service POST /sourceConnections failed: no answer from"), msg
    assert "within 1 seconds" in msg and "not sent again" in msg and "Run the task again" in msg, msg
    assert result["error_type"] == "ConnectionFailure"

    emulator.clear_log()
    again = run_playbook(emulator, [source_task(timeout=1)])[0]
    assert again.changed and not again.failed, again
    assert [(w["method"], w["status"]) for w in emulator.writes()] == [("POST", 201)]
    assert count_named(emulator, "sourceConnections", SOURCE) == 1


# --- 4. crash mid-onboarding, then rerun ---------------------------------------------------------------------

ONBOARD_NAMES = {
    "fieldgroups": "Ansible Chatlio Fields",
    "schemas": "Ansible Chatlio Events",
    "dataSets": "Ansible Chatlio Dataset",
    "sourceConnections": "Ansible Chatlio Source Connection",
    "targetConnections": "Ansible Chatlio Target Connection",
    "mappingSets": "Ansible Chatlio Mapping",
    "flows": "Ansible Chatlio Streaming Dataflow",
}


def test_onboarding_crash_at_flow_step_then_rerun_converges(emulator, tmp_path, env=None):
    sandbox = "dev"
    inventory = write_static_inventory(tmp_path / "inventory", emulator, sandboxes=(sandbox,))
    artifacts = "aep_artifacts_file=%s" % (tmp_path / "inlet_urls.json")
    fault(emulator, "POST", r"/flowservice/flows$", count=1000, status=500)

    crashed = run_repo_playbook("onboard_chatlio.yml", inventory, "-e", artifacts, extra_env=env)
    assert crashed.rc != 0 and crashed.data is not None, crashed
    assert_no_traceback(crashed)
    assert crashed.stats[sandbox]["failures"] == 1
    failed = crashed.host_results("Ensure the dataflow")[sandbox]
    assert failed["failed"], failed
    assert failed["msg"].startswith("AEP Flow Service POST /flows failed: 500"), failed["msg"]
    assert "Traceback" not in failed["msg"] and "\n" not in failed["msg"]
    # create_once: the retry policy's attempts (default AEP_RETRIES 5: 1 + 5 POSTs), each repeat preceded by a
    # lookup, no blind repeat
    flow_posts = log(emulator, "POST", "/flowservice/flows")
    assert len(flow_posts) == 6 and all(s == 500 for m, p, s in flow_posts), flow_posts
    for kind, name in ONBOARD_NAMES.items():
        assert count_named(emulator, kind, name, sandbox) == (0 if kind == "flows" else 1), kind

    clear_faults(emulator)
    rerun = run_repo_playbook("onboard_chatlio.yml", inventory, "-e", artifacts, extra_env=env)
    assert rerun.rc == 0, rerun
    assert_no_traceback(rerun)
    assert rerun.stats[sandbox]["failures"] == 0
    # the rerun only adds what was missing: the flow
    assert [(w["method"], w["path"]) for w in emulator.writes()][-1:] == [("POST", FS + "/flows")]
    assert [w for w in emulator.writes() if w["status"] < 400][-1:] == emulator.writes()[-1:]
    for kind, name in ONBOARD_NAMES.items():
        assert count_named(emulator, kind, name, sandbox) == 1, kind
    data = artifact_entries(tmp_path / "inlet_urls.json")
    assert data[sandbox]["webhook_url"].startswith(data[sandbox]["inlet_url"])

    emulator.clear_log()
    third = run_repo_playbook("onboard_chatlio.yml", inventory, "-e", artifacts, extra_env=env)
    assert third.rc == 0, third
    assert third.stats[sandbox]["changed"] == 0, third.changed_tasks(sandbox)
    assert emulator.writes() == []


# --- 5. exhausted retries ------------------------------------------------------------------------------------

@pytest.mark.parametrize("env", MODES)
def test_rate_limited_on_every_attempt_fails_clearly_without_writes(emulator, env):
    fault(emulator, "GET", r"/flowservice/sourceConnections$", count=1000, status=429, retry_after=0)
    run = run_playbook(emulator, [source_task()], extra_env=env)
    assert_no_traceback(run)
    result = run[0]
    assert result.failed and not result.changed, result
    msg = result["msg"]
    assert "429" in msg and re.search(r"rate.limit", msg, re.I), msg
    assert "GET /sourceConnections" in msg, msg
    assert result["status"] == 429 and result["error_type"] == "RateLimitedError"
    assert len(log(emulator, "GET", "/sourceConnections")) == 6  # the first attempt + 5 retries
    assert emulator.writes() == []
    clear_faults(emulator)
    assert count_named(emulator, "sourceConnections", SOURCE) == 0


# --- 6. latency beyond the timeout ---------------------------------------------------------------------------

@pytest.mark.parametrize("env", MODES)
def test_latency_beyond_timeout_fails_clearly(emulator, env):
    fault(emulator, "GET", r"/flowservice/sourceConnections$", count=1000, latency_ms=3000)
    run = run_playbook(emulator, [source_task(timeout=1, retries=2, retry_backoff=0.1)], extra_env=env)
    assert_no_traceback(run)
    result = run[0]
    assert result.failed and not result.changed, result
    msg = result["msg"]
    assert "GET /sourceConnections" in msg and "within 1 seconds" in msg, msg
    assert result["error_type"] == "ConnectionFailure"
    # a timeout is retried like any read failure; the emulator logs a delayed request once it has answered it
    deadline = time.monotonic() + 8
    while len(log(emulator, "GET", "/sourceConnections")) < 3 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(log(emulator, "GET", "/sourceConnections")) == 3
    assert emulator.writes() == []
