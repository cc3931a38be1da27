"""aep.platform.dataset and dataset_info against the emulator."""
import pytest

from harness import run_playbook
from registry_helpers import (api_field_group, api_schema, assert_failed_without_writes, dataset_get, dataset_patch,
                              module_task, run_one, write_summary)

NAME = "Chatlio Events dataset (it)"


@pytest.fixture
def schemas(emulator):
    group = api_field_group(emulator, "dataset test fields")
    first = api_schema(emulator, "dataset test schema", groups=[group["$id"]])
    second = api_schema(emulator, "another schema", groups=[group["$id"]])
    emulator.clear_log()
    return first["$id"], second["$id"]


def dataset(emulator, schema_id, check=False, diff=False, **args):
    body = {"name": NAME, "description": "Chatlio events", "schema_id": schema_id,
            "tags": {"team": ["data", "marketing"]}}
    body.update(args)
    return run_one(emulator, "dataset", body, check=check, diff=diff)


def test_lifecycle(emulator, schemas):
    schema_id = schemas[0]
    created = dataset(emulator, schema_id)
    assert not created.failed, created
    assert created.changed
    did = created["id"]
    assert len(did) == 24 and created["dataset"]["id"] == did
    stored = dataset_get(emulator, did)
    assert stored["name"] == NAME and stored["description"] == "Chatlio events"
    assert stored["schemaRef"] == {"id": schema_id, "contentType": "application/vnd.adobe.xed+json;version=1"}
    assert stored["tags"] == {"team": ["data", "marketing"]}

    # rerun, and tag values in another order: unchanged, no writes
    emulator.clear_log()
    again = dataset(emulator, schema_id)
    assert not again.failed and not again.changed and again["id"] == did
    assert not dataset(emulator, schema_id, tags={"team": ["marketing", "data"]}).changed
    assert emulator.writes() == []

    # check mode + diff
    preview = dataset(emulator, schema_id, check=True, diff=True, description="Chatlio webhook events")
    assert preview.changed and not preview.failed
    assert preview.diff["before"]["description"] == "Chatlio events"
    assert preview.diff["after"]["description"] == "Chatlio webhook events"
    assert preview.diff["after"]["schema_id"] == schema_id
    assert emulator.writes() == []
    assert dataset_get(emulator, did)["description"] == "Chatlio events"

    updated = dataset(emulator, schema_id, diff=True, description="Chatlio webhook events")
    assert updated.changed and updated["id"] == did
    assert write_summary(emulator) == ["PATCH /data/foundation/catalog/dataSets/" + did]
    assert dataset_get(emulator, did)["description"] == "Chatlio webhook events"

    # a tag added elsewhere is left alone; drift of an owned tag and the description is repaired
    dataset_patch(emulator, did, {"tags": {"team": ["data"], "adobe/siphon/table/format": ["parquet"]},
                                  "description": "edited"})
    emulator.clear_log()
    repaired = dataset(emulator, schema_id, diff=True, description="Chatlio webhook events")
    assert repaired.changed and repaired.diff["before"]["tags"]["team"] == ["data"]
    stored = dataset_get(emulator, did)
    assert stored["description"] == "Chatlio webhook events"
    assert sorted(stored["tags"]["team"]) == ["data", "marketing"]
    assert stored["tags"]["adobe/siphon/table/format"] == ["parquet"]
    emulator.clear_log()
    assert not dataset(emulator, schema_id, description="Chatlio webhook events").changed
    assert not dataset(emulator, schema_id, description=None, tags=None).changed
    assert emulator.writes() == []

    # rename by id
    renamed = dataset(emulator, None, id=did, name=NAME + " renamed", description=None, tags=None)
    assert renamed.changed and dataset_get(emulator, did)["name"] == NAME + " renamed"
    dataset(emulator, None, id=did, name=NAME, description=None, tags=None)

    # info by name, id, unknown name, unknown id
    run = run_playbook(emulator, [module_task("dataset_info", {"name": NAME}), module_task("dataset_info", {"id": did}),
                                  module_task("dataset_info", {"name": "nope"}),
                                  module_task("dataset_info", {"id": "0123456789abcdef01234567"})])
    assert [r["count"] for r in run.results] == [1, 1, 0, 0], run.stdout
    assert run[0]["datasets"][0]["id"] == did and run[1]["datasets"][0]["name"] == NAME

    # absent
    emulator.clear_log()
    preview = dataset(emulator, schema_id, check=True, diff=True, state="absent")
    assert preview.changed and preview.diff["after"] == {} and emulator.writes() == []
    gone = dataset(emulator, schema_id, state="absent")
    assert gone.changed and dataset_get(emulator, did) is None
    assert write_summary(emulator) == ["DELETE /data/foundation/catalog/dataSets/" + did]
    emulator.clear_log()
    again = dataset(emulator, schema_id, state="absent")
    assert not again.changed and not again.failed and emulator.writes() == []


