"""The type-compatibility table of Data Prep mappings (mapping_types): every mapping issue 8 item 4 lists is
refused with a message naming the destination and its type; the legal cases stay legal."""

import pytest

from ansible_collections.aep.platform.plugins.module_utils.resources import mapping_types

PATHS = {'_acme': 'object', '_acme.n': 'integer', '_acme.f': 'number', '_acme.ok': 'boolean', '_acme.d': 'date',
         '_acme.text': 'string', '_acme.obj': 'object', '_acme.obj.a': 'string', '_acme.tags': 'array',
         '_acme.m': 'map', '_acme.messages': 'array', '_acme.messages[].text': 'string', '_id': 'string',
         'timestamp': 'date-time', 'identityMap': 'map'}


def problem(source_type, source, destination):
    return mapping_types.mapping_problem(PATHS, {'source_type': source_type, 'source': source,
                                                 'destination': destination}, 'acme')


@pytest.mark.parametrize('source_type, source, destination, expected', [
    ('STATIC', 'abc', '_acme.n', "'_acme.n' is of type integer and the constant 'abc' does not convert to it"),
    ('EXPRESSION', "'abc'", '_acme.n', "'_acme.n' is of type integer and the constant 'abc' does not convert to it"),
    ('STATIC', 'not a date', 'timestamp',
     "'timestamp' is of type date-time and the constant 'not a date' does not convert to it"),
    ('EXPRESSION', "'not a date'", 'timestamp', "'timestamp' is of type date-time and the constant 'not a date'"),
    ('STATIC', 'x', '_acme.messages', "'_acme.messages' is of type array and cannot hold the constant 'x'"),
    ('STATIC', 'x', '_acme.m', "'_acme.m' is of type map and cannot hold the constant 'x'"),
    ('EXPRESSION', '42', '_acme.m', "'_acme.m' is of type map and cannot hold the constant '42'"),
    ('STATIC', 'x', '_acme.obj', "'_acme.obj' is of type object and cannot hold the constant 'x'"),
    ('EXPRESSION', "lower(message)", '_acme.obj', "'_acme.obj' is of type object and cannot hold the string value"),
    ('ATTRIBUTE', 'messages[*].text', '_acme.text',
     "'_acme.text' is of type string and cannot hold the array of items of 'messages[*].text'"),
    ('EXPRESSION', 'split(message, " ")', '_acme.text', "'_acme.text' is of type string and cannot hold the array"),
    ('EXPRESSION', 'a == b', '_acme.n', "'_acme.n' is of type integer and cannot hold the boolean value"),
    ('EXPRESSION', '!is_set(a)', 'timestamp', "'timestamp' is of type date-time and cannot hold the boolean value"),
    ('EXPRESSION', 'now()', '_acme.n', "'_acme.n' is of type integer and cannot hold the date-time value"),
    ('EXPRESSION', 'length(a)', '_acme.ok', "'_acme.ok' is of type boolean and cannot hold the number value"),
    ('EXPRESSION', '4.5', '_acme.n', "'_acme.n' is of type integer and the constant '4.5' does not convert to it"),
    ('STATIC', 'yes', '_acme.ok', "'_acme.ok' is of type boolean and the constant 'yes' does not convert to it"),
    ('STATIC', '01/05/2024', '_acme.d', "'_acme.d' is of type date and the constant '01/05/2024'"),
    ('EXPRESSION', 'to_object(a)', '_acme.text', "'_acme.text' is of type string and cannot hold the object value"),
    ('ATTRIBUTE', 'visitor', '_acme', "'_acme' is the tenant namespace object"),
    # a well-shaped text that is no date (AEP and the emulator parse it: MAPPER-1400)
    ('STATIC', '2024-13-45T99:00:00Z', 'timestamp',
     "'timestamp' is of type date-time and the constant '2024-13-45T99:00:00Z' does not convert to it"),
    ('EXPRESSION', "'2024-02-30'", '_acme.d', "'_acme.d' is of type date and the constant '2024-02-30' does not convert"),
    # beyond 64 bits (an XDM integer is a long)
    ('STATIC', '99999999999999999999999', '_acme.n', "'_acme.n' is of type integer and the constant '99999999999999999999999'"),
    ('EXPRESSION', '99999999999999999999999', '_acme.n', "'_acme.n' is of type integer and the constant '99999999999999999999999'"),
    # a constant (or any non-array value) into an item path of an array: [*] needs an array
    ('STATIC', 'x', '_acme.messages[*].text',
     "'_acme.messages[*].text' is an item path of an array ([*]) and cannot hold the constant 'x'"),
    ('EXPRESSION', 'uuid()', '_acme.messages[*].text', "'_acme.messages[*].text' is an item path of an array"),
    # by the function's result: a text that never converts
    ('EXPRESSION', 'uuid()', 'timestamp', "'timestamp' is of type date-time and uuid() yields a text (a UUID or digest)"),
    ('EXPRESSION', 'sha256(a)', '_acme.n', "'_acme.n' is of type integer and sha256() yields a text"),
    ('EXPRESSION', "upper('abc')", '_acme.n', "'_acme.n' is of type integer and upper('abc') (always 'ABC') does not convert"),
    ('EXPRESSION', "concat('a', 'b')", '_acme.n', "'_acme.n' is of type integer and concat('a', 'b') (always 'ab')"),
    ('EXPRESSION', "concat('a','b')", '_acme.ok', "'_acme.ok' is of type boolean and concat('a','b') (always 'ab')"),
    ('EXPRESSION', "to_integer('abc')", '_acme.n',
     "'_acme.n' is of type integer and to_integer('abc') fails on every record: 'abc' does not convert to integer"),
    ('EXPRESSION', "to_float('x1')", '_acme.f', "'_acme.f' is of type number and to_float('x1') fails on every record"),
])
def test_mappings_that_can_never_fill_their_destination_are_refused(source_type, source, destination, expected):
    found = problem(source_type, source, destination)
    assert found is not None and found.startswith(expected), found
    assert 'every record would fail mapping' in found


