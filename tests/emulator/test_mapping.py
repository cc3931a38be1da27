"""Unit tests of aep_emulator.mapping: both mapping forms, validation, expressions and the compiled mapper."""
import time
import uuid
from datetime import datetime

import pytest

from aep_emulator.domain import mapping

CHATLIO = {"visitor": {"email": "test@example.com", "UUID": "2d3f4260-2235-903b-0a82-a23d326cc257"},
           "message": "Hi", "channelId": "C04J7M7LCMQ", "slackChannelName": "aep", "slackChannelId": "C04JVR71WKS"}
FIELD_TYPES = {"_id": "string", "timestamp": "date-time", "eventType": "string", "identityMap": "map",
               "_emulated": "object", "_emulated.message": "string", "_emulated.UUID": "string",
               "_emulated.count": "integer", "_emulated.score": "number", "_emulated.flag": "boolean",
               "_emulated.tags": "array", "_emulated.when": "date-time"}
REQUIRED = ["_id", "timestamp"]
TUTORIAL_LEGACY = [
    {"destinationXdmPath": "_emulated.slackchannel_ID", "sourceAttribute": "slackChannelId", "identity": False, "version": 0},
    {"destinationXdmPath": "_emulated.UUID", "sourceAttribute": "visitor.UUID", "identity": False, "version": 0},
    {"destinationXdmPath": "_emulated.message", "sourceAttribute": "message", "identity": False, "version": 0},
]


def mapper(mappings, field_types=None, required=None):
    stored = [mapping.normalise(m, {"version": 0}) for m in mappings]
    return mapping.compile_mapping_set({"mappings": stored}, FIELD_TYPES if field_types is None else field_types,
                                       REQUIRED if required is None else required)


def expr(source, destination="_emulated.message"):
    return {"sourceType": "EXPRESSION", "source": source, "destination": destination}


ID_AND_TIME = [expr("uuid()", "_id"), expr("now()", "timestamp")]


def test_legacy_form_is_stored_with_both_forms():
    stored = mapping.normalise(TUTORIAL_LEGACY[1], {"version": 0})
    assert stored["sourceType"] == "text/x.schema-path"
    assert stored["source"] == stored["sourceAttribute"] == "visitor.UUID"
    assert stored["destination"] == stored["destinationXdmPath"] == "_emulated.UUID"
    assert stored["identity"] is False and stored["version"] == 0 and len(stored["id"]) == 32


@pytest.mark.parametrize("source_type, stored_type", [
    ("ATTRIBUTE", "text/x.schema-path"), ("EXPRESSION", "text/x.aep-xl"), ("STATIC", "STATIC"),
    ("text/x.aep-xl", "text/x.aep-xl"),
])
def test_modern_form_source_types(source_type, stored_type):
    stored = mapping.normalise({"sourceType": source_type, "source": "message", "destination": "_id",
                                "name": "n", "description": "d"}, {})
    assert stored["sourceType"] == stored_type and stored["name"] == "n" and stored["description"] == "d"
    assert stored["sourceAttribute"] == "message" and stored["destinationXdmPath"] == "_id"


@pytest.mark.parametrize("raw, message", [
    ({"sourceType": "SQL", "source": "a", "destination": "b"}, "Unsupported sourceType"),
    ({"source": "a"}, "destination"),
    ({"destination": "a"}, "source"),
    ("text", "JSON object"),
])
def test_malformed_mappings(raw, message):
    with pytest.raises(mapping.MappingError, match=message):
        mapping.normalise(raw, {})


def test_tutorial_mapping_applies_to_the_chatlio_payload():
    record, errors = mapper(TUTORIAL_LEGACY + ID_AND_TIME).apply(CHATLIO)
    assert errors == []
    assert record["_emulated"] == {"slackchannel_ID": "C04JVR71WKS", "UUID": CHATLIO["visitor"]["UUID"],
                                   "message": "Hi"}
    uuid.UUID(record["_id"])
    datetime.fromisoformat(record["timestamp"])


def test_missing_required_fields_fail_the_record():
    record, errors = mapper(TUTORIAL_LEGACY).apply(CHATLIO)
    assert record is None
    assert errors == ["Required field '_id' is missing from the mapped record",
                      "Required field 'timestamp' is missing from the mapped record"]


def test_missing_source_attributes_are_skipped():
    record, errors = mapper(TUTORIAL_LEGACY + ID_AND_TIME).apply({"message": "only"})
    assert errors == [] and record["_emulated"] == {"message": "only"}


def test_static_mapping():
    record, _errors = mapper([{"sourceType": "STATIC", "source": "chat.message", "destination": "eventType"}]
                             + ID_AND_TIME).apply({})
    assert record["eventType"] == "chat.message"


