"""Test hooks: request log, faults, reset, health."""

import time

import pytest
import requests

from emulator_support import CHATLIO_PAYLOAD, FS, create_chatlio_flow


def test_health(aep):
    assert aep.hook("GET", "/health").json() == {"status": "ok"}


def test_request_log_records_api_calls_only(aep):
    aep.hook("DELETE", "/requests")
    aep.get(f"{FS}/flows", sandbox="dev")
    aep.get(f"{FS}/flows/nope", sandbox="dev")
    aep.hook("GET", "/health")
    log = aep.hook("GET", "/requests").json()
    assert log == {"count": 2, "requests": [
        {"method": "GET", "path": f"{FS}/flows", "status": 200, "sandbox": "dev"},
        {"method": "GET", "path": f"{FS}/flows/nope", "status": 404, "sandbox": "dev"}]}
    aep.hook("DELETE", "/requests")
    assert aep.hook("GET", "/requests").json()["count"] == 0


def test_fault_429_with_retry_after_then_recovers(aep):
    aep.hook("POST", "/faults", json={"method": "GET", "path": "/flows$", "count": 2, "status": 429,
                                      "retry_after": 3})
    for _attempt in range(2):
        response = aep.get(f"{FS}/flows")
        assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    assert aep.get(f"{FS}/sourceConnections").status_code == 200  # path does not match
    assert aep.get(f"{FS}/flows").status_code == 200
    statuses = [r["status"] for r in aep.hook("GET", "/requests").json()["requests"]]
    assert statuses[-4:] == [429, 429, 200, 200]


@pytest.mark.parametrize("status", [500, 503])
def test_fault_status_only_for_matching_method(aep, status):
    aep.hook("POST", "/faults", json={"method": "POST", "path": "sourceConnections", "count": 1, "status": status})
    assert aep.get(f"{FS}/sourceConnections").status_code == 200
    assert aep.post(f"{FS}/sourceConnections", json={"name": "x"}).status_code == status
    assert aep.get(f"{FS}/sourceConnections?count=true").json() == {"count": 0}


def test_fault_latency(aep):
    aep.hook("POST", "/faults", json={"path": "/flows$", "count": 1, "latency_ms": 300})
    started = time.monotonic()
    assert aep.get(f"{FS}/flows").status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_after_commit(aep):
    scenario = create_chatlio_flow(aep)
    aep.hook("POST", "/faults", json={"method": "POST", "path": "^/collection/", "count": 1,
                                      "drop_after_commit": True})
    with pytest.raises(requests.ConnectionError):
        requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD)
    records = aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records").json()["records"]
    assert len(records) == 1  # committed although the client never saw the answer
    assert requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD).status_code == 200


def test_bad_fault_rejected(aep):
    assert aep.hook("POST", "/faults", json={"status": 418}).status_code == 400
    assert aep.hook("POST", "/faults", json={"path": "("}).status_code == 400


def test_reset_forgets_everything_but_tokens(aep):
    scenario = create_chatlio_flow(aep)
    requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD)
    aep.hook("POST", "/sandboxes", json={"name": "temp"})
    aep.hook("POST", "/faults", json={"path": "x", "count": 5, "status": 500})
    assert aep.hook("POST", "/reset").status_code == 200
    assert aep.get(f"{FS}/flows").json()["items"] == []  # the token still works
    assert aep.get("/data/foundation/catalog/dataSets").json() == {}
    assert aep.get(f"{FS}/runs").json()["items"] == []
    assert aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records").json()["records"] == []
    assert aep.hook("GET", "/faults").json()["faults"] == []
    assert aep.get(f"{FS}/flows", sandbox="temp").status_code == 404
    assert aep.hook("GET", "/requests").json()["count"] == 4  # only the calls made after the reset


# --- a create that commits late (commit_delay_ms) ---------------------------------------------------------

def _source_body(name: str) -> dict:
    return {"name": name, "connectionSpec": {"id": "073127a3-26e3-496c-9d94-9f48fb93fba8", "version": "1.0"},
            "data": {"format": "json"}}


def _named(aep, name: str) -> list[dict]:
    return aep.get(f"{FS}/sourceConnections?property=name=={name}").json()["items"]


def test_commit_delay_creates_the_object_after_the_client_gave_up(aep):
    armed = aep.hook("POST", "/faults", json={"method": "POST", "path": "/sourceConnections$", "commit_delay_ms": 1500})
    assert armed.json()["faults"][0]["commit_delay_ms"] == 1500
    aep.hook("DELETE", "/requests")
    with pytest.raises(requests.ConnectionError):
        aep.post(f"{FS}/sourceConnections", json=_source_body("late"))
    assert _named(aep, "late") == []  # the client got no answer and nothing exists yet
    assert aep.hook("GET", "/faults").json() == {"faults": [], "pending_late_commits": 1}
    deadline = time.monotonic() + 20
    while not _named(aep, "late") and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(_named(aep, "late")) == 1  # committed once, after the client gave up
    assert aep.hook("GET", "/faults").json()["pending_late_commits"] == 0
    posts = [r for r in aep.hook("GET", "/requests").json()["requests"] if r["method"] == "POST"]
    assert posts == [{"method": "POST", "path": f"{FS}/sourceConnections", "status": 201, "sandbox": "prod"}]


def test_reset_cancels_a_pending_late_commit(aep):
    aep.hook("POST", "/faults", json={"method": "POST", "path": "/sourceConnections$", "commit_delay_ms": 800})
    with pytest.raises(requests.ConnectionError):
        aep.post(f"{FS}/sourceConnections", json=_source_body("never"))
    aep.reset()
    assert aep.hook("GET", "/faults").json()["pending_late_commits"] == 0
    time.sleep(1.2)
    assert _named(aep, "never") == []


@pytest.mark.parametrize("body, message", [
    ({"commit_delay_ms": 100, "status": 500}, "commit_delay_ms cannot be combined"),
    ({"commit_delay_ms": -1}, "commit_delay_ms"),
    ({"commit_delay": 100}, "commit_delay: Extra inputs are not permitted"),
    ({"count": "2"}, "count: Input should be a valid integer"),
])
def test_fault_body_is_validated(aep, body, message):
    response = aep.hook("POST", "/faults", json=body)
    assert response.status_code == 400 and message in response.json()["detail"], response.text
    assert aep.hook("GET", "/faults").json()["faults"] == []
