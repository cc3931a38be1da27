"""Unit tests of the checks made before any write (``resources/preflight.py``)."""

import pytest

from ansible_collections.aep.platform.plugins.module_utils.errors import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight

HTTP = {'id': 'bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb', 'name': 'http-connector', 'authSpec': [{
    'name': 'Streaming Connection', 'spec': {'required': ['dataType'], 'properties': {
        'dataType': {'type': 'string', 'enum': ['xdm', 'raw']}, 'authenticationRequired': {'type': 'boolean'}}}}]}
CHATLIO = {'id': '073127a3-26e3-496c-9d94-9f48fb93fba8', 'name': 'Chatlio', 'authSpec': []}
ZERO_UUID = '00000000-0000-0000-0000-000000000000'


def refused(func, *args):
    with pytest.raises(InputError) as err:
        func(*args)
    return str(err.value)


@pytest.mark.parametrize('params,message', [
    ({'schema_id': 'https://ns.adobe.com/t/schemas/' + '0' * 48}, 'schema_id: '),
    ({'field_groups': ['https://ns.adobe.com/t/mixins/abc', 'https://ns.adobe.com/t/mixins/' + '0' * 48]},
     'field_groups[1]: '),
    ({'source_connection_ids': [ZERO_UUID]}, 'source_connection_ids[0]: '),
    ({'id': ZERO_UUID}, 'id: '),
])
def test_a_placeholder_id_is_refused_in_a_real_run_only(params, message):
    assert refused(preflight.check_params, dict(params, state='present'), False).startswith(message)
    assert 'check-mode placeholder id' in refused(preflight.check_params, dict(params, state='present'), False)
    preflight.check_params(dict(params, state='present'), True)  # check mode: a prediction of an earlier task
    preflight.check_params(dict(params, state='absent'), False)


def test_connection_options_are_not_object_ids():
    preflight.check_params({'state': 'present', 'client_id': '0', 'org_id': '000'}, False)


@pytest.mark.parametrize('option', ['mappings', 'class_ids', 'source_connection_ids', 'target_connection_ids'])
def test_an_empty_list_aep_refuses(option):
    for check_mode in (True, False):
        assert refused(preflight.check_params, {'state': 'present', option: []}, check_mode).startswith(
            '%s: the list is empty' % option)
    preflight.check_params({'state': 'present', option: None}, False)  # not set: left as AEP has it


def test_base_connection_needed_by_the_spec():
    assert refused(preflight.check_base_connection_needed, HTTP, {}).startswith('base_connection_id: connection spec')
    preflight.check_base_connection_needed(HTTP, {'base_connection_id': 'x'})
    preflight.check_base_connection_needed(CHATLIO, {})


@pytest.mark.parametrize('auth,message', [
    ({'spec_name': 'Streaming Connection', 'params': {'dataType': 'csv'}}, 'auth.params.dataType must be one of: xdm, raw'),
    ({'spec_name': 'Streaming Connection', 'params': {}}, 'auth.params.dataType is required'),
    ({'spec_name': 'Streaming Connection', 'params': {'dataType': 1}}, 'auth.params.dataType must be a string'),
    ({'spec_name': 'Streaming Connection', 'params': {'dataType': 'raw', 'authenticationRequired': 'yes'}},
     'auth.params.authenticationRequired must be a boolean'),
    ({'spec_name': 'Basic', 'params': {'dataType': 'raw'}}, "auth.spec_name: 'Basic' is not an authentication type"),
])
def test_auth_against_the_auth_spec(auth, message):
    assert refused(preflight.check_auth, HTTP, auth).startswith(message)


def test_auth_valid_and_a_spec_without_auth_spec():
    auth = {'spec_name': 'Streaming Connection', 'params': {'dataType': 'raw', 'authenticationRequired': False}}
    preflight.check_auth(HTTP, auth)
    assert 'takes no base connection (its authSpec is empty)' in refused(
        preflight.check_auth, CHATLIO, {'spec_name': 'x', 'params': {}})


