"""Check-mode placeholder ids that carry facts of the predicted object (engine.placeholder_with/placeholder_fact),
and the checks that use them: the flow's connection specs against the flow spec, the mapping set's schema against
the target's, a raw source without a mapping (also in a real run); a target's schema_id against a placeholder
dataset; a source connection's placeholder base connection of another spec; a field group's class
(breaker report 3, items 1 and 3)."""

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import DATA_PREP, FLOW_SERVICE
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    PLACEHOLDER_ID,
    CatalogResource,
    InputError,
    fingerprint,
    is_placeholder,
    placeholder_extends,
    placeholder_fact,
    placeholder_with,
    same_fact,
    validate_id,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import flow as flow_logic
from ansible_collections.aep.platform.plugins.module_utils.resources import source_connection, target_connection
from ansible_collections.aep.platform.plugins.module_utils.resources.flowservice_common import (
    NO_BASE,
    RAW,
    XDM,
    spec_fingerprint,
)
from ansible_collections.aep.platform.plugins.module_utils.resources.mapping_set import MappingSet
from tests.unit.conftest import platform, writes

SPEC = 'e77fde5a-22a8-11ed-861d-0242ac120002'
HTTP_FLOW_SPEC = 'c1a19761-d2c7-4702-b9fa-fe91f0613e81'
CHATLIO = '073127a3-26e3-496c-9d94-9f48fb93fba8'
HTTP = 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb'
LAKE = 'c604ff05-7f1a-43c0-8e18-33bf874cb11c'
SCHEMA_A = 'https://ns.adobe.com/acme/schemas/aaa'
SCHEMA_B = 'https://ns.adobe.com/acme/schemas/bbb'
SRC = '7689a40d-43eb-4f74-a3f1-092a55884f6c'
TGT = 'f7be8ab6-e5ea-4405-83b9-200cdfb2a9e5'
BASE = '5689a40d-43eb-4f74-a3f1-092a55884f6c'
EVENT = 'https://ns.adobe.com/xdm/context/experienceevent'
PROFILE = 'https://ns.adobe.com/xdm/context/profile'


def uuid_placeholder(spec=None, data=None):
    return placeholder_with(PLACEHOLDER_ID, [spec_fingerprint(spec), fingerprint(data)])


# --- the encoding ----------------------------------------------------------------------------------

@pytest.mark.parametrize('template, kind', [(PLACEHOLDER_ID, 'uuid'), ('0' * 24, 'catalog'), ('0' * 32, 'dataprep'),
                                            ('https://ns.adobe.com/schemas/' + '0' * 48, 'xdm')])
def test_placeholder_carries_facts_in_every_id_format(template, kind):
    tagged = placeholder_with(template, [fingerprint('a'), None, fingerprint('c')])
    assert tagged != template and len(tagged) == len(template) and is_placeholder(tagged)
    assert validate_id(tagged, kind, 'x') == tagged
    assert placeholder_fact(tagged, 0) == fingerprint('a') and placeholder_fact(tagged, 1) is None
    assert placeholder_fact(tagged, 2) == (None if kind == 'catalog' else fingerprint('c'))  # a dataset id holds one fact
    assert [i for i, c in enumerate(tagged) if c == '-'] == [i for i, c in enumerate(template) if c == '-']
    assert tagged.rsplit('/', 1)[-1].replace('-', '').startswith('0' * 12 + 'a')


def test_placeholder_without_known_facts_stays_all_zeros():
    assert placeholder_with(PLACEHOLDER_ID, [None, None]) == PLACEHOLDER_ID
    assert placeholder_fact(PLACEHOLDER_ID, 0) is None and placeholder_fact('0' * 24, 1) is None


def test_facts_beyond_the_room_of_the_id_are_left_out():
    tagged = placeholder_with(PLACEHOLDER_ID, [fingerprint(n) for n in 'abcd'])
    assert [placeholder_fact(tagged, s) for s in range(4)] == [fingerprint('a'), fingerprint('b'), fingerprint('c'), None]
    assert placeholder_with('0' * 24, [None, fingerprint('b')]) == '0' * 24  # no room for fact 1 in a dataset id


def test_real_ids_are_no_placeholders_and_carry_no_facts():
    for real in (SRC, '000000005033b814b69f947f', 'https://ns.adobe.com/acme/schemas/00000000000ab' + 'f' * 21,
                 '0' * 31 + '1', '0' * 12 + 'b' * 20):
        assert not is_placeholder(real) and placeholder_fact(real, 0) is None


