# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""An aep.platform module's logic run as a function: validation with the module's own spec and rules, the
logic ``(params, client, check_mode)``, masking and ``invocation`` as ``AnsibleModule`` does them.

Used by the in-process action plugins (``inprocess.py``, in a task worker) and by the play's module server
(``module_server.py``). It imports none of Ansible's controller plugin machinery, so the module server starts
quickly; results are the module's, JSON-shaped.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json

from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.aep.platform.plugins.module_utils.args import connection_spec, merge_rules
from ansible_collections.aep.platform.plugins.module_utils.masking import remove_no_log as remove_values
from ansible_collections.aep.platform.plugins.module_utils.runner import call_logic, extra_no_log_values

_MODULE_PACKAGE = 'ansible_collections.aep.platform.plugins.modules.'
_RULE_KEYS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')
_DEFINITIONS = {}
_VALIDATORS = {}


def module_definition(name):
    """``(argument_spec, logic, rules)`` of module ``name``: its ``DEFINITION``."""
    if name not in _DEFINITIONS:
        module = importlib.import_module(_MODULE_PACKAGE + name)
        _DEFINITIONS[name] = module.DEFINITION
    return _DEFINITIONS[name]


def validator_for(name):
    """The ``ArgumentSpecValidator`` of module ``name`` (connection options, the module's options and rules),
    built once per process (``ArgumentSpecValidator.validate`` keeps no state between calls)."""
    argument_spec, dummy, kwargs = module_definition(name)
    key = (name, id(argument_spec), id(kwargs))
    if key not in _VALIDATORS:
        rules = merge_rules(kwargs)
        _VALIDATORS[key] = ArgumentSpecValidator(connection_spec(argument_spec),
                                                 **dict((rule, rules[rule]) for rule in _RULE_KEYS if rule in rules))
    return _VALIDATORS[key]


def plain(value):
    """``value`` with the controller's str/dict/list subclasses (``AnsibleUnicode``, tagged or vaulted
    values) turned into plain Python types, as a module receives its arguments after JSON."""
    if isinstance(value, Mapping):
        return dict((plain(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str) or getattr(value, '__ENCRYPTED__', False):
        return str(value)
    for kind in (bool, int, float):  # tagged numbers: validation messages name the plain type (bool before int)
        if isinstance(value, kind):
            return kind(value)
    return value


def run_logic(name, args, check_mode, diff):
    """Validate ``args`` for module ``name``, run its logic and return the module result."""
    args = plain(args)
    logic = module_definition(name)[1]
    validation = validator_for(name).validate(args)
    no_log_values = validation._no_log_values  # pylint: disable=protected-access
    no_log_values |= extra_no_log_values(module_definition(name), validation.validated_parameters)
    invocation = {'module_args': remove_values(validation.validated_parameters, no_log_values)}
    if validation.error_messages:
        message = 'Unsupported or invalid parameters: %s' % '; '.join(validation.error_messages)
        return dict(mask(dict(failed=True, msg=message), no_log_values), invocation=invocation)
    result = _call_logic(logic, validation.validated_parameters, check_mode)
    if not diff:
        result.pop('diff', None)
    result = mask(result, no_log_values)
    result['invocation'] = invocation  # masked above, as AnsibleModule masks it
    return result


def mask(result, no_log_values):
    """``result`` with every no_log value masked, as ``AnsibleModule.exit_json`` masks it (``remove_values``).

    ``remove_values`` walks the whole result; a module result almost never holds a secret, so it runs only when
    the result's JSON text contains one of ``no_log_values`` (in its plain or its JSON-escaped spelling): a
    superset of what it would mask, so nothing that it would mask is skipped."""
    if not no_log_values:
        return result
    try:
        text = json.dumps(result, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # not JSON-shaped (never expected): the full walk
        return remove_values(result, no_log_values)
    for value in no_log_values:
        value = str(value)
        if value in text or json.dumps(value, ensure_ascii=False)[1:-1] in text:
            return remove_values(result, no_log_values)
    return result


def _call_logic(logic, params, check_mode):
    result = call_logic(logic, params, check_mode)
    result.setdefault('changed', False)
    return result