@pytest.mark.parametrize("source, expected", [
    ('concat(visitor.email, "/", channelId)', "test@example.com/C04J7M7LCMQ"),
    ("upper(slackChannelName)", "AEP"),
    ("lower(channelId)", "c04j7m7lcmq"),
    ('trim("  x  ")', "x"),
    ("substr(channelId, 0, 3)", "C04"),
    ("length(message)", "2"),
    ('split(visitor.email, "@")', None),
    ('replacestr(message, "H", "h")', "hi"),
    ('iif(slackChannelName == "aep", "yes", "no")', "yes"),
    ('iif(slackChannelName != "aep" || is_empty(message), "yes", "no")', "no"),
    ('iif(!is_set(visitor.name) && true, "anon", visitor.name)', "anon"),
    ("sha256(message)", "3639efcd08abb273b1619e82e78c29a7df02c1051b1820e99fc395dcaa3326b8"),
    ("${slackChannelName}", "aep"),
    ('join(",", "a", "b")', "a,b"),
])
def test_expressions(source, expected):
    if expected is None:
        assert mapping.compile_expression(source)(CHATLIO) == ["test", "example.com"]
        return
    record, errors = mapper([expr(source)] + ID_AND_TIME).apply(CHATLIO)
    assert errors == [] and record["_emulated"]["message"] == expected


def test_iif_only_evaluates_the_chosen_branch():
    assert mapping.compile_expression('iif(true, "a", to_integer("x"))')({}) == "a"


@pytest.mark.parametrize("source, message", [
    ("coalesce(a, b)", "Unsupported function 'coalesce'"),
    ("uuid(1)", "takes 0 argument"),
    ("substr(a)", "takes 2..3 argument"),
    ('concat("a", ', "Unexpected end"),
    ("a b", "Unexpected 'b'"),
    ("a # b", "Unexpected character"),
])
def test_invalid_expressions(source, message):
    with pytest.raises(mapping.MappingError, match=message):
        mapping.compile_expression(source)


def test_attribute_paths_with_indexes_and_escapes():
    assert mapping.parse_path("items[1].sku") == ["items", 1, "sku"]
    assert mapping.parse_path("${First Name}") == ["First Name"]
    get = mapping.path_getter(mapping.parse_path("items[1].sku"))
    assert get({"items": [{"sku": "a"}, {"sku": "b"}]}) == "b"
    assert get({"items": [{"sku": "a"}]}) is None
    with pytest.raises(mapping.MappingError, match="Invalid attribute path"):
        mapping.parse_path("upper(x)")


def test_array_and_map_destinations():
    record, errors = mapper([{"source": "visitor.email", "destination": "identityMap.Email[0].id"},
                             {"source": "message", "destination": "_emulated.tags[0]"}] + ID_AND_TIME).apply(CHATLIO)
    assert errors == []
    assert record["identityMap"] == {"Email": [{"id": "test@example.com"}]}
    assert record["_emulated"]["tags"] == ["Hi"]


@pytest.mark.parametrize("destination, value, expected", [
    ("_emulated.count", "42", 42),
    ("_emulated.count", 42.0, 42),
    ("_emulated.score", "1.5", 1.5),
    ("_emulated.flag", "TRUE", True),
    ("_emulated.message", 7, "7"),
    ("_emulated.when", 0, "1970-01-01T00:00:00.000Z"),
    ("_emulated.when", "2024-05-01T10:00:00Z", "2024-05-01T10:00:00Z"),
])
def test_values_are_converted_to_the_destination_type(destination, value, expected):
    record, errors = mapper([{"source": "v", "destination": destination}] + ID_AND_TIME).apply({"v": value})
    assert errors == []
    assert record["_emulated"][destination.split(".")[1]] == expected


@pytest.mark.parametrize("destination, value", [
    ("_emulated.count", "many"), ("_emulated.flag", "maybe"), ("_emulated.when", "yesterday"),
    ("_emulated.message", {"a": 1}), ("_emulated.count", 1.5),
])
def test_unconvertible_values_fail_the_record(destination, value):
    record, errors = mapper([{"source": "v", "destination": destination}] + ID_AND_TIME).apply({"v": value})
    assert record is None and len(errors) == 1 and f"Mapping to '{destination}' failed" in errors[0]


def test_validate_reports_unknown_destinations_and_bad_sources():
    ok = mapping.normalise({"source": "message", "destination": "_emulated.message"}, {})
    bad = mapping.normalise(expr("nope(message)", "_emulated.missing"), {})
    assert mapping.validate(ok, FIELD_TYPES) == []
    errors = mapping.validate(bad, FIELD_TYPES)
    assert [e["destination"] for e in errors] == ["_emulated.missing", "_emulated.missing"]
    assert "not a field of the output schema" in errors[0]["exception"]
    assert "Unsupported function 'nope'" in errors[1]["exception"]


def test_compile_uses_the_stored_schema_snapshot():
    stored = {"mappings": [mapping.normalise(m, {}) for m in TUTORIAL_LEGACY],
              "_emulator": {"fieldTypes": FIELD_TYPES, "requiredPaths": ["_id"]}}
    record, errors = mapping.compile_mapping_set(stored).apply(CHATLIO)
    assert record is None and errors == ["Required field '_id' is missing from the mapped record"]


def test_mapper_is_fast_enough_for_the_inlet():
    compiled = mapper(TUTORIAL_LEGACY + ID_AND_TIME)
    started = time.perf_counter()
    for _round in range(10_000):
        compiled.apply(CHATLIO)
    assert time.perf_counter() - started < 2.0  # >= 5,000 events/s even on a slow runner