@pytest.mark.parametrize('source_type, source, destination', [
    ('ATTRIBUTE', 'message', '_acme.text'),  # string path into string
    ('ATTRIBUTE', 'count', '_acme.n'),  # a path: its type is the payload's (AEP converts numbers and numeric texts)
    ('ATTRIBUTE', 'visitor', '_acme.obj'),  # an object mapped as a whole
    ('ATTRIBUTE', 'attributes', '_acme.m'),
    ('ATTRIBUTE', 'messages', '_acme.messages'),  # a whole array of objects
    ('ATTRIBUTE', 'messages[*].text', '_acme.messages[*].text'),  # item by item
    ('ATTRIBUTE', 'messages[*].text', '_acme.tags'),  # every item's text as an array
    ('ATTRIBUTE', 'k', '_acme.m.anykey'),  # a map key
    ('STATIC', '42', '_acme.n'), ('STATIC', ' -7 ', '_acme.n'), ('STATIC', '4.2', '_acme.f'), ('STATIC', 'TRUE', '_acme.ok'),
    ('STATIC', '2024-05-01T10:00:00Z', 'timestamp'), ('STATIC', '2024-05-01T10:00:00.123+02:00', 'timestamp'),
    ('STATIC', '2024-05-01', '_acme.d'), ('STATIC', 'anything', '_acme.text'),
    ('EXPRESSION', '42', '_acme.n'), ('EXPRESSION', '1714557600000', 'timestamp'), ('EXPRESSION', 'true', '_acme.ok'),
    ('EXPRESSION', 'uuid()', '_id'), ('EXPRESSION', 'now()', 'timestamp'), ('EXPRESSION', 'now()', '_acme.d'),
    ('EXPRESSION', 'timestamp()', 'timestamp'), ('EXPRESSION', 'to_integer(a)', '_acme.n'),
    ('EXPRESSION', 'concat(a, b)', '_acme.n'),  # a computed text may be numeric: decided per record
    ('EXPRESSION', 'a == b', '_acme.ok'), ('EXPRESSION', 'length(a)', '_acme.text'),
    ('EXPRESSION', 'split(a, ",")', '_acme.tags'), ('EXPRESSION', 'iif(a, 1, 2)', '_acme.n'),
    ('EXPRESSION', '(now())', 'timestamp'), ('EXPRESSION', 'visitor.email', '_acme.text'),
    ('EXPRESSION', 'to_object(a)', '_acme.obj'), ('EXPRESSION', "concat(a, 'b')", 'identityMap.Email[0].id'),
    ('STATIC', '2024-02-29T23:59:59Z', 'timestamp'), ('STATIC', '2024-02-29', '_acme.d'),
    ('STATIC', '9223372036854775807', '_acme.n'), ('STATIC', '-9223372036854775808', '_acme.n'),
    ('EXPRESSION', "concat('1', '2')", '_acme.n'), ('EXPRESSION', "trim(' 42 ')", '_acme.n'),
    ('EXPRESSION', "upper('true')", '_acme.ok'), ('EXPRESSION', "concat('2024-05-01', 'T10:00:00Z')", 'timestamp'),
    ('EXPRESSION', "to_integer('42')", '_acme.n'), ('EXPRESSION', 'to_integer(a)', '_acme.n'),
    ('EXPRESSION', 'uuid()', '_acme.text'), ('EXPRESSION', 'sha256(a)', '_acme.text'),
    ('ATTRIBUTE', 'messages[*].text', '_acme.messages[*].text'), ('EXPRESSION', 'lower(messages[*].text)', '_acme.messages[*].text'),
])
def test_legal_mappings_stay_legal(source_type, source, destination):
    assert problem(source_type, source, destination) is None


def test_required_fields_of_the_schema_must_be_mapped():
    resolved = {'required': ['_id', 'timestamp'], 'properties': {
        '_id': {'type': 'string'}, 'timestamp': {'type': 'string', 'format': 'date-time'},
        '_acme': {'type': 'object', 'required': ['text'], 'properties': {'text': {'type': 'string'}}}}}
    required = mapping_types.required_paths(resolved)
    assert required == ['_id', 'timestamp', '_acme.text']
    mappings = [{'destination': '_acme.text'}, {'destination': 'timestamp'}]
    assert mapping_types.missing_required(required, mappings) == ['_id']
    assert mapping_types.missing_required(required, [{'destination': '_acme'}, {'destination': '_id'},
                                                     {'destination': 'timestamp'}]) == []
    message = mapping_types.required_problem(['_id', 'timestamp'], 'Chatlio Events', 'https://ns.adobe.com/acme/schemas/1')
    assert message.startswith("mappings: schema 'Chatlio Events' (https://ns.adobe.com/acme/schemas/1) requires '_id', "
                              "'timestamp' in every record and no mapping fills them; every record would fail with "
                              "\"Required field '_id' is missing\"")
    assert "source: 'uuid()', destination: _id" in message and "source: 'now()', destination: timestamp" in message
