"""In-process execution: same validation, logic, masking and failures as the module, without a fork."""

import os
import subprocess
import sys

from ansible_collections.aep.platform.plugins.plugin_utils import inprocess
from tests.unit.conftest import CLIENT_ID, CLIENT_SECRET, IMS, ORG_ID, PLATFORM, TOKEN_URL, platform

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
CONNECTION = dict(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, org_id=ORG_ID, platform_url=PLATFORM, ims_url=IMS)


def test_every_module_has_an_in_process_action_plugin():
    check = subprocess.run([sys.executable, os.path.join(ROOT, 'scripts', 'gen_action_plugins.py'), '--check'],
                           capture_output=True, text=True, check=False)
    assert check.returncode == 0, check.stdout


def test_definition_is_read_from_the_module_main():
    spec, logic, kwargs = inprocess.module_definition('sandbox_info')
    assert 'name' in spec and callable(logic)
    assert kwargs == {} or isinstance(kwargs, dict)


def test_runs_logic_and_masks_secrets(mocked):
    mocked.post(TOKEN_URL, json={'access_token': 'emu-at-123', 'token_type': 'bearer', 'expires_in': 86399})
    mocked.get(platform('sandbox-management', '/sandboxes'), json={'sandboxes': [{'name': 'prod'}]})
    result = inprocess.run_logic('sandbox_info', dict(CONNECTION), check_mode=False, diff=False)
    assert result['changed'] is False
    assert result['sandboxes'] == [{'name': 'prod'}]
    assert result['invocation']['module_args']['client_secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert CLIENT_SECRET not in repr(result)


def test_invalid_arguments_fail_before_any_request(mocked):
    result = inprocess.run_logic('sandbox_info', dict(CONNECTION, bogus_option=1), check_mode=False, diff=False)
    assert result['failed'] is True
    assert 'bogus_option' in result['msg']
    assert len(mocked.calls) == 0


def test_api_errors_become_failures_without_secrets(mocked):
    mocked.post(TOKEN_URL, status=401, json={'error': 'invalid_client', 'error_description': 'bad ' + CLIENT_SECRET})
    result = inprocess.run_logic('sandbox_info', dict(CONNECTION), check_mode=False, diff=False)
    assert result['failed'] is True
    assert '401' in result['msg']
    assert CLIENT_SECRET not in repr(result)


def test_diff_is_kept_only_when_asked(mocked, monkeypatch):
    spec, _logic, kwargs = inprocess.module_definition('sandbox_info')
    monkeypatch.setitem(inprocess._DEFINITIONS, 'sandbox_info',
                        (spec, lambda params, client, check_mode: {'changed': True, 'diff': {'before': 1}}, kwargs))
    connection = dict(CONNECTION, access_token='given')
    assert 'diff' not in inprocess.run_logic('sandbox_info', dict(connection), False, diff=False)
    assert inprocess.run_logic('sandbox_info', dict(connection), False, diff=True)['diff'] == {'before': 1}


class Tagged(str):
    """Stands in for the controller's str subclasses (AnsibleUnicode on 2.16, tagged strings on 2.19)."""


def test_arguments_are_plain_types_like_a_module_gets_them(mocked):
    args = dict(CONNECTION, access_token='given', name=Tagged('prod'), scopes=(Tagged('openid'),))
    mocked.get(platform('sandbox-management', '/sandboxes'), json={'sandboxes': [{'name': 'prod'}]})
    result = inprocess.run_logic('sandbox_info', args, check_mode=False, diff=False)
    assert result['sandboxes'] == [{'name': 'prod'}]
    assert type(result['invocation']['module_args']['name']) is str  # pylint: disable=unidiomatic-typecheck
    assert inprocess.plain({Tagged('a'): [Tagged('b'), 1, None, True]}) == {'a': ['b', 1, None, True]}


def test_type_errors_name_no_python_classes(mocked):
    result = inprocess.run_logic('sandbox_info', dict(CONNECTION, timeout=Tagged('soon')), False, False)
    assert result['failed'] is True and 'timeout' in result['msg']
    assert 'Tagged' not in result['msg'], result['msg']  # core < 2.19 may still say <class 'str'>: its own wording
    assert len(mocked.calls) == 0
