"""The DCS inlet: mapped records land in the dataset, runs count them, error choices."""

import requests

from emulator_support import CHATLIO_PAYLOAD, FS, TENANT, create_chatlio_flow


def post_event(scenario, payload, **kw):
    return requests.post(f"{scenario['inlet_url']}?x-adobe-flow-id={scenario['flow_id']}", json=payload, **kw)


def records(aep, scenario):
    response = aep.hook("GET", f"/datasets/{scenario['dataset_id']}/records",
                        params={"sandbox": scenario["sandbox"]})
    assert response.status_code == 200
    return response.json()["records"]


def run_summary(aep, scenario):
    runs = aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}", sandbox=scenario["sandbox"]).json()
    assert len(runs["items"]) == 1
    return runs["items"][0]


def test_tutorial_payload_is_mapped_and_counted(aep):
    scenario = create_chatlio_flow(aep)
    response = post_event(scenario, CHATLIO_PAYLOAD)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"inletId", "xactionId", "receivedTimeMs"}
    assert scenario["inlet_url"].endswith(body["inletId"]) and isinstance(body["receivedTimeMs"], int)
    (record,) = records(aep, scenario)
    assert record[f"_{TENANT}"] == {"UUID": "2d3f4260-2235-903b-0a82-a23d326cc257", "chatlio_email": "test@example.com",
                                    "message": "Hi", "channel_ID": "C04J7M7LCMQ", "slackchannel_name": "aep",
                                    "slackchannel_ID": "C04JVR71WKS"}
    assert record["_id"] and record["timestamp"]
    run = run_summary(aep, scenario)
    assert run["flowId"] == scenario["flow_id"]
    assert run["metrics"]["recordSummary"]["inputRecordCount"] == 1
    assert run["metrics"]["recordSummary"]["outputRecordCount"] == 1
    assert run["metrics"]["recordSummary"]["failedRecordCount"] == 0
    assert run["metrics"]["statusSummary"]["status"] == "success"
    by_id = aep.get(f"{FS}/runs/{run['id']}").json()["items"][0]
    assert by_id["metrics"] == run["metrics"]


def test_header_flow_id_and_no_flow_id(aep):
    scenario = create_chatlio_flow(aep)
    with_header = requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD,
                                headers={"x-adobe-flow-id": scenario["flow_id"]})
    assert with_header.status_code == 200
    assert requests.post(scenario["inlet_url"], json=CHATLIO_PAYLOAD).status_code == 200
    assert len(records(aep, scenario)) == 2


def test_mapping_failures_are_counted(aep):
    scenario = create_chatlio_flow(aep)
    # The schema's fields are strings; an object cannot be converted, so the record fails.
    assert post_event(scenario, {**CHATLIO_PAYLOAD, "message": {"not": "a string"}}).status_code == 200
    assert post_event(scenario, CHATLIO_PAYLOAD).status_code == 200
    summary = run_summary(aep, scenario)["metrics"]
    assert summary["recordSummary"]["inputRecordCount"] == 2
    assert summary["recordSummary"]["outputRecordCount"] == 1
    assert summary["recordSummary"]["failedRecordCount"] == 1
    assert summary["statusSummary"]["status"] == "partialSuccess"
    assert len(records(aep, scenario)) == 1


def test_oversize_event_413(aep):
    scenario = create_chatlio_flow(aep)
    big = {"message": "x" * (1024 * 1024 + 10)}
    response = post_event(scenario, big)
    assert response.status_code == 413
    assert response.json()["status"] == "413"
    assert records(aep, scenario) == []


def test_inlet_error_choices(aep):
    scenario = create_chatlio_flow(aep)
    unknown = requests.post(f"{aep.url}/collection/{'0' * 64}", json=CHATLIO_PAYLOAD)
    assert unknown.status_code == 404 and unknown.json()["type"].endswith("inlet-not-found")
    mismatch = requests.post(f"{scenario['inlet_url']}?x-adobe-flow-id=other", json=CHATLIO_PAYLOAD)
    assert mismatch.status_code == 400
    not_json = requests.post(scenario["inlet_url"], data=b"{nope", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400
    assert aep.post(f"{FS}/flows/{scenario['flow_id']}/action?op=disable").status_code == 200
    disabled = post_event(scenario, CHATLIO_PAYLOAD)
    assert disabled.status_code == 403 and disabled.json()["type"].endswith("flow-disabled")
    assert records(aep, scenario) == []
    assert aep.get(f"{FS}/runs?property=flowId=={scenario['flow_id']}").json()["items"] == []


def test_records_are_isolated_per_sandbox(aep):
    prod = create_chatlio_flow(aep, "prod")
    dev = create_chatlio_flow(aep, "dev")
    assert post_event(dev, CHATLIO_PAYLOAD).status_code == 200
    assert len(records(aep, dev)) == 1
    assert records(aep, prod) == []
    assert aep.get(f"{FS}/runs").json()["items"] == []
    assert len(aep.get(f"{FS}/runs", sandbox="dev").json()["items"]) == 1


def test_flow_uses_its_mapping_version(aep):
    """A flow pins `mappingVersion`: a later PUT of the mapping set is used only by a flow that names the new
    version, or names none (then the latest is resolved per event, never cached as "latest")."""
    scenario = create_chatlio_flow(aep)
    mapping_path = f"/data/foundation/conversion/mappingSets/{scenario['mapping_id']}"
    flow_path = f"{FS}/flows/{scenario['flow_id']}"
    version_path = "/transformations/0/params/mappingVersion"
    etag = scenario["flow"]["etag"]

    def set_version(op):
        nonlocal etag
        response = aep.patch(flow_path, json=[op], headers={"If-Match": etag})
        assert response.status_code == 200, response.text
        etag = response.json()["etag"]

    assert post_event(scenario, CHATLIO_PAYLOAD).status_code == 200  # pinned to 0
    set_version({"op": "remove", "path": version_path})
    assert post_event(scenario, CHATLIO_PAYLOAD).status_code == 200  # latest = 0
    current = aep.get(mapping_path).json()
    changed = [m for m in current["mappings"] if m["destination"] != f"_{TENANT}.message"]
    changed.append({"sourceType": "EXPRESSION", "source": "upper(message)", "destination": f"_{TENANT}.message"})
    put = aep.put(mapping_path, json={"outputSchema": current["outputSchema"], "mappings": changed})
    assert put.status_code == 200 and put.json()["version"] == 1
    assert post_event(scenario, CHATLIO_PAYLOAD).status_code == 200  # latest = 1
    set_version({"op": "add", "path": version_path, "value": 0})
    assert post_event(scenario, CHATLIO_PAYLOAD).status_code == 200
    set_version({"op": "replace", "path": version_path, "value": 1})
    assert post_event(scenario, CHATLIO_PAYLOAD).status_code == 200
    messages = [r[f"_{TENANT}"]["message"] for r in records(aep, scenario)]
    assert messages == ["Hi", "Hi", "HI", "Hi", "HI"]
