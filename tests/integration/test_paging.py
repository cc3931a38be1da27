"""Lists longer than a page, through the modules against the emulator (issue 7, "Lists stop at 300").

A sandbox holds 305 field groups and 305 schemas (Schema Registry answers at most 300 per page, and pages only
when ``orderby`` is sent), 120 datasets (Catalog, 100 per page), 120 source connections (Flow Service, 100 per
page) and 120 mapping sets (Data Prep, 100 per page). The info modules count them all, and a field group whose
title makes the engine list every field group (a comma) is found on a later page: a rerun changes nothing.
"""
from concurrent.futures import ThreadPoolExecutor

from harness import CHATLIO_SPEC, STREAMING_PROVIDER, _checked, make_schema_dataset_mapping, run_playbook

SR = "/data/foundation/schemaregistry/tenant"
EVENT = "https://ns.adobe.com/xdm/context/experienceevent"
LATE_TITLE = "Zeta, webhook fields"  # sorts after "Group nnn": on the second page; the comma defeats the title filter
GROUP = {"title": LATE_TITLE, "description": "Late page", "fields": [{"name": "chatlio.message", "type": "string"}]}


def bulk(emulator, count, make):
    """``count`` objects made through the API, 8 at a time."""
    with ThreadPoolExecutor(8) as pool:
        for result in pool.map(lambda i: make(emulator, i), range(count)):
            assert result is not None


def field_group(emulator, i):
    return _checked(emulator.api("POST", SR + "/fieldgroups", headers={"Accept": "application/json"}, json={
        "type": "object", "title": "Group %03d" % i, "description": "bulk", "meta:intendedToExtend": [EVENT],
        "definitions": {"d": {"properties": {"_emulated": {"type": "object", "properties": {
            "f%03d" % i: {"title": "f", "type": "string"}}}}}}, "allOf": [{"$ref": "#/definitions/d"}]}), 201)


def schema(emulator, i):
    return _checked(emulator.api("POST", SR + "/schemas", headers={"Accept": "application/json"}, json={
        "title": "Schema %03d" % i, "description": "bulk", "type": "object", "allOf": [{"$ref": EVENT}]}), 201)


def maker(kind, fixtures):
    def dataset(emulator, i):
        return _checked(emulator.api("POST", "/data/foundation/catalog/dataSets", json={
            "name": "Dataset %03d" % i,
            "schemaRef": {"id": fixtures["schema_id"], "contentType": "application/vnd.adobe.xed+json;version=1"}}), 201)

    def source(emulator, i):
        return _checked(emulator.api("POST", "/data/foundation/flowservice/sourceConnections", json={
            "name": "Source %03d" % i, "providerId": STREAMING_PROVIDER,
            "connectionSpec": {"id": CHATLIO_SPEC, "version": "1.0"}, "data": {"format": "json"}}), 201)

    def mapping(emulator, i):
        return _checked(emulator.api("POST", "/data/foundation/conversion/mappingSets", json={
            "name": "Mapping %03d" % i,
            "outputSchema": {"schemaRef": {"id": fixtures["schema_id"],
                                           "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
            "mappings": [{"sourceType": "ATTRIBUTE", "source": "message", "destination": "_emulated.message"},
                         {"sourceType": "EXPRESSION", "source": "uuid()", "destination": "_id"},
                         {"sourceType": "EXPRESSION", "source": "now()", "destination": "timestamp"}]}), 200, 201)

    return {"dataset": dataset, "source": source, "mapping": mapping}[kind]


def test_info_modules_count_every_page_and_a_create_finds_a_late_page(emulator):
    created = run_playbook(emulator, [{"name": "group", "aep.platform.field_group": GROUP}])[0]
    assert created.changed and not created.failed, created
    fixtures = make_schema_dataset_mapping(emulator)  # 1 more field group, schema, dataset and mapping set
    bulk(emulator, 305, field_group)
    bulk(emulator, 305, schema)
    for kind in ("dataset", "source", "mapping"):
        bulk(emulator, 120, maker(kind, fixtures))
    emulator.clear_log()

    run = run_playbook(emulator, [
        {"name": "groups", "aep.platform.field_group_info": {}},
        {"name": "schemas", "aep.platform.schema_info": {}},
        {"name": "datasets", "aep.platform.dataset_info": {}},
        {"name": "sources", "aep.platform.source_connection_info": {}},
        {"name": "mappings", "aep.platform.mapping_set_info": {}},
        {"name": "group again", "aep.platform.field_group": GROUP},
        {"name": "late group by title", "aep.platform.field_group_info": {"title": LATE_TITLE}},
    ])
    groups, schemas, datasets, sources, mappings, again, late = run.results
    for result in run.results:
        assert not result.failed, result
    assert groups["count"] == 305 + 2 == len({g["$id"] for g in groups["field_groups"]})
    assert schemas["count"] == 305 + 1 == len({s["$id"] for s in schemas["schemas"]})
    assert datasets["count"] == 120 + 1 == len({d["id"] for d in datasets["datasets"]})
    assert sources["count"] == 120 == len({s["id"] for s in sources["source_connections"]})
    assert mappings["count"] == 120 + 1 == len({m["id"] for m in mappings["mapping_sets"]})
    assert not again.changed and again["id"] == created["id"], again
    assert late["count"] == 1 and late["field_groups"][0]["$id"] == created["id"]
    assert emulator.writes() == []
    # no page was asked for twice beyond the page-boundary title check: 3 GETs per 307-item listing at most
    listed = [r for r in emulator.client.request_log() if r["path"].endswith("/tenant/fieldgroups") and r["method"] == "GET"]
    assert 2 <= len(listed) <= 3 * 3, listed
