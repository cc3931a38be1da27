"""Bad input fails before any request, naming the option, its AEP_* variable and the fix (breaker4 findings 6, 9, 10,
11): connection options (runner.check_connection, args.connection_problem), text options (preflight.check_text),
empty field lists, data formats, and a 404 that says the sandbox does not exist (client.is_sandbox_not_found)."""

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.aep.platform.plugins.module_utils.args import connection_spec
from ansible_collections.aep.platform.plugins.module_utils.client import CATALOG, FLOW_SERVICE, NotFoundError
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.resources import preflight
from ansible_collections.aep.platform.plugins.module_utils.resources.source_connection import (
    ARGUMENT_SPEC as SOURCE_CONNECTION_SPEC,
)
from ansible_collections.aep.platform.plugins.module_utils.runner import call_logic
from tests.unit.conftest import CLIENT_ID, ORG_ID, PLATFORM, platform

GOOD = dict(client_id=CLIENT_ID, org_id=ORG_ID, access_token='tok', platform_url=PLATFORM, ims_url='https://ims.test',
            sandbox='dev', timeout=30, retries=0, retry_deadline=10.0, retry_backoff=1.0, scopes=['openid'],
            validate_certs=True, client_secret=None, ca_path=None)


def never_called(params, client, check_mode):
    raise AssertionError('the logic must not run for bad input')


@pytest.fixture(autouse=True)
def no_aep_environment(monkeypatch):
    for name in ('AEP_CLIENT_ID', 'AEP_CLIENT_SECRET', 'AEP_ORG_ID', 'AEP_ACCESS_TOKEN', 'AEP_SANDBOX', 'AEP_TIMEOUT'):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize('changes, field, needles', [
    (dict(client_id=None, org_id=None), 'client_id',
     ['missing required arguments: client_id, org_id', 'AEP_CLIENT_ID', 'AEP_ORG_ID', 'nothing was sent']),
    (dict(org_id=None), 'org_id', ['missing required arguments: org_id', 'environment variable AEP_ORG_ID']),
    (dict(access_token=None), 'client_secret',
     ['one of the following is required: access_token, client_secret', 'AEP_CLIENT_SECRET', 'AEP_ACCESS_TOKEN']),
    (dict(org_id='acme'), 'org_id', ["org_id: 'acme' is not an IMS organization id", '@AdobeOrg', 'AEP_ORG_ID']),
    (dict(timeout=int(1e300)), 'timeout', ['timeout: must be at most 3600 seconds', 'AEP_TIMEOUT']),
    (dict(retry_deadline=float('inf')), 'retry_deadline', ['retry_deadline: must be at most 86400', 'AEP_RETRY_DEADLINE']),
    (dict(retries=10 ** 6), 'retries', ['retries: must be at most 100 retries', 'AEP_RETRIES']),
    (dict(sandbox='../prod'), 'sandbox', ["sandbox: '../prod' is not a sandbox name", 'AEP_SANDBOX']),
    (dict(sandbox='PROD'), 'sandbox', ['lowercase letters, digits and hyphens']),
    (dict(platform_url=PLATFORM + '/x?y=1'), 'platform_url', ['without query', 'AEP_PLATFORM_URL']),
    (dict(ims_url='https://user@ims.test'), 'ims_url', ['without query, fragment or user', 'AEP_IMS_URL']),
])
def test_bad_connection_options_fail_before_any_request(mocked, changes, field, needles):
    result = call_logic(never_called, dict(GOOD, **changes), False)
    assert result['failed'] and result['field'] == field, result
    for needle in needles:
        assert needle in result['msg'], result['msg']
    assert 'Error (' not in result['msg'] and 'bug' not in result['msg']
    assert not mocked.calls


def test_valid_connection_options_pass(mocked):
    result = call_logic(lambda p, c, m: dict(changed=False, seen=p['org_id']), dict(GOOD, sandbox='dev-1_a'), False)
    assert result == dict(changed=False, seen=ORG_ID)


@pytest.mark.parametrize('params, field, needles', [
    (dict(title="{'a': 1}"), 'title', ['title: expected a string, got a dict', 'give the text itself']),
    (dict(name='[1, 2]'), 'name', ['name: expected a string, got a list']),
    (dict(title='x' * 100000), 'title', ['title: 100000 characters, more than the 256', 'shorter value']),
    (dict(description='d' * 5000), 'description', ['description: 5000 characters, more than the 4096']),
    (dict(title='t', fields=[dict(name='a', title='[1]')]), 'fields[0].title', ['fields[0].title: expected a string, got a list']),
    (dict(title='t', fields=[]), 'fields', ['fields: the list is empty', 'at least one field']),
    (dict(name='x' * 300, state='absent'), 'name', ['name: 300 characters']),  # absent sends the name as a filter too
])
def test_bad_text_options_fail_before_any_request(mocked, params, field, needles):
    result = call_logic(never_called, dict(GOOD, **params), False)
    assert result['failed'] and result['field'] == field, result
    for needle in needles:
        assert needle in result['msg'], result['msg']
    assert not mocked.calls


