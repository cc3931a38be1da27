"""Base connection auth with mocked HTTP: non-secret parameters compared, shown, updated with the documented PATCH
(``replace /auth/params``); credentials write-only and never shown; the inlet of HTTP API flows for flow/flow_info."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import FLOW_SERVICE
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import base_connection, flow
from tests.unit.conftest import platform, writes

HTTP = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb'
BASIC = '11111111-2222-4333-8444-555555555555'
CID = '7689a40d-43eb-4f74-a3f1-092a55884f6c'
FLOW_ID = 'd947e6a9-ea53-42c4-985c-c9379265491f'
INLET_ID = 'ab' * 32
INLET = 'https://dcs.test/collection/' + INLET_ID
SECRET = 'pw-S3CRET-value-1234'
HTTP_AUTH_SPEC = [{'name': 'Streaming Connection', 'spec': {'required': ['dataType'], 'properties': {
    'dataType': {'type': 'string', 'enum': ['xdm', 'raw']}, 'authenticationRequired': {'type': 'boolean'},
    'sourceId': {'type': 'string'}, 'name': {'type': 'string'}}}}]
BASIC_AUTH_SPEC = [{'name': 'Basic Authentication', 'spec': {'required': ['username', 'pin'], 'properties': {
    'username': {'type': 'string'}, 'pin': {'type': 'string', 'format': 'password'}, 'region': {'type': 'string'}}}}]


def fs(path):
    return platform(FLOW_SERVICE, path)


def specs(mocked):
    mocked.get(fs('/connectionSpecs/' + HTTP), json={'items': [{
        'id': HTTP, 'name': 'http', 'sourceSpec': {}, 'authSpec': HTTP_AUTH_SPEC}]})
    mocked.get(fs('/connectionSpecs/' + BASIC), json={'items': [{
        'id': BASIC, 'name': 'basic', 'sourceSpec': {}, 'authSpec': BASIC_AUTH_SPEC}]})


def params(auth_params=None, credentials=None, spec=HTTP, spec_name='Streaming Connection', **changes):
    auth = {'spec_name': spec_name, 'params': auth_params if auth_params is not None else
            {'dataType': 'raw', 'authenticationRequired': False}, 'credentials': credentials}
    result = dict(state='present', name='BC test raw feed', id=None, description=None, connection_spec_id=spec,
                  connection_spec_version='1.0', update_auth='on_create', auth=auth)
    result.update(changes)
    return result


def stored(auth_params=None, spec=HTTP, spec_name='Streaming Connection', etag='"1"'):
    return {'id': CID, 'name': 'BC test raw feed', 'etag': etag, 'connectionSpec': {'id': spec, 'version': '1.0'},
            'state': 'enabled', 'auth': {'specName': spec_name, 'params': auth_params if auth_params is not None else {
                'dataType': 'raw', 'authenticationRequired': False, 'name': 'BC test raw feed',
                'sourceId': 'BC test raw feed', 'inletId': INLET_ID, 'inletUrl': INLET}}}


def existing(mocked, obj, after=None):
    specs(mocked)
    mocked.get(fs('/connections'), json={'items': [obj]})
    mocked.patch(fs('/connections/' + CID), json={'id': CID, 'etag': '"2"'})
    mocked.get(fs('/connections/' + CID), json={'items': [after or obj]})


def changed_params(obj, **values):
    result = json.loads(json.dumps(obj))
    result['auth']['params'].update(values)
    result['etag'] = '"2"'
    return result


@pytest.mark.parametrize('name, value', [('authenticationRequired', True), ('dataType', 'xdm')])
def test_non_secret_param_change_is_compared_shown_and_patched(client, mocked, name, value):
    before = stored()
    existing(mocked, before, changed_params(before, **{name: value}))
    wanted = dict({'dataType': 'raw', 'authenticationRequired': False}, **{name: value})
    result = base_connection.run(params(wanted), client, False)
    (patch,) = writes(mocked)
    # the documented form: the whole parameter object, what AEP holds (inlet included) with the change applied
    assert json.loads(patch.body) == [{'op': 'replace', 'path': '/auth/params',
                                       'value': dict(before['auth']['params'], **{name: value})}]
    assert patch.headers['If-Match'] == '"1"'
    assert result['changed'] is True
    assert result['base_connection']['auth']['params'][name] == value
    assert result['diff']['before']['auth']['params'][name] == before['auth']['params'][name]
    assert result['diff']['after']['auth']['params'][name] == value
    assert result['authentication_required'] is (name == 'authenticationRequired')
    assert result['inlet_url'] == INLET


def test_check_mode_predicts_the_change_without_writing(client, mocked):
    existing(mocked, stored())
    result = base_connection.run(params({'dataType': 'raw', 'authenticationRequired': True}), client, True)
    assert writes(mocked) == []
    assert result['changed'] is True and result['authentication_required'] is True
    assert result['diff']['after']['auth']['params'] == {'dataType': 'raw', 'authenticationRequired': True}
    assert result['base_connection']['auth']['params']['inletUrl'] == INLET


def test_converged_params_read_once_and_write_nothing(client, mocked):
    existing(mocked, stored())
    result = base_connection.run(params(), client, False)
    assert result['changed'] is False and writes(mocked) == []
    # server-managed params (inlet, defaulted name and sourceId) are not the user's: never compared
    assert [c.request.method for c in mocked.calls] == ['GET'] and '/connectionSpecs/' not in mocked.calls[0].request.url
    assert result['base_connection']['auth']['params']['dataType'] == 'raw'
    assert result['base_connection']['auth']['specName'] == 'Streaming Connection'


def test_param_aep_masks_is_not_compared(client, mocked):
    existing(mocked, stored(dict(stored()['auth']['params'], region='****')))
    result = base_connection.run(params({'dataType': 'raw', 'region': 'eu'}), client, False)
    assert result['changed'] is False and writes(mocked) == []
    assert result['base_connection']['auth']['params']['region'] == base_connection.HIDDEN


@pytest.mark.parametrize('name', ['password', 'clientSecret', 'apiKey', 'token', 'sasToken'])
def test_secret_in_params_is_refused_before_any_request(client, mocked, name):
    with pytest.raises(InputError) as err:
        base_connection.run(params({'dataType': 'raw', name: SECRET}), client, False)
    assert err.value.field == 'auth.params' and 'auth.params.%s' % name in err.value.msg
    assert 'auth.credentials' in err.value.msg and SECRET not in err.value.msg
    assert len(mocked.calls) == 0


def test_secret_declared_by_the_auth_spec_is_refused_in_params(client, mocked):
    specs(mocked)
    mocked.get(fs('/connections'), json={'items': []})
    with pytest.raises(InputError) as err:
        base_connection.run(params({'username': 'svc', 'pin': SECRET}, spec=BASIC, spec_name='Basic Authentication'),
                            client, False)
    assert 'auth.params.pin' in err.value.msg and 'declares it secret' in err.value.msg and SECRET not in err.value.msg
    assert writes(mocked) == []


def test_same_param_in_params_and_credentials_is_refused(client, mocked):
    with pytest.raises(InputError, match='auth.params.username: also given in auth.credentials'):
        base_connection.run(params({'username': 'svc'}, {'username': 'svc'}, spec=BASIC,
                                   spec_name='Basic Authentication'), client, False)
    assert len(mocked.calls) == 0


def basic_stored():
    return stored({'username': 'svc', 'pin': '****', 'region': 'us'}, spec=BASIC, spec_name='Basic Authentication')


def test_param_change_on_a_connection_with_secrets_needs_the_credentials(client, mocked):
    existing(mocked, basic_stored())
    with pytest.raises(InputError) as err:
        base_connection.run(params({'username': 'svc', 'region': 'eu'}, spec=BASIC, spec_name='Basic Authentication'),
                            client, False)
    assert err.value.field == 'auth.credentials' and 'pin' in err.value.msg
    assert writes(mocked) == []


@pytest.mark.parametrize('check_mode', [False, True])
def test_param_change_sends_the_credentials_and_never_shows_them(client, mocked, check_mode):
    before = basic_stored()
    existing(mocked, before, changed_params(before, region='eu'))
    result = base_connection.run(params({'username': 'svc', 'region': 'eu'}, {'pin': SECRET}, spec=BASIC,
                                        spec_name='Basic Authentication'), client, check_mode)
    if check_mode:
        assert writes(mocked) == []
    else:
        (patch,) = writes(mocked)
        assert json.loads(patch.body) == [{'op': 'replace', 'path': '/auth/params',
                                           'value': {'username': 'svc', 'region': 'eu', 'pin': SECRET}}]
    assert result['changed'] is True and SECRET not in json.dumps(result)
    assert result['diff']['before']['auth'] == {'spec_name': 'Basic Authentication', 'credentials': base_connection.HIDDEN,
                                                'params': {'username': 'svc', 'region': 'us'}}
    assert result['diff']['after']['auth'] == {'spec_name': 'Basic Authentication', 'credentials': 'replaced',
                                               'params': {'username': 'svc', 'region': 'eu'}}
    assert result['base_connection']['auth']['params']['pin'] == base_connection.HIDDEN


@pytest.mark.parametrize('check_mode', [False, True])
def test_create_sends_params_and_credentials_and_shows_only_params(client, mocked, check_mode):
    specs(mocked)
    mocked.get(fs('/connections'), json={'items': []})
    mocked.post(fs('/connections'), json={'id': CID, 'etag': '"1"'}, status=201)
    mocked.get(fs('/connections/' + CID), json={'items': [basic_stored()]})
    result = base_connection.run(params({'username': 'svc', 'region': 'us'}, {'pin': SECRET}, spec=BASIC,
                                        spec_name='Basic Authentication'), client, check_mode)
    if not check_mode:
        (post,) = writes(mocked)
        assert json.loads(post.body)['auth'] == {'specName': 'Basic Authentication',
                                                 'params': {'username': 'svc', 'region': 'us', 'pin': SECRET}}
    assert SECRET not in json.dumps(result)
    assert result['diff']['after']['auth'] == {'spec_name': 'Basic Authentication', 'credentials': 'set',
                                               'params': {'username': 'svc', 'region': 'us'}}


def test_update_auth_always_without_param_change_replaces_credentials_only(client, mocked):
    before = basic_stored()
    existing(mocked, before)
    result = base_connection.run(params({'username': 'svc'}, {'pin': SECRET}, spec=BASIC,
                                        spec_name='Basic Authentication', update_auth='always'), client, False)
    (patch,) = writes(mocked)
    assert json.loads(patch.body) == [{'op': 'replace', 'path': '/auth/params',
                                       'value': {'username': 'svc', 'region': 'us', 'pin': SECRET}}]
    assert result['changed'] and result['diff']['after']['auth']['credentials'] == 'replaced'
    assert SECRET not in json.dumps(result)


def test_info_shows_non_secret_params_and_hides_secrets(client, mocked):
    mocked.get(fs('/connections'), json={'items': [basic_stored(), stored()]})
    result = base_connection.INFO_DEFINITION.logic({'name': None, 'id': None}, client, False)
    first, second = result['base_connections']
    assert first['auth']['params'] == {'username': 'svc', 'pin': base_connection.HIDDEN, 'region': 'us'}
    assert second['auth']['params']['dataType'] == 'raw' and second['auth']['params']['inletUrl'] == INLET


# --- the inlet of an HTTP API flow (item 7) ---------------------------------------------------------------------------

def http_flow(flow_id=FLOW_ID, base_id=CID):
    return {'id': flow_id, 'name': 'HTTP flow %s' % flow_id[:4], 'etag': '"1"', 'state': 'enabled', 'options': {},
            'flowSpec': {'id': 'c1a19761-d2c7-4702-b9fa-fe91f0613e81', 'version': '1.0'},
            'sourceConnectionIds': ['a' * 8 + '-0000-4000-8000-' + '0' * 12], 'targetConnectionIds': [],
            'inheritedAttributes': {'sourceConnections': [{'id': 'x', 'baseConnection': {'id': base_id}}]}}


def test_flow_inlet_of_a_webhook_flow_needs_no_request(client, mocked):
    found = base_connection.flow_inlet(client, {'id': FLOW_ID, 'options': {'inletUrl': INLET}})
    assert found == {'inlet_url': INLET, 'inlet_id': None, 'authentication_required': False}
    assert len(mocked.calls) == 0


def test_flow_inlet_of_an_http_api_flow_is_its_base_connections(client, mocked):
    mocked.get(fs('/connections/' + CID), json={'items': [stored(dict(stored()['auth']['params'], authenticationRequired=True))]})
    found = base_connection.flow_inlet(client, http_flow())
    assert found == {'inlet_url': INLET, 'inlet_id': INLET_ID, 'authentication_required': True}
    assert base_connection.flow_inlet(client, {'id': FLOW_ID}) is None


def test_flow_info_returns_the_base_connection_inlet_with_one_get_per_base(client, mocked):
    other = 'e' * 8 + '-0000-4000-8000-' + '1' * 12
    mocked.get(fs('/flows'), json={'items': [http_flow(), http_flow(other)]})
    mocked.get(fs('/connections/' + CID), json={'items': [stored()]})
    result = flow.run_info({'name': None, 'id': None}, client, False)
    assert [f['inlet_url'] for f in result['flows']] == [INLET, INLET]
    expected = [INLET + '?x-adobe-flow-id=' + FLOW_ID, INLET + '?x-adobe-flow-id=' + other]
    assert [f['webhook_url'] for f in result['flows']] == expected
    assert [c.request.url.split('?')[0] for c in mocked.calls].count(fs('/connections/' + CID)) == 1


def test_flow_info_of_one_http_api_flow_returns_its_urls_at_the_top(client, mocked):
    mocked.get(fs('/flows/' + FLOW_ID), json={'items': [http_flow()]})
    mocked.get(fs('/connections/' + CID), json={'items': [stored()]})
    result = flow.run_info({'name': None, 'id': FLOW_ID}, client, False)
    assert result['inlet_url'] == INLET and result['webhook_url'] == INLET + '?x-adobe-flow-id=' + FLOW_ID


def test_another_authentication_type_replaces_the_whole_auth(client, mocked):
    before = stored({'username': 'svc', 'pin': '****'}, spec=BASIC, spec_name='Old Authentication')
    existing(mocked, before, basic_stored())
    result = base_connection.run(params({'username': 'svc', 'region': 'us'}, {'pin': SECRET}, spec=BASIC,
                                        spec_name='Basic Authentication'), client, False)
    (patch,) = writes(mocked)
    # only the user's parameters: the old type's parameters do not belong to the new one
    assert json.loads(patch.body) == [{'op': 'replace', 'path': '/auth', 'value': {
        'specName': 'Basic Authentication', 'params': {'username': 'svc', 'region': 'us', 'pin': SECRET}}}]
    assert result['diff']['before']['auth']['spec_name'] == 'Old Authentication'
    assert result['diff']['after']['auth']['spec_name'] == 'Basic Authentication'
    assert SECRET not in json.dumps(result)


def test_connection_shown_without_auth_is_not_compared(client, mocked):
    obj = stored()
    del obj['auth']
    existing(mocked, obj)
    result = base_connection.run(params(), client, False)
    assert result['changed'] is False and writes(mocked) == []