def test_check_mode_create_writes_nothing(emulator, schemas):
    preview = dataset(emulator, schemas[0], check=True, diff=True)
    assert preview.changed and not preview.failed and preview["id"].startswith("0" * 12 + "a")  # a placeholder carrying its schema
    assert preview.diff["before"] == {}
    assert preview.diff["after"] == {"name": NAME, "description": "Chatlio events", "schema_id": schemas[0],
                                     "tags": {"team": ["data", "marketing"]}}
    assert emulator.writes() == []


def test_special_characters_in_name_never_duplicate(emulator, schemas):
    # Catalog's ?name= treats "," as OR and "*" as a wildcard
    name = "Chatlio, events *"
    other = dataset(emulator, schemas[0], name="Chatlio")
    assert other.changed
    first = dataset(emulator, schemas[0], name=name)
    assert first.changed and first["id"] != other["id"]
    emulator.clear_log()
    again = dataset(emulator, schemas[0], name=name)
    assert not again.changed and again["id"] == first["id"] and emulator.writes() == []


def test_bad_inputs_fail_before_any_write(emulator, schemas):
    existing = dataset(emulator, schemas[0])
    assert existing.changed
    emulator.clear_log()
    missing = schemas[0][:-6] + ("abcdef" if not schemas[0].endswith("abcdef") else "fedcba")
    cases = [
        (dict(name="new dataset", schema_id=missing), ["schema_id", missing, "does not exist"]),
        (dict(name="new dataset", schema_id="my-schema"), ["schema_id", "not a valid id"]),
        (dict(name="new dataset", schema_id=None), ["schema_id is required"]),
        (dict(id="12345", schema_id=None), ["id", "not a valid id"]),
        (dict(id="0123456789abcdef01234567", schema_id=None), ["no dataset with id"]),
        (dict(schema_id=schemas[1]), ["schema_id", "cannot change the schema", existing["id"]]),
        (dict(tags={"team": [{"a": 1}]}), ["tags.team", "list of strings"]),
        (dict(name=None, id=None), ["one of the following is required", "name", "id"]),
    ]
    tasks = []
    for args, dummy in cases:
        body = {"name": NAME, "schema_id": schemas[0]}
        body.update(args)
        tasks.append(dict(module_task("dataset", body), ignore_errors=True))
    run = run_playbook(emulator, tasks)
    assert len(run) == len(cases), run.stdout
    for result, (args, needles) in zip(run.results, cases):
        assert result.failed, (args, result)
        for needle in needles:
            assert needle in result["msg"], (needle, result["msg"])
    assert emulator.writes() == []
    assert dataset_get(emulator, existing["id"])["schemaRef"]["id"] == schemas[0]


def test_duplicate_names_fail_listing_ids(emulator, schemas):
    ids = []
    for dummy in range(2):
        resp = emulator.api("POST", "/data/foundation/catalog/dataSets", json={
            "name": NAME, "schemaRef": {"id": schemas[0], "contentType": "application/vnd.adobe.xed+json;version=1"}})
        assert resp.status_code == 201, resp.text
        ids.append(resp.json()[0].rsplit("/", 1)[-1])
    emulator.clear_log()
    assert_failed_without_writes(emulator, dataset(emulator, schemas[0]), *ids)
