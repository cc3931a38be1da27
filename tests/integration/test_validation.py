"""Everything checkable is checked before the first request (issue 7).

Each bad value fails with a message naming the option, and the emulator's request log shows no request at
all: not a write, not a read, not even a token request.
"""
import pytest

from harness import Emulator, run_playbook

SCHEMA = "https://ns.adobe.com/emulated/schemas/0123456789abcdef"
T = "_emulated"


def mapping(source, destination="_id", source_type="EXPRESSION"):
    return {"name": "Chatlio mapping", "schema_id": SCHEMA,
            "mappings": [{"source": source, "destination": destination, "source_type": source_type}]}


CASES = [
    # Data Prep expressions, parsed locally against the documented functions
    ("mapping_set", mapping("nosuchfn(message)"), "nosuchfn() is not a Data Prep function"),
    ("mapping_set", mapping("concat(message,"), "ends too early"),
    ("mapping_set", mapping("uuid(message)"), "uuid() takes 0 argument(s), got 1"),
    ("mapping_set", mapping("lower(message) upper(message)"), "unexpected 'upper'"),
    # source paths and destination paths
    ("mapping_set", mapping("uuid()", source_type="ATTRIBUTE"), "source_type: EXPRESSION"),
    ("mapping_set", mapping("visitor..email", T + ".email", "ATTRIBUTE"), "field name after '.'"),
    ("mapping_set", mapping("message", T + "..message", "ATTRIBUTE"), "not an XDM field path"),
    ("mapping_set", mapping("message", T + ".my message", "ATTRIBUTE"), "not an XDM field path"),
    # id formats
    ("dataset", {"id": "not-a-dataset-id"}, "id: 'not-a-dataset-id' is not a valid id"),
    ("dataset", {"name": "Chatlio", "schema_id": "Chatlio schema"}, "schema_id"),
    ("field_group", {"id": "fieldgroup-1"}, "id: 'fieldgroup-1' is not a valid id"),
    ("field_group", {"title": "Chatlio", "class_ids": ["experienceevent"]}, "class_ids[0]"),
    ("schema", {"id": "schema-1"}, "id: 'schema-1' is not a valid id"),
    ("mapping_set", {"id": "1234"}, "id: '1234' is not a valid id"),
    ("source_connection", {"id": "abc"}, "id: 'abc' is not a valid id"),
    ("target_connection", {"name": "Chatlio target", "id": "abc"}, "id: 'abc' is not a valid id"),
    ("flow", {"name": "Chatlio flow", "mapping_id": "xyz", "source_connection_ids": ["s"],
              "target_connection_ids": ["t"]}, "source_connection_ids"),
    ("base_connection", {"id": "abc"}, "id: 'abc' is not a valid id"),
    # field group fields
    ("field_group", {"title": "Chatlio", "fields": [{"name": "bad name"}]}, "fields[0]"),
]


@pytest.fixture(scope="module")
def quiet_emulator():
    """An emulator of its own: no other test's run (for example one a resilience test killed) can reach its log."""
    emu = Emulator()
    yield emu
    emu.stop()


@pytest.mark.parametrize("kind,args,expected", CASES, ids=["%s-%d" % (c[0], i) for i, c in enumerate(CASES)])
def test_bad_value_fails_before_any_request(quiet_emulator, kind, args, expected):
    emulator = quiet_emulator
    emulator.clear_log()
    run = run_playbook(emulator, [{"name": "bad", "aep.platform." + kind: args, "ignore_errors": True}])
    result = run[0]
    assert result.failed, result
    assert expected in result["msg"], result["msg"]
    assert emulator.client.request_log() == []
