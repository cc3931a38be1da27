"""The fields facts of check-mode placeholders (engine.fields_fact): a field group's placeholder carries its fields, a
schema's the sum of its field groups' fields, and a mapping set (xdm_common.predicted_schema) or a schema's identities
are checked against ``predicted_fields`` only when they add up to that fact. Mocked HTTP."""

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import SCHEMA_REGISTRY
from ansible_collections.aep.platform.plugins.module_utils.engine import (
    GROUP_FIELDS_SLOT,
    InputError,
    SCHEMA_FIELDS_SLOT,
    fact_sum,
    fields_fact,
    fields_sum,
    fingerprint,
    is_placeholder,
    placeholder_fact,
    placeholder_with,
)
from ansible_collections.aep.platform.plugins.module_utils.resources import field_group, mapping_set as ms, schema, xdm_common
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight
from tests.unit.conftest import platform

EE = xdm_common.EXPERIENCE_EVENT
GROUP_FIELDS = [{'name': '_acme.chat', 'type': 'object'}, {'name': '_acme.chat.note', 'type': 'string', 'required': True},
                {'name': '_acme.count', 'type': 'integer'}]
OTHER_FIELDS = [{'name': '_acme.email', 'type': 'string'}]
RESOLVED_EE = {'$id': EE, 'required': ['_id', 'timestamp'],
               'properties': {'_id': {'type': 'string'}, 'timestamp': {'type': 'string', 'format': 'date-time'},
                              'eventType': {'type': 'string'}}}
XDM_TEMPLATE = 'https://ns.adobe.com/%s/' + '0' * 48


def quoted(resource_id):
    return resource_id.replace(':', '%3A').replace('/', '%2F')


def group_placeholder(fields, title='FG'):
    facts = [fingerprint('/tenant/fieldgroups:' + title), fields_fact(fields_sum(fields)), fingerprint(EE)]
    return placeholder_with(XDM_TEMPLATE % 'fieldgroups', facts)


def schema_placeholder(total, class_id=EE, title='S'):
    return placeholder_with(XDM_TEMPLATE % 'schemas', [fingerprint('/tenant/schemas:' + title), fingerprint(class_id),
                                                       fields_fact(total)])


def mock_class(mocked, resolved=None):
    resolved = RESOLVED_EE if resolved is None else resolved
    mocked.get(platform(SCHEMA_REGISTRY, '/global/classes/' + quoted(resolved['$id'])), json=resolved)


def m(source, destination, source_type='ATTRIBUTE'):
    return {'source': source, 'destination': destination, 'source_type': source_type}


REQUIRED = [m('uuid()', '_id', 'EXPRESSION'), m('now()', 'timestamp', 'EXPRESSION'), m('note', '_acme.chat.note')]


def test_fields_fact_adds_up_and_ignores_order_and_repeats():
    one, two = fields_sum(GROUP_FIELDS), fields_sum(OTHER_FIELDS)
    assert fields_sum(GROUP_FIELDS + OTHER_FIELDS) == (one + two) % 0xffffff
    assert fields_sum(list(reversed(GROUP_FIELDS)) + GROUP_FIELDS[:1]) == one
    assert fact_sum(fields_fact(one)) == one and fields_fact(0) == '000001'  # never 000000, which means unknown
    assert fields_fact(None) is None and fact_sum(None) is None
    # the type and required: true are part of a field's hash; a missing type is string
    assert fields_sum([{'name': '_acme.count', 'type': 'string'}]) != fields_sum([{'name': '_acme.count', 'type': 'integer'}])
    assert fields_sum([{'name': 'a', 'type': 'string', 'required': True}]) != fields_sum([{'name': 'a', 'type': 'string'}])
    assert fields_sum([{'name': 'a'}]) == fields_sum([{'name': 'a', 'type': 'string'}])


def test_field_group_placeholder_carries_its_fields():
    params = {'title': 'FG', 'fields': [{'name': 'chat', 'type': 'object'}, {'name': 'chat.note', 'type': 'string', 'required': True},
                                        {'name': 'count', 'type': 'integer'}]}
    resource = field_group.FieldGroup(None, 'acme')
    predicted = resource.predict_create(field_group.build_body(params, 'acme'))
    group_id = predicted['$id']
    assert is_placeholder(group_id)
    assert field_group.field_paths(predicted, 'acme') == sorted(GROUP_FIELDS, key=lambda f: f['name'])
    assert placeholder_fact(group_id, GROUP_FIELDS_SLOT) == fields_fact(fields_sum(GROUP_FIELDS))
    assert placeholder_fact(group_id, 2) == fingerprint(EE)  # the class it extends, as before


