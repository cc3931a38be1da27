"""Resource engine: normalisation, owned comparison, JSON Patch, ensure_present/absent."""

import json

import pytest
import requests
from responses import matchers

from ansible_collections.aep.platform.plugins.module_utils.client import (CATALOG, DATA_PREP, FLOW_SERVICE, SCHEMA_REGISTRY, AepError,
                                                                          ConnectionFailure)
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    CatalogResource,
    DataPrepResource,
    FlowServiceResource,
    InputError,
    PLACEHOLDER_ID,
    SchemaRegistryResource,
    compare_owned,
    deep_merge,
    ensure_absent,
    ensure_present,
    is_placeholder,
    json_patch,
    normalize,
    same,
    validate_id,
)
from tests.unit.conftest import platform, writes

FLOWS = platform(FLOW_SERVICE, '/flows')
FLOW_ID = 'd947e6a9-ea53-42c4-985c-c9379265491f'
SERVER_FLOW = {
    'id': FLOW_ID, 'etag': '"e1"', 'version': '"e1"', 'createdAt': 1676875325841, 'updatedAt': 1676875331938,
    'sandboxName': 'dev', 'state': 'enabled', 'name': 'Chatlio flow', 'description': 'd',
    'flowSpec': {'id': 'e77fde5a-22a8-11ed-861d-0242ac120002', 'version': '1.0'},
    'sourceConnectionIds': ['s2', 's1'], 'targetConnectionIds': ['t1'],
    'transformations': [{'name': 'Mapping', 'params': {'mappingId': 'm1', 'mappingVersion': '0'}}],
    'options': {'inletUrl': 'https://dcs.test/collection/abc'},
}
DESIRED_FLOW = {
    'name': 'Chatlio flow', 'description': 'd',
    'flowSpec': {'id': 'e77fde5a-22a8-11ed-861d-0242ac120002', 'version': '1.0'},
    'sourceConnectionIds': ['s1', 's2'], 'targetConnectionIds': ['t1'],
    'transformations': [{'name': 'Mapping', 'params': {'mappingId': 'm1', 'mappingVersion': 0}}],
}


class Flow(FlowServiceResource):
    kind = 'flow'
    path = '/flows'


def flow_list(mocked, *objects):
    mocked.get(FLOWS, json={'items': list(objects)},
               match=[matchers.query_param_matcher({'property': 'name==Chatlio flow'})])


# --- normalisation and comparison ------------------------------------------------------------------

def test_normalize_sorts_lists_and_unifies_scalars():
    assert normalize({'a': [3, 1, 2], 'b': None, 'c': 1.0, 'd': True, 'e': ''}) == {'a': ['1', '2', '3'], 'c': '1', 'd': 'true'}
    assert normalize([{'n': 'b', 'v': 1}, {'n': 'a', 'v': 2}]) == normalize([{'v': 2, 'n': 'a'}, {'n': 'b', 'v': '1'}])


def test_same_treats_missing_and_empty_alike():
    assert same(None, '') and same(None, []) and same({}, None) and same(0, '0')
    assert not same('a', 'b') and not same(['a'], ['a', 'b'])


def test_list_order_does_not_matter():
    assert compare_owned({'ids': ['b', 'a'], 'm': [{'s': 'x', 'd': 'y'}, {'s': 'p', 'd': 'q'}]},
                         {'ids': ['a', 'b'], 'm': [{'d': 'q', 's': 'p'}, {'d': 'y', 's': 'x'}]}) == []


def test_compare_owned_ignores_server_and_unset_fields():
    assert compare_owned(SERVER_FLOW, DESIRED_FLOW) == []
    assert compare_owned(SERVER_FLOW, dict(DESIRED_FLOW, description=None)) == []


def test_compare_owned_reports_nested_paths():
    current = {'name': 'a', 'params': {'dataSetId': 'x', 'other': 1}, 'data': {'format': 'json'}}
    desired = {'name': 'a', 'params': {'dataSetId': 'y'}, 'data': {'format': 'json', 'schema': {'id': 's'}}}
    assert compare_owned(current, desired) == ['/data/schema', '/params/dataSetId']


