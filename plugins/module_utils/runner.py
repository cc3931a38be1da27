# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""The module runner: ``run_module(DEFINITION)`` is the whole ``main()`` of every aep.platform module.

A module's ``DEFINITION`` (``ModuleDefinition``: argument spec, logic, AnsibleModule rules) is read both by
``main()`` and by the in-process action plugins (``plugins/plugin_utils/inprocess.py``); the logic is a plain
function of ``(params, client, check_mode)`` returning the result dict.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from collections import namedtuple

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the compile sanity test
    from urlparse import urlsplit  # type: ignore

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.aep.platform.plugins.module_utils.args import (
    blank_connection_options,
    blank_options_message,
    connection_problem,
    connection_spec,
    merge_rules,
)
from ansible_collections.aep.platform.plugins.module_utils.client import (
    SANDBOX_MANAGEMENT,
    AepClient,
    AepError,
    AuthenticationError,
    ConnectionFailure,
    HAS_REQUESTS,
    NotFoundError,
    RateLimitedError,
    REQUESTS_IMPORT_ERROR,
    ServerError,
)
from ansible_collections.aep.platform.plugins.module_utils.errors import InputError
from ansible_collections.aep.platform.plugins.module_utils.masking import long_values, remove_no_log

# Failures whose cause may be an unknown sandbox rather than a missing object: the resources say
# "... in sandbox 'name'" when a referenced object is not found (client.get_or_none maps every 404,
# including AEP's "Sandbox x not found", to None).
_SANDBOX_SCOPED = re.compile(r"in sandbox '")
_MAX_SANDBOXES_LISTED = 10


class ModuleDefinition(namedtuple('ModuleDefinition', ['argument_spec', 'logic', 'rules'])):
    """What a module is: its own options (``argument_spec``, without the connection options), its ``logic``
    (``logic(params, client, check_mode) -> result``) and its AnsibleModule ``rules`` (``required_one_of`` ...).

    ``secret_values`` (optional): ``secret_values(params) -> iterable of str``, values that are secrets although
    their option is not ``no_log`` (a credential given where only non-secret values belong); they are masked in
    the result and its invocation like ``no_log`` values, in the forked and in-process runs alike."""

    def __new__(cls, argument_spec, logic, rules=None, secret_values=None):
        definition = super(ModuleDefinition, cls).__new__(cls, argument_spec, logic, dict(rules or {}))
        definition.secret_values = secret_values
        return definition

    def run(self):
        """The whole ``main()`` of a module: ``run_module(self)``."""
        run_module(self)


def extra_no_log_values(definition, params):
    """The values ``definition.secret_values`` names in ``params`` (a set of non-empty strings)."""
    hook = getattr(definition, 'secret_values', None)
    if hook is None:
        return set()
    try:
        return set(str(value) for value in hook(params) if value not in (None, '') and not isinstance(value, bool))
    except Exception:  # pylint: disable=broad-except  # never fail a run over masking input that is malformed anyway
        return set()


def build_module(argument_spec, **kwargs):
    """The AnsibleModule for a module's own options plus the connection options."""
    kwargs = merge_rules(kwargs)
    kwargs.setdefault('supports_check_mode', True)
    return AnsibleModule(argument_spec=connection_spec(argument_spec), **kwargs)


def run_module(definition):
    """Parse the options of ``definition`` (a ``ModuleDefinition``), build the client, call
    ``definition.logic(params, client, check_mode)`` and exit.

    ``logic`` returns the result dict (``changed``, the object, ``id``, ``diff`` ...). A ``warnings``
    list in it is turned into module warnings; ``diff`` is kept only when ``--diff`` is on.
    ``AepError``/``InputError`` become ``fail_json`` with a readable message; any other exception becomes
    a one-line failure (never a traceback), with secrets redacted.
    """
    module = build_module(definition.argument_spec, **definition.rules)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    module.no_log_values.update(extra_no_log_values(definition, module.params))
    result = call_logic(definition.logic, module.params, module.check_mode)
    # no_log values masked as values (masking.py), not as every substring: Ansible's own pass keeps the long ones only
    result['invocation'] = {'module_args': remove_no_log(module.params, module.no_log_values)}
    result = remove_no_log(result, module.no_log_values)
    module.no_log_values = long_values(module.no_log_values)
    if result.get('failed'):
        result.pop('failed')
        module.fail_json(**result)
    finish(module, result)


