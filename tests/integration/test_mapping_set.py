"""aep.platform.mapping_set and mapping_set_info against the emulator."""
import pytest

from harness import run_playbook
from registry_helpers import (TENANT, api_field_group, api_schema, assert_failed_without_writes, mapping_get,
                              mapping_put, mapping_triples, module_task, run_one, write_summary)

NAME = "Chatlio mappings (it)"
T = "_" + TENANT
MAPPINGS = [
    {"source": "message", "destination": T + ".message"},
    {"source": "visitor.UUID", "destination": T + ".UUID"},
    {"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
    {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"},
]


@pytest.fixture
def schema_id(emulator):
    group = api_field_group(emulator, "mapping test fields", fields=("message", "UUID", "channel_ID"))
    schema = api_schema(emulator, "mapping test schema", groups=[group["$id"]])
    emulator.clear_log()
    return schema["$id"]


def mapping_set(emulator, schema_id, check=False, diff=False, **args):
    body = {"name": NAME, "schema_id": schema_id, "mappings": MAPPINGS}
    body.update(args)
    return run_one(emulator, "mapping_set", body, check=check, diff=diff)


def test_lifecycle(emulator, schema_id):
    created = mapping_set(emulator, schema_id)
    assert not created.failed, created
    assert created.changed and created["version"] == 0
    mid = created["id"]
    stored = mapping_get(emulator, mid)
    assert stored["name"] == NAME and stored["outputSchema"]["schemaRef"]["id"] == schema_id
    assert mapping_triples(stored) == sorted((m["source"], m["destination"]) for m in MAPPINGS)

    # rerun, and the mappings in another order: unchanged, zero writes
    emulator.clear_log()
    again = mapping_set(emulator, schema_id)
    assert not again.failed and not again.changed and again["id"] == mid and again["version"] == 0
    assert not mapping_set(emulator, schema_id, mappings=list(reversed(MAPPINGS))).changed
    assert emulator.writes() == []

    # check mode + diff: a new mapping is predicted as a new version, nothing written
    more = MAPPINGS + [{"source": "channelId", "destination": T + ".channel_ID"}]
    preview = mapping_set(emulator, schema_id, check=True, diff=True, mappings=more)
    assert preview.changed and not preview.failed and preview["version"] == 1 and preview["id"] == mid
    added = {"source_type": "ATTRIBUTE", "source": "channelId", "destination": T + ".channel_ID"}
    assert added not in preview.diff["before"]["mappings"] and added in preview.diff["after"]["mappings"]
    assert preview.diff["after"]["schema_id"] == schema_id
    assert emulator.writes() == []
    assert mapping_get(emulator, mid)["version"] == 0

    # the update: one PUT, same id, version 1
    updated = mapping_set(emulator, schema_id, diff=True, mappings=more)
    assert updated.changed and updated["id"] == mid and updated["version"] == 1
    assert write_summary(emulator) == ["PUT /data/foundation/conversion/mappingSets/" + mid]
    assert ("channelId", T + ".channel_ID") in mapping_triples(mapping_get(emulator, mid))
    emulator.clear_log()
    assert not mapping_set(emulator, schema_id, mappings=more).changed and emulator.writes() == []

    # drift through the API (a mapping changed) is detected and repaired with a new version
    drifted = {"name": NAME, "outputSchema": {"schemaRef": {
        "id": schema_id, "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
        "mappings": [{"sourceType": "ATTRIBUTE", "source": "text", "destination": T + ".message"}]}
    mapping_put(emulator, mid, drifted)
    emulator.clear_log()
    repaired = mapping_set(emulator, schema_id, diff=True, mappings=more)
    assert repaired.changed and repaired["version"] == 3
    assert repaired.diff["before"]["mappings"] == [
        {"source_type": "ATTRIBUTE", "source": "text", "destination": T + ".message"}]
    assert mapping_triples(mapping_get(emulator, mid)) == sorted((m["source"], m["destination"]) for m in more)

    # by id without name and mappings: found, nothing to change
    emulator.clear_log()
    by_id = run_one(emulator, "mapping_set", {"id": mid})
    assert not by_id.failed and not by_id.changed and by_id["version"] == 3
    assert emulator.writes() == []

    # info by name, by id, unknown name
    run = run_playbook(emulator, [module_task("mapping_set_info", {"name": NAME}),
                                  module_task("mapping_set_info", {"id": mid}),
                                  module_task("mapping_set_info", {"name": "nope"})])
    assert [r["count"] for r in run.results] == [1, 1, 0], run.stdout
    assert run[0]["mapping_sets"][0]["id"] == mid and run[1]["mapping_sets"][0]["version"] == 3

    # absent: Data Prep has no DELETE, so nothing is written and the module says so
    emulator.clear_log()
    gone = mapping_set(emulator, schema_id, state="absent")
    assert not gone.failed and not gone.changed and "no DELETE" in gone["msg"]
    assert any("no DELETE" in w for w in gone.get("warnings", [])), gone
    assert emulator.writes() == [] and mapping_get(emulator, mid) is not None


def test_check_mode_create_writes_nothing(emulator, schema_id):
    preview = mapping_set(emulator, schema_id, check=True, diff=True)
    assert preview.changed and not preview.failed and preview["version"] == 0 and preview["id"].startswith("0" * 12 + "a")  # a placeholder carrying its schema
    assert preview.diff["before"] == {} and len(preview.diff["after"]["mappings"]) == len(MAPPINGS)
    assert emulator.writes() == []
    run = run_playbook(emulator, [module_task("mapping_set_info", {"name": NAME})])
    assert run[0]["count"] == 0


def test_legacy_keys_and_descriptions(emulator, schema_id):
    # the legacy form has attribute paths only; the calculated _id and timestamp every ExperienceEvent needs stay modern
    legacy = [{"sourceAttribute": m["source"], "destinationXdmPath": m["destination"]}
              for m in MAPPINGS if "source_type" not in m] + [m for m in MAPPINGS if "source_type" in m]
    created = mapping_set(emulator, schema_id, mappings=legacy)
    assert created.changed and not created.failed, created
    emulator.clear_log()
    modern = MAPPINGS
    assert not mapping_set(emulator, schema_id, mappings=modern).changed and emulator.writes() == []
    described = [dict(modern[0], description="the chat text")] + modern[1:]
    with_text = mapping_set(emulator, schema_id, mappings=described)
    assert with_text.changed and with_text["version"] == 1
    emulator.clear_log()
    assert not mapping_set(emulator, schema_id, mappings=described).changed
    assert not mapping_set(emulator, schema_id, mappings=modern).changed  # description not set: not compared
    assert emulator.writes() == []


def test_duplicate_names_fail_listing_ids(emulator, schema_id):
    first = mapping_set(emulator, schema_id)
    body = {"name": NAME, "outputSchema": {"schemaRef": {"id": schema_id}},
            "mappings": [{"sourceType": "ATTRIBUTE", "source": "message", "destination": T + ".message"}]}
    second = emulator.api("POST", "/data/foundation/conversion/mappingSets", json=body).json()
    emulator.clear_log()
    result = mapping_set(emulator, schema_id)
    assert_failed_without_writes(emulator, result, first["id"], second["id"])


def test_bad_inputs_fail_before_any_write(emulator, schema_id):
    existing = mapping_set(emulator, schema_id)
    assert existing.changed
    emulator.clear_log()
    missing_schema = schema_id[:-6] + ("abcdef" if not schema_id.endswith("abcdef") else "fedcba")
    absent_field = MAPPINGS + [{"source": "x", "destination": T + ".nosuchfield"}, {"source": "y", "destination": "z"}]
    cases = [
        (dict(mappings=absent_field), ["mappings", T + ".nosuchfield", "'z'", "not in schema"]),
        (dict(name="new", mappings=absent_field), [T + ".nosuchfield", "not in schema"]),
        (dict(name="new", schema_id=missing_schema), ["schema_id", missing_schema, "does not exist"]),
        (dict(name="new", schema_id="not-an-id"), ["schema_id", "not a valid id"]),
        (dict(id="42", name=None), ["id", "not a valid id"]),
        (dict(id="0" * 31 + "1", name=None), ["no mapping set with id"]),
        (dict(name="new", schema_id=None), ["schema_id and mappings are required"]),
        (dict(mappings=MAPPINGS + [{"source": "other", "destination": T + ".message"}]),
         ["mappings[4]", "mappings[0]", T + ".message"]),
        (dict(mappings=[{"source": "x", "source_type": "FUNCTION", "destination": "_id"}]),
         ["source_type", "FUNCTION"]),
        (dict(name=None), ["one of the following is required"]),
    ]
    tasks = []
    for args, dummy in cases:
        body = {"name": NAME, "schema_id": schema_id, "mappings": MAPPINGS}
        body.update(args)
        tasks.append(dict(module_task("mapping_set", body), ignore_errors=True))
    run = run_playbook(emulator, tasks)
    assert len(run) == len(cases), run.stdout
    for result, (args, needles) in zip(run.results, cases):
        assert result.failed, (args, result)
        for needle in needles:
            assert needle in result["msg"], (needle, result["msg"])
    assert emulator.writes() == []
    assert mapping_get(emulator, existing["id"])["version"] == 0


def test_check_mode_chain_on_an_empty_sandbox(emulator):
    """--check on a fresh sandbox predicts the whole chain (ids of objects not created yet are placeholders)."""
    tasks = [
        module_task("field_group", {"title": "chain fields", "fields": [{"name": "message"}]}, register="fg"),
        module_task("schema", {"title": "chain schema", "field_groups": ["{{ fg.id }}"]}, register="sc"),
        module_task("dataset", {"name": "chain dataset", "schema_id": "{{ sc.id }}"}),
        module_task("mapping_set", {"name": "chain mappings", "schema_id": "{{ sc.id }}",
                                    "mappings": [{"source": "message", "destination": T + ".message"}]}),
    ]
    run = run_playbook(emulator, tasks, check=True, diff=True)
    assert len(run) == 4, run.stdout
    assert all(r.changed and not r.failed for r in run.results), run.results
    assert emulator.writes() == []


def test_secrets_never_in_verbose_output(emulator, schema_id, tmp_path):
    from harness import CLIENT_SECRET
    secret = "{{ aep_secret }}"  # an extra var, so the playbook source Ansible echoes on failure holds no secret
    tasks = [
        module_task("field_group", {"title": "secret fields", "client_secret": secret}),
        module_task("schema", {"title": "secret schema", "client_secret": secret}),
        module_task("dataset", {"name": "secret dataset", "schema_id": schema_id, "client_secret": secret}),
        dict(module_task("mapping_set", {"name": "secret mappings", "schema_id": schema_id,
                                         "client_secret": secret,
                                         "mappings": [{"source": "a", "destination": T + ".nosuch"}]}),
             ignore_errors=True),
        module_task("mapping_set_info", {"client_secret": secret}),
    ]
    secrets_file = tmp_path / "secrets.yml"  # like a vault file: -vvvv prints its path, not its content
    secrets_file.write_text("aep_secret: %s\n" % CLIENT_SECRET)
    run = run_playbook(emulator, tasks, verbosity=4, diff=True, extra_args=["-e", "@%s" % secrets_file])
    output = run.stdout + run.stderr
    assert "nosuch" in output  # the failure was printed
    assert CLIENT_SECRET not in output and "emu-at-" not in output