def test_json_patch_add_and_replace_with_user_values():
    current = {'name': 'a', 'description': 'old', 'transformations': [{'name': 'Mapping', 'params': {'mappingVersion': 0}}]}
    desired = {'name': 'a', 'description': 'new', 'labels': ['C1'],
               'transformations': [{'name': 'Mapping', 'params': {'mappingVersion': 1}}]}
    assert json_patch(current, desired) == [
        {'op': 'replace', 'path': '/description', 'value': 'new'},
        {'op': 'add', 'path': '/labels', 'value': ['C1']},
        {'op': 'replace', 'path': '/transformations', 'value': [{'name': 'Mapping', 'params': {'mappingVersion': 1}}]},
    ]


def test_json_patch_escapes_pointer_tokens():
    assert json_patch({}, {'a/b': 1, 'c~d': 2}) == [
        {'op': 'add', 'path': '/a~1b', 'value': 1}, {'op': 'add', 'path': '/c~0d', 'value': 2}]


def test_deep_merge_keeps_unowned_fields():
    assert deep_merge({'a': {'x': 1, 'y': 2}, 'b': 1}, {'a': {'y': 3}, 'c': None}) == {'a': {'x': 1, 'y': 3}, 'b': 1}


def test_placeholders_and_id_validation():
    assert is_placeholder(PLACEHOLDER_ID) and is_placeholder('0' * 24) and is_placeholder('https://ns.adobe.com/t/schemas/000')
    assert not is_placeholder(FLOW_ID) and not is_placeholder(None)
    assert validate_id(FLOW_ID, 'uuid', 'flow_id') == FLOW_ID
    assert validate_id(PLACEHOLDER_ID, 'uuid', 'flow_id') == PLACEHOLDER_ID
    with pytest.raises(InputError) as info:
        validate_id('not-a-uuid', 'uuid', 'source_connection_ids')
    assert info.value.field == 'source_connection_ids' and 'UUID' in info.value.msg


# --- ensure_present / ensure_absent (Flow Service) -------------------------------------------------

def test_create_when_absent(mocked, client):
    flow_list(mocked)
    mocked.post(FLOWS, status=201, json={'id': FLOW_ID, 'etag': '"e1"'})
    mocked.get(FLOWS + '/' + FLOW_ID, json={'items': [SERVER_FLOW]})
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert result['changed'] is True and result['id'] == FLOW_ID and result['etag'] == '"e1"'
    assert result['flow']['options']['inletUrl'] == 'https://dcs.test/collection/abc'
    assert result['diff']['before'] == {} and result['diff']['after']['name'] == 'Chatlio flow'
    assert 'createdAt' not in result['diff']['after']
    assert json.loads(writes(mocked)[0].body) == DESIRED_FLOW


def test_create_in_check_mode_writes_nothing(mocked, client):
    flow_list(mocked)
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=True)
    assert result['changed'] is True and result['id'] == PLACEHOLDER_ID
    assert result['flow']['name'] == 'Chatlio flow'
    assert writes(mocked) == []


def test_in_sync_is_unchanged_without_writes(mocked, client):
    flow_list(mocked, SERVER_FLOW)
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert result['changed'] is False and result['id'] == FLOW_ID
    assert result['diff']['before'] == result['diff']['after']
    assert writes(mocked) == []


def test_update_sends_json_patch_with_if_match(mocked, client):
    flow_list(mocked, SERVER_FLOW)
    mocked.patch(FLOWS + '/' + FLOW_ID, json={'id': FLOW_ID, 'etag': '"e2"'},
                 match=[matchers.header_matcher({'If-Match': '"e1"'})])
    mocked.get(FLOWS + '/' + FLOW_ID, json={'items': [dict(SERVER_FLOW, description='new', etag='"e2"')]})
    result = ensure_present(Flow(client), dict(DESIRED_FLOW, description='new'), check_mode=False)
    assert result['changed'] is True and result['etag'] == '"e2"'
    assert json.loads(writes(mocked)[0].body) == [{'op': 'replace', 'path': '/description', 'value': 'new'}]
    assert result['diff']['before']['description'] == 'd' and result['diff']['after']['description'] == 'new'


def test_update_in_check_mode_predicts_without_writes(mocked, client):
    flow_list(mocked, SERVER_FLOW)
    result = ensure_present(Flow(client), dict(DESIRED_FLOW, description='new'), check_mode=True)
    assert result['changed'] is True and result['flow']['description'] == 'new' and result['id'] == FLOW_ID
    assert writes(mocked) == []