def test_class_change():
    current = {'title': 'S', '$id': 'https://ns.adobe.com/t/schemas/1', 'meta:class': 'https://ns.adobe.com/xdm/context/experienceevent'}
    message = refused(preflight.check_class_change, current, {'class_id': 'https://ns.adobe.com/xdm/context/profile'})
    assert message.startswith('class_id: schema ') and 'Create a new schema' in message
    preflight.check_class_change(current, {'class_id': current['meta:class']})
    preflight.check_class_change(None, {'class_id': 'https://ns.adobe.com/xdm/context/profile'})


def test_primary_move():
    current = {'title': 'S', '$id': 'https://ns.adobe.com/t/schemas/1'}
    descriptors = [{'xdm:sourceProperty': '/_t/email', 'xdm:isPrimary': True}]

    def read(client, schema_id):
        return descriptors
    move = [{'field': '_t.other', 'primary': True}]
    assert 'list _t.email too with primary: false' in refused(preflight.check_primary_move, None, current, move, read)
    preflight.check_primary_move(None, current, move + [{'field': '_t.email', 'primary': False}], read)
    preflight.check_primary_move(None, current, [{'field': '_t.email', 'primary': True}], read)
    enabled = dict(current, **{'meta:immutableTags': ['union']})
    assert 'cannot move' in refused(preflight.check_primary_move, None, enabled,
                                    move + [{'field': '_t.email', 'primary': False}], read)


def test_a_profile_primary_keeps_its_namespace_and_stays_primary():
    current = {'title': 'S', '$id': 'https://ns.adobe.com/t/schemas/1', 'meta:immutableTags': ['union']}
    descriptors = [{'xdm:sourceProperty': '/_t/email', 'xdm:namespace': 'Email', 'xdm:isPrimary': True}]

    def read(client, schema_id):
        return descriptors
    message = refused(preflight.check_primary_move, None, current, [{'field': '_t.email', 'namespace': 'ECID', 'primary': True}], read)
    assert 'namespace of its primary identity _t.email cannot change from Email to ECID' in message
    assert 'keep {field: _t.email, namespace: Email, primary: true}' in message
    message = refused(preflight.check_primary_move, None, current, [{'field': '_t.email', 'namespace': 'Email', 'primary': False}], read)
    assert 'cannot be demoted to primary: false' in message
    preflight.check_primary_move(None, current, [{'field': '_t.email', 'namespace': 'email', 'primary': True}], read)
    preflight.check_primary_move(None, current, [{'field': '_t.other', 'namespace': 'ECID', 'primary': False}], read)
    plain = dict(current, **{'meta:immutableTags': []})
    preflight.check_primary_move(None, plain, [{'field': '_t.email', 'namespace': 'ECID', 'primary': True}], read)
    preflight.check_primary_move(None, plain, [{'field': '_t.email', 'namespace': 'Email', 'primary': False}], read)


def test_a_profile_schema_is_never_deleted():
    schema = {'title': 'S', '$id': 'https://ns.adobe.com/t/schemas/1', 'meta:immutableTags': ['union']}
    assert refused(preflight.check_unused, None, 'schema', schema).startswith("state: schema 'S'")
    preflight.check_unused(None, 'schema', None)


def test_base_connection_of_another_connection_spec():
    base = {'id': 'b1', 'name': 'http', 'connectionSpec': {'id': 'bdb5e2c7-0000-0000-0000-000000000001'}}
    message = refused(preflight.check_base_connection_spec, 'chatlio-spec', base)
    assert message.startswith('base_connection_id: base connection b1 (http) is of connection spec '
                              'bdb5e2c7-0000-0000-0000-000000000001, but this source connection is of connection spec chatlio-spec')
    preflight.check_base_connection_spec('BDB5E2C7-0000-0000-0000-000000000001', base)
    preflight.check_base_connection_spec('chatlio-spec', None)
    preflight.check_base_connection_spec(None, base)
