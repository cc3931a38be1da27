"""Lookups and ``*_info`` read every page (issue 7): more than one page of each kind in a sandbox.

The names hold a comma, so no server-side filter narrows the lookup: the module lists every object and must
follow every page (Schema Registry: 300 per page, paged with ``orderby`` and ``start``; Catalog and Data Prep:
``start``/``limit``; Flow Service: ``continuationToken``). The object looked up sits on the last page.
"""
from harness import CHATLIO_SPEC, STREAMING_PROVIDER, _checked, run_playbook

EE = "https://ns.adobe.com/xdm/context/experienceevent"
XED = {"Accept": "application/json"}
COUNTS = {"field_group": 305, "schema": 305, "dataset": 120, "mapping_set": 120, "source_connection": 105}


def name(index):
    return "Paged, %03d" % index


def make(emulator):
    sr = "/data/foundation/schemaregistry/tenant/"
    for index in range(COUNTS["field_group"]):
        _checked(emulator.api("POST", sr + "fieldgroups", headers=XED, json={
            "type": "object", "title": name(index), "meta:intendedToExtend": [EE],
            "definitions": {"f": {"properties": {"_emulated": {"type": "object", "properties": {
                "note": {"type": "string", "title": "note"}}}}}},
            "allOf": [{"$ref": "#/definitions/f"}]}), 201)
    schema_ids = []
    for index in range(COUNTS["schema"]):
        schema_ids.append(_checked(emulator.api("POST", sr + "schemas", headers=XED, json={
            "type": "object", "title": name(index), "description": "", "allOf": [{"$ref": EE}]}), 201)["$id"])
    for index in range(COUNTS["dataset"]):
        _checked(emulator.api("POST", "/data/foundation/catalog/dataSets", json={
            "name": name(index), "schemaRef": {"id": schema_ids[0],
                                               "contentType": "application/vnd.adobe.xed+json;version=1"}}), 201)
    for index in range(COUNTS["mapping_set"]):
        _checked(emulator.api("POST", "/data/foundation/conversion/mappingSets", json={
            "name": name(index), "outputSchema": {"schemaRef": {
                "id": schema_ids[0], "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
            "mappings": [{"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]}), 200, 201)
    for index in range(COUNTS["source_connection"]):
        _checked(emulator.api("POST", "/data/foundation/flowservice/sourceConnections", json={
            "name": name(index), "providerId": STREAMING_PROVIDER,
            "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}, "data": {"format": "json"}}), 201)


INFO = {"field_group": ("title", "field_groups"), "schema": ("title", "schemas"), "dataset": ("name", "datasets"),
        "mapping_set": ("name", "mapping_sets"), "source_connection": ("name", "source_connections")}


def test_info_counts_every_page_and_a_create_finds_the_last_page(emulator):
    make(emulator)
    emulator.clear_log()
    kinds = sorted(COUNTS)
    run = run_playbook(emulator, [{"name": k, "aep.platform.%s_info" % k: {}} for k in kinds])
    for kind, result in zip(kinds, run.results):
        assert result["count"] == COUNTS[kind], (kind, result.get("count"), result.get("msg"))
        assert len(result[INFO[kind][1]]) == COUNTS[kind]

    last = dict((k, name(COUNTS[k] - 1)) for k in kinds)
    by_name = run_playbook(emulator, [{"name": k, "aep.platform.%s_info" % k: {INFO[k][0]: last[k]}} for k in kinds])
    for kind, result in zip(kinds, by_name.results):
        assert result["count"] == 1, (kind, result)

    # state modules find the object on the last page: nothing is created
    emulator.clear_log()
    tasks = [{"name": k, "aep.platform." + k: {INFO[k][0]: last[k]}} for k in kinds]
    present = run_playbook(emulator, tasks)
    for kind, result in zip(kinds, present.results):
        assert not result.failed and not result.changed, (kind, result)
    assert emulator.writes() == []
