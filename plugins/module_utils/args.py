# -*- coding: utf-8 -*-
# Copyright: (c) 2025, aep.platform contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

"""Argument specs shared by every module (documented by the connection and state doc fragments)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import math
import re

from ansible.module_utils.basic import env_fallback

DEFAULT_SCOPES = ['openid', 'session', 'AdobeID', 'read_organizations', 'additional_info.projectedProductContext']


def _env(name):
    return (env_fallback, [name])


# One source of truth for the connection options: modules, the inventory plugin and the docs use it.
CONNECTION_SPEC = dict(
    platform_url=dict(type='str', default='https://platform.adobe.io', fallback=_env('AEP_PLATFORM_URL')),
    ims_url=dict(type='str', default='https://ims-na1.adobelogin.com', fallback=_env('AEP_IMS_URL')),
    client_id=dict(type='str', fallback=_env('AEP_CLIENT_ID')),
    client_secret=dict(type='str', no_log=True, fallback=_env('AEP_CLIENT_SECRET')),
    org_id=dict(type='str', fallback=_env('AEP_ORG_ID')),
    sandbox=dict(type='str', default='prod', fallback=_env('AEP_SANDBOX')),
    access_token=dict(type='str', no_log=True, fallback=_env('AEP_ACCESS_TOKEN')),
    scopes=dict(type='list', elements='str', default=DEFAULT_SCOPES, fallback=_env('AEP_SCOPES')),
    validate_certs=dict(type='bool', default=True, fallback=_env('AEP_VALIDATE_CERTS')),
    ca_path=dict(type='path', fallback=_env('AEP_CA_PATH')),
    timeout=dict(type='int', default=30, fallback=_env('AEP_TIMEOUT')),
    retries=dict(type='int', default=5, fallback=_env('AEP_RETRIES')),
    retry_deadline=dict(type='float', default=120.0, fallback=_env('AEP_RETRY_DEADLINE')),
    retry_backoff=dict(type='float', default=1.0, fallback=_env('AEP_RETRY_BACKOFF')),
)

# client_id and org_id are required, and one of access_token and client_secret: ``connection_problem`` checks it
# (runner.check_connection, before any request) with a message that names the AEP_* environment variables, which
# Ansible's own "missing required arguments" does not. access_token and client_secret may both be set (for example
# the token in module_defaults and the secret in the environment): the token is used, the secret only replaces it
# after a 401.
CONNECTION_RULES = dict()
REQUIRED_CONNECTION_OPTIONS = ('client_id', 'org_id')
ONE_OF_CONNECTION_OPTIONS = ('access_token', 'client_secret')

# Largest values of the numeric connection options (the smallest are checked by runner.check_connection and
# client.check_retry_options). A larger timeout cannot be given to the socket layer (OverflowError: timestamp too
# large) and no AEP call needs it; the retry limits keep a typo (retries: 1000000) from hanging a run for days.
NUMBER_LIMITS = dict(timeout=3600, retries=100, retry_deadline=86400, retry_backoff=3600)
# IMS organization ids: 24 hexadecimal characters followed by @AdobeOrg (letters, digits, _ . - accepted before it).
ORG_ID_PATTERN = r'^[A-Za-z0-9_.-]+@AdobeOrg$'
# Sandbox names (the x-sandbox-name header): lowercase letters, digits and hyphens (AEP's sandbox guide; API-FACTS:
# "all-lowercase sandbox name"); underscores are accepted as well, and at most 256 characters (a chosen limit).
SANDBOX_PATTERN = r'^[a-z0-9][a-z0-9_-]{0,255}$'

# What each connection option takes, for the message about an empty value (``blank_connection_options``).
_EXPECTED = dict(
    platform_url='the platform URL, such as https://platform.adobe.io',
    ims_url='the IMS URL, such as https://ims-na1.adobelogin.com',
    client_id='the Client ID (API key) of the OAuth server-to-server credential',
    client_secret='the client secret of that credential, or leave it unset and give access_token',
    org_id='the organization ID, such as 0123456789ABCDEF01234567@AdobeOrg',
    sandbox='the name of a sandbox, such as prod or dev, or leave the option unset for prod',
    access_token='an access token, or leave it unset and give client_secret',
    scopes='a list of IMS scopes, or leave the option unset for the default scopes',
    ca_path='the path of a CA bundle, or leave the option unset to use the system CAs',
)


def _blank(value):
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple)):
        return not value or any(_blank(item) for item in value)
    return False


def blank_connection_options(params):
    """The connection options of ``params`` set to an empty or whitespace-only value (a string; for ``scopes`` an empty
    list or an empty element), in ``CONNECTION_SPEC`` order. Unset options (``None``) are not blank: they take
    their environment variable or default. An empty value is never meant: it comes from a templated variable that
    is empty, and would otherwise be sent as is or replaced by a default (an empty ``sandbox`` would reach prod)."""
    return [name for name in CONNECTION_SPEC if _blank(params.get(name))]


def env_name(option):
    """The ``AEP_*`` environment variable of connection option ``option``."""
    return CONNECTION_SPEC[option]['fallback'][1][0]


def _where(names):
    return ', '.join('%s (environment variable %s)' % (name, env_name(name)) for name in names)


def connection_problem(params):
    """``(field, message)`` for the first connection option of ``params`` that no request can use, or None: a
    required option that is not set, neither access_token nor client_secret, an org_id that is not an IMS
    organization id, a number above ``NUMBER_LIMITS`` (or not finite). Each message names the option, its
    environment variable and the fix; never a secret's value."""
    missing = [name for name in REQUIRED_CONNECTION_OPTIONS if params.get(name) in (None, '')]
    if missing:
        return missing[0], ('missing required arguments: %s; set %s as an option of the task (or in module_defaults, or '
                            'in the inventory file) or as the environment variable%s %s; nothing was sent to AEP'
                            % (', '.join(missing), 'it' if len(missing) == 1 else 'them', '' if len(missing) == 1 else 's',
                               ', '.join(env_name(name) for name in missing)))
    if all(params.get(name) in (None, '') for name in ONE_OF_CONNECTION_OPTIONS):
        return 'client_secret', ('one of the following is required: access_token, client_secret; set %s (the client '
                                 'secret of the OAuth server-to-server credential) or %s; nothing was sent to AEP'
                                 % (_where(['client_secret']), _where(['access_token'])))
    org_id = params.get('org_id')
    if not isinstance(org_id, str) or not re.match(ORG_ID_PATTERN, org_id.strip()):
        return 'org_id', ('org_id: %r is not an IMS organization id; give the one of the Developer Console project, '
                          'such as 0123456789ABCDEF01234567@AdobeOrg (it ends in @AdobeOrg; option org_id or environment '
                          'variable %s); nothing was sent to AEP' % (org_id, env_name('org_id')))
    sandbox = params.get('sandbox')
    if isinstance(sandbox, str) and not re.match(SANDBOX_PATTERN, sandbox.strip()):
        return 'sandbox', ('sandbox: %r is not a sandbox name; AEP sandbox names are lowercase letters, digits and hyphens, '
                           'such as prod or dev-1 (option sandbox or environment variable %s); nothing was sent to '
                           'AEP' % (sandbox[:80], env_name('sandbox')))
    for name, high in NUMBER_LIMITS.items():
        value = params.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and not (math.isfinite(value) and value <= high):
            return name, ('%s: must be at most %s %s, got %.6g (option %s or environment variable %s)'
                          % (name, high, 'retries' if name == 'retries' else 'seconds', value, name, env_name(name)))
    return None


