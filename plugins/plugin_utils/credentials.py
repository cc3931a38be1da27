# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Credentials of a module that runs as its own process (forked mode, ``AEP_IN_PROCESS=0``).

Ansible writes a forked module, with its arguments, to a temporary file (``~/.ansible/tmp/ansible-tmp-*/
AnsiballZ_<module>.py``) and deletes it afterwards; a run killed meanwhile leaves the file behind. So the
controller-side action plugin (``prepare_forked``), in the task's worker process:

* fetches the token itself, from the play's shared token store (``module_utils/token_cache.py``: one IMS
  request per token lifetime for the whole play), with the client secret of the task arguments or of
  ``AEP_CLIENT_SECRET``; without a store (``AEP_TOKEN_CACHE=0``) it fetches a fresh token per task, since the
  module could not replace an expired one;
* removes ``client_secret`` from the module's arguments and ``AEP_CLIENT_SECRET`` from the environment the
  module inherits (the worker process serves this one task, so no other task is affected);
* hands the token over in the module's environment (``AEP_ACCESS_TOKEN``, which the module reads as the
  ``access_token`` fallback) when the connection is local, so the module file holds neither the secret nor a
  token; over another connection the environment is not inherited, and the module gets the short-lived
  token as its ``access_token`` argument, never the secret.

``aep.platform.token`` is answered on the controller: its result is the token, so no module runs for it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.aep.platform.plugins.module_utils.args import CONNECTION_SPEC
from ansible_collections.aep.platform.plugins.module_utils.client import AepClient, AepError
from ansible_collections.aep.platform.plugins.module_utils.engine import InputError
from ansible_collections.aep.platform.plugins.module_utils.runner import check_connection, failure_kwargs

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
    args = dict(args)
    params = connection_params(args)
    secret = params.get('client_secret')
    if not secret:
        return args, None
    try:
        check_connection(params)
        client = AepClient.from_params(params)
        if module_name == 'token':
            token = client.fetch_token()
            return args, dict(changed=False, access_token=token['access_token'], token_type=token['token_type'],
                              expires_in=token['expires_in'])
        # without a shared store the given token's expiry is unknown, and the module cannot replace it after a 401
        token = client.access_token if client.token_store is not None else client.fetch_token()['access_token']
    except (AepError, InputError) as err:
        result = failure_kwargs(err, None, params)
        result['failed'] = True
        return args, _redacted(result, (secret,))
    args.pop('client_secret', None)
    os.environ.pop(SECRET_ENV, None)
    if transport in LOCAL:
        args.pop('access_token', None)
        os.environ[TOKEN_ENV] = token
    else:
        args['access_token'] = token
    return args, None


def _redacted(value, secrets):
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, '********')
        return value
    if isinstance(value, dict):
        return dict((k, _redacted(v, secrets)) for k, v in value.items())
    return value
