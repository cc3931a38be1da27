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

Ansible forks a worker process per task and host, and what a worker imports or initializes dies with it. The
strategy imports each action plugin in the controller's main process before it forks the task's workers, so
importing an action plugin (``preload``, called by ``InProcessActionModule.__init_subclass__``) also imports,
once: the module's ``DEFINITION`` with its resources, the client's lazy imports (token cache, ``cryptography``
with its OpenSSL backend initialized, ``netrc`` that ``requests`` imports per request), Ansible's filter and
test plugins that the role's templates use, and builds the module's argument validator. The workers inherit
all of it (docs/onboarding.md, "Rollout cost": about a third of an in-process task's CPU went to these).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.aep.platform.plugins.module_utils.client import HAS_REQUESTS
from ansible_collections.aep.platform.plugins.plugin_utils import module_server
from ansible_collections.aep.platform.plugins.plugin_utils.credentials import run_forked
# the logic as a function (module_logic.py), also used here by tests and tools under these names
from ansible_collections.aep.platform.plugins.plugin_utils.module_logic import (  # noqa: F401 pylint: disable=unused-import
    _DEFINITIONS, _VALIDATORS, mask, module_definition, plain, run_logic, validator_for)

_WARMED = []

display = Display()


def preload(name):
    """Import and build, in this process, what running module ``name`` in-process needs (see the module
    docstring): called when its action plugin is imported, in Ansible's main process, so the task workers
    forked afterwards inherit it. Never fails: whatever cannot be loaded here is loaded by the task."""
    try:
        validator_for(name)
    except Exception:  # pylint: disable=broad-except  # the task reports it, as before
        pass
    if not _WARMED:
        _WARMED.append(True)
        _warm_shared()
        module_server.start()


def _warm_shared():
    """The imports and initializations that every in-process task makes (once per process)."""
    try:
        import netrc  # noqa: F401 pylint: disable=unused-import  # requests imports it for every request (trust_env)
        from ansible_collections.aep.platform.plugins.module_utils import token_cache  # noqa: F401 pylint: disable=unused-import
        from cryptography.fernet import Fernet  # noqa: F401 pylint: disable=unused-import
        from cryptography.hazmat.primitives import hashes
        from cryptography.hazmat.primitives.kdf.hkdf import HKDF
        HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b'').derive(b'warm-up')  # loads the OpenSSL backend
    except Exception:  # pylint: disable=broad-except  # no cryptography: no token cache, nothing to warm
        pass
    if 'ansible.plugins.loader' in sys.modules:  # on the controller: the Jinja plugins of the role's templates
        try:
            from ansible.plugins.loader import filter_loader, test_loader
            for plugin in ('ansible.builtin.combine', 'ansible.builtin.to_json', 'ansible.builtin.from_json'):
                filter_loader.get(plugin)
            for plugin in ('defined', 'undefined', 'ansible.builtin.defined'):
                test_loader.get(plugin)
        except Exception:  # pylint: disable=broad-except
            pass


def run_logic_served(name, args, check_mode, diff):
    """``(result, where)``: ``run_logic`` in the play's module server (``module_server.py``) when it takes the
    request (``where`` is the server's socket path), else in this process (``where`` is None)."""
    args = plain(args)
    try:
        return module_server.call(name, args, check_mode, diff), module_server.socket_path()
    except module_server.Undelivered:
        return run_logic(name, args, check_mode, diff), None
    except module_server.ServerLost as err:
        return dict(failed=True, msg='aep.platform: the module server stopped while it ran this task (%s); the module may '
                                     'have written part of its change: rerun the play, it converges (or set %s=0 to run '
                                     'the modules in the task workers)' % (err, module_server.ENV_SWITCH)), None


class InProcessActionModule(ActionBase):
    """Base of the per-module action plugins in ``plugins/action``."""

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def __init_subclass__(cls, **kwargs):
        super(InProcessActionModule, cls).__init_subclass__(**kwargs)
        preload(cls.__module__.rsplit('.', 1)[-1])  # the action plugin's file name is the module's name

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super(InProcessActionModule, self).run(tmp, task_vars)
        name = self._task.resolved_action.split('.')[-1]
        if not self._in_process(task_vars):  # forked: the module never receives the client secret (credentials.py)
            result.update(run_forked(name, self._task.args, self._connection.transport, lambda module_args: self._execute_module(
                module_name='aep.platform.' + name, module_args=module_args, task_vars=task_vars)))
            return result
        logic_result, server = run_logic_served(name, dict(self._task.args), bool(self._task.check_mode), bool(self._task.diff))
        if display.verbosity >= 4:  # every task of a rollout passes here: no message built for nothing
            display.vvvv('aep.platform.%s: module logic run %s' % (name, 'by the module server at %s' % server if server else 'in the task worker'))
        result.update(logic_result)
        return result

    def _in_process(self, task_vars):
        if not HAS_REQUESTS or any(self._task.environment or []):
            return False
        if self._connection.transport not in ('local', 'ansible.builtin.local'):
            return False
        if not boolean(os.environ.get('AEP_IN_PROCESS', 'true'), strict=False):
            return False
        return boolean(task_vars.get('aep_in_process', True), strict=False)