def test_update_412_rereads_and_retries_once(mocked, client):
    flow_list(mocked, SERVER_FLOW)
    item = FLOWS + '/' + FLOW_ID
    mocked.patch(item, status=412, json={'type': 'https://ns.adobe.com/aep/errors/FLOW-1404-412', 'title': 'Version not matching'},
                 match=[matchers.header_matcher({'If-Match': '"e1"'})])
    mocked.get(item, json={'items': [dict(SERVER_FLOW, etag='"e9"', name='Chatlio flow')]})
    mocked.patch(item, json={'id': FLOW_ID, 'etag': '"e10"'}, match=[matchers.header_matcher({'If-Match': '"e9"'})])
    ensure_present(Flow(client), dict(DESIRED_FLOW, description='new'), check_mode=False)
    assert [w.method for w in writes(mocked)] == ['PATCH', 'PATCH']


def test_duplicate_names_are_an_error_listing_ids(mocked, client):
    flow_list(mocked, dict(SERVER_FLOW, id='id-2'), dict(SERVER_FLOW, id='id-1'))
    with pytest.raises(InputError) as info:
        ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert "2 flows with name 'Chatlio flow' exist in sandbox 'dev' (ids, oldest first: id-1, id-2)" in info.value.msg
    # the fix names the module option and the role variable, and says what keep_oldest does to hand-made objects
    assert "set on_duplicates=keep_oldest (in the aep.platform.streaming_source role: streaming_source_on_duplicates=keep_oldest)" in info.value.msg
    assert "deletes the others and updates the kept one to the declared fields, whoever made them" in info.value.msg
    assert writes(mocked) == []


def test_similar_names_from_the_server_filter_are_ignored(mocked, client):
    flow_list(mocked, dict(SERVER_FLOW, id='other', name='Chatlio flow 2'), SERVER_FLOW)
    assert ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)['id'] == FLOW_ID


def test_find_by_id(mocked, client):
    mocked.get(FLOWS + '/' + FLOW_ID, json={'items': [dict(SERVER_FLOW, name='renamed')]})
    mocked.patch(FLOWS + '/' + FLOW_ID, json={})
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=True, object_id=FLOW_ID)
    assert result['changed'] is True and result['diff']['after']['name'] == 'Chatlio flow'


def test_unknown_id_is_an_input_error(mocked, client):
    mocked.get(FLOWS + '/' + FLOW_ID, status=404, json={'title': 'not found'})
    with pytest.raises(InputError) as info:
        ensure_present(Flow(client), DESIRED_FLOW, check_mode=False, object_id=FLOW_ID)
    assert info.value.field == 'id'


def test_lookup_before_retrying_a_create(mocked, client, sleeps):
    """A POST whose response is lost must not create a duplicate: look up by name, find it, stop."""
    mocked.get(FLOWS, json={'items': []}, match=[matchers.query_param_matcher({'property': 'name==Chatlio flow'})])
    mocked.post(FLOWS, body=requests.exceptions.ConnectionError('connection reset after commit'))
    mocked.get(FLOWS, json={'items': [SERVER_FLOW]}, match=[matchers.query_param_matcher({'property': 'name==Chatlio flow'})])
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert result['changed'] is True and result['id'] == FLOW_ID
    assert [w.method for w in writes(mocked)] == ['POST']
    assert len(sleeps.calls) == 1


def test_create_retried_when_lookup_finds_nothing(mocked, client, sleeps):
    flow_list(mocked)
    mocked.post(FLOWS, status=429, headers={'Retry-After': '2'}, json={})
    mocked.post(FLOWS, status=201, json={'id': FLOW_ID, 'etag': '"e1"'})
    mocked.get(FLOWS + '/' + FLOW_ID, json={'items': [SERVER_FLOW]})
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert result['id'] == FLOW_ID and [w.method for w in writes(mocked)] == ['POST', 'POST']
    assert sleeps.calls == [2.0]