def test_fingerprint_and_same_fact():
    assert fingerprint('raw') == fingerprint('raw') != fingerprint('xdm') and len(fingerprint('raw')) == 6
    assert fingerprint(None) is None and fingerprint('') is None
    assert same_fact(SCHEMA_A, fingerprint(SCHEMA_A)) is True and same_fact(SCHEMA_B, fingerprint(SCHEMA_A)) is False
    assert same_fact(SCHEMA_A, None) is None and same_fact(None, fingerprint(SCHEMA_A)) is None
    assert spec_fingerprint(CHATLIO.upper()) == spec_fingerprint(CHATLIO)


def test_predicted_objects_carry_their_facts(client):
    dataset = CatalogResource(client).predict_create({'name': 'd', 'schemaRef': {'id': SCHEMA_A}})
    assert placeholder_fact(dataset['id'], 0) == fingerprint(SCHEMA_A) and len(dataset['id']) == 24
    mapping = MappingSet(client).predict_create({'outputSchema': {'schemaRef': {'id': SCHEMA_B}}, 'mappings': []})
    assert placeholder_fact(mapping['id'], 0) == fingerprint(SCHEMA_B) and mapping['version'] == 0
    target = target_connection.TargetConnection(client).predict_create(
        {'connectionSpec': {'id': LAKE}, 'params': {'dataSetId': dataset['id']}})
    assert placeholder_fact(target['id'], 0) == spec_fingerprint(LAKE)
    assert placeholder_fact(target['id'], 1) == fingerprint(SCHEMA_A)  # the schema the placeholder dataset carries
    webhook = source_connection.SourceConnection(client).predict_create({'connectionSpec': {'id': CHATLIO}})
    assert [placeholder_fact(webhook['id'], s) for s in (0, 1)] == [spec_fingerprint(CHATLIO), fingerprint(NO_BASE)]
    over_base = source_connection.SourceConnection(client).predict_create(
        {'connectionSpec': {'id': HTTP}, 'baseConnectionId': uuid_placeholder(HTTP, RAW)})
    assert placeholder_fact(over_base['id'], 1) == fingerprint(RAW)


def test_schema_placeholders_differ_by_title_and_field_groups_carry_their_classes():
    from ansible_collections.aep.platform.plugins.module_utils.engine import SchemaRegistryResource

    class Schemas(SchemaRegistryResource):
        path = '/tenant/schemas'

    class Groups(SchemaRegistryResource):
        path = '/tenant/fieldgroups'

    first = Schemas(None).predict_create({'title': 'A', 'allOf': [{'$ref': EVENT}]})['$id']
    second = Schemas(None).predict_create({'title': 'B', 'allOf': [{'$ref': EVENT}]})['$id']
    assert first != second and is_placeholder(first) and is_placeholder(second)
    group = Groups(None).predict_create({'title': 'G', 'meta:intendedToExtend': [PROFILE]})['$id']
    assert placeholder_extends(group, PROFILE) is True and placeholder_extends(group, EVENT) is False
    assert placeholder_extends('https://ns.adobe.com/fieldgroups/' + '0' * 48, EVENT) is None
    assert placeholder_extends(group, first) is None  # a placeholder class: unknown


# --- aep.platform.flow -----------------------------------------------------------------------------

def fs(path):
    return platform(FLOW_SERVICE, path)


def params(**changes):
    result = dict(state='present', name='shape', id=None, description=None, flow_spec_id=SPEC, flow_spec_version='1.0',
                  source_connection_ids=[SRC], target_connection_ids=[TGT], mapping_id=None, mapping_version=None,
                  mapping_version_predicted=False, enabled=None, recreate=False)
    result.update(changes)
    return result


