"""identity_namespace: the namespace list read once from /data/core/idnamespace, exact code matching, the error's
nearest codes, and which identities need a check (mocked HTTP)."""

import pytest
import responses

from ansible_collections.aep.platform.plugins.module_utils.client import IDENTITY_NAMESPACES, AepError
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import identity_namespace as idns
from tests.unit.conftest import PLATFORM

URL = PLATFORM + '/data/core/idnamespace/identities'
LISTED = [{'id': 6, 'code': 'Email', 'name': 'Email', 'idType': 'EMAIL', 'custom': False},
          {'id': 4, 'code': 'ECID', 'name': 'ECID', 'idType': 'COOKIE', 'custom': False},
          {'id': 7, 'code': 'Phone', 'name': 'Phone', 'idType': 'PHONE', 'custom': False},
          {'id': 10000000, 'code': 'Loyalty', 'name': 'Loyalty', 'idType': 'CROSS_DEVICE', 'custom': True}]


def test_core_service_url(client):
    assert client.url(IDENTITY_NAMESPACES, '/identities') == URL
    assert client.url('flowservice', '/flows') == PLATFORM + '/data/foundation/flowservice/flows'


def test_nearest_codes_put_the_case_variant_first():
    codes = [ns['code'] for ns in LISTED]
    assert idns.nearest_codes('email', codes)[0] == 'Email'
    assert idns.nearest_codes('Loyality', codes)[0] == 'Loyalty'
    assert idns.nearest_codes('zzzzzz', codes) == []


def test_to_check_only_new_or_changed_namespaces():
    identities = [{'field': 'a', 'namespace': 'Email'}, {'field': 'b', 'namespace': 'CRM'},
                  {'field': 'c', 'namespace': 'Phone'}]
    current = [{'field': 'a', 'namespace': 'Email', 'primary': True}, {'field': 'b', 'namespace': 'Loyalty'}]
    assert idns.to_check(identities, current) == [1, 2]
    assert idns.to_check(identities[:1], current) == []
    assert idns.to_check([], current) == []


@responses.activate
def test_known_codes_pass_with_one_get(client):
    responses.add(responses.GET, URL, json=LISTED)
    idns.check_namespaces(client, [{'field': 'a', 'namespace': 'Email'}, {'field': 'b', 'namespace': 'Loyalty'}])
    assert len(responses.calls) == 1 and responses.calls[0].request.headers['x-sandbox-name'] == 'dev'


@responses.activate
def test_nothing_to_create_reads_nothing(client):
    idns.check_namespaces(client, [{'field': 'a', 'namespace': 'Email'}], [{'field': 'a', 'namespace': 'Email'}])
    idns.check_namespaces(client, None)
    assert len(responses.calls) == 0


@responses.activate
@pytest.mark.parametrize('code, nearest', [('email', "'Email'"), ('Loyality', "'Loyalty'"), ('CRMID', "'ECID'"),
                                           ('zzzzzz', "no similar code; known codes include 'Email', 'ECID'")])
def test_unknown_code_names_field_code_nearest_and_fix(client, code, nearest):
    responses.add(responses.GET, URL, json=LISTED)
    with pytest.raises(InputError) as err:
        idns.check_namespaces(client, [{'field': 'a', 'namespace': 'Email'}, {'field': 'b', 'namespace': code}])
    msg = err.value.msg
    assert msg.startswith("identities[1].namespace: %r is not an identity namespace of sandbox 'dev'" % code), msg
    assert nearest in msg and 'create the custom namespace first' in msg
    assert err.value.field == 'identities'


@responses.activate
def test_a_failing_list_is_an_aep_error_naming_identity_service(client):
    responses.add(responses.GET, URL, status=403, json={'title': 'Forbidden', 'detail': 'no access'})
    with pytest.raises(AepError) as err:
        idns.check_namespaces(client, [{'field': 'a', 'namespace': 'Email'}])
    assert 'AEP Identity Service GET /identities failed: 403' in str(err.value)
