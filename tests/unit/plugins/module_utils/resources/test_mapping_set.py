"""mapping_set logic: mapping comparison, destination validation, PUT body, module logic with mocked HTTP."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import DATA_PREP, SCHEMA_REGISTRY
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import mapping_set as ms
from tests.unit.conftest import platform, writes

SCHEMA = 'https://ns.adobe.com/acme/schemas/' + 'b' * 48
SCHEMA_PATH = '/tenant/schemas/' + SCHEMA.replace(':', '%3A').replace('/', '%2F')
MID = 'e7c80e4c0d8f4a98a7d400b4e178b635'


def m(source, destination, source_type='ATTRIBUTE', description=None):
    return {'source': source, 'destination': destination, 'source_type': source_type, 'description': description}


MAPPINGS = [m('message', '_acme.message'), m('visitor.UUID', '_acme.UUID'), m('uuid()', '_id', 'EXPRESSION')]


def stored(mapping):
    """How Data Prep returns a mapping: both forms, its own type spelling, server fields."""
    kind = {'ATTRIBUTE': 'text/x.schema-path', 'EXPRESSION': 'text/x.aep-xl', 'STATIC': 'STATIC'}
    result = {'id': 'x', 'version': 0, 'createdDate': 1, 'sourceType': kind[mapping['source_type']],
              'source': mapping['source'], 'destination': mapping['destination'],
              'sourceAttribute': mapping['source'], 'destinationXdmPath': mapping['destination'],
              'identity': False, 'matchScore': 0.0}
    if mapping.get('description'):
        result['description'] = mapping['description']
    return result


def stored_set(mappings=None, version=0, name='Chatlio'):
    mappings = MAPPINGS if mappings is None else mappings
    return {'id': MID, 'version': version, 'name': name, 'createdDate': 1,
            'outputSchema': {'schemaRef': {'id': SCHEMA, 'contentType': ms.OUTPUT_CONTENT_TYPE}},
            'mappings': [stored(x) for x in mappings]}


def test_source_types_from_both_spellings():
    assert ms.source_type_of({'sourceType': 'text/x.schema-path'}) == 'ATTRIBUTE'
    assert ms.source_type_of({'sourceType': 'text/x.aep-xl'}) == 'EXPRESSION'
    assert ms.source_type_of({'sourceType': 'STATIC'}) == 'STATIC'
    assert ms.source_type_of({}) == 'ATTRIBUTE'
    assert ms.user_mapping({'sourceAttribute': 'a', 'destinationXdmPath': 'b'}) == {
        'source_type': 'ATTRIBUTE', 'source': 'a', 'destination': 'b'}


def test_mappings_equal_ignores_order_and_server_fields():
    current = [stored(x) for x in MAPPINGS]
    assert ms.mappings_equal(current, list(reversed(MAPPINGS)))
    assert not ms.mappings_equal(current, MAPPINGS[:2])
    assert not ms.mappings_equal(current, MAPPINGS + [m('x', '_acme.x')])
    assert not ms.mappings_equal(current, [m('message', '_acme.message', 'EXPRESSION')] + MAPPINGS[1:])
    assert not ms.mappings_equal(current, [m('text', '_acme.message')] + MAPPINGS[1:])


def test_mappings_equal_counts_duplicates():
    current = [stored(MAPPINGS[0]), stored(MAPPINGS[0])]
    assert ms.mappings_equal(current, [MAPPINGS[0], MAPPINGS[0]])
    assert not ms.mappings_equal(current, [MAPPINGS[0]])


def test_descriptions_compared_only_when_set():
    current = [stored(m('message', '_acme.message', description='text'))] + [stored(x) for x in MAPPINGS[1:]]
    assert ms.mappings_equal(current, MAPPINGS)
    assert ms.mappings_equal(current, [m('message', '_acme.message', description='text')] + MAPPINGS[1:])
    assert not ms.mappings_equal(current, [m('message', '_acme.message', description='other')] + MAPPINGS[1:])
    assert not ms.mappings_equal([stored(x) for x in MAPPINGS],
                                 [m('message', '_acme.message', description='text')] + MAPPINGS[1:])


def test_check_mappings_rejects_conflicts():
    with pytest.raises(InputError) as err:
        ms.check_mappings(MAPPINGS + [m('other', '_acme.message')])
    assert 'mappings[3]' in err.value.msg and 'mappings[0]' in err.value.msg
    with pytest.raises(InputError):
        ms.check_mappings([m('', '_acme.message')])
    assert ms.check_mappings([m('', '_acme.flag', 'STATIC')])[0]['source'] == ''


def test_differences_and_put_body():
    resource = ms.MappingSet(None)
    current = stored_set()
    same = ms.desired_body({'name': 'Chatlio', 'schema_id': SCHEMA, 'mappings': list(reversed(MAPPINGS))})
    assert resource.differences(current, same) == []
    changed = ms.desired_body({'name': 'Chatlio', 'schema_id': SCHEMA, 'mappings': MAPPINGS[:2]})
    assert resource.differences(current, changed) == ['/mappings']
    assert resource.differences(current, ms.desired_body({'name': 'New', 'schema_id': None})) == ['/name']
    # a PUT without mappings from the user keeps the current ones (modern form only)
    body = resource.put_body(current, ms.desired_body({'name': 'New', 'schema_id': None}))
    assert body['name'] == 'New' and body['outputSchema']['schemaRef']['id'] == SCHEMA
    assert sorted(x['destination'] for x in body['mappings']) == ['_acme.UUID', '_acme.message', '_id']
    assert set(body['mappings'][0]) == {'sourceType', 'source', 'destination'}
    predicted = resource.predict_update(current, changed)
    assert predicted['version'] == 1 and len(predicted['mappings']) == 2


RESOLVED = {'title': 'Chatlio Events', 'properties': {
    '_id': {'type': 'string'}, 'timestamp': {'type': 'string', 'format': 'date-time'},
    'identityMap': {'type': 'object', 'additionalProperties': {'type': 'array'}},
    'items': {'type': 'array', 'items': {'type': 'object', 'properties': {'sku': {'type': 'string'}}}},
    '_acme': {'type': 'object', 'properties': {'message': {'type': 'string'}, 'UUID': {'type': 'string'}}}}}


def test_destination_known():
    paths = ms.xdm_common.schema_field_paths(RESOLVED)
    for ok in ('_id', '_acme.message', '_acme', 'items[0].sku', 'items[].sku', 'identityMap.email'):
        assert ms.xdm_common.destination_known(paths, ok), ok
    for bad in ('_acme.nope', 'message', 'items.sku', '_tenant.message'):
        assert not ms.xdm_common.destination_known(paths, bad), bad


def test_check_destinations_names_every_missing_field(client, mocked):
    mocked.get(platform(SCHEMA_REGISTRY, SCHEMA_PATH), json=RESOLVED)
    with pytest.raises(InputError) as err:
        ms.check_destinations(client, SCHEMA, MAPPINGS + [m('a', '_acme.nope'), m('b', 'other')])
    assert "'_acme.nope'" in err.value.msg and "'other'" in err.value.msg and 'Chatlio Events' in err.value.msg
    assert mocked.calls[0].request.headers['Accept'] == 'application/vnd.adobe.xed-full+json; version=1'


def params(**changes):
    result = {'name': 'Chatlio', 'id': None, 'schema_id': SCHEMA, 'mappings': MAPPINGS, 'state': 'present'}
    result.update(changes)
    return result


def mock_lookup(mocked, existing=None):
    mocked.get(platform(DATA_PREP, '/mappingSets'), json={'data': [existing] if existing else [], '_page': {}})
    if existing:
        mocked.get(platform(DATA_PREP, '/mappingSets/' + MID), json=existing)
    mocked.get(platform(SCHEMA_REGISTRY, SCHEMA_PATH), json=RESOLVED)


def test_run_create(client, mocked):
    mock_lookup(mocked)
    mocked.post(platform(DATA_PREP, '/mappingSets'), json={'id': MID, 'version': 0})
    mocked.get(platform(DATA_PREP, '/mappingSets/' + MID), json=stored_set())
    result = ms.run(params(), client, False)
    assert result['changed'] and result['id'] == MID and result['version'] == 0
    body = json.loads(writes(mocked)[0].body)
    assert body['name'] == 'Chatlio'
    assert body['outputSchema'] == {'schemaRef': {'id': SCHEMA, 'contentType': ms.OUTPUT_CONTENT_TYPE}}
    assert body['mappings'][2] == {'sourceType': 'EXPRESSION', 'source': 'uuid()', 'destination': '_id'}


def test_run_in_sync_and_check_mode(client, mocked):
    mock_lookup(mocked, stored_set(version=4))
    result = ms.run(params(mappings=list(reversed(MAPPINGS))), client, False)
    assert not result['changed'] and result['version'] == 4 and writes(mocked) == []
    result = ms.run(params(mappings=MAPPINGS[:1]), client, True)
    assert result['changed'] and result['version'] == 5 and writes(mocked) == []
    assert result['diff']['after']['mappings'] == [{'source_type': 'ATTRIBUTE', 'source': 'message',
                                                    'destination': '_acme.message'}]


def test_run_update_puts_a_new_version(client, mocked):
    mock_lookup(mocked, stored_set(version=0))
    mocked.put(platform(DATA_PREP, '/mappingSets/' + MID), json=stored_set(MAPPINGS[:1], version=1))
    result = ms.run(params(mappings=MAPPINGS[:1]), client, False)
    assert result['changed']
    put = writes(mocked)
    assert [r.method for r in put] == ['PUT']
    assert json.loads(put[0].body)['mappings'] == [{'sourceType': 'ATTRIBUTE', 'source': 'message',
                                                   'destination': '_acme.message'}]


def test_run_absent_never_writes(client, mocked):
    mock_lookup(mocked, stored_set())
    result = ms.run(params(state='absent'), client, False)
    assert not result['changed'] and 'no DELETE' in result['msg'] and result['warnings']
    assert writes(mocked) == []


def test_run_destination_absent_fails_before_write(client, mocked):
    mock_lookup(mocked)
    with pytest.raises(InputError) as err:
        ms.run(params(mappings=MAPPINGS + [m('x', '_acme.missing')]), client, False)
    assert '_acme.missing' in err.value.msg
    assert writes(mocked) == []


def test_run_create_fails_loudly_when_the_name_is_not_kept(client, mocked):
    mock_lookup(mocked)
    mocked.post(platform(DATA_PREP, '/mappingSets'), json={'id': MID, 'version': 0})
    mocked.get(platform(DATA_PREP, '/mappingSets/' + MID), json=stored_set(name=None))
    with pytest.raises(InputError) as err:
        ms.run(params(), client, False)
    assert MID in err.value.msg and 'id:' in err.value.msg


def test_check_destinations_refuses_the_tenant_object_and_incompatible_values(client, mocked):
    mocked.get(platform(SCHEMA_REGISTRY, SCHEMA_PATH), json=RESOLVED)
    with pytest.raises(InputError) as err:
        ms.check_destinations(client, SCHEMA, MAPPINGS + [m('visitor', '_acme')])
    assert err.value.msg.startswith('mappings[3] (visitor -> _acme): destination')
    assert 'tenant namespace object' in err.value.msg
    with pytest.raises(InputError) as err:
        ms.check_destinations(client, SCHEMA, [m("concat(a, 'b')", 'identityMap', 'EXPRESSION')])
    assert "'identityMap' is of type map and cannot hold the string value" in err.value.msg
    # item by item into an array of objects, and a whole array: accepted
    ms.check_destinations(client, SCHEMA, [m('lines[*].sku', 'items[*].sku'), m('lines', 'items')])


def test_predicted_fields_count_in_check_mode_only(client, mocked):
    mocked.get(platform(SCHEMA_REGISTRY, SCHEMA_PATH), json=RESOLVED)
    predicted = [{'name': '_acme.added', 'type': 'integer'}]
    ms.check_destinations(client, SCHEMA, [m('x', '_acme.added')], predicted, check_mode=True)
    with pytest.raises(InputError) as err:
        ms.check_destinations(client, SCHEMA, [m('x', '_acme.added')], predicted, check_mode=False)
    assert "'_acme.added'" in err.value.msg
    with pytest.raises(InputError) as err:  # a predicted field's type is checked too
        ms.check_destinations(client, SCHEMA, [m('now()', '_acme.added', 'EXPRESSION')], predicted, check_mode=True)
    assert 'of type integer' in err.value.msg


def test_a_placeholder_schema_is_checked_against_the_predicted_fields_only(client, mocked):
    placeholder = 'https://ns.adobe.com/schemas/' + '0' * 48
    predicted = [{'name': '_acme.message', 'type': 'string'}]  # its parent _acme is an object
    ms.check_destinations(client, placeholder, MAPPINGS, predicted, check_mode=True)  # _id: unknown yet, not refused
    with pytest.raises(InputError):
        ms.check_destinations(client, placeholder, [m('visitor', '_acme')], predicted, check_mode=True)
    assert len(mocked.calls) == 0