def register(mocked, base_data_type=None, flow_spec=SPEC, source_spec=CHATLIO, target_schema=SCHEMA_A, mapping_schema=SCHEMA_A):
    mocked.get(fs('/flows'), json={'items': [], '_links': {}})
    for spec_id, name, sources, transformations in (
            (SPEC, 'GenericStreamingAEP', [CHATLIO], [{'name': 'Mapping'}]),
            (HTTP_FLOW_SPEC, 'Streaming HTTP API to Data Lake with transformations', [HTTP], [{'name': 'Mapping'}]),
            ('d8a6f005-7eaf-4153-983e-e8574508b877', 'Streaming HTTP API to Data Lake', [HTTP], [])):
        mocked.get(fs('/flowSpecs/' + spec_id), json={'items': [{
            'id': spec_id, 'name': name, 'sourceConnectionSpecIds': sources, 'targetConnectionSpecIds': [LAKE],
            'transformationSpecs': transformations, 'attributes': {'frequency': 'streaming'}}]})
    source = {'id': SRC, 'name': 'src', 'connectionSpec': {'id': source_spec}}
    if base_data_type:
        source['baseConnectionId'] = BASE
        mocked.get(fs('/connections/' + BASE), json={'items': [{
            'id': BASE, 'connectionSpec': {'id': HTTP}, 'auth': {'params': {'dataType': base_data_type}}}]})
    mocked.get(fs('/sourceConnections/' + SRC), json={'items': [source]})
    mocked.get(fs('/targetConnections/' + TGT), json={'items': [{
        'id': TGT, 'name': 'tgt', 'connectionSpec': {'id': LAKE}, 'data': {'schema': {'id': target_schema}}}]})
    mocked.get(platform(DATA_PREP, '/mappingSets/' + 'a' * 32), json={
        'id': 'a' * 32, 'version': 0, 'outputSchema': {'schemaRef': {'id': mapping_schema}}})


def refused(client, mocked, check_mode, **changes):
    with pytest.raises(InputError) as err:
        flow_logic.run(params(**changes), client, check_mode)
    assert writes(mocked) == []
    return err.value


@pytest.mark.parametrize('check_mode', [True, False])
def test_webhook_flow_without_mapping_is_refused(client, mocked, check_mode):
    register(mocked)
    err = refused(client, mocked, check_mode)
    assert err.field == 'mapping_id'
    assert str(err) == ('mapping_id: source connection %s (src) sends raw (non-XDM) data (it is a webhook source: the '
                        'sender posts its own JSON), and a flow without a mapping cannot store it (AEP refuses the flow); '
                        'give mapping_id (and mapping_version) of a mapping set (aep.platform.mapping_set) that maps it '
                        'to the schema of the target dataset' % SRC)


@pytest.mark.parametrize('check_mode', [True, False])
@pytest.mark.parametrize('flow_spec, hint', [(HTTP_FLOW_SPEC, False), ('d8a6f005-7eaf-4153-983e-e8574508b877', True)])
def test_http_api_raw_flow_without_mapping_is_refused(client, mocked, check_mode, flow_spec, hint):
    register(mocked, base_data_type='raw', source_spec=HTTP)
    err = refused(client, mocked, check_mode, flow_spec_id=flow_spec)
    assert err.field == 'mapping_id' and '(its base connection has dataType raw)' in str(err)
    assert str(err).endswith('and a flow spec that accepts a Mapping (flow_spec_id; HTTP API: %s)' % HTTP_FLOW_SPEC) is hint


@pytest.mark.parametrize('flow_spec', [HTTP_FLOW_SPEC, 'd8a6f005-7eaf-4153-983e-e8574508b877'])
def test_http_api_xdm_flow_without_mapping_is_created(client, mocked, flow_spec):
    register(mocked, base_data_type='xdm', source_spec=HTTP)
    result = flow_logic.run(params(flow_spec_id=flow_spec), client, True)
    assert result['changed'] and writes(mocked) == []


def test_placeholder_raw_source_without_mapping_is_refused_in_check_mode(client, mocked):
    register(mocked)
    webhook = uuid_placeholder(CHATLIO, NO_BASE)
    err = refused(client, mocked, True, source_connection_ids=[webhook], target_connection_ids=[uuid_placeholder(LAKE)])
    assert err.field == 'mapping_id' and 'predicted by an earlier check-mode task' in str(err)
    raw_http = uuid_placeholder(HTTP, RAW)
    err = refused(client, mocked, True, flow_spec_id=HTTP_FLOW_SPEC, source_connection_ids=[raw_http])
    assert err.field == 'mapping_id' and 'dataType raw' in str(err)
    xdm_http = uuid_placeholder(HTTP, XDM)
    assert flow_logic.run(params(flow_spec_id=HTTP_FLOW_SPEC, source_connection_ids=[xdm_http]), client, True)['changed']


