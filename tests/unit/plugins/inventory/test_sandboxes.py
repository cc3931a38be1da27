"""The ``aep.platform.sandboxes`` inventory plugin: its connection options are the modules' (the connection doc
fragment and ``args.CONNECTION_SPEC``), so file values, ``AEP_*`` environment fallbacks, defaults and checks
behave as in a module; its own options filter the sandboxes."""

import pytest
import yaml
from ansible.errors import AnsibleError, AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader
from responses import matchers

from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_SPEC
from tests.unit.conftest import CLIENT_ID, CLIENT_SECRET, IMS, ORG_ID, PLATFORM, TOKEN_URL, platform

SANDBOXES = platform('sandbox-management', '/sandboxes')
LISTING = {'sandboxes': [
    {'name': 'prod', 'title': 'Production', 'type': 'production', 'state': 'active', 'isDefault': True},
    {'name': 'dev-a', 'title': 'Dev A', 'type': 'development', 'state': 'active', 'region': 'VA7'},
    {'name': 'dev-old', 'title': 'Old', 'type': 'development', 'state': 'deleting'},
]}


@pytest.fixture(autouse=True)
def no_aep_environment(monkeypatch):
    for name in ('AEP_PLATFORM_URL', 'AEP_IMS_URL', 'AEP_CLIENT_ID', 'AEP_CLIENT_SECRET', 'AEP_ORG_ID', 'AEP_SANDBOX',
                 'AEP_ACCESS_TOKEN', 'AEP_SCOPES', 'AEP_VALIDATE_CERTS', 'AEP_CA_PATH', 'AEP_TIMEOUT', 'AEP_RETRIES',
                 'AEP_RETRY_DEADLINE', 'AEP_RETRY_BACKOFF'):
        monkeypatch.delenv(name, raising=False)


def parse(tmp_path, **config):
    path = tmp_path / 'aep.sandboxes.yml'
    path.write_text(yaml.safe_dump(dict(plugin='aep.platform.sandboxes', **config)))
    plugin = inventory_loader.get('aep.platform.sandboxes')
    inventory = InventoryData()
    plugin.parse(inventory, DataLoader(), str(path), cache=False)
    return inventory


def test_documented_options_are_the_connection_spec_plus_its_own():
    from ansible.plugins.loader import fragment_loader
    from ansible.utils.plugin_docs import get_docstring
    doc = get_docstring(inventory_loader.find_plugin('aep.platform.sandboxes'), fragment_loader,
                        collection_name='aep.platform')[0]
    options = doc['options']
    assert set(CONNECTION_SPEC) <= set(options)
    assert {'types', 'name_pattern', 'exclude', 'states', 'group', 'set_python_interpreter'} <= set(options)
    for name, spec in CONNECTION_SPEC.items():
        assert options[name]['description'], name
        assert options[name].get('default') == spec.get('default'), name
        assert 'env' not in options[name], '%s: the environment fallback comes from CONNECTION_SPEC' % name


def test_options_from_the_file_list_and_filter_sandboxes(tmp_path, mocked):
    mocked.post(TOKEN_URL, json={'access_token': 'tok', 'expires_in': 86400})
    headers = {'Authorization': 'Bearer tok', 'x-gw-ims-org-id': ORG_ID}
    mocked.get(SANDBOXES, json=LISTING, match=[matchers.header_matcher(headers)])
    inventory = parse(tmp_path, platform_url=PLATFORM, ims_url=IMS, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
                      org_id=ORG_ID, types=['development'])
    assert [h.name for h in inventory.groups['aep_sandboxes'].get_hosts()] == ['dev-a']
    host = inventory.get_host('dev-a')
    assert host.vars['aep_sandbox'] == 'dev-a' and host.vars['aep_sandbox_region'] == 'VA7'
    assert host.vars['ansible_connection'] == 'local'


def test_environment_fallbacks_come_from_the_connection_spec(tmp_path, mocked, monkeypatch):
    monkeypatch.setenv('AEP_PLATFORM_URL', PLATFORM)
    monkeypatch.setenv('AEP_CLIENT_ID', CLIENT_ID)
    monkeypatch.setenv('AEP_ORG_ID', ORG_ID)
    monkeypatch.setenv('AEP_ACCESS_TOKEN', 'env-token')
    headers = {'Authorization': 'Bearer env-token', 'x-api-key': CLIENT_ID}
    mocked.get(SANDBOXES, json=LISTING, match=[matchers.header_matcher(headers)])
    inventory = parse(tmp_path, states=[])
    assert sorted(h.name for h in inventory.groups['aep_sandboxes'].get_hosts()) == ['dev-a', 'dev-old', 'prod']
    assert not [c for c in mocked.calls if c.request.url == TOKEN_URL], 'a given access token is used as is'