def test_schema_placeholder_sums_its_field_groups(client, mocked):
    real = 'https://ns.adobe.com/acme/mixins/' + 'c' * 40
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups/' + quoted(real)), json={
        '$id': real, 'meta:tenantNamespace': '_acme', 'definitions': {'d': {'properties': {'_acme': {
            'type': 'object', 'properties': {'email': {'type': 'string'}}}}}}})
    body = schema.build_body({'title': 'S', 'field_groups': [group_placeholder(GROUP_FIELDS), real]})
    schema_id = schema.Schema(client).predict_create(body)['$id']
    assert placeholder_fact(schema_id, 1) == fingerprint(EE)
    assert fact_sum(placeholder_fact(schema_id, SCHEMA_FIELDS_SLOT)) == fields_sum(GROUP_FIELDS + OTHER_FIELDS)
    # a field group placeholder without its fields fact: the schema's fields are unknown
    unknown = placeholder_with(XDM_TEMPLATE % 'fieldgroups', [fingerprint('x')])
    body = schema.build_body({'title': 'S', 'field_groups': [unknown]})
    assert placeholder_fact(schema.Schema(client).predict_create(body)['$id'], SCHEMA_FIELDS_SLOT) is None


@pytest.mark.parametrize('predicted', [GROUP_FIELDS, GROUP_FIELDS + [{'name': '_id', 'type': 'string', 'required': True}]],
                         ids=['field_group_fields', 'schema_fields'])
def test_predicted_schema_from_the_fields_that_add_up(client, mocked, predicted):
    mock_class(mocked)
    known = xdm_common.predicted_schema(client, schema_placeholder(fields_sum(GROUP_FIELDS)), predicted)
    assert known.class_id == EE
    assert known.paths['_acme.count'] == 'integer' and known.paths['timestamp'] == 'date-time' and known.paths['_acme'] == 'object'
    assert sorted(known.required) == ['_acme.chat.note', '_id', 'timestamp']


def test_predicted_schema_unknown_when_the_fields_do_not_add_up(client, mocked):
    mock_class(mocked)
    schema_id = schema_placeholder(fields_sum(GROUP_FIELDS))
    assert xdm_common.predicted_schema(client, schema_id, GROUP_FIELDS[:2]) is None  # one left out
    assert xdm_common.predicted_schema(client, schema_id, GROUP_FIELDS + OTHER_FIELDS) is None  # one too many
    assert xdm_common.predicted_schema(client, schema_id, None) is None
    assert xdm_common.predicted_schema(client, 'https://ns.adobe.com/schemas/' + '0' * 48, GROUP_FIELDS) is None  # no facts


def test_predicted_schema_finds_another_class_in_the_registry(client, mocked):
    other = 'https://ns.adobe.com/acme/classes/' + 'd' * 40
    mocked.get(platform(SCHEMA_REGISTRY, '/global/classes'), json={'results': [{'$id': EE}], '_page': {}})
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/classes'), json={'results': [{'$id': other}], '_page': {}})
    mocked.get(platform(SCHEMA_REGISTRY, '/global/classes/' + quoted(other)), status=404, json={})
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/classes/' + quoted(other)), json={'$id': other, 'properties': {}})
    known = xdm_common.predicted_schema(client, schema_placeholder(fields_sum(GROUP_FIELDS), other), GROUP_FIELDS)
    assert known.class_id == other and known.required == ['_acme.chat.note']


def test_mapping_set_on_a_predicted_schema_is_checked_as_the_real_run(client, mocked):
    mock_class(mocked)
    schema_id = schema_placeholder(fields_sum(GROUP_FIELDS))
    warnings = []
    ms.check_destinations(client, schema_id, REQUIRED, GROUP_FIELDS, True, warnings.append)
    assert warnings == []
    with pytest.raises(InputError) as err:
        ms.check_destinations(client, schema_id, REQUIRED + [m('x', '_acme.nosuchfield')], GROUP_FIELDS, True, warnings.append)
    assert "'_acme.nosuchfield' is not in schema" in err.value.msg
    with pytest.raises(InputError) as err:
        ms.check_destinations(client, schema_id, REQUIRED + [m('now()', '_acme.count', 'EXPRESSION')], GROUP_FIELDS, True)
    assert 'of type integer' in err.value.msg
    with pytest.raises(InputError) as err:  # the field group's required field
        ms.check_destinations(client, schema_id, REQUIRED[:2], GROUP_FIELDS, True)
    assert "requires '_acme.chat.note'" in err.value.msg


def test_mapping_set_warns_when_the_predicted_schema_fields_are_unknown(client, mocked):
    mock_class(mocked)
    schema_id = schema_placeholder(fields_sum(GROUP_FIELDS))
    warnings = []
    ms.check_destinations(client, schema_id, REQUIRED + [m('x', '_acme.nosuchfield')], GROUP_FIELDS[:2], True, warnings.append)
    assert len(warnings) == 1 and "'_acme.nosuchfield'" in warnings[0] and 'predicted_fields' in warnings[0]