def test_unanswered_create_is_never_sent_again(mocked, client, sleeps):
    """A POST that timed out may still be processed by AEP: when the object has not appeared after the
    settle lookups, fail clearly instead of POSTing again (which could make a duplicate later)."""
    flow_list(mocked)
    mocked.post(FLOWS, body=requests.exceptions.ReadTimeout('Read timed out. (read timeout=1)'))
    mocked.post(FLOWS, status=201, json={'id': FLOW_ID, 'etag': '"e1"'})
    mocked.get(FLOWS + '/' + FLOW_ID, json={'items': [SERVER_FLOW]})
    with pytest.raises(ConnectionFailure) as info:
        ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert [w.method for w in writes(mocked)] == ['POST']
    assert len(sleeps.calls) == 2
    message = info.value.summary()
    assert message.startswith('AEP Flow Service POST /flows failed: no answer from')
    assert 'not sent again' in message and 'Run the task again' in message and "'Chatlio flow'" in message


def test_unanswered_create_found_by_a_later_lookup(mocked, client, sleeps):
    mocked.post(FLOWS, body=requests.exceptions.ReadTimeout('Read timed out.'))
    query = [matchers.query_param_matcher({'property': 'name==Chatlio flow'})]
    mocked.get(FLOWS, json={'items': []}, match=query)  # find before the create
    mocked.get(FLOWS, json={'items': []}, match=query)  # first settle lookup: not yet
    mocked.get(FLOWS, json={'items': [SERVER_FLOW]}, match=query)  # AEP finished creating it
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert result['changed'] and result['id'] == FLOW_ID
    assert [w.method for w in writes(mocked)] == ['POST'] and len(sleeps.calls) == 2


def test_create_refused_before_sending_is_retried(mocked, client, sleeps):
    """A connection that was never established cannot have created anything: look up, then POST again."""
    flow_list(mocked)
    mocked.post(FLOWS, body=requests.exceptions.ConnectionError(
        "HTTPSConnectionPool: Max retries exceeded (Caused by NewConnectionError('Failed to establish a new "
        "connection: [Errno 111] Connection refused'))"))
    mocked.post(FLOWS, status=201, json={'id': FLOW_ID, 'etag': '"e1"'})
    mocked.get(FLOWS + '/' + FLOW_ID, json={'items': [SERVER_FLOW]})
    result = ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert result['id'] == FLOW_ID and [w.method for w in writes(mocked)] == ['POST', 'POST']


def test_validation_error_on_create_is_not_retried(mocked, client):
    flow_list(mocked)
    mocked.post(FLOWS, status=400, json={'type': 'https://ns.adobe.com/aep/errors/FLOW-1413-400', 'title': 'Invalid spec id'})
    with pytest.raises(Exception) as info:
        ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert info.value.code == 'FLOW-1413-400' and len(writes(mocked)) == 1


def test_absent_deletes(mocked, client):
    flow_list(mocked, SERVER_FLOW)
    mocked.delete(FLOWS + '/' + FLOW_ID, status=204)
    result = ensure_absent(Flow(client), False, identity='Chatlio flow')
    assert result['changed'] is True and result['diff']['after'] == {} and result['diff']['before']['name'] == 'Chatlio flow'
    assert [w.method for w in writes(mocked)] == ['DELETE']


def test_absent_in_check_mode_writes_nothing(mocked, client):
    flow_list(mocked, SERVER_FLOW)
    assert ensure_absent(Flow(client), True, identity='Chatlio flow')['changed'] is True
    assert writes(mocked) == []


def test_absent_when_missing_is_unchanged(mocked, client):
    flow_list(mocked)
    result = ensure_absent(Flow(client), False, identity='Chatlio flow')
    assert result['changed'] is False and result['flow'] == {} and result['id'] is None


def test_hidden_fields_never_returned_or_diffed(mocked, client):
    class Conn(FlowServiceResource):
        kind = 'base_connection'
        path = '/connections'
        hidden_fields = ('auth',)
        compare_ignore = ('auth',)

    url = platform(FLOW_SERVICE, '/connections')
    mocked.get(url, json={'items': [{'id': 'c1', 'name': 'n', 'auth': {'params': {'token': 'xyz'}}}]})
    result = ensure_present(Conn(client), {'name': 'n', 'auth': {'params': {'token': 'new'}}}, check_mode=False)
    assert result['changed'] is False
    assert 'xyz' not in json.dumps(result) and 'new' not in json.dumps(result)


# --- other services --------------------------------------------------------------------------------