def test_file_value_wins_over_environment(tmp_path, mocked, monkeypatch):
    monkeypatch.setenv('AEP_PLATFORM_URL', 'https://wrong.test')
    monkeypatch.setenv('AEP_CLIENT_ID', 'env-client')
    mocked.get(SANDBOXES, json=LISTING, match=[matchers.header_matcher({'x-api-key': CLIENT_ID})])
    inventory = parse(tmp_path, platform_url=PLATFORM, client_id=CLIENT_ID, org_id=ORG_ID, access_token='tok')
    assert sorted(h.name for h in inventory.groups['aep_sandboxes'].get_hosts()) == ['dev-a', 'prod']


@pytest.mark.parametrize('config, message', [
    (dict(client_secret=CLIENT_SECRET), 'missing required arguments: client_id, org_id'),
    (dict(client_id=CLIENT_ID, org_id=ORG_ID), 'one of the following is required: access_token, client_secret'),
    (dict(client_id=CLIENT_ID, org_id=ORG_ID, access_token='tok', timeout='soon'), 'timeout'),
])
def test_bad_connection_options_fail_before_any_request(tmp_path, mocked, config, message):
    with pytest.raises(AnsibleError) as err:  # AnsibleParserError, or Ansible's own option type check
        parse(tmp_path, platform_url=PLATFORM, **config)
    assert message in str(err.value)
    assert not mocked.calls


def test_secret_never_in_the_error(tmp_path, mocked):
    mocked.post(TOKEN_URL, status=401, json={'error': 'invalid_client', 'error_description': 'bad ' + CLIENT_SECRET})
    with pytest.raises(AnsibleParserError) as err:
        parse(tmp_path, platform_url=PLATFORM, ims_url=IMS, client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
              org_id=ORG_ID, retries=0)
    assert 'cannot list the sandboxes' in str(err.value)
    assert CLIENT_SECRET not in str(err.value)


CREDENTIALS = dict(platform_url=PLATFORM, ims_url=IMS, client_id=CLIENT_ID, org_id=ORG_ID, access_token='tok')


@pytest.mark.parametrize('config, needles', [
    (dict(colour='red'), ['unknown option colour', 'remove it or use one of the options', 'name_pattern']),
    (dict(type=['development']), ['unknown option type (did you mean types?)']),
    (dict(types=['dev']), ["Invalid value ['dev'] for config 'types'"]),
    (dict(states=['bogus']), ["Invalid value ['bogus'] for config 'states'"]),
    (dict(name_pattern='('), ["name_pattern: '(' is not a valid Python regular expression", "fix it, for example"]),
    (dict(org_id='acme'), ["org_id: 'acme' is not an IMS organization id", 'AEP_ORG_ID']),
    (dict(timeout=10 ** 9), ['timeout: must be at most 3600 seconds', 'AEP_TIMEOUT']),
    (dict(client_id=None), ['missing required arguments: client_id', 'environment variable AEP_CLIENT_ID']),
])
def test_a_misconfigured_file_fails_before_any_request(tmp_path, mocked, config, needles):
    """breaker4 finding 4: every one of these was a warning and an empty inventory (a green run that did nothing)."""
    options = dict(CREDENTIALS, **config)
    options = dict((k, v) for k, v in options.items() if v is not None)
    with pytest.raises(AnsibleError) as err:
        parse(tmp_path, **options)
    text = str(err.value) + ' ' + str(getattr(err.value, '_help_text', '') or '')
    for needle in needles:
        assert needle in text, text
    assert not mocked.calls


def test_valid_states_choices_are_accepted(tmp_path, mocked):
    mocked.get(SANDBOXES, json=LISTING)
    inventory = parse(tmp_path, states=['deleting'], **CREDENTIALS)
    assert [h.name for h in inventory.groups['aep_sandboxes'].get_hosts()] == ['dev-old']


def test_filters_that_select_nothing_fail_unless_allowed(tmp_path, mocked):
    mocked.get(SANDBOXES, json=LISTING)
    with pytest.raises(AnsibleParserError) as err:
        parse(tmp_path, name_pattern='^qa-', **CREDENTIALS)
    assert 'none of the 3 sandboxes of the organization passes the filters (name_pattern=^qa-' in str(err.value)
    assert 'allow_empty: true' in str(err.value)
    inventory = parse(tmp_path, name_pattern='^qa-', allow_empty=True, **CREDENTIALS)
    assert inventory.groups['aep_sandboxes'].get_hosts() == []


def test_a_rejected_credential_names_the_variables_to_check(tmp_path, mocked):
    mocked.post(TOKEN_URL, status=401, json={'error': 'invalid_client', 'error_description': 'invalid client_secret parameter'})
    with pytest.raises(AnsibleParserError) as err:
        parse(tmp_path, platform_url=PLATFORM, ims_url=IMS, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, org_id=ORG_ID,
              retries=0)
    assert 'cannot list the sandboxes' in str(err.value) and 'AEP_CLIENT_SECRET' in str(err.value)
    assert CLIENT_SECRET not in str(err.value)
