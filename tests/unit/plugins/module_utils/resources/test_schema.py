"""schema logic: body, comparison of class and field-group set, reference checks with mocked HTTP."""

import json

import pytest

from ansible_collections.aep.platform.plugins.module_utils.client import SCHEMA_REGISTRY
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import schema as sc
from tests.unit.conftest import platform, writes

EE = 'https://ns.adobe.com/xdm/context/experienceevent'
PROFILE = 'https://ns.adobe.com/xdm/context/profile'
G1 = 'https://ns.adobe.com/acme/mixins/' + '1' * 48
G2 = 'https://ns.adobe.com/acme/mixins/' + '2' * 48
SID = 'https://ns.adobe.com/acme/schemas/' + 'e' * 48


def enc(value):
    return value.replace(':', '%3A').replace('/', '%2F')


def params(**changes):
    result = {'title': 'Chatlio Events', 'description': None, 'class_id': EE, 'field_groups': [G1, G2],
              'state': 'present'}
    result.update(changes)
    return result


def stored(groups=(G1, G2), class_id=EE, **changes):
    obj = {'$id': SID, 'meta:altId': '_acme.schemas.e', 'version': '1.0', 'title': 'Chatlio Events',
           'description': 'd', 'type': 'object', 'meta:class': class_id, 'meta:extends': [class_id] + list(groups),
           'allOf': [{'$ref': r, 'type': 'object', 'meta:xdmType': 'object'} for r in [class_id] + list(groups)]}
    obj.update(changes)
    return obj


def test_build_body():
    body = sc.build_body(params(field_groups=[G1, G2, G1], description='d'))
    assert body == {'type': 'object', 'title': 'Chatlio Events', 'description': 'd',
                    'allOf': [{'$ref': EE}, {'$ref': G1}, {'$ref': G2}]}


def test_differences():
    resource = sc.Schema(None)
    assert resource.differences(stored(), sc.build_body(params(field_groups=[G2, G1]))) == []
    assert resource.differences(stored(), sc.build_body(params(field_groups=[G1]))) == ['/field_groups']
    assert resource.differences(stored(), sc.build_body(params(class_id=PROFILE))) == ['/class_id']
    assert resource.differences(stored(), sc.build_body(params(description='x'))) == ['/description']
    predicted = resource.predict_update(stored(), sc.build_body(params(class_id=PROFILE, field_groups=[G1])))
    assert resource.user_view(predicted) == {'title': 'Chatlio Events', 'description': 'd', 'class_id': PROFILE,
                                             'field_groups': [G1]}


def mock_refs(mocked, groups=None, existing=False):
    if not existing:
        mocked.get(platform(SCHEMA_REGISTRY, '/tenant/schemas'), json={'results': [], '_page': {}})
    mocked.get(platform(SCHEMA_REGISTRY, '/global/classes/' + enc(EE)), json={'$id': EE})
    for gid, extends in (groups or {G1: [EE], G2: [EE]}).items():
        if extends is None:
            mocked.get(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups/' + enc(gid)), status=404, json={})
            mocked.get(platform(SCHEMA_REGISTRY, '/global/fieldgroups/' + enc(gid)), status=404, json={})
        else:
            mocked.get(platform(SCHEMA_REGISTRY, '/tenant/fieldgroups/' + enc(gid)),
                       json={'$id': gid, 'title': 'g', 'meta:intendedToExtend': extends})


def test_run_update_puts_and_keeps_description(client, mocked):
    mock_refs(mocked, existing=True)
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/schemas'),
               json={'results': [{'$id': SID, 'title': 'Chatlio Events'}], '_page': {}})
    mocked.get(platform(SCHEMA_REGISTRY, '/tenant/schemas/' + enc(SID)), json=stored(groups=(G1,)))
    mocked.put(platform(SCHEMA_REGISTRY, '/tenant/schemas/' + enc(SID)), json=stored())
    result = sc.run(params(), client, False)
    assert result['changed'] and result['id'] == SID and result['alt_id'] == '_acme.schemas.e'
    put = json.loads(writes(mocked)[0].body)
    assert put['description'] == 'd' and [e['$ref'] for e in put['allOf']] == [EE, G1, G2]


@pytest.mark.parametrize('groups,needle', [
    ({G1: [EE], G2: None}, 'does not exist'),
    ({G1: [EE], G2: [PROFILE]}, 'not the schema class'),
])
def test_run_reference_errors(client, mocked, groups, needle):
    mock_refs(mocked, groups)
    with pytest.raises(InputError) as err:
        sc.run(params(), client, False)
    assert needle in err.value.msg and 'field_groups[1]' in err.value.msg
    assert writes(mocked) == []


def test_malformed_field_group_id_fails_before_requests(client, mocked):
    mock_refs(mocked)
    with pytest.raises(InputError) as err:
        sc.run(params(field_groups=['Chatlio Fields']), client, False)
    assert 'field_groups[0]' in err.value.msg
    assert writes(mocked) == []


def test_omitted_class_and_field_groups_are_kept():
    resource = sc.Schema(None)
    resource.owned = {'title', 'description'}
    desired = sc.build_body(params(class_id=None, field_groups=None, description='x'))
    assert resource.differences(stored(class_id=PROFILE), desired) == ['/description']
    body = resource.put_body(stored(class_id=PROFILE), desired)
    assert [e['$ref'] for e in body['allOf']] == [PROFILE, G1, G2] and body['description'] == 'x'
    only_groups = sc.Schema(None)
    only_groups.owned = {'title', 'description', 'field_groups'}
    body = only_groups.put_body(stored(class_id=PROFILE), sc.build_body(params(class_id=None, field_groups=[G2])))
    assert [e['$ref'] for e in body['allOf']] == [PROFILE, G2]