def call_logic(logic, params, check_mode):
    """``logic(params, client, check_mode)``, or the failure as a dict with ``failed=True`` and a ``msg``
    that names the problem and the fix (no traceback, secrets redacted). Shared with the in-process
    action plugins (``plugins/plugin_utils/inprocess.py``)."""
    client = None
    try:
        check_connection(params)
        # imported here: preflight uses the engine, which imports this module
        from ansible_collections.aep.platform.plugins.module_utils.resources.preflight import check_params
        check_params(params, check_mode)
        client = AepClient.from_params(params)
        return dict(logic(params, client, check_mode))
    except (AepError, InputError) as err:
        failure = failure_kwargs(err, client, params)
    except Exception as err:  # pylint: disable=broad-except
        failure = dict(msg='Unexpected error (%s): %s; this is a bug in the aep.platform collection, please report it '
                           'with the task that failed' % (type(err).__name__, _plain(err)),
                       error_type=type(err).__name__)
    failure['failed'] = True
    return _redacted(client, failure)


def check_connection(params):
    """Raise ``InputError`` for connection options that cannot work, before any request is made: an empty or
    whitespace-only value (``args.blank_connection_options``), a URL that is not http(s), a missing ``ca_path``,
    a timeout that is not positive."""
    blank = blank_connection_options(params)
    if blank:
        raise InputError(blank_options_message(blank), field=blank[0])
    problem = connection_problem(params)
    if problem:
        raise InputError(problem[1], field=problem[0])
    for field, env, example in (('platform_url', 'AEP_PLATFORM_URL', 'https://platform.adobe.io'),
                                ('ims_url', 'AEP_IMS_URL', 'https://ims-na1.adobelogin.com')):
        value = params.get(field)
        if value is None:
            continue
        try:
            parts = urlsplit(value.strip())
            valid = parts.scheme in ('http', 'https') and bool(parts.hostname) and not re.search(r'\s', value.strip())
            parts.port  # pylint: disable=pointless-statement  # ValueError for a port that is not a number
            # a query, fragment or user would be sent with (or leak into) every request's URL
            valid = valid and not (parts.query or parts.fragment or parts.username)
        except ValueError:  # for example an unclosed IPv6 bracket, or a port that is not a number
            valid = False
        if not valid:
            raise InputError('%s: %r is not an http(s) URL without query, fragment or user; give one such as %s (option %s '
                             'or environment variable %s)'
                             % (field, value, example, field, env), field=field)
    ca_path = params.get('ca_path')
    if ca_path and not os.path.exists(ca_path):
        raise InputError('ca_path: %s does not exist; give the path of a CA bundle (PEM file or directory) that exists '
                         'on the host running the module, or unset ca_path (environment variable AEP_CA_PATH)' % ca_path,
                         field='ca_path')
    timeout = params.get('timeout')
    if timeout is not None and timeout <= 0:
        raise InputError('timeout: must be a number of seconds greater than 0, got %s (option timeout or environment '
                         'variable AEP_TIMEOUT)' % timeout, field='timeout')


def failure_kwargs(err, client=None, params=None):
    """``fail_json`` keyword arguments for an ``AepError``/``InputError``, with the fix spelled out.

    An unknown sandbox is reported as such (AEP answers 404 or 403 for every object of a sandbox that
    does not exist, which would otherwise read as "object not found"); authentication, connection,
    rate-limit and server failures get a hint naming the options to check.
    """
    kwargs = dict(err.to_fail_kwargs())
    sandbox = _unknown_sandbox(err, client)
    if sandbox is not None:
        kwargs.update(msg=sandbox, error_type='InputError', field='sandbox', cause=kwargs.get('msg'))
        return kwargs
    hint = _hint(err, params or {})
    if hint:
        kwargs['msg'] = '%s; %s' % (kwargs['msg'].rstrip('. '), hint)
    return kwargs


