"""The retry policy, through a module against the emulator's fault hook: every fault on every kind of call.

Faults (``POST /_emulator/faults``, count 1): 429 (``Retry-After: 0``), 500, 503, a timeout (the answer comes
later than ``timeout``) and a dropped connection (``drop_after_commit``: applied, then no answer). Calls: the
lookup (GET), the create (POST), the update (PATCH) and the delete (DELETE) of ``aep.platform.source_connection``.
Small ``retries``/``retry_backoff``/``timeout`` keep the matrix fast.

The documented policy (``client.RetryPolicy``, connection doc fragment), and so the expected outcome:

* GET, PATCH, DELETE: every fault is retried; the task succeeds. A PATCH applied before its answer was lost is
  sent again with its old ``If-Match``; AEP answers 412, the engine re-reads and finds it done. A DELETE applied
  before its answer was lost gets 404 when sent again, which means done.
* POST: a 429 is sent again (AEP did not act on it). A 5xx is not: the engine looks the object up, finds none,
  and creates it. A dropped answer: the engine looks it up and finds it. A timeout: AEP may still act on the
  POST, so it is looked up but never sent again, and the task fails saying so; the rerun creates it.
* Never more than one object; the rerun of a successful task changes nothing.
"""
import time

import pytest

from harness import CHATLIO_SPEC, STREAMING_PROVIDER, _checked, run_playbook

NAME = "Retry policy source (it)"
FS = "/data/foundation/flowservice"
FAST = {"retries": 3, "retry_backoff": 0.05, "retry_deadline": 20, "timeout": 1}
FAULTS = {
    "429": {"status": 429, "retry_after": 0},
    "500": {"status": 500},
    "503": {"status": 503},
    "timeout": {"latency_ms": 1600},
    "dropped": {"drop_after_commit": True},
}
CALLS = {
    "read": ("GET", r"/flowservice/sourceConnections$"),
    "create": ("POST", r"/flowservice/sourceConnections$"),
    "update": ("PATCH", r"/flowservice/sourceConnections/"),
    "delete": ("DELETE", r"/flowservice/sourceConnections/"),
}


def task(**args):
    body = dict(FAST, name=NAME, connection_spec_id=CHATLIO_SPEC, provider_id=STREAMING_PROVIDER,
                description="Chatlio events")
    body.update(args)
    return {"name": "source", "aep.platform.source_connection": body}


def objects(emulator):
    resp = emulator.api("GET", FS + "/sourceConnections", params={"property": "name==%s" % NAME})
    return [item for item in _checked(resp, 200).get("items", []) if item.get("name") == NAME]


def calls(emulator, method, settle=0.0):
    """Statuses of the logged ``method`` calls to /sourceConnections (delayed calls are logged when answered)."""
    time.sleep(settle)
    return [r["status"] for r in emulator.client.request_log()
            if r["method"] == method and "/sourceConnections" in r["path"]]


def existing(emulator):
    return _checked(emulator.api("POST", FS + "/sourceConnections", json={
        "name": NAME, "description": "Chatlio events", "providerId": STREAMING_PROVIDER,
        "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}, "data": {"format": "json"}}), 201)["id"]


@pytest.mark.parametrize("fault", list(FAULTS))
@pytest.mark.parametrize("call", list(CALLS))
def test_retry_policy_matrix(emulator, call, fault):
    method, path = CALLS[call]
    object_id = existing(emulator) if call in ("update", "delete") else None
    args = {"description": "changed"} if call == "update" else {"state": "absent"} if call == "delete" else {}
    emulator.clear_log()
    emulator.hook("POST", "/faults", json=dict(FAULTS[fault], method=method, path=path, count=1))

    result = run_playbook(emulator, [task(**args)])[0]
    settle = 2.0 if fault == "timeout" else 0.0
    statuses = calls(emulator, method, settle)
    emulator.hook("DELETE", "/faults")
    assert "Traceback" not in str(result)

    if call == "create" and fault == "timeout":
        # no answer: AEP may still create it; looked up, never sent again, a clear failure
        assert result.failed and not result.changed, result
        assert "not sent again" in result["msg"] and "Run the task again" in result["msg"], result["msg"]
        assert len(statuses) == 1, statuses
        assert objects(emulator) == []
        rerun = run_playbook(emulator, [task()])[0]
        assert rerun.changed and not rerun.failed, rerun
        assert len(objects(emulator)) == 1
        return

    assert result.changed and not result.failed, result
    if call == "create":
        expected = {"429": [429, 201], "500": [500, 201], "503": [503, 201], "dropped": [201]}[fault]
        assert statuses == expected, statuses
    elif call == "read":
        lookups = [r["status"] for r in emulator.client.request_log()
                   if r["method"] == "GET" and r["path"] == FS + "/sourceConnections"]
        status = FAULTS[fault].get("status")
        assert lookups[0] == status and lookups.count(status) == 1 if status else len(lookups) >= 2, lookups
    elif fault != "dropped":
        assert statuses == [FAULTS[fault]["status"], 200 if call == "update" else statuses[1]] if "status" in FAULTS[fault] \
            else len(statuses) == 2, statuses
    if call == "delete":
        assert objects(emulator) == []
        return
    stored = objects(emulator)
    assert len(stored) == 1, stored  # never a duplicate
    if call == "update":
        assert stored[0]["id"] == object_id and stored[0]["description"] == "changed"
        assert statuses.count(200) == 1, statuses  # applied once
    emulator.clear_log()
    rerun = run_playbook(emulator, [task(**args)])[0]
    assert not rerun.changed and not rerun.failed, rerun
    assert emulator.writes() == []


def test_persistent_500_on_a_read_fails_after_the_stated_retries(emulator):
    emulator.hook("POST", "/faults", json={"method": "GET", "path": CALLS["read"][1], "count": 100, "status": 500})
    result = run_playbook(emulator, [task()])[0]
    emulator.hook("DELETE", "/faults")
    assert result.failed and result["status"] == 500, result
    assert calls(emulator, "GET") == [500] * (FAST["retries"] + 1)
    assert calls(emulator, "POST") == [] and objects(emulator) == []


def test_retry_after_beyond_the_deadline_fails_at_once(emulator):
    emulator.hook("POST", "/faults", json={"method": "GET", "path": CALLS["read"][1], "count": 100, "status": 429,
                                           "retry_after": 3600})
    started = time.monotonic()
    result = run_playbook(emulator, [task(retry_deadline=5)])[0]
    emulator.hook("DELETE", "/faults")
    assert time.monotonic() - started < 60
    assert result.failed and result["status"] == 429 and result["error_type"] == "RateLimitedError", result
    assert calls(emulator, "GET") == [429]  # no wait can end within the deadline: no pointless retry