def blank_options_message(names):
    """The error for ``blank_connection_options``: each option, what it takes and where to set it; never a value."""
    parts = ['%s (%s; option %s or environment variable %s)'
             % (name, _EXPECTED.get(name, 'a value'), name, CONNECTION_SPEC[name]['fallback'][1][0]) for name in names]
    return ('%s: empty value: give %s. An empty value usually comes from a template whose variable is empty '
            '(for example sandbox: "{{ sb }}" with sb set to ""): set the variable, or leave the option out; nothing '
            'was sent to AEP' % (', '.join(names), '; '.join(parts)))


STATE_SPEC = dict(
    state=dict(type='str', choices=['present', 'absent'], default='present'),
)


def connection_spec(extra=None):
    """A fresh copy of the connection options, merged with a module's own options (``extra``)."""
    spec = copy.deepcopy(CONNECTION_SPEC)
    spec.update(copy.deepcopy(extra or {}))
    return spec


def state_spec(extra=None):
    """The ``state`` option merged with a module's own options."""
    spec = copy.deepcopy(STATE_SPEC)
    spec.update(copy.deepcopy(extra or {}))
    return spec


def merge_rules(kwargs):
    """Add the connection rules (``required_one_of``, ...) to a module's AnsibleModule keyword arguments."""
    merged = dict(kwargs)
    for key, rules in CONNECTION_RULES.items():
        merged[key] = list(rules) + list(merged.get(key) or [])
    return merged
