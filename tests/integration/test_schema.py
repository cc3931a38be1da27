"""aep.platform.schema and schema_info against the emulator."""
import pytest

from harness import run_playbook
from registry_helpers import (EXPERIENCE_EVENT, PROFILE, api_field_group, api_schema, assert_failed_without_writes,
                              module_task, run_one, sr_get, sr_put, user_body, write_summary)

TITLE = "Chatlio Events (it)"
IDENTITY_MAP = "https://ns.adobe.com/xdm/context/identitymap"


@pytest.fixture
def groups(emulator):
    one = api_field_group(emulator, "Chatlio group one", fields=("message",))
    two = api_field_group(emulator, "Chatlio group two", fields=("channel",))
    emulator.clear_log()
    return one["$id"], two["$id"]


def schema(emulator, field_groups, check=False, diff=False, **args):
    body = {"title": TITLE, "description": "Chatlio webhook events", "field_groups": list(field_groups)}
    body.update(args)
    return run_one(emulator, "schema", body, check=check, diff=diff)


def refs(resource):
    return [entry["$ref"] for entry in resource["allOf"]]


def test_lifecycle(emulator, groups):
    one, two = groups
    created = schema(emulator, [one])
    assert not created.failed, created
    assert created.changed and created["version"] == "1.0" and created["alt_id"]
    sid = created["id"]
    stored = sr_get(emulator, "schemas", sid)
    assert refs(stored) == [EXPERIENCE_EVENT, one] and stored["description"] == "Chatlio webhook events"

    emulator.clear_log()
    again = schema(emulator, [one])
    assert not again.failed and not again.changed and again["id"] == sid
    assert emulator.writes() == []

    # check mode + diff: adding a field group is predicted, nothing written
    preview = schema(emulator, [two, one], check=True, diff=True)
    assert preview.changed and not preview.failed
    assert preview.diff["before"]["field_groups"] == [one]
    assert preview.diff["after"]["field_groups"] == sorted([one, two])
    assert preview.diff["after"]["class_id"] == EXPERIENCE_EVENT
    assert emulator.writes() == []
    assert refs(sr_get(emulator, "schemas", sid)) == [EXPERIENCE_EVENT, one]

    updated = schema(emulator, [two, one])
    assert updated.changed and updated["id"] == sid and updated["version"] == "1.1"
    assert write_summary(emulator) == ["PUT /data/foundation/schemaregistry/tenant/schemas/" + sid]
    assert set(refs(sr_get(emulator, "schemas", sid))) == {EXPERIENCE_EVENT, one, two}

    # field group order does not matter; a global field group is accepted
    emulator.clear_log()
    assert not schema(emulator, [one, two]).changed and emulator.writes() == []
    with_global = schema(emulator, [one, two, IDENTITY_MAP])
    assert with_global.changed and not with_global.failed, with_global
    assert IDENTITY_MAP in refs(sr_get(emulator, "schemas", sid))

    # drift through the API (a field group removed, description edited) is detected and repaired
    drifted = user_body(sr_get(emulator, "schemas", sid))
    drifted["allOf"] = [{"$ref": EXPERIENCE_EVENT}, {"$ref": one}]
    drifted["description"] = "edited"
    sr_put(emulator, "schemas", sid, drifted)
    emulator.clear_log()
    repaired = schema(emulator, [one, two, IDENTITY_MAP], diff=True)
    assert repaired.changed and repaired.diff["before"]["field_groups"] == [one]
    assert repaired.diff["before"]["description"] == "edited"
    stored = sr_get(emulator, "schemas", sid)
    assert set(refs(stored)) == {EXPERIENCE_EVENT, one, two, IDENTITY_MAP}
    assert stored["description"] == "Chatlio webhook events"

    # without description: not compared, and kept
    emulator.clear_log()
    assert not schema(emulator, [one, two, IDENTITY_MAP], description=None).changed
    assert emulator.writes() == []

    # info by title, by id, unknown
    run = run_playbook(emulator, [module_task("schema_info", {"title": TITLE}), module_task("schema_info", {"id": sid}),
                                  module_task("schema_info", {"title": "nope"})])
    assert [r["count"] for r in run.results] == [1, 1, 0], run.stdout
    assert run[0]["schemas"][0]["$id"] == sid and run[1]["schemas"][0]["title"] == TITLE

    # absent: check mode, delete, unchanged
    emulator.clear_log()
    preview = schema(emulator, [one], check=True, state="absent")
    assert preview.changed and emulator.writes() == []
    gone = schema(emulator, [one], state="absent")
    assert gone.changed and sr_get(emulator, "schemas", sid) is None
    assert [w["method"] for w in emulator.writes()] == ["DELETE"]
    emulator.clear_log()
    again = schema(emulator, [one], state="absent")
    assert not again.changed and not again.failed and emulator.writes() == []