@pytest.mark.parametrize('value', ['[beta] Chatlio', '{tenant} fields', 'a {b} c', 'Ansible ~ v2 (x)', 'x' * 256])
def test_ordinary_titles_pass(value):
    preflight.check_text(dict(title=value, fields=[dict(name='a', title=value)]))


def test_free_form_options_are_not_text_checked():
    preflight.check_text(dict(mappings=[dict(source="['a', 'b']", destination='x')], params={'a': '{}'}))


def test_data_format_outside_the_documented_ones_is_refused():
    validator = ArgumentSpecValidator(connection_spec(SOURCE_CONNECTION_SPEC))
    result = validator.validate(dict(GOOD, name='s', connection_spec_id='073127a3-26e3-496c-9d94-9f48fb93fba8', data_format='xml'))
    assert 'value of data_format must be one of: json, delimited, parquet, tabular, got: xml' in ' '.join(result.error_messages)


SANDBOX_404 = {'type': '/placeholder/type/uri', 'status': 404, 'title': 'Resource not found', 'detail': 'Sandbox prdo not found.'}


def test_catalog_list_in_an_unknown_sandbox_raises(mocked, client):
    """A Catalog 404 is "no match", unless it says the sandbox does not exist (finding 6: dataset_info returned [])."""
    mocked.get(platform('catalog', '/dataSets'), status=404, json=SANDBOX_404)
    with pytest.raises(NotFoundError):
        client.list(CATALOG, '/dataSets', params={'name': 'x'})


def test_catalog_list_no_match_is_still_empty(mocked, client):
    mocked.get(platform('catalog', '/dataSets'), status=404, json={'title': 'Not found', 'detail': 'datasets are not found'})
    assert client.list(CATALOG, '/dataSets', params={'name': 'x'}) == []


@pytest.mark.parametrize('body', [SANDBOX_404, {'type': 'https://ns.adobe.com/aep/errors/FLOW-2101-404', 'title': 'Not found',
                                                'detail': 'The sandbox does not exist'}])
def test_get_by_id_in_an_unknown_sandbox_raises(mocked, client, body):
    mocked.get(platform('flowservice', '/flows/abc'), status=404, json=body)
    with pytest.raises(NotFoundError):
        client.get_or_none(FLOW_SERVICE, '/flows/abc')


def test_get_by_id_of_a_missing_object_is_none(mocked, client):
    mocked.get(platform('flowservice', '/flows/abc'), status=404, json={'title': 'Not found', 'detail': 'Flow abc not found'})
    assert client.get_or_none(FLOW_SERVICE, '/flows/abc') is None


def test_unknown_sandbox_in_catalog_is_reported_like_the_other_services(mocked):
    """dataset_info / dataset state=absent in sandbox prdo: the runner's sandbox message, not "nothing there"."""
    mocked.get(platform('catalog', '/dataSets'), status=404, json=SANDBOX_404)
    mocked.get(platform('sandbox-management', '/sandboxes'), json={'sandboxes': [{'name': 'prod'}, {'name': 'dev'}]})

    def logic(params, client, check_mode):
        return dict(datasets=client.list(CATALOG, '/dataSets', params={'name': 'x'}))

    result = call_logic(logic, dict(GOOD, sandbox='prdo'), False)
    assert result['failed'] and result['field'] == 'sandbox'
    assert "no sandbox named 'prdo'" in result['msg'] and 'dev, prod' in result['msg'] and 'AEP_SANDBOX' in result['msg']


def test_input_error_is_what_check_text_raises():
    with pytest.raises(InputError) as err:
        preflight.check_text(dict(title="{'a': 1}"))
    assert err.value.field == 'title'


@pytest.mark.parametrize('params, needle', [
    (dict(flow_id='f', wait_sleep=float('inf')), 'wait_sleep: must be a number of at most 3600, got inf'),
    (dict(flow_id='f', wait_sleep=1e300), 'wait_sleep: must be a number of at most 3600, got 1e+300'),
    (dict(flow_id='f', wait_timeout=10 ** 9), 'wait_timeout: must be a number of at most 86400'),
    (dict(name='f', mapping_version=10 ** 23), 'mapping_version: must be a number of at most 2147483647'),
    (dict(flow_id='f', wait_sleep=float('nan')), 'wait_sleep: must be a number of at most 3600, got nan'),
])
def test_numbers_out_of_range_fail_before_any_request(mocked, params, needle):
    """An OverflowError ("this is a bug") or a sleep of centuries, found in the breaker4 hunt."""
    result = call_logic(never_called, dict(GOOD, **params), False)
    assert result['failed'] and needle in result['msg'], result
    assert not mocked.calls