def test_identities_on_a_predicted_field_group(client):
    group_id = group_placeholder(GROUP_FIELDS)
    identities = [{'field': '_acme.count', 'namespace': 'Email', 'primary': True}]
    warnings = []
    with pytest.raises(InputError) as err:  # the fields add up: the real run's check
        schema.check_identity_fields(client, schema.xdm_common.PLACEHOLDER_SCHEMA, identities, GROUP_FIELDS, True,
                                     [group_id], warnings.append)
    assert 'is of type integer' in err.value.msg
    with pytest.raises(InputError):
        schema.check_identity_fields(client, schema.xdm_common.PLACEHOLDER_SCHEMA, [dict(identities[0], field='_acme.nope')],
                                     GROUP_FIELDS, True, [group_id], warnings.append)
    # without its fields: cannot be known, said in a warning
    schema.check_identity_fields(client, schema.xdm_common.PLACEHOLDER_SCHEMA, [dict(identities[0], field='_acme.nope')],
                                 None, True, [group_id], warnings.append)
    assert len(warnings) == 1 and "'_acme.nope'" in warnings[0]


def test_dataset_profile_on_a_predicted_schema(client):
    schema_id = schema_placeholder(0)
    params = {'profile': True, 'schema_id': schema_id, 'name': 'ds', 'state': 'present'}
    with pytest.raises(InputError) as err:  # a new schema is not enabled for Profile unless its task enables it
        preflight.check_dataset_profile(client, params, None, True, lambda message: None)
    assert err.value.msg.startswith('profile: schema predicted by an earlier check-mode task')
    warnings = []
    preflight.check_dataset_profile(client, dict(params, schema_profile_predicted=True), None, True, warnings.append)
    assert len(warnings) == 1 and 'schema_profile_predicted' in warnings[0]


def test_flow_warns_about_placeholders_without_facts():
    from ansible_collections.aep.platform.plugins.module_utils.resources import flow
    zeros = '00000000-0000-0000-0000-000000000000'
    warnings = []
    connection = flow.Connection(zeros, None, None, None)
    flow.warn_unknown_facts(warnings.append, {'mapping_id': '0' * 32}, [connection], [connection])
    assert [w.split(':')[0] for w in warnings] == ['source_connection_ids', 'target_connection_ids', 'mapping_id']
    warnings = []
    tagged = flow.Connection(zeros, None, 'abcdef', 'abcdef')
    flow.warn_unknown_facts(warnings.append, {'mapping_id': placeholder_with('0' * 32, ['abcdef'])}, [tagged], [tagged])
    assert warnings == []


def test_a_dropped_field_group_replaced_by_a_predicted_one(client, mocked):
    old = 'https://ns.adobe.com/acme/mixins/' + 'e' * 40
    current = {'$id': 'https://ns.adobe.com/acme/schemas/' + 'f' * 40, 'title': 'S', 'allOf': [{'$ref': EE}, {'$ref': old}]}
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups/' + quoted(old)), json={
        '$id': old, 'meta:tenantNamespace': '_acme', 'definitions': {'d': {'properties': {'_acme': {
            'type': 'object', 'properties': {'email': {'type': 'string'}}}}}}})
    mocked.get(platform(SCHEMA_REGISTRY, xdm_common.DESCRIPTORS), json={xdm_common.IDENTITY: [
        {'@id': 'd1', 'xdm:sourceSchema': current['$id'], 'xdm:sourceProperty': '/_acme/email', 'xdm:namespace': 'Email'}]})
    body = schema.build_body({'title': 'S', 'field_groups': [group_placeholder(OTHER_FIELDS)]})
    identities = [{'field': '_acme.email', 'namespace': 'Email', 'primary': True}]
    warnings = []
    # the predicted field group holds the identity field again: nothing is lost, as in the real run
    assert schema.identities_dropped(client, current, body, identities, OTHER_FIELDS, warnings.append) == []
    assert warnings == []
    # its fields unknown: the field counts as gone (the listed identity is refused), and a warning says why
    with pytest.raises(InputError):
        schema.identities_dropped(client, current, body, identities, None, warnings.append)
    assert len(warnings) == 1 and '_acme.email' in warnings[0]


def test_a_placeholder_class_is_refused_in_check_mode_too(client):
    """No task creates a class, so a placeholder class_id stands for nothing; the real run refuses it (check_params)."""
    with pytest.raises(InputError) as err:
        xdm_common.check_class(client, 'https://ns.adobe.com/classes/' + '0' * 48, 'class_id')
    assert err.value.msg.startswith('class_id: ') and 'no task creates an XDM class' in err.value.msg