def test_check_mode_create_and_class_change(emulator, groups):
    one, dummy = groups
    preview = schema(emulator, [one], check=True, diff=True)
    assert preview.changed and preview.diff["before"] == {} and emulator.writes() == []
    assert preview.diff["after"] == {"title": TITLE, "description": "Chatlio webhook events",
                                     "class_id": EXPERIENCE_EVENT, "field_groups": [one]}
    # a profile schema with a profile field group; AEP cannot change the class of a saved schema (test_refusals.py)
    profile_group = api_field_group(emulator, "profile group", fields=("tier",), classes=(PROFILE, EXPERIENCE_EVENT))
    created = schema(emulator, [profile_group["$id"]], class_id=PROFILE)
    assert created.changed and not created.failed, created
    assert sr_get(emulator, "schemas", created["id"])["meta:class"] == PROFILE
    emulator.clear_log()
    moved = schema(emulator, [profile_group["$id"]], diff=True, class_id=EXPERIENCE_EVENT)
    assert moved.failed and "AEP cannot change the class of an existing schema" in moved["msg"], moved
    assert emulator.writes() == []


def test_duplicate_titles_fail_listing_ids(emulator, groups):
    a = api_schema(emulator, TITLE)
    b = api_schema(emulator, TITLE)
    emulator.clear_log()
    assert_failed_without_writes(emulator, schema(emulator, [groups[0]]), a["$id"], b["$id"])


def test_bad_inputs_fail_before_any_write(emulator, groups):
    one, dummy = groups
    missing = one[:-6] + "abcdef" if not one.endswith("abcdef") else one[:-6] + "fedcba"
    profile_only = api_field_group(emulator, "profile only", classes=(PROFILE,))["$id"]
    emulator.clear_log()
    cases = [
        (dict(field_groups=[one, missing]), ["field_groups[1]", missing, "does not exist"]),
        (dict(field_groups=["Chatlio group one"]), ["field_groups[0]", "not a valid id"]),
        (dict(field_groups=[one], class_id="profile"), ["class_id", "not a valid id"]),
        (dict(field_groups=[one], class_id="https://ns.adobe.com/xdm/context/nosuch"), ["class_id", "does not exist"]),
        (dict(field_groups=[profile_only]), ["field_groups[0]", "profile only", PROFILE, EXPERIENCE_EVENT]),
    ]
    run = run_playbook(emulator, [dict(module_task("schema", dict({"title": TITLE}, **args)), ignore_errors=True)
                                  for args, dummy in cases])
    assert len(run) == len(cases), run.stdout
    for result, (args, needles) in zip(run.results, cases):
        assert result.failed, (args, result)
        for needle in needles:
            assert needle in result["msg"], (needle, result["msg"])
    assert emulator.writes() == []


def test_omitted_field_groups_are_kept(emulator, groups):
    one, two = groups
    created = schema(emulator, [one, two])
    assert created.changed
    emulator.clear_log()
    same = run_one(emulator, "schema", {"title": TITLE})
    assert not same.changed and emulator.writes() == []
    described = run_one(emulator, "schema", {"title": TITLE, "description": "other"})
    assert described.changed
    stored = sr_get(emulator, "schemas", created["id"])
    assert set(refs(stored)) == {EXPERIENCE_EVENT, one, two} and stored["description"] == "other"
