"""An empty or whitespace-only connection option fails before any request, naming the option and the fix (breaker
report item 6: ``sandbox: ""`` wrote to prod). Covers the check shared by the in-process and forked paths
(``runner.check_connection``/``call_logic``), the client (``AepClient.from_params``), the forked credential step
(``credentials.prepare_forked``) and the inventory plugin."""

import pytest
import yaml
from ansible.errors import AnsibleParserError
from ansible.inventory.data import InventoryData
from ansible.parsing.dataloader import DataLoader
from ansible.plugins.loader import inventory_loader

from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_SPEC, blank_connection_options
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient
from ansible_collections.aep.platform.plugins.module_utils.errors import InputError
from ansible_collections.aep.platform.plugins.module_utils.runner import call_logic, check_connection
from ansible_collections.aep.platform.plugins.plugin_utils.credentials import prepare_forked
from tests.unit.conftest import CLIENT_ID, CLIENT_SECRET, IMS, ORG_ID, PLATFORM

GOOD = dict(platform_url=PLATFORM, ims_url=IMS, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, org_id=ORG_ID,
            sandbox='dev', access_token=None, scopes=['openid'], validate_certs=True, ca_path=None, timeout=30,
            retries=0, retry_deadline=1.0, retry_backoff=0.0)
STRINGS = ['platform_url', 'ims_url', 'client_id', 'client_secret', 'org_id', 'sandbox', 'access_token', 'ca_path']
BLANKS = ['', ' ', '\t', ' \n ']
ENV = dict((name, spec['fallback'][1][0]) for name, spec in CONNECTION_SPEC.items())


def params(**changes):
    result = dict(GOOD)
    result.update(changes)
    return result


def test_every_string_connection_option_is_checked():
    """A new string option in CONNECTION_SPEC is covered by the check (and by this test's list)."""
    strings = sorted(name for name, spec in CONNECTION_SPEC.items() if spec['type'] in ('str', 'path'))
    assert strings == sorted(STRINGS)


@pytest.mark.parametrize('blank', BLANKS)
@pytest.mark.parametrize('name', STRINGS)
def test_a_blank_option_fails_the_check_naming_it_and_the_fix(name, blank):
    with pytest.raises(InputError) as info:
        check_connection(params(**{name: blank}))
    assert info.value.field == name
    message = info.value.msg
    assert message.startswith('%s: empty value' % name)
    assert 'option %s or environment variable %s' % (name, ENV[name]) in message
    assert 'template' in message and 'nothing was sent to AEP' in message


@pytest.mark.parametrize('scopes', [[], [''], ['openid', ' ']])
def test_empty_scopes_or_an_empty_scope_fail(scopes):
    with pytest.raises(InputError) as info:
        check_connection(params(scopes=scopes))
    assert info.value.field == 'scopes'
    assert 'AEP_SCOPES' in info.value.msg


def test_every_blank_option_is_named_at_once():
    assert blank_connection_options(params(sandbox='', org_id=' ', client_id='x')) == ['org_id', 'sandbox']
    with pytest.raises(InputError) as info:
        check_connection(params(sandbox='', org_id=' '))
    assert info.value.msg.startswith('org_id, sandbox: empty value')
    assert info.value.field == 'org_id'


def test_unset_options_are_not_blank():
    """``None`` takes the environment variable or the default: only a value that is set and empty fails."""
    assert blank_connection_options(params(access_token=None, ca_path=None, client_secret=None)) == []
    check_connection(params(access_token='tok', client_secret=None))


def test_an_empty_sandbox_never_becomes_prod_in_the_client():
    """``from_params`` used to read ``sandbox or 'prod'``; any caller (inventory, credentials) now gets the error."""
    with pytest.raises(InputError) as info:
        AepClient.from_params(params(sandbox=''), token_store=None)
    assert info.value.field == 'sandbox'
    assert AepClient.from_params(params(sandbox=None), token_store=None).sandbox == 'prod'


def test_the_module_path_fails_before_any_request(mocked):
    """``call_logic`` (the forked module's main() and the in-process action plugins): no request, no logic call."""
    calls = []
    result = call_logic(lambda p, c, m: calls.append(1) or {}, params(sandbox=''), False)
    assert result['failed'] is True
    assert result['field'] == 'sandbox' and result['error_type'] == 'InputError'
    assert result['msg'].startswith('sandbox: empty value')
    assert calls == [] and not mocked.calls


def test_the_secret_is_never_in_the_message():
    result = call_logic(lambda p, c, m: {}, params(sandbox=' ', client_secret=CLIENT_SECRET), False)
    assert CLIENT_SECRET not in str(result)


@pytest.mark.parametrize('name', ['sandbox', 'org_id', 'ims_url'])
def test_the_forked_credential_step_fails_before_fetching_a_token(mocked, name):
    """A forked task first fetches the token on the controller (``prepare_forked``): a blank option fails there, and
    the secret is neither fetched with nor shown."""
    args = dict((k, v) for k, v in params(**{name: ''}).items() if v is not None)
    module_args, result = prepare_forked('field_group', args, 'local')
    assert result['failed'] is True and result['field'] == name
    assert CLIENT_SECRET not in str(result)
    assert not mocked.calls


# --- inventory plugin ------------------------------------------------------------------------------------

@pytest.fixture
def no_aep_environment(monkeypatch):
    for name in ENV.values():
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def parse_inventory(tmp_path, **config):
    path = tmp_path / 'aep.sandboxes.yml'
    path.write_text(yaml.safe_dump(dict(plugin='aep.platform.sandboxes', **config)))
    inventory_loader.get('aep.platform.sandboxes').parse(InventoryData(), DataLoader(), str(path), cache=False)


@pytest.mark.parametrize('name', ['org_id', 'client_id', 'sandbox'])
def test_the_inventory_fails_on_a_blank_option_before_listing(tmp_path, mocked, no_aep_environment, name):
    config = dict(platform_url=PLATFORM, ims_url=IMS, client_id=CLIENT_ID, client_secret=CLIENT_SECRET, org_id=ORG_ID)
    config[name] = ' '
    with pytest.raises(AnsibleParserError) as info:
        parse_inventory(tmp_path, **config)
    assert 'aep.platform.sandboxes: %s: empty value' % name in str(info.value)
    assert not mocked.calls


def test_the_inventory_fails_on_a_blank_environment_variable(tmp_path, mocked, no_aep_environment):
    no_aep_environment.setenv('AEP_ORG_ID', '')
    with pytest.raises(AnsibleParserError) as info:
        parse_inventory(tmp_path, platform_url=PLATFORM, ims_url=IMS, client_id=CLIENT_ID, client_secret=CLIENT_SECRET)
    assert 'org_id: empty value' in str(info.value) and 'AEP_ORG_ID' in str(info.value)
    assert not mocked.calls
