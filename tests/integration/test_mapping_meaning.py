"""Issue 8 item 4 through the modules: mappings that can never fill their destination are refused before any write,
in check mode too, naming the mapping and the destination's type; a mapping set of an ExperienceEvent schema must
fill _id and timestamp. Also the field_group path message before the tenant is known (item 9) and the schema diff
with ``identities: []`` (item 10)."""
import pytest

from harness import _checked, run_playbook
from registry_helpers import (EXPERIENCE_EVENT, JSON, TENANT, api_field_group, api_schema, module_task, run_one,
                              sr_path, write_summary)

T = "_" + TENANT
REQUIRED = [{"source": "uuid()", "source_type": "EXPRESSION", "destination": "_id"},
            {"source": "now()", "source_type": "EXPRESSION", "destination": "timestamp"}]
PROPS = {
    "text": {"type": "string"}, "count": {"type": "integer"},
    "obj": {"type": "object", "properties": {"a": {"type": "string"}}},
    "messages": {"type": "array", "items": {"type": "object", "properties": {"text": {"type": "string"}}}},
    "visitor_attributes": {"type": "object", "additionalProperties": {"type": "string"}},
}
REFUSED = [  # (mapping, words the message holds)
    ({"source": "abc", "source_type": "STATIC", "destination": T + ".count"},
     ["mappings[2] (abc -> %s.count)" % T, "is of type integer and the constant 'abc' does not convert to it"]),
    ({"source": "'abc'", "source_type": "EXPRESSION", "destination": T + ".count"}, ["of type integer", "'abc'"]),
    ({"source": "x", "source_type": "STATIC", "destination": T + ".obj"}, ["of type object", "constant 'x'"]),
    ({"source": "x", "source_type": "STATIC", "destination": T + ".messages"}, ["of type array", "constant 'x'"]),
    ({"source": "lower(message)", "source_type": "EXPRESSION", "destination": T + ".visitor_attributes"},
     ["of type map", "string value of EXPRESSION source 'lower(message)'"]),
    ({"source": "messages[*].text", "destination": T + ".text"},
     ["of type string", "cannot hold the array of items of 'messages[*].text'", "every record would fail mapping"]),
]


@pytest.fixture
def schema_id(emulator):
    group = _checked(emulator.api("POST", sr_path("fieldgroups"), headers=JSON, json={
        "type": "object", "title": "typed fields (it)", "meta:intendedToExtend": [EXPERIENCE_EVENT],
        "definitions": {"f": {"properties": {T: {"type": "object", "properties": PROPS}}}},
        "allOf": [{"$ref": "#/definitions/f"}]}), 201)
    schema = api_schema(emulator, "typed schema (it)", groups=[group["$id"]])
    emulator.clear_log()
    return schema["$id"]


def tasks(schema_id, cases):
    return [dict(module_task("mapping_set", {"name": "meaning %d" % index, "schema_id": schema_id, "mappings": mappings}),
                 ignore_errors=True) for index, mappings in enumerate(cases)]


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_mappings_that_can_never_succeed_are_refused_before_any_write(emulator, schema_id, check):
    cases = [REQUIRED + [mapping] for mapping, _words in REFUSED] + [REQUIRED[1:] + [{"source": "m", "destination": T + ".text"}]]
    run = run_playbook(emulator, tasks(schema_id, cases), check=check)
    assert len(run) == len(cases), run.stdout
    for (mapping, words), result in zip(REFUSED, run.results):
        assert result.failed, (mapping, result)
        for word in words:
            assert word in result["msg"], (word, result["msg"])
    missing = run.results[-1]
    assert missing.failed and missing["msg"].startswith(
        "mappings: schema 'typed schema (it)' (%s) requires '_id' in every record and no mapping fills it; every record "
        "would fail with \"Required field '_id' is missing\"" % schema_id), missing
    assert "source: 'uuid()', destination: _id" in missing["msg"]
    assert emulator.writes() == [], write_summary(emulator)


def test_legal_mappings_stay_legal(emulator, schema_id):
    legal = REQUIRED + [
        {"source": "message", "destination": T + ".text"}, {"source": "visitor", "destination": T + ".obj"},
        {"source": "messages", "destination": T + ".messages"}, {"source": "count", "destination": T + ".count"},
        {"source": "42", "source_type": "STATIC", "destination": T + ".obj.a"},
        {"source": "attrs", "destination": T + ".visitor_attributes"}]
    created = run_one(emulator, "mapping_set", {"name": "legal (it)", "schema_id": schema_id, "mappings": legal})
    assert created.changed and not created.failed, created
    items = REQUIRED + [{"source": "messages[*].text", "destination": T + ".messages[*].text"},
                        {"source": "to_integer(n)", "source_type": "EXPRESSION", "destination": T + ".count"}]
    assert not run_one(emulator, "mapping_set", {"name": "items (it)", "schema_id": schema_id, "mappings": items}).failed


@pytest.mark.parametrize("name, words", [
    ("bad name", ["'bad name' holds ' '"]), ("_x", ["'_x' starts with \"_\""]),
    ("a..b", ["a name is empty"]), ("ñame", ["'ñame' holds 'ñ'"])])
def test_field_path_errors_never_name_an_unknown_tenant(emulator, name, words):
    result = run_one(emulator, "field_group", {"title": "bad names (it)", "class_ids": [EXPERIENCE_EVENT],
                                               "fields": [{"name": name, "type": "string"}]}, check=True)
    assert result.failed and "_None" not in result["msg"], result
    assert "is not a valid field path" in result["msg"]
    for word in words:
        assert word in result["msg"], result["msg"]
    assert emulator.writes() == []


def test_empty_identities_leave_them_alone_and_the_diff_shows_them(emulator):
    group = api_field_group(emulator, "identity fields (it)", fields=("email",))
    identity = {"field": T + ".email", "namespace": "Email", "primary": True}
    args = {"title": "identity schema (it)", "class_id": EXPERIENCE_EVENT, "field_groups": [group["$id"]]}
    assert run_one(emulator, "schema", dict(args, identities=[identity])).changed
    emulator.clear_log()
    for check in (True, False):
        again = run_one(emulator, "schema", dict(args, identities=[]), check=check, diff=True)
        assert not again.failed and not again.changed, again
        assert again.diff["before"]["identities"] == again.diff["after"]["identities"] == [identity]
        assert again["identities"] == [identity]
    assert emulator.writes() == []
