"""dataset logic: owned-field comparison, tags, immutable schema, module logic with mocked HTTP."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import CATALOG, SCHEMA_REGISTRY
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import dataset as ds
from tests.unit.conftest import platform, writes

DID = '5c8c3c555033b814b69f947f'
SCHEMA = 'https://ns.adobe.com/acme/schemas/' + 'c' * 48
OTHER = 'https://ns.adobe.com/acme/schemas/' + 'd' * 48


def stored(**changes):
    obj = {'name': 'Chatlio', 'description': 'd', 'imsOrg': 'x', 'version': '1.0.0', 'created': 1, 'updated': 2,
           'schemaRef': {'id': SCHEMA, 'contentType': 'application/vnd.adobe.xed+json; version=1'},
           'tags': {'team': ['b', 'a'], 'adobe/pqs/table': ['chatlio']}}
    obj.update(changes)
    return obj


def params(**changes):
    result = {'name': 'Chatlio', 'id': None, 'description': 'd', 'schema_id': SCHEMA, 'tags': {'team': ['a', 'b']},
              'state': 'present'}
    result.update(changes)
    return result


def test_normalize_tags():
    assert ds.normalize_tags({'a': 'x', 'b': ['y', 1], 'c': True}) == {'a': ['x'], 'b': ['y', '1'], 'c': ['true']}
    assert ds.normalize_tags(None) is None
    with pytest.raises(InputError) as err:
        ds.normalize_tags({'a': [{'x': 1}]})
    assert 'tags.a' in err.value.msg


def test_differences_owned_only():
    resource = ds.Dataset(None)
    current = dict(stored(), id=DID)
    assert resource.differences(current, ds.desired_body(params())) == []  # tag order, contentType spelling
    assert resource.differences(current, ds.desired_body(params(description=None, tags=None))) == []
    assert resource.differences(current, ds.desired_body(params(tags={'team': ['a']}))) == ['/tags']
    assert resource.differences(current, ds.desired_body(params(description='e'))) == ['/description']
    with pytest.raises(InputError) as err:
        resource.differences(current, ds.desired_body(params(schema_id=OTHER)))
    assert 'cannot change the schema' in err.value.msg and DID in err.value.msg


def mock_catalog(mocked, existing=None):
    body = {DID: existing} if existing else {}
    mocked.get(platform(CATALOG, '/dataSets'), json=body)
    if existing:
        mocked.get(platform(CATALOG, '/dataSets/' + DID), json={DID: existing})


def test_run_update_patches_only_differing_keys_and_keeps_other_tags(client, mocked):
    mock_catalog(mocked, stored())
    mocked.patch(platform(CATALOG, '/dataSets/' + DID), json=['@/dataSets/' + DID])
    result = ds.run(params(tags={'team': ['a', 'b', 'c']}), client, False)
    assert result['changed']
    sent = [json.loads(r.body) for r in writes(mocked)]
    assert sent == [{'tags': {'team': ['a', 'b', 'c'], 'adobe/pqs/table': ['chatlio']}}]


def test_run_in_sync_writes_nothing(client, mocked):
    mock_catalog(mocked, stored())
    result = ds.run(params(), client, False)
    assert not result['changed'] and result['id'] == DID and writes(mocked) == []
    assert result['dataset']['id'] == DID


def test_run_create_checks_the_schema_first(client, mocked):
    mock_catalog(mocked)
    path = '/tenant/schemas/' + SCHEMA.replace(':', '%3A').replace('/', '%2F')
    mocked.get(platform(SCHEMA_REGISTRY, path), status=404, json={'title': 'Not Found'})
    with pytest.raises(InputError) as err:
        ds.run(params(), client, True)
    assert 'does not exist' in err.value.msg and SCHEMA in err.value.msg
    with pytest.raises(InputError):
        ds.run(params(), client, False)
    assert writes(mocked) == []


def test_run_create(client, mocked):
    mock_catalog(mocked)
    path = '/tenant/schemas/' + SCHEMA.replace(':', '%3A').replace('/', '%2F')
    mocked.get(platform(SCHEMA_REGISTRY, path), json={'$id': SCHEMA})
    mocked.post(platform(CATALOG, '/dataSets'), json=['@/dataSets/' + DID], status=201)
    mocked.get(platform(CATALOG, '/dataSets/' + DID), json={DID: stored()})
    result = ds.run(params(), client, False)
    assert result['changed'] and result['id'] == DID
    body = json.loads(writes(mocked)[0].body)
    assert body == {'name': 'Chatlio', 'description': 'd', 'tags': {'team': ['a', 'b']},
                    'schemaRef': {'id': SCHEMA, 'contentType': 'application/vnd.adobe.xed+json;version=1'}}


def test_names_with_filter_characters_are_matched_here(client, mocked):
    mocked.get(platform(CATALOG, '/dataSets'), json={DID: stored(name='a,b'), 'f' * 24: stored(name='a')})
    resource = ds.Dataset(client)
    found = resource.find(identity='a,b')
    assert found['id'] == DID
    assert 'name=' not in mocked.calls[0].request.url


def test_bad_ids(client, mocked):
    for args, needle in ((dict(id='xyz'), 'id'), (dict(schema_id='schema'), 'schema_id')):
        with pytest.raises(InputError) as err:
            ds.run(params(**args), client, False)
        assert err.value.field == needle
    assert len(mocked.calls) == 0


def test_catalog_404_for_an_empty_match_means_absent(client, mocked):
    mocked.get(platform(CATALOG, '/dataSets'), status=404, json={'title': 'NotFoundError', 'detail': 'not found'})
    assert ds.Dataset(client).find(identity='Chatlio') is None
    result = ds.INFO_DEFINITION.logic({'name': 'Chatlio', 'id': None}, client, False)
    assert result == {'changed': False, 'datasets': [], 'count': 0}
