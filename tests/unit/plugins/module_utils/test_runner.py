"""run_module: option parsing, env fallbacks, error mapping, diff handling, no tracebacks, no secrets."""

import contextlib
import json

import pytest

try:
    from ansible.module_utils.testing import patch_module_args
except ImportError:  # ansible-core < 2.19
    from ansible.module_utils import basic

    @contextlib.contextmanager
    def patch_module_args(args):
        """What ansible-core 2.19's helper does: feed ``args`` to the next AnsibleModule."""
        previous = basic._ANSIBLE_ARGS
        basic._ANSIBLE_ARGS = json.dumps({'ANSIBLE_MODULE_ARGS': args}).encode()
        try:
            yield
        finally:
            basic._ANSIBLE_ARGS = previous

from ansible_collections.aep.platform.plugins.module_utils import runner as module_mod
from ansible_collections.aep.platform.plugins.module_utils.client import ValidationError
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError

BASE_ARGS = dict(client_id='cid', org_id='org@AdobeOrg', access_token='tok-very-secret', platform_url='https://p.test')


class Exit(Exception):
    pass


def run(args, logic, spec=None, **kwargs):
    """Run ``run_module`` and return ``(failed, result)`` from exit_json/fail_json."""
    captured = {}

    def exit_json(self, **result):
        captured.update(result, failed=False)
        raise Exit()

    def fail_json(self, msg, **result):
        captured.update(result, msg=msg, failed=True)
        raise Exit()

    mp = pytest.MonkeyPatch()
    mp.setattr(module_mod.AnsibleModule, 'exit_json', exit_json)
    mp.setattr(module_mod.AnsibleModule, 'fail_json', fail_json)
    try:
        with patch_module_args(args):
            with pytest.raises(Exit):
                module_mod.run_module(module_mod.ModuleDefinition(spec or {}, logic, kwargs))
    finally:
        mp.undo()
    return captured


def test_logic_gets_params_client_and_check_mode():
    seen = {}

    def logic(params, client, check_mode):
        seen.update(params=params, client=client, check_mode=check_mode)
        return dict(changed=False, thing={'a': 1}, diff={'before': {}, 'after': {}})

    result = run(dict(BASE_ARGS, _ansible_check_mode=True, name='x'), logic, dict(name=dict(type='str')))
    assert result['failed'] is False and result['thing'] == {'a': 1}
    assert 'diff' not in result
    assert seen['check_mode'] is True and seen['params']['name'] == 'x'
    assert seen['client'].sandbox == 'prod' and seen['client'].platform_url == 'https://p.test'


def test_diff_kept_when_requested():
    result = run(dict(BASE_ARGS, _ansible_diff=True), lambda p, c, m: dict(changed=True, diff={'before': {}, 'after': {'a': 1}}))
    assert result['diff'] == {'before': {}, 'after': {'a': 1}}


def test_env_fallbacks(monkeypatch):
    monkeypatch.setenv('AEP_CLIENT_ID', 'env-cid')
    monkeypatch.setenv('AEP_ORG_ID', 'env-org@AdobeOrg')
    monkeypatch.setenv('AEP_CLIENT_SECRET', 'env-secret')
    monkeypatch.setenv('AEP_SANDBOX', 'stage')
    monkeypatch.setenv('AEP_SCOPES', 'a,b')
    monkeypatch.setenv('AEP_VALIDATE_CERTS', 'false')
    monkeypatch.setenv('AEP_TIMEOUT', '5')
    monkeypatch.setenv('AEP_PLATFORM_URL', 'https://env.test')
    seen = {}
    result = run({}, lambda p, c, m: seen.update(p=p, c=c) or dict(changed=False))
    assert 'p' in seen, result
    params, client = seen['p'], seen['c']
    assert (params['client_id'], params['org_id'], params['sandbox'], params['scopes']) == ('env-cid', 'env-org@AdobeOrg', 'stage', ['a', 'b'])
    assert (client.verify, client.timeout, client.platform_url) == (False, 5, 'https://env.test')


def test_missing_credentials_fail_clearly(monkeypatch):
    for name in ('AEP_CLIENT_SECRET', 'AEP_ACCESS_TOKEN'):
        monkeypatch.delenv(name, raising=False)
    result = run(dict(client_id='c', org_id='o'), lambda p, c, m: dict(changed=False))
    assert result['failed'] and 'access_token, client_secret' in result['msg']


def test_aep_error_becomes_fail_json_with_fields():
    def logic(params, client, check_mode):
        raise ValidationError('Dataset schema does not match', status=400, code='FLOW-1425-400', method='POST',
                              url='https://p.test/data/foundation/flowservice/flows', service='flowservice', request_id='r1')

    result = run(BASE_ARGS, logic)
    assert result['failed'] and result['msg'] == ('AEP Flow Service POST /flows failed: 400 FLOW-1425-400 '
                                                  'Dataset schema does not match (request id r1)')
    assert result['status'] == 400 and result['code'] == 'FLOW-1425-400'


def test_input_error_names_the_field():
    def logic(params, client, check_mode):
        raise InputError('schema_id: schema X does not exist in sandbox prod', field='schema_id')

    result = run(BASE_ARGS, logic)
    assert result['failed'] and result['field'] == 'schema_id' and result['msg'].startswith('schema_id:')


def test_unexpected_exception_is_one_line_and_redacted():
    def logic(params, client, check_mode):
        raise KeyError('boom with tok-very-secret')

    result = run(BASE_ARGS, logic)
    assert result['failed'] and result['msg'].startswith('Unexpected error (KeyError): boom with ')
    assert 'tok-very-secret' not in json.dumps(result) and 'Traceback' not in result['msg']


def test_warnings_become_module_warnings(monkeypatch):
    warned = []
    monkeypatch.setattr(module_mod.AnsibleModule, 'warn', lambda self, msg: warned.append(msg))
    result = run(BASE_ARGS, lambda p, c, m: dict(changed=False, warnings=['careful']))
    assert warned == ['careful'] and 'warnings' not in result
