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


def test_validator_is_built_once_and_keeps_no_state_between_tasks():
    """validator_for caches the ArgumentSpecValidator per module (built in the controller before the workers fork);
    two validations with it stay independent."""
    validator = inprocess.validator_for('sandbox_info')
    assert inprocess.validator_for('sandbox_info') is validator
    first = validator.validate(dict(CONNECTION, sandbox='one'))
    second = validator.validate(dict(CONNECTION))
    assert first.validated_parameters['sandbox'] == 'one'
    assert second.validated_parameters['sandbox'] == 'prod'
    assert not first.error_messages and not second.error_messages
    bad = validator.validate(dict(CONNECTION, bogus_option=1))
    assert 'bogus_option' in ' '.join(bad.error_messages)
    assert not validator.validate(dict(CONNECTION)).error_messages


def test_preload_imports_what_a_task_needs_and_never_fails():
    """Importing an action plugin preloads its module, the token cache and cryptography (inherited by the workers)."""
    inprocess.preload('dataset')
    assert 'ansible_collections.aep.platform.plugins.modules.dataset' in sys.modules
    assert 'ansible_collections.aep.platform.plugins.module_utils.token_cache' in sys.modules
    assert 'cryptography.fernet' in sys.modules and 'netrc' in sys.modules
    inprocess.preload('no_such_module')  # the task reports a missing module, not the import of its action plugin


def test_every_action_plugin_preloads_its_module_on_import():
    from ansible_collections.aep.platform.plugins.action import flow  # noqa: F401 pylint: disable=unused-import

    assert any(key[0] == 'flow' for key in inprocess._VALIDATORS)


def test_tagged_values_become_plain_types():
    """Values from YAML or templates carry Ansible's tags (``_AnsibleTaggedInt`` ...): a module gets plain types, so
    validation messages name ``int``, never the controller's type (breaker4 finding 9)."""
    from ansible._internal._datatag._tags import Origin
    tagged = dict(n=Origin(path='/p.yml', line_num=1).tag(1), f=Origin(path='/p.yml', line_num=2).tag(1.5),
                  b=True, items=[Origin(path='/p.yml', line_num=3).tag(2)])
    assert type(tagged['n']).__name__ != 'int'
    value = inprocess.plain(tagged)
    assert value == dict(n=1, f=1.5, b=True, items=[2])
    assert [type(value[k]).__name__ for k in ('n', 'f', 'b', 'items')] == ['int', 'float', 'bool', 'list']
    assert type(value['items'][0]).__name__ == 'int'
    result = inprocess.run_logic('field_group', dict(CONNECTION, title='t', fields=tagged['items']), check_mode=False, diff=False)
    assert result['failed'] is True and '_AnsibleTagged' not in result['msg']