def test_catalog_create_parses_id_and_updates_with_patch(mocked, client):
    class Dataset(CatalogResource):
        kind = 'dataset'

    url = platform(CATALOG, '/dataSets')
    ds_id = '5c8c3c555033b814b69f947f'
    mocked.get(url, json={}, match=[matchers.query_param_matcher({'name': 'ds', 'limit': '100', 'start': '0'})])
    mocked.post(url, status=201, json=['@/dataSets/' + ds_id])
    mocked.get(url + '/' + ds_id, json={ds_id: {'name': 'ds', 'description': 'a'}})
    result = ensure_present(Dataset(client), {'name': 'ds', 'description': 'a'}, check_mode=False)
    assert result['id'] == ds_id and result['dataset']['name'] == 'ds'

    mocked.replace('GET', url, json={ds_id: {'name': 'ds', 'description': 'a'}})
    mocked.patch(url + '/' + ds_id, json=['@/dataSets/' + ds_id])
    ensure_present(Dataset(client), {'name': 'ds', 'description': 'b'}, check_mode=False)
    assert json.loads(writes(mocked)[-1].body) == {'description': 'b'}


def test_catalog_check_mode_placeholder(mocked, client):
    class Dataset(CatalogResource):
        kind = 'dataset'

    mocked.get(platform(CATALOG, '/dataSets'), status=404, json={})
    result = ensure_present(Dataset(client), {'name': 'ds'}, check_mode=True)
    assert result['id'] == '0' * 24 and is_placeholder(result['id']) and writes(mocked) == []


def test_schema_registry_find_by_title_then_put(mocked, client):
    class Schema(SchemaRegistryResource):
        kind = 'schema'
        path = '/tenant/schemas'

    schema_id = 'https://ns.adobe.com/emulated/schemas/abc'
    item = platform(SCHEMA_REGISTRY, '/tenant/schemas/https%3A%2F%2Fns.adobe.com%2Femulated%2Fschemas%2Fabc')
    full = {'$id': schema_id, 'title': 'Chatlio', 'description': 'old', 'type': 'object', 'allOf': [{'$ref': 'c'}],
            'meta:registryMetadata': {'eTag': 'tag1'}}
    # one list with whole objects (Accept xed+json) is the whole find: no GET by id
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/schemas'),
               json={'results': [full], '_page': {'next': None}},
               match=[matchers.header_matcher({'Accept': 'application/vnd.adobe.xed+json'}),
                      matchers.query_param_matcher({'orderby': 'title', 'property': 'title==Chatlio'})])
    mocked.get(item, json=full, match=[matchers.header_matcher({'Accept': 'application/vnd.adobe.xed+json; version=1'})])
    mocked.put(item, json=dict(full, description='new'))
    desired = {'title': 'Chatlio', 'description': 'new', 'type': 'object', 'allOf': [{'$ref': 'c'}]}
    result = ensure_present(Schema(client), desired, check_mode=False)
    assert result['changed'] is True and result['id'] == schema_id and result['etag'] == 'tag1'
    assert json.loads(writes(mocked)[0].body) == desired
    assert writes(mocked)[0].method == 'PUT'
    assert [c.request.method for c in mocked.calls] == ['GET', 'PUT', 'GET']


def test_data_prep_put_makes_new_version_and_absent_only_warns(mocked, client):
    class MappingSet(DataPrepResource):
        kind = 'mapping_set'

    url = platform(DATA_PREP, '/mappingSets')
    ms_id = 'e7c80e4c0d8f4a98a7d400b4e178b635'
    current = {'id': ms_id, 'name': 'm', 'version': 0, 'mappings': [{'source': 'a', 'destination': 'b'}]}
    mocked.get(url, json={'data': [current]})
    result = ensure_present(MappingSet(client), {'name': 'm', 'mappings': [{'source': 'a', 'destination': 'c'}]}, check_mode=True)
    assert result['changed'] is True and result['mapping_set']['version'] == 1 and writes(mocked) == []

    mocked.put(url + '/' + ms_id, json=dict(current, version=1))
    mocked.get(url + '/' + ms_id, json=dict(current, version=1, mappings=[{'source': 'a', 'destination': 'c'}]))
    result = ensure_present(MappingSet(client), {'name': 'm', 'mappings': [{'source': 'a', 'destination': 'c'}]}, check_mode=False)
    assert result['mapping_set']['version'] == 1 and writes(mocked)[0].method == 'PUT'

    absent = ensure_absent(MappingSet(client), False, identity='m')
    assert absent['changed'] is False and 'no DELETE' in absent['warnings'][0]
    assert [w.method for w in writes(mocked)] == ['PUT']


