"""Replay Adobe's Chatlio tutorial as plain HTTP against the emulator.

The tutorial's requests are the project's own test data: ``fixtures/chatlio_tutorial.json`` holds every curl
request (method, path, headers, JSON body) with the JSON response example documented after it, and Adobe's
sample webhook payload (API-FACTS §3.3); ``test_tutorial_fixture.py`` checks that file against ``shared/`` when
it is present. Rewrites: host → emulator, `{TENANT_ID}`/`extconndev` → `emulated`, header placeholders → real
credentials, documented ids → ids returned by earlier steps. The schema and dataset the tutorial only links
to are created first through the Schema Registry and Catalog APIs, with the six Chatlio string fields.

Schema class: parametrised. With XDM Individual Profile the tutorial's six legacy mappings are sent exactly
as written (the class requires no field). With XDM ExperienceEvent the class requires `_id` and `timestamp`,
so `uuid()`/`now()` expression mappings are appended to the tutorial's mappings (API-FACTS §3.4)."""

import json
import re

import pytest
import requests

from emulator_support import CHATLIO_FIELDS, CLIENT_ID, EXPERIENCE_EVENT, FIXTURES, FS, ORG, TENANT

TUTORIAL = json.loads((FIXTURES / "chatlio_tutorial.json").read_text())
PROFILE = "https://ns.adobe.com/xdm/context/profile"

ETAG = re.compile(r'^"[0-9a-f]{8}-0000-0200-0000-[0-9a-f]{12}"$')


def tutorial_steps() -> list[dict]:
    """Every request of the tutorial with the JSON response example documented after it (a fresh copy)."""
    return json.loads(json.dumps(TUTORIAL["steps"]))


def sample_payload() -> dict:
    """Adobe's sample Chatlio webhook payload (API-FACTS §3.3)."""
    return dict(TUTORIAL["sample_payload"])


def retenant(value):
    """`{TENANT_ID}` and Adobe's `extconndev` tenant → the emulator's tenant, in every string."""
    text = json.dumps(value).replace("{TENANT_ID}", TENANT).replace("extconndev", TENANT)
    return json.loads(text)


# --- the replay ---------------------------------------------------------------------------------------

def create_schema_and_dataset(aep, class_id: str) -> tuple[str, str]:
    field_group = aep.post("/data/foundation/schemaregistry/tenant/fieldgroups", json={
        "type": "object", "title": "Chatlio fields", "description": "The tutorial's Chatlio fields",
        "meta:intendedToExtend": [class_id],
        "definitions": {"chatlio": {"properties": {f"_{TENANT}": {"type": "object", "properties": {
            name: {"title": name, "type": "string"} for name in CHATLIO_FIELDS}}}}},
        "allOf": [{"$ref": "#/definitions/chatlio"}]})
    assert field_group.status_code == 201, field_group.text
    schema = aep.post("/data/foundation/schemaregistry/tenant/schemas", json={
        "type": "object", "title": "Chatlio schema", "description": "Target schema of the tutorial",
        "allOf": [{"$ref": class_id}, {"$ref": field_group.json()["$id"]}]})
    assert schema.status_code == 201, schema.text
    schema_id = schema.json()["$id"]
    dataset = aep.post("/data/foundation/catalog/dataSets", json={
        "name": "Chatlio dataset", "schemaRef": {"id": schema_id,
                                                 "contentType": "application/vnd.adobe.xed+json;version=1"}})
    assert dataset.status_code == 201, dataset.text
    return schema_id, dataset.json()[0].rsplit("/", 1)[-1]


class Replayer:
    def __init__(self, aep):
        self.aep = aep
        self.ids: dict[str, str] = {}  # documented id → id the emulator returned

    def send(self, step: dict, body=None, with_token: bool = True) -> requests.Response:
        values = {"{ACCESS_TOKEN}": self.aep.token, "{API_KEY}": CLIENT_ID, "{ORG_ID}": ORG,
                  "{SANDBOX_NAME}": "prod"}
        headers = {}
        for name, value in step["headers"].items():
            for placeholder, real in values.items():
                value = value.replace(placeholder, real)
            headers[name] = value
        if with_token:
            headers.setdefault("Authorization", f"Bearer {self.aep.token}")
        path = step["path"]
        for documented, actual in self.ids.items():
            path = path.replace(documented, actual)
        data = None
        if body is not None:
            text = json.dumps(body)
            for documented, actual in self.ids.items():
                text = text.replace(documented, actual)
            data = text.encode()
        return requests.request(step["method"], self.aep.url + path, headers=headers, data=data)


