# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""``run_module``: the whole ``main()`` of every aep.platform module."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.aep.platform.plugins.module_utils.args import connection_spec, merge_rules
from ansible_collections.aep.platform.plugins.module_utils.client import (
    AepClient,
    AepError,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
)
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError


def build_module(argument_spec, **kwargs):
    """The AnsibleModule for a module's own options plus the connection options."""
    kwargs = merge_rules(kwargs)
    kwargs.setdefault('supports_check_mode', True)
    return AnsibleModule(argument_spec=connection_spec(argument_spec), **kwargs)


def run_module(argument_spec, logic, **kwargs):
    """Parse the options, build the client, call ``logic(params, client, check_mode)`` and exit.

    ``logic`` returns the result dict (``changed``, the object, ``id``, ``diff`` ...). A ``warnings``
    list in it is turned into module warnings; ``diff`` is kept only when ``--diff`` is on.
    ``AepError``/``InputError`` become ``fail_json`` with a readable message; any other exception becomes
    a one-line failure (never a traceback), with secrets redacted.
    """
    module = build_module(argument_spec, **kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    client = None
    try:
        client = AepClient.from_params(module.params)
        result = logic(module.params, client, module.check_mode)
    except (AepError, InputError) as err:
        module.fail_json(**_redacted(client, err.to_fail_kwargs()))
    except Exception as err:  # pylint: disable=broad-except
        message = 'Unexpected error (%s): %s' % (type(err).__name__, err)
        module.fail_json(**_redacted(client, dict(msg=message, error_type=type(err).__name__)))
    finish(module, result)


def finish(module, result):
    """Exit with ``result``: warnings become module warnings, diff only when asked for."""
    result = dict(result)
    for warning in result.pop('warnings', None) or []:
        module.warn(warning)
    if not module._diff:
        result.pop('diff', None)
    module.exit_json(**result)


def _redacted(client, kwargs):
    return client.redact(kwargs) if client is not None else kwargs