def test_placeholder_source_of_a_spec_the_flow_spec_refuses(client, mocked):
    register(mocked)
    source = uuid_placeholder(CHATLIO, NO_BASE)
    err = refused(client, mocked, True, flow_spec_id=HTTP_FLOW_SPEC, source_connection_ids=[source], mapping_id='a' * 32)
    assert err.field == 'source_connection_ids'
    assert str(err) == ('source_connection_ids: source connection %s (predicted by an earlier check-mode task) uses a '
                        'connection spec, which flow spec %s (Streaming HTTP API to Data Lake with transformations) does '
                        'not accept (it accepts %s)' % (source, HTTP_FLOW_SPEC, HTTP))
    target = uuid_placeholder('9e9e9e9e-0000-4000-8000-000000000001')  # not the data lake
    err = refused(client, mocked, True, target_connection_ids=[target], mapping_id='a' * 32)
    assert err.field == 'target_connection_ids'


@pytest.mark.parametrize('mapping, target', [
    ('placeholder', 'placeholder'), ('placeholder', 'real'), ('real', 'placeholder')])
def test_mapping_schema_other_than_the_target_schema_is_refused_in_check_mode(client, mocked, mapping, target):
    register(mocked, mapping_schema=SCHEMA_B)
    mapping_id = placeholder_with('0' * 32, [fingerprint(SCHEMA_B)]) if mapping == 'placeholder' else 'a' * 32
    target_id = placeholder_with(PLACEHOLDER_ID, [spec_fingerprint(LAKE), fingerprint(SCHEMA_A)]) if target == 'placeholder' else TGT
    err = refused(client, mocked, True, mapping_id=mapping_id, target_connection_ids=[target_id])
    assert err.field == 'mapping_id' and 'AEP rejects such a flow' in str(err)
    # the same schema on both sides passes
    good = placeholder_with('0' * 32, [fingerprint(SCHEMA_A)]) if mapping == 'placeholder' else None
    if good:
        assert flow_logic.run(params(mapping_id=good, target_connection_ids=[target_id]), client, True)['changed']


def test_real_mapping_schema_mismatch_keeps_its_message(client, mocked):
    register(mocked, mapping_schema=SCHEMA_B)
    err = refused(client, mocked, False, mapping_id='a' * 32)
    assert str(err) == ('mapping_id: mapping set %s writes schema %s, but target connection %s (tgt) uses %s; AEP rejects '
                        'such a flow' % ('a' * 32, SCHEMA_B, TGT, SCHEMA_A))


# --- target and source connections -----------------------------------------------------------------

def test_target_schema_id_other_than_the_placeholder_dataset_schema(client):
    dataset = placeholder_with('0' * 24, [fingerprint(SCHEMA_A)])
    with pytest.raises(InputError) as err:
        target_connection.resolve_schema({'dataset_id': dataset, 'schema_id': SCHEMA_B}, client, True)
    assert err.value.field == 'schema_id' and 'predicted' in str(err.value)
    assert target_connection.resolve_schema({'dataset_id': dataset, 'schema_id': SCHEMA_A}, client, True) == SCHEMA_A


def test_placeholder_schema_id_is_never_the_schema_of_an_existing_dataset(client, mocked):
    dataset = '5c8c3c555033b814b69f947f'
    mocked.get(platform('catalog', '/dataSets/' + dataset), json={dataset: {'schemaRef': {'id': SCHEMA_A}}})
    new_schema = placeholder_with('https://ns.adobe.com/schemas/' + '0' * 48, [fingerprint('schema:new')])
    with pytest.raises(InputError) as err:
        target_connection.resolve_schema({'dataset_id': dataset, 'schema_id': new_schema}, client, True)
    assert err.value.field == 'schema_id' and SCHEMA_A in str(err.value)


def test_source_connection_over_a_placeholder_base_connection_of_another_spec(client, mocked):
    mocked.get(fs('/connectionSpecs/' + CHATLIO), json={'items': [{'id': CHATLIO, 'sourceSpec': {}, 'authSpec': []}]})
    base = uuid_placeholder(HTTP, RAW)
    with pytest.raises(InputError) as err:
        source_connection.validate({'connection_spec_id': CHATLIO, 'base_connection_id': base}, client, True)
    assert err.value.field == 'base_connection_id'
    assert writes(mocked) == []