@pytest.mark.parametrize("class_id", [PROFILE, EXPERIENCE_EVENT], ids=["profile", "experienceevent"])
def test_tutorial_replay(aep, class_id):
    steps = tutorial_steps()
    assert [(s["method"], s["path"].split("?")[0]) for s in steps] == [
        ("POST", f"{FS}/sourceConnections"), ("POST", f"{FS}/targetConnections"),
        ("POST", "/data/foundation/conversion/mappingSets"), ("POST", f"{FS}/flows"),
        ("GET", f"{FS}/flows/4982698b-e6b3-48c2-8dcf-040e20121fd2")]
    source_step, target_step, mapping_step, flow_step, get_step = steps
    schema_id, dataset_id = create_schema_and_dataset(aep, class_id)
    replay = Replayer(aep)

    def created(step, body, documented_id):
        response = replay.send(step, body)
        assert response.status_code == 201, response.text
        assert set(response.json()) == set(step["response"]) == {"id", "etag"}
        assert ETAG.match(response.json()["etag"]) and ETAG.match(step["response"]["etag"])
        replay.ids[documented_id] = response.json()["id"]
        return response.json()["id"]

    source_id = created(source_step, source_step["body"], source_step["response"]["id"])

    target_body = retenant(target_step["body"])
    target_body["data"]["schema"]["id"] = schema_id
    target_body["params"]["dataSetId"] = dataset_id
    target_id = created(target_step, target_body, target_step["response"]["id"])

    mapping_body = retenant(mapping_step["body"])
    mapping_body["outputSchema"]["schemaRef"]["id"] = schema_id
    assert len(mapping_body["mappings"]) == 6 and all("sourceAttribute" in m for m in mapping_body["mappings"])
    if class_id == EXPERIENCE_EVENT:
        mapping_body["mappings"] += [{"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
                                     {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]
    mapping = replay.send(mapping_step, mapping_body)
    assert mapping.status_code == 200, mapping.text
    documented = mapping_step["response"]
    assert set(documented) <= set(mapping.json())
    assert mapping.json()["version"] == documented["version"] == 0
    assert all(isinstance(mapping.json()[k], int) for k in ("createdDate", "modifiedDate"))
    assert re.fullmatch(r"[0-9a-f]{32}", mapping.json()["id"])
    replay.ids[documented["id"]] = mapping.json()["id"]

    # The tutorial's flow request has no Authorization header: as written the gateway refuses it.
    unauthenticated = replay.send(flow_step, flow_step["body"], with_token=False)
    assert unauthenticated.status_code == 403
    assert unauthenticated.json() == {"error_code": "403010", "message": "Oauth token is missing."}
    flow_id = created(flow_step, flow_step["body"], flow_step["response"]["id"])
    replay.ids["4982698b-e6b3-48c2-8dcf-040e20121fd2"] = flow_id  # the GET example uses yet another id

    got = replay.send(get_step)
    assert got.status_code == 200, got.text
    assert set(got.json()) == set(get_step["response"]) == {"items"}
    flow, example = got.json()["items"][0], get_step["response"]["items"][0]
    assert set(example) <= set(flow), set(example) - set(flow)
    for key in ("inheritedAttributes", "lastOperation", "flowSpec"):
        assert set(example[key]) <= set(flow[key]), key
    assert flow["id"] == flow_id and flow["state"] == "enabled" and flow["imsOrgId"] == ORG
    assert flow["sourceConnectionIds"] == [source_id] and flow["targetConnectionIds"] == [target_id]
    assert flow["transformations"] == [{"name": "Mapping", "params": {"mappingId": mapping.json()["id"],
                                                                      "mappingVersion": 0}}]
    assert flow["inheritedAttributes"]["properties"] == {"isSourceFlow": True}
    assert flow["inheritedAttributes"]["sourceConnections"] == [
        {"id": source_id, "connectionSpec": source_step["body"]["connectionSpec"]}]
    assert flow["inheritedAttributes"]["targetConnections"] == [
        {"id": target_id, "connectionSpec": target_step["body"]["connectionSpec"]}]
    assert flow["runs"] == f"/runs?property=flowId=={flow_id}"
    assert flow["version"] == flow["etag"] and ETAG.match(flow["etag"])
    inlet_url = flow["options"]["inletUrl"]
    assert re.fullmatch(re.escape(aep.url) + r"/collection/[0-9a-f]{64}", inlet_url)

    # Chatlio posts its webhook with the flow id in the query string and no other header.
    payload = sample_payload()
    posted = requests.post(f"{inlet_url}?x-adobe-flow-id={flow_id}", data=json.dumps(payload),
                           headers={"Content-Type": "application/json"})
    assert posted.status_code == 200, posted.text
    assert set(posted.json()) == {"inletId", "xactionId", "receivedTimeMs"}
    assert posted.json()["inletId"] == inlet_url.rsplit("/", 1)[-1]

    stored = aep.hook("GET", f"/datasets/{dataset_id}/records", params={"sandbox": "prod"}).json()
    assert stored["count"] == 1
    record = stored["records"][0]
    assert record.pop(f"_{TENANT}") == {
        "UUID": payload["visitor"]["UUID"], "chatlio_email": payload["visitor"]["email"],
        "message": payload["message"], "channel_ID": payload["channelId"],
        "slackchannel_name": payload["slackChannelName"], "slackchannel_ID": payload["slackChannelId"]}
    if class_id == EXPERIENCE_EVENT:
        assert re.fullmatch(r"[0-9a-f-]{36}", record.pop("_id"))
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record.pop("timestamp"))
    assert record == {}

    runs = aep.get(f"{FS}{flow['runs']}").json()["items"]
    assert len(runs) == 1 and runs[0]["flowId"] == flow_id
    summary = runs[0]["metrics"]["recordSummary"]
    assert (summary["inputRecordCount"], summary["outputRecordCount"], summary["failedRecordCount"]) == (1, 1, 0)
