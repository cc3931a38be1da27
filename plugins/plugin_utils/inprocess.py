# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Run an aep.platform module's logic inside the controller process.

Every aep.platform module declares ``DEFINITION`` (``runner.ModuleDefinition``: argument spec, logic, rules),
and its ``main()`` runs it (``DEFINITION.run()``), with the logic a plain function of
``(params, client, check_mode)``. When the task runs on the controller anyway
(``connection: local``), forking a Python interpreter and shipping an AnsiballZ payload per task costs
~0.15 s of CPU for an HTTP call or two. This action plugin base validates the arguments with the same
spec and rules, calls the same logic function, and returns the same result (invocation, masking of
no_log values, warnings, diff only with ``--diff``) without that cost.

It falls back to running the module normally when the connection is not local, when the task sets
``environment`` (the module would see it, the controller does not), or when
``aep_in_process: false`` (variable) or ``AEP_IN_PROCESS=0`` (environment) turns it off.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase

from ansible_collections.aep.platform.plugins.module_utils.args import connection_spec, merge_rules
from ansible_collections.aep.platform.plugins.module_utils.client import HAS_REQUESTS
from ansible_collections.aep.platform.plugins.module_utils.runner import call_logic
from ansible_collections.aep.platform.plugins.plugin_utils.credentials import prepare_forked

_MODULE_PACKAGE = 'ansible_collections.aep.platform.plugins.modules.'
_RULE_KEYS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')
_DEFINITIONS = {}


def module_definition(name):
    """``(argument_spec, logic, rules)`` of module ``name``: its ``DEFINITION``."""
    if name not in _DEFINITIONS:
        module = importlib.import_module(_MODULE_PACKAGE + name)
        _DEFINITIONS[name] = tuple(module.DEFINITION)
    return _DEFINITIONS[name]


def plain(value):
    """``value`` with the controller's str/dict/list subclasses (``AnsibleUnicode``, tagged or vaulted
    values) turned into plain Python types, as a module receives its arguments after JSON."""
    if isinstance(value, Mapping):
        return dict((plain(k), plain(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str) or getattr(value, '__ENCRYPTED__', False):
        return str(value)
    return value


def run_logic(name, args, check_mode, diff):
    """Validate ``args`` for module ``name``, run its logic and return the module result."""
    args = plain(args)
    argument_spec, logic, kwargs = module_definition(name)
    rules = merge_rules(kwargs)
    validator = ArgumentSpecValidator(connection_spec(argument_spec),
                                      **dict((key, rules[key]) for key in _RULE_KEYS if key in rules))
    validation = validator.validate(args)
    no_log_values = validation._no_log_values  # pylint: disable=protected-access
    invocation = {'module_args': remove_values(validation.validated_parameters, no_log_values)}
    if validation.error_messages:
        message = 'Unsupported or invalid parameters: %s' % '; '.join(validation.error_messages)
        return remove_values(dict(failed=True, msg=message, invocation=invocation), no_log_values)
    result = _call_logic(logic, validation.validated_parameters, check_mode)
    if not diff:
        result.pop('diff', None)
    result['invocation'] = invocation
    return remove_values(result, no_log_values)


def _call_logic(logic, params, check_mode):
    result = call_logic(logic, params, check_mode)
    result.setdefault('changed', False)
    return result


class InProcessActionModule(ActionBase):
    """Base of the per-module action plugins in ``plugins/action``."""

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(InProcessActionModule, self).run(tmp, task_vars)
        name = self._task.resolved_action.split('.')[-1]
        if not self._in_process(task_vars):  # forked: the module never receives the client secret (credentials.py)
            module_args, ready = prepare_forked(name, self._task.args, self._connection.transport)
            result.update(ready if ready is not None else
                          self._execute_module(module_name='aep.platform.' + name, module_args=module_args, task_vars=task_vars))
            return result
        result.update(run_logic(name, dict(self._task.args), bool(self._task.check_mode), bool(self._task.diff)))
        return result

    def _in_process(self, task_vars):
        if not HAS_REQUESTS or any(self._task.environment or []):
            return False
        if self._connection.transport not in ('local', 'ansible.builtin.local'):
            return False
        if not boolean(os.environ.get('AEP_IN_PROCESS', 'true'), strict=False):
            return False
        return boolean(task_vars.get('aep_in_process', True), strict=False)
