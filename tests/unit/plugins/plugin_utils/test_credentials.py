"""Forked modules never receive the client secret; locally they get the token through the environment only."""

import pytest

from ansible_collections.aep.platform.plugins.plugin_utils import credentials
from tests.unit.conftest import CLIENT_ID, CLIENT_SECRET, IMS, ORG_ID, PLATFORM, TOKEN_URL

CONNECTION = dict(client_id=CLIENT_ID, org_id=ORG_ID, platform_url=PLATFORM, ims_url=IMS)
TOKEN = {'access_token': 'emu-at-controller-token', 'token_type': 'bearer', 'expires_in': 3600}


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """prepare_forked changes os.environ (the worker's): restore it after each test."""
    for name in ('AEP_CLIENT_SECRET', 'AEP_ACCESS_TOKEN', 'AEP_CLIENT_ID', 'AEP_ORG_ID'):
        monkeypatch.setenv(name, 'placeholder')  # recorded, so the teardown restores the original state
        monkeypatch.delenv(name)


@pytest.mark.parametrize('secret_in', ['argument', 'environment'])
def test_local_module_gets_neither_secret_nor_token_in_its_arguments(mocked, monkeypatch, secret_in):
    mocked.post(TOKEN_URL, json=TOKEN)
    args = dict(CONNECTION, name='x', access_token='emu-at-given-old')
    if secret_in == 'argument':
        args['client_secret'] = CLIENT_SECRET
    else:
        monkeypatch.setenv('AEP_CLIENT_SECRET', CLIENT_SECRET)
    module_args, ready = credentials.prepare_forked('source_connection_info', args, 'local')
    assert ready is None
    assert 'client_secret' not in module_args and 'access_token' not in module_args
    assert CLIENT_SECRET not in repr(module_args) and 'emu-at-' not in repr(module_args)
    assert credentials.os.environ.get('AEP_CLIENT_SECRET') is None
    # the given token's expiry is unknown to the store: the controller hands over one it can vouch for
    assert credentials.os.environ['AEP_ACCESS_TOKEN'] in ('emu-at-given-old', 'emu-at-controller-token')
    assert module_args['name'] == 'x' and args['client_id'] == CLIENT_ID


def test_remote_module_gets_the_short_lived_token_never_the_secret(mocked):
    mocked.post(TOKEN_URL, json=TOKEN)
    module_args, ready = credentials.prepare_forked('dataset_info', dict(CONNECTION, client_secret=CLIENT_SECRET), 'ssh')
    assert ready is None and 'client_secret' not in module_args
    assert module_args['access_token'] == 'emu-at-controller-token'


def test_token_module_is_answered_on_the_controller(mocked):
    mocked.post(TOKEN_URL, json=TOKEN)
    dummy, ready = credentials.prepare_forked('token', dict(CONNECTION, client_secret=CLIENT_SECRET), 'local')
    assert ready == dict(changed=False, access_token='emu-at-controller-token', token_type='bearer', expires_in=3600)


def test_token_failure_is_a_clean_result(mocked):
    mocked.post(TOKEN_URL, status=401, json={'error': 'invalid_client', 'error_description': 'bad ' + CLIENT_SECRET})
    dummy, ready = credentials.prepare_forked('dataset_info', dict(CONNECTION, client_secret=CLIENT_SECRET), 'local')
    assert ready['failed'] is True and 'IMS refused the credential' in ready['msg']
    assert CLIENT_SECRET not in repr(ready)


def test_without_a_secret_the_arguments_pass_unchanged():
    args = dict(CONNECTION, access_token='emu-at-given')
    assert credentials.prepare_forked('dataset_info', args, 'local') == (args, None)


def test_connection_params_resolve_like_the_module(monkeypatch):
    monkeypatch.setenv('AEP_SCOPES', 'openid, AdobeID')
    monkeypatch.setenv('AEP_RETRIES', '2')
    monkeypatch.setenv('AEP_VALIDATE_CERTS', 'no')
    params = credentials.connection_params({'timeout': 5})
    assert params['scopes'] == ['openid', 'AdobeID'] and params['retries'] == 2 and params['validate_certs'] is False
    assert params['timeout'] == 5 and params['retry_deadline'] == 120.0