def _hint(err, params):
    if isinstance(err, AuthenticationError):
        if err.service == 'ims':
            return ('IMS refused the credential: check client_id, client_secret and org_id (environment variables '
                    'AEP_CLIENT_ID, AEP_CLIENT_SECRET, AEP_ORG_ID) against the OAuth server-to-server credential of '
                    'the Adobe Developer Console project, and ims_url (AEP_IMS_URL)')
        if err.status == 401:
            if params.get('client_secret'):
                return 'the platform rejected the access token fetched with client_id and client_secret: check org_id (AEP_ORG_ID)'
            return ('the platform rejected the access token (expired, or issued for another organization): give a '
                    'fresh access_token (aep.platform.token, environment variable AEP_ACCESS_TOKEN) or client_secret '
                    'so that one is fetched')
        if err.status == 403:
            return ('the credential is not allowed to do this: check org_id (AEP_ORG_ID), and that the product profile '
                    'of the Developer Console project grants access to sandbox %r and to this service'
                    % params.get('sandbox'))
        if err.status is None:
            return 'set client_secret (AEP_CLIENT_SECRET), or a valid access_token (AEP_ACCESS_TOKEN)'
    if isinstance(err, ConnectionFailure):
        if 'TLS' in (err.message or ''):
            return 'or, only for a test endpoint, set validate_certs=false (AEP_VALIDATE_CERTS)'
        if err.service == 'ims':
            return 'check ims_url (environment variable AEP_IMS_URL), the network and any proxy (HTTPS_PROXY)'
        return 'check platform_url (environment variable AEP_PLATFORM_URL), the network and any proxy (HTTPS_PROXY)'
    if isinstance(err, NotFoundError):
        return 'check platform_url (AEP_PLATFORM_URL) and sandbox (AEP_SANDBOX)'
    if isinstance(err, RateLimitedError):
        return 'AEP kept rate-limiting after the retries: run the task again later, or run fewer tasks at once (forks, throttle)'
    if isinstance(err, ServerError):
        return 'a temporary AEP problem: run the task again later, and quote the request id to Adobe support if it persists'
    return None


def _unknown_sandbox(err, client):
    """The message for an unknown sandbox when ``err`` may come from one and AEP confirms it; else None."""
    if client is None:
        return None
    if isinstance(err, InputError):
        suspicious = bool(_SANDBOX_SCOPED.search(err.msg or ''))
    else:
        suspicious = isinstance(err, NotFoundError) or (isinstance(err, AuthenticationError) and err.service != 'ims'
                                                        and err.status == 403)
    if not suspicious:
        return None
    try:  # the list answers for the organization; a 404 on /sandboxes/<name> could also be a wrong platform_url
        names = sorted(s.get('name') for s in client.list(SANDBOX_MANAGEMENT, '/sandboxes') if s.get('name'))
    except Exception:  # pylint: disable=broad-except
        return None  # cannot tell (no permission to list sandboxes, network): the original message stands
    if not names or client.sandbox in names:
        return None
    listed = ', '.join(names[:_MAX_SANDBOXES_LISTED]) + (', ...' if len(names) > _MAX_SANDBOXES_LISTED else '')
    return ('sandbox: no sandbox named %r exists in organization %s (or the credential cannot use it); set sandbox '
            '(environment variable AEP_SANDBOX) to one of: %s' % (client.sandbox, client.org_id, listed))


def _plain(err):
    """The text of an exception without repr quoting (``KeyError('x')`` reads ``x``)."""
    if isinstance(err, KeyError) and len(err.args) == 1:
        return str(err.args[0])
    return str(err)


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
