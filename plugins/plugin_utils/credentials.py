# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credentials of a module that runs as its own process (forked mode, ``AEP_IN_PROCESS=0``).

Ansible writes a forked module, with its arguments, to a temporary file (``~/.ansible/tmp/ansible-tmp-*/
AnsiballZ_<module>.py``) and deletes it afterwards; a run killed meanwhile leaves the file behind. So the
controller-side action plugin (``prepare_forked``), in the task's worker process:

* fetches the token itself, with the client secret of the task arguments or of ``AEP_CLIENT_SECRET``, and hands
  over only a token it can vouch for (``AepClient.token_for_handover``): the shared token of the play
  (``module_utils/token_cache.py``) when it has at least ``handover_margin(expires_in)`` seconds of its lifetime
  left, else a new one, fetched once for the play through the shared store (the tasks waiting on the store's
  lock take it without another request). The module cannot replace the token, so the margin must cover its
  whole run: ``max(10 minutes, a quarter of the lifetime)``, at most half the lifetime; 6 h for a 24 h IMS
  token, 7.5 s for a 15 s test token (a module starting on a loaded machine took more than the 3 s that the
  play's usual replacement point, a fifth of the lifetime, left). The task's own ``access_token`` (for example
  the play's ``aep.platform.token`` result) is not what decides: the store's record says how long its token
  lives. Without a store (``AEP_TOKEN_CACHE=0``) a new token is fetched per task;
* removes ``client_secret`` from the module's arguments and ``AEP_CLIENT_SECRET`` from the environment the
  module inherits (the worker process serves this one task, so no other task is affected);
* hands the token over in the module's environment (``AEP_ACCESS_TOKEN``, which the module reads as the
  ``access_token`` fallback) when the connection is local, so the module file holds neither the secret nor a
  token; over another connection the environment is not inherited, and the module gets the short-lived
  token as its ``access_token`` argument, never the secret;
* explains a 401 the module still gets (``run_forked``): the token expired during a run longer than the
  margin, or AEP refused it before its expiry; the message says which, with the seconds it had left, and how
  to fix it (run the task again, or in-process, where an expired token is replaced).

``aep.platform.token`` is answered on the controller: its result is the token, so no module runs for it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_SPEC
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient, AepError
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.runner import check_connection, failure_kwargs
from ansible_collections.aep.platform.plugins.module_utils.token_cache import handover_margin, seconds_left

SECRET_ENV = 'AEP_CLIENT_SECRET'
TOKEN_ENV = 'AEP_ACCESS_TOKEN'
LOCAL = ('local', 'ansible.builtin.local')


def connection_params(args, environ=None):
    """The connection options of a task as the module would resolve them: argument, else ``AEP_*``, else default."""
    environ = os.environ if environ is None else environ
    params = {}
    for name, spec in CONNECTION_SPEC.items():
        value = args.get(name)
        if value is None:
            env_name = spec['fallback'][1][0]
            value = environ.get(env_name)
            if value is not None and spec['type'] == 'list':
                value = [v.strip() for v in value.split(',') if v.strip()]
            elif value is not None and spec['type'] == 'bool':
                value = boolean(value, strict=False)
            elif value is not None and spec['type'] in ('int', 'float'):
                try:
                    value = (int if spec['type'] == 'int' else float)(value)
                except ValueError:
                    value = None  # the module reports it
        if value is None:
            value = spec.get('default')
        params[name] = value
    return params


def prepare_forked(module_name, args, transport):
    """``(module_args, result)`` for a forked run of ``module_name``: the arguments without the client secret
    (and, locally, without the token, which goes to ``AEP_ACCESS_TOKEN``), or a ready ``result`` when no module
    needs to run (``token``, or a failure to get a token). Changes this worker's ``os.environ``."""
    module_args, ready, dummy = _prepare(module_name, args, transport)
    return module_args, ready


def run_forked(module_name, args, transport, execute):
    """The result of a forked run of ``module_name``: ``prepare_forked``, then ``execute(module_args)`` (the
    action plugin's ``_execute_module``) unless the result is ready, with a 401 of the module explained
    (``explain_rejected_token``)."""
    module_args, ready, handover = _prepare(module_name, args, transport)
    if ready is not None:
        return ready
    started = time.time()
    result = execute(module_args)
    return explain_rejected_token(result, handover, started, time.time())


def _prepare(module_name, args, transport):
    """``(module_args, ready_result, handover)``: ``handover`` is the token info handed to the module, or None."""
    args = dict(args)
    params = connection_params(args)
    secret = params.get('client_secret')
    if not secret:
        return args, None, None
    try:
        check_connection(params)
        client = AepClient.from_params(params)
        if module_name == 'token':
            token = client.fetch_token()
            return args, dict(changed=False, access_token=token['access_token'], token_type=token['token_type'],
                              expires_in=token['expires_in']), None
        handover = client.token_for_handover()
    except (AepError, InputError) as err:
        result = failure_kwargs(err, None, params)
        result['failed'] = True
        return args, _redacted(result, (secret,)), None
    args.pop('client_secret', None)
    os.environ.pop(SECRET_ENV, None)
    if transport in LOCAL:
        args.pop('access_token', None)
        os.environ[TOKEN_ENV] = handover['access_token']
    else:
        args['access_token'] = handover['access_token']
    return args, None, handover


# the module's own advice for a 401 without a secret (module_utils/runner.py), which does not apply here: the
# module was given no secret on purpose, and the token came from the controller
_MODULE_401_HINT = '; the platform rejected the access token'


def explain_rejected_token(result, handover, started, ended):
    """``result`` of a forked module, with ``msg`` saying what happened when AEP answered 401 to the token
    handed over (``handover``: its info, with ``fetched_at`` and ``expires_in``) and how to fix it; ``started``
    and ``ended`` are the ``time.time()`` values around the module's run. Other results are returned as they
    are. The message names no secret and no token."""
    if not handover or not isinstance(result, dict) or not result.get('failed') or result.get('status') != 401:
        return result
    left_at_start = seconds_left(handover, started)
    left_at_end = seconds_left(handover, ended)
    cause = str(result.get('msg') or 'AEP answered 401').split(_MODULE_401_HINT, 1)[0].rstrip('. ')
    run = ended - started
    if left_at_end is not None and left_at_end <= 0:
        what = ('the access token that the controller handed to this forked module expired during the module\'s run: '
                'it had %d s of its %d s lifetime left when the module started (the controller hands over a token '
                'with at least %g s left), and the module\'s run, start-up included, took %d s'
                % (round(max(left_at_start, 0)), round(float(handover['expires_in'])),
                   round(handover_margin(handover['expires_in']), 1), round(run)))
    else:
        what = ('AEP refused the access token that the controller handed to this forked module although it had %s '
                'left: it was revoked, or issued for another organization than org_id (AEP_ORG_ID)'
                % ('%d s of its lifetime' % round(left_at_end) if left_at_end is not None else 'an unknown part of its lifetime'))
    fix = ('A forked module (AEP_IN_PROCESS=0, or aep_in_process: false, or a task with environment) never receives '
           'the client secret, so it cannot replace a token. Run the task again: the controller hands over a token '
           'with enough lifetime left. Or run the module in-process (unset AEP_IN_PROCESS, aep_in_process: true, no '
           'task environment), where an expired token is replaced')
    explained = dict(result)
    explained['msg'] = '%s: %s. %s' % (cause, what, fix)
    # ansible-core 2.19+ keeps the module's message as the error it displays (``exception``, an error summary built
    # from ``msg``; fail_json of these modules sends no traceback): without it, the explained ``msg`` is displayed
    explained.pop('exception', None)
    return explained


def _redacted(value, secrets):
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, '********')
        return value
    if isinstance(value, dict):
        return dict((k, _redacted(v, secrets)) for k, v in value.items())
    return value
