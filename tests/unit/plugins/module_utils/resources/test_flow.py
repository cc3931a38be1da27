"""Flow logic: mapping comparison, JSON Patch generation, validation and the module logic with mocked HTTP."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import DATA_PREP, FLOW_SERVICE
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import flow as flow_logic
from ansible_collections.aep.platform.plugins.module_utils.resources.flow import (
    flow_differences,
    flow_patch,
    is_enabled,
    mapping_differs,
    mapping_of,
    run_summary,
    webhook_url,
)
from tests.unit.conftest import platform, writes

FLOW_ID = 'd947e6a9-ea53-42c4-985c-c9379265491f'
SRC = '7689a40d-43eb-4f74-a3f1-092a55884f6c'
SRC2 = '8689a40d-43eb-4f74-a3f1-092a55884f6c'
TGT = 'f7be8ab6-e5ea-4405-83b9-200cdfb2a9e5'
MAP = '4b7188aad69c44529a5e674ab5d3568b'
MAP2 = '5b7188aad69c44529a5e674ab5d3568b'
SPEC = 'e77fde5a-22a8-11ed-861d-0242ac120002'
CHATLIO = '073127a3-26e3-496c-9d94-9f48fb93fba8'
LAKE = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'
SCHEMA = 'https://ns.adobe.com/acme/schemas/abc'
INLET = 'https://dcs.adobedc.net/collection/' + 'e' * 64


def stored_flow(**changes):
    flow = {
        'id': FLOW_ID, 'name': 'Chatlio', 'description': 'd', 'etag': '"1"', 'version': '"1"', 'state': 'enabled',
        'flowSpec': {'id': SPEC, 'version': '1.0'},
        'sourceConnectionIds': [SRC], 'targetConnectionIds': [TGT],
        'transformations': [{'name': 'Mapping', 'params': {'mappingId': MAP, 'mappingVersion': '0'}}],
        'options': {'inletUrl': INLET}, 'inheritedAttributes': {'x': 1}, 'lastOperation': {'operation': 'enable'},
    }
    flow.update(changes)
    return flow


def desired(**changes):
    body = {'name': 'Chatlio', 'description': 'd', 'flowSpec': {'id': SPEC, 'version': '1.0'},
            'sourceConnectionIds': [SRC], 'targetConnectionIds': [TGT],
            'transformations': [{'name': 'Mapping', 'params': {'mappingId': MAP, 'mappingVersion': 0}}]}
    body.update(changes)
    return body


# --- pure helpers -----------------------------------------------------------------------------------

def test_mapping_version_int_equals_string():
    assert not mapping_differs(stored_flow(), desired())
    assert flow_differences(stored_flow(), desired()) == []


def test_mapping_version_change_and_id_change():
    new_version = desired(transformations=[{'name': 'Mapping', 'params': {'mappingId': MAP, 'mappingVersion': 1}}])
    assert flow_differences(stored_flow(), new_version) == ['/transformations']
    new_id = desired(transformations=[{'name': 'Mapping', 'params': {'mappingId': MAP2, 'mappingVersion': 0}}])
    assert mapping_differs(stored_flow(), new_id)


def test_mapping_version_none_keeps_current():
    body = desired(transformations=[{'name': 'Mapping', 'params': {'mappingId': MAP}}])
    assert not mapping_differs(stored_flow(), body)


def test_connection_ids_order_insensitive():
    current = stored_flow(sourceConnectionIds=[SRC, SRC2])
    assert flow_differences(current, desired(sourceConnectionIds=[SRC2, SRC])) == []
    assert flow_differences(current, desired(sourceConnectionIds=[SRC])) == ['/sourceConnectionIds']


def test_server_fields_ignored():
    current = stored_flow(state='disabled', etag='"2"', updatedAt=5, options={'inletUrl': 'x'})
    assert flow_differences(current, desired()) == []


def test_patch_replaces_mapping_in_place_and_keeps_extra_params():
    current = stored_flow(transformations=[
        {'name': 'Other', 'params': {}},
        {'name': 'Mapping', 'params': {'mappingId': MAP, 'mappingVersion': 0, 'extra': True}}])
    body = desired(description='new', transformations=[
        {'name': 'Mapping', 'params': {'mappingId': MAP2, 'mappingVersion': 3}}])
    paths = flow_differences(current, body)
    assert paths == ['/description', '/transformations']
    assert flow_patch(current, body, paths) == [
        {'op': 'replace', 'path': '/description', 'value': 'new'},
        {'op': 'replace', 'path': '/transformations/1',
         'value': {'name': 'Mapping', 'params': {'mappingId': MAP2, 'mappingVersion': 3, 'extra': True}}},
    ]


def test_patch_adds_mapping_when_missing():
    body = desired()
    assert flow_patch(stored_flow(transformations=[]), body, ['/transformations']) == [
        {'op': 'add', 'path': '/transformations', 'value': body['transformations']}]
    current = stored_flow(transformations=[{'name': 'Other'}])
    assert flow_patch(current, body, ['/transformations']) == [
        {'op': 'add', 'path': '/transformations/-', 'value': body['transformations'][0]}]


def test_patch_connection_ids_and_name():
    current = stored_flow()
    body = desired(name='Renamed', sourceConnectionIds=[SRC2])
    paths = flow_differences(current, body)
    assert flow_patch(current, body, paths) == [
        {'op': 'replace', 'path': '/name', 'value': 'Renamed'},
        {'op': 'replace', 'path': '/sourceConnectionIds', 'value': [SRC2]},
    ]


def test_urls_and_state_and_summary():
    assert webhook_url(stored_flow()) == INLET + '?x-adobe-flow-id=' + FLOW_ID
    assert webhook_url(stored_flow(options={'inletUrl': INLET + '?a=1'})).endswith('?a=1&x-adobe-flow-id=' + FLOW_ID)
    assert webhook_url(stored_flow(options={})) is None
    assert is_enabled({'state': 'enabling'}) is True and is_enabled({'state': 'disabled'}) is False
    assert is_enabled({}) is None
    assert mapping_of({}) == (None, None)
    runs = [{'metrics': {'recordSummary': {'inputRecordCount': 3, 'outputRecordCount': 2, 'failedRecordCount': 1}}},
            {'metrics': {'recordSummary': {'inputRecordCount': '4', 'outputRecordCount': 4}}}, {}]
    assert run_summary(runs) == {'input_records': 7, 'output_records': 6, 'failed_records': 1, 'errors': []}


# --- module logic with mocked HTTP --------------------------------------------------------------------

def params(**changes):
    result = dict(state='present', name='Chatlio', id=None, description='d', flow_spec_id=SPEC,
                  flow_spec_version='1.0', source_connection_ids=[SRC], target_connection_ids=[TGT],
                  mapping_id=MAP, mapping_version=0, enabled=None, recreate=False)
    result.update(changes)
    return result


def fs(path):
    return platform(FLOW_SERVICE, path)


def register_reads(mocked, flows):
    mocked.get(fs('/flows'), json={'items': flows, '_links': {}})
    mocked.get(fs('/flowSpecs/' + SPEC), json={'items': [{'id': SPEC, 'name': 'GenericStreamingAEP',
                                                          'sourceConnectionSpecIds': [CHATLIO],
                                                          'targetConnectionSpecIds': [LAKE]}]})
    mocked.get(fs('/sourceConnections/' + SRC), json={'items': [{'id': SRC, 'connectionSpec': {'id': CHATLIO}}]})
    mocked.get(fs('/targetConnections/' + TGT), json={'items': [{
        'id': TGT, 'connectionSpec': {'id': LAKE}, 'data': {'schema': {'id': SCHEMA}}}]})
    mocked.get(platform(DATA_PREP, '/mappingSets/' + MAP), json={
        'id': MAP, 'version': 0, 'outputSchema': {'schemaRef': {'id': SCHEMA}}})


def test_run_in_sync_makes_no_write(client, mocked):
    register_reads(mocked, [stored_flow()])
    result = flow_logic.run(params(enabled=True), client, False)
    assert result['changed'] is False and result['id'] == FLOW_ID
    assert result['webhook_url'] == INLET + '?x-adobe-flow-id=' + FLOW_ID
    assert writes(mocked) == []


def test_run_update_patch_and_disable(client, mocked):
    register_reads(mocked, [stored_flow()])
    mocked.get(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), json={'items': [stored_flow(description='new')]})
    mocked.patch(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), json={'id': FLOW_ID, 'etag': '"2"'})
    mocked.post(platform(FLOW_SERVICE, '/flows/%s/action' % FLOW_ID), json={'id': FLOW_ID, 'etag': '"3"'})
    result = flow_logic.run(params(description='new', enabled=False), client, False)
    assert result['changed']
    patch, action = writes(mocked)
    assert patch.headers['If-Match'] == '"1"'
    assert json.loads(patch.body) == [{'op': 'replace', 'path': '/description', 'value': 'new'}]
    assert action.url.endswith('/flows/%s/action?op=disable' % FLOW_ID)
    assert result['diff']['before']['enabled'] is True


def test_run_check_mode_update_predicts(client, mocked):
    register_reads(mocked, [stored_flow()])
    result = flow_logic.run(params(description='new', enabled=False, mapping_version=None), client, True)
    assert result['changed'] and writes(mocked) == []
    assert result['diff']['after']['description'] == 'new' and result['diff']['after']['enabled'] is False
    assert result['diff']['after']['mapping_version'] == 0


def test_run_retries_once_on_412(client, mocked):
    register_reads(mocked, [stored_flow()])
    mocked.get(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), json={'items': [stored_flow(etag='"9"')]})
    mocked.patch(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), status=412, json={
        'type': 'https://ns.adobe.com/aep/errors/FLOW-1404-412', 'title': 'Version not matching'})
    mocked.patch(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), json={'id': FLOW_ID, 'etag': '"10"'})
    flow_logic.run(params(name='Chatlio', description='new'), client, False)
    first, second = [w for w in writes(mocked) if w.method == 'PATCH']
    assert first.headers['If-Match'] == '"1"' and second.headers['If-Match'] == '"9"'


def test_run_create_body(client, mocked):
    register_reads(mocked, [])
    mocked.post(platform(FLOW_SERVICE, '/flows'), json={'id': FLOW_ID, 'etag': '"1"'}, status=201)
    mocked.get(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), json={'items': [stored_flow()]})
    result = flow_logic.run(params(mapping_version=None), client, False)
    (post,) = writes(mocked)
    assert json.loads(post.body) == desired()
    assert result['changed'] and result['inlet_url'] == INLET


def test_run_create_check_mode_placeholders(client, mocked):
    register_reads(mocked, [])
    zero = '00000000-0000-0000-0000-000000000000'
    result = flow_logic.run(params(source_connection_ids=[zero], target_connection_ids=[zero], mapping_id='0' * 32),
                            client, True)
    assert result['changed'] and result['webhook_url'] is None and writes(mocked) == []


@pytest.mark.parametrize('changes, field', [
    (dict(source_connection_ids=['x']), 'source_connection_ids'),
    (dict(mapping_id='nothex'), 'mapping_id'),
    (dict(flow_spec_id='bad'), 'flow_spec_id'),
    (dict(source_connection_ids=None), 'source_connection_ids'),
    (dict(name=None, id=None), 'name'),
])
def test_run_bad_inputs(client, mocked, changes, field):
    register_reads(mocked, [])
    with pytest.raises(InputError) as err:
        flow_logic.run(params(**changes), client, False)
    assert err.value.field == field
    assert writes(mocked) == []


def test_run_unknown_references(client, mocked):
    register_reads(mocked, [])
    other = '11111111-2222-3333-4444-555555555555'
    mocked.get(platform(FLOW_SERVICE, '/targetConnections/' + other), status=404, json={})
    with pytest.raises(InputError, match='no target connection'):
        flow_logic.run(params(target_connection_ids=[other]), client, False)
    mocked.get(platform(DATA_PREP, '/mappingSets/' + MAP2), status=404, json={})
    with pytest.raises(InputError, match='no mapping set'):
        flow_logic.run(params(mapping_id=MAP2), client, False)
    assert writes(mocked) == []


def test_runs_wait_then_counts(client, mocked, sleeps):
    mocked.get(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), json={'items': [stored_flow()]})
    runs = platform(FLOW_SERVICE, '/runs')
    mocked.get(runs, json={'items': [], '_links': {}})
    mocked.get(runs, json={'items': [{'id': 'r', 'metrics': {'recordSummary': {
        'inputRecordCount': 2, 'outputRecordCount': 1, 'failedRecordCount': 1}}}], '_links': {}})
    result = flow_logic.run_runs_info(dict(flow_id=FLOW_ID, flow_name=None, wait_for_run=True, min_runs=1,
                                           wait_timeout=60, wait_sleep=5), client, False, clock=lambda: 0)
    assert result['count'] == 1 and result['input_records'] == 2 and result['failed_records'] == 1
    assert sleeps.calls == [5]
    assert mocked.calls[-1].request.params == {'property': 'flowId==' + FLOW_ID}


def test_runs_wait_timeout(client, mocked):
    mocked.get(platform(FLOW_SERVICE, '/flows/' + FLOW_ID), json={'items': [stored_flow()]})
    mocked.get(platform(FLOW_SERVICE, '/runs'), json={'items': [], '_links': {}})
    with pytest.raises(InputError, match='wait_timeout'):
        flow_logic.run_runs_info(dict(flow_id=FLOW_ID, flow_name=None, wait_for_run=True, min_runs=1,
                                      wait_timeout=10, wait_sleep=3), client, False, clock=lambda: 0)


def test_run_summary_lists_record_errors_once_with_counts():
    error = {'code': 'MAPPER-3701-400', 'message': "Mapping to '_acme' failed: expected an object", 'recordCount': 2}
    runs = [{'metrics': {'recordSummary': {'inputRecordCount': 2, 'failedRecordCount': 2},
                         'statusSummary': {'errors': [{'code': 'MAPPER-3700-400', 'message': '2 record(s) failed'},
                                                      error]}}},
            {'metrics': {'recordSummary': {'inputRecordCount': 1, 'failedRecordCount': 1},
                         'statusSummary': {'errors': [dict(error, recordCount=1)]}}}]
    summary = run_summary(runs)
    assert summary['failed_records'] == 3
    assert summary['errors'] == [{'code': 'MAPPER-3700-400', 'message': '2 record(s) failed', 'record_count': 0},
                                 {'code': 'MAPPER-3701-400', 'message': error['message'], 'record_count': 3}]
