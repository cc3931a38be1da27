"""field_group logic: fields <-> XDM definitions, comparison in user terms, module logic with mocked HTTP."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import SCHEMA_REGISTRY
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import field_group as fg
from tests.unit.conftest import platform, writes

TENANT = 'acme'
EE = 'https://ns.adobe.com/xdm/context/experienceevent'
GID = 'https://ns.adobe.com/acme/mixins/' + 'a' * 48


def params(**changes):
    result = {'title': 'Chatlio Fields', 'description': None, 'class_ids': [EE], 'state': 'present',
              'fields': [field('message'), field('visitor.email', format='email', required=True)]}
    result.update(changes)
    return result


def field(name, type='string', title=None, description=None, format=None, required=False):
    return {'name': name, 'type': type, 'title': title, 'description': description, 'format': format,
            'required': required}


def test_build_body_nests_dotted_names_below_the_tenant():
    body = fg.build_body(params(description='d'), TENANT)
    assert body['meta:intendedToExtend'] == [EE] and body['description'] == 'd'
    assert body['allOf'] == [{'$ref': '#/definitions/customFields'}]
    tenant = body['definitions']['customFields']['properties']['_acme']
    assert tenant['properties']['message'] == {'type': 'string', 'title': 'message'}
    visitor = tenant['properties']['visitor']
    assert visitor['type'] == 'object' and visitor['title'] == 'visitor'
    assert visitor['properties']['email'] == {'type': 'string', 'format': 'email', 'title': 'email'}
    assert visitor['required'] == ['email'] and 'required' not in tenant


def test_build_body_types_and_explicit_parent():
    fields = [field('when', 'date-time'), field('day', 'date'), field('n', 'integer', description='count'),
              field('chat.text'), field('chat', 'object', title='Chat', description='the chat')]
    tenant = fg.build_tenant_node(fields, TENANT)['properties']
    assert tenant['when'] == {'type': 'string', 'format': 'date-time', 'title': 'when'}
    assert tenant['day'] == {'type': 'string', 'format': 'date', 'title': 'day'}
    assert tenant['n'] == {'type': 'integer', 'title': 'n', 'description': 'count'}
    assert tenant['chat']['title'] == 'Chat' and tenant['chat']['description'] == 'the chat'
    assert list(tenant['chat']['properties']) == ['text']


def test_round_trip_is_order_insensitive():
    one = fg.build_body(params(), TENANT)
    two = fg.build_body(params(fields=list(reversed(params()['fields']))), TENANT)
    assert fg.FieldGroup(None, TENANT).user_view(one) == fg.FieldGroup(None, TENANT).user_view(two)
    assert [f['name'] for f in fg.FieldGroup(None, TENANT).user_view(one)['fields']] == ['message', 'visitor', 'visitor.email']


def test_user_view_ignores_registry_metadata_and_reads_any_definition_name():
    leaf = {'type': 'string', 'title': 'a', 'meta:xdmType': 'string'}
    tenant = {'type': 'object', 'meta:xdmType': 'object', 'properties': {'a': leaf}}
    stored = {
        '$id': GID, 'title': 'T', 'description': '', 'meta:intendedToExtend': [EE], 'version': '1.3',
        'meta:registryMetadata': {'eTag': 'x'},
        'definitions': {'whatever': {'properties': {'_acme': tenant}}},
    }
    view = fg.FieldGroup(None, TENANT).user_view(stored)
    assert view == {'title': 'T', 'description': '', 'class_ids': [EE],
                    'fields': [{'name': 'a', 'type': 'string', 'title': 'a', 'required': False}]}


def test_string_with_date_format_is_a_date():
    fields = fg.normalize_fields([field('d', 'string', format='date')], TENANT)
    assert fields[0]['type'] == 'date' and fields[0]['format'] is None


def test_tenant_prefix_is_stripped():
    tenant = fg.build_tenant_node([field('_acme.message')], TENANT)
    assert list(tenant['properties']) == ['message']


@pytest.mark.parametrize('fields,needle', [
    ([field('bad name')], 'fields[0]'),
    ([field('_other.x')], '_other.x'),
    ([field('a..b')], 'a..b'),
    ([field('n', 'integer', format='email')], 'conflicts with type'),
    ([field('a'), field('a')], 'listed twice'),
    ([field('a'), field('a.b')], 'must have type object'),
    ([field('a', 'boolean'), field('a.b.c')], 'must have type object'),
])
def test_bad_fields(fields, needle):
    with pytest.raises(InputError) as err:
        fg.build_tenant_node(fields, TENANT)
    assert needle in err.value.msg


def test_differences_compare_user_terms_only():
    resource = fg.FieldGroup(None, TENANT)
    current = dict(fg.build_body(params(description='d'), TENANT), **{'$id': GID, 'version': '1.0'})
    assert resource.differences(current, fg.build_body(params(), TENANT)) == []  # description not set: ignored
    assert resource.differences(current, fg.build_body(params(description='new'), TENANT)) == ['/description']
    changed = params(fields=[field('message', title='Message'), field('visitor.email', format='email', required=True)])
    assert resource.differences(current, fg.build_body(changed, TENANT)) == ['/fields']
    both = params(class_ids=['https://ns.adobe.com/xdm/context/profile', EE])
    assert resource.differences(current, fg.build_body(both, TENANT)) == ['/meta:intendedToExtend']


def test_put_body_keeps_the_description_the_user_does_not_set():
    resource = fg.FieldGroup(None, TENANT)
    body = resource.put_body({'description': 'kept'}, fg.build_body(params(), TENANT))
    assert body['description'] == 'kept'


# --- module logic with mocked HTTP ------------------------------------------------------------------------

def mock_registry(mocked, existing=None):
    mocked.get(platform(SCHEMA_REGISTRY, '/stats'), json={'tenantId': TENANT})
    mocked.get(platform(SCHEMA_REGISTRY, '/global/classes/' + EE.replace(':', '%3A').replace('/', '%2F')),
               json={'$id': EE, 'meta:resourceType': 'classes'})
    listed = [{'$id': existing['$id'], 'title': existing['title']}] if existing else []
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups'), json={'results': listed, '_page': {'next': None}})
    if existing:
        mocked.get(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups/' + GID.replace(':', '%3A').replace('/', '%2F')),
                   json=existing)


def test_run_create_posts_the_body(client, mocked):
    mock_registry(mocked)
    created = dict(fg.build_body(params(), TENANT), **{'$id': GID, 'meta:altId': '_acme.mixins.a', 'version': '1.0'})
    mocked.post(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups'), json=created, status=201)
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups/' + GID.replace(':', '%3A').replace('/', '%2F')),
               json=created)
    result = fg.run(params(), client, False)
    assert result['changed'] and result['id'] == GID and result['alt_id'] == '_acme.mixins.a'
    assert result['tenant_id'] == TENANT and result['version'] == '1.0'
    posted = [json.loads(r.body) for r in writes(mocked)]
    assert posted == [fg.build_body(params(), TENANT)]


def test_run_in_sync_writes_nothing(client, mocked):
    existing = dict(fg.build_body(params(), TENANT), **{'$id': GID, 'version': '1.2'})
    mock_registry(mocked, existing)
    result = fg.run(params(fields=list(reversed(params()['fields']))), client, False)
    assert not result['changed'] and writes(mocked) == []


def test_run_check_mode_update_predicts_without_writing(client, mocked):
    existing = dict(fg.build_body(params(), TENANT), **{'$id': GID, 'version': '1.2'})
    mock_registry(mocked, existing)
    # removing fields is a breaking change: allowed here, as no schema uses the field group
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/schemas'), json={'results': [], '_page': {'next': None}})
    result = fg.run(params(fields=[field('message')]), client, True)
    assert result['changed'] and writes(mocked) == []
    assert result['field_paths'] == [{'name': '_%s.message' % TENANT, 'type': 'string'}]
    assert [f['name'] for f in result['diff']['after']['fields']] == ['message']
    assert len(result['diff']['before']['fields']) == 3


def test_run_bad_field_fails_before_any_request(client, mocked):
    mocked.get(platform(SCHEMA_REGISTRY, '/stats'), json={'tenantId': TENANT})
    with pytest.raises(InputError):
        fg.run(params(fields=[field('a b')]), client, False)
    assert writes(mocked) == []


def test_omitted_fields_and_classes_are_neither_compared_nor_changed():
    resource = fg.FieldGroup(None, TENANT)
    resource.owned = {'title', 'description'}
    current = dict(fg.build_body(params(class_ids=['https://ns.adobe.com/xdm/context/profile']), TENANT), **{'$id': GID})
    desired = fg.build_body(params(fields=None, class_ids=None, description='new'), TENANT)
    assert resource.differences(current, desired) == ['/description']
    body = resource.put_body(current, desired)
    assert body['definitions'] == current['definitions'] and body['allOf'] == current['allOf']
    assert body['meta:intendedToExtend'] == ['https://ns.adobe.com/xdm/context/profile']
    assert body['description'] == 'new'
    # on create, the defaults apply
    created = fg.build_body(params(fields=None, class_ids=None), TENANT)
    assert created['meta:intendedToExtend'] == [EE]
    assert created['definitions']['customFields']['properties']['_acme']['properties'] == {}


def test_breaking_changes_name_the_field_and_the_kind():
    from ansible_collections.aep.platform.plugins.module_utils.resources import xdm_common
    before = [{'name': 'a', 'type': 'string'}, {'name': 'o', 'type': 'object'}, {'name': 'o.x', 'type': 'string'},
              {'name': 'b', 'type': 'string'}, {'name': 'c', 'type': 'string'},
              {'name': 'e', 'type': 'string', 'enum': ['x', 'y']}]
    after = [{'name': 'a', 'type': 'integer'}, {'name': 'b2', 'type': 'string'},
             {'name': 'c', 'type': 'string', 'required': True},
             {'name': 'e', 'type': 'string', 'enum': ['x']}, {'name': 'n', 'type': 'string', 'required': True}]
    changes = dict(((path, kind) for path, kind, dummy in xdm_common.breaking_changes(before, after, 'acme')))
    assert changes == {'_acme.a': 'retyped', '_acme.o': 'removed', '_acme.b': 'renamed', '_acme.c': 'required',
                       '_acme.e': 'enumNarrowed', '_acme.n': 'required'}
    # adding optional fields and making a required field optional are not breaking
    assert xdm_common.breaking_changes(after[:1], after[:1] + [{'name': 'z', 'type': 'string'}], 'acme') == []
    assert xdm_common.breaking_changes([dict(after[2])], [dict(after[2], required=False)], 'acme') == []
