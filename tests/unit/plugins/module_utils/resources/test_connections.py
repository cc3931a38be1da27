"""Source, target and base connection logic with mocked HTTP: bodies, patches, validation, secrets."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import CATALOG, FLOW_SERVICE
from ansible_collections.aep.platform.plugins.module_utils.engine import Field, FieldTable, InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import base_connection, source_connection
from ansible_collections.aep.platform.plugins.module_utils.resources import target_connection
from ansible_collections.aep.platform.plugins.module_utils.resources.flowservice_common import ConnectionResource
from tests.unit.conftest import platform, writes

CHATLIO = '073127a3-26e3-496c-9d94-9f48fb93fba8'
LAKE = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'
HTTP = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb'
PROVIDER = '521eee4d-8cbe-4906-bb48-fb6bd4450033'
CID = '7689a40d-43eb-4f74-a3f1-092a55884f6c'
DATASET = '63ef7df781f14a1bd02a7e49'
SCHEMA = 'https://ns.adobe.com/acme/schemas/abc'
FULL = 'application/vnd.adobe.xed-full+json;version=1'


def fs(path):
    return platform(FLOW_SERVICE, path)


def specs(mocked):
    mocked.get(fs('/connectionSpecs/' + CHATLIO), json={'items': [{'id': CHATLIO, 'name': 'Chatlio', 'sourceSpec': {}}]})
    mocked.get(fs('/connectionSpecs/' + LAKE), json={'items': [{'id': LAKE, 'name': 'Data Lake', 'targetSpec': {}}]})
    mocked.get(fs('/connectionSpecs/' + HTTP), json={'items': [{
        'id': HTTP, 'name': 'http', 'sourceSpec': {}, 'authSpec': [{'name': 'Streaming Connection'}]}]})


# --- source connection ----------------------------------------------------------------------------

def src_params(**changes):
    result = dict(state='present', name='Chatlio', id=None, description='d', connection_spec_id=CHATLIO,
                  connection_spec_version='1.0', provider_id=PROVIDER, data_format='json', base_connection_id=None,
                  params=None, recreate=False)
    result.update(changes)
    return result


def stored_source(**changes):
    obj = {'id': CID, 'name': 'Chatlio', 'description': 'd', 'providerId': PROVIDER, 'etag': '"1"',
           'connectionSpec': {'id': CHATLIO, 'version': '1.0'}, 'data': {'format': 'json'}, 'params': {},
           'state': 'enabled', 'createdAt': 1}
    obj.update(changes)
    return obj


def test_source_create_body(client, mocked):
    specs(mocked)
    mocked.get(fs('/sourceConnections'), json={'items': []})
    mocked.post(fs('/sourceConnections'), json={'id': CID, 'etag': '"1"'}, status=201)
    mocked.get(fs('/sourceConnections/' + CID), json={'items': [stored_source()]})
    result = source_connection.run(src_params(), client, False)
    (post,) = writes(mocked)
    assert json.loads(post.body) == {'name': 'Chatlio', 'description': 'd', 'providerId': PROVIDER,
                                     'connectionSpec': {'id': CHATLIO, 'version': '1.0'}, 'data': {'format': 'json'}}
    assert result['changed'] and result['id'] == CID and result['etag'] == '"1"'
    assert result['diff']['after']['connection_spec_id'] == CHATLIO
    assert 'createdAt' not in result['diff']['after']


def test_source_in_sync_and_patch(client, mocked):
    specs(mocked)
    mocked.get(fs('/sourceConnections'), json={'items': [stored_source()]})
    assert source_connection.run(src_params(), client, False)['changed'] is False
    assert writes(mocked) == []
    mocked.patch(fs('/sourceConnections/' + CID), json={'id': CID, 'etag': '"2"'})
    mocked.get(fs('/sourceConnections/' + CID), json={'items': [stored_source(params={'k': 'v'})]})
    source_connection.run(src_params(params={'k': 'v'}), client, False)
    (patch,) = writes(mocked)
    assert patch.headers['If-Match'] == '"1"'
    assert json.loads(patch.body) == [{'op': 'add', 'path': '/params/k', 'value': 'v'}]


def test_source_spec_change_is_an_error_unless_recreate(client, mocked):
    specs(mocked)
    mocked.get(fs('/sourceConnections'), json={'items': [stored_source(connectionSpec={'id': HTTP, 'version': '1.0'})]})
    with pytest.raises(InputError, match='recreate=true') as err:
        source_connection.run(src_params(), client, False)
    assert err.value.field == 'connection_spec_id'
    result = source_connection.run(src_params(recreate=True), client, True)
    assert result['changed'] and writes(mocked) == []


@pytest.mark.parametrize('changes, field', [
    (dict(connection_spec_id=LAKE), 'connection_spec_id'),
    (dict(connection_spec_id='x'), 'connection_spec_id'),
    (dict(provider_id='nope'), 'provider_id'),
    (dict(connection_spec_id=None), 'connection_spec_id'),
    (dict(base_connection_id='00000000-0000-0000-0000-000000000000'), 'base_connection_id'),
])
def test_source_bad_inputs(client, mocked, changes, field):
    specs(mocked)
    mocked.get(fs('/sourceConnections'), json={'items': []})
    with pytest.raises(InputError) as err:
        source_connection.run(src_params(**changes), client, False)
    assert err.value.field == field and writes(mocked) == []


def test_name_with_comma_lists_everything(client, mocked):
    mocked.get(fs('/sourceConnections'), json={'items': [stored_source(name='a,b'), stored_source(name='a', id='x')]})
    resource = source_connection.SourceConnection(client)
    assert resource.find(identity='a,b')['name'] == 'a,b'
    assert 'property' not in mocked.calls[0].request.url


def test_user_view_maps_option_names():
    class Thing(ConnectionResource):
        fields = FieldTable(Field('name', '/name'), Field('spec', '/connectionSpec/id'), Field('empty', '/description'))
    view = Thing(None).user_view({'name': 'n', 'connectionSpec': {'id': 'i'}, 'description': ''})
    assert view == {'name': 'n', 'spec': 'i'}


# --- target connection ----------------------------------------------------------------------------

def tgt_params(**changes):
    result = dict(state='present', name='T', id=None, description=None, connection_spec_id=LAKE,
                  connection_spec_version='1.0', dataset_id=DATASET, schema_id=None, schema_version=FULL,
                  data_format='json', recreate=False)
    result.update(changes)
    return result


def test_target_schema_from_dataset(client, mocked):
    specs(mocked)
    mocked.get(fs('/targetConnections'), json={'items': []})
    mocked.get(platform(CATALOG, '/dataSets/' + DATASET), json={DATASET: {'schemaRef': {'id': SCHEMA}}})
    mocked.post(fs('/targetConnections'), json={'id': CID, 'etag': '"1"'}, status=201)
    mocked.get(fs('/targetConnections/' + CID), json={'items': [{'id': CID, 'name': 'T'}]})
    target_connection.run(tgt_params(), client, False)
    (post,) = writes(mocked)
    body = json.loads(post.body)
    assert body['data'] == {'format': 'json', 'schema': {'id': SCHEMA, 'version': FULL}}
    assert body['params'] == {'dataSetId': DATASET}
    assert body['connectionSpec'] == {'id': LAKE, 'version': '1.0'}


def test_target_missing_dataset_and_schema_mismatch(client, mocked):
    specs(mocked)
    mocked.get(fs('/targetConnections'), json={'items': []})
    mocked.get(platform(CATALOG, '/dataSets/' + DATASET), status=404, json={})
    with pytest.raises(InputError, match='no dataset') as err:
        target_connection.run(tgt_params(), client, False)
    assert err.value.field == 'dataset_id'
    mocked.replace(mocked.GET, platform(CATALOG, '/dataSets/' + DATASET), json={DATASET: {'schemaRef': {'id': SCHEMA}}})
    with pytest.raises(InputError, match='is not the schema of dataset'):
        target_connection.run(tgt_params(schema_id=SCHEMA + 'x'), client, False)
    assert writes(mocked) == []


# --- base connection ------------------------------------------------------------------------------

def base_params(**changes):
    result = dict(state='present', name='B', id=None, description=None, connection_spec_id=HTTP,
                  connection_spec_version='1.0', update_auth='on_create',
                  auth={'spec_name': 'Streaming Connection', 'credentials': {'password': 'pw-secret'}})
    result.update(changes)
    return result


def stored_base(**changes):
    obj = {'id': CID, 'name': 'B', 'etag': '"1"', 'connectionSpec': {'id': HTTP, 'version': '1.0'},
           'auth': {'specName': 'Streaming Connection', 'params': {'password': 'pw-secret'}}}
    obj.update(changes)
    return obj


def test_base_credentials_never_returned(client, mocked):
    specs(mocked)
    mocked.get(fs('/connections'), json={'items': [stored_base()]})
    result = base_connection.run(base_params(), client, False)
    assert result['changed'] is False and writes(mocked) == []
    assert 'pw-secret' not in json.dumps(result)
    assert result['base_connection']['auth'] == {'specName': 'Streaming Connection',
                                                 'params': {'password': base_connection.HIDDEN}}


def test_base_update_auth_always_patches_auth(client, mocked):
    specs(mocked)
    mocked.get(fs('/connections'), json={'items': [stored_base()]})
    mocked.patch(fs('/connections/' + CID), json={'id': CID, 'etag': '"2"'})
    mocked.get(fs('/connections/' + CID), json={'items': [stored_base(etag='"2"')]})
    result = base_connection.run(base_params(update_auth='always'), client, False)
    (patch,) = writes(mocked)
    # Flow Service "Update accounts": the parameters are replaced as a whole
    assert json.loads(patch.body) == [{'op': 'replace', 'path': '/auth/params', 'value': {'password': 'pw-secret'}}]
    assert result['changed'] and result['diff']['after']['auth']['credentials'] == 'replaced'
    assert result['diff']['before']['auth']['credentials'] == base_connection.HIDDEN
    assert 'pw-secret' not in json.dumps(result)


def test_base_unknown_auth_type(client, mocked):
    specs(mocked)
    mocked.get(fs('/connections'), json={'items': []})
    with pytest.raises(InputError, match='Streaming Connection') as err:
        base_connection.run(base_params(auth={'spec_name': 'OAuth', 'params': {}}), client, False)
    assert err.value.field == 'auth.spec_name' and writes(mocked) == []
