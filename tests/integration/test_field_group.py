"""aep.platform.field_group and field_group_info against the emulator."""
import pytest

from harness import run_playbook
from registry_helpers import (EXPERIENCE_EVENT, PROFILE, TENANT, api_field_group, assert_failed_without_writes,
                              module_task, run_one, sr_get, sr_put, tenant_props, user_body, write_summary)

TITLE = "Chatlio Fields (it)"
FIELDS = [
    {"name": "message", "title": "Message"},
    {"name": "UUID", "title": "Visitor UUID", "required": True},
    {"name": "visitor", "type": "object", "title": "Visitor"},
    {"name": "visitor.email", "format": "email"},
    {"name": "visitor.createdAt", "type": "date-time"},
    {"name": "count", "type": "integer"},
]


def fg(emulator, check=False, diff=False, **args):
    body = {"title": TITLE, "description": "Chatlio webhook fields", "fields": FIELDS}
    body.update(args)
    return run_one(emulator, "field_group", body, check=check, diff=diff)


def test_lifecycle(emulator):
    created = fg(emulator)
    assert not created.failed, created
    assert created.changed and created["tenant_id"] == TENANT
    gid = created["id"]
    assert gid.startswith("https://ns.adobe.com/%s/" % TENANT) and created["alt_id"] and created["version"] == "1.0"
    stored = sr_get(emulator, "fieldgroups", gid)
    props = tenant_props(stored)
    assert props["message"] == {"type": "string", "title": "Message"}
    assert props["visitor"]["properties"]["email"]["format"] == "email"
    assert props["visitor"]["properties"]["createdAt"] == {"type": "string", "format": "date-time",
                                                           "title": "createdAt"}
    assert props["count"]["type"] == "integer"
    assert stored["meta:intendedToExtend"] == [EXPERIENCE_EVENT]
    tenant_node = list(stored["definitions"].values())[0]["properties"]["_" + TENANT]
    assert tenant_node["required"] == ["UUID"]

    # rerun, and the same fields in another order: unchanged, zero writes
    emulator.clear_log()
    again = fg(emulator)
    assert not again.failed and not again.changed and again["id"] == gid
    reordered = fg(emulator, fields=list(reversed(FIELDS)))
    assert not reordered.changed, reordered
    assert emulator.writes() == []

    # check mode + diff: a new field and a changed title are predicted, nothing is written
    changed_fields = [dict(f, title="Chat message") if f["name"] == "message" else f for f in FIELDS]
    changed_fields.append({"name": "channel_ID"})
    preview = fg(emulator, check=True, diff=True, fields=changed_fields)
    assert preview.changed and not preview.failed
    before = dict((f["name"], f) for f in preview.diff["before"]["fields"])
    after = dict((f["name"], f) for f in preview.diff["after"]["fields"])
    assert "channel_ID" not in before and after["channel_ID"]["type"] == "string"
    assert before["message"]["title"] == "Message" and after["message"]["title"] == "Chat message"
    assert "meta:registryMetadata" not in preview.diff["after"]
    assert emulator.writes() == []
    assert "channel_ID" not in tenant_props(sr_get(emulator, "fieldgroups", gid))

    # the real update: one PUT, same id, new minor version
    updated = fg(emulator, diff=True, fields=changed_fields)
    assert updated.changed and updated["id"] == gid and updated["version"] == "1.1"
    assert write_summary(emulator) == ["PUT /data/foundation/schemaregistry/tenant/fieldgroups/" + gid]
    assert tenant_props(sr_get(emulator, "fieldgroups", gid))["message"]["title"] == "Chat message"
    emulator.clear_log()
    assert not fg(emulator, fields=changed_fields).changed and emulator.writes() == []

    # drift made through the API (a field removed, the description changed) is detected and repaired
    current = sr_get(emulator, "fieldgroups", gid)
    drifted = user_body(current)
    definition = list(drifted["definitions"].values())[0]
    del definition["properties"]["_" + TENANT]["properties"]["channel_ID"]
    drifted["description"] = "edited in the UI"
    sr_put(emulator, "fieldgroups", gid, drifted)
    emulator.clear_log()
    repaired = fg(emulator, diff=True, fields=changed_fields)
    assert repaired.changed and repaired.diff["before"]["description"] == "edited in the UI"
    assert [w["method"] for w in emulator.writes()] == ["PUT"]
    stored = sr_get(emulator, "fieldgroups", gid)
    assert "channel_ID" in tenant_props(stored) and stored["description"] == "Chatlio webhook fields"

    # a description the user does not set is not compared (and kept by updates)
    emulator.clear_log()
    assert not fg(emulator, fields=changed_fields, description=None).changed and emulator.writes() == []

    # info by title, by id, and an unknown title
    run = run_playbook(emulator, [module_task("field_group_info", {"title": TITLE}),
                                  module_task("field_group_info", {"id": gid}),
                                  module_task("field_group_info", {"title": "nope"}),
                                  module_task("field_group_info", {})])
    assert [r["count"] for r in run.results] == [1, 1, 0, 1], run.stdout
    assert run[0]["field_groups"][0]["$id"] == gid and run[1]["field_groups"][0]["title"] == TITLE
    assert not any(r.changed for r in run.results)

    # absent: check mode predicts and writes nothing, then DELETE, then unchanged
    emulator.clear_log()
    preview = fg(emulator, check=True, diff=True, state="absent")
    assert preview.changed and preview.diff["after"] == {} and emulator.writes() == []
    gone = fg(emulator, state="absent")
    assert gone.changed and sr_get(emulator, "fieldgroups", gid) is None
    assert [w["method"] for w in emulator.writes()] == ["DELETE"]
    emulator.clear_log()
    again = fg(emulator, state="absent")
    assert not again.changed and not again.failed and emulator.writes() == []


