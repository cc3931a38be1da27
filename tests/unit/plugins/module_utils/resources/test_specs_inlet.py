"""Spec discovery (connection_spec_info, flow_spec_info) and inlet_post with mocked HTTP."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import FLOW_SERVICE
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import base_connection, inlet, specs
from tests.unit.conftest import PLATFORM, platform, writes

HTTP = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb'
PENDO = '6ff5654f-19d5-427d-bd3e-c0ebc802389a'
GENERIC = 'e77fde5a-22a8-11ed-861d-0242ac120002'
XDM = 'd8a6f005-7eaf-4153-983e-e8574508b877'
MAP = 'c1a19761-d2c7-4702-b9fa-fe91f0613e81'
FLOW = '11111111-2222-3333-4444-555555555555'
BASE = '22222222-2222-3333-4444-555555555555'
INLET = 'https://dcs.example/collection/abc'
CONN_SPECS = [
    {'id': PENDO, 'name': 'Pendo', 'version': '1.0', 'providerId': 'p', 'attributes': {'isSource': True, 'category': 'analytics'},
     'sourceSpec': {}, 'authSpec': []},
    {'id': HTTP, 'name': 'http-connector', 'version': '1.0', 'providerId': 'p', 'attributes': {'isSource': True},
     'sourceSpec': {}, 'authSpec': [{'name': 'Streaming Connection', 'spec': {}}]},
]
FLOW_SPECS = [
    {'id': GENERIC, 'name': 'GenericStreamingAEP', 'version': '1.0', 'sourceConnectionSpecIds': [PENDO],
     'targetConnectionSpecIds': ['lake'], 'transformationSpecs': [{'name': 'Mapping'}]},
    {'id': XDM, 'name': 'xdm', 'version': '1.0', 'sourceConnectionSpecIds': [HTTP], 'targetConnectionSpecIds': ['lake'],
     'transformationSpecs': []},
    {'id': MAP, 'name': 'map', 'version': '1.0', 'sourceConnectionSpecIds': [HTTP], 'targetConnectionSpecIds': ['lake'],
     'transformationSpecs': [{'name': 'Mapping'}]},
]


def fs(path):
    return platform(FLOW_SERVICE, path)


def test_connection_specs_all_with_flow_specs(client, mocked):
    mocked.get(fs('/connectionSpecs'), json={'items': CONN_SPECS})
    mocked.get(fs('/flowSpecs'), json={'items': FLOW_SPECS})
    result = specs.run_connection_specs({'id': None, 'name': None, 'with_flow_specs': True, 'cache': False}, client, False)
    assert result['count'] == 2 and not result['changed']
    pendo, http = result['connection_specs']
    assert (pendo['needs_base_connection'], pendo['flow_spec_ids'], pendo['category']) == (False, [GENERIC], 'analytics')
    assert (http['needs_base_connection'], http['auth_spec_names'], http['flow_spec_ids']) == (True, ['Streaming Connection'], [XDM, MAP])
    assert http['spec'] == CONN_SPECS[1]
    assert writes(mocked) == []


def test_connection_spec_by_name_is_exact_and_unknown_id_is_empty(client, mocked):
    mocked.get(fs('/connectionSpecs'), json={'items': CONN_SPECS})
    by_name = specs.run_connection_specs({'id': None, 'name': 'pendo', 'with_flow_specs': False}, client, False)
    assert by_name['count'] == 0
    mocked.get(fs('/connectionSpecs/' + FLOW), status=404, json={'message': 'not found'})
    assert specs.run_connection_specs({'id': FLOW, 'name': None, 'with_flow_specs': True}, client, False)['count'] == 0
    with pytest.raises(InputError) as err:
        specs.run_connection_specs({'id': 'pendo', 'name': None, 'with_flow_specs': True}, client, False)
    assert err.value.field == 'id'


def test_flow_specs_by_source(client, mocked):
    mocked.get(fs('/flowSpecs'), json={'items': FLOW_SPECS[1:]})
    result = specs.run_flow_specs({'id': None, 'name': None, 'source_connection_spec_id': HTTP}, client, False)
    assert [(f['id'], f['supports_mapping']) for f in result['flow_specs']] == [(XDM, False), (MAP, True)]
    assert 'sourceConnectionSpecIds[]==' + HTTP in mocked.calls[0].request.url.replace('%5B%5D', '[]').replace('%3D', '=')


def test_base_connection_shows_its_inlet_but_no_credential():
    view = base_connection.masked_auth({'specName': 'Streaming Connection', 'params': {
        'dataType': 'raw', 'token': 's3cret', 'inletUrl': INLET, 'inletId': 'abc', 'authenticationRequired': True}})
    assert view['params'] == {'dataType': 'raw', 'token': base_connection.HIDDEN, 'inletUrl': INLET,
                              'inletId': 'abc', 'authenticationRequired': True}
    assert base_connection.inlet_of({'auth': {'params': view['params']}}) == {
        'inlet_url': INLET, 'inlet_id': 'abc', 'authentication_required': True}
    assert base_connection.inlet_of({}) == {'inlet_url': None, 'inlet_id': None, 'authentication_required': False}


def post_params(**changes):
    params = dict(flow_id=FLOW, body={'header': 'x', 'user': {'id': 'u'}}, xdm_schema_id=None, url=None, dataset_id=None,
                  marker_path=None, marker=None, marker_source=None, wait_timeout=0, wait_sleep=0.0)
    params.update(changes)
    return params


def http_flow(mocked, authenticated):
    mocked.get(fs('/flows/' + FLOW), json={'items': [{'id': FLOW, 'inheritedAttributes': {'sourceConnections': [
        {'id': 's', 'baseConnection': {'id': BASE}}]}}]})
    mocked.get(fs('/connections/' + BASE), json={'items': [{'id': BASE, 'auth': {'params': {
        'inletUrl': INLET, 'authenticationRequired': authenticated}}}]})


def test_inlet_post_authenticated_xdm(client, mocked):
    http_flow(mocked, True)
    mocked.post(INLET, json={'inletId': 'abc', 'xactionId': 'x'})
    result = inlet.run(post_params(xdm_schema_id='https://ns.adobe.com/acme/schemas/s', marker_source='user.id', marker='m-1'),
                       client, False)
    (post,) = writes(mocked)
    assert post.url == INLET + '?x-adobe-flow-id=' + FLOW
    assert post.headers['Authorization'] == 'Bearer given-access-token'
    body = json.loads(post.body)
    assert body['header'] == {'schemaRef': {'id': 'https://ns.adobe.com/acme/schemas/s', 'contentType': inlet.XDM_CONTENT_TYPE},
                              'flowId': FLOW}
    assert body['body']['xdmEntity'] == {'header': 'x', 'user': {'id': 'm-1'}}
    assert result['changed'] and result['authenticated'] and result['status'] == 200 and result['marker'] == 'm-1'


def test_inlet_post_webhook_sends_no_token_and_waits_for_a_run(client, mocked, sleeps):
    mocked.get(fs('/flows/' + FLOW), json={'items': [{'id': FLOW, 'options': {'inletUrl': INLET}}]})
    mocked.post(INLET, json={'inletId': 'abc'})
    mocked.get(fs('/runs'), json={'items': [{'id': 'r1'}]})
    mocked.get(PLATFORM + '/_emulator/health', status=404)
    result = inlet.run(post_params(wait_timeout=5), client, False)
    post = [c.request for c in mocked.calls if c.request.method == 'POST'][0]
    assert 'Authorization' not in post.headers
    assert result['landed'] and result['verified_by'] == 'flow runs' and result['seconds_to_land'] >= 0


def test_inlet_post_check_mode_and_refusal(client, mocked):
    http_flow(mocked, True)
    assert inlet.run(post_params(), client, True)['posted'] is False
    assert writes(mocked) == []
    mocked.post(INLET, status=401, json={'title': 'Authorization', 'report': {'message': '[abc] Ims service token is empty'}})
    with pytest.raises(Exception) as err:
        inlet.run(post_params(), client, False)
    assert '401' in str(err.value) and 'token is empty' in str(err.value)


def test_inlet_post_flow_without_inlet(client, mocked):
    mocked.get(fs('/flows/' + FLOW), json={'items': [{'id': FLOW}]})
    with pytest.raises(InputError) as err:
        inlet.run(post_params(), client, False)
    assert err.value.field == 'flow_id' and 'no streaming inlet' in str(err.value)


def test_spec_cache_keeps_found_specs_only(client, mocked):
    mocked.get(fs('/flowSpecs/' + GENERIC), json={'items': [FLOW_SPECS[0]]})
    mocked.get(fs('/flowSpecs/' + FLOW), status=404, json={'message': 'not found'})
    params = {'id': GENERIC, 'name': None, 'source_connection_spec_id': None, 'cache': True}
    first = specs.run_flow_specs(params, client, False)
    second = specs.run_flow_specs(params, client, False)
    assert first == second and first['flow_specs'][0]['supports_mapping'] is True
    assert len([c for c in mocked.calls if GENERIC in c.request.url]) == 1
    unknown = dict(params, id=FLOW)
    assert specs.run_flow_specs(unknown, client, False)['count'] == 0
    assert specs.run_flow_specs(unknown, client, False)['count'] == 0
    assert len([c for c in mocked.calls if FLOW in c.request.url]) == 2
    # without cache: every run reads
    specs.run_flow_specs(dict(params, cache=False), client, False)
    assert len([c for c in mocked.calls if GENERIC in c.request.url]) == 2
