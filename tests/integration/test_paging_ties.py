"""More objects share one name than a page holds (breaker report item 5): every lookup and listing counts them all.

Schema Registry pages by title with ``start`` = the last title and answers at most 300 results per response, so
310 field groups titled "Same title" used to be cut to 300 (by title, in the full listing, and in the duplicate
message); 305 titled "Same, title" (a comma: no server-side filter, the page walk) the same. Catalog (offsets),
Data Prep (offsets) and Flow Service (continuation tokens) are checked with the same kind of setup.
"""
from harness import CHATLIO_SPEC, STREAMING_PROVIDER, _checked, run_playbook

EE = "https://ns.adobe.com/xdm/context/experienceevent"
XED = {"Accept": "application/json"}
SR = "/data/foundation/schemaregistry/tenant/"
TITLES = {"Same title": 310, "Same, title": 305, "Apart": 2, "Zeta": 3}
NAMES = {"Same name": 105, "Same, name": 103}


def field_group(title, index):
    return {"type": "object", "title": title, "meta:intendedToExtend": [EE],
            "definitions": {"f": {"properties": {"_emulated": {"type": "object", "properties": {
                "f%d" % index: {"type": "string", "title": "f"}}}}}},
            "allOf": [{"$ref": "#/definitions/f"}]}


def test_field_groups_sharing_a_title_beyond_a_page_are_all_counted(emulator):
    for title, count in TITLES.items():
        for index in range(count):
            _checked(emulator.api("POST", SR + "fieldgroups", headers=XED, json=field_group(title, index)), 201)
    emulator.clear_log()
    run = run_playbook(emulator, [
        {"name": "same", "aep.platform.field_group_info": {"title": "Same title"}},
        {"name": "comma", "aep.platform.field_group_info": {"title": "Same, title"}},
        {"name": "all", "aep.platform.field_group_info": {}},
        {"name": "state", "aep.platform.field_group": {"title": "Same title"}, "ignore_errors": True},
        {"name": "state comma", "aep.platform.field_group": {"title": "Same, title"}, "ignore_errors": True},
    ])
    same, comma, listing, state, state_comma = run.results
    assert same["count"] == 310 and len({g["$id"] for g in same["field_groups"]}) == 310
    assert comma["count"] == 305 and len({g["$id"] for g in comma["field_groups"]}) == 305
    assert listing["count"] == sum(TITLES.values())
    assert len({g["$id"] for g in listing["field_groups"]}) == sum(TITLES.values())
    assert state.failed and state["msg"].startswith("310 field groups with title 'Same title' exist"), state.get("msg")
    assert state_comma.failed and state_comma["msg"].startswith("305 field groups with title 'Same, title' exist")
    assert emulator.writes() == []


def test_datasets_mapping_sets_and_connections_sharing_a_name_beyond_a_page_are_all_counted(emulator):
    schema_id = _checked(emulator.api("POST", SR + "schemas", headers=XED, json={
        "type": "object", "title": "Paged", "description": "", "allOf": [{"$ref": EE}]}), 201)["$id"]
    for name, count in NAMES.items():
        for dummy in range(count):
            _checked(emulator.api("POST", "/data/foundation/catalog/dataSets", json={
                "name": name, "schemaRef": {"id": schema_id, "contentType": "application/vnd.adobe.xed+json;version=1"}}), 201)
            _checked(emulator.api("POST", "/data/foundation/flowservice/sourceConnections", json={
                "name": name, "providerId": STREAMING_PROVIDER, "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"},
                "data": {"format": "json"}}), 201)
    for dummy in range(NAMES["Same name"]):
        _checked(emulator.api("POST", "/data/foundation/conversion/mappingSets", json={
            "name": "Same name", "outputSchema": {"schemaRef": {
                "id": schema_id, "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
            "mappings": [{"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]}), 200, 201)
    tasks = []
    for name in NAMES:
        tasks.append({"name": "dataset " + name, "aep.platform.dataset_info": {"name": name}})
        tasks.append({"name": "source " + name, "aep.platform.source_connection_info": {"name": name}})
    tasks.append({"name": "mapping", "aep.platform.mapping_set_info": {"name": "Same name"}})
    tasks.append({"name": "all datasets", "aep.platform.dataset_info": {}})
    run = run_playbook(emulator, tasks)
    by_task = dict(zip([t["name"] for t in tasks], run.results))
    for name, count in NAMES.items():
        datasets = by_task["dataset " + name]
        assert datasets["count"] == count and len({d["id"] for d in datasets["datasets"]}) == count, (name, datasets)
        sources = by_task["source " + name]
        assert sources["count"] == count and len({s["id"] for s in sources["source_connections"]}) == count, (name, sources)
    assert by_task["mapping"]["count"] == NAMES["Same name"]
    assert len({m["id"] for m in by_task["mapping"]["mapping_sets"]}) == NAMES["Same name"]
    assert by_task["all datasets"]["count"] == sum(NAMES.values())