def test_check_mode_create_writes_nothing(emulator):
    preview = fg(emulator, check=True, diff=True)
    assert preview.changed and not preview.failed
    assert preview.diff["before"] == {} and preview.diff["after"]["title"] == TITLE
    assert [f["name"] for f in preview.diff["after"]["fields"]] == [
        "UUID", "count", "message", "visitor", "visitor.createdAt", "visitor.email"]
    assert emulator.writes() == []
    run = run_playbook(emulator, [module_task("field_group_info", {"title": TITLE})])
    assert run[0]["count"] == 0


def test_class_ids_compared_as_a_set(emulator):
    both = [EXPERIENCE_EVENT, PROFILE]
    created = fg(emulator, class_ids=both)
    assert created.changed and not created.failed
    emulator.clear_log()
    assert not fg(emulator, class_ids=list(reversed(both))).changed and emulator.writes() == []
    narrowed = fg(emulator, diff=True, class_ids=[PROFILE])
    assert narrowed.changed and narrowed.diff["after"]["class_ids"] == [PROFILE]
    assert sr_get(emulator, "fieldgroups", created["id"])["meta:intendedToExtend"] == [PROFILE]


def test_duplicate_titles_fail_listing_ids(emulator):
    one = api_field_group(emulator, TITLE)
    two = api_field_group(emulator, TITLE)
    emulator.clear_log()
    result = fg(emulator)
    assert_failed_without_writes(emulator, result, one["$id"], two["$id"])


@pytest.mark.parametrize("fields,needles", [
    ([{"name": "message", "type": "strnig"}], ["type", "strnig"]),
    ([{"name": "bad name"}], ["fields[0]", "bad name"]),
    ([{"name": "_other.message"}], ["fields[0]", "_other.message"]),
    ([{"name": "count", "type": "integer", "format": "email"}], ["fields[0]", "format", "integer"]),
    ([{"name": "message"}, {"name": "message", "title": "again"}], ["fields[1]", "listed twice"]),
    ([{"name": "message"}, {"name": "message.text"}], ["message.text", "must have type object"]),
])
def test_bad_fields_fail_before_any_write(emulator, fields, needles):
    result = fg(emulator, fields=fields)
    assert_failed_without_writes(emulator, result, *needles)


@pytest.mark.parametrize("class_ids,needles", [
    (["https://ns.adobe.com/xdm/context/nosuchclass"], ["class_ids[0]", "nosuchclass", "does not exist"]),
    (["experienceevent"], ["class_ids[0]", "not a valid id"]),
])
def test_bad_classes_fail_before_any_write(emulator, class_ids, needles):
    result = fg(emulator, class_ids=class_ids)
    assert_failed_without_writes(emulator, result, *needles)


def test_tenant_prefix_is_accepted(emulator):
    created = fg(emulator, fields=[{"name": "_%s.message" % TENANT}])
    assert created.changed and not created.failed
    assert list(tenant_props(sr_get(emulator, "fieldgroups", created["id"]))) == ["message"]
    emulator.clear_log()
    assert not fg(emulator, fields=[{"name": "message"}]).changed and emulator.writes() == []


def test_omitted_fields_are_kept(emulator):
    created = fg(emulator)
    assert created.changed
    emulator.clear_log()
    # only the description is managed by this task: the fields stay as they are
    same = run_one(emulator, "field_group", {"title": TITLE, "description": "Chatlio webhook fields"})
    assert not same.changed and emulator.writes() == []
    described = run_one(emulator, "field_group", {"title": TITLE, "description": "new text"})
    assert described.changed and described["version"] == "1.1"
    stored = sr_get(emulator, "fieldgroups", created["id"])
    assert set(tenant_props(stored)) == {"message", "UUID", "visitor", "count"}
    assert stored["description"] == "new text"
    # an explicit empty list is refused before any write (breaker4 finding 10): a field group defines a field
    emulator.clear_log()
    emptied = fg(emulator, fields=[])
    assert emptied.failed and "fields: the list is empty" in emptied["msg"] and "at least one field" in emptied["msg"]
    assert emulator.writes() == []
    assert set(tenant_props(sr_get(emulator, "fieldgroups", created["id"]))) == {"message", "UUID", "visitor", "count"}