# --- create attempts follow the client's retry policy ---------------------------------------------

@pytest.mark.parametrize('retries', [0, 1, 4])
def test_create_attempts_follow_the_retry_policy(mocked, make_client, retries):
    """A create that keeps failing with a 5xx is tried ``retry_policy.attempts`` times (the first plus
    ``retries``), each repeat after a lookup that finds nothing; never more, so the policy is the one rule."""
    client = make_client(max_retries=retries)
    flow_list(mocked)
    mocked.post(FLOWS, status=500, json={'title': 'boom'})
    with pytest.raises(AepError) as info:
        ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert info.value.status == 500
    assert [w.method for w in writes(mocked)] == ['POST'] * client.retry_policy.attempts == ['POST'] * (retries + 1)
    lookups = [c for c in mocked.calls if c.request.method == 'GET']
    assert len(lookups) == 1 + retries  # the find, then one lookup before each repeated POST


def test_create_attempts_end_at_the_policy_deadline(mocked, make_client):
    """The policy's deadline bounds the creates too: a wait that would end after it is not started."""
    client = make_client(max_retries=10, retry_deadline=0.001)
    flow_list(mocked)
    mocked.post(FLOWS, status=503, json={'title': 'busy'})
    with pytest.raises(AepError):
        ensure_present(Flow(client), DESIRED_FLOW, check_mode=False)
    assert [w.method for w in writes(mocked)] == ['POST']


# --- concurrent creates: one deterministic winner ----------------------------------------------------

SAME_MS = 1676875325841
FIRST_ID = '11111111-1111-4111-8111-111111111111'
SECOND_ID = '22222222-2222-4222-8222-222222222222'


def twin(object_id):
    return dict(SERVER_FLOW, id=object_id, createdAt=SAME_MS)


@pytest.mark.parametrize('mine', [FIRST_ID, SECOND_ID])
@pytest.mark.parametrize('listed', [(FIRST_ID, SECOND_ID), (SECOND_ID, FIRST_ID)])
def test_same_millisecond_creates_have_one_winner_whichever_run_looks(mocked, client, mine, listed):
    """Two runs created 'Chatlio flow' in the same millisecond: both order by (created time, id), so both
    pick FIRST_ID, whatever the listing order; only the run that made SECOND_ID deletes, and only its own."""
    flow_list(mocked, *[twin(i) for i in listed])
    mocked.delete(FLOWS + '/' + SECOND_ID, status=204)
    resource = Flow(client)
    kept = resource.settle(twin(mine), 'Chatlio flow')
    assert kept['id'] == FIRST_ID
    deletes = [w.url.rsplit('/', 1)[-1] for w in writes(mocked) if w.method == 'DELETE']
    assert deletes == ([SECOND_ID] if mine == SECOND_ID else [])
    assert [w.method for w in writes(mocked)] == (['DELETE'] if mine == SECOND_ID else [])


def test_own_create_missing_from_the_listing_still_competes(mocked, client):
    """The listing may not show the object a run just made yet. It still takes part: the run that made
    FIRST_ID keeps it even when the list shows only SECOND_ID (the other run, seeing both, deletes SECOND_ID),
    so the two runs never both delete their own object."""
    flow_list(mocked, twin(SECOND_ID))
    assert Flow(client).settle(twin(FIRST_ID), 'Chatlio flow')['id'] == FIRST_ID
    assert writes(mocked) == []


def test_keep_oldest_breaks_a_tie_by_id(mocked, client):
    """``on_duplicates: keep_oldest`` over two objects of the same millisecond keeps the smaller id."""
    flow_list(mocked, twin(SECOND_ID), twin(FIRST_ID))
    mocked.delete(FLOWS + '/' + SECOND_ID, status=204)
    resource = Flow(client)
    resource.on_duplicates = 'keep_oldest'
    assert resource.find(identity='Chatlio flow')['id'] == FIRST_ID
    assert [(w.method, w.url.rsplit('/', 1)[-1]) for w in writes(mocked)] == [('DELETE', SECOND_ID)]
